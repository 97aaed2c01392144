"""The JSON API of meetings, endpoint by endpoint: as the coordination office (and, where
they may, as a member sitting in the body) with a personal API token – what each answers,
what it changes and records in the history, and how it refuses bad input (422 with German
field messages), members writing (403), records of another network (404) and stale versions
(409 with the current state). The permission matrix of every route is generated in
`uebergang/core/tests/test_api_routes.py`; the query counts of the lists are in
`test_api_queries.py`."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from config.api import api as ninja_api
from uebergang.accounts.services import api_token_create
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesCorrection,
    NetworkDay,
    Registration,
)
from uebergang.networks.tests.factories import make_person

from .factories import (
    DOCX,
    PDF,
    at,
    days_from_today,
    link_user,
    make_board,
    make_body,
    make_held_meeting,
    make_invited_meeting,
    make_meeting,
    make_network_day,
    upload,
)

BASE = "/api/v1/networks/osterode"
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
INVALID = "Die Eingabe ist ungültig."
MISSING = "Dieses Feld fehlt."
STALE = (
    "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
    "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
)
NO_MEETING = "Diese Sitzung sehen nur die Mitglieder des Gremiums und die Koordinierungsstelle."


class Api:
    """A client that signs every request with the user's personal API token."""

    def __init__(self, user: Any, base: str = BASE) -> None:
        _token, secret = api_token_create(actor=user, name="Tests")
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        self.base = base

    def get(self, path: str, **query: Any):
        return self.client.get(self.base + path, query, **self.headers)

    def _send(self, method: str, path: str, body: Any):
        return getattr(self.client, method)(
            self.base + path,
            json.dumps(body, default=str),
            content_type="application/json",
            **self.headers,
        )

    def post(self, path: str, body: Any = None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path: str, body: Any):
        return self._send("patch", path, body)

    def put(self, path: str, body: Any):
        return self._send("put", path, body)

    def delete(self, path: str):
        return self.client.delete(self.base + path, **self.headers)

    def upload(self, path: str, file: Any, **fields: Any):
        return self.client.post(self.base + path, {"file": file, **fields}, **self.headers)


@pytest.fixture
def api(coordinator) -> Api:
    return Api(coordinator)


@pytest.fixture
def board(network, member):
    """The advisory board (see `make_board`); the member of the network is Anna Alt, who
    holds the IHK seat."""
    board = make_board(network)
    link_user(board.anna, member)
    return board


@pytest.fixture
def member_api(member, board) -> Api:
    return Api(member)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def history_count() -> int:
    return HistoryEvent.objects.count()


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


def field_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return body["field_errors"]


# --- meetings --------------------------------------------------------------------------------


def test_create_a_meeting(api, board):
    # given a day in the body's lifetime, times with offset
    before = history_count()
    # when the coordination office creates a meeting
    response = api.post(
        "/meetings",
        {
            "body": str(board.body.public_id),
            "title": "  Beiratssitzung Herbst  ",
            "starts_at": "2030-10-01T16:00:00+02:00",
            "ends_at": "2030-10-01T18:00:00+02:00",
            "place": "Kreishaus Osterode",
            "online_url": "https://meet.example.org/beirat",
        },
    )
    # then it is planned, with the title trimmed, the times kept and the creation recorded
    assert response.status_code == 201, response.content
    data = response.json()
    meeting = Meeting.objects.get(public_id=data["id"])
    assert data["title"] == meeting.title == "Beiratssitzung Herbst"
    assert data["body"] == str(board.body.public_id)
    assert data["body_name"] == "Beirat"
    assert data["state"] == "planned"
    assert data["state_label"] == "geplant"
    assert data["version"] == meeting.version
    assert meeting.starts_at == at(datetime.date(2030, 10, 1), 16)
    assert history_count() == before + 1


def test_creating_a_meeting_with_bad_input_names_the_fields_in_german(api, board, other_network):
    base = {
        "body": str(board.body.public_id),
        "title": "Sitzung",
        "starts_at": "2030-10-01T16:00:00+02:00",
        "ends_at": "2030-10-01T18:00:00+02:00",
    }
    rows = Meeting.objects.count()
    # missing title, unparsable time
    errors = field_errors(api.post("/meetings", {**base, "title": None, "starts_at": "morgen"}))
    assert errors["starts_at"] == ["Bitte Datum und Uhrzeit nach ISO 8601 mit Zeitzone angeben."]
    assert "title" in errors
    errors = field_errors(api.post("/meetings", {k: v for k, v in base.items() if k != "title"}))
    assert errors == {"title": [MISSING]}
    # the end before the start
    errors = field_errors(api.post("/meetings", {**base, "ends_at": "2030-10-01T15:00:00+02:00"}))
    assert errors == {"ends_at": ["Das Ende muss nach dem Beginn liegen."]}
    # a time without offset
    errors = field_errors(api.post("/meetings", {**base, "starts_at": "2030-10-01T16:00:00"}))
    assert errors == {"starts_at": ["Bitte geben Sie die Zeit mit Zeitzone an."]}
    # a body of another network
    foreign = make_body(other_network, "Beirat Anderswo")
    errors = field_errors(api.post("/meetings", {**base, "body": str(foreign.public_id)}))
    assert list(errors) == ["body"]
    assert "gibt es in diesem Netzwerk nicht" in errors["body"][0]
    # a blank title
    errors = field_errors(api.post("/meetings", {**base, "title": "   "}))
    assert errors == {"title": ["Bitte geben Sie einen Titel an."]}
    # then nothing was created
    assert Meeting.objects.count() == rows


def test_a_member_cannot_create_a_meeting(member_api, board):
    before = history_count()
    response = member_api.post(
        "/meetings",
        {
            "body": str(board.body.public_id),
            "title": "Sitzung",
            "starts_at": "2030-10-01T16:00:00+02:00",
            "ends_at": "2030-10-01T18:00:00+02:00",
        },
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": NO_RIGHT,
        "field_errors": None,
        "details": None,
    }
    assert Meeting.objects.count() == 0
    assert history_count() == before


def test_the_meeting_list_filters_and_counts_agenda_items(api, board, network):
    # given a past meeting, a planned one, a cancelled one and one of another body
    past = make_held_meeting(board, day=datetime.date(2024, 5, 6))
    upcoming = make_meeting(board.body, items=("Eins", "Zwei", "Drei"))
    cancelled = make_meeting(board.body, day=days_from_today(40), items=())
    services.meeting_cancel(actor=SYSTEM, meeting=cancelled)
    group = make_body(network, "Elternarbeit", "working_group")
    other = make_meeting(group, day=days_from_today(50))
    # when listed
    everything = api.get("/meetings").json()
    # then all, the latest first, with their item counts
    assert everything["count"] == 4
    assert [m["id"] for m in everything["items"]] == [
        str(m.public_id) for m in (other, cancelled, upcoming, past)
    ]
    counts = {m["id"]: m["item_count"] for m in everything["items"]}
    assert counts[str(upcoming.public_id)] == 3
    assert counts[str(cancelled.public_id)] == 0
    # and the filters work
    ids = lambda **q: [m["id"] for m in api.get("/meetings", **q).json()["items"]]  # noqa: E731
    assert ids(upcoming="true") == [str(m.public_id) for m in (upcoming, cancelled, other)]
    assert ids(upcoming="false") == [str(past.public_id)]
    assert ids(state="cancelled") == [str(cancelled.public_id)]
    assert ids(year=2024) == [str(past.public_id)]
    assert ids(body=str(group.public_id)) == [str(other.public_id)]
    assert api.get("/meetings", limit=1, offset=1).json()["items"][0]["id"] == str(
        cancelled.public_id
    )
    # a bad filter is a German 422
    assert field_errors(api.get("/meetings", state="vertagt"))["state"][0].startswith(
        "Ungültiger Wert"
    )
    assert field_errors(api.get("/meetings", year="letztes"))["year"] == [
        "Bitte eine ganze Zahl angeben."
    ]


def test_members_see_only_the_meetings_of_bodies_they_sit_in(member_api, board, network):
    # given a meeting of the member's board and one of a body they are not in
    own = make_meeting(board.body)
    group = make_body(network, "Elternarbeit", "working_group")
    foreign = make_meeting(group)
    # when the member lists meetings
    listed = member_api.get("/meetings").json()
    # then only their board's
    assert [m["id"] for m in listed["items"]] == [str(own.public_id)]
    # and the other body's meetings, list and detail, are refused
    assert member_api.get(f"/bodies/{group.public_id}/meetings").status_code == 403
    assert member_api.get("/meetings", body=str(group.public_id)).status_code == 403
    response = member_api.get(f"/meetings/{foreign.public_id}")
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": NO_MEETING,
        "field_errors": None,
        "details": None,
    }
    assert member_api.get(f"/meetings/{foreign.public_id}/documents").status_code == 403
    assert member_api.get(f"/meetings/{foreign.public_id}/invitations").status_code == 403
    # while their own body's list answers
    body_list = member_api.get(f"/bodies/{board.body.public_id}/meetings").json()
    assert [m["id"] for m in body_list["items"]] == [str(own.public_id)]


def test_the_body_meeting_list(api, board, network):
    first = make_meeting(board.body, day=days_from_today(10))
    second = make_meeting(board.body, day=days_from_today(20))
    make_meeting(make_body(network, "Elternarbeit", "working_group"))
    response = api.get(f"/bodies/{board.body.public_id}/meetings", upcoming="true")
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["items"]] == [
        str(first.public_id),
        str(second.public_id),
    ]


def test_records_of_another_network_are_not_found(api, other_network):
    # given a meeting of another network
    foreign_board = make_board(other_network)
    meeting = make_meeting(foreign_board.body)
    # when the coordination office of osterode addresses it under its own network
    for path in (
        f"/meetings/{meeting.public_id}",
        f"/meetings/{meeting.public_id}/documents",
        f"/meetings/{meeting.public_id}/invitations",
        f"/bodies/{foreign_board.body.public_id}/meetings",
    ):
        response = api.get(path)
        # then it does not exist
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert api.patch(f"/meetings/{meeting.public_id}", {"version": 1}).status_code == 404


def test_the_meeting_detail(api, member_api, board, media):
    # given an invited meeting with a document on an item and one without, and a reply
    meeting = make_meeting(board.body)
    first = meeting.agenda_items.order_by("position").first()
    on_item = services.document_add(
        actor=SYSTEM, meeting=meeting, upload=upload("vorlage.pdf"), agenda_item=first
    )
    loose = services.document_add(
        actor=SYSTEM, meeting=meeting, upload=upload("anlage.docx", DOCX), title="Anlage"
    )
    services.meeting_invite(actor=SYSTEM, meeting=meeting)
    anna = Invitation.objects.get(meeting=meeting, person=board.anna)
    services.invitation_reply(actor=SYSTEM, invitation=anna, reply="attend")
    # when the coordination office reads it
    data = api.get(f"/meetings/{meeting.public_id}").json()
    # then the agenda in order, the documents where they belong, the expected quorum
    assert [i["title"] for i in data["agenda_items"]] == [
        "Begrüßung und Tagesordnung",
        "Berichte aus den Schulen",
    ]
    assert [d["id"] for d in data["agenda_items"][0]["documents"]] == [str(on_item.public_id)]
    assert data["agenda_items"][1]["documents"] == []
    assert [d["id"] for d in data["documents"]] == [str(loose.public_id)]
    assert data["documents"][0]["file_name"] == "anlage.docx"
    assert data["state"] == "invited"
    assert data["minutes"] is None
    assert data["quorum"] == {
        "rule": "majority",
        "rule_label": board.body.quorum_label,
        "voting_seats": 3,
        "needed": 2,
        "present": 0,
        "expected": 1,
        "reached": False,
        "expected_reached": False,
    }
    assert data["own_invitation"] is None  # the coordination office is not invited
    # and the member sees their own invitation
    own = member_api.get(f"/meetings/{meeting.public_id}").json()["own_invitation"]
    assert own["id"] == str(anna.public_id)
    assert own["reply"] == "attend"


def test_patch_a_planned_meeting_sends_no_update(api, board):
    meeting = make_meeting(board.body)
    response = api.patch(
        f"/meetings/{meeting.public_id}", {"version": meeting.version, "place": "Rathaus"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["place"] == "Rathaus"
    assert response.json()["update_sent"] is False
    assert reload(meeting).place == "Rathaus"


def test_patch_of_an_invited_meeting_sends_an_update(api, board):
    # given an invited meeting
    meeting = make_invited_meeting(board)
    mail.outbox.clear()
    new_start = meeting.starts_at + datetime.timedelta(hours=1)
    new_end = meeting.ends_at + datetime.timedelta(hours=1)
    # when the time changes
    response = api.patch(
        f"/meetings/{meeting.public_id}",
        {"version": meeting.version, "starts_at": new_start, "ends_at": new_end},
    )
    # then an update goes out with a higher SEQUENCE
    assert response.status_code == 200, response.content
    assert response.json()["update_sent"] is True
    assert response.json()["sequence"] == meeting.sequence + 1
    # a change of the notes alone sends none
    response = api.patch(
        f"/meetings/{meeting.public_id}",
        {"version": response.json()["version"], "description": "Bitte pünktlich."},
    )
    assert response.json()["update_sent"] is False


def test_patch_with_a_stale_version_is_refused_with_the_current_state(api, board):
    meeting = make_meeting(board.body)
    api.patch(f"/meetings/{meeting.public_id}", {"version": meeting.version, "place": "Rathaus"})
    before = history_count()
    response = api.patch(
        f"/meetings/{meeting.public_id}", {"version": meeting.version, "place": "Kreishaus"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["message"] == STALE
    assert body["details"]["current"]["place"] == "Rathaus"
    assert body["details"]["current"]["version"] == reload(meeting).version
    assert reload(meeting).place == "Rathaus"
    assert history_count() == before


def test_patch_validation_and_member(api, member_api, board):
    meeting = make_meeting(board.body)
    errors = field_errors(api.patch(f"/meetings/{meeting.public_id}", {"place": "Rathaus"}))
    assert errors == {"version": [MISSING]}
    errors = field_errors(
        api.patch(
            f"/meetings/{meeting.public_id}",
            {"version": meeting.version, "ends_at": meeting.starts_at.isoformat()},
        )
    )
    assert errors == {"ends_at": ["Das Ende muss nach dem Beginn liegen."]}
    response = member_api.patch(
        f"/meetings/{meeting.public_id}", {"version": meeting.version, "place": "Rathaus"}
    )
    assert response.status_code == 403
    assert reload(meeting).place == meeting.place


def test_cancel_a_meeting(api, board):
    meeting = make_invited_meeting(board)
    response = api.post(f"/meetings/{meeting.public_id}/cancel", {"reason": "Krankheit"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "cancelled"
    assert response.json()["cancel_reason"] == "Krankheit"
    assert response.json()["sequence"] == meeting.sequence + 1
    # a second cancellation is a rule of the domain
    response = api.post(f"/meetings/{meeting.public_id}/cancel", {})
    assert response.status_code == 422
    assert response.json()["code"] == "meeting_closed"


# --- agenda ----------------------------------------------------------------------------------


def test_agenda_items_add_change_move_remove(api, board):
    meeting = make_meeting(board.body, items=("Begrüßung", "Berichte"))
    # add
    response = api.post(
        f"/meetings/{meeting.public_id}/agenda-items",
        {"title": "Verschiedenes", "public": False, "presenter": "Koordinierungsstelle"},
    )
    assert response.status_code == 201, response.content
    added = response.json()
    assert added["position"] == 3
    assert added["public"] is False
    assert added["meeting"] == str(meeting.public_id)
    # change
    response = api.patch(
        f"/agenda-items/{added['id']}", {"version": added["version"], "title": "Sonstiges"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Sonstiges"
    # stale
    response = api.patch(
        f"/agenda-items/{added['id']}", {"version": added["version"], "title": "X"}
    )
    assert response.status_code == 409
    assert response.json()["details"]["current"]["title"] == "Sonstiges"
    # move to the front
    response = api.post(f"/agenda-items/{added['id']}/move", {"position": 1})
    assert response.status_code == 200, response.content
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Sonstiges",
        "Begrüßung",
        "Berichte",
    ]
    errors = field_errors(api.post(f"/agenda-items/{added['id']}/move", {"position": 9}))
    assert errors == {"position": ["Bitte wählen Sie eine Nummer zwischen 1 und 3."]}
    # remove: the others close up
    response = api.delete(f"/agenda-items/{added['id']}")
    assert response.status_code == 200
    assert response.json() == {"id": added["id"], "deleted": True}
    assert list(meeting.agenda_items.order_by("position").values_list("position", "title")) == [
        (1, "Begrüßung"),
        (2, "Berichte"),
    ]
    assert api.delete(f"/agenda-items/{added['id']}").status_code == 404


def test_agenda_validation_and_member(api, member_api, board):
    meeting = make_meeting(board.body, items=("Begrüßung",))
    errors = field_errors(api.post(f"/meetings/{meeting.public_id}/agenda-items", {}))
    assert errors == {"title": [MISSING]}
    errors = field_errors(
        api.post(f"/meetings/{meeting.public_id}/agenda-items", {"title": "x" * 301})
    )
    assert errors == {"title": ["Höchstens 300 Zeichen."]}
    item = meeting.agenda_items.get()
    assert member_api.post(f"/agenda-items/{item.public_id}/move", {"position": 1}).status_code == (
        403
    )
    assert member_api.delete(f"/agenda-items/{item.public_id}").status_code == 403
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


# --- documents -------------------------------------------------------------------------------


def test_upload_list_download_and_remove_a_document(api, member_api, board, media):
    meeting = make_meeting(board.body)
    item = meeting.agenda_items.order_by("position").last()
    # upload
    response = api.upload(
        f"/meetings/{meeting.public_id}/documents",
        upload("Schulbericht 2030.pdf"),
        title="Bericht der Schulen",
        agenda_item=str(item.public_id),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Bericht der Schulen"
    assert data["file_name"] == "Schulbericht 2030.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(PDF)
    assert data["agenda_item"] == str(item.public_id)
    doc = Document.objects.get(public_id=data["id"])
    # stored under MEDIA_ROOT under a random name
    path = doc.file.path
    assert path.startswith(str(media))
    assert "Schulbericht" not in path
    # listed (metadata only)
    listed = api.get(f"/meetings/{meeting.public_id}/documents").json()
    assert [d["id"] for d in listed["items"]] == [data["id"]]
    # downloaded by a member of the body, as an attachment that is not sniffed
    response = member_api.get(f"/documents/{doc.public_id}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Schulbericht" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    # removed
    assert member_api.delete(f"/documents/{doc.public_id}").status_code == 403
    assert api.delete(f"/documents/{doc.public_id}").status_code == 200
    assert api.get(f"/meetings/{meeting.public_id}/documents").json()["count"] == 0
    assert api.get(f"/documents/{doc.public_id}/download").status_code == 404


def test_uploads_of_the_wrong_type_or_size_are_refused(api, board, media, settings):
    meeting = make_meeting(board.body)
    url = f"/meetings/{meeting.public_id}/documents"
    # a text file
    errors = field_errors(api.upload(url, upload("notiz.txt", b"Hallo", "text/plain")))
    assert errors["file"][0].startswith("Erlaubt sind PDF- und Office-Dateien")
    # a "PDF" that is none
    errors = field_errors(api.upload(url, upload("vorlage.pdf", b"<html>", "application/pdf")))
    assert errors == {"file": ["Der Inhalt der Datei passt nicht zur Endung „.pdf“."]}
    # too big
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    errors = field_errors(api.upload(url, upload("gross.pdf", PDF + b" " * (2 * 1024 * 1024))))
    assert errors == {"file": ["Die Datei ist zu groß (höchstens 2 MB)."]}
    # no file at all
    assert field_errors(api.client.post(BASE + url, {"title": "x"}, **api.headers)) == {
        "file": [MISSING]
    }
    # an agenda item of another meeting
    other = make_meeting(board.body, day=days_from_today(90))
    errors = field_errors(
        api.upload(url, upload("a.pdf"), agenda_item=str(other.agenda_items.first().public_id))
    )
    assert errors == {"agenda_item": ["Der Tagesordnungspunkt gehört nicht zu dieser Sitzung."]}
    # nothing stored
    assert Document.all_objects.count() == 0
    assert not (media / "documents").exists() or not any((media / "documents").rglob("*.*"))


def test_only_those_who_see_the_meeting_download(board, network, make_user, media):
    group = make_body(network, "Elternarbeit", "working_group")
    meeting = make_meeting(group)
    doc = services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("a.pdf"))
    member_api = Api(board.anna.user)
    response = member_api.get(f"/documents/{doc.public_id}/download")
    assert response.status_code == 403
    assert response.json()["message"] == NO_MEETING


# --- invitations and replies -----------------------------------------------------------------


def test_invite_reports_count_late_flag_and_period(api, board):
    meeting = make_meeting(board.body, day=days_from_today(5))
    response = api.post(f"/meetings/{meeting.public_id}/invite")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["sent"] == 9  # 7 people, 2 institutions for information
    assert data["late"] is True
    assert data["period_days"] == 14
    assert data["meeting"]["state"] == "invited"
    # in time
    timely = make_meeting(board.body, day=days_from_today(30))
    assert api.post(f"/meetings/{timely.public_id}/invite").json()["late"] is False
    # without agenda
    empty = make_meeting(board.body, day=days_from_today(40), items=())
    response = api.post(f"/meetings/{empty.public_id}/invite")
    assert response.status_code == 422
    assert response.json()["code"] == "agenda_missing"


def test_invitations_list_all_for_the_office_and_the_own_for_a_member(api, member_api, board):
    meeting = make_invited_meeting(board)
    everything = api.get(f"/meetings/{meeting.public_id}/invitations").json()
    assert everything["count"] == 9
    kinds = {i["kind"] for i in everything["items"]}
    assert kinds == {"invitee", "information"}
    dora = next(i for i in everything["items"] if i["name"] == str(board.dora))
    assert dora["delivery"] == "no_address"
    assert dora["reply"] == "none"
    own = member_api.get(f"/meetings/{meeting.public_id}/invitations").json()
    assert own["count"] == 1
    assert own["items"][0]["person"] == str(board.anna.public_id)


def test_replies_own_or_on_behalf(api, member_api, board):
    meeting = make_invited_meeting(board)
    anna = Invitation.objects.get(meeting=meeting, person=board.anna)
    emil = Invitation.objects.get(meeting=meeting, person=board.emil)
    # the member answers their own
    response = member_api.post(
        f"/invitations/{anna.public_id}/reply", {"reply": "substitute", "note": "Bernd kommt"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["reply"] == "substitute"
    assert response.json()["reply_note"] == "Bernd kommt"
    # but not another's
    response = member_api.post(f"/invitations/{emil.public_id}/reply", {"reply": "decline"})
    assert response.status_code == 403
    assert reload(emil).reply == "none"
    # the coordination office answers on behalf
    response = api.post(f"/invitations/{emil.public_id}/reply", {"reply": "decline"})
    assert response.json()["reply"] == "decline"
    # a substitute where there is none
    errors = field_errors(api.post(f"/invitations/{emil.public_id}/reply", {"reply": "substitute"}))
    assert errors == {"reply": ["Für diese Mitgliedschaft ist kein/e Vertreter/in eingetragen."]}
    # an unknown answer
    errors = field_errors(api.post(f"/invitations/{emil.public_id}/reply", {"reply": "vielleicht"}))
    assert errors["reply"] == ["Ungültiger Wert; erlaubt: 'attend', 'decline' oder 'substitute'."]
    # the expected quorum follows the replies
    quorum = api.get(f"/meetings/{meeting.public_id}").json()["quorum"]
    assert quorum["expected"] == 1


def test_resend_an_invitation(api, board):
    meeting = make_invited_meeting(board)
    dora = Invitation.objects.get(meeting=meeting, person=board.dora)
    board.dora.email = "dora.dietrich@example.org"
    board.dora.save(update_fields=["email"])
    response = api.post(f"/invitations/{dora.public_id}/resend")
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "dora.dietrich@example.org"
    assert reload(dora).email == "dora.dietrich@example.org"


# --- attendance ------------------------------------------------------------------------------


def test_attendance_and_quorum(api, member_api, board, other_network):
    meeting = make_invited_meeting(board, day=days_from_today(-1))
    url = f"/meetings/{meeting.public_id}/attendance"
    read = api.get(url).json()
    assert read["present"] == []
    assert read["quorum"]["present"] == 0
    assert {c["person_name"] for c in read["candidates"]} >= {str(board.anna), str(board.emil)}
    # record two voting members and a guest
    response = api.put(
        url,
        {
            "version": read["meeting_version"],
            "people": [str(p.public_id) for p in (board.anna, board.emil, board.dora)],
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert sorted(p["person_name"] for p in data["present"]) == sorted(
        str(p) for p in (board.anna, board.emil, board.dora)
    )
    assert data["quorum"]["present"] == 2
    assert data["quorum"]["reached"] is True
    assert reload(meeting).state == "held"
    # stale version: refused with the current list
    response = api.put(url, {"version": read["meeting_version"], "people": []})
    assert response.status_code == 409
    assert len(response.json()["details"]["current"]["present"]) == 3
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    # a person of another network
    stranger = make_person(other_network, "Fremd", "Person")
    errors = field_errors(
        api.put(url, {"version": data["meeting_version"], "people": [str(stranger.public_id)]})
    )
    assert list(errors) == ["people"]
    # members read, but do not write
    assert member_api.get(url).status_code == 200
    assert member_api.put(url, {"version": data["meeting_version"], "people": []}).status_code == (
        403
    )
    assert Attendance.objects.filter(meeting=meeting).count() == 3


def test_attendance_before_the_day_is_refused(api, board):
    meeting = make_invited_meeting(board)
    response = api.put(
        f"/meetings/{meeting.public_id}/attendance",
        {"version": meeting.version, "people": [str(board.anna.public_id)]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "too_early"
    errors = field_errors(api.put(f"/meetings/{meeting.public_id}/attendance", {"people": "x"}))
    assert set(errors) == {"people", "version"}


# --- minutes ---------------------------------------------------------------------------------


def _entries(meeting: Meeting, **texts: str) -> list[dict[str, str]]:
    item = meeting.agenda_items.order_by("position").first()
    return [{"agenda_item": str(item.public_id), **texts}]


def test_write_circulate_approve_and_correct_minutes(api, member_api, board):
    meeting = make_held_meeting(board, day=days_from_today(-60))
    url = f"/meetings/{meeting.public_id}/minutes"
    assert api.get(url).status_code == 404
    # first draft
    response = api.put(
        url,
        {
            "version": None,
            "opening": "Frau Funk eröffnet.",
            "entries": _entries(meeting, discussion="Aussprache"),
        },
    )
    assert response.status_code == 200, response.content
    draft = response.json()
    assert draft["state"] == "draft"
    assert draft["opening"] == "Frau Funk eröffnet."
    assert draft["entries"][0]["discussion"] == "Aussprache"
    assert draft["decisions"] == []
    assert reload(meeting).state == "minutes_drafted"
    # a decision on the first item, numbered per body and year
    item_id = draft["entries"][0]["agenda_item"]
    response = api.post(
        f"/agenda-items/{item_id}/decisions",
        {"wording": "Der Beirat stimmt zu.", "unanimous": True},
    )
    assert response.status_code == 201, response.content
    decision = response.json()
    year = timezone.localtime(meeting.starts_at).year
    assert decision["reference"] == f"{meeting.body.reference_prefix} {year}/01"
    assert (decision["outcome"], decision["votes_label"]) == ("adopted", "einstimmig")
    assert decision["meeting"] == str(meeting.public_id)
    assert api.get(url).json()["decisions"][0]["id"] == decision["id"]
    # the draft is the coordination office's, and so are its decisions
    assert member_api.get(url).status_code == 404
    assert member_api.get(f"/meetings/{meeting.public_id}/decisions").json() == []
    assert member_api.get(f"/decisions/{decision['id']}").status_code == 404
    # a task on the entry
    entry_id = draft["entries"][0]["id"]
    response = api.post(
        f"/minutes-entries/{entry_id}/tasks",
        {
            "description": "Bericht versenden",
            "owner": str(board.emil.public_id),
            "due": "2031-01-31",
        },
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["owner_name"] == str(board.emil)
    errors = field_errors(api.post(f"/minutes-entries/{entry_id}/tasks", {"description": "x"}))
    assert errors == {"owner": ["Bitte geben Sie an, wer zuständig ist."]}
    # circulate: the members see it now
    response = api.post(f"{url}/circulate")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "circulated"
    assert member_api.get(url).json()["entries"][0]["tasks"][0]["id"] == task["id"]
    assert [d["id"] for d in member_api.get(f"/meetings/{meeting.public_id}/decisions").json()] == [
        decision["id"]
    ]
    assert member_api.get(f"/decisions/{decision['id']}").json()["wording"] == (
        "Der Beirat stimmt zu."
    )
    # approve in a later meeting that took place
    later = make_held_meeting(board, day=days_from_today(-30))
    errors = field_errors(api.post(f"{url}/approve", {"approved_in": str(meeting.public_id)}))
    assert errors == {
        "approved_in": ["Genehmigt wird in einer späteren Sitzung desselben Gremiums."]
    }
    response = api.post(f"{url}/approve", {"approved_in": str(later.public_id)})
    assert response.status_code == 200, response.content
    approved = response.json()
    assert approved["state"] == "approved"
    assert approved["approved_in"] == str(later.public_id)
    # no more direct changes
    response = api.put(url, {"version": approved["version"], "opening": "anders"})
    assert response.status_code == 422
    assert response.json()["code"] == "approved"
    response = api.delete(f"/decisions/{decision['id']}")
    assert (response.status_code, response.json()["code"]) == (422, "approved")
    # a recorded correction instead: the decision with a reason
    patch = {"version": decision["version"], "unanimous": False, "votes_yes": 4, "votes_abstain": 1}
    errors = field_errors(api.patch(f"/decisions/{decision['id']}", patch))
    assert errors == {
        "reason": ["Das Protokoll ist genehmigt: Bitte begründen Sie die Berichtigung."]
    }
    response = api.patch(f"/decisions/{decision['id']}", {**patch, "reason": "Zählfehler"})
    assert response.status_code == 200, response.content
    assert response.json()["votes_label"] == "Ja 4 · Nein 0 · Enthaltung 1"
    read = api.get(url).json()
    correction = read["corrections"][0]
    assert correction["decision"] == decision["id"]
    assert correction["field"] == "decision"
    assert correction["before"] == "Der Beirat stimmt zu.\nErgebnis: angenommen (einstimmig)"
    assert correction["after"] == (
        "Der Beirat stimmt zu.\nErgebnis: angenommen (Ja 4 · Nein 0 · Enthaltung 1)"
    )
    assert correction["reason"] == "Zählfehler"
    assert MinutesCorrection.objects.count() == 1
    # a stale version is refused with the current decision
    response = api.patch(
        f"/decisions/{decision['id']}", {"version": decision["version"], "reason": "x"}
    )
    assert response.status_code == 409
    assert response.json()["details"]["current"]["votes_yes"] == 4
    errors = field_errors(
        api.post(f"{url}/corrections", {"field": "opening", "text": "x", "reason": " "})
    )
    assert errors == {"reason": ["Bitte begründen Sie die Berichtigung."]}
    # tasks are followed up after approval
    response = api.patch(f"/tasks/{task['id']}", {"done": True})
    assert response.status_code == 200
    assert response.json()["done"] is True
    assert member_api.patch(f"/tasks/{task['id']}", {"done": False}).status_code == 403


def test_concurrent_minutes_the_second_save_is_refused_with_the_other_text(api, board):
    meeting = make_held_meeting(board, day=days_from_today(-60))
    url = f"/meetings/{meeting.public_id}/minutes"
    loaded = api.put(url, {"version": None, "opening": "Erster Stand"}).json()
    # two writers load the same version; the first saves
    first = api.put(
        url,
        {
            "version": loaded["version"],
            "opening": "Text von Frieda",
            "entries": _entries(meeting, discussion="Friedas Notizen"),
        },
    )
    assert first.status_code == 200
    before = history_count()
    # the second's save is refused, with the first's text to compare
    second = api.put(url, {"version": loaded["version"], "opening": "Text von Bernd"})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "conflict"
    assert body["details"]["current"]["opening"] == "Text von Frieda"
    assert body["details"]["current"]["entries"][0]["discussion"] == "Friedas Notizen"
    assert body["details"]["current"]["version"] == first.json()["version"]
    assert Minutes.objects.get(meeting=meeting).opening == "Text von Frieda"
    assert history_count() == before


def test_minutes_validation(api, board):
    planned = make_meeting(board.body)
    response = api.put(f"/meetings/{planned.public_id}/minutes", {"version": None})
    assert response.status_code == 422
    assert response.json()["code"] == "not_held"
    held = make_held_meeting(board, day=days_from_today(-60))
    url = f"/meetings/{held.public_id}/minutes"
    assert field_errors(api.put(url, {"opening": "x"})) == {"version": [MISSING]}
    errors = field_errors(
        api.put(url, {"version": None, "entries": [{"agenda_item": "kein-uuid"}]})
    )
    assert errors == {"entries.0.agenda_item": ["Bitte eine gültige ID (UUID) angeben."]}
    foreign_item = planned.agenda_items.first()
    errors = field_errors(
        api.put(url, {"version": None, "entries": [{"agenda_item": str(foreign_item.public_id)}]})
    )
    assert errors == {"entries": ["Ein Tagesordnungspunkt gehört nicht zu dieser Sitzung."]}
    assert not Minutes.objects.filter(meeting=held).exists()


# --- network days ----------------------------------------------------------------------------


def test_network_day_create_read_change_invite_cancel(api, member_api, board):
    before = history_count()
    response = api.post(
        "/network-days",
        {
            "title": "Netzwerktag 2031",
            "starts_at": "2031-09-20T09:00:00+02:00",
            "ends_at": "2031-09-20T15:00:00+02:00",
            "place": "BBS Osterode",
            "registration_until": "2031-09-10",
        },
    )
    assert response.status_code == 201, response.content
    day = response.json()
    assert day["state"] == "planned"
    assert history_count() == before + 1
    # list and detail
    listed = api.get("/network-days").json()
    assert [d["id"] for d in listed["items"]] == [day["id"]]
    assert listed["items"][0]["registration_count"] == 0
    assert member_api.get(f"/network-days/{day['id']}").status_code == 200
    # change, stale
    response = api.patch(f"/network-days/{day['id']}", {"version": day["version"], "place": "Aula"})
    assert response.status_code == 200
    response = api.patch(f"/network-days/{day['id']}", {"version": day["version"], "place": "X"})
    assert response.status_code == 409
    assert response.json()["details"]["current"]["place"] == "Aula"
    # invite every partner
    response = api.post(f"/network-days/{day['id']}/invite")
    assert response.status_code == 200, response.content
    assert response.json()["sent"] == 5
    assert response.json()["network_day"]["state"] == "invited"
    detail = api.get(f"/network-days/{day['id']}").json()
    assert len(detail["invitations"]) == 5
    assert member_api.get(f"/network-days/{day['id']}").json()["invitations"] == []
    # members do not manage
    assert member_api.post(f"/network-days/{day['id']}/cancel").status_code == 403
    # cancel
    response = api.post(f"/network-days/{day['id']}/cancel")
    assert response.json()["state"] == "cancelled"


def test_network_day_validation(api):
    errors = field_errors(
        api.post(
            "/network-days",
            {
                "title": "Netzwerktag",
                "starts_at": "2031-09-20T15:00:00+02:00",
                "ends_at": "2031-09-20T09:00:00+02:00",
                "registration_until": "bald",
            },
        )
    )
    assert errors == {"registration_until": ["Bitte ein Datum im Format JJJJ-MM-TT angeben."]}
    errors = field_errors(
        api.post(
            "/network-days",
            {
                "title": "Netzwerktag",
                "starts_at": "2031-09-20T15:00:00+02:00",
                "ends_at": "2031-09-20T09:00:00+02:00",
            },
        )
    )
    assert errors == {"ends_at": ["Das Ende muss nach dem Beginn liegen."]}
    assert NetworkDay.objects.count() == 0


def test_registrations_and_attendance(api, member_api, board, network):
    day = make_network_day(network, day=days_from_today(-3))
    url = f"/network-days/{day.public_id}/registrations"
    # a member registers themselves (for their institution)
    response = member_api.post(url, {"person": str(board.anna.public_id)})
    assert response.status_code == 201, response.content
    own = response.json()
    assert own["partner"] == str(board.ihk.public_id)
    assert own["name"] == str(board.anna)
    # but not someone else
    response = member_api.post(url, {"person": str(board.emil.public_id)})
    assert response.status_code == 403
    # the coordination office registers anyone, also by name
    response = api.post(url, {"name": "Erika Beispiel", "partner": str(board.agentur.public_id)})
    assert response.status_code == 201, response.content
    other = response.json()
    errors = field_errors(api.post(url, {"name": "Ohne Institution"}))
    assert errors == {"partner": ["Bitte wählen Sie die Institution, für die die Person kommt."]}
    errors = field_errors(api.post(url, {"person": str(board.anna.public_id)}))
    assert errors == {"person": ["Diese Person ist bereits angemeldet."]}
    # lists: all for the office, the own for the member
    assert api.get(url).json()["count"] == 2
    assert [r["id"] for r in member_api.get(url).json()["items"]] == [own["id"]]
    # attendance
    response = api.put(f"/network-days/{day.public_id}/attendance", {"registrations": [own["id"]]})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "held"
    assert Registration.objects.get(public_id=own["id"]).attended is True
    assert Registration.objects.get(public_id=other["id"]).attended is False
    # participation shows the IHK at the network day this year
    year = day.day.year
    rows = {r["partner_name"]: r for r in api.get("/participation", year=year).json()["items"]}
    assert rows[board.ihk.name]["years"] == [
        {
            "year": year,
            "advisory_board": 0,
            "advisory_board_of": 0,
            "advisory_board_rate": None,
            "working_group": 0,
            "working_group_of": 0,
            "working_group_rate": None,
            "network_day": 1,
            "network_day_of": 1,
            "network_day_rate": 100,
        }
    ]
    # the view is the coordination office's, as on the web page
    response = member_api.get("/participation")
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": NO_RIGHT,
        "field_errors": None,
        "details": None,
    }


def test_withdraw_a_registration(api, member_api, board, network):
    day = make_network_day(network)
    reg = services.registration_add(actor=SYSTEM, day=day, person=board.anna)
    emil = services.registration_add(actor=SYSTEM, day=day, person=board.emil)
    assert member_api.delete(f"/registrations/{emil.public_id}").status_code == 403
    assert member_api.delete(f"/registrations/{reg.public_id}").status_code == 200
    assert api.delete(f"/registrations/{emil.public_id}").status_code == 200
    assert Registration.objects.filter(network_day=day).count() == 0


def test_participation_counts_meetings_of_the_advisory_board(api, board):
    meeting = make_held_meeting(board, day=datetime.date(2024, 5, 6), present=("anna", "carla"))
    assert meeting.state == "held"
    data = api.get("/participation").json()
    ihk = next(r for r in data["items"] if r["partner"] == str(board.ihk.public_id))
    assert ihk["years"] == [
        {
            "year": 2024,
            "advisory_board": 1,
            "advisory_board_of": 1,
            "advisory_board_rate": 100,
            "working_group": 0,
            "working_group_of": 0,
            "working_group_rate": None,
            "network_day": 0,
            "network_day_of": 0,
            "network_day_rate": None,
        }
    ]
    assert field_errors(api.get("/participation", year="x")) == {
        "year": ["Bitte eine ganze Zahl angeben."]
    }


# --- calendar feeds --------------------------------------------------------------------------


def test_calendar_feeds_create_list_revoke(api, member_api, board, network, coordinator):
    # the member subscribes to their board's meetings
    response = member_api.post("/calendar-feeds", {"body": str(board.body.public_id)})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["body"] == str(board.body.public_id)
    assert data["name"] == "Beirat"
    url = data["url"]
    assert url.startswith("http://testserver/kalender/")
    assert url.endswith(".ics")
    token = url.removeprefix("http://testserver/kalender/").removesuffix(".ics")
    feed = CalendarFeed.objects.get(public_id=data["id"])
    assert feed.token_hash == CalendarFeed.hash(token)
    assert token.startswith(feed.prefix)
    # the address serves the body's meetings as iCalendar, without signing in
    make_meeting(board.body, title="Beiratssitzung im Kalender")
    served = Client().get(url.removeprefix("http://testserver"))
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/calendar")
    assert b"Beiratssitzung im Kalender" in served.content
    # and to all their meetings
    mine = member_api.post("/calendar-feeds", {"name": "Alles"}).json()
    assert mine["body"] is None
    # the list shows their own feeds, without the address
    listed = member_api.get("/calendar-feeds").json()
    assert {f["id"] for f in listed} == {data["id"], mine["id"]}
    assert all("url" not in f for f in listed)
    assert api.get("/calendar-feeds").json() == []
    # not for a body they are not in
    group = make_body(network, "Elternarbeit", "working_group")
    response = member_api.post("/calendar-feeds", {"body": str(group.public_id)})
    assert response.status_code == 403
    # revoke
    response = member_api.post(f"/calendar-feeds/{data['id']}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    # someone else's feed only the network's management revokes
    other, _token = services.calendar_feed_create(actor=coordinator, network=network)
    assert member_api.post(f"/calendar-feeds/{other.public_id}/revoke").status_code == 403
    assert reload(other).revoked_at is None


# --- the schema ------------------------------------------------------------------------------


def test_the_openapi_schema_documents_the_new_paths():
    paths = ninja_api.get_openapi_schema(path_prefix="")["paths"]
    for path in (
        "/networks/{network}/meetings",
        "/networks/{network}/meetings/{mid}",
        "/networks/{network}/meetings/{mid}/cancel",
        "/networks/{network}/bodies/{bid}/meetings",
        "/networks/{network}/meetings/{mid}/agenda-items",
        "/networks/{network}/agenda-items/{aid}",
        "/networks/{network}/agenda-items/{aid}/move",
        "/networks/{network}/meetings/{mid}/documents",
        "/networks/{network}/documents/{did}/download",
        "/networks/{network}/documents/{did}",
        "/networks/{network}/meetings/{mid}/invite",
        "/networks/{network}/meetings/{mid}/invitations",
        "/networks/{network}/invitations/{iid}/reply",
        "/networks/{network}/invitations/{iid}/resend",
        "/networks/{network}/meetings/{mid}/attendance",
        "/networks/{network}/meetings/{mid}/minutes",
        "/networks/{network}/meetings/{mid}/minutes/circulate",
        "/networks/{network}/meetings/{mid}/minutes/approve",
        "/networks/{network}/meetings/{mid}/minutes/corrections",
        "/networks/{network}/minutes-entries/{eid}/tasks",
        "/networks/{network}/tasks/{tid}",
        "/networks/{network}/network-days",
        "/networks/{network}/network-days/{nid}",
        "/networks/{network}/network-days/{nid}/invite",
        "/networks/{network}/network-days/{nid}/cancel",
        "/networks/{network}/network-days/{nid}/registrations",
        "/networks/{network}/network-days/{nid}/attendance",
        "/networks/{network}/registrations/{rid}",
        "/networks/{network}/participation",
        "/networks/{network}/calendar-feeds",
        "/networks/{network}/calendar-feeds/{fid}/revoke",
    ):
        assert path in paths, path
    upload_body = paths["/networks/{network}/meetings/{mid}/documents"]["post"]["requestBody"]
    assert "multipart/form-data" in upload_body["content"]
