"""Generated permission tests: every operation of the JSON API, whoever mounts it.

The operations are walked from `config.api.api` itself (all bound routers, nested ones
included), so a new endpoint cannot escape: for every route under `/networks/{network}/…` the
path parameters are filled with public ids of records of network A of the right kind, a minimal
valid body is built from the OpenAPI schema, and then

* anonymous, or with a token that does not exist → 401 (every route, /me included),
* the coordination office of ANOTHER network → 404, and the answer names nothing of network A
  (also when it puts network A's record ids under its own network's slug),
* a signed-in user without a role → 404 (with a token, and with the browser session),
* a member writing (POST/PATCH/PUT/DELETE) → 403 and nothing changed (rows, versions, history),
* a member reading (GET) → 200,
* the coordination office → let through (neither 401, 403 nor 404).

The client enforces CSRF as browsers and scripts do (Django's test client would skip it).

An operation the generator cannot fill (an unknown path parameter, a body field it does not
know how to reference, a route outside `/me` and `/networks/{network}`) makes
`test_every_operation_is_classified` fail: extend the tables below when adding one.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ninja.utils import normalize_path

from config.api import api
from uebergang.accounts.services import api_token_create
from uebergang.bodies import services as body_services
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesEntry,
    NetworkDay,
    Registration,
)
from uebergang.networks import services
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
)
from uebergang.networks.tests.factories import (
    link_user,
    make_logo,
    make_partner,
    make_person,
    make_seat,
    row_counts,
)

API_ROOT = "/api/v1"
WRITE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}
READ_METHODS = {"GET"}
NETWORK_PREFIX = "/networks/{network}"
ME_PREFIX = "/me"

# The path segment before a `{param}` names the kind of record it addresses.
SEGMENT_KINDS = {
    "partners": "partner",
    "people": "person",
    "seats": "seat",
    "representations": "representation",
    "assignments": "assignment",
    "holders": "holder",
    "bodies": "body",
    "body-seats": "body_seat",
    "memberships": "membership",
    "offices": "office",
    "meetings": "meeting",
    "agenda-items": "agenda_item",
    "documents": "document",
    "invitations": "invitation",
    "minutes-entries": "minutes_entry",
    "decisions": "decision",
    "tasks": "task",
    "network-days": "network_day",
    "registrations": "registration",
    "calendar-feeds": "calendar_feed",
    "topics": "topic",
    "referrals": "referral",
    "files": "topic_document",
    "handed-files": "handed_document",
    "agenda-links": "agenda_link",
}
# Path parameters that are not record ids: fixed values.
FIXED_PATH_VALUES = {"kind": "partners"}
# `{kind}` in the path stands for the kind given by FIXED_PATH_VALUES["kind"].
KIND_VALUE_KINDS = {"partners": "partner", "people": "person", "seats": "seat"}
# Body/query fields holding a reference (UUID) to another record: the kind of that record.
REFERENCE_FIELDS = {
    "partner": "partner",
    "institution": "partner",
    "successor": "partner",
    "organisation": "partner",
    "person": "person",
    "constituency_seat": "seat",
    "seat": "body_seat",
    "substitute_for": "membership",
    "membership": "membership",
    "body": "body",
    "approved_in": "meeting",
    "agenda_item": "agenda_item",
    "entry": "minutes_entry",
    "owner": "person",
    "decision": "decision",
    "board": "decision_board",
    "advisory_board": "body",
    "working_group": "body",
    "meeting": "meeting",
}
# Writes a member may do for themselves (their own calendar feed): the status they get.
MEMBER_OWN_WRITES = {"POST /networks/{network}/calendar-feeds": 201}
# Reads only the coordination office may do (as on the web pages): a member gets 403.
# The whole network's history is the coordination office's (a member reads a record's).
ME_NEEDS_THE_PASSWORD = {"POST /me/password"}
COORDINATION_READS = {
    "GET /networks/{network}/participation",
    "GET /networks/{network}/history",
    "GET /networks/{network}/meetings/{mid}/invite",  # the preview before sending
    "GET /networks/{network}/meetings/{mid}/invitees/download",
    "GET /networks/{network}/participation/download",
    "GET /networks/{network}/logo",  # the letterhead's logo, as on the settings page
    "GET /networks/{network}/topics/board",  # the office's board of open topics
}
# Codes of the domain rules the coordination office may meet with the minimal bodies (a
# meeting whose minutes are being written is closed for agenda changes and invitations; a
# topic with the advisory board is edited no more).
DOMAIN_CODES = ("invalid", "ended", "meeting_closed", "not_approved", "invalid_transition")
PDF_BYTES = b"%PDF-1.4\n% Beispiel\n%%EOF\n"
SAMPLE_DATE = "2020-03-01"
SAMPLE_DATETIME = "2030-01-01T12:00:00+01:00"


# --- walking the API ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # relative to /api/v1, e.g. "/networks/{network}/partners/{pid}"

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _routes() -> list[Route]:
    routes = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = "/" + normalize_path("/".join([bound.prefix, path])).strip("/")
            for operation in path_view.operations:
                for method in operation.methods:
                    routes.append(Route(method.upper(), full))
    return sorted(routes, key=lambda r: (r.path, r.method))


# Routes that authenticate by a signed token in the path instead of an account (the personal
# reply link, `meetings/api_links.py`): nobody gets 401 there, and the token opens only its
# own invitation; their checks are in meetings/tests/test_reply_links.py.
TOKEN_PREFIXES = ("/reply-links/",)
ALL_ROUTES = _routes()
TOKEN_ROUTES = [r for r in ALL_ROUTES if r.path.startswith(TOKEN_PREFIXES)]
ROUTES = [r for r in ALL_ROUTES if r not in TOKEN_ROUTES]
NETWORK_ROUTES = [r for r in ROUTES if r.path.startswith(NETWORK_PREFIX)]
ME_ROUTES = [r for r in ROUTES if r.path == ME_PREFIX or r.path.startswith(ME_PREFIX + "/")]


@functools.cache
def _openapi() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix="")


def _operation_schema(schema: dict[str, Any], route: Route) -> dict[str, Any]:
    return schema["paths"][route.path][route.method.lower()]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


@dataclass
class Plan:
    """How to call one route: the URL and the body, or why it cannot be planned."""

    url: str = ""
    body: dict[str, Any] | None = None
    query: dict[str, Any] = field(default_factory=dict)
    multipart: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)


def _sample(
    schema: dict[str, Any], name: str, node: dict[str, Any], ids: dict[str, str], plan: Plan
) -> Any:
    node = _resolve(schema, node)
    if "anyOf" in node:
        variants = [v for v in node["anyOf"] if _resolve(schema, v).get("type") != "null"]
        if len(variants) != 1:
            plan.problems.append(f"{name}: cannot choose among {node['anyOf']}")
            return None
        node = _resolve(schema, variants[0])
    if "enum" in node:
        return node["enum"][0]
    kind, fmt = node.get("type"), node.get("format")
    if kind == "string" and fmt == "uuid":
        ref = REFERENCE_FIELDS.get(name)
        if ref is None:
            plan.problems.append(f"{name}: UUID field of unknown kind (add it to REFERENCE_FIELDS)")
            return None
        return ids[ref]
    if kind == "string" and fmt == "date":
        return SAMPLE_DATE
    if kind == "string" and fmt == "date-time":
        return SAMPLE_DATETIME
    if kind == "string" and fmt == "binary":
        return "<file>"
    if kind == "array":
        return []
    if kind == "string" and fmt is None:
        return f"Beispiel {name}"
    if kind == "integer":
        return 1  # every record of the fixture is at version 1
    if kind == "boolean":
        return True
    if kind == "object":
        props = node.get("properties", {})
        return {
            key: _sample(schema, key, props[key], ids, plan) for key in node.get("required", [])
        }
    plan.problems.append(f"{name}: unsupported schema {node}")
    return None


def plan_for(route: Route, ids: dict[str, str], schema: dict[str, Any]) -> Plan:
    """Fill the path parameters with `ids` (kind → public id; "network" → slug) and build a
    minimal valid body and the required query parameters from the OpenAPI schema."""
    plan = Plan()
    if route.method not in WRITE_METHODS | READ_METHODS:
        plan.problems.append(f"method {route.method} is neither a read nor a write")
    in_network = route.path.startswith(NETWORK_PREFIX)
    in_me = route.path == ME_PREFIX or route.path.startswith(ME_PREFIX + "/")
    if not (in_network or in_me):
        plan.problems.append("neither under /networks/{network} nor under /me")

    segments = route.path.strip("/").split("/")
    filled = []
    for i, segment in enumerate(segments):
        match = re.fullmatch(r"\{(\w+)\}", segment)
        if match is None:
            filled.append(segment)
            continue
        param = match.group(1)
        before = segments[i - 1] if i else ""
        if param == "network" and i == 1 and in_network:
            filled.append(ids["network"])
        elif param in FIXED_PATH_VALUES:
            filled.append(FIXED_PATH_VALUES[param])
        elif in_me:
            filled.append(str(uuid.uuid4()))  # the /me routes only answer anonymous with 401
        elif before in SEGMENT_KINDS:
            filled.append(ids[SEGMENT_KINDS[before]])
        elif before == "{kind}":
            filled.append(ids[KIND_VALUE_KINDS[FIXED_PATH_VALUES["kind"]]])
        else:
            plan.problems.append(f"path parameter {param!r} after {before!r} is of unknown kind")
            filled.append(str(uuid.uuid4()))
    plan.url = API_ROOT + "/" + "/".join(filled)

    try:
        operation = _operation_schema(schema, route)
    except KeyError:
        plan.problems.append("not in the OpenAPI schema")
        return plan
    for param in operation.get("parameters", []):
        if param["in"] == "query" and param.get("required"):
            plan.query[param["name"]] = _sample(schema, param["name"], param["schema"], ids, plan)
        elif param["in"] not in ("query", "path"):
            plan.problems.append(f"parameter in {param['in']} is not supported")
    request_body = operation.get("requestBody")
    if request_body is not None:
        content = request_body.get("content", {})
        if "multipart/form-data" in content:
            multipart = content["multipart/form-data"]["schema"]
            plan.multipart = _sample(schema, "body", multipart, ids, plan)
        elif "application/json" not in content:
            plan.problems.append(f"body of type {sorted(content)} is not supported")
        else:
            plan.body = _sample(schema, "body", content["application/json"]["schema"], ids, plan)
    return plan


# --- the data of network A (and a little of network B) -----------------------------------------


@pytest.fixture
def registry(network, other_network, member, coordinator, settings, tmp_path):
    """One record of every kind in network A; names that must never leak to outsiders."""
    county = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    school = make_partner(network, "BBS II Osterode Ausbildungszentrum", kind="school_vocational")
    person = make_person(network, "Petronella", "Pfiffig", organisation=county)
    representation = services.representation_create(
        actor=SYSTEM,
        partner=county,
        person=person,
        function="Landrätin",
        valid_from=datetime.date(2014, 1, 1),
    )
    seat = make_seat(network, "Allgemeinbildende Schulen im Altkreis")
    assignment = services.seat_assign(
        actor=SYSTEM, seat=seat, partner=school, valid_from=datetime.date(2014, 1, 1)
    )
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=person, valid_from=datetime.date(2014, 1, 1)
    )
    body = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "Beirat Übergang Osterode",
            "kind": "advisory_board",
            "valid_from": datetime.date(2014, 1, 1),
        },
    )
    body_seat = body_services.body_seat_add(
        actor=SYSTEM, body=body, partner=county, valid_from=datetime.date(2014, 1, 1)
    )
    membership = body_services.membership_add(
        actor=SYSTEM,
        body=body,
        person=person,
        role="member",
        seat=body_seat,
        valid_from=datetime.date(2014, 1, 1),
    )
    member_person = make_person(network, "Mira", "Mitglied")
    link_user(member_person, member)
    body_services.membership_add(
        actor=SYSTEM,
        body=body,
        person=member_person,
        role="guest",
        valid_from=datetime.date(2014, 1, 1),
    )
    office = body_services.office_assign(
        actor=SYSTEM, membership=membership, kind="chair", valid_from=datetime.date(2014, 1, 1)
    )
    meeting_ids, meeting_secrets = _meetings(
        network, county, person, coordinator, settings, tmp_path
    )
    make_logo(network)  # the letterhead's logo (read, replaced and removed by the office)
    topic_ids = _topic(network, county, body, body_seat)
    make_partner(other_network, "Landkreis Anderswo")
    ids = {
        "network": network.slug,
        "partner": str(county.public_id),
        "person": str(person.public_id),
        "seat": str(seat.public_id),
        "representation": str(representation.public_id),
        "assignment": str(assignment.public_id),
        "holder": str(holding.public_id),
        "body": str(body.public_id),
        "body_seat": str(body_seat.public_id),
        "membership": str(membership.public_id),
        "office": str(office.public_id),
        **meeting_ids,
        **topic_ids,
    }
    secrets = [
        network.name,
        network.region,
        county.name,
        school.name,
        person.first_name,
        person.last_name,
        representation.function,
        seat.name,
        body.name,
        *meeting_secrets,
        *[value for key, value in ids.items() if key != "network"],
    ]
    return {
        "ids": ids,
        "secrets": secrets,
        "network": network,
        "elsewhere": {*meeting_secrets, *meeting_ids.values(), *topic_ids.values()},
    }


def _topic(network, county, advisory, advisory_seat):
    """A decision board and a topic it brought in, handed to the advisory board (where the
    member sits as a guest: they read the topic, but give no statement and move nothing)."""
    from uebergang.topics import services as topic_services

    board = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "Entscheidungsgremium Osterode",
            "kind": "decision_board",
            "valid_from": datetime.date(2014, 1, 1),
        },
    )
    topic = topic_services.topic_open(
        actor=SYSTEM, network=network, data={"board": board, "title": "Übergabebogen"}
    )
    document = topic_services.document_add(
        actor=SYSTEM,
        topic=topic,
        upload=SimpleUploadedFile("bogen.pdf", PDF_BYTES, "application/pdf"),
        title="Entwurf des Bogens",
    )
    referral = topic_services.topic_refer_to_advisory_board(
        actor=SYSTEM,
        topic=topic,
        expected_version=None,
        advisory_board=advisory,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    from django.utils import timezone

    from uebergang.meetings import services as meeting_services

    starts = timezone.now() + datetime.timedelta(days=12)
    meeting = meeting_services.meeting_create(
        actor=SYSTEM,
        body=advisory,
        data={
            "title": "Beirat mit dem Bogen",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
        },
    )
    link = topic_services.topic_put_on_agenda(actor=SYSTEM, topic=topic, meeting=meeting)
    return {
        "topic": str(topic.public_id),
        "agenda_link": str(link.public_id),
        "decision_board": str(board.public_id),
        "referral": str(referral.public_id),
        "topic_document": str(document.public_id),
        "handed_document": str(referral.documents.get().public_id),
    }


MEETING_MODELS = (
    Meeting,
    AgendaItem,
    Document,
    Invitation,
    Attendance,
    Minutes,
    MinutesEntry,
    Decision,
    ActionItem,
    NetworkDay,
    Registration,
    CalendarFeed,
)


def _meetings(network, county, person, coordinator, settings, tmp_path):
    """A past meeting of the body whose circulated minutes are being written (invited,
    attendance recorded), with an agenda item, a document and a task; a past network day
    with a registration; a calendar feed of the coordination office. Every record is left at
    version 1, as the sampled bodies send."""
    settings.MEDIA_ROOT = tmp_path / "media"
    body = Body.objects.get(network=network)
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    meeting = meeting_services.meeting_create(
        actor=SYSTEM,
        body=body,
        data={
            "title": "Beiratssitzung Frühjahr",
            "starts_at": datetime.datetime(2025, 3, 10, 16, 0, tzinfo=berlin),
            "ends_at": datetime.datetime(2025, 3, 10, 18, 0, tzinfo=berlin),
        },
    )
    item = meeting_services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, data={"title": "Berufsorientierung im Altkreis"}
    )
    document = meeting_services.document_add(
        actor=SYSTEM,
        meeting=meeting,
        upload=SimpleUploadedFile("vorlage.pdf", PDF_BYTES, "application/pdf"),
        title="Vorlage Berufsorientierung",
        agenda_item=item,
    )
    meeting_services.meeting_invite(actor=SYSTEM, meeting=meeting)
    meeting_services.attendance_record(actor=SYSTEM, meeting=meeting, people=[person])
    minutes = meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        opening="Begrüßung",
        entries={item.pk: {"discussion": "Aussprache"}},
    )
    decision = meeting_services.decision_add(
        actor=SYSTEM, item=item, data={"wording": "Der Beirat stimmt zu.", "unanimous": True}
    )
    meeting_services.minutes_circulate(actor=SYSTEM, minutes=minutes)
    entry = minutes.entries.get()
    task = meeting_services.task_add(
        actor=SYSTEM, entry=entry, description="Bericht vorbereiten", owner=person
    )
    day = meeting_services.network_day_create(
        actor=SYSTEM,
        network=network,
        data={
            "title": "Netzwerktag Übergang 2025",
            "starts_at": datetime.datetime(2025, 9, 20, 9, 0, tzinfo=berlin),
            "ends_at": datetime.datetime(2025, 9, 20, 15, 0, tzinfo=berlin),
        },
    )
    registration = meeting_services.registration_add(
        actor=SYSTEM, day=day, partner=county, person=person
    )
    feed, _token = meeting_services.calendar_feed_create(
        actor=coordinator, network=network, body=body
    )
    for model in MEETING_MODELS:
        model.all_objects.filter(network=network).update(version=1)
    invitation = Invitation.objects.get(meeting=meeting, person=person)
    ids = {
        "meeting": str(meeting.public_id),
        "agenda_item": str(item.public_id),
        "document": str(document.public_id),
        "invitation": str(invitation.public_id),
        "minutes_entry": str(entry.public_id),
        "decision": str(decision.public_id),
        "task": str(task.public_id),
        "network_day": str(day.public_id),
        "registration": str(registration.public_id),
        "calendar_feed": str(feed.public_id),
    }
    return ids, [meeting.title, item.title, document.title, day.title]


def _state():
    """Everything a refused write must leave as it was: row counts, history, versions."""
    versions = {
        model.__name__: sorted(model.all_objects.values_list("public_id", "version"))
        for model in (
            Partner,
            Person,
            Representation,
            ConstituencySeat,
            SeatAssignment,
            SeatHolding,
            Body,
            BodySeat,
            Membership,
            Office,
            *MEETING_MODELS,
        )
    }
    return {"rows": row_counts(), "history": HistoryEvent.objects.count(), "versions": versions}


CSRF_SECRET = "k" * 32
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."


@pytest.fixture
def client():
    """A client as browsers and scripts are: CSRF is enforced (Django's test client skips
    the check unless told otherwise)."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def _session_with_csrf(client, user) -> dict[str, str]:
    """Sign in with the browser session and send the CSRF token as a browser would."""
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF_SECRET
    return {"HTTP_X_CSRFTOKEN": CSRF_SECRET}


def _bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(actor=user, name="Generierte Tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _call(client, route: Route, plan: Plan, **headers):
    method = getattr(client, route.method.lower())
    url = plan.url
    if plan.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in plan.query.items())
    if plan.multipart is not None:
        data = {
            key: SimpleUploadedFile("beispiel.pdf", PDF_BYTES, "application/pdf")
            if value == "<file>"
            else value
            for key, value in plan.multipart.items()
        }
        return method(url, data=data, **headers)
    if plan.body is None:
        return method(url, **headers)
    return method(url, data=json.dumps(plan.body), content_type="application/json", **headers)


def _plan(route: Route, registry) -> Plan:
    plan = plan_for(route, registry["ids"], _openapi())
    assert plan.problems == [], plan.problems
    return plan


# --- the inventory -------------------------------------------------------------------------------


def test_the_walk_finds_the_operations_of_every_router():
    # given the API as mounted in config.api
    # when its operations are walked
    found = {route.id for route in ROUTES}
    # then routes of both mounted apps are there, and nothing but /me and the networks
    assert "GET /me" in found
    assert "POST /networks/{network}/partners" in found
    assert "GET /networks/{network}/{kind}/{pid}/history" in found
    assert len(NETWORK_ROUTES) + len(ME_ROUTES) == len(ROUTES)


def test_the_walk_and_the_openapi_schema_list_the_same_operations():
    # given the documented operations
    schema = _openapi()
    documented = {
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    # then they are exactly the walked ones (nothing hidden from the docs, nothing extra)
    assert documented == {route.id for route in ALL_ROUTES}
    assert {route.id for route in TOKEN_ROUTES} == {
        "GET /reply-links/{token}",
        "POST /reply-links/{token}",
    }


def test_every_operation_is_classified(registry):
    # given every operation of the API
    schema = _openapi()
    # when the generator plans a call for each
    problems = {route.id: plan_for(route, registry["ids"], schema).problems for route in ROUTES}
    # then it knows how to fill every one of them
    assert {route: p for route, p in problems.items() if p} == {}


# --- the generated checks --------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_anonymous_gets_401(client, registry, route):
    # given no session and no token
    plan = plan_for(route, registry["ids"], _openapi())
    before = _state()
    # when the route is called
    response = _call(client, route, plan)
    # then 401 in the error format, and nothing changed
    assert response.status_code == 401, response.content
    assert response.json() == {
        "code": "unauthenticated",
        "message": "Bitte melden Sie sich an oder senden Sie einen gültigen API-Schlüssel.",
        "field_errors": None,
        "details": None,
    }
    assert _state() == before


@pytest.mark.parametrize("route", ROUTES, ids=[r.id for r in ROUTES])
def test_invalid_token_gets_401(client, registry, route):
    # given a token that does not exist
    plan = plan_for(route, registry["ids"], _openapi())
    # when the route is called with it
    response = _call(client, route, plan, HTTP_AUTHORIZATION="Bearer ueb_00000000_nichtgueltig")
    # then 401
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[r.id for r in NETWORK_ROUTES])
def test_coordination_of_another_network_gets_404_and_learns_nothing(
    client, registry, outsider, route
):
    # given the coordination office of network B and a call addressing network A's records
    plan = _plan(route, registry)
    headers = _bearer(outsider)
    before = _state()
    # when the route is called
    response = _call(client, route, plan, **headers)
    # then 404, with not a single name or id of network A in the answer, and nothing changed
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["code"] == "not_found"
    text = json.dumps(body, ensure_ascii=False)
    assert [secret for secret in registry["secrets"] if secret in text] == []
    assert _state() == before


RECORD_ROUTES = [r for r in NETWORK_ROUTES if re.search(r"\{(?!network\}|kind\})\w+\}", r.path)]


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=[r.id for r in RECORD_ROUTES])
def test_records_of_network_a_under_the_slug_of_network_b_are_not_found(
    client, registry, outsider, other_network, route
):
    # given the coordination office of network B, using its own slug with network A's ids
    plan = _plan(route, registry)
    plan.url = plan.url.replace(
        f"/networks/{registry['network'].slug}", f"/networks/{other_network.slug}", 1
    )
    headers = _bearer(outsider)
    before = _state()
    # when the route is called
    response = _call(client, route, plan, **headers)
    # then the records are not found there, and nothing changed
    assert response.status_code == 404, response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    assert [secret for secret in registry["secrets"] if secret in text] == []
    assert _state() == before


def test_the_leak_check_sees_network_a_when_it_is_allowed(client, registry, coordinator):
    # given the coordination office of network A (a control: the check can see a leak)
    headers = _bearer(coordinator)
    reads = [Route("GET", "/networks/{network}"), Route("GET", "/networks/{network}/seats")]
    # when it reads the network and the seats
    answers = [_call(client, route, _plan(route, registry), **headers).json() for route in reads]
    # then the leak check finds network A's names and ids in them
    text = json.dumps(answers, ensure_ascii=False)
    found = [secret for secret in registry["secrets"] if secret in text]
    not_in_these_answers = {
        registry["ids"]["partner"],
        registry["ids"]["representation"],
        "Landrätin",
        # the bodies are not in the network's or the seats' answers
        "Beirat Übergang Osterode",
        registry["ids"]["body"],
        registry["ids"]["body_seat"],
        registry["ids"]["membership"],
        registry["ids"]["office"],
        # nor the meetings, network days and calendar feeds
        *registry["elsewhere"],
    }
    assert found == [secret for secret in registry["secrets"] if secret not in not_in_these_answers]
    assert len(found) == 11


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[r.id for r in NETWORK_ROUTES])
def test_signed_in_user_without_role_gets_404(client, registry, stranger, route):
    # given a signed-in account with no role in any network
    plan = _plan(route, registry)
    headers = _bearer(stranger)
    before = _state()
    # when the route is called
    response = _call(client, route, plan, **headers)
    # then 404 (the network's existence is not revealed), and nothing changed
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert _state() == before


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[r.id for r in NETWORK_ROUTES])
def test_signed_in_user_without_role_gets_404_with_session(client, registry, stranger, route):
    # given a signed-in account with no role, using the browser session
    plan = _plan(route, registry)
    headers = _session_with_csrf(client, stranger)
    before = _state()
    # when the route is called
    response = _call(client, route, plan, **headers)
    # then 404, and nothing changed
    assert response.status_code == 404, response.content
    assert _state() == before


WRITE_ROUTES = [
    r for r in NETWORK_ROUTES if r.method in WRITE_METHODS and r.id not in MEMBER_OWN_WRITES
]
OWN_WRITE_ROUTES = [r for r in NETWORK_ROUTES if r.id in MEMBER_OWN_WRITES]
READ_ROUTES = [
    r for r in NETWORK_ROUTES if r.method in READ_METHODS and r.id not in COORDINATION_READS
]
COORDINATION_READ_ROUTES = [r for r in NETWORK_ROUTES if r.id in COORDINATION_READS]


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=[r.id for r in WRITE_ROUTES])
def test_member_writing_gets_403_and_nothing_changes(client, registry, member, route):
    # given a member of network A (no relation to any record) and a valid body
    plan = _plan(route, registry)
    headers = _bearer(member)
    history_before = HistoryEvent.objects.count()
    before = _state()
    # when the member writes
    response = _call(client, route, plan, **headers)
    # then 403 in the error format, and no row, version or history event changed
    assert response.status_code == 403, response.content
    assert response.json() == {
        "code": "forbidden",
        "message": "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk.",
        "field_errors": None,
        "details": None,
    }
    assert HistoryEvent.objects.count() == history_before
    assert _state() == before


@pytest.mark.parametrize("route", OWN_WRITE_ROUTES, ids=[r.id for r in OWN_WRITE_ROUTES])
def test_member_writing_for_themselves_is_let_through(client, registry, member, route):
    # given a member of network A and a write a member may do for themselves
    plan = _plan(route, registry)
    headers = _bearer(member)
    # when the member writes
    response = _call(client, route, plan, **headers)
    # then it succeeds
    assert response.status_code == MEMBER_OWN_WRITES[route.id], response.content


def test_the_member_s_own_writes_exist():
    # the exemptions name real routes (a renamed route must not escape the 403 check)
    assert {r.id for r in OWN_WRITE_ROUTES} == set(MEMBER_OWN_WRITES)
    assert {r.id for r in COORDINATION_READ_ROUTES} == COORDINATION_READS


@pytest.mark.parametrize(
    "route", COORDINATION_READ_ROUTES, ids=[r.id for r in COORDINATION_READ_ROUTES]
)
def test_member_reading_what_only_the_coordination_office_reads_gets_403(
    client, registry, member, route
):
    # given a member of network A
    plan = _plan(route, registry)
    headers = _bearer(member)
    # when the member reads
    response = _call(client, route, plan, **headers)
    # then 403 in the error format
    assert response.status_code == 403, response.content
    assert response.json() == {
        "code": "forbidden",
        "message": NO_RIGHT,
        "field_errors": None,
        "details": None,
    }


@pytest.mark.parametrize("route", READ_ROUTES, ids=[r.id for r in READ_ROUTES])
def test_member_reading_gets_200(client, registry, member, route):
    # given a member of network A
    plan = _plan(route, registry)
    headers = _bearer(member)
    # when the member reads
    response = _call(client, route, plan, **headers)
    # then 200
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("route", NETWORK_ROUTES, ids=[r.id for r in NETWORK_ROUTES])
def test_coordination_office_is_let_through(client, registry, coordinator, route):
    # given the coordination office of network A and the minimal body
    plan = _plan(route, registry)
    headers = _bearer(coordinator)
    # when it calls the route
    response = _call(client, route, plan, **headers)
    # then it passes the permission gate: a success, or at most a rule of the domain (422)
    assert response.status_code in (200, 201, 422), response.content
    if response.status_code == 422:
        assert response.json()["code"] in DOMAIN_CODES, response.content


@pytest.mark.parametrize("route", ME_ROUTES, ids=[r.id for r in ME_ROUTES])
def test_me_routes_answer_a_signed_in_user_without_role(client, registry, stranger, route):
    # given a signed-in account with no role in any network
    plan = plan_for(route, registry["ids"], _openapi())
    headers = _bearer(stranger)
    # when it calls its own routes
    response = _call(client, route, plan, **headers)
    # then it is authenticated (the random token id is simply not found; the password
    # change is refused at its field, as the walker cannot know the current password)
    if route.id in ME_NEEDS_THE_PASSWORD:
        assert response.status_code == 422, response.content
        assert list(response.json()["field_errors"]) == ["old_password"]
        return
    assert response.status_code in (200, 201, 404), response.content
    assert response.status_code != 404 or "{tid}" in route.path
