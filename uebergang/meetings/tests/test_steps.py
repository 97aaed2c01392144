"""The meeting's page in steps (`meetings.steps`): each step has its own URL and shows only
its part; the head offers only the actions that fit the meeting's state (and the services
refuse the others); an updated invitation shows what changed and who gets it first; a form
with errors opens with a linked error summary; the reply form shows the saved answer."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services, steps
from uebergang.meetings.models import Invitation, Meeting, Minutes
from uebergang.meetings.tests.factories import (
    days_from_today,
    link_user,
    make_board,
    make_held_meeting,
    make_invited_meeting,
    make_meeting,
)
from uebergang.networks.tests.factories import make_person

STEP_NAMES = [s.url_name for s in steps.STEPS]


def url(name, network, *args):
    return reverse(f"meetings:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def labels(meeting, *, manage=True) -> list[str]:
    return [a.label for a in steps.actions(meeting.network.slug, meeting, manage=manage)]


def primary(meeting, *, manage=True) -> list[str]:
    found = steps.actions(meeting.network.slug, meeting, manage=manage)
    return [a.label for a in found if a.style == "primary"]


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def in_body(board, member):
    link_user(board.anna, member)
    return board


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the steps -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STEP_NAMES)
def test_every_step_has_its_own_address_and_marks_itself_current(
    coordinator_client, network, board, name
):
    meeting = make_invited_meeting(board)
    response = coordinator_client.get(url(name, network, meeting.public_id))
    assert response.status_code == 200
    page = response.content.decode()
    current = url(name, network, meeting.public_id)
    assert f'href="{current}" aria-current="page"' in page
    # the step, the main navigation's "Sitzungen" and the breadcrumb
    assert page.count('aria-current="page"') == 3


def test_each_step_shows_its_own_part_only(coordinator_client, network, board):
    meeting = make_held_meeting(board)
    services.minutes_save(actor=SYSTEM, meeting=meeting, expected_version=None, opening="Eröffnet")
    pages = {
        name: text(coordinator_client.get(url(name, network, meeting.public_id)))
        for name in STEP_NAMES
    }
    assert 'class="meetings-agenda"' in pages["meeting_detail"]
    assert "Eingeladene mit Antwort und Zustellung" in pages["meeting_invitations"]
    assert "Anwesend: " in pages["meeting_attendance"]
    assert "Eröffnet" in pages["meeting_minutes"]
    assert "Vorher → nachher" in pages["meeting_history"]
    for name, page in pages.items():
        assert ("Eingeladene mit Antwort und Zustellung" in page) == (name == "meeting_invitations")
        assert ("Vorher → nachher" in page) == (name == "meeting_history")
        assert ("Eröffnet" in page) == (name in ("meeting_minutes", "meeting_history"))
        assert ('class="meetings-agenda"' in page) == (name == "meeting_detail")


@pytest.mark.parametrize("name", STEP_NAMES)
def test_a_member_reads_every_step_but_not_the_offices_parts(
    client, member, network, in_body, name
):
    meeting = make_invited_meeting(in_body)
    client.force_login(member)
    page = text(client.get(url(name, network, meeting.public_id)))
    for office_only in (
        "Eingeladene mit Antwort und Zustellung",
        "Tagesordnung bearbeiten",
        "Anwesenheitsliste zum Unterschreiben",
        "Bearbeiten",
    ):
        assert office_only not in page


@pytest.mark.parametrize("name", STEP_NAMES)
def test_another_body_and_another_network_are_refused_on_every_step(
    client, member, outsider, network, board, name
):
    from django.test import Client

    meeting = make_invited_meeting(board)  # the member sits in no body
    client.force_login(member)
    assert client.get(url(name, network, meeting.public_id)).status_code == 403
    other = Client()
    other.force_login(outsider)
    response = other.get(url(name, network, meeting.public_id))
    assert response.status_code in (403, 404)
    assert meeting.title not in text(response)


def test_the_agenda_links_each_document_at_its_item(client, member, network, in_body):
    from uebergang.meetings.tests.factories import upload

    meeting = make_meeting(in_body.body)
    item = meeting.agenda_items.order_by("position").first()
    doc = services.document_add(
        actor=SYSTEM,
        meeting=meeting,
        upload=upload("Plan.pdf"),
        title="Ablaufplan",
        agenda_item=item,
    )
    services.meeting_invite(actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk))
    client.force_login(member)
    page = client.get(url("meeting_detail", network, meeting.public_id)).content.decode()
    link = f'href="{url("document_download", network, doc.public_id)}" download>Ablaufplan</a>'
    assert link in page
    assert page.index(link) > page.index(f"{item.title}")


# --- the actions that fit the state ----------------------------------------------------------


def test_a_planned_meeting_offers_the_invitation_first(network, board):
    meeting = make_meeting(board.body)
    assert primary(meeting) == ["Einladung versenden"]
    assert "Anwesenheit erfassen" not in labels(meeting)
    assert "Protokoll schreiben" not in labels(meeting)
    assert "Bearbeiten" in labels(meeting) and "Absagen" in labels(meeting)


def test_an_invited_meeting_offers_the_update_before_its_day_and_the_attendance_on_it(
    network, board
):
    ahead = make_invited_meeting(board)
    assert primary(ahead) == ["Aktualisierte Einladung versenden"]
    assert "Anwesenheit erfassen" not in labels(ahead)
    today = make_invited_meeting(board, day=days_from_today(0))
    assert primary(today) == ["Anwesenheit erfassen"]


def test_a_held_meeting_offers_the_minutes_and_no_invitation(network, board):
    held = make_held_meeting(board)
    assert primary(held) == ["Protokoll schreiben"]
    assert "Anwesenheit erfassen" in labels(held)
    for gone in ("Einladung versenden", "Aktualisierte Einladung versenden", "Absagen"):
        assert gone not in labels(held)


def test_approved_minutes_put_their_pdf_first_and_offer_no_attendance(network, board):
    first = make_held_meeting(board, day=days_from_today(-60))
    second = make_held_meeting(board, day=days_from_today(-30))
    services.minutes_save(actor=SYSTEM, meeting=first, expected_version=None, opening="x")
    minutes = Minutes.objects.get(meeting=first)
    services.minutes_approve(actor=SYSTEM, minutes=minutes, approved_in=second)
    first = Meeting.objects.get(pk=first.pk)
    assert primary(first) == ["Protokoll als PDF (PDF/A)"]
    assert primary(first, manage=False) == ["Protokoll als PDF (PDF/A)"]
    for gone in (
        "Anwesenheit erfassen",
        "Protokoll schreiben",
        "Anwesenheitsliste zum Unterschreiben (PDF)",
    ):
        assert gone not in labels(first)
    # and the service refuses what is not offered
    from uebergang.core.errors import DomainError

    with pytest.raises(DomainError):
        services.attendance_record(actor=SYSTEM, meeting=first, people=[board.anna])


def test_a_cancelled_meeting_offers_nothing(network, board):
    meeting = make_invited_meeting(board)
    services.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Krankheit")
    assert labels(Meeting.objects.get(pk=meeting.pk)) == []


def test_a_member_is_offered_no_managing_action(network, board):
    meeting = make_invited_meeting(board)
    assert labels(meeting, manage=False) == ["Einladung als PDF", "In meinen Kalender"]


# --- the updated invitation shows what changed and who gets it first ------------------------


def test_the_update_shows_the_changes_since_the_last_sending_and_the_new_recipients(
    coordinator_client, network, board
):
    from uebergang.bodies.tests.factories import add_member

    meeting = make_invited_meeting(board)
    # (a new time, place or title sends the update at once; these wait for the office)
    services.meeting_update(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=meeting.version,
        data={"description": "Bitte bringen Sie die Zahlen Ihrer Schule mit."},
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk), data={"title": "Praktikumsbörse"}
    )
    newcomer = make_person(network, first_name="Nora", last_name="Neumann")
    add_member(board.body, newcomer, "guest")
    before = Invitation.objects.count(), Meeting.objects.get(pk=meeting.pk).sequence
    # when: the confirmation page is opened
    page = text(coordinator_client.get(url("meeting_invite", network, meeting.public_id)))
    # then: the changes and the first-time recipient, and nothing sent yet
    assert "Geändert seit dem letzten Versand" in page
    assert "Zuletzt versandt am" in page
    assert "Bitte bringen Sie die Zahlen Ihrer Schule mit." in page
    assert "Praktikumsbörse" in page
    assert "Nora Neumann" in page
    assert page.count("erhält die Einladung zum ersten Mal") == 1
    assert (Invitation.objects.count(), Meeting.objects.get(pk=meeting.pk).sequence) == before
    # after sending, nothing is new any more
    coordinator_client.post(url("meeting_invite", network, meeting.public_id))
    again = text(coordinator_client.get(url("meeting_invite", network, meeting.public_id)))
    assert "Seit dem letzten Versand hat sich nichts geändert." in again
    assert "erhält die Einladung zum ersten Mal" not in again


def test_the_first_invitation_shows_no_changes(coordinator_client, network, board):
    meeting = make_meeting(board.body)
    page = text(coordinator_client.get(url("meeting_invite", network, meeting.public_id)))
    assert "Geändert seit dem letzten Versand" not in page
    assert "erhält die Einladung zum ersten Mal" not in page


# --- error summary, saved answer ------------------------------------------------------------


def test_a_form_with_errors_opens_with_a_summary_linking_each_field(
    coordinator_client, network, board
):
    meeting = make_meeting(board.body)
    response = coordinator_client.post(url("agenda_item_add", network, meeting.public_id), {})
    page = response.content.decode()
    assert 'class="kern-alert kern-alert--danger error-summary" role="alert"' in page
    assert "autofocus" in page.split("error-summary", 1)[1].split(">", 1)[0]
    assert '<a class="kern-link" href="#id_title">Titel: ' in html.unescape(page)
    assert 'id="id_title"' in page


def test_the_reply_form_shows_the_saved_answer(client, member, network, in_body):
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.anna)
    services.invitation_reply(actor=SYSTEM, invitation=own, reply="decline", note="Urlaub")
    client.force_login(member)
    page = client.get(url("meeting_detail", network, meeting.public_id)).content.decode()
    assert f'value="decline" id="reply-{own.public_id}-decline" checked' in page
    assert f'value="attend" id="reply-{own.public_id}-attend" checked' not in page
    assert 'value="Urlaub"' in page
    # the htmx answer swaps in the section with the new answer selected and the focus mark
    swapped = client.post(
        url("invitation_reply", network, own.public_id),
        {"reply": "attend"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'value="attend" id="reply-{own.public_id}-attend" checked' in swapped
    assert "data-focus-after-swap" in swapped


def test_a_result_message_takes_the_focus(coordinator_client, network, board):
    meeting = make_meeting(board.body)
    response = coordinator_client.post(
        url("agenda_item_add", network, meeting.public_id), {"title": "Neu"}, follow=True
    )
    page = response.content.decode()
    assert '<div class="messages" tabindex="-1" autofocus>' in page


# --- the preview in the API ------------------------------------------------------------------


def test_the_api_previews_the_update_for_the_office_only(network, in_body, coordinator, member):
    from uebergang.bodies.tests.factories import add_member
    from uebergang.meetings.tests.test_api import Api

    board = in_body
    meeting = make_invited_meeting(board)
    services.agenda_item_add(
        actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk), data={"title": "Verschiedenes"}
    )
    add_member(board.body, make_person(network, first_name="Nora", last_name="Neumann"), "guest")
    path = f"/meetings/{meeting.public_id}/invite"
    before = Invitation.objects.count(), Meeting.objects.get(pk=meeting.pk).sequence
    # when
    response = Api(coordinator).get(path)
    # then
    assert response.status_code == 200
    data = response.json()
    assert data["update"] is True and data["last_sent_at"]
    assert [(e["type"], e["action"]) for e in data["changes"]] == [
        ("Tagesordnungspunkt", "angelegt")
    ]
    assert "Verschiedenes" in data["changes"][0]["object"]
    first = [r["name"] for r in data["recipients"] if r["first_time"]]
    assert first == ["Nora Neumann"]
    assert (Invitation.objects.count(), Meeting.objects.get(pk=meeting.pk).sequence) == before
    # a member is refused, in the documented error shape
    refused = Api(member).get(path)
    assert refused.status_code == 403
    assert set(refused.json()) >= {"code", "message"}
    # an unknown meeting: 404 in the same shape
    missing = Api(coordinator).get("/meetings/00000000-0000-0000-0000-000000000000/invite")
    assert missing.status_code == 404 and "message" in missing.json()


def test_the_preview_service_refuses_everyone_but_the_office(network, board, member):
    from uebergang.core.errors import PermissionDenied

    meeting = make_invited_meeting(board)
    with pytest.raises(PermissionDenied):
        services.invitation_preview(actor=member, meeting=meeting)


# --- the substitute answer on the meeting's page ----------------------------------------------


def test_the_substitute_answer_is_offered_only_with_a_substitute(client, member, network, in_body):
    # the member is Anna (IHK seat), whose substitute is Bernd
    meeting = make_invited_meeting(in_body)
    client.force_login(member)
    page = text(client.get(url("meeting_detail", network, meeting.public_id)))
    assert 'value="substitute"' in page
    assert "Wer vertritt Sie?" not in page  # one substitute: nothing to choose
    # Carla (schools' seat) has none: only attend and decline, and the hint
    in_body.bernd_m.delete()  # the IHK seat without a substitute, as Carla's
    page = text(client.get(url("meeting_detail", network, meeting.public_id)))
    assert 'value="substitute"' not in page
    assert "die Koordinierungsstelle eine Vertretung benennen" in page


def test_with_several_substitutes_the_member_picks_the_one_who_comes(
    client, member, coordinator, network, in_body
):
    from uebergang.bodies.tests.factories import add_member

    extra = make_person(network, first_name="Helga", last_name="Hilfreich")
    add_member(in_body.body, extra, "substitute", substitute_for=in_body.anna_m)
    meeting = make_invited_meeting(in_body)
    own = Invitation.objects.get(meeting=meeting, person=in_body.anna)
    client.force_login(member)
    page = text(client.get(url("meeting_detail", network, meeting.public_id)))
    assert "Wer vertritt Sie?" in page and "Helga Hilfreich" in page and "Bernd Berger" in page
    # without a choice: refused at the field, nothing saved
    response = client.post(url("invitation_reply", network, own.public_id), {"reply": "substitute"})
    assert "Bitte wählen Sie, wer Sie vertritt." in text(response)
    own.refresh_from_db()
    assert own.reply == "none"
    # with the choice: saved, and the office sees who comes
    helga = in_body.body.memberships.get(person=extra)
    client.post(
        url("invitation_reply", network, own.public_id),
        {"reply": "substitute", "substitute": str(helga.public_id)},
    )
    own.refresh_from_db()
    assert (own.reply, own.substitute_id) == ("substitute", helga.pk)
    page = text(client.get(url("meeting_detail", network, meeting.public_id)))
    assert f'value="{helga.public_id}" id="substitute-{own.public_id}-' in page
    office = Client()
    office.force_login(coordinator)
    rows = text(office.get(url("meeting_invitations", network, meeting.public_id)))
    assert "schickt Vertreter/in (es kommt Helga Hilfreich)" in rows


def test_the_minutes_show_formatted_text_safely(coordinator_client, network, board):
    meeting = make_held_meeting(board)
    services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        opening="Begrüßung durch **Frau Alt**.\n\n- Punkt eins\n- Punkt zwei\n\n<script>x()</script>",
    )
    page = coordinator_client.get(url("meeting_minutes", network, meeting.public_id))
    body = page.content.decode()
    assert "Begrüßung durch <strong>Frau Alt</strong>." in body
    assert "<li>Punkt eins</li>" in body
    assert "<script>x()" not in body and "&lt;script&gt;x()&lt;/script&gt;" in body
    form = coordinator_client.get(url("minutes_edit", network, meeting.public_id)).content.decode()
    assert 'id="format-hint"' in form and 'aria-describedby="format-hint"' in form


# --- the letter: letterhead and cover text -----------------------------------------------------


def test_the_office_writes_a_cover_text_that_goes_into_mail_and_pdf(
    coordinator_client, network, board, mailoutbox, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    network.coordination_office = "Landkreis Göttingen, Bildungsbüro"
    network.email = "bildungsbuero@example.org"
    network.save()
    meeting = make_meeting(board.body)
    page = text(coordinator_client.get(url("meeting_invite", network, meeting.public_id)))
    assert "Anschreiben" in page and 'name="cover_text"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the sending task
        coordinator_client.post(
            url("meeting_invite", network, meeting.public_id),
            {"cover_text": "Liebe Mitglieder,\n\nbitte bringen Sie **die Zahlen 2026** mit."},
        )
    meeting.refresh_from_db()
    assert meeting.state == "invited"
    assert meeting.cover_text.startswith("Liebe Mitglieder,")
    # the mails: letterhead and the text, formatted in the HTML part
    mail = next(m for m in mailoutbox if "anna.alt@example.org" in m.to)
    assert "Landkreis Göttingen, Bildungsbüro · bildungsbuero@example.org" in mail.body
    assert "bitte bringen Sie **die Zahlen 2026** mit." in mail.body
    html_part = mail.alternatives[0][0] if mail.alternatives else ""
    assert "<strong>die Zahlen 2026</strong>" in html_part
    # the PDF
    from uebergang.meetings import pdf

    data = pdf.invitation_pdf(meeting)
    text_of_pdf = " ".join(
        " ".join(p.extract_text() for p in PdfReader(__import__("io").BytesIO(data)).pages).split()
    )
    assert "Landkreis Göttingen, Bildungsbüro" in text_of_pdf
    assert "bitte bringen Sie die Zahlen 2026 mit." in text_of_pdf
    assert "als Antwort auf die Einladung per E-Mail" not in text_of_pdf
    # the history notes the text with the sending

    event = HistoryEvent.objects.filter(object_id=meeting.public_id).latest("id")
    assert "cover_text" in event.changes


def test_a_too_long_cover_text_is_refused_and_nothing_is_sent(
    coordinator_client, network, board, mailoutbox
):
    from uebergang.core.errors import DomainError

    meeting = make_meeting(board.body)
    with pytest.raises(DomainError) as error:
        services.meeting_invite(actor=SYSTEM, meeting=meeting, cover_text="x" * 5001)
    assert "cover_text" in error.value.field_errors
    response = coordinator_client.post(
        url("meeting_invite", network, meeting.public_id), {"cover_text": "x" * 5001}
    )
    assert "Das Anschreiben ist zu lang" in text(response)
    assert Meeting.objects.get(pk=meeting.pk).state == "planned" and mailoutbox == []


def test_the_api_sends_with_a_cover_text_and_refuses_a_bad_one(network, board, coordinator):
    from uebergang.meetings.tests.test_api import Api

    api = Api(coordinator)
    meeting = make_meeting(board.body)
    bad = api.post(f"/meetings/{meeting.public_id}/invite", {"cover_text": ["keine", "Zeile"]})
    assert bad.status_code == 422 and set(bad.json()) == {
        "code",
        "message",
        "field_errors",
        "details",
    }
    response = api.post(f"/meetings/{meeting.public_id}/invite", {"cover_text": "Willkommen"})
    assert response.status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).cover_text == "Willkommen"
    # without a body the text of the last sending stays
    assert api.post(f"/meetings/{meeting.public_id}/invite").status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).cover_text == "Willkommen"


# --- a one-off substitute named by the office ---------------------------------------------------


def test_the_office_names_a_one_off_substitute_who_is_invited_and_counts_for_the_seat(
    coordinator_client, network, board, django_capture_on_commit_callbacks, mailoutbox
):
    import time_machine

    from uebergang.meetings.tests.factories import at

    # the meeting is today at 16:00; the office works on it in the morning
    with time_machine.travel(at(days_from_today(0), 9), tick=True):
        _one_off_substitute_journey(
            coordinator_client, network, board, django_capture_on_commit_callbacks, mailoutbox
        )


def _one_off_substitute_journey(client, network, board, capture, mailoutbox):
    from uebergang.meetings import selectors

    meeting = make_invited_meeting(board, day=days_from_today(0))
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)  # schools' seat
    helper = make_person(
        network, first_name="Tessa", last_name="Testfall", email="tessa.testfall@example.org"
    )
    page = text(client.get(url("meeting_invitations", network, meeting.public_id)))
    link = url("invitation_substitute", network, carla.public_id)
    assert f'href="{link}">Vertretung benennen<span class="kern-sr-only">: Carla Clausen' in page
    # when
    with capture(execute=True):
        response = client.post(
            link,
            {"person": helper.public_id, "note": "Frau Clausen ist auf Fortbildung."},
            follow=True,
        )
    # then: the answer, her own invitation by mail, the office's rows
    body = text(response)
    assert "Tessa Testfall vertritt Carla Clausen in dieser Sitzung" in body
    assert "schickt Vertreter/in (es kommt einmalig Tessa Testfall)" in body
    carla.refresh_from_db()
    assert (carla.reply, carla.substitute_person_id) == ("substitute", helper.pk)
    theirs = Invitation.objects.get(meeting=meeting, person=helper)
    assert theirs.kind == "invitee" and theirs.membership_id is None
    assert any("tessa.testfall@example.org" in m.to for m in mailoutbox)
    # expected for the quorum; on the day present for the member's seat
    assert selectors.quorum(Meeting.objects.get(pk=meeting.pk)).expected >= 1
    form = client.get(url("attendance", network, meeting.public_id))
    assert "Tessa Testfall – einmalige Vertretung für Carla Clausen" in text(form)
    services.attendance_record(
        actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk), people=[helper]
    )
    attendance = meeting.attendances.get(person=helper)
    assert attendance.seat_id == board.carla_m.seat_id
    assert selectors.quorum(Meeting.objects.get(pk=meeting.pk)).present == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("self", "Bitte wählen Sie eine andere Person."),
        ("invited", "ist zu dieser Sitzung bereits eingeladen."),
    ],
)
def test_a_one_off_substitute_must_be_someone_not_yet_invited(network, board, who, message):
    from uebergang.core.errors import DomainError

    meeting = make_invited_meeting(board)
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)
    person = board.carla if who == "self" else board.anna
    with pytest.raises(DomainError) as error:
        services.invitation_substitute_once(actor=SYSTEM, invitation=carla, person=person)
    assert message in str(error.value.message) or message in str(error.value.field_errors)
    carla.refresh_from_db()
    assert carla.reply == "none" and carla.substitute_person_id is None


def test_only_a_members_invitation_takes_a_one_off_substitute(network, board, member):
    from uebergang.core.errors import DomainError, PermissionDenied

    meeting = make_invited_meeting(board)
    guest = Invitation.objects.get(meeting=meeting, person=board.dora)  # a guest expert
    helper = make_person(network, first_name="Tessa", last_name="Testfall")
    with pytest.raises(DomainError) as error:
        services.invitation_substitute_once(actor=SYSTEM, invitation=guest, person=helper)
    assert error.value.code == "not_a_member"
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)
    with pytest.raises(PermissionDenied):
        services.invitation_substitute_once(actor=member, invitation=carla, person=helper)


def test_the_members_own_answer_replaces_the_one_off_substitute_who_is_told(
    network, board, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = make_invited_meeting(board)
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)
    helper = make_person(
        network, first_name="Tessa", last_name="Testfall", email="tessa.testfall@example.org"
    )
    services.invitation_substitute_once(actor=SYSTEM, invitation=carla, person=helper)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_reply(
            actor=SYSTEM, invitation=Invitation.objects.get(pk=carla.pk), reply="attend"
        )
    carla.refresh_from_db()
    assert (carla.reply, carla.substitute_person_id) == ("attend", None)
    # the substitute's invitation says so, and she is told
    theirs = Invitation.objects.get(meeting=meeting, person=helper)
    assert (theirs.reply, theirs.reply_note) == (
        "decline",
        "Nicht mehr als Vertretung für Carla Clausen benötigt.",
    )
    [notice] = mailoutbox
    assert notice.to == ["tessa.testfall@example.org"]
    assert notice.subject.startswith("Vertretung nicht mehr nötig: Beirat – ")
    assert "nicht mehr als Vertretung für Carla Clausen benötigt" in notice.body
    events = HistoryEvent.objects.filter(object_id=theirs.public_id).order_by("id")
    assert [e.message for e in events][-2:] == [
        "einmalige Vertretung aufgehoben",
        "Tessa Testfall per E-Mail an tessa.testfall@example.org mitgeteilt: Vertretung nicht "
        "mehr nötig.",
    ]
    # answering again changes nothing more for her
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_reply(
            actor=SYSTEM, invitation=Invitation.objects.get(pk=carla.pk), reply="decline"
        )
    assert len(mailoutbox) == 1


def test_naming_another_one_off_substitute_stands_the_first_one_down(
    network, board, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = make_invited_meeting(board)
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)
    first = make_person(network, first_name="Tessa", last_name="Testfall", email="t@example.org")
    second = make_person(network, first_name="Uwe", last_name="Umfall", email="u@example.org")
    services.invitation_substitute_once(actor=SYSTEM, invitation=carla, person=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_substitute_once(
            actor=SYSTEM, invitation=Invitation.objects.get(pk=carla.pk), person=second
        )
    carla.refresh_from_db()
    assert carla.substitute_person == second
    assert Invitation.objects.get(meeting=meeting, person=first).reply == "decline"
    assert Invitation.objects.get(meeting=meeting, person=second).reply == "none"
    assert ["t@example.org"] in [m.to for m in mailoutbox]


def test_the_api_names_a_one_off_substitute_and_shows_who_comes(network, board, coordinator):
    from uebergang.meetings.tests.test_api import Api

    meeting = make_invited_meeting(board)
    carla = Invitation.objects.get(meeting=meeting, person=board.carla)
    helper = make_person(network, first_name="Tessa", last_name="Testfall")
    api = Api(coordinator)
    response = api.post(f"/invitations/{carla.public_id}/substitute", {"person": helper.public_id})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["reply"], data["substitute_name"], data["substitute_once"]) == (
        "substitute",
        "Tessa Testfall",
        True,
    )
    bad = api.post(f"/invitations/{carla.public_id}/substitute", {"person": "kein"})
    assert bad.status_code == 422 and set(bad.json()) == {
        "code",
        "message",
        "field_errors",
        "details",
    }
