"""The calendar files: parsed back with icalendar, they carry what Outlook and Thunderbird
need (METHOD, a stable UID, SEQUENCE, local times with TZID and VTIMEZONE, ORGANIZER), and
updates and cancellations follow RFC 5546. No file invites an answer that nobody receives:
METHOD:PUBLISH without ATTENDEE/RSVP (METHOD:CANCEL for a cancellation, its ATTENDEE without
RSVP), the ORGANIZER the coordination office's address where the network has one."""

from __future__ import annotations

import datetime
import time
import zoneinfo

import pytest
from icalendar import Calendar

from uebergang.core.permissions import SYSTEM
from uebergang.meetings import ics, selectors, services
from uebergang.meetings.models import Invitation, InvitationKind, Meeting, MeetingState
from uebergang.meetings.tests.factories import (
    at,
    days_from_today,
    make_board,
    make_meeting,
    make_network_day,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def parse(data: bytes) -> tuple[Calendar, object]:
    cal = Calendar.from_ical(data)
    [event] = cal.walk("VEVENT")
    return cal, event


def invite(meeting: Meeting, django_capture_on_commit_callbacks) -> Meeting:
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=SYSTEM, meeting=meeting)
    return Meeting.objects.select_related("body", "network").get(pk=meeting.pk)


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def meeting(board, django_capture_on_commit_callbacks):
    meeting = make_meeting(
        board.body,
        day=datetime.date(2027, 3, 5),
        title="Sitzung",
        online_url="https://konferenz.example.org/beirat",
    )
    services.agenda_item_add(
        actor=SYSTEM, meeting=meeting, data={"title": "Personalangelegenheiten", "public": False}
    )
    return invite(meeting, django_capture_on_commit_callbacks)


def invitation_of(meeting: Meeting, person) -> Invitation:
    return Invitation.objects.select_related("membership").get(meeting=meeting, person=person)


def assert_asks_no_answer(data: bytes, method: str, organizer: str = "noreply@localhost"):
    """METHOD as given, the ORGANIZER's address, and no RSVP anywhere in the file."""
    cal, event = parse(data)
    assert str(cal["METHOD"]) == method
    assert str(event["ORGANIZER"]) == f"mailto:{organizer}"
    assert b"RSVP" not in data
    assert b"NEEDS-ACTION" not in data
    if method == "PUBLISH":
        assert "ATTENDEE" not in event
    return cal, event


def test_the_file_for_an_invitee_carries_everything_a_calendar_needs(board, meeting):
    data = ics.meeting_request(meeting, invitation_of(meeting, board.anna))

    cal, event = assert_asks_no_answer(data, "PUBLISH")
    assert str(cal["VERSION"]) == "2.0"
    assert str(event["UID"]) == meeting.uid == f"meeting-{meeting.public_id}@uebergang"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Beirat: Sitzung"
    assert str(event["LOCATION"]) == (
        "Kreishaus Osterode, Raum 101, https://konferenz.example.org/beirat"
    )
    url = f"http://localhost:8000/n/osterode/sitzungen/{meeting.public_id}/"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    assert "TOP 1: Begrüßung und Tagesordnung" in description
    assert "TOP 3: Personalangelegenheiten" in description
    assert url in description
    # local time with TZID and the matching VTIMEZONE
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART") == datetime.datetime(2027, 3, 5, 16, tzinfo=BERLIN)
    assert event.decoded("DTEND") == meeting.ends_at
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    assert b"DTSTART;TZID=Europe/Berlin:20270305T160000\r\n" in data
    assert event.decoded("DTSTAMP").tzinfo is not None
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:noreply@localhost"
    assert organizer.params["CN"] == (
        "Übergang Schule–Beruf Osterode am Harz – Koordinierungsstelle Bildung-Beruf"
    )
    # published: the calendar enters it and offers no answer (nobody would receive one)
    assert "ATTENDEE" not in event


def test_the_organizer_is_the_coordination_office_where_it_has_an_address(board, meeting):
    meeting.network.email = "koordinierung@example.org"
    meeting.network.save(update_fields=["email"])
    anna = invitation_of(meeting, board.anna)
    school = Invitation.objects.get(meeting=meeting, kind=InvitationKind.INFORMATION, email__gt="")
    for invitation in (anna, school):
        assert_asks_no_answer(
            ics.meeting_request(meeting, invitation), "PUBLISH", "koordinierung@example.org"
        )


def test_the_file_follows_rfc_5545_line_rules(board, meeting):
    data = ics.meeting_request(meeting, invitation_of(meeting, board.anna))
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_a_cancellation_names_a_substitute_as_an_optional_participant(
    board, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=SYSTEM, meeting=meeting)
    meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)
    data = ics.meeting_request(meeting, invitation_of(meeting, board.bernd))
    _, event = assert_asks_no_answer(data, "CANCEL")
    assert str(event["ATTENDEE"]) == "mailto:bernd.berger@example.org"
    assert event["ATTENDEE"].params["ROLE"] == "OPT-PARTICIPANT"


def test_information_recipients_get_publish_without_rsvp_and_only_public_items(board, meeting):
    school = Invitation.objects.get(meeting=meeting, kind=InvitationKind.INFORMATION, email__gt="")
    cal, event = assert_asks_no_answer(ics.meeting_request(meeting, school), "PUBLISH")
    assert str(event["UID"]) == meeting.uid
    description = str(event["DESCRIPTION"])
    assert "TOP 2: Berichte aus den Schulen" in description
    assert "Personalangelegenheiten" not in description


def test_an_update_keeps_the_uid_and_raises_the_sequence(
    board, meeting, django_capture_on_commit_callbacks
):
    before = ics.meeting_request(meeting, invitation_of(meeting, board.anna))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=meeting.version,
            data={"starts_at": at(datetime.date(2027, 3, 5), 17)},
        )
    meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)

    _, old = assert_asks_no_answer(before, "PUBLISH")
    cal, new = assert_asks_no_answer(
        ics.meeting_request(meeting, invitation_of(meeting, board.anna)), "PUBLISH"
    )
    assert str(new["UID"]) == str(old["UID"]) == meeting.uid
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert new.decoded("DTSTART") == datetime.datetime(2027, 3, 5, 17, tzinfo=BERLIN)


def test_a_cancellation_is_method_cancel_with_a_higher_sequence(
    board, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Zu wenige Zusagen")
    meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)
    assert meeting.state == MeetingState.CANCELLED

    data = ics.meeting_request(meeting, invitation_of(meeting, board.anna))
    cal, event = assert_asks_no_answer(data, "CANCEL")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 1
    assert str(event["ATTENDEE"]) == "mailto:anna.alt@example.org"
    assert "Zu wenige Zusagen" in str(event["DESCRIPTION"])
    # information recipients: the published event is marked cancelled
    school = Invitation.objects.get(meeting=meeting, kind=InvitationKind.INFORMATION, email__gt="")
    cal, event = assert_asks_no_answer(ics.meeting_request(meeting, school), "PUBLISH")
    assert str(event["STATUS"]) == "CANCELLED"


def test_summer_and_winter_time_are_written_as_local_time(
    board, django_capture_on_commit_callbacks
):
    summer = make_meeting(board.body, day=datetime.date(2027, 7, 1), title="Sommer")
    summer = invite(summer, django_capture_on_commit_callbacks)
    data = ics.meeting_request(summer, invitation_of(summer, board.anna))
    assert b"DTSTART;TZID=Europe/Berlin:20270701T160000\r\n" in data
    _, event = parse(data)
    assert event.decoded("DTSTART") == summer.starts_at  # 14:00 UTC
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)


def test_network_day_publish_and_cancel(network, django_capture_on_commit_callbacks):
    from uebergang.meetings.models import NetworkDayInvitation
    from uebergang.networks.tests.factories import make_partner

    make_partner(network, "Berufsbildende Schulen Osterode", email="bbs@example.org")
    day = make_network_day(network, programme="Vorträge und Marktplatz")
    with django_capture_on_commit_callbacks(execute=True):
        services.network_day_invite(actor=SYSTEM, day=day)
    invitation = NetworkDayInvitation.objects.select_related("network_day__network").get()
    day = invitation.network_day

    cal, event = assert_asks_no_answer(ics.network_day_request(day, invitation), "PUBLISH")
    assert str(event["UID"]) == day.uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "Vorträge und Marktplatz" in str(event["DESCRIPTION"])

    with django_capture_on_commit_callbacks(execute=True):
        services.network_day_cancel(actor=SYSTEM, day=day)
    invitation = NetworkDayInvitation.objects.select_related("network_day__network").get()
    data = ics.network_day_request(invitation.network_day, invitation)
    cal, event = assert_asks_no_answer(data, "CANCEL")
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(event["UID"]) == day.uid
    assert str(event["ATTENDEE"]) == "mailto:bbs@example.org"


# --- feeds -----------------------------------------------------------------------------------


def many_meetings(board, n: int) -> None:
    Meeting.objects.bulk_create(
        [
            Meeting(
                network=board.network,
                body=board.body,
                title=f"Sitzung {i + 1}",
                starts_at=at(days_from_today(i - 30), 16),
                ends_at=at(days_from_today(i - 30), 18),
                place="Kreishaus",
                state=MeetingState.CANCELLED if i % 10 == 3 else MeetingState.PLANNED,
            )
            for i in range(n)
        ]
    )


def test_feed_has_one_event_per_meeting_and_marks_cancelled_ones(board):
    many_meetings(board, 12)
    meetings = selectors.feed_meetings(network=board.network, body=board.body)

    data = ics.feed(meetings, "Beirat")
    cal = Calendar.from_ical(data)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert b"RSVP" not in data
    assert b"ATTENDEE" not in data
    assert str(cal["X-WR-CALNAME"]) == "Beirat"
    events = cal.walk("VEVENT")
    assert {str(e["ORGANIZER"]) for e in events} == {"mailto:noreply@localhost"}
    assert [str(e["UID"]) for e in events] == [m.uid for m in meetings]
    assert [str(e["STATUS"]) for e in events] == [
        "CANCELLED" if m.state == MeetingState.CANCELLED else "CONFIRMED" for m in meetings
    ]
    assert all(e["DTSTART"].params["TZID"] == "Europe/Berlin" for e in events)
    assert len(cal.walk("VTIMEZONE")) == 1


def test_feed_is_deterministic(board):
    many_meetings(board, 5)
    meetings = selectors.feed_meetings(network=board.network, body=board.body)
    assert ics.feed(meetings, "Beirat") == ics.feed(meetings, "Beirat")


def test_an_empty_feed_is_a_valid_calendar():
    cal = Calendar.from_ical(ics.feed([], "Beirat"))
    assert cal.walk("VEVENT") == []


@pytest.mark.parametrize("n", [5, 70])
def test_feed_needs_one_query_for_the_networks_whatever_the_number(
    board, n, django_assert_num_queries
):
    many_meetings(board, n)
    meetings = selectors.feed_meetings(network=board.network, body=board.body)
    with django_assert_num_queries(1):
        ics.feed(meetings, "Beirat")
    for meeting in meetings:
        meeting.network = board.network
    with django_assert_num_queries(0):
        ics.feed(meetings, "Beirat")


def test_feed_of_seventy_meetings_is_fast(board):
    many_meetings(board, 70)
    meetings = selectors.feed_meetings(network=board.network, body=board.body)
    ics.feed(meetings, "Beirat")  # warm up
    started = time.perf_counter()
    data = ics.feed(meetings, "Beirat")
    assert time.perf_counter() - started < 0.25
    assert data.count(b"BEGIN:VEVENT") == 70


def event_meeting(event) -> Meeting:
    return Meeting.objects.get(public_id=str(event["UID"]).removeprefix("meeting-").split("@")[0])


def test_feed_escapes_and_folds_text_as_rfc_5545_asks(board):
    many_meetings(board, 2)
    Meeting.objects.filter(title="Sitzung 1").update(
        title="Sitzung; mit, Sonderzeichen \\ und Ümläuten",
        description="Bitte Unterlagen mitbringen;\nTreffpunkt: Foyer, 2. OG. " * 6,
        online_url="https://konferenz.example.org/raum?id=1",
    )
    meetings = selectors.feed_meetings(network=board.network, body=board.body)
    data = ics.feed(meetings, "Beirat; Osterode, Übergang")

    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    cal = Calendar.from_ical(data)
    assert cal.calendar_name == "Beirat; Osterode, Übergang"
    event = next(e for e in cal.walk("VEVENT") if "Sonderzeichen" in str(e["SUMMARY"]))
    assert str(event["SUMMARY"]) == "Beirat: Sitzung; mit, Sonderzeichen \\ und Ümläuten"
    assert str(event["LOCATION"]) == "Kreishaus, https://konferenz.example.org/raum?id=1"
    assert str(event["DESCRIPTION"]).startswith(
        "Bitte Unterlagen mitbringen;\nTreffpunkt: Foyer, 2. OG. Bitte"
    )
    assert str(event["DESCRIPTION"]).endswith(f"/sitzungen/{event_meeting(event).public_id}/")
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["ORGANIZER"]) == "mailto:noreply@localhost"
    assert event["ORGANIZER"].params["CN"] == (
        "Übergang Schule–Beruf Osterode am Harz – Koordinierungsstelle Bildung-Beruf"
    )


def test_feed_names_the_coordination_office_as_organizer_where_it_has_an_address(board):
    board.network.email = "koordinierung@example.org"
    board.network.save(update_fields=["email"])
    many_meetings(board, 2)
    meetings = selectors.feed_meetings(network=board.network, body=board.body)
    cal = Calendar.from_ical(ics.feed(meetings, "Beirat"))
    assert {str(e["ORGANIZER"]) for e in cal.walk("VEVENT")} == {"mailto:koordinierung@example.org"}
