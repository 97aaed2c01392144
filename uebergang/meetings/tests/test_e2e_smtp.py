"""End to end: a real invitation through a local SMTP server (aiosmtpd) with Django's SMTP
backend; the received message is parsed with `email` and its calendar file with icalendar.
Invite → PUBLISH with SEQUENCE 0; change the time → SEQUENCE 1; cancel → METHOD:CANCEL. No
file asks for an answer through the calendar (no RSVP; the product receives no mail)."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket
import threading
import zoneinfo

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from icalendar import Calendar

from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import Invitation, Meeting
from uebergang.meetings.tests.factories import at, make_board, make_meeting

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = datetime.date(2027, 3, 5)


# The meetings here lie on fixed days; the personal reply links of a mail exist only before
# the meeting's end. The clock stands at a fixed moment well before them (and ticks on), so
# the file runs the same whatever day the run is on (UEBERGANG_CLOCK included).
BEFORE = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock_before_the_meetings():
    import time_machine

    with time_machine.travel(BEFORE, tick=True):
        yield


class Inbox:
    """The aiosmtpd handler: keeps every received message (envelope recipients and bytes)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def take(self) -> list[tuple[list[str], email.message.EmailMessage]]:
        with self.lock:
            taken, self.messages = self.messages, []
        return [
            (rcpt, email.message_from_bytes(data, policy=email.policy.default))
            for rcpt, data in taken
        ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    """The production mailer (config/settings.py with EMAIL_HOST set), on a local port."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(MAILERS=smtp_mailers(port)):
            yield inbox
    finally:
        controller.stop()


def the_calendar(message: email.message.EmailMessage) -> tuple[str, Calendar]:
    """The method parameter and the parsed calendar of the text/calendar part; the attached
    invite.ics must hold the same file."""
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    [attached] = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    data = part.get_payload(decode=True)
    assert attached.get_payload(decode=True) == data
    return part.get_param("method"), Calendar.from_ical(data)


def assert_asks_no_answer(received: dict, method: str, *, only: set[str] | None = None) -> None:
    """Every calendar file received (or of the addresses in `only`): METHOD in the MIME part
    and the file, the ORGANIZER, and no RSVP."""
    for address, message in received.items():
        if only is not None and address not in only:
            continue
        part_method, cal = the_calendar(message)
        [event] = cal.walk("VEVENT")
        assert (address, part_method, str(cal["METHOD"])) == (address, method, method)
        assert str(event["ORGANIZER"]) == "mailto:noreply@localhost"
        assert b"RSVP" not in cal.to_ical()
        if method == "PUBLISH":
            assert "ATTENDEE" not in event


def received_by(inbox: Inbox) -> dict[str, email.message.EmailMessage]:
    messages = inbox.take()
    assert all(len(rcpt) == 1 for rcpt, _ in messages)
    return {rcpt[0]: message for rcpt, message in messages}


def test_invitation_update_and_cancellation_through_smtp(
    network, smtp_server, django_capture_on_commit_callbacks
):
    board = make_board(network)
    meeting = make_meeting(board.body, day=DAY, title="Sitzung")

    # invite
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=SYSTEM, meeting=meeting)
    received = received_by(smtp_server)
    assert set(received) == {
        "anna.alt@example.org",
        "bernd.berger@example.org",
        "carla.clausen@example.org",
        "emil.ehrlich@example.org",
        "gustav.gans@example.org",
        "frieda.funk@example.org",
        "schule@example.org",
    }
    message = received["anna.alt@example.org"]
    assert message["Subject"] == "Einladung: Beirat – Sitzung am 05.03.2027"
    assert message["To"] == "anna.alt@example.org"
    assert message.get_content_type() == "multipart/mixed"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "1. Begrüßung und Tagesordnung" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Berichte aus den Schulen" in html
    method, cal = the_calendar(message)
    [event] = cal.walk("VEVENT")
    assert method == "PUBLISH"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == datetime.datetime(2027, 3, 5, 16, tzinfo=BERLIN)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:noreply@localhost"
    assert "/antwort/" in text  # the answer goes through the personal links
    method, cal = the_calendar(received["schule@example.org"])
    assert (method, str(cal["METHOD"])) == ("PUBLISH", "PUBLISH")
    assert_asks_no_answer(received, "PUBLISH")
    anna = Invitation.objects.get(meeting=meeting, person=board.anna)
    assert (anna.delivery, anna.delivered_sequence) == ("sent", 0)

    # change the time: an update with the same UID and SEQUENCE 1
    meeting = Meeting.objects.get(pk=meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=meeting.version,
            data={"starts_at": at(DAY, 17), "ends_at": at(DAY, 19)},
        )
    received = received_by(smtp_server)
    message = received["anna.alt@example.org"]
    assert message["Subject"] == "Aktualisierte Einladung: Beirat – Sitzung am 05.03.2027"
    method, cal = the_calendar(message)
    [event] = cal.walk("VEVENT")
    assert (method, str(event["UID"]), event["SEQUENCE"]) == ("PUBLISH", meeting.uid, 1)
    assert event.decoded("DTSTART") == datetime.datetime(2027, 3, 5, 17, tzinfo=BERLIN)
    assert_asks_no_answer(received, "PUBLISH")

    # cancel: METHOD:CANCEL, a higher SEQUENCE, the same UID
    meeting = Meeting.objects.get(pk=meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Zu wenige Zusagen")
    received = received_by(smtp_server)
    message = received["anna.alt@example.org"]
    assert message["Subject"] == "Absage: Beirat – Sitzung am 05.03.2027"
    method, cal = the_calendar(message)
    [event] = cal.walk("VEVENT")
    assert (method, str(cal["METHOD"])) == ("CANCEL", "CANCEL")
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        meeting.uid,
        2,
        "CANCELLED",
    )
    assert str(event["ATTENDEE"]) == "mailto:anna.alt@example.org"
    assert_asks_no_answer(received, "CANCEL", only=set(received) - {"schule@example.org"})
    assert_asks_no_answer(received, "PUBLISH", only={"schule@example.org"})
    anna.refresh_from_db()
    assert (anna.delivery, anna.delivered_sequence) == ("sent", 2)


def test_an_smtp_server_that_is_not_there_leaves_the_delivery_failed(
    network, django_capture_on_commit_callbacks
):
    board = make_board(network)
    meeting = make_meeting(board.body, day=DAY)
    with (
        override_settings(
            MAILERS=smtp_mailers(free_port()),  # nobody listens there
            INVITATION_MAX_ATTEMPTS=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.meeting_invite(actor=SYSTEM, meeting=meeting)
    anna = Invitation.objects.get(meeting=meeting, person=board.anna)
    assert (anna.delivery, anna.attempts) == ("failed", 2)
    assert anna.last_error.startswith("ConnectionRefusedError")
