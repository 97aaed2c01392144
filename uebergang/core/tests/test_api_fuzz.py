"""The JSON API under generated requests (schemathesis): it never answers 5xx, and every 4xx
is the documented error shape.

The OpenAPI schema is loaded from the app itself, so every operation is covered, also those
added later. Each operation is called with data generated from its schema – fitting it
(positive) and not fitting it (negative) – with the personal API token of the coordination
office and, separately, of a member, against a network with a record of every kind. Path
parameters and references in bodies are, most of the time, replaced by the ids of real
records, so the calls get past the 404 and reach the services.

Deterministic: Hypothesis runs derandomized with a fixed number of examples per operation,
the operations in the order of the schema. Failures are collected over all operations and
reported together, each with a curl command to reproduce it.
"""

from __future__ import annotations

import datetime
import traceback
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from config.wsgi import application
from uebergang.accounts.models import ApiToken
from uebergang.accounts.services import api_token_create
from uebergang.bodies import services as body_services
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Document,
    Invitation,
    Meeting,
    MinutesEntry,
    NetworkDay,
    Registration,
)
from uebergang.meetings.tests.factories import (
    PDF,
    START,
    days_from_today,
    link_user,
    make_board,
    make_held_meeting,
    make_meeting,
    make_network_day,
)
from uebergang.networks import services as network_services
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
)
from uebergang.networks.tests.factories import SIGNED, make_partner

OPENAPI_URL = "/api/v1/openapi.json"
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 3}
ERROR_KEYS = {"code", "message", "field_errors", "details"}

# The path segment before a `{param}` names the kind of record it addresses.
SEGMENT_MODELS = {
    "partners": Partner,
    "people": Person,
    "seats": ConstituencySeat,
    "representations": Representation,
    "assignments": SeatAssignment,
    "holders": SeatHolding,
    "bodies": Body,
    "body-seats": BodySeat,
    "memberships": Membership,
    "offices": Office,
    "meetings": Meeting,
    "agenda-items": AgendaItem,
    "documents": Document,
    "invitations": Invitation,
    "minutes-entries": MinutesEntry,
    "tasks": ActionItem,
    "network-days": NetworkDay,
    "registrations": Registration,
    "calendar-feeds": CalendarFeed,
}
# Fields of bodies and query strings holding ids of records.
REFERENCE_MODELS = {
    "partner": Partner,
    "institution": Partner,
    "successor": Partner,
    "organisation": Partner,
    "person": Person,
    "owner": Person,
    "people": Person,
    "constituency_seat": ConstituencySeat,
    "seat": BodySeat,
    "substitute_for": Membership,
    "membership": Membership,
    "body": Body,
    "approved_in": Meeting,
    "agenda_item": AgendaItem,
    "entry": MinutesEntry,
    "registrations": Registration,
}


@pytest.fixture
def no_connection_closing():
    """Django closes the database connection around every request it serves through WSGI;
    inside the test's transaction it must not (as Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(network, other_network, coordinator, member, settings, tmp_path):
    """A network with a record of every kind: the advisory board with seats and members (the
    member sits in it), a planned meeting, a held one with a document, minutes and a task, a
    network day with a registration, calendar feeds; a partner in another network."""
    settings.MEDIA_ROOT = tmp_path / "media"
    board = make_board(network)
    link_user(board.anna, member)
    representation = network_services.representation_create(
        actor=SYSTEM, partner=board.ihk, person=board.anna, valid_from=SIGNED
    )
    network_services.seat_holding_create(
        actor=SYSTEM, seat=board.schools, person=board.carla, valid_from=SIGNED
    )
    body_services.office_assign(
        actor=SYSTEM, membership=board.anna_m, kind="chair", valid_from=START
    )
    make_meeting(board.body)
    held = make_held_meeting(board)
    item = held.agenda_items.order_by("position").first()
    meeting_services.document_add(
        actor=SYSTEM,
        meeting=held,
        upload=SimpleUploadedFile("vorlage.pdf", PDF, "application/pdf"),
        title="Vorlage",
        agenda_item=item,
    )
    minutes = meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=held,
        expected_version=None,
        opening="Begrüßung",
        entries={item.pk: {"discussion": "Aussprache"}},
    )
    meeting_services.task_add(
        actor=SYSTEM, entry=minutes.entries.get(), description="Bericht", owner=board.anna
    )
    day = make_network_day(network, day=days_from_today(20))
    meeting_services.registration_add(actor=SYSTEM, day=day, partner=board.ihk, person=board.anna)
    meeting_services.calendar_feed_create(actor=coordinator, network=network, body=board.body)
    meeting_services.calendar_feed_create(actor=member, network=network)
    make_partner(other_network, "Landkreis Anderswo")
    tokens = {}
    for role, user in (("coordination", coordinator), ("member", member)):
        tokens[role] = api_token_create(actor=user, name="Fuzzing")[1]
        api_token_create(actor=user, name="Ersatz")  # one to revoke
        api_token_create(
            actor=user,
            name="Läuft ab",
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
        )
    assert representation.pk
    return {"network": network, "tokens": tokens}


def _ids(model: Any, network: Any) -> list[str]:
    if model is ApiToken:
        return []
    return [
        str(pid)
        for pid in model.objects.filter(network=network)
        .order_by("pk")
        .values_list("public_id", flat=True)[:4]
    ]


def _real_path_parameters(case: Any, network: Any, data: Any, spare_tokens: list[str]) -> None:
    """Most of the time: the slug of the network and ids of its records in the path."""
    segments = case.operation.path.strip("/").split("/")
    for i, segment in enumerate(segments):
        if not (segment.startswith("{") and segment.endswith("}")):
            continue
        name = segment[1:-1]
        if name not in case.path_parameters or not data.draw(st.integers(0, 9)):
            continue  # one time in ten: whatever was generated
        before = segments[i - 1]
        if name == "network":
            case.path_parameters[name] = network.slug
        elif name == "kind":
            case.path_parameters[name] = data.draw(st.sampled_from(["partners", "people", "seats"]))
        elif before == "tokens":
            if spare_tokens:
                case.path_parameters[name] = data.draw(st.sampled_from(spare_tokens))
        elif before in SEGMENT_MODELS:
            ids = _ids(SEGMENT_MODELS[before], network)
            if ids:
                case.path_parameters[name] = data.draw(st.sampled_from(ids))
        elif before == "{kind}":
            kind = case.path_parameters.get("kind")
            model = {"partners": Partner, "people": Person, "seats": ConstituencySeat}.get(kind)
            ids = _ids(model, network) if model else []
            if ids:
                case.path_parameters[name] = data.draw(st.sampled_from(ids))


def _real_references(container: Any, network: Any, data: Any) -> None:
    """Most of the time: ids of real records in the fields that reference them."""
    if not isinstance(container, dict):
        return
    for key, value in list(container.items()):
        model = REFERENCE_MODELS.get(key)
        if isinstance(value, dict):
            _real_references(value, network, data)
        elif isinstance(value, list) and key == "entries":
            for entry in value:
                _real_references(entry, network, data)
        elif model is not None and data.draw(st.integers(0, 3)):
            ids = _ids(model, network)
            if not ids:
                continue
            if isinstance(value, list):
                container[key] = data.draw(st.lists(st.sampled_from(ids), max_size=3))
            elif isinstance(value, str) or value is None:
                container[key] = data.draw(st.sampled_from(ids))


def _problem(response: Any) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    if status < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/json"):
        return f"answered {status} as {content_type!r}, not JSON"
    try:
        body = response.json()
    except ValueError:
        return f"answered {status} with a body that is not JSON"
    if not isinstance(body, dict) or set(body) != ERROR_KEYS:
        return f"answered {status} with {body!r}, not the error shape"
    if not isinstance(body["code"], str) or not isinstance(body["message"], str):
        return f"answered {status} with {body!r}: code and message must be text"
    return None


def _run(operation, mode, network, token, spare_tokens, failures, exceptions, reached) -> int:
    calls = 0

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def call(case, data):
        nonlocal calls
        calls += 1
        _real_path_parameters(case, network, data, spare_tokens)
        _real_references(case.body, network, data)
        _real_references(case.query, network, data)
        exceptions.clear()
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        except Exception as exc:  # noqa: BLE001 (any crash is a finding)
            failures.append(f"{operation.label} ({mode}): raised {exc!r}")
            return
        if 200 <= response.status_code < 300:
            reached.add(operation.label)
        problem = _problem(response)
        if problem:
            detail = exceptions[-1] if exceptions else ""
            failures.append(
                f"{operation.label} ({mode}): {problem}\n    {case.as_curl_command()}\n{detail}"
            )

    call()
    return calls


def test_no_generated_request_gets_a_server_error_or_an_undocumented_error(
    world, no_connection_closing
):
    schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    network = world["network"]
    failures: list[str] = []
    exceptions: list[str] = []
    reached: set[str] = set()  # operations that answered 2xx at least once

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        exceptions.append(traceback.format_exc())

    signals.got_request_exception.connect(record)
    calls = 0
    try:
        for role, token in world["tokens"].items():
            in_use = token.split("_")[1]
            spare = [
                str(pid)
                for pid in ApiToken.objects.exclude(prefix=in_use)
                .order_by("pk")
                .values_list("public_id", flat=True)
            ]
            for operation in operations:
                for mode in EXAMPLES:
                    calls += _run(
                        operation, mode, network, token, spare, failures, exceptions, reached
                    )
            assert ApiToken.objects.get(prefix=in_use).is_active, role
    finally:
        signals.got_request_exception.disconnect(record)
    assert calls >= len(operations) * 2 * 2
    # the generated calls get past the 404s and the validation to the services
    assert len(reached) >= len(operations) // 3, sorted(reached)
    assert failures == [], f"{len(failures)} of {calls} calls failed:\n" + "\n".join(failures)
