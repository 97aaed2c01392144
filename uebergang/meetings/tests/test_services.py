"""Every write of the meetings app: what it changes, what it records in the history, and what
it refuses (with its German message, changing nothing). E-mails are not asserted here (the
delivery module has its own tests); where it matters, the calls into `delivery` are."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from uebergang.bodies import services as body_services
from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import delivery, services
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
    MinutesCorrection,
    MinutesEntry,
    NetworkDay,
    NetworkDayInvitation,
    Registration,
)
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_partner, make_person

from .factories import (
    DOC,
    DOCX,
    PDF,
    START,
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

MODELS = (
    Meeting,
    AgendaItem,
    Document,
    Invitation,
    Attendance,
    Minutes,
    MinutesEntry,
    Decision,
    ActionItem,
    MinutesCorrection,
    NetworkDay,
    NetworkDayInvitation,
    Registration,
    CalendarFeed,
)


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


def state() -> tuple[list, int]:
    """Every meetings row (all fields, version, deletion) and the number of history events:
    compare before/after a refusal."""
    from uebergang.core import history

    rows = []
    for model in MODELS:
        for row in model.all_objects.order_by("pk"):
            rows.append(
                (model.__name__, row.pk, row.version, row.deleted_at, history.snapshot(row))
            )
    return rows, HistoryEvent.objects.count()


def refused(call, error=DomainError):
    """Run `call`, expect `error`, and check that nothing changed."""
    before = state()
    with pytest.raises(error) as exc:
        call()
    assert state() == before
    return exc.value


def last_event(obj, action=None) -> HistoryEvent:
    qs = HistoryEvent.objects.filter(object_id=obj.public_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-id").first()


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def calls(monkeypatch):
    """The calls into the delivery module, recorded instead of run."""
    seen: list[tuple] = []
    for name in ("enqueue_invitations", "enqueue_network_day_invitations", "enqueue_minutes"):
        monkeypatch.setattr(
            delivery, name, lambda *args, _n=name: seen.append((_n, *args)), raising=True
        )
    return seen


# --- meeting_create --------------------------------------------------------------------------


def test_meeting_create_by_the_coordination_office_records_who_and_what(board, coordinator):
    day = days_from_today(20)
    meeting = services.meeting_create(
        actor=coordinator,
        body=board.body,
        data={
            "title": "  Sitzung des Beirats ",
            "starts_at": at(day, 16),
            "ends_at": at(day, 18),
            "place": " Kreishaus ",
            "online_url": "https://konferenz.example.org/beirat",
            "ignored": "x",
        },
    )
    meeting = reload(meeting)
    assert (
        meeting.title,
        meeting.place,
        meeting.state,
        meeting.sequence,
        meeting.body_id,
        meeting.network_id,
    ) == ("Sitzung des Beirats", "Kreishaus", "planned", 0, board.body.pk, board.network.pk)
    assert meeting.uid == f"meeting-{meeting.public_id}@uebergang"
    event = last_event(meeting)
    assert (event.action, event.actor_id, event.actor_name, event.parent_id) == (
        "create",
        coordinator.pk,
        "Kim Koordinata",
        board.body.public_id,
    )
    assert event.changes["title"] == [None, "Sitzung des Beirats"]
    assert event.changes["state"] == [None, "planned"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "  "}, "title", "Bitte geben Sie einen Titel an."),
        ({"starts_at": None}, "starts_at", "Bitte geben Sie Datum und Uhrzeit des Beginns an."),
        ({"ends_at": None}, "ends_at", "Bitte geben Sie an, wann die Sitzung endet."),
        (
            {"ends_at": at(days_from_today(20), 15)},
            "ends_at",
            "Das Ende muss nach dem Beginn liegen.",
        ),
        (
            {"starts_at": datetime.datetime(2030, 1, 1, 16)},
            "starts_at",
            "Bitte geben Sie die Zeit mit Zeitzone an.",
        ),
        (
            {
                "starts_at": at(datetime.date(2013, 6, 1), 16),
                "ends_at": at(datetime.date(2013, 6, 1), 18),
            },
            "starts_at",
            "Am 01.06.2013 besteht das Gremium nicht.",
        ),
        ({"online_url": "kein Link"}, "online_url", "Bitte eine gültige Adresse eingeben."),
        ({"title": "x" * 201}, "title", None),
    ],
)
def test_meeting_create_refuses_bad_input_with_a_german_message(
    board, coordinator, data, field, message
):
    day = days_from_today(20)
    full = {"title": "Sitzung", "starts_at": at(day, 16), "ends_at": at(day, 18), **data}
    error = refused(lambda: services.meeting_create(actor=coordinator, body=board.body, data=full))
    assert list(error.field_errors) == [field]
    if message:
        assert error.message == message
    else:
        assert "höchstens 200 Zeichen" in error.message


# --- meeting_update --------------------------------------------------------------------------


def test_meeting_update_of_a_planned_meeting_records_before_and_after(board, coordinator, calls):
    meeting = make_meeting(board.body)
    services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        expected_version=meeting.version,
        data={"place": "Rathaus Herzberg", "description": "Bitte pünktlich."},
    )
    stored = reload(meeting)
    assert (stored.place, stored.description, stored.sequence, stored.version) == (
        "Rathaus Herzberg",
        "Bitte pünktlich.",
        0,
        meeting.version + 1,
    )
    event = last_event(meeting)
    assert (event.action, event.actor_name) == ("update", "Kim Koordinata")
    assert event.changes == {
        "place": ["Kreishaus Osterode, Raum 101", "Rathaus Herzberg"],
        "description": ["", "Bitte pünktlich."],
    }
    assert calls == []  # not invited yet: nobody to tell


def test_meeting_update_of_an_invited_meeting_raises_the_sequence_when_the_calendar_changes(
    board, coordinator, calls
):
    meeting = make_invited_meeting(board)
    calls.clear()
    new_start = meeting.starts_at + datetime.timedelta(hours=1)
    services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        expected_version=meeting.version,
        data={"starts_at": new_start, "ends_at": meeting.ends_at + datetime.timedelta(hours=1)},
    )
    stored = reload(meeting)
    assert (stored.sequence, stored.starts_at) == (1, new_start)
    assert last_event(meeting).changes["sequence"] == [0, 1]
    ids = set(meeting.invitations.values_list("pk", flat=True))
    assert [(name, set(ids_)) for name, ids_ in calls] == [("enqueue_invitations", ids)]

    # a change of the notes only is no calendar change
    calls.clear()
    services.meeting_update(
        actor=coordinator,
        meeting=stored,
        expected_version=stored.version,
        data={"description": "Mit Imbiss."},
    )
    assert reload(meeting).sequence == 1
    assert calls == []


def test_meeting_update_with_a_stale_version_is_a_conflict_and_changes_nothing(board, coordinator):
    meeting = make_meeting(board.body)
    services.meeting_update(
        actor=coordinator, meeting=meeting, expected_version=meeting.version, data={"place": "A"}
    )
    error = refused(
        lambda: services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            expected_version=meeting.version - 1 if meeting.version > 1 else 1,
            data={"place": "B"},
        ),
        Conflict,
    )
    assert error.details == {"current_version": reload(meeting).version}
    assert "von jemand anderem geändert" in error.message
    assert reload(meeting).place == "A"


def test_meeting_update_after_the_meeting_was_held_is_refused(board, coordinator):
    meeting = make_held_meeting(board)
    error = refused(
        lambda: services.meeting_update(
            actor=coordinator, meeting=meeting, expected_version=None, data={"place": "B"}
        )
    )
    assert error.code == "meeting_closed"
    assert error.message == "Das geht jetzt nicht mehr: Die Sitzung hat den Stand „durchgeführt“."


# --- meeting_cancel --------------------------------------------------------------------------


def test_meeting_cancel_of_a_planned_meeting_sends_nothing(board, coordinator, calls):
    meeting = make_meeting(board.body)
    services.meeting_cancel(actor=coordinator, meeting=meeting, reason=" Krankheit ")
    stored = reload(meeting)
    assert (stored.state, stored.cancel_reason, stored.sequence) == ("cancelled", "Krankheit", 0)
    assert stored.cancelled_at is not None
    event = last_event(meeting)
    assert event.action == "end"
    assert event.changes == {"state": ["planned", "cancelled"], "cancel_reason": ["", "Krankheit"]}
    assert calls == []
    assert not stored.invitations.exists()


def test_meeting_cancel_of_an_invited_meeting_raises_the_sequence_and_tells_everyone(
    board, coordinator, calls
):
    meeting = make_invited_meeting(board)
    calls.clear()
    services.meeting_cancel(actor=coordinator, meeting=meeting, reason="Zu wenige Zusagen")
    stored = reload(meeting)
    assert (stored.state, stored.sequence) == ("cancelled", 1)
    assert last_event(meeting).changes["sequence"] == [0, 1]
    assert calls[0][0] == "enqueue_invitations"
    assert set(calls[0][1]) == set(meeting.invitations.values_list("pk", flat=True))


def test_meeting_cancel_twice_or_after_held_is_refused(board, coordinator):
    meeting = make_meeting(board.body)
    services.meeting_cancel(actor=coordinator, meeting=meeting)
    error = refused(lambda: services.meeting_cancel(actor=coordinator, meeting=meeting))
    assert error.code == "meeting_closed"
    held = make_held_meeting(board)
    assert (
        refused(lambda: services.meeting_cancel(actor=coordinator, meeting=held)).code
        == "meeting_closed"
    )


def test_meeting_cancel_with_a_too_long_reason_is_refused(board, coordinator):
    meeting = make_meeting(board.body)
    error = refused(
        lambda: services.meeting_cancel(actor=coordinator, meeting=meeting, reason="x" * 501)
    )
    assert list(error.field_errors) == ["cancel_reason"]


# --- agenda ----------------------------------------------------------------------------------


def test_agenda_item_add_numbers_the_items_and_records_them(board, coordinator):
    meeting = make_meeting(board.body, items=())
    first = services.agenda_item_add(
        actor=coordinator, meeting=meeting, data={"title": " Begrüßung ", "public": True}
    )
    second = services.agenda_item_add(
        actor=coordinator,
        meeting=meeting,
        data={"title": "Personalien", "public": False, "presenter": "Vorsitz"},
    )
    assert [(i.position, i.title, i.public) for i in meeting.agenda_items.order_by("position")] == [
        (1, "Begrüßung", True),
        (2, "Personalien", False),
    ]
    event = last_event(second)
    assert (event.action, event.actor_name, event.parent_id) == (
        "create",
        "Kim Koordinata",
        meeting.public_id,
    )
    assert event.changes["title"] == [None, "Personalien"]
    assert first.network_id == board.network.pk


def test_agenda_item_add_without_title_is_refused(board, coordinator):
    meeting = make_meeting(board.body, items=())
    error = refused(
        lambda: services.agenda_item_add(actor=coordinator, meeting=meeting, data={"title": " "})
    )
    assert error.field_errors == {
        "title": ["Bitte geben Sie den Titel des Tagesordnungspunkts an."]
    }


def test_agenda_item_update_records_before_after_and_refuses_a_stale_version(board, coordinator):
    meeting = make_meeting(board.body)
    item = meeting.agenda_items.get(position=2)
    services.agenda_item_update(
        actor=coordinator,
        item=item,
        expected_version=item.version,
        data={"title": "Berichte", "public": False},
    )
    stored = reload(item)
    assert (stored.title, stored.public, stored.version) == ("Berichte", False, 2)
    event = last_event(item)
    assert event.changes == {
        "title": ["Berichte aus den Schulen", "Berichte"],
        "public": [True, False],
    }
    assert event.parent_id == meeting.public_id
    error = refused(
        lambda: services.agenda_item_update(
            actor=coordinator, item=item, expected_version=1, data={"title": "Anders"}
        ),
        Conflict,
    )
    assert error.details == {"current_version": 2}


def test_agenda_item_move_and_remove_renumber_the_agenda(board, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(board.body, items=("A", "B", "C"))
    c = meeting.agenda_items.get(title="C")
    services.agenda_item_move(actor=coordinator, item=c, position=1)
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "C",
        "A",
        "B",
    ]
    assert last_event(c).changes == {"position": [3, 1]}
    error = refused(lambda: services.agenda_item_move(actor=coordinator, item=c, position=4))
    assert error.field_errors == {"position": ["Bitte wählen Sie eine Nummer zwischen 1 und 3."]}

    a = meeting.agenda_items.get(title="A")
    doc = services.document_add(
        actor=coordinator, meeting=meeting, upload=upload("a.pdf"), agenda_item=a
    )
    services.agenda_item_remove(actor=coordinator, item=a)
    assert list(meeting.agenda_items.order_by("position").values_list("title", "position")) == [
        ("C", 1),
        ("B", 2),
    ]
    assert reload(doc).agenda_item_id is None  # the document stays with the meeting
    assert last_event(a).action == "delete"


def test_the_agenda_cannot_change_after_the_meeting_was_held(board, coordinator):
    meeting = make_held_meeting(board)
    item = meeting.agenda_items.first()
    for call in (
        lambda: services.agenda_item_add(actor=coordinator, meeting=meeting, data={"title": "X"}),
        lambda: services.agenda_item_update(
            actor=coordinator, item=item, expected_version=None, data={"title": "X"}
        ),
        lambda: services.agenda_item_move(actor=coordinator, item=item, position=2),
        lambda: services.agenda_item_remove(actor=coordinator, item=item),
    ):
        assert refused(call).code == "meeting_closed"


# --- documents -------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Bericht 2026.PDF", PDF, "application/pdf"),
        (
            "liste.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("alt.doc", DOC, "application/msword"),
        ("tabelle.ods", DOCX, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_document_add_stores_the_file_under_a_random_name(
    board, coordinator, media, name, content, content_type
):
    meeting = make_meeting(board.body)
    item = meeting.agenda_items.first()
    doc = services.document_add(
        actor=coordinator,
        meeting=meeting,
        upload=upload(name, content, "application/octet-stream"),
        agenda_item=item,
    )
    doc = reload(doc)
    assert (doc.title, doc.file_name, doc.content_type, doc.size, doc.agenda_item_id) == (
        name,
        name,
        content_type,
        len(content),
        item.pk,
    )
    assert doc.sha256 == hashlib.sha256(content).hexdigest()
    path = doc.file.path
    assert path.startswith(str(media))
    stored_name = path.rsplit("/", 1)[1]
    assert name.split(".")[0] not in stored_name
    assert len(stored_name.split(".")[0]) == 32
    assert stored_name.endswith(name[name.rfind(".") :].lower())
    with open(path, "rb") as f:
        assert f.read() == content
    event = last_event(doc)
    assert (event.action, event.parent_id) == ("create", meeting.public_id)
    assert "file" not in event.changes


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bericht.pdf", DOCX, "Der Inhalt der Datei passt nicht zur Endung „.pdf“."),
        ("liste.docx", PDF, "Der Inhalt der Datei passt nicht zur Endung „.docx“."),
        ("alt.doc", b"<html>hallo</html>", "Der Inhalt der Datei passt nicht zur Endung „.doc“."),
        (
            "seite.html",
            b"<html></html>",
            "Erlaubt sind PDF- und Office-Dateien (doc, docx, odp, ods, odt, pdf, ppt, pptx, xls, xlsx).",
        ),
        (
            "ohne-endung",
            PDF,
            "Erlaubt sind PDF- und Office-Dateien (doc, docx, odp, ods, odt, pdf, ppt, pptx, xls, xlsx).",
        ),
        ("leer.pdf", b"", "Die Datei ist leer."),
        ("gross.pdf", PDF + b"0" * (1024 * 1024), "Die Datei ist zu groß (höchstens 1 MB)."),
    ],
)
def test_document_add_refuses_wrong_or_too_big_files_and_stores_nothing(
    board, coordinator, media, name, content, message
):
    meeting = make_meeting(board.body)
    error = refused(
        lambda: services.document_add(
            actor=coordinator, meeting=meeting, upload=upload(name, content)
        )
    )
    assert error.field_errors == {"file": [message]}
    assert not any(p.is_file() for p in media.rglob("*"))


def test_document_add_refuses_an_agenda_item_of_another_meeting_and_a_cancelled_meeting(
    board, coordinator, media
):
    meeting = make_meeting(board.body)
    other = make_meeting(board.body, day=days_from_today(40))
    error = refused(
        lambda: services.document_add(
            actor=coordinator,
            meeting=meeting,
            upload=upload("a.pdf"),
            agenda_item=other.agenda_items.first(),
        )
    )
    assert error.field_errors == {
        "agenda_item": ["Der Tagesordnungspunkt gehört nicht zu dieser Sitzung."]
    }
    services.meeting_cancel(actor=coordinator, meeting=other)
    error = refused(
        lambda: services.document_add(actor=coordinator, meeting=other, upload=upload("a.pdf"))
    )
    assert error.code == "meeting_closed"


def test_document_remove_hides_the_document_and_records_it(board, coordinator, media):
    meeting = make_meeting(board.body)
    doc = services.document_add(
        actor=coordinator, meeting=meeting, upload=upload("a.pdf"), title="Einladung"
    )
    services.document_remove(actor=coordinator, document=doc)
    assert not meeting.documents.exists()
    assert reload(doc).deleted_at is not None
    event = last_event(doc)
    assert (event.action, event.changes) == ("delete", {"title": ["Einladung", None]})


# --- invitations -----------------------------------------------------------------------------


def test_meeting_invite_without_agenda_is_refused(board, coordinator):
    meeting = make_meeting(board.body, items=())
    error = refused(lambda: services.meeting_invite(actor=coordinator, meeting=meeting))
    assert (error.code, error.message) == (
        "agenda_missing",
        "Bitte legen Sie zuerst die Tagesordnung an.",
    )


def test_meeting_invite_without_anyone_in_the_body_is_refused(network, coordinator):
    body = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    meeting = make_meeting(body)
    error = refused(lambda: services.meeting_invite(actor=coordinator, meeting=meeting))
    assert error.code == "no_recipients"


def test_meeting_invite_reaches_members_substitutes_guests_moderation_and_information(
    board, coordinator, calls
):
    meeting = make_meeting(board.body)
    result = services.meeting_invite(actor=coordinator, meeting=meeting)
    stored = reload(meeting)
    assert (stored.state, stored.sequence) == ("invited", 0)
    assert stored.invited_at is not None
    assert (result.sent, result.late, result.period_days) == (9, False, 14)
    rows = {
        (i.kind, i.name, i.email, i.delivery, i.partner.name if i.partner_id else None)
        for i in stored.invitations.select_related("partner")
    }
    assert rows == {
        ("invitee", "Anna Alt", "anna.alt@example.org", "pending", board.ihk.name),
        ("invitee", "Bernd Berger", "bernd.berger@example.org", "pending", board.ihk.name),
        ("invitee", "Carla Clausen", "carla.clausen@example.org", "pending", board.school.name),
        ("invitee", "Emil Ehrlich", "emil.ehrlich@example.org", "pending", board.agentur.name),
        ("invitee", "Gustav Gans", "gustav.gans@example.org", "pending", board.jugend.name),
        ("invitee", "Dora Dietrich", "", "no_address", None),
        ("invitee", "Frieda Funk", "frieda.funk@example.org", "pending", None),
        ("information", board.school.name, "schule@example.org", "pending", board.school.name),
        ("information", board.school2.name, "", "no_address", board.school2.name),
    }
    event = last_event(meeting)
    assert (event.actor_name, event.changes["state"], event.message) == (
        "Kim Koordinata",
        ["planned", "invited"],
        "Einladung an 9 Empfänger/innen versandt.",
    )
    assert [c[0] for c in calls] == ["enqueue_invitations"]
    assert set(calls[0][1]) == set(stored.invitations.values_list("pk", flat=True))


def test_meeting_invite_leaves_out_who_is_not_in_the_body_on_the_day(board, coordinator):
    day = days_from_today(30)
    body_services.membership_end(
        actor=SYSTEM, membership=board.emil_m, valid_to=day - datetime.timedelta(days=1)
    )
    meeting = make_meeting(board.body, day=day)
    services.meeting_invite(actor=coordinator, meeting=meeting)
    names = set(meeting.invitations.values_list("name", flat=True))
    assert "Emil Ehrlich" not in names and "Anna Alt" in names


def test_information_goes_to_the_institutions_assigned_on_the_meeting_day(board, coordinator):
    day = days_from_today(30)
    assignment = board.schools.assignments.get(partner=board.school2)
    network_services.seat_unassign(
        actor=SYSTEM, assignment=assignment, valid_to=day - datetime.timedelta(days=1)
    )
    late = make_person(board.network, "Lena", "Later", email="lena@example.org")
    body_services.membership_add(
        actor=SYSTEM,
        body=board.body,
        person=late,
        role="guest",
        valid_from=day + datetime.timedelta(days=1),
    )
    meeting = make_meeting(board.body, day=day)
    services.meeting_invite(actor=coordinator, meeting=meeting)
    assert list(
        meeting.invitations.filter(kind="information").values_list("partner_id", flat=True)
    ) == [board.school.pk]
    assert not meeting.invitations.filter(person=late).exists()


def test_a_body_without_constituency_seats_informs_no_institution(network, coordinator):
    body = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    person = make_person(network, "Paula", "Pohl", email="paula@example.org")
    body_services.membership_add(
        actor=SYSTEM, body=body, person=person, role="guest", valid_from=START
    )
    meeting = make_meeting(body)
    result = services.meeting_invite(actor=coordinator, meeting=meeting)
    assert result.sent == 1
    assert not meeting.invitations.filter(kind="information").exists()


def test_meeting_invite_again_sends_an_update_without_duplicates(board, coordinator):
    meeting = make_invited_meeting(board)
    zoe = make_person(board.network, "Zoë", "Zander", email="zoe@example.org")
    body_services.membership_add(
        actor=SYSTEM, body=board.body, person=zoe, role="guest", valid_from=days_from_today(0)
    )
    result = services.meeting_invite(actor=coordinator, meeting=meeting)
    stored = reload(meeting)
    assert (stored.state, stored.sequence, result.sent) == ("invited", 1, 10)
    assert stored.invitations.filter(person=zoe).count() == 1
    assert stored.invitations.filter(person=board.anna).count() == 1
    assert last_event(meeting).message == "Aktualisierte Einladung an 10 Empfänger/innen versandt."


@pytest.mark.parametrize(("days", "late"), [(13, True), (14, False), (30, False), (0, True)])
def test_meeting_invite_flags_an_invitation_later_than_the_body_s_period(
    board, coordinator, days, late
):
    meeting = make_meeting(board.body, day=days_from_today(days))
    result = services.meeting_invite(actor=coordinator, meeting=meeting)
    assert result.late is late
    message = last_event(meeting).message
    assert ("Die Einladungsfrist von 14 Tagen wurde nicht eingehalten." in message) is late
    assert services.invitation_is_late(meeting, days_from_today(0)) is late


def test_invitation_resend_takes_the_corrected_address(board, coordinator, calls):
    meeting = make_invited_meeting(board)
    inv = meeting.invitations.get(person=board.dora)
    assert inv.delivery == "no_address"
    board.dora.email = "dora@example.org"
    board.dora.save(update_fields=["email"])
    calls.clear()
    services.invitation_resend(actor=coordinator, invitation=inv)
    stored = reload(inv)
    assert (stored.email, stored.delivery, stored.attempts) == ("dora@example.org", "pending", 0)
    assert last_event(inv).changes == {
        "email": ["", "dora@example.org"],
        "delivery": ["no_address", "pending"],
    }
    assert calls == [("enqueue_invitations", [inv.pk])]


# --- replies ---------------------------------------------------------------------------------


@pytest.fixture
def invited(board, member):
    """An invited meeting; the member account is Anna Alt (IHK seat, with a substitute)."""
    link_user(board.anna, member)
    board.meeting = make_invited_meeting(board)
    board.inv = {i.person_id: i for i in board.meeting.invitations.filter(kind="invitee")}
    return board


def test_invitation_reply_by_the_invitee_herself(invited, member):
    inv = invited.inv[invited.anna.pk]
    services.invitation_reply(actor=member, invitation=inv, reply="attend", note=" gern ")
    stored = reload(inv)
    assert (stored.reply, stored.reply_note) == ("attend", "gern")
    assert stored.replied_at is not None
    event = last_event(inv)
    assert (event.actor_name, event.changes, event.parent_id) == (
        "Mika Mitglied",
        {"reply": ["none", "attend"], "reply_note": ["", "gern"]},
        invited.meeting.public_id,
    )
    services.invitation_reply(actor=member, invitation=inv, reply="substitute")
    assert reload(inv).reply == "substitute"


def test_invitation_reply_by_the_office_on_behalf(invited, coordinator):
    inv = invited.inv[invited.carla.pk]
    services.invitation_reply(actor=coordinator, invitation=inv, reply="decline")
    assert reload(inv).reply == "decline"
    assert last_event(inv).actor_name == "Kim Koordinata"


def test_invitation_reply_for_someone_else_is_refused(invited, member, outsider, stranger):
    inv = invited.inv[invited.carla.pk]
    for actor in (member, outsider, stranger):
        error = refused(
            lambda a=actor: services.invitation_reply(actor=a, invitation=inv, reply="attend"),
            PermissionDenied,
        )
        assert error.message == "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."


def test_invitation_reply_substitute_only_where_a_substitute_exists(invited, coordinator):
    error = refused(
        lambda: services.invitation_reply(
            actor=coordinator, invitation=invited.inv[invited.carla.pk], reply="substitute"
        )
    )
    assert error.field_errors == {
        "reply": ["Für diese Mitgliedschaft ist kein/e Vertreter/in eingetragen."]
    }
    error = refused(
        lambda: services.invitation_reply(
            actor=coordinator, invitation=invited.inv[invited.anna.pk], reply="vielleicht"
        )
    )
    assert error.field_errors == {"reply": ["Bitte wählen Sie eine Antwort."]}


def test_invitation_reply_of_an_institution_informed_is_refused(invited, coordinator, member):
    info = invited.meeting.invitations.filter(kind="information").first()
    refused(
        lambda: services.invitation_reply(actor=member, invitation=info, reply="attend"),
        PermissionDenied,
    )
    error = refused(
        lambda: services.invitation_reply(actor=coordinator, invitation=info, reply="attend")
    )
    assert error.code == "information_only"


def test_invitation_reply_after_the_meeting_is_refused(board, coordinator, member):
    link_user(board.anna, member)
    past = make_invited_meeting(board, day=days_from_today(-3))  # invited, not yet recorded
    inv = past.invitations.get(person=board.anna)
    error = refused(lambda: services.invitation_reply(actor=member, invitation=inv, reply="attend"))
    assert error.code == "meeting_closed"
    held = make_held_meeting(board, day=days_from_today(-10))
    inv = held.invitations.get(person=board.anna)
    error = refused(
        lambda: services.invitation_reply(actor=coordinator, invitation=inv, reply="attend")
    )
    assert (error.code, error.message) == (
        "meeting_closed",
        "Auf diese Einladung kann nicht mehr geantwortet werden (durchgeführt).",
    )


# --- attendance ------------------------------------------------------------------------------


def test_attendance_record_marks_the_meeting_held_with_seat_and_institution(board, coordinator):
    meeting = make_invited_meeting(board, day=days_from_today(-1))
    services.attendance_record(
        actor=coordinator,
        meeting=meeting,
        people=[board.bernd, board.carla, board.dora],
        expected_version=meeting.version,
    )
    stored = reload(meeting)
    assert stored.state == "held"
    rows = {
        (a.person_id, a.membership_id, a.seat_id, a.partner_id) for a in stored.attendances.all()
    }
    assert rows == {
        (board.bernd.pk, board.bernd_m.pk, board.ihk_seat.pk, board.ihk.pk),  # stands in
        (board.carla.pk, board.carla_m.pk, board.schools_seat.pk, board.school.pk),
        (board.dora.pk, board.dora_m.pk, None, None),  # a guest holds no seat
    }
    assert last_event(meeting).changes == {"state": ["invited", "held"]}
    att = stored.attendances.get(person=board.carla)
    assert (last_event(att).action, last_event(att).actor_name) == ("create", "Kim Koordinata")

    # recording again replaces the list and bumps the version
    version = stored.version
    services.attendance_record(
        actor=coordinator, meeting=stored, people=[board.carla], expected_version=version
    )
    assert list(reload(meeting).attendances.values_list("person_id", flat=True)) == [board.carla.pk]
    assert reload(meeting).version == version + 1
    error = refused(
        lambda: services.attendance_record(
            actor=coordinator, meeting=stored, people=[], expected_version=version
        ),
        Conflict,
    )
    assert error.details == {"current_version": version + 1}


def test_attendance_record_only_from_the_meeting_day(board, coordinator):
    meeting = make_invited_meeting(board, day=days_from_today(1))
    error = refused(
        lambda: services.attendance_record(actor=coordinator, meeting=meeting, people=[board.anna])
    )
    assert error.code == "too_early"
    assert error.message.startswith("Die Anwesenheit kann erst ab dem Sitzungstag (")
    today = make_invited_meeting(board, day=days_from_today(0))
    services.attendance_record(actor=coordinator, meeting=today, people=[board.anna])
    assert reload(today).state == "held"


def test_attendance_record_refuses_a_cancelled_meeting_and_people_of_another_network(
    board, coordinator, other_network
):
    meeting = make_meeting(board.body, day=days_from_today(-1))
    foreign = make_person(other_network, "Fiona", "Fremd")
    error = refused(
        lambda: services.attendance_record(actor=coordinator, meeting=meeting, people=[foreign])
    )
    assert error.code == "wrong_network"
    services.meeting_cancel(actor=coordinator, meeting=meeting)
    error = refused(
        lambda: services.attendance_record(actor=coordinator, meeting=meeting, people=[])
    )
    assert error.code == "meeting_closed"


# --- minutes ---------------------------------------------------------------------------------


def _entries(meeting, **texts):
    first = meeting.agenda_items.order_by("position").first()
    return {str(first.public_id): texts}


def test_minutes_only_after_the_meeting_was_held(board, coordinator):
    meeting = make_invited_meeting(board)
    error = refused(
        lambda: services.minutes_save(
            actor=coordinator, meeting=meeting, expected_version=None, opening="Eröffnung"
        )
    )
    assert error.code == "not_held"


def test_minutes_save_writes_the_draft_and_marks_the_meeting(board, coordinator):
    meeting = make_held_meeting(board)
    first, second = meeting.agenda_items.order_by("position")
    minutes = services.minutes_save(
        actor=coordinator,
        meeting=meeting,
        expected_version=None,
        opening=" Die Vorsitzende eröffnet. ",
        entries={
            str(first.public_id): {"discussion": "Aussprache"},
            second.pk: {"discussion": "Bericht"},
        },
    )
    minutes = reload(minutes)
    assert (minutes.state, minutes.opening, minutes.version) == (
        "draft",
        "Die Vorsitzende eröffnet.",
        2,
    )
    assert {(e.agenda_item_id, e.discussion) for e in minutes.entries.all()} == {
        (first.pk, "Aussprache"),
        (second.pk, "Bericht"),
    }
    assert reload(meeting).state == "minutes_drafted"
    event = last_event(minutes, "update")
    assert (event.actor_name, event.changes) == (
        "Kim Koordinata",
        {"opening": ["", "Die Vorsitzende eröffnet."]},
    )
    entry = minutes.entries.get(agenda_item=first)
    assert last_event(entry).changes == {"discussion": ["", "Aussprache"]}


def test_minutes_save_with_a_stale_version_loses_no_text(board, coordinator):
    meeting = make_held_meeting(board)
    minutes = services.minutes_save(
        actor=coordinator, meeting=meeting, expected_version=None, opening="Erste Fassung"
    )
    loaded = minutes.version
    services.minutes_save(
        actor=coordinator,
        meeting=meeting,
        expected_version=loaded,
        entries=_entries(meeting, discussion="Text von Kim"),
    )
    error = refused(
        lambda: services.minutes_save(
            actor=coordinator,
            meeting=meeting,
            expected_version=loaded,
            opening="Zweite Fassung",
            entries=_entries(meeting, discussion="Text von jemand anderem"),
        ),
        Conflict,
    )
    assert error.details == {"current_version": loaded + 1}
    stored = reload(minutes)
    assert stored.opening == "Erste Fassung"
    assert stored.entries.get().discussion == "Text von Kim"
    # a "first draft" when there already is one is a conflict too
    refused(
        lambda: services.minutes_save(
            actor=coordinator, meeting=meeting, expected_version=0, opening="X"
        ),
        Conflict,
    )


def test_minutes_save_refuses_an_agenda_item_of_another_meeting(board, coordinator):
    meeting = make_held_meeting(board)
    other = make_meeting(board.body)
    error = refused(
        lambda: services.minutes_save(
            actor=coordinator,
            meeting=meeting,
            expected_version=None,
            entries=_entries(other, discussion="falsch"),
        )
    )
    assert error.field_errors == {
        "entries": ["Ein Tagesordnungspunkt gehört nicht zu dieser Sitzung."]
    }


@pytest.fixture
def drafted(board, coordinator):
    """Minutes of a meeting 60 days ago (drafted, circulated) and a later meeting 10 days ago
    (held) in which they can be approved."""
    board.meeting = make_held_meeting(board)
    board.minutes = services.minutes_save(
        actor=coordinator,
        meeting=board.meeting,
        expected_version=None,
        opening="Eröffnung",
        entries=_entries(board.meeting, discussion="Aussprache"),
    )
    board.decision = services.decision_add(
        actor=coordinator,
        item=board.meeting.agenda_items.order_by("position").first(),
        data={"wording": "Beschluss", "unanimous": True},
    )
    board.minutes = services.minutes_circulate(actor=coordinator, minutes=board.minutes)
    board.later = make_held_meeting(board, day=days_from_today(-10))
    return board


def test_minutes_circulate_and_approve_in_a_later_meeting(
    drafted, coordinator, calls, django_capture_on_commit_callbacks
):
    minutes = reload(drafted.minutes)
    assert minutes.state == "circulated" and minutes.circulated_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(actor=coordinator, minutes=minutes, approved_in=drafted.later)
    minutes = reload(minutes)
    assert (minutes.state, minutes.approved_in_id) == ("approved", drafted.later.pk)
    assert minutes.approved_at is not None
    assert reload(drafted.meeting).state == "minutes_approved"
    event = last_event(minutes)
    assert event.changes == {
        "state": ["circulated", "approved"],
        "approved_in": [None, str(drafted.later)],
    }
    assert ("enqueue_minutes", drafted.meeting.pk, "approved") in calls


def test_minutes_approve_can_happen_in_an_invited_meeting_today(drafted, coordinator):
    today = make_invited_meeting(drafted, day=days_from_today(0))
    services.minutes_approve(actor=coordinator, minutes=drafted.minutes, approved_in=today)
    assert reload(drafted.minutes).state == "approved"


def test_minutes_approve_only_in_a_later_meeting_of_the_same_body(drafted, coordinator):
    earlier = make_held_meeting(drafted, day=days_from_today(-90))
    message = "Genehmigt wird in einer späteren Sitzung desselben Gremiums."
    for approving in (drafted.meeting, earlier):
        error = refused(
            lambda m=approving: services.minutes_approve(
                actor=coordinator, minutes=drafted.minutes, approved_in=m
            )
        )
        assert error.field_errors == {"approved_in": [message]}


def test_minutes_approve_in_another_body_a_future_meeting_or_another_network_is_refused(
    drafted, coordinator, network, other_network
):
    body = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    other_meeting = make_meeting(body, day=days_from_today(-5))
    error = refused(
        lambda: services.minutes_approve(
            actor=coordinator, minutes=drafted.minutes, approved_in=other_meeting
        )
    )
    assert list(error.field_errors) == ["approved_in"]
    future = make_invited_meeting(drafted, day=days_from_today(5))
    error = refused(
        lambda: services.minutes_approve(
            actor=coordinator, minutes=drafted.minutes, approved_in=future
        )
    )
    assert error.field_errors == {
        "approved_in": ["Die genehmigende Sitzung muss stattgefunden haben oder heute stattfinden."]
    }
    foreign_body = make_body(other_network, "Beirat Anderswo")
    foreign = make_meeting(foreign_body, day=days_from_today(-5))
    error = refused(
        lambda: services.minutes_approve(
            actor=coordinator, minutes=drafted.minutes, approved_in=foreign
        )
    )
    assert error.code == "wrong_network"


@pytest.fixture
def approved(drafted, coordinator):
    services.minutes_approve(actor=coordinator, minutes=drafted.minutes, approved_in=drafted.later)
    drafted.minutes = reload(drafted.minutes)
    drafted.entry = drafted.minutes.entries.get()
    return drafted


def test_approved_minutes_refuse_edits(approved, coordinator):
    for call in (
        lambda: services.minutes_save(
            actor=coordinator,
            meeting=approved.meeting,
            expected_version=approved.minutes.version,
            opening="nachträglich",
        ),
        lambda: services.minutes_circulate(actor=coordinator, minutes=approved.minutes),
        lambda: services.minutes_approve(
            actor=coordinator, minutes=approved.minutes, approved_in=approved.later
        ),
        lambda: services.task_add(
            actor=coordinator, entry=approved.entry, description="X", owner_text="Y"
        ),
        lambda: services.attendance_record(
            actor=coordinator, meeting=approved.meeting, people=[approved.emil]
        ),
        lambda: services.decision_add(
            actor=coordinator, item=approved.entry.agenda_item, data={"wording": "Nachtrag"}
        ),
        lambda: services.decision_remove(actor=coordinator, decision=approved.decision),
    ):
        assert refused(call).code == "approved"


def test_minutes_correct_keeps_before_after_and_reason(approved, coordinator):
    correction = services.minutes_correct(
        actor=coordinator,
        minutes=approved.minutes,
        field="discussion",
        entry=approved.entry,
        text="Aussprache mit fünf Wortmeldungen",
        reason=" Wortmeldungen ergänzt ",
        expected_version=approved.minutes.version,
    )
    correction = reload(correction)
    assert (
        correction.field,
        correction.before,
        correction.after,
        correction.reason,
        correction.actor_name,
        correction.entry_id,
    ) == (
        "discussion",
        "Aussprache",
        "Aussprache mit fünf Wortmeldungen",
        "Wortmeldungen ergänzt",
        "Kim Koordinata",
        approved.entry.pk,
    )
    assert reload(approved.entry).discussion == "Aussprache mit fünf Wortmeldungen"
    assert reload(approved.minutes).version == approved.minutes.version + 1
    event = last_event(approved.entry)
    assert (event.changes, event.message) == (
        {"discussion": ["Aussprache", "Aussprache mit fünf Wortmeldungen"]},
        "Berichtigung: Wortmeldungen ergänzt",
    )
    services.minutes_correct(
        actor=coordinator,
        minutes=approved.minutes,
        field="opening",
        text="Eröffnung um 16:05 Uhr",
        reason="Uhrzeit",
    )
    assert reload(approved.minutes).opening == "Eröffnung um 16:05 Uhr"
    error = refused(
        lambda: services.minutes_correct(
            actor=coordinator,
            minutes=approved.minutes,
            field="closing",
            text="Schluss",
            reason="x",
            expected_version=approved.minutes.version,  # stale by now
        ),
        Conflict,
    )
    assert error.code == "conflict"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": " "}, "reason", "Bitte begründen Sie die Berichtigung."),
        ({"text": "Eröffnung"}, "text", "Der Text ist unverändert."),
        ({"field": "discussion"}, "entry", "Bitte wählen Sie den Tagesordnungspunkt."),
        (
            {"field": "decisions", "entry": None},
            "field",
            "Dieses Feld kann nicht berichtigt werden.",
        ),
        ({"field": "state", "text": "draft"}, "field", "Dieses Feld kann nicht berichtigt werden."),
    ],
)
def test_minutes_correct_refuses_bad_input(approved, coordinator, kwargs, field, message):
    data = {"field": "opening", "text": "Neu", "reason": "Tippfehler", **kwargs}
    error = refused(
        lambda: services.minutes_correct(actor=coordinator, minutes=approved.minutes, **data)
    )
    assert error.field_errors == {field: [message]}


def test_minutes_correct_of_a_draft_is_refused(drafted, coordinator):
    error = refused(
        lambda: services.minutes_correct(
            actor=coordinator, minutes=drafted.minutes, field="opening", text="X", reason="Y"
        )
    )
    assert error.code == "not_approved"


def test_tasks_of_the_minutes(drafted, coordinator, other_network):
    entry = reload(drafted.minutes).entries.get()
    task = services.task_add(
        actor=coordinator,
        entry=entry,
        description=" Praktikumsbörse vorbereiten ",
        owner=drafted.carla,
        due=days_from_today(30),
    )
    task = reload(task)
    assert (task.description, task.owner_id, task.owner_name, task.done) == (
        "Praktikumsbörse vorbereiten",
        drafted.carla.pk,
        "Carla Clausen",
        False,
    )
    assert last_event(task).parent_id == drafted.meeting.public_id
    error = refused(lambda: services.task_add(actor=coordinator, entry=entry, description="X"))
    assert error.field_errors == {"owner": ["Bitte geben Sie an, wer zuständig ist."]}
    error = refused(
        lambda: services.task_add(actor=coordinator, entry=entry, description=" ", owner_text="Y")
    )
    assert error.field_errors == {"description": ["Bitte beschreiben Sie die Aufgabe."]}
    foreign = make_person(other_network, "Fiona", "Fremd")
    assert (
        refused(
            lambda: services.task_add(
                actor=coordinator, entry=entry, description="X", owner=foreign
            )
        ).code
        == "wrong_network"
    )
    # done after approval too
    services.minutes_approve(actor=coordinator, minutes=drafted.minutes, approved_in=drafted.later)
    services.task_set_done(actor=coordinator, task=task, done=True)
    assert reload(task).done is True
    assert reload(task).status == "done"
    assert last_event(task).changes == {"status": ["open", "done"]}


# --- network day -----------------------------------------------------------------------------


def test_network_day_create_and_validation(network, coordinator):
    day = make_network_day(network, actor=coordinator, registration_until=days_from_today(50))
    day = reload(day)
    assert (day.state, day.sequence, day.registration_until) == (
        "planned",
        0,
        days_from_today(50),
    )
    assert last_event(day).actor_name == "Kim Koordinata"
    error = refused(lambda: make_network_day(network, actor=coordinator, title=" "))
    assert error.field_errors == {"title": ["Bitte geben Sie einen Titel an."]}
    error = refused(
        lambda: make_network_day(network, actor=coordinator, ends_at=at(days_from_today(60), 8))
    )
    assert error.field_errors == {"ends_at": ["Das Ende muss nach dem Beginn liegen."]}


def test_network_day_invite_reaches_every_active_partner_once(network, coordinator, calls):
    ihk = make_partner(network, "IHK Hannover", kind="chamber", email="ihk@example.org")
    make_partner(network, "Oberschule Lindenhof", kind="school_general")
    gone = make_partner(network, "Alte Hauptschule", kind="school_general")
    network_services.partner_end(actor=SYSTEM, partner=gone, valid_to=days_from_today(-1))
    day = make_network_day(network)
    assert services.network_day_invite(actor=coordinator, day=day) == 2
    stored = reload(day)
    assert (stored.state, stored.sequence) == ("invited", 0)
    rows = {(i.partner.name, i.email, i.delivery) for i in stored.invitations.all()}
    assert rows == {
        ("IHK Hannover", "ihk@example.org", "pending"),
        ("Oberschule Lindenhof", "", "no_address"),
    }
    assert not stored.invitations.filter(partner=gone).exists()
    assert last_event(day).message == "Einladung an 2 Institutionen versandt."
    assert calls[-1][0] == "enqueue_network_day_invitations"
    # again: an update, no duplicates
    assert services.network_day_invite(actor=coordinator, day=stored) == 2
    assert (reload(day).sequence, stored.invitations.filter(partner=ihk).count()) == (1, 1)


def test_network_day_update_and_cancel(network, coordinator):
    day = make_network_day(network)
    make_partner(network, "IHK Hannover", kind="chamber", email="ihk@example.org")
    services.network_day_invite(actor=coordinator, day=day)
    day = reload(day)
    services.network_day_update(
        actor=coordinator, day=day, expected_version=day.version, data={"place": "Stadthalle"}
    )
    assert (reload(day).place, reload(day).sequence) == ("Stadthalle", 1)
    error = refused(
        lambda: services.network_day_update(
            actor=coordinator, day=day, expected_version=1, data={"place": "X"}
        ),
        Conflict,
    )
    assert error.details == {"current_version": reload(day).version}
    services.network_day_cancel(actor=coordinator, day=day)
    stored = reload(day)
    assert (stored.state, stored.sequence) == ("cancelled", 2)
    assert last_event(day).action == "end"
    assert (
        refused(lambda: services.network_day_invite(actor=coordinator, day=stored)).code == "closed"
    )


@pytest.fixture
def nday(network, member):
    """A network day in 60 days with registration until in 50 days; the member account is
    Mona Muster of the IHK."""
    ihk = make_partner(network, "IHK Hannover", kind="chamber", email="ihk@example.org")
    mona = link_user(make_person(network, "Mona", "Muster", organisation=ihk), member)
    day = make_network_day(network, registration_until=days_from_today(50))
    return day, ihk, mona


def test_registration_by_the_member_herself(nday, member):
    day, ihk, mona = nday
    reg = services.registration_add(actor=member, day=day, person=mona)
    assert (reg.name, reg.partner_id, reg.person_id) == ("Mona Muster", ihk.pk, mona.pk)
    assert last_event(reg).actor_name == "Mika Mitglied"
    error = refused(lambda: services.registration_add(actor=member, day=day, person=mona))
    assert error.field_errors == {"person": ["Diese Person ist bereits angemeldet."]}
    services.registration_cancel(actor=member, registration=reg)
    assert reload(reg).deleted_at is not None
    again = services.registration_add(actor=member, day=day, person=mona)
    assert again.pk != reg.pk


def test_registration_for_someone_else_only_by_the_office(
    nday, member, coordinator, outsider, stranger, network
):
    day, ihk, mona = nday
    otto = make_person(network, "Otto", "Ohnesorg", organisation=ihk)
    for actor in (member, outsider, stranger):
        refused(
            lambda a=actor: services.registration_add(actor=a, day=day, person=otto),
            PermissionDenied,
        )
    reg = services.registration_add(
        actor=coordinator, day=day, partner=ihk, name="Olga Ohm", email="olga@example.org"
    )
    assert (reg.name, reg.partner_id, reg.person_id) == ("Olga Ohm", ihk.pk, None)
    refused(lambda: services.registration_cancel(actor=member, registration=reg), PermissionDenied)


def test_registration_input_rules(nday, coordinator, other_network):
    day, ihk, mona = nday
    error = refused(lambda: services.registration_add(actor=coordinator, day=day, partner=ihk))
    assert error.field_errors == {"name": ["Bitte geben Sie den Namen an."]}
    error = refused(lambda: services.registration_add(actor=coordinator, day=day, name="Olga"))
    assert error.field_errors == {
        "partner": ["Bitte wählen Sie die Institution, für die die Person kommt."]
    }
    foreign = make_partner(other_network, "IHK Anderswo", kind="chamber")
    error = refused(
        lambda: services.registration_add(actor=coordinator, day=day, partner=foreign, name="O")
    )
    assert error.code == "wrong_network"


def test_registration_deadline_binds_members_not_the_office(network, member, coordinator):
    ihk = make_partner(network, "IHK Hannover", kind="chamber")
    mona = link_user(make_person(network, "Mona", "Muster", organisation=ihk), member)
    day = make_network_day(network, registration_until=days_from_today(-1))
    error = refused(lambda: services.registration_add(actor=member, day=day, person=mona))
    assert error.code == "registration_closed"
    assert error.message.startswith("Die Anmeldefrist ist am ")
    services.registration_add(actor=coordinator, day=day, person=mona)


def test_network_day_attendance_from_the_day_on(network, coordinator):
    ihk = make_partner(network, "IHK Hannover", kind="chamber")
    future = make_network_day(network)
    reg = services.registration_add(actor=coordinator, day=future, partner=ihk, name="Olga")
    error = refused(
        lambda: services.network_day_attendance(actor=coordinator, day=future, attended=[reg])
    )
    assert error.code == "too_early"
    past = make_network_day(network, day=days_from_today(-2))
    came = services.registration_add(actor=coordinator, day=past, partner=ihk, name="Olga")
    absent = services.registration_add(actor=coordinator, day=past, partner=ihk, name="Paul")
    services.network_day_attendance(actor=coordinator, day=past, attended=[came])
    assert (reload(came).attended, reload(absent).attended, reload(past).state) == (
        True,
        False,
        "held",
    )
    assert last_event(came).changes == {"attended": [None, True]}
    error = refused(lambda: services.registration_add(actor=coordinator, day=past, name="Q"))
    assert error.code == "closed"


# --- calendar feeds --------------------------------------------------------------------------


def test_calendar_feed_token_is_shown_once_and_only_its_hash_stored(board, member):
    link_user(board.anna, member)
    feed, token = services.calendar_feed_create(
        actor=member, network=board.network, body=board.body
    )
    feed = reload(feed)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(feed.prefix) and len(token) > 30
    assert (feed.name, feed.user_id, feed.body_id) == ("Beirat", member.pk, board.body.pk)
    for model_row in (feed,):
        assert token not in str(model_row.__dict__)
    assert token not in str(list(HistoryEvent.objects.values_list("changes", flat=True)))
    own, token2 = services.calendar_feed_create(actor=member, network=board.network)
    assert (own.name, own.body_id) == ("Meine Sitzungen", None)
    assert token2 != token


def test_calendar_feed_of_a_body_the_member_does_not_sit_in_is_refused(
    board, member, stranger, outsider, other_network
):
    for actor in (member, stranger, outsider):
        refused(
            lambda a=actor: services.calendar_feed_create(
                actor=a, network=board.network, body=board.body
            ),
            PermissionDenied,
        )
    foreign = make_body(other_network, "Beirat Anderswo")
    error = refused(
        lambda: services.calendar_feed_create(actor=member, network=board.network, body=foreign)
    )
    assert error.code == "wrong_network"


def test_calendar_feed_revoke(board, member, coordinator, make_user, network):
    feed, _token = services.calendar_feed_create(actor=member, network=network)
    other = make_user("zweites.mitglied@example.org", name="Zora Zweit")
    from uebergang.accounts.services import network_role_grant

    network_role_grant(actor=SYSTEM, network=network, user=other, role="member")
    refused(lambda: services.calendar_feed_revoke(actor=other, feed=feed), PermissionDenied)
    services.calendar_feed_revoke(actor=member, feed=feed)
    revoked_at = reload(feed).revoked_at
    assert revoked_at is not None
    assert last_event(feed).action == "end"
    error = refused(lambda: services.calendar_feed_revoke(actor=coordinator, feed=reload(feed)))
    assert (error.message, error.code) == ("Dieses Kalenderabo ist bereits widerrufen.", "revoked")
    assert reload(feed).revoked_at == revoked_at
    second, _ = services.calendar_feed_create(actor=member, network=network)
    services.calendar_feed_revoke(actor=coordinator, feed=second)
    assert reload(second).revoked_at is not None


def test_time_is_kept_time_zone_aware(board):
    meeting = make_meeting(board.body, day=datetime.date(2030, 7, 1))
    assert timezone.localtime(reload(meeting).starts_at).hour == 16


def test_an_update_goes_to_a_corrected_address(board, coordinator):
    """Dora (guest, no e-mail at first) gets an address: the updated invitation reaches it."""
    from uebergang.meetings.models import Invitation
    from uebergang.networks.models import Person

    meeting = make_invited_meeting(board)
    before = Invitation.objects.get(meeting=meeting, person=board.dora)
    assert before.delivery == "no_address"
    Person.objects.filter(pk=board.dora.pk).update(email="dora.doerfler@example.org")

    services.meeting_invite(actor=coordinator, meeting=Meeting.objects.get(pk=meeting.pk))

    after = Invitation.objects.get(pk=before.pk)
    assert after.email == "dora.doerfler@example.org"
    assert after.delivery in ("pending", "sent")
    event = HistoryEvent.objects.filter(object_id=after.public_id).latest("pk")
    assert event.changes["email"] == ["", "dora.doerfler@example.org"]


# --- what is already removed, and adding under a state that changed meanwhile ----------------
# The caller holds the record as it loaded it; the service decides on the row as stored
# (locked on PostgreSQL; the races are in test_races.py).


def test_document_remove_twice_is_refused_and_recorded_once(board, coordinator, media):
    meeting = make_meeting(board.body)
    doc = services.document_add(actor=coordinator, meeting=meeting, upload=upload("a.pdf"))
    loaded = Document.objects.get(pk=doc.pk)
    services.document_remove(actor=coordinator, document=doc)
    error = refused(lambda: services.document_remove(actor=coordinator, document=loaded))
    assert (error.message, error.code) == ("Diese Unterlage ist bereits entfernt.", "deleted")
    assert HistoryEvent.objects.filter(object_id=doc.public_id, action="delete").count() == 1


def test_a_document_for_an_agenda_item_removed_meanwhile_is_refused(board, coordinator, media):
    meeting = make_meeting(board.body)
    item = meeting.agenda_items.first()
    loaded = AgendaItem.objects.get(pk=item.pk)
    services.agenda_item_remove(actor=coordinator, item=item)
    error = refused(
        lambda: services.document_add(
            actor=coordinator, meeting=meeting, upload=upload("a.pdf"), agenda_item=loaded
        )
    )
    assert error.field_errors == {
        "agenda_item": ["Der Tagesordnungspunkt gehört nicht zu dieser Sitzung."]
    }


def test_agenda_item_remove_twice_is_refused_and_recorded_once(board, coordinator):
    meeting = make_meeting(board.body)
    item = meeting.agenda_items.first()
    loaded = AgendaItem.objects.get(pk=item.pk)
    services.agenda_item_remove(actor=coordinator, item=item)
    for call in (
        lambda: services.agenda_item_remove(actor=coordinator, item=loaded),
        lambda: services.agenda_item_move(actor=coordinator, item=loaded, position=1),
        lambda: services.agenda_item_update(
            actor=coordinator, item=loaded, expected_version=None, data={"title": "X"}
        ),
    ):
        error = refused(call)
        assert (error.message, error.code) == (
            "Dieser Tagesordnungspunkt ist bereits entfernt.",
            "deleted",
        )
    assert HistoryEvent.objects.filter(object_id=item.public_id, action="delete").count() == 1


def test_registration_cancel_twice_is_refused_and_recorded_once(nday, member):
    day, ihk, mona = nday
    reg = services.registration_add(actor=member, day=day, person=mona)
    loaded = Registration.objects.get(pk=reg.pk)
    services.registration_cancel(actor=member, registration=reg)
    error = refused(lambda: services.registration_cancel(actor=member, registration=loaded))
    assert (error.message, error.code) == ("Diese Anmeldung ist bereits storniert.", "deleted")
    assert HistoryEvent.objects.filter(object_id=reg.public_id, action="delete").count() == 1


def test_registration_cancel_after_the_day_was_cancelled_is_refused(nday, member, coordinator):
    day, ihk, mona = nday
    reg = services.registration_add(actor=member, day=day, person=mona)
    loaded = Registration.objects.select_related("network_day").get(pk=reg.pk)
    services.network_day_cancel(actor=coordinator, day=day)
    error = refused(lambda: services.registration_cancel(actor=member, registration=loaded))
    assert (error.message, error.code) == ("Der Netzwerktag ist abgeschlossen.", "closed")


def test_task_add_after_the_minutes_were_approved_meanwhile_is_refused(drafted, coordinator):
    entry = MinutesEntry.objects.select_related("minutes").get(minutes=drafted.minutes)
    assert entry.minutes.state == "circulated"  # as the caller loaded it
    services.minutes_approve(actor=coordinator, minutes=drafted.minutes, approved_in=drafted.later)
    error = refused(
        lambda: services.task_add(actor=coordinator, entry=entry, description="X", owner_text="Y")
    )
    assert error.code == "approved"
    assert not ActionItem.objects.exists()


def test_minutes_approve_and_save_lock_the_meeting_before_the_minutes(
    drafted, coordinator, monkeypatch
):
    """One lock order for every service (parent before child): otherwise approving and
    saving at once could each hold one row and wait for the other."""
    order: list[str] = []
    real = services.lock

    def recording_lock(obj):
        order.append(type(obj).__name__)
        return real(obj)

    monkeypatch.setattr(services, "lock", recording_lock)
    services.minutes_save(
        actor=coordinator,
        meeting=drafted.meeting,
        expected_version=reload(drafted.minutes).version,
        opening="Neu",
    )
    assert order == ["Meeting"]  # then the minutes, with select_for_update
    order.clear()
    minutes = reload(drafted.minutes)
    services.minutes_circulate(actor=coordinator, minutes=minutes)
    services.minutes_approve(actor=coordinator, minutes=reload(minutes), approved_in=drafted.later)
    assert order == ["Meeting", "Minutes", "Meeting", "Minutes"]
