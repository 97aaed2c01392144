"""The meetings' pages: who sees what (coordination office, a member of the body, a member
of the network outside the body, another network's coordination office), the forms of the
coordination office (bad input → German message next to the field, nothing changed), the
minutes conflict (nothing lost), documents (upload and download only for those allowed),
and the number of queries of the list and the meeting page (the same at 5 and 200 rows)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesEntry,
)
from uebergang.meetings.tests.factories import (
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
    upload,
)

D = datetime.date
REQUIRED = "Dieses Feld ist zwingend erforderlich."


def url(name, network, *args):
    return reverse(f"meetings:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str | None:
    match = re.search(
        rf'id="id_{field}-error"><span[^>]*></span><span class="kern-body">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else None


def state() -> tuple:
    rows = []
    for model in (Meeting, AgendaItem, Document, Invitation, Attendance, Minutes, MinutesEntry):
        rows += [(model.__name__, r.public_id, r.version) for r in model.all_objects.order_by("pk")]
    return rows, HistoryEvent.objects.count()


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def in_body(board, member):
    """The network's member user is Anna (a member of the board)."""
    link_user(board.anna, member)
    return board


@pytest.fixture
def meeting(board):
    return make_meeting(board.body)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the list --------------------------------------------------------------------------------


def test_list_shows_upcoming_and_past_meetings(coordinator_client, network, board):
    # given
    make_meeting(board.body, title="Beirat im Frühjahr")
    make_held_meeting(board, title="Frühere Sitzung")
    # when
    upcoming = coordinator_client.get(url("meeting_list", network))
    past = coordinator_client.get(url("meeting_list", network) + "?zeit=vergangen")
    # then
    assert upcoming.status_code == past.status_code == 200
    assert "Beirat im Frühjahr" in text(upcoming)
    assert "Frühere Sitzung" not in text(upcoming)
    assert "Frühere Sitzung" in text(past)
    assert "Beirat im Frühjahr" not in text(past)
    assert "Sitzung planen" in text(upcoming)
    assert [m.item_count for m in upcoming.context["page"].object_list] == [2]


def test_list_filters_by_body_and_year(coordinator_client, network, board):
    # given
    other = make_body(network, "AG Elternarbeit", "working_group")
    make_meeting(board.body, title="Beiratssitzung", day=D(2031, 3, 1))
    make_meeting(other, title="Sitzung der AG", day=D(2031, 3, 2))
    make_meeting(board.body, title="Beirat im Folgejahr", day=D(2032, 3, 1))
    # when
    response = coordinator_client.get(
        url("meeting_list", network) + f"?gremium={board.body.public_id}&jahr=2031"
    )
    # then
    titles = [m.title for m in response.context["page"].object_list]
    assert titles == ["Beiratssitzung"]


def test_list_ignores_bad_filters(coordinator_client, network, meeting):
    # when
    response = coordinator_client.get(url("meeting_list", network) + "?gremium=quatsch&jahr=x")
    # then
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_member_lists_only_meetings_of_their_bodies(client, member, network, in_body):
    # given
    other = make_body(network, "AG Elternarbeit", "working_group")
    make_meeting(in_body.body, title="Sitzung mit Anna")
    make_meeting(other, title="Sitzung ohne Anna")
    client.force_login(member)
    # when
    response = client.get(url("meeting_list", network))
    # then
    assert "Sitzung mit Anna" in text(response)
    assert "Sitzung ohne Anna" not in text(response)
    assert "Sitzung planen" not in text(response)


def test_nav_links_the_meetings(coordinator_client, network):
    response = coordinator_client.get(url("meeting_list", network))
    assert 'aria-current="page">Sitzungen</a>' in response.content.decode()


# --- who may see a meeting -------------------------------------------------------------------


def test_meeting_page_for_the_coordination_office(coordinator_client, network, meeting):
    response = coordinator_client.get(url("meeting_detail", network, meeting.public_id))
    body = text(response)
    assert response.status_code == 200
    for label in (
        "Einladung versenden",
        "Bearbeiten",
        "Absagen",
        "Tagesordnungspunkt hinzufügen",
        "Unterlage hochladen",
        "Berichte aus den Schulen",
        "Verlauf",
    ):
        assert label in body, label


def test_attendance_is_offered_from_the_meetings_day_on(coordinator_client, network, board):
    future = make_meeting(board.body)
    today = make_meeting(board.body, day=days_from_today(0), title="Heute")

    future_page = text(coordinator_client.get(url("meeting_detail", network, future.public_id)))
    today_page = text(coordinator_client.get(url("meeting_detail", network, today.public_id)))

    assert "Anwesenheit erfassen" not in future_page
    assert "Anwesenheit erfassen" in today_page


def test_meeting_page_for_a_member_of_the_body(client, member, network, in_body):
    # given
    meeting = make_invited_meeting(in_body)
    client.force_login(member)
    # when
    response = client.get(url("meeting_detail", network, meeting.public_id))
    # then
    body = text(response)
    assert response.status_code == 200
    assert "Ihre Antwort" in body
    assert "Berichte aus den Schulen" in body
    for label in ("Einladung versenden", "Absagen", "Anwesenheit erfassen", "Einladungen"):
        assert label not in body, label


def test_member_outside_the_body_is_refused(client, member, network, board, meeting):
    client.force_login(member)
    assert client.get(url("meeting_detail", network, meeting.public_id)).status_code == 403
    assert client.get(url("invitation_pdf", network, meeting.public_id)).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["meeting_detail", "meeting_edit", "attendance", "minutes_edit", "meeting_invite"],
)
def test_another_network_sees_nothing(client, outsider, network, meeting, name):
    client.force_login(outsider)
    assert client.get(url(name, network, meeting.public_id)).status_code == 404


def test_member_cannot_use_the_forms_of_the_coordination_office(client, member, network, in_body):
    # given
    meeting = make_meeting(in_body.body)
    client.force_login(member)
    before = state()
    # when
    statuses = [
        client.post(url(name, network, meeting.public_id), {"title": "Übernommen"}).status_code
        for name in ("meeting_edit", "agenda_item_add", "meeting_invite", "attendance")
    ]
    # then
    assert statuses == [403, 403, 403, 403]
    assert state() == before


# --- plan and change -------------------------------------------------------------------------


def test_plan_a_meeting(coordinator_client, network, board):
    # when
    response = coordinator_client.post(
        url("meeting_create", network),
        {
            "body": board.body.public_id,
            "title": "Beirat Frühjahr",
            "date": "2031-04-02",
            "start": "16:00",
            "end": "18:30",
            "place": "Kreishaus",
            "online_url": "",
            "description": "",
        },
    )
    # then
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("meeting_detail", network, meeting.public_id)
    assert meeting.starts_at == at(D(2031, 4, 2), 16)
    assert meeting.ends_at == at(D(2031, 4, 2), 18, 30)
    assert meeting.body == board.body


def test_plan_form_preselects_the_body(coordinator_client, network, board):
    response = coordinator_client.get(
        url("meeting_create", network) + f"?gremium={board.body.public_id}"
    )
    assert response.context["form"].initial["body"] == board.body


def test_plan_with_bad_input_changes_nothing(coordinator_client, network, board):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("meeting_create", network),
        {
            "body": board.body.public_id,
            "title": "",
            "date": "2031-04-02",
            "start": "18:00",
            "end": "16:00",
        },
    )
    # then
    assert response.status_code == 200
    assert field_error(response, "title") == REQUIRED
    assert field_error(response, "end") == "Das Ende muss nach dem Beginn liegen."
    assert state() == before


def test_plan_before_the_body_existed_is_refused_at_the_date(coordinator_client, network, board):
    response = coordinator_client.post(
        url("meeting_create", network),
        {
            "body": board.body.public_id,
            "title": "Zu früh",
            "date": "2001-04-02",
            "start": "16:00",
            "end": "18:00",
        },
    )
    assert response.status_code == 200
    assert field_error(response, "start") == "Am 02.04.2001 besteht das Gremium nicht."
    assert not Meeting.objects.exists()


def test_edit_a_meeting_with_a_stale_version_shows_the_conflict(
    coordinator_client, network, meeting
):
    # given: someone saved in between
    services.meeting_update(
        actor=SYSTEM, meeting=meeting, expected_version=meeting.version, data={"place": "Aula"}
    )
    # when
    response = coordinator_client.post(
        url("meeting_edit", network, meeting.public_id),
        {
            "title": "Neu",
            "date": str(meeting.day),
            "start": "16:00",
            "end": "18:00",
            "place": "Raum 2",
            "version": meeting.version,
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["conflict"]
    assert Meeting.objects.get(pk=meeting.pk).place == "Aula"


def test_cancel_a_meeting(coordinator_client, network, meeting):
    response = coordinator_client.post(
        url("meeting_cancel", network, meeting.public_id), {"reason": "Krankheit"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == "cancelled"
    assert meeting.cancel_reason == "Krankheit"


# --- agenda ----------------------------------------------------------------------------------


def test_agenda_add_move_edit_delete(coordinator_client, network, meeting):
    # add
    response = coordinator_client.post(
        url("agenda_item_add", network, meeting.public_id),
        {"title": "Personalien", "description": "", "presenter": ""},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Personalien")
    assert (item.position, item.public) == (3, False)  # an unticked box: not public
    # up
    coordinator_client.post(url("agenda_item_up", network, item.public_id))
    assert [i.title for i in meeting.agenda_items.order_by("position")] == [
        "Begrüßung und Tagesordnung",
        "Personalien",
        "Berichte aus den Schulen",
    ]
    # down
    coordinator_client.post(url("agenda_item_down", network, item.public_id))
    item.refresh_from_db()
    assert item.position == 3
    # edit
    response = coordinator_client.post(
        url("agenda_item_edit", network, item.public_id),
        {"title": "Personalien (neu)", "public": "on", "version": item.version},
    )
    item.refresh_from_db()
    assert (item.title, item.public) == ("Personalien (neu)", True)
    # delete
    coordinator_client.post(url("agenda_item_delete", network, item.public_id))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_agenda_item_without_title_changes_nothing(coordinator_client, network, meeting):
    before = state()
    response = coordinator_client.post(
        url("agenda_item_add", network, meeting.public_id), {"title": "  "}
    )
    assert response.status_code == 200
    assert field_error(response, "title") == REQUIRED
    assert state() == before


def test_moving_needs_a_post(coordinator_client, network, meeting):
    item = meeting.agenda_items.first()
    assert coordinator_client.get(url("agenda_item_up", network, item.public_id)).status_code == 405


# --- documents -------------------------------------------------------------------------------


def test_upload_and_download_a_document(client, coordinator_client, member, network, in_body):
    # given
    meeting = make_meeting(in_body.body)
    item = meeting.agenda_items.first()
    # when: the coordination office uploads
    response = coordinator_client.post(
        url("document_upload", network, meeting.public_id),
        {
            "file": upload("Bericht.pdf"),
            "title": "Bericht der Schulen",
            "agenda_item": item.public_id,
        },
    )
    # then
    assert response.status_code == 302
    doc = Document.objects.get()
    assert (doc.title, doc.agenda_item, doc.content_type) == (
        "Bericht der Schulen",
        item,
        "application/pdf",
    )
    page = coordinator_client.get(url("meeting_detail", network, meeting.public_id))
    assert url("document_download", network, doc.public_id) in page.content.decode()
    # and a member of the body downloads it
    client.force_login(member)
    download = client.get(url("document_download", network, doc.public_id))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert 'attachment; filename="Bericht.pdf"' in download["Content-Disposition"]


def test_document_download_is_refused_outside_the_body(
    client, member, outsider, network, board, meeting
):
    doc = services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("Geheim.pdf"))
    client.force_login(member)
    assert client.get(url("document_download", network, doc.public_id)).status_code == 403
    client.force_login(outsider)
    assert client.get(url("document_download", network, doc.public_id)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Bild.png", b"\x89PNG\r\n", "Erlaubt sind PDF- und Office-Dateien"),
        ("Bericht.pdf", DOCX, "Der Inhalt der Datei passt nicht zur Endung „.pdf“."),
        ("Leer.pdf", b"", "Die Datei ist leer."),
    ],
)
def test_bad_uploads_are_refused_in_german(
    coordinator_client, network, meeting, name, content, message
):
    before = state()
    response = coordinator_client.post(
        url("document_upload", network, meeting.public_id), {"file": upload(name, content)}
    )
    assert response.status_code == 200
    assert message in field_error(response, "file")
    assert state() == before


def test_upload_without_file(coordinator_client, network, meeting):
    response = coordinator_client.post(url("document_upload", network, meeting.public_id), {})
    assert field_error(response, "file") == "Bitte wählen Sie eine Datei aus."
    assert 'enctype="multipart/form-data"' in response.content.decode()


# --- invitation and replies ------------------------------------------------------------------


def test_invitation_confirmation_warns_when_late(coordinator_client, network, board):
    # given: in 3 days, the period is 14
    meeting = make_meeting(board.body, day=days_from_today(3))
    # when
    page = coordinator_client.get(url("meeting_invite", network, meeting.public_id))
    # then
    body = text(page)
    assert "Die Einladungsfrist wird nicht eingehalten" in body
    for name in ("Anna Alt", "Bernd Berger", "Dora Dietrich", "Oberschule Am Mühlenteich"):
        assert name in body
    # when: sent
    response = coordinator_client.post(
        url("meeting_invite", network, meeting.public_id), follow=True
    )
    # then
    body = text(response)
    assert "Die Einladungsfrist von 14 Tagen ist nicht eingehalten." in body
    assert Meeting.objects.get(pk=meeting.pk).state == "invited"
    assert "keine E-Mail-Adresse" in body  # Dora's delivery state
    assert "erneut senden" in body
    assert "Nach den Zusagen voraussichtlich anwesend: 0" in body


def test_invitation_in_time_has_no_warning(coordinator_client, network, meeting):
    page = coordinator_client.get(url("meeting_invite", network, meeting.public_id))
    assert "Einladungsfrist wird nicht eingehalten" not in text(page)


def test_invitation_without_agenda_is_refused(coordinator_client, network, board):
    meeting = make_meeting(board.body, items=())
    response = coordinator_client.post(url("meeting_invite", network, meeting.public_id))
    assert response.status_code == 200
    assert "Bitte legen Sie zuerst die Tagesordnung an." in text(response)
    assert Meeting.objects.get(pk=meeting.pk).state == "planned"


def test_member_replies_to_their_own_invitation(client, member, network, in_body):
    # given
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.anna)
    client.force_login(member)
    # when
    response = client.post(url("invitation_reply", network, own.public_id), {"reply": "substitute"})
    # then
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.reply == "substitute"
    # and someone else's invitation is not theirs
    other = Invitation.objects.get(meeting=meeting, person=in_body.carla)
    assert (
        client.post(
            url("invitation_reply", network, other.public_id), {"reply": "decline"}
        ).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.reply == "none"


def test_reply_without_substitute_is_refused(client, member, network, in_body):
    # given: Carla has no substitute
    link_user(in_body.anna, None)
    link_user(in_body.carla, member)
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.carla)
    client.force_login(member)
    # when
    response = client.post(url("invitation_reply", network, own.public_id), {"reply": "substitute"})
    # then
    assert response.status_code == 200
    assert "Für diese Mitgliedschaft ist kein/e Vertreter/in eingetragen." in text(response)
    own.refresh_from_db()
    assert own.reply == "none"


def test_coordination_office_records_a_reply_and_sees_the_quorum(
    coordinator_client, network, board
):
    meeting = make_invited_meeting(board)
    inv = Invitation.objects.get(meeting=meeting, person=board.anna)
    coordinator_client.post(url("invitation_reply", network, inv.public_id), {"reply": "attend"})
    page = coordinator_client.get(url("meeting_invitations", network, meeting.public_id))
    body = text(page)
    assert "nimmt teil" in body
    assert "Nach den Zusagen voraussichtlich anwesend: 1 stimmberechtigte Sitze." in body
    assert "nötig: 2 von 3 stimmberechtigten Sitzen" in body


# --- attendance ------------------------------------------------------------------------------


def test_record_attendance(coordinator_client, network, board):
    # given
    meeting = make_invited_meeting(board, day=days_from_today(0))
    # when
    page = coordinator_client.get(url("attendance", network, meeting.public_id))
    response = coordinator_client.post(
        url("attendance", network, meeting.public_id),
        {
            "present": [board.anna.public_id.hex, board.carla.public_id.hex],
            "version": meeting.version,
        },
        follow=True,
    )
    # then
    assert page.status_code == 200
    assert "Anna Alt" in text(page)
    meeting.refresh_from_db()
    assert meeting.state == "held"
    assert {a.person for a in meeting.attendances.all()} == {board.anna, board.carla}
    assert "Anwesend: 2 stimmberechtigte Sitze." in text(response)
    assert "beschlussfähig" in text(response)


def test_attendance_before_the_day_is_refused(coordinator_client, network, meeting, board):
    before = state()
    response = coordinator_client.post(
        url("attendance", network, meeting.public_id),
        {"present": [board.anna.public_id.hex], "version": meeting.version},
    )
    assert response.status_code == 200
    assert "kann erst ab dem Sitzungstag" in text(response)
    assert state() == before


def test_attendance_with_a_stranger_is_refused(coordinator_client, network, board):
    meeting = make_invited_meeting(board, day=days_from_today(0))
    response = coordinator_client.post(
        url("attendance", network, meeting.public_id),
        {"present": ["0" * 32], "version": meeting.version},
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


# --- minutes ---------------------------------------------------------------------------------


def minutes_data(meeting, *, opening="", version=0, **texts):
    data = {"opening": opening, "closing": "", "version": version}
    for item in meeting.agenda_items.order_by("position"):
        data[f"discussion_{item.public_id.hex}"] = texts.get(f"d{item.position}", "")
    return data


def test_write_minutes(coordinator_client, network, board):
    # given
    meeting = make_held_meeting(board)
    # when
    page = coordinator_client.get(url("minutes_edit", network, meeting.public_id))
    response = coordinator_client.post(
        url("minutes_edit", network, meeting.public_id),
        minutes_data(meeting, opening="Frau Alt eröffnet.", d2="Bericht"),
    )
    # then
    assert page.status_code == 200
    assert "TOP 2:" in text(page)
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.opening == "Frau Alt eröffnet."
    entry = minutes.entries.get(agenda_item__position=2)
    assert entry.discussion == "Bericht"
    assert Meeting.objects.get(pk=meeting.pk).state == "minutes_drafted"


def test_record_change_and_remove_a_decision(coordinator_client, network, board):
    # given: drafted minutes
    meeting = make_held_meeting(board)
    coordinator_client.post(url("minutes_edit", network, meeting.public_id), minutes_data(meeting))
    item = meeting.agenda_items.get(position=2)
    add = url("decision_add", network, item.public_id)
    step = text(coordinator_client.get(url("meeting_minutes", network, meeting.public_id)))
    assert "Beschluss eintragen" in step
    # bad input changes nothing and says why
    before = state()
    bad = coordinator_client.post(
        add, {"wording": "Zustimmung", "outcome": "adopted", "unanimous": "on", "votes_no": "2"}
    )
    assert field_error(bad, "votes_no") == (
        "Einstimmig heißt: keine Nein-Stimme. Bitte prüfen Sie die Zahlen."
    )
    assert field_error(coordinator_client.post(add, {"outcome": "adopted"}), "wording") == REQUIRED
    assert state() == before
    # when: recorded with counts
    response = coordinator_client.post(
        add,
        {"wording": "Der Beirat **empfiehlt** die Messe.", "outcome": "adopted", "votes_yes": "6"},
    )
    # then: numbered, shown in the minutes with its result
    decision = Decision.objects.get()
    year = timezone.localtime(meeting.starts_at).year
    assert decision.reference == f"{board.body.reference_prefix} {year}/01"
    assert response.status_code == 302
    assert response["Location"].endswith(f"#beschluss-{decision.public_id}")
    page = coordinator_client.get(url("meeting_minutes", network, meeting.public_id))
    assert f"Beschluss {decision.reference}" in text(page)
    assert "Ergebnis: <strong>angenommen</strong> (Ja 6 · Nein 0 · Enthaltung 0)" in text(page)
    assert "<strong>empfiehlt</strong>" in page.content.decode()
    # a change, then a removal (the minutes are a draft)
    edit = url("decision_edit", network, decision.public_id)
    response = coordinator_client.post(
        edit,
        {"wording": decision.wording, "outcome": "postponed", "version": decision.version},
    )
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "postponed"
    stale = coordinator_client.post(
        edit, {"wording": "anders", "outcome": "adopted", "version": decision.version}
    )
    assert stale.status_code == 200 and Decision.objects.get().wording == decision.wording
    response = coordinator_client.post(url("decision_remove", network, decision.public_id))
    assert response.status_code == 302
    assert not Decision.objects.exists()


def test_minutes_conflict_keeps_the_input_and_shows_the_other_text(
    coordinator_client, network, board
):
    # given: two people loaded the empty minutes; the first saved
    meeting = make_held_meeting(board)
    coordinator_client.post(
        url("minutes_edit", network, meeting.public_id),
        minutes_data(meeting, opening="Text von Person A", d1="A zu TOP 1"),
    )
    saved = Minutes.objects.get(meeting=meeting)
    stored = state()
    # when: the second saves over the version both loaded
    response = coordinator_client.post(
        url("minutes_edit", network, meeting.public_id),
        minutes_data(meeting, opening="Text von Person B", d1="B zu TOP 1", version=0),
    )
    # then: refused with a clear message, the other text shown, the own input kept
    body = text(response)
    assert response.status_code == 200
    assert "Jemand anderes hat das Protokoll gespeichert" in body
    conflict = response.context["conflict"]
    assert ("Eröffnung und Formalien", "Text von Person A", "Text von Person B") in conflict
    assert ("Beratung zu TOP 1", "A zu TOP 1", "B zu TOP 1") in conflict
    form = response.context["form"]
    assert form["opening"].value() == "Text von Person B"
    assert form["version"].value() == str(saved.version)
    assert "Text von Person B</textarea>" in body
    assert state() == stored
    # and saving again (having seen the other text) works
    again = coordinator_client.post(
        url("minutes_edit", network, meeting.public_id),
        minutes_data(meeting, opening="A und B", version=saved.version),
    )
    assert again.status_code == 302
    assert Minutes.objects.get(pk=saved.pk).opening == "A und B"


def test_minutes_before_the_meeting_are_refused(coordinator_client, network, meeting):
    response = coordinator_client.post(
        url("minutes_edit", network, meeting.public_id), minutes_data(meeting, opening="Zu früh")
    )
    assert response.status_code == 200
    assert "erst geschrieben werden, wenn die Sitzung stattgefunden hat" in text(response)
    assert not Minutes.objects.exists()


def test_draft_minutes_are_for_the_coordination_office_only(client, member, network, in_body):
    # given
    meeting = make_held_meeting(in_body)
    services.minutes_save(
        actor=SYSTEM, meeting=meeting, expected_version=None, opening="Vorläufiger Text"
    )
    client.force_login(member)
    # then: a member does not see the draft …
    assert "Vorläufiger Text" not in text(
        client.get(url("meeting_minutes", network, meeting.public_id))
    )
    assert client.get(url("minutes_pdf", network, meeting.public_id)).status_code == 404
    # … until it is circulated
    services.minutes_circulate(actor=SYSTEM, minutes=Minutes.objects.get(meeting=meeting))
    page = text(client.get(url("meeting_minutes", network, meeting.public_id)))
    assert "Vorläufiger Text" in page
    assert "versandt zur Abstimmung" in page


def test_tasks_circulate_approve_correct(coordinator_client, network, board):
    # given: minutes of a held meeting, and a later meeting held today
    first = make_held_meeting(board)
    coordinator_client.post(
        url("minutes_edit", network, first.public_id),
        minutes_data(first, d1="Beratung"),
    )
    entry = MinutesEntry.objects.get(agenda_item__position=1)
    coordinator_client.post(
        url("decision_add", network, entry.agenda_item.public_id),
        {"wording": "Beschluss", "outcome": "adopted", "unanimous": "on"},
    )
    decision = Decision.objects.get()
    # a task that carries out the decision
    response = coordinator_client.post(
        url("task_add", network, entry.public_id),
        {
            "description": "Einladung an die Schulen",
            "owner": board.carla.public_id,
            "due": "2031-01-31",
            "decision": decision.public_id,
        },
    )
    assert response.status_code == 302
    task = ActionItem.objects.get()
    assert (task.owner, task.due, task.decision) == (board.carla, D(2031, 1, 31), decision)
    bad = coordinator_client.post(url("task_add", network, entry.public_id), {"description": "x"})
    assert "Bitte geben Sie an, wer zuständig ist." in text(bad)
    coordinator_client.post(url("task_done", network, task.public_id), {"done": "1"})
    assert ActionItem.objects.get().done
    # circulate
    coordinator_client.post(url("minutes_circulate", network, first.public_id))
    assert Minutes.objects.get().state == "circulated"
    # approve
    second = make_held_meeting(board, day=days_from_today(0), title="Nächste Sitzung")
    page = coordinator_client.get(url("minutes_approve", network, first.public_id))
    assert [m.pk for m in page.context["form"].fields["approved_in"].queryset] == [second.pk]
    response = coordinator_client.post(
        url("minutes_approve", network, first.public_id), {"approved_in": second.public_id}
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert (minutes.state, minutes.approved_in) == ("approved", second)
    # a correction without a reason changes nothing
    before = state()
    response = coordinator_client.post(
        url("minutes_correct", network, first.public_id),
        {"field": "discussion", "entry": entry.public_id.hex, "text": "Neu", "reason": ""},
    )
    assert field_error(response, "reason") == REQUIRED
    edit = url("decision_edit", network, decision.public_id)
    response = coordinator_client.post(
        edit, {"wording": "Neu", "outcome": "adopted", "version": decision.version}
    )
    assert field_error(response, "reason") == REQUIRED
    assert state() == before
    # corrections of the text and of the decision
    response = coordinator_client.post(
        url("minutes_correct", network, first.public_id),
        {
            "field": "discussion",
            "entry": entry.public_id.hex,
            "text": "Beratung (berichtigt)",
            "reason": "Schreibfehler",
            "version": minutes.version,
        },
    )
    assert response.status_code == 302
    assert "berichtigen" in text(
        coordinator_client.get(url("meeting_minutes", network, first.public_id))
    )
    response = coordinator_client.post(
        edit,
        {
            "wording": "Beschluss (berichtigt)",
            "outcome": "adopted",
            "unanimous": "on",
            "reason": "Wortlaut nach Tonaufnahme",
            "version": decision.version,
        },
    )
    assert response.status_code == 302
    page = text(coordinator_client.get(url("meeting_minutes", network, first.public_id)))
    assert "Beratung (berichtigt)" in page
    assert "Schreibfehler" in page
    assert f"Beschluss {decision.reference}" in page
    assert "Wortlaut nach Tonaufnahme" in page
    assert "Beschluss (berichtigt)" in page
    assert "Protokoll genehmigt" in page
    # no removal once approved
    coordinator_client.post(url("decision_remove", network, decision.public_id))
    assert Decision.objects.exists()


# --- PDFs ------------------------------------------------------------------------------------


def test_invitation_pdf(coordinator_client, network, meeting):
    response = coordinator_client.get(url("invitation_pdf", network, meeting.public_id))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_minutes_pdf_needs_minutes(coordinator_client, network, meeting):
    assert coordinator_client.get(url("minutes_pdf", network, meeting.public_id)).status_code == 404


# --- the body's page -------------------------------------------------------------------------


def test_body_page_shows_its_meetings(coordinator_client, network, board):
    make_meeting(board.body, title="Kommende Beiratssitzung")
    make_held_meeting(board, title="Letzte Beiratssitzung")
    response = coordinator_client.get(
        reverse("bodies:body_detail", args=[network.slug, board.body.public_id])
    )
    body = text(response)
    assert "Kommende Beiratssitzung" in body
    assert "Letzte Beiratssitzung" in body
    assert f"?gremium={board.body.public_id}" in body
    assert "Sitzung planen" in body


# --- queries ---------------------------------------------------------------------------------


def bulk_meetings(body, n: int) -> None:
    start = at(D(2030, 1, 1), 10)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=body.network,
            body=body,
            title=f"Sitzung {i:04d}",
            starts_at=start + datetime.timedelta(days=i),
            ends_at=start + datetime.timedelta(days=i, hours=2),
        )
        for i in range(n)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(network=body.network, meeting=m, position=p, title=f"Punkt {p}")
        for m in meetings
        for p in (1, 2)
    )


@pytest.mark.parametrize("n", [5, 200])
def test_meeting_list_queries(coordinator_client, network, board, django_assert_num_queries, n):
    bulk_meetings(board.body, n)
    with django_assert_num_queries(6):
        response = coordinator_client.get(url("meeting_list", network))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [5, 200])
def test_meeting_list_queries_of_a_member(
    client, member, network, in_body, django_assert_num_queries, n
):
    bulk_meetings(in_body.body, n)
    client.force_login(member)
    with django_assert_num_queries(6):
        response = client.get(url("meeting_list", network))
    assert response.status_code == 200


# The steps of the meeting's page (`meetings.steps`), each with the exact number of its
# queries: a step runs only the queries of the parts it shows. (The agenda step shows the
# panels of the apps above meetings: the topics on the agenda, one query.)
OFFICE_STEP_QUERIES = {
    "meeting_detail": 9,
    "meeting_invitations": 8,
    "meeting_attendance": 7,
    "meeting_minutes": 11,
    "meeting_history": 5,
}


@pytest.mark.parametrize("step", OFFICE_STEP_QUERIES)
@pytest.mark.parametrize("n", [5, 200])
def test_meeting_page_queries(
    coordinator_client, network, board, django_assert_num_queries, n, step
):
    # given: n agenda items, three with a document, invited, held, minutes with an entry and a
    # decision each, three tasks carrying out decisions
    meeting = make_meeting(board.body, day=days_from_today(0), items=())
    AgendaItem.objects.bulk_create(
        AgendaItem(network=network, meeting=meeting, position=p, title=f"Punkt {p}")
        for p in range(1, n + 1)
    )
    items = list(meeting.agenda_items.all())
    for item in items[:3]:
        services.document_add(
            actor=SYSTEM, meeting=meeting, upload=upload("A.pdf"), agenda_item=item
        )
    services.meeting_invite(actor=SYSTEM, meeting=meeting)
    services.attendance_record(
        actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk), people=[board.anna]
    )
    services.minutes_save(
        actor=SYSTEM,
        meeting=Meeting.objects.get(pk=meeting.pk),
        expected_version=None,
        entries={i.pk: {"discussion": "x"} for i in items},
    )
    Decision.objects.bulk_create(
        Decision(
            network=network,
            agenda_item=item,
            body=board.body,
            year=2030,
            number=item.position,
            wording="Zur Kenntnis genommen.",
            outcome="noted",
        )
        for item in items
    )
    for decision in Decision.objects.order_by("number")[:3]:
        services.task_add(
            actor=SYSTEM,
            entry=MinutesEntry.objects.get(agenda_item=decision.agenda_item),
            description="Nacharbeiten",
            owner_text="Koordinierungsstelle",
            decision=decision,
        )
    with django_assert_num_queries(OFFICE_STEP_QUERIES[step]):
        response = coordinator_client.get(url(step, network, meeting.public_id))
    assert response.status_code == 200


def test_history_notes_that_name_no_field_do_not_break_the_page(coordinator_client, network, board):
    # given: the delivery notes the minutes' sending under a key that is no model field
    from uebergang.core import history
    from uebergang.core.models import HistoryAction

    meeting = make_invited_meeting(board)
    invitation = Invitation.objects.filter(meeting=meeting).first()
    history.record(
        actor=SYSTEM,
        action=HistoryAction.OTHER,
        obj=invitation,
        parent=meeting,
        changes={"draft_minutes": [None, "sent"]},
    )
    # when
    response = coordinator_client.get(url("meeting_history", network, meeting.public_id))
    # then
    assert response.status_code == 200
    assert "draft_minutes" in text(response)


def test_attendance_over_a_newer_list_is_refused_then_possible(coordinator_client, network, board):
    # given: someone recorded Anna while the form showed the older version
    meeting = make_invited_meeting(board, day=days_from_today(0))
    loaded = meeting.version
    services.attendance_record(
        actor=SYSTEM, meeting=meeting, people=[board.anna], expected_version=loaded
    )
    # when
    path = url("attendance", network, meeting.public_id)
    response = coordinator_client.post(
        path, {"present": [board.carla.public_id.hex], "version": loaded}
    )
    # then: refused, nothing changed, the form now carries the current version
    assert response.status_code == 200
    assert "von jemand anderem geändert" in text(response)
    assert {a.person for a in Attendance.objects.all()} == {board.anna}
    current = Meeting.objects.get(pk=meeting.pk).version
    assert response.context["form"]["version"].value() == str(current)
    again = coordinator_client.post(
        path, {"present": [board.carla.public_id.hex], "version": current}
    )
    assert again.status_code == 302
    assert {a.person for a in Attendance.objects.all()} == {board.carla}


# (the reply form asks once for the member's substitutes on the meeting's day)
MEMBER_STEP_QUERIES = {
    "meeting_detail": 11,
    "meeting_invitations": 7,
    "meeting_attendance": 6,
    "meeting_minutes": 6,
    "meeting_history": 7,
}


@pytest.mark.parametrize("step", MEMBER_STEP_QUERIES)
@pytest.mark.parametrize("n", [5, 200])
def test_meeting_page_queries_of_a_member(
    client, member, network, in_body, django_assert_num_queries, n, step
):
    # given: an invited meeting with n agenda items (the member's reply form shows)
    meeting = make_meeting(in_body.body, items=())
    AgendaItem.objects.bulk_create(
        AgendaItem(network=network, meeting=meeting, position=p, title=f"Punkt {p}")
        for p in range(1, n + 1)
    )
    services.meeting_invite(actor=SYSTEM, meeting=meeting)
    client.force_login(member)
    # when
    with django_assert_num_queries(MEMBER_STEP_QUERIES[step]):
        response = client.get(url(step, network, meeting.public_id))
    # then
    assert response.status_code == 200
    if step in ("meeting_detail", "meeting_invitations"):
        assert "Ihre Antwort" in text(response)


def test_own_reply_through_htmx_swaps_the_section(client, member, network, in_body):
    # given
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.anna)
    client.force_login(member)
    page = client.get(url("meeting_detail", network, meeting.public_id)).content.decode()
    assert f'hx-post="{url("invitation_reply", network, own.public_id)}"' in page
    # when
    response = client.post(
        url("invitation_reply", network, own.public_id),
        {"reply": "decline", "note": "Urlaub"},
        HTTP_HX_REQUEST="true",
    )
    # then: only the section, with the confirmation and the new state
    body = text(response)
    assert response.status_code == 200
    assert body.startswith('<section class="section" id="antwort"')
    assert "Die Antwort ist gespeichert: sagt ab." in body
    assert "Bisher: sagt ab. Urlaub" in body
    own.refresh_from_db()
    assert (own.reply, own.reply_note) == ("decline", "Urlaub")


def test_own_reply_through_htmx_shows_errors_in_the_section(client, member, network, in_body):
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.anna)
    client.force_login(member)
    response = client.post(
        url("invitation_reply", network, own.public_id), {}, HTTP_HX_REQUEST="true"
    )
    body = text(response)
    assert body.startswith('<section class="section" id="antwort"')
    assert REQUIRED in body
    own.refresh_from_db()
    assert own.reply == "none"
