"""Sending invitations and minutes: who gets which e-mail (subject, text, HTML, calendar part,
attachments), the delivery state on each invitation, retries, idempotency and the history."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.tasks import task_backends
from django.test import override_settings
from icalendar import Calendar

from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import delivery, services
from uebergang.meetings.models import (
    Delivery,
    Invitation,
    InvitationKind,
    Meeting,
    NetworkDayInvitation,
)
from uebergang.meetings.tests.factories import (
    at,
    make_board,
    make_held_meeting,
    make_meeting,
    make_network_day,
)
from uebergang.networks.tests.factories import make_partner

DAY = datetime.date(2027, 3, 5)
SUBJECT = "Beirat – Sitzung am 05.03.2027"


# The meetings here lie on fixed days; the personal reply links of a mail exist only before
# the meeting's end. The clock stands at a fixed moment well before them (and ticks on), so
# the file runs the same whatever day the run is on (UEBERGANG_CLOCK included).
BEFORE = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock_before_the_meetings():
    import time_machine

    with time_machine.travel(BEFORE, tick=True):
        yield


INVITEES = {
    "anna.alt@example.org",
    "bernd.berger@example.org",
    "carla.clausen@example.org",
    "emil.ehrlich@example.org",
    "gustav.gans@example.org",
    "frieda.funk@example.org",
}
INFORMATION = {"schule@example.org"}


# --- mail backends that fail ------------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """Refuses the first `failures` messages (class-wide), then delivers to the outbox."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky():
    def configure(failures: int):
        FlakyBackend.failures = failures
        FlakyBackend.calls = 0
        return override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.FlakyBackend"}})

    yield configure
    FlakyBackend.failures = FlakyBackend.calls = 0


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def planned(board):
    meeting = make_meeting(board.body, day=DAY, title="Sitzung")
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, data={"title": "Personalangelegenheiten", "public": False}
    )
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run what it queued after commit (the tasks, immediately)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def invited(planned, run):
    run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    return Meeting.objects.get(pk=planned.pk)


def by_address() -> dict[str, mail.EmailMessage]:
    return {m.to[0]: m for m in mail.outbox}


def assert_no_file_asks_an_answer(messages, method: str, organizer: str = "noreply@localhost"):
    """Every calendar file of `messages`: METHOD as given (in the file and the MIME part),
    ORGANIZER the given address, no RSVP, no ATTENDEE in a published file."""
    assert messages
    for message in messages:
        alternative, attachment = calendar_parts(message)
        raw = alternative.get_payload(decode=True)
        assert attachment.get_payload(decode=True) == raw
        cal = Calendar.from_ical(raw)
        [event] = cal.walk("VEVENT")
        assert (alternative.get_param("method"), str(cal["METHOD"])) == (method, method)
        assert str(event["ORGANIZER"]) == f"mailto:{organizer}"
        assert b"RSVP" not in raw
        if method == "PUBLISH":
            assert "ATTENDEE" not in event


def calendar_parts(message) -> tuple[object, object]:
    """The text/calendar alternative and the invite.ics attachment of a sent message."""
    parsed = message.message()
    [alternative] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    [attachment] = [p for p in parsed.walk() if p.get_filename() == "invite.ics"]
    return alternative, attachment


def calendar_of(message) -> Calendar:
    alternative, _ = calendar_parts(message)
    return Calendar.from_ical(alternative.get_payload(decode=True))


def invitation(meeting, email: str) -> Invitation:
    return Invitation.objects.get(meeting=meeting, email=email)


def delivery_events(meeting) -> list[tuple]:
    return [
        (e.object_repr, e.action, e.actor_name, e.changes)
        for e in HistoryEvent.objects.filter(
            object_type="meetings.invitation", parent_id=meeting.public_id, action="other"
        ).order_by("id")
    ]


# --- the invitation --------------------------------------------------------------------------


def test_invite_sends_one_mail_per_recipient_with_an_address(board, invited):
    assert set(by_address()) == INVITEES | INFORMATION
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert {m.subject for m in mail.outbox} == {f"Einladung: {SUBJECT}"}
    states = {
        (i.name, i.kind, i.delivery, i.delivered_sequence, i.attempts)
        for i in Invitation.objects.filter(meeting=invited)
    }
    assert states == {
        ("Anna Alt", "invitee", "sent", 0, 0),
        ("Bernd Berger", "invitee", "sent", 0, 0),
        ("Carla Clausen", "invitee", "sent", 0, 0),
        ("Emil Ehrlich", "invitee", "sent", 0, 0),
        ("Gustav Gans", "invitee", "sent", 0, 0),
        ("Frieda Funk", "invitee", "sent", 0, 0),
        ("Dora Dietrich", "invitee", "no_address", -1, 0),
        ("Oberschule Am Mühlenteich", "information", "sent", 0, 0),
        ("Grundschule Lindenhof", "information", "no_address", -1, 0),
    }
    assert all(
        i.sent_at is not None
        for i in Invitation.objects.filter(meeting=invited, delivery=Delivery.SENT)
    )


def test_the_invitation_mail_has_text_html_agenda_link_and_calendar(board, invited):
    message = by_address()["anna.alt@example.org"]
    url = f"http://localhost:8000/n/osterode/sitzungen/{invited.public_id}/"
    assert "Koordinierungsstelle" in message.from_email
    assert message.from_email.endswith("<noreply@localhost>")
    # plain text: numbered agenda, link, where to reply
    assert "  1. Begrüßung und Tagesordnung\n" in message.body
    assert "  2. Berichte aus den Schulen\n" in message.body
    assert "  3. Personalangelegenheiten (nicht öffentlich)\n" in message.body
    assert "05.03.2027, 16:00–18:00 Uhr" in message.body
    assert url in message.body
    # the personal links, one per answer (Anna has a substitute)
    links = [line for line in message.body.splitlines() if "/antwort/" in line]
    assert [line.split(": http")[0] for line in links] == [
        "Ich nehme teil",
        "Ich sage ab",
        "Mein/e Vertreter/in kommt",
    ]
    assert [line.rsplit("?", 1)[1] for line in links] == [
        "antwort=teilnahme",
        "antwort=absage",
        "antwort=vertretung",
    ]
    assert all(": http://localhost:8000/antwort/" in line for line in links)
    assert "eine Antwort aus dem Kalenderprogramm erreicht uns nicht" in message.body
    # HTML alternative
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="de">' in html
    assert '<li value="3">Personalangelegenheiten (nicht öffentlich)</li>' in html
    assert f'href="{url}"' in html
    assert html.count('href="http://localhost:8000/antwort/') == 3
    # calendar: alternative with method and the same file attached
    alternative, attachment = calendar_parts(message)
    assert alternative.get_content_type() == "text/calendar"
    assert alternative.get_param("method") == "PUBLISH"
    assert alternative.get_content_charset() == "utf-8"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_payload(decode=True) == alternative.get_payload(decode=True)
    raw = alternative.get_payload(decode=True)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(raw)
    [event] = cal.walk("VEVENT")
    assert (str(cal["METHOD"]), str(event["UID"]), event["SEQUENCE"]) == (
        "PUBLISH",
        invited.uid,
        0,
    )
    assert "ATTENDEE" not in event
    parsed = message.message()
    assert parsed["Content-Class"] is None  # an appointment, no meeting request
    assert parsed.get_content_type() == "multipart/mixed"
    # every file of the sending: published, without RSVP, organizer as configured
    assert_no_file_asks_an_answer(mail.outbox, "PUBLISH")


def test_a_member_without_substitute_gets_two_links(board, invited):
    body = by_address()["carla.clausen@example.org"].body
    links = [line.split(": http")[0] for line in body.splitlines() if "/antwort/" in line]
    assert links == ["Ich nehme teil", "Ich sage ab"]


def test_the_files_name_the_coordination_office_as_organizer(board, planned, run):
    board.network.email = "koordinierung@example.org"
    board.network.save(update_fields=["email"])
    run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    assert_no_file_asks_an_answer(mail.outbox, "PUBLISH", "koordinierung@example.org")


def test_information_recipients_get_the_public_agenda_and_a_published_event(board, invited):
    message = by_address()["schule@example.org"]
    assert "zur Information" in message.body
    assert "Berichte aus den Schulen" in message.body
    assert "Personalangelegenheiten" not in message.body
    assert "Personalangelegenheiten" not in message.alternatives[0].content
    assert "Antwort (Teilnahme" not in message.body
    assert "/antwort/" not in message.body
    alternative, _ = calendar_parts(message)
    assert alternative.get_param("method") == "PUBLISH"
    assert "ATTENDEE" not in calendar_of(message).walk("VEVENT")[0]
    assert "Content-Class" not in message.message()


def test_each_delivery_is_recorded_in_the_history_by_the_system(board, invited):
    events = delivery_events(invited)
    assert len(events) == 7
    assert {e[0] for e in events} == {
        "Anna Alt",
        "Bernd Berger",
        "Carla Clausen",
        "Emil Ehrlich",
        "Gustav Gans",
        "Frieda Funk",
        "Oberschule Am Mühlenteich",
    }
    assert {(e[1], e[2]) for e in events} == {("other", "System")}
    assert {str(e[3]) for e in events} == {str({"delivery": ["pending", "sent"]})}


def test_an_update_sends_the_new_version_with_a_higher_sequence(board, invited, run):
    mail.outbox.clear()
    run(
        services.meeting_update,
        actor=SYSTEM,
        meeting=invited,
        expected_version=invited.version,
        data={"starts_at": at(DAY, 17), "ends_at": at(DAY, 19)},
    )
    assert set(by_address()) == INVITEES | INFORMATION
    assert {m.subject for m in mail.outbox} == {f"Aktualisierte Einladung: {SUBJECT}"}
    message = by_address()["anna.alt@example.org"]
    assert "hat sich geändert" in message.body
    [event] = calendar_of(message).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (invited.uid, 1)
    assert event.decoded("DTSTART") == at(DAY, 17)
    assert_no_file_asks_an_answer(mail.outbox, "PUBLISH")
    assert set(
        Invitation.objects.filter(meeting=invited, delivery=Delivery.SENT).values_list(
            "delivered_sequence", flat=True
        )
    ) == {1}


def test_a_cancellation_sends_method_cancel(board, invited, run):
    mail.outbox.clear()
    run(services.meeting_cancel, actor=SYSTEM, meeting=invited, reason="Zu wenige Zusagen")
    assert {m.subject for m in mail.outbox} == {f"Absage: {SUBJECT}"}
    message = by_address()["anna.alt@example.org"]
    assert "ist abgesagt" in message.body
    assert "Zu wenige Zusagen" in message.body
    alternative, _ = calendar_parts(message)
    assert alternative.get_param("method") == "CANCEL"
    cal = calendar_of(message)
    [event] = cal.walk("VEVENT")
    assert (str(cal["METHOD"]), str(event["STATUS"]), event["SEQUENCE"]) == (
        "CANCEL",
        "CANCELLED",
        1,
    )
    assert "/antwort/" not in message.body
    invitees = [m for m in mail.outbox if m.to[0] in INVITEES]
    assert_no_file_asks_an_answer(invitees, "CANCEL")
    assert_no_file_asks_an_answer([by_address()["schule@example.org"]], "PUBLISH")


def test_a_task_that_runs_again_sends_nothing(board, invited):
    anna = invitation(invited, "anna.alt@example.org")
    mail.outbox.clear()
    mark = HistoryEvent.objects.count()

    assert delivery.send_invitation.call(anna.pk) == "skipped"
    assert mail.outbox == []
    assert HistoryEvent.objects.count() == mark
    anna.refresh_from_db()
    assert (anna.delivery, anna.delivered_sequence) == ("sent", 0)


def test_no_address_stays_no_address_and_sends_nothing(board, invited, run):
    dora = Invitation.objects.get(meeting=invited, person=board.dora)
    mail.outbox.clear()
    run(delivery.enqueue_invitations, [dora.pk])
    assert delivery.send_invitation.call(dora.pk) == "no_address"
    assert mail.outbox == []
    dora.refresh_from_db()
    assert (dora.delivery, dora.attempts, dora.sent_at) == ("no_address", 0, None)


def test_resend_sends_again(board, invited, run):
    anna = invitation(invited, "anna.alt@example.org")
    mail.outbox.clear()
    run(services.invitation_resend, actor=SYSTEM, invitation=anna)
    assert [m.to for m in mail.outbox] == [["anna.alt@example.org"]]
    anna.refresh_from_db()
    assert anna.delivery == "sent"


def test_nothing_is_sent_before_the_transaction_commits(board, planned):
    services.meeting_invite(actor=SYSTEM, meeting=planned)  # the test's transaction stays open
    assert mail.outbox == []
    assert set(Invitation.objects.filter(meeting=planned).values_list("delivery", flat=True)) == {
        "pending",
        "no_address",
    }


# --- failures and retries --------------------------------------------------------------------


def test_a_transient_error_is_retried_until_it_goes_through(board, planned, run, flaky):
    with flaky(2):
        run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    assert set(by_address()) == INVITEES | INFORMATION
    [first] = [
        i
        for i in Invitation.objects.filter(meeting=planned).order_by("pk")
        if i.delivery == "sent" and i.attempts
    ]
    assert (first.delivery, first.attempts, first.last_error, first.delivered_sequence) == (
        "sent",
        2,
        "",
        0,
    )
    assert Invitation.objects.filter(meeting=planned, delivery="sent").count() == 7


@override_settings(INVITATION_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_delivery_failed_and_says_why(board, planned, run, flaky):
    with flaky(1000):
        run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    assert mail.outbox == []
    rows = Invitation.objects.filter(meeting=planned).exclude(delivery="no_address")
    assert {(i.delivery, i.attempts, i.last_error) for i in rows} == {
        ("failed", 3, "SMTPServerDisconnected: Connection unexpectedly closed")
    }
    assert FlakyBackend.calls == 7 * 3
    events = delivery_events(planned)
    assert len(events) == 7
    assert {str(e[3]) for e in events} == {str({"delivery": ["pending", "failed"]})}


def test_a_failed_delivery_can_be_resent(board, planned, run, flaky):
    with override_settings(INVITATION_MAX_ATTEMPTS=1), flaky(1000):
        run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    anna = Invitation.objects.get(meeting=planned, person=board.anna)
    assert anna.delivery == "failed"
    run(services.invitation_resend, actor=SYSTEM, invitation=anna)
    anna.refresh_from_db()
    assert (anna.delivery, anna.attempts, anna.last_error) == ("sent", 0, "")
    assert [m.to for m in mail.outbox] == [["anna.alt@example.org"]]


DEFERRING = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=DEFERRING)
def test_with_a_deferring_backend_a_retry_is_queued_for_later(board, planned, run, flaky):
    run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    backend = task_backends["default"]
    queued = [r for r in backend.results if r.task.name == "send_invitation"]
    assert len(queued) == 7  # one task per recipient with an address, none run yet
    assert mail.outbox == []
    anna = Invitation.objects.get(meeting=planned, person=board.anna)
    backend.clear()

    with flaky(1):
        assert delivery.send_invitation.call(anna.pk) == "retry"
    [retry] = backend.results
    assert retry.args == [anna.pk]
    assert retry.task.run_after is not None
    assert retry.task.run_after > datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=50
    )
    anna.refresh_from_db()
    assert (anna.delivery, anna.attempts) == ("pending", 1)

    with flaky(0):
        assert delivery.send_invitation.call(anna.pk) == "sent"
    anna.refresh_from_db()
    assert (anna.delivery, anna.attempts) == ("sent", 1)


def test_retry_delays_grow_and_stay_at_the_last():
    assert [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 9)] == [
        60,
        300,
        1800,
        7200,
        7200,
        7200,
    ]


# --- minutes ---------------------------------------------------------------------------------


@pytest.fixture
def fake_pdf(monkeypatch):
    from uebergang.meetings import pdf

    calls = []

    def minutes_pdf(meeting, *, public_only=False):
        calls.append(public_only)
        return b"%PDF-1.7 public" if public_only else b"%PDF-1.7 full"

    monkeypatch.setattr(pdf, "minutes_pdf", minutes_pdf)
    return calls


@pytest.fixture
def held(board):
    return make_held_meeting(board)


def test_circulated_minutes_go_to_the_invitees_with_the_pdf(board, held, run, fake_pdf):
    mail.outbox.clear()
    run(delivery.enqueue_minutes, held.pk, "circulated")
    assert set(by_address()) == INVITEES
    message = by_address()["anna.alt@example.org"]
    assert message.subject.startswith("Protokollentwurf: Beirat – ")
    assert "Entwurf des Protokolls" in message.body
    [(name, content, mimetype)] = message.attachments
    assert (name.endswith(".pdf"), content, mimetype) == (True, b"%PDF-1.7 full", "application/pdf")
    assert fake_pdf == [False]  # rendered once for all recipients
    events = HistoryEvent.objects.filter(
        object_type="meetings.invitation",
        parent_id=held.public_id,
        changes__has_key="draft_minutes",
    )
    assert events.count() == 6


def test_approved_minutes_also_go_to_the_institutions_public_part_only(board, held, run, fake_pdf):
    mail.outbox.clear()
    run(delivery.enqueue_minutes, held.pk, "approved")
    assert set(by_address()) == INVITEES | INFORMATION
    school = by_address()["schule@example.org"]
    assert school.subject.startswith("Genehmigtes Protokoll: Beirat – ")
    assert "zur Information" in school.body
    assert school.attachments[0][1] == b"%PDF-1.7 public"
    assert by_address()["anna.alt@example.org"].attachments[0][1] == b"%PDF-1.7 full"
    assert sorted(fake_pdf) == [False, True]


def test_the_real_minutes_pdf_is_attached(board, held, run):
    services.minutes_save(
        actor=SYSTEM, meeting=held, expected_version=None, opening="Frau Alt eröffnet."
    )
    mail.outbox.clear()
    run(delivery.enqueue_minutes, held.pk, "approved")
    full = by_address()["anna.alt@example.org"].attachments
    public = by_address()["schule@example.org"].attachments
    assert [(name.endswith(".pdf"), content[:5]) for name, content, _ in full + public] == [
        (True, b"%PDF-"),
        (True, b"%PDF-"),
    ]
    assert full[0][1] != public[0][1]


def test_minutes_go_out_without_attachment_when_there_is_no_pdf(board, held, run, monkeypatch):
    from uebergang.meetings import pdf

    monkeypatch.delattr(pdf, "minutes_pdf")
    mail.outbox.clear()
    run(delivery.enqueue_minutes, held.pk, "circulated")
    assert len(mail.outbox) == 6
    assert all(m.attachments == [] for m in mail.outbox)


@override_settings(INVITATION_MAX_ATTEMPTS=2)
def test_minutes_that_cannot_be_sent_are_recorded_as_failed(board, held, run, flaky, fake_pdf):
    mail.outbox.clear()
    with flaky(1000):
        run(delivery.enqueue_minutes, held.pk, "circulated")
    assert FlakyBackend.calls == 12
    events = HistoryEvent.objects.filter(
        object_type="meetings.invitation",
        parent_id=held.public_id,
        changes__has_key="draft_minutes",
    )
    assert {str(e.changes) for e in events} == {str({"draft_minutes": [None, "failed"]})}
    assert events.count() == 6


# --- network day -----------------------------------------------------------------------------


def test_network_day_invitations_are_sent_updated_and_cancelled(network, run):
    make_partner(network, "Berufsbildende Schulen Osterode", email="bbs@example.org")
    make_partner(network, "Jugendhilfe ohne Adresse")
    day = make_network_day(network, day=datetime.date(2027, 6, 10), programme="Marktplatz")

    run(services.network_day_invite, actor=SYSTEM, day=day)
    [message] = mail.outbox
    assert message.to == ["bbs@example.org"]
    assert message.subject == "Einladung: Netzwerktag Übergang Schule–Beruf am 10.06.2027"
    assert "Marktplatz" in message.body
    assert_no_file_asks_an_answer([message], "PUBLISH")
    states = dict(NetworkDayInvitation.objects.values_list("name", "delivery"))
    assert states == {
        "Berufsbildende Schulen Osterode": "sent",
        "Jugendhilfe ohne Adresse": "no_address",
    }
    assert (
        HistoryEvent.objects.filter(
            object_type="meetings.networkdayinvitation", parent_id=day.public_id
        ).count()
        == 1
    )

    mail.outbox.clear()
    run(services.network_day_cancel, actor=SYSTEM, day=day)
    [message] = mail.outbox
    assert message.subject.startswith("Absage: ")
    cal = calendar_of(message)
    assert (str(cal["METHOD"]), cal.walk("VEVENT")[0]["SEQUENCE"]) == ("CANCEL", 1)
    assert_no_file_asks_an_answer([message], "CANCEL")
    invitation_row = NetworkDayInvitation.objects.get(email="bbs@example.org")
    assert (invitation_row.delivery, invitation_row.delivered_sequence) == ("sent", 1)


def test_only_recipients_of_this_meeting_are_addressed(board, invited, other_network, run):
    other = make_board(other_network)
    meeting = make_meeting(other.body, day=DAY)
    mail.outbox.clear()
    run(services.meeting_invite, actor=SYSTEM, meeting=meeting)
    assert len(mail.outbox) == 7
    assert all(str(meeting.public_id) in m.body for m in mail.outbox)
    assert not any(str(invited.public_id) in m.body for m in mail.outbox)


def test_minutes_recipients_by_stage(board, invited):
    invitees = set(
        Invitation.objects.filter(meeting=invited, kind=InvitationKind.INVITEE)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    information = set(
        Invitation.objects.filter(meeting=invited, kind=InvitationKind.INFORMATION)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    assert set(delivery.minutes_recipients(invited.pk, "circulated")) == invitees
    assert set(delivery.minutes_recipients(invited.pk, "approved")) == invitees | information
    with pytest.raises(ValueError):
        delivery.enqueue_minutes(invited.pk, "drafted")


# --- the production queue --------------------------------------------------------------------

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_QUEUE)
# A real worker closes connections it finds outside autocommit (PostgreSQL would lose the
# test's transaction): this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_and_defers_retries(board, planned, run, flaky):
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    with flaky(1):
        run(services.meeting_invite, actor=SYSTEM, meeting=planned)
        assert mail.outbox == []
        queued = DBTaskResult.objects.filter(task_path=delivery.send_invitation.module_path)
        assert queued.count() == 7
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    # the first message met the failing server: its task queued a retry for later
    assert len(mail.outbox) == 6
    [waiting] = Invitation.objects.filter(meeting=planned, delivery="pending")
    assert (waiting.attempts, waiting.last_error) == (
        1,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert retry.args_kwargs["args"] == [waiting.pk]
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=50)

    # once due, the worker sends it
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    waiting.refresh_from_db()
    assert (waiting.delivery, waiting.attempts) == ("sent", 1)
    assert len(mail.outbox) == 7
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


# --- two workers, one invitation ---------------------------------------------------------------


def test_a_second_task_for_an_invitation_being_sent_sends_nothing(board, planned, run):
    """While one worker sends (its claim is set), another task for the same invitation skips;
    once the claim is older than the timeout (a worker died), the next task sends."""
    from django.utils import timezone

    run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    invitation = Invitation.objects.filter(meeting=planned, email=board.anna.email).get()
    Invitation.objects.filter(pk=invitation.pk).update(
        delivery="pending", sending_since=timezone.now()
    )
    mail.outbox.clear()

    assert delivery.send_invitation.call(invitation.pk) == delivery.SKIPPED
    assert mail.outbox == []

    stale = timezone.now() - delivery.CLAIM_TIMEOUT - datetime.timedelta(seconds=1)
    Invitation.objects.filter(pk=invitation.pk).update(sending_since=stale)
    assert delivery.send_invitation.call(invitation.pk) == delivery.SENT
    invitation.refresh_from_db()
    assert [m.to for m in mail.outbox] == [[board.anna.email]]
    assert (invitation.delivery, invitation.sending_since) == ("sent", None)


def test_a_task_that_runs_after_the_meeting_took_place_marks_the_delivery_failed(
    board, planned, run
):
    """A queued invitation whose meeting has meanwhile been held is not sent any more, and
    the page says so instead of "wird versendet" for ever."""
    from uebergang.core.models import HistoryEvent

    run(services.meeting_invite, actor=SYSTEM, meeting=planned)
    invitation = Invitation.objects.filter(meeting=planned, email=board.anna.email).get()
    Invitation.objects.filter(pk=invitation.pk).update(delivery="pending")
    Meeting.objects.filter(pk=planned.pk).update(state="held")
    mail.outbox.clear()

    assert delivery.send_invitation.call(invitation.pk) == delivery.FAILED

    invitation.refresh_from_db()
    assert mail.outbox == []
    assert invitation.delivery == "failed"
    assert "stattgefunden" in invitation.last_error
    event = HistoryEvent.objects.filter(object_id=invitation.public_id).latest("pk")
    assert event.changes == {"delivery": ["pending", "failed"]}
