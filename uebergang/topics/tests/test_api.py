"""The JSON API of topics under /api/v1/networks/{network}/topics: the journey from
bringing a topic in to the advisory board's statements, who is refused what (403, 404, 409,
422 – each leaving the data as it was), malformed input (never a 500, always the error shape
`{"code", "message", "field_errors", "details"}`), the list's filters and its query count.

Requests are signed with a personal API token (as the meetings' API tests do); one test
goes through the browser session with its CSRF token."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from uebergang.accounts.services import api_token_create
from uebergang.bodies.tests.factories import make_body
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.topics import services
from uebergang.topics.models import Referral, Statement, Topic, TopicState
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

BASE = "/api/v1/networks/osterode"
DUE = datetime.date(2026, 3, 30)
ERROR_KEYS = {"code", "message", "field_errors", "details"}
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
INVALID = "Die Eingabe ist ungültig."
STALE = (
    "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
    "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
)
TOPIC_KEYS = {
    "id",
    "title",
    "description",
    "reason",
    "topic_area",
    "topic_area_label",
    "desired_date",
    "confidential",
    "state",
    "state_since",
    "state_label",
    "paused_at",
    "body",
    "body_name",
    "origin",
    "opened_by",
    "on_behalf",
    "end_note",
    "round",
    "outcome",
    "outcome_label",
    "version",
}


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    return make_topic_world(network, make_user)


class Api:
    """A client that signs every request with the user's personal API token."""

    def __init__(self, user: Any, base: str = BASE) -> None:
        _token, secret = api_token_create(actor=user, name="Tests")
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        self.base = base

    def get(self, path: str, **query: Any):
        return self.client.get(self.base + path, query, **self.headers)

    def raw(self, method: str, path: str, data: str):
        return getattr(self.client, method)(
            self.base + path, data, content_type="application/json", **self.headers
        )

    def send(self, method: str, path: str, body: Any = None):
        return self.raw(method, path, json.dumps({} if body is None else body, default=str))

    def post(self, path: str, body: Any = None):
        return self.send("post", path, body)

    def patch(self, path: str, body: Any):
        return self.send("patch", path, body)

    def put(self, path: str, body: Any):
        return self.send("put", path, body)


@pytest.fixture
def office(coordinator) -> Api:
    return Api(coordinator)


def error(response, status: int, code: str | None = None) -> dict[str, Any]:
    """The error JSON of the response, checked for its status and its four keys."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def field_errors(response) -> dict[str, list[str]]:
    body = error(response, 422, "invalid")
    assert isinstance(body["field_errors"], dict) and body["field_errors"], body
    return body["field_errors"]


def state_of() -> list[tuple]:
    """Everything the topics' endpoints may write, to compare before and after a refusal."""
    return [
        list(Topic.objects.order_by("pk").values_list("pk", "title", "state", "version", "body")),
        list(Referral.objects.order_by("pk").values_list("pk", "closed_at")),
        list(Statement.objects.order_by("pk").values_list("pk", "text", "version")),
        HistoryEvent.objects.count(),
    ]


def t(topic) -> str:
    return f"/topics/{topic.public_id}"


# --- the journey -----------------------------------------------------------------------------


def test_the_whole_journey_through_the_api(world, office):
    dieter, anna = Api(world.u_dieter), Api(world.u_anna)
    # Dieter, member of the decision board, brings a topic in
    response = dieter.post(
        "/topics",
        {
            "title": "Elternabende zur Berufsorientierung",
            "board": str(world.board.public_id),
            "description": "In allen Oberschulen.",
            "reason": "Wenig Eltern kommen.",
            "desired_date": "2026-06-30",
        },
    )
    assert response.status_code == 201, response.content
    opened = response.json()
    assert set(opened) == TOPIC_KEYS
    topic = Topic.objects.get()
    assert opened | {"state_since": None} == {
        "id": str(topic.public_id),
        "title": "Elternabende zur Berufsorientierung",
        "description": "In allen Oberschulen.",
        "reason": "Wenig Eltern kommen.",
        "topic_area": "",
        "topic_area_label": "",
        "desired_date": "2026-06-30",
        "confidential": False,
        "state": "board",
        "state_label": "beim Entscheidungsgremium",
        "state_since": None,
        "paused_at": None,
        "body": str(world.board.public_id),
        "body_name": "Entscheidungsgremium",
        "origin": str(world.board.public_id),
        "opened_by": str(world.dieter.public_id),
        "on_behalf": False,
        "end_note": "",
        "round": 1,
        "outcome": "",
        "outcome_label": "",
        "version": topic.version,
    }
    assert opened["state_since"].startswith("2026-03-02T")

    # the coordination office hands it to the advisory board, with a deadline
    response = office.post(
        f"{t(topic)}/refer-advisory-board",
        {"due_date": "2026-03-30", "note": "Bitte bis Ende März.", "version": opened["version"]},
    )
    assert response.status_code == 201, response.content
    referral = response.json()
    assert referral["number"] == 1
    assert referral["from_body"] == str(world.board.public_id)
    assert referral["to_body"] == str(world.body.public_id)
    assert referral["to_body_name"] == "Beirat"
    assert referral["role"] == "statements"
    assert referral["due_date"] == "2026-03-30"
    assert referral["note"] == "Bitte bis Ende März."
    assert referral["closed_at"] is None
    assert (
        referral["snapshot_title"],
        referral["snapshot_description"],
        referral["snapshot_reason"],
    ) == ("Elternabende zur Berufsorientierung", "In allen Oberschulen.", "Wenig Eltern kommen.")
    topic.refresh_from_db()
    assert (topic.state, topic.body) == (TopicState.STATEMENTS, world.body)

    # Anna gives her IHK seat's statement
    seat_path = f"{t(topic)}/body-seats/{world.ihk_seat.public_id}/statement"
    response = anna.put(seat_path, {"text": "Die IHK bringt Ausbildungsbotschafter mit."})
    assert response.status_code == 200, response.content
    statement = response.json()
    assert statement["seat"] == str(world.ihk_seat.public_id)
    assert statement["text"] == "Die IHK bringt Ausbildungsbotschafter mit."
    assert statement["author"] == str(world.anna.public_id)
    assert statement["by_office"] is False

    # the topic shows the statement, and per caller which seats they may write
    def detail(api: Api) -> dict[str, Any]:
        response = api.get(t(topic))
        assert response.status_code == 200, response.content
        return response.json()

    seen = detail(anna)
    assert seen["state"] == "statements"
    assert seen["possible"] == [
        "statement",
        "refer_working_group",
        "skip_working_groups",
        "pause",
        "withdraw",
    ]
    assert len(seen["referrals"]) == 1
    assert seen["referrals"][0]["snapshot_title"] == "Elternabende zur Berufsorientierung"
    assert [(s["seat"], s["text"]) for s in seen["referrals"][0]["statements"]] == [
        (str(world.ihk_seat.public_id), "Die IHK bringt Ausbildungsbotschafter mit.")
    ]
    seats = {s["seat"]: s for s in seen["seats"]}
    all_seats = {
        str(s.public_id)
        for s in (world.ihk_seat, world.agentur_seat, world.schools_seat, world.jugend_seat)
    }
    assert set(seats) == all_seats
    assert {k for k, s in seats.items() if s["given"]} == {str(world.ihk_seat.public_id)}
    assert {k for k, s in seats.items() if s["may_write"]} == {str(world.ihk_seat.public_id)}
    assert {s["seat"] for s in detail(office)["seats"] if s["may_write"]} == all_seats
    assert [s for s in detail(dieter)["seats"] if s["may_write"]] == []

    # a second PUT without the version is refused: someone may have written meanwhile
    before = state_of()
    body = error(anna.put(seat_path, {"text": "Überschrieben?"}), 409, "conflict")
    assert body["field_errors"] is None
    assert state_of() == before
    # with the version read, it changes
    response = anna.put(
        seat_path, {"text": "Die IHK bringt zwei Botschafter mit.", "version": statement["version"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "Die IHK bringt zwei Botschafter mit."
    assert response.json()["version"] == statement["version"] + 1
    assert Statement.objects.get().text == "Die IHK bringt zwei Botschafter mit."
    # and the frozen hand-over still shows what was handed over
    assert detail(office)["referrals"][0]["snapshot_description"] == "In allen Oberschulen."


def test_the_office_opens_on_behalf_of_the_only_decision_board(world, office):
    response = office.post("/topics", {"title": "  Praktikumsbörse   2026 "})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Praktikumsbörse 2026"
    assert (data["body"], data["on_behalf"], data["opened_by"]) == (
        str(world.board.public_id),
        True,
        None,
    )


def test_a_session_needs_the_csrf_token_to_write(world):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world.u_dieter)
    path = f"{BASE}/topics"
    payload = json.dumps({"title": "Über die Sitzung"})
    body = error(client.post(path, payload, content_type="application/json"), 403, "forbidden")
    assert "CSRF" in body["message"]
    assert Topic.objects.count() == 0
    client.cookies["csrftoken"] = "c" * 32
    response = client.post(
        path, payload, content_type="application/json", HTTP_X_CSRFTOKEN="c" * 32
    )
    assert response.status_code == 201, response.content
    assert client.get(path).json()["count"] == 1


# --- refusals --------------------------------------------------------------------------------


def test_anna_may_not_open_a_topic_nor_write_for_another_seat(world):
    anna = Api(world.u_anna)
    before = state_of()
    body = error(anna.post("/topics", {"title": "Von Anna"}), 403, "forbidden")
    assert body["field_errors"] is None and body["details"] is None
    body = error(
        anna.post("/topics", {"title": "Von Anna", "board": str(world.board.public_id)}),
        403,
        "forbidden",
    )
    assert state_of() == before
    # after the hand-over: her seat yes, the Agentur's seat no
    topic = open_topic(world)
    refer(world, topic, due=DUE)
    before = state_of()
    path = f"{t(topic)}/body-seats/{world.agentur_seat.public_id}/statement"
    error(anna.put(path, {"text": "Für die Agentur"}), 403, "forbidden")
    assert state_of() == before


def test_a_member_in_no_body_sees_no_topic(world, member):
    topic = open_topic(world)
    nobody = Api(member)
    body = error(nobody.get(t(topic)), 403, "forbidden")
    assert body["message"] == (
        "Dieses Thema sehen die Koordinierungsstelle und die Gremien, die es bearbeitet haben."
    )
    response = nobody.get("/topics", show="alle")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "limit": 50, "offset": 0, "items": []}
    before = state_of()
    error(nobody.post("/topics", {"title": "Ohne Gremium"}), 403, "forbidden")
    error(nobody.patch(t(topic), {"title": "Geändert"}), 403, "forbidden")
    assert state_of() == before


def test_another_networks_office_gets_404(world, outsider):
    topic = open_topic(world)
    other = Api(outsider)
    own = Api(outsider, "/api/v1/networks/anderswo")
    before = state_of()
    for response in (
        other.get("/topics"),
        other.get(t(topic)),
        other.patch(t(topic), {"title": "Fremd"}),
        other.post(f"{t(topic)}/refer-advisory-board", {"due_date": "2026-03-30"}),
        other.post(f"{t(topic)}/withdraw", {"note": "Fremd"}),
    ):
        body = error(response, 404, "not_found")
        assert body["message"] == "Dieses Netzwerk gibt es nicht."
    # nor does its own network's address find the topic
    error(own.get(t(topic)), 404, "not_found")
    assert state_of() == before


def test_a_member_may_not_manage_the_journey(world):
    topic = open_topic(world)
    dieter = Api(world.u_dieter)
    before = state_of()
    error(dieter.post(f"{t(topic)}/refer-advisory-board", {"due_date": "2026-03-30"}), 403)
    error(dieter.post(f"{t(topic)}/pause", {}), 403, "forbidden")
    error(dieter.post(f"{t(topic)}/withdraw", {"note": "Erledigt"}), 403, "forbidden")
    assert state_of() == before


def test_a_stale_version_is_refused_with_the_current_topic(world, office):
    topic = open_topic(world)
    stale = topic.version
    services.topic_update(
        actor=SYSTEM, topic=topic, expected_version=None, data={"title": "Neuer Titel"}
    )
    topic.refresh_from_db()
    before = state_of()
    for response in (
        office.patch(t(topic), {"title": "Meiner", "version": stale}),
        office.post(
            f"{t(topic)}/refer-advisory-board", {"due_date": "2026-03-30", "version": stale}
        ),
        office.post(f"{t(topic)}/withdraw", {"note": "Erledigt", "version": stale}),
    ):
        body = error(response, 409, "conflict")
        assert body["message"] == STALE
        current = body["details"]["current"]
        assert current["title"] == "Neuer Titel"
        assert current["version"] == topic.version
        assert current["state"] == "board"
        assert set(current) == TOPIC_KEYS
    assert state_of() == before
    # with the current version it goes through
    response = office.patch(t(topic), {"title": "Meiner", "version": topic.version})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Meiner"


def test_illegal_moves_name_what_is_possible(world, office):
    topic = open_topic(world)
    refer(world, topic, due=DUE)
    before = state_of()
    body = error(
        office.post(f"{t(topic)}/refer-advisory-board", {"due_date": "2026-03-30"}),
        422,
        "invalid_transition",
    )
    assert body["message"] == (
        "„an den Beirat weitergeben“ ist im Stand „Stellungnahmen im Beirat“ nicht möglich. "
        "Möglich ist: Stellungnahme abgeben, an ein Arbeitsgremium weitergeben, "
        "ohne Arbeitsgremium zur Empfehlung, pausieren, zurückziehen."
    )
    body = error(office.patch(t(topic), {"title": "Später"}), 422, "invalid_transition")
    assert body["message"].startswith("„Thema bearbeiten“ ist im Stand „Stellungnahmen im Beirat“")
    assert (
        "Möglich ist: Stellungnahme abgeben, an ein Arbeitsgremium weitergeben, "
        "ohne Arbeitsgremium zur Empfehlung, pausieren, zurückziehen."
    ) in body["message"]
    body = error(office.post(f"{t(topic)}/resume", {}), 422, "invalid_transition")
    assert "Möglich ist:" in body["message"]
    assert state_of() == before
    # a withdrawn topic is closed
    office.post(f"{t(topic)}/withdraw", {"note": "Hat sich erledigt."})
    body = error(office.post(f"{t(topic)}/pause", {}), 422, "invalid_transition")
    assert body["message"].endswith("Das Thema ist abgeschlossen.")


def test_a_statement_before_the_hand_over_is_an_illegal_move(world):
    topic = open_topic(world)
    anna = Api(world.u_anna)
    before = state_of()
    path = f"{t(topic)}/body-seats/{world.ihk_seat.public_id}/statement"
    body = error(anna.put(path, {"text": "Zu früh"}), 422, "invalid_transition")
    assert "„Stellungnahme abgeben“" in body["message"]
    assert state_of() == before


def test_withdraw_needs_a_reason(world, office):
    topic = open_topic(world)
    before = state_of()
    assert field_errors(office.post(f"{t(topic)}/withdraw", {})) == {"note": ["Dieses Feld fehlt."]}
    assert field_errors(office.post(f"{t(topic)}/withdraw", {"note": "   "})) == {
        "note": ["Bitte geben Sie an, warum das Thema zurückgezogen wird."]
    }
    assert state_of() == before
    response = office.post(f"{t(topic)}/withdraw", {"note": "Erledigt."})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["end_note"]) == ("withdrawn", "Erledigt.")


# --- malformed input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": 123}, "title", "Bitte einen Text angeben."),
        (
            {"title": "T", "confidential": "vielleicht"},
            "confidential",
            "Bitte true oder false angeben.",
        ),
        ({"title": "T", "topic_area": "z"}, "topic_area", None),
        ({"title": "T", "desired_date": "2026-13-45"}, "desired_date", None),
        ({"title": "T", "desired_date": "0001-01-01"}, "desired_date", None),
        ({"title": "T", "board": "kein-uuid"}, "board", "Bitte eine gültige ID (UUID) angeben."),
        ({"title": "T", "board": 7}, "board", None),
        ({"title": "x" * 201}, "title", "Höchstens 200 Zeichen."),
        ({"title": "   "}, "title", "Bitte geben Sie einen Titel an."),
        ({"title": "T\u0000"}, "title", None),
        ({}, "title", "Dieses Feld fehlt."),
    ],
)
def test_malformed_topics_are_refused_with_the_error_shape(world, office, payload, field, message):
    before = state_of()
    errors = field_errors(office.post("/topics", payload))
    assert field in errors, errors
    if message is not None:
        assert errors[field] == [message]
    assert state_of() == before


def test_a_board_elsewhere_or_of_the_wrong_kind_names_the_field_board(world, office, other_network):
    elsewhere = make_body(other_network, "Fremdes Gremium", "decision_board")
    before = state_of()
    errors = field_errors(office.post("/topics", {"title": "T", "board": str(elsewhere.public_id)}))
    assert errors == {"board": [f"Gremium {elsewhere.public_id} gibt es in diesem Netzwerk nicht."]}
    errors = field_errors(office.post("/topics", {"title": "T", "board": str(uuid.uuid4())}))
    assert list(errors) == ["board"]
    # the advisory board brings no topics in
    errors = field_errors(
        office.post("/topics", {"title": "T", "board": str(world.body.public_id)})
    )
    assert list(errors) == ["board"]
    assert state_of() == before


@pytest.mark.parametrize(
    "data",
    [
        "{",
        "nicht json",
        '{"title": "T",}',
        "[1, 2]",
        "null",
        "",
        '"text"',  # a JSON string once became a topic titled "Text" (str.title)
    ],
)
def test_a_body_that_is_no_json_object_is_refused(world, office, data):
    before = state_of()
    body = error(office.raw("post", "/topics", data), 422, "invalid")
    assert body["field_errors"]
    assert state_of() == before


def test_malformed_hand_overs_patches_and_statements(world, office):
    topic = open_topic(world)
    refer_path = f"{t(topic)}/refer-advisory-board"
    before = state_of()
    assert "due_date" in field_errors(office.post(refer_path, {}))
    assert "due_date" in field_errors(office.post(refer_path, {"due_date": "2026-13-45"}))
    assert "due_date" in field_errors(office.post(refer_path, {"due_date": "morgen"}))
    [late] = field_errors(office.post(refer_path, {"due_date": "2026-03-01"}))["due_date"]
    assert late.startswith("Die Frist darf nicht vor heute (")
    assert "advisory_board" in field_errors(
        office.post(refer_path, {"due_date": "2026-03-30", "advisory_board": "x"})
    )
    assert "advisory_board" in field_errors(
        office.post(
            refer_path, {"due_date": "2026-03-30", "advisory_board": str(world.board.public_id)}
        )
    )
    assert "version" in field_errors(
        office.post(refer_path, {"due_date": "2026-03-30", "version": -1})
    )
    assert "version" in field_errors(
        office.post(refer_path, {"due_date": "2026-03-30", "version": 2**40})
    )
    assert "version" in field_errors(office.patch(t(topic), {"version": "eins"}))
    assert "topic_area" in field_errors(office.patch(t(topic), {"topic_area": "z"}))
    assert "title" in field_errors(office.patch(t(topic), {"title": "y" * 201}))
    assert "desired_date" in field_errors(office.patch(t(topic), {"desired_date": "2026-02-30"}))
    error(office.raw("patch", t(topic), "{kaputt"), 422, "invalid")
    # path ids that are no UUID
    assert "tid" in field_errors(office.get("/topics/kein-uuid"))
    assert "bsid" in field_errors(office.put(f"{t(topic)}/body-seats/123/statement", {"text": "T"}))
    error(office.get(f"/topics/{uuid.uuid4()}"), 404, "not_found")
    assert state_of() == before

    refer(world, topic, due=DUE)
    seat_path = f"{t(topic)}/body-seats/{world.ihk_seat.public_id}/statement"
    before = state_of()
    assert field_errors(office.put(seat_path, {})) == {"text": ["Dieses Feld fehlt."]}
    assert "text" in field_errors(office.put(seat_path, {"text": ["eine", "Liste"]}))
    assert field_errors(office.put(seat_path, {"text": "  "})) == {
        "text": ["Bitte schreiben Sie die Stellungnahme."]
    }
    # a seat of the decision board gives no statement to the advisory board
    kreis_path = f"{t(topic)}/body-seats/{world.kreis_seat.public_id}/statement"
    assert list(field_errors(office.put(kreis_path, {"text": "T"}))) == ["seat"]
    error(office.put(f"{t(topic)}/body-seats/{uuid.uuid4()}/statement", {"text": "T"}), 404)
    assert state_of() == before


# --- the list --------------------------------------------------------------------------------


def _titles(api: Api, **query: Any) -> list[str]:
    response = api.get("/topics", **query)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == len(data["items"])
    return [item["title"] for item in data["items"]]


def _four_topics(world, **areas: str) -> None:
    """Topics moved a week apart: "Elternarbeit" (open), "Gender" (handed over, the
    newest move), "Erledigt" (withdrawn), "Ruht" (paused)."""
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0), tick=False):
        open_topic(world, "Elternarbeit", topic_area=areas.get("parents", ""))
    with time_machine.travel(datetime.datetime(2026, 2, 9, 9, 0), tick=False):
        gender = open_topic(world, "Gender", topic_area=areas.get("gender", ""))
        resting = open_topic(world, "Ruht")
        services.topic_pause(actor=SYSTEM, topic=resting, expected_version=None)
    with time_machine.travel(datetime.datetime(2026, 2, 16, 9, 0), tick=False):
        done = open_topic(world, "Erledigt", topic_area=areas.get("done", ""))
        services.topic_withdraw(actor=SYSTEM, topic=done, expected_version=None, note="Fertig.")
    with time_machine.travel(datetime.datetime(2026, 2, 23, 9, 0), tick=False):
        refer(world, gender, due=DUE)


def test_the_list_filters_by_show(world, office):
    _four_topics(world)
    # newest move first; the open ones (paused included) by default
    assert _titles(office) == ["Gender", "Ruht", "Elternarbeit"]
    assert _titles(office, show="offen") == ["Gender", "Ruht", "Elternarbeit"]
    assert _titles(office, show="pausiert") == ["Ruht"]
    assert _titles(office, show="abgeschlossen") == ["Erledigt"]
    assert _titles(office, show="alle") == ["Gender", "Erledigt", "Ruht", "Elternarbeit"]
    assert _titles(office, show="alle", topic_area="a") == []
    # Anna (advisory board) sees only what was handed to her board
    assert _titles(Api(world.u_anna), show="alle") == ["Gender"]
    # unknown filter values are refused, not ignored
    assert "show" in field_errors(office.get("/topics", show="bald"))
    assert "topic_area" in field_errors(office.get("/topics", topic_area="z"))
    # paging
    page = office.get("/topics", show="alle", limit=1, offset=1).json()
    assert (page["count"], page["limit"], page["offset"]) == (4, 1, 1)
    assert [i["title"] for i in page["items"]] == ["Erledigt"]


def test_the_list_filters_by_topic_area(world, office):
    _four_topics(world, parents="i", gender="f", done="i")
    assert _titles(office, topic_area="i") == ["Elternarbeit"]
    assert _titles(office, show="alle", topic_area="i") == ["Erledigt", "Elternarbeit"]
    assert _titles(office, show="alle", topic_area="f") == ["Gender"]


def test_a_topic_with_a_topic_area_is_answered(world, office):
    response = office.post("/topics", {"title": "Elternabende", "topic_area": "i"})
    assert response.status_code == 201, response.content
    assert response.json()["topic_area_label"] == "i. Elternarbeit"
    topic = Topic.objects.get()
    assert office.get(t(topic)).json()["topic_area"] == "i"
    response = office.patch(t(topic), {"topic_area": "f", "version": topic.version})
    assert response.status_code == 200, response.content
    assert response.json()["topic_area_label"] == "f. Gender"


def _many(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        topic = open_topic(world, f"Thema {i}")
        if i % 2:
            refer(world, topic, due=DUE)
            services.statement_save(
                actor=SYSTEM, topic=topic, seat=world.ihk_seat, text=f"Stellungnahme {i}"
            )


def _queries(api: Api, **query: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("/topics", **query)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["office", "anna", "dieter"])
def test_the_list_needs_as_many_queries_for_40_topics_as_for_5(world, coordinator, who):
    api = Api({"office": coordinator, "anna": world.u_anna, "dieter": world.u_dieter}[who])
    _many(world, 5)
    api.get("/topics")  # the first use in 5 minutes writes the token's last use
    few = _queries(api, show="alle", limit=200)
    count_few = api.get("/topics", show="alle").json()["count"]
    _many(world, 35, start=5)
    many = _queries(api, show="alle", limit=200)
    count_many = api.get("/topics", show="alle").json()["count"]
    assert count_many > count_few > 0
    assert many == few


@pytest.mark.parametrize("field", ["title", "confidential"])
def test_a_patch_cannot_set_title_or_confidentiality_to_null(world, office, field):
    response = office.post("/topics", {"title": "Elternabende", "confidential": True})
    topic = Topic.objects.get()
    before = state_of()
    body = error(office.patch(t(topic), {field: None, "version": topic.version}), 422, "invalid")
    assert field in str(body["field_errors"])
    assert state_of() == before
    assert response.status_code == 201
