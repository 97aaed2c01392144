"""Calendar files (RFC 5545) for meetings and network days, with the iTIP methods of RFC 5546:

* `meeting_request` / `network_day_request`: the file sent with an invitation. Everyone gets
  `METHOD:PUBLISH` without ATTENDEE and RSVP: the calendar enters the appointment (and updates
  it when a later file with the same UID and a higher SEQUENCE arrives) but offers no
  "accept/decline" – the product receives no mail, so an answer from the calendar would reach
  nobody; people answer through the personal links of the e-mail (`reply_links`). Once the
  meeting is cancelled, invitees get `METHOD:CANCEL` (same UID, higher SEQUENCE, with their
  ATTENDEE line and no RSVP) and recipients for information a `PUBLISH` with
  `STATUS:CANCELLED`. The ORGANIZER is the coordination office's own address where the
  network has one (else the sender address). Why: docs/calendar.md.
* `feed`: a calendar feed (`METHOD:PUBLISH`) with one VEVENT per meeting.

Times are written as local time with `TZID=Europe/Berlin` and one VTIMEZONE with the EU
summer-time rules (RRULE form, the one Outlook and Thunderbird read most reliably; the rules
apply since 1996, and every meeting here is later). The component is built once per process.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from email.utils import parseaddr
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .models import InvitationKind, Meeting, MeetingState, NetworkDay, NetworkDayState

TZID = "Europe/Berlin"
BERLIN = ZoneInfo(TZID)
PRODID = "-//uebergang//Sitzungen und Netzwerktage//DE"

_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Berlin\r\n"
    "X-LIC-LOCATION:Europe/Berlin\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@cache
def _vtimezone() -> Timezone:
    return Timezone.from_ical(_VTIMEZONE)


# --- addresses and links ---------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _reverse_first(names: tuple[str, ...], kwargs: dict[str, Any]) -> str | None:
    for name in names:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def meeting_path(meeting: Meeting, network_slug: str) -> str:
    kwargs = {"network": network_slug, "pid": meeting.public_id}
    path = _reverse_first(("meetings:meeting_detail",), kwargs)
    return path or f"/n/{network_slug}/sitzungen/{meeting.public_id}/"


def meeting_url(meeting: Meeting, network_slug: str | None = None) -> str:
    return absolute(meeting_path(meeting, network_slug or meeting.network.slug))


def network_day_url(day: NetworkDay) -> str:
    slug = day.network.slug
    kwargs = {"network": slug, "pid": day.public_id}
    path = _reverse_first(("networkdays:networkday_detail",), kwargs)
    return absolute(path or f"/n/{slug}/netzwerktage/{day.public_id}/")


def sender_address() -> str:
    """The bare address mail is sent from (DEFAULT_FROM_EMAIL without the display name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"


def organizer_name(network: Any) -> str:
    office = (network.coordination_office or "").strip() or _("Koordinierungsstelle")
    return f"{network.name} – {office}"


def organizer_address(network: Any) -> str:
    """The coordination office's address (where a person who writes to the organizer is
    read), else the address mail is sent from."""
    return (getattr(network, "email", "") or "").strip() or sender_address()


def _organizer(network: Any) -> vCalAddress:
    address = vCalAddress(f"mailto:{organizer_address(network)}")
    address.params["CN"] = vText(organizer_name(network))
    return address


def _attendee(name: str, email: str, *, rsvp: bool, role: str = "REQ-PARTICIPANT") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    address.params["CUTYPE"] = vText("INDIVIDUAL")
    address.params["ROLE"] = vText(role)
    if rsvp:
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("TRUE")
    return address


# --- texts -----------------------------------------------------------------------------------


def location(place: str, online_url: str = "") -> str:
    return ", ".join(part for part in ((place or "").strip(), (online_url or "").strip()) if part)


def summary(meeting: Meeting) -> str:
    return f"{meeting.body.name}: {meeting.title}"


def agenda_lines(items: Iterable[Any]) -> list[str]:
    return [f"TOP {item.position}: {item.title}" for item in items]


def _description(meeting: Meeting, items: Iterable[Any], url: str) -> str:
    parts = []
    if meeting.is_cancelled:
        parts.append(_("Die Sitzung ist abgesagt."))
        if meeting.cancel_reason:
            parts.append(meeting.cancel_reason)
    lines = agenda_lines(items)
    if lines:
        parts.append(_("Tagesordnung:") + "\n" + "\n".join(lines))
    if meeting.description:
        parts.append(meeting.description)
    parts.append(_("Sitzung in uebergang (Unterlagen, Zu- und Absage): %(url)s") % {"url": url})
    return "\n\n".join(parts)


# --- building --------------------------------------------------------------------------------


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _local(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(BERLIN)


def _event(
    *,
    uid: str,
    sequence: int,
    stamp: datetime.datetime,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str,
    place: str,
    description: str,
    url: str,
    cancelled: bool,
    organizer: vCalAddress | None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", _local(starts_at))
    event.add("dtend", _local(ends_at))
    event.add("summary", title)
    if place:
        event.add("location", place)
    if description:
        event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer is not None:
        event.add("organizer", organizer)
    return event


def invitation_method(cancelled: bool, information: bool) -> str:
    """PUBLISH (no answer through the calendar), CANCEL for a cancelled meeting's invitees."""
    if information:
        return "PUBLISH"
    return "CANCEL" if cancelled else "PUBLISH"


def _role(invitation: Any) -> str:
    membership = getattr(invitation, "membership", None)
    if membership is not None and membership.role in ("substitute", "guest"):
        return "OPT-PARTICIPANT"
    return "REQ-PARTICIPANT"


def meeting_request(
    meeting: Meeting, invitation: Any, *, items: Iterable[Any] | None = None
) -> bytes:
    """The calendar file for one recipient of the meeting's invitation (see module docstring).
    `items` are the agenda items to list (default: all, or only the public ones for a
    recipient for information)."""
    information = invitation.kind == InvitationKind.INFORMATION
    cancelled = meeting.state == MeetingState.CANCELLED
    if items is None:
        items = meeting.agenda_items.all()
        if information:
            items = items.filter(public=True)
    url = meeting_url(meeting)
    method = invitation_method(cancelled, information)
    cal = _calendar(method)
    cal.add_component(_vtimezone())
    event = _event(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=timezone.now(),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        title=summary(meeting),
        place=location(meeting.place, meeting.online_url),
        description=_description(meeting, items, url),
        url=url,
        cancelled=cancelled,
        organizer=_organizer(meeting.network),
    )
    if method == "CANCEL" and invitation.email:  # RFC 5546: CANCEL names the attendee
        event.add(
            "attendee",
            _attendee(invitation.name, invitation.email, rsvp=False, role=_role(invitation)),
        )
    cal.add_component(event)
    return cal.to_ical()


def network_day_method(cancelled: bool) -> str:
    return "CANCEL" if cancelled else "PUBLISH"


def network_day_request(day: NetworkDay, invitation: Any) -> bytes:
    """The calendar file of a network day's invitation to a partner institution: PUBLISH
    (registration is in uebergang), or CANCEL (higher SEQUENCE) once the day is cancelled."""
    cancelled = day.state == NetworkDayState.CANCELLED
    url = network_day_url(day)
    parts = []
    if cancelled:
        parts.append(_("Der Netzwerktag ist abgesagt."))
    if day.programme:
        parts.append(_("Programm:") + "\n" + day.programme)
    if day.registration_until:
        parts.append(_("Anmeldung bis %(day)s.") % {"day": f"{day.registration_until:%d.%m.%Y}"})
    parts.append(_("Netzwerktag in uebergang (Anmeldung): %(url)s") % {"url": url})
    cal = _calendar(network_day_method(cancelled))
    cal.add_component(_vtimezone())
    event = _event(
        uid=day.uid,
        sequence=day.sequence,
        stamp=timezone.now(),
        starts_at=day.starts_at,
        ends_at=day.ends_at,
        title=f"{day.network.name}: {day.title}",
        place=day.place,
        description="\n\n".join(parts),
        url=url,
        cancelled=cancelled,
        organizer=_organizer(day.network),
    )
    if cancelled and invitation.email:
        event.add("attendee", _attendee(invitation.name, invitation.email, rsvp=False))
    cal.add_component(event)
    return cal.to_ical()


# The feed is polled by every subscribed calendar and covers many meetings: it is written
# directly (the same property rules as icalendar applies: TEXT escaping, CRLF, folding at 75
# octets) – about ten times faster than building components. Tests parse it with icalendar.

_PLACEHOLDER = uuid.UUID(int=0)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines of at most 75 octets, continued after CRLF + space; never inside
    a UTF-8 sequence."""
    if len(line) <= 75 and line.isascii():
        return line
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def _local_stamp(value: datetime.datetime) -> str:
    return value.astimezone(BERLIN).strftime("%Y%m%dT%H%M%S")


def _utc_stamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed(meetings: Iterable[Meeting], name: str) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) with one VEVENT per meeting; cancelled ones
    stay in it with STATUS:CANCELLED. Deterministic: DTSTAMP is the meeting's last change,
    and the events come in the order given. The meetings need `body` loaded
    (select_related); their networks are read in one query unless loaded too."""
    from uebergang.core.models import Network

    meetings = list(meetings)
    networks: dict[int, Any] = {}
    for meeting in meetings:
        if meeting.network_id not in networks and Meeting.network.is_cached(meeting):
            networks[meeting.network_id] = meeting.network
    missing = {m.network_id for m in meetings} - networks.keys()
    if missing:
        networks.update(
            Network.objects.filter(pk__in=missing)
            .only("pk", "slug", "name", "coordination_office", "email")
            .in_bulk()
        )
    url_patterns = {
        pk: absolute(meeting_path(_Placeholder, network.slug)).replace(str(_PLACEHOLDER), "{}")
        for pk, network in networks.items()
    }
    # RFC 5546 wants an ORGANIZER in a published event; CN quoted, as it may hold a comma
    organizers = {
        pk: _fold(
            'ORGANIZER;CN="{}":mailto:{}'.format(
                organizer_name(network).replace('"', "'"), organizer_address(network)
            )
        )
        for pk, network in networks.items()
    }
    cancelled_text = _("Die Sitzung ist abgesagt.")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        # an X- property: written as icalendar writes it (raw, on one line)
        _fold("X-WR-CALNAME:" + " ".join(name.split())),
        f"X-WR-TIMEZONE:{TZID}",
    ]
    out = "\r\n".join(lines) + "\r\n"
    if meetings:
        out += _VTIMEZONE
    chunks = [out]
    for meeting in meetings:
        url = url_patterns[meeting.network_id].format(meeting.public_id)
        cancelled = meeting.state == MeetingState.CANCELLED
        text = []
        if cancelled:
            text.append(cancelled_text)
        if meeting.description:
            text.append(meeting.description)
        text.append(url)
        place = location(meeting.place, meeting.online_url)
        event = [
            "BEGIN:VEVENT",
            f"UID:{_escape(meeting.uid)}",
            f"SEQUENCE:{meeting.sequence}",
            f"DTSTAMP:{_utc_stamp(meeting.modified)}",
            f"DTSTART;TZID={TZID}:{_local_stamp(meeting.starts_at)}",
            f"DTEND;TZID={TZID}:{_local_stamp(meeting.ends_at)}",
            _fold(f"SUMMARY:{_escape(summary(meeting))}"),
        ]
        if place:
            event.append(_fold(f"LOCATION:{_escape(place)}"))
        event += [
            _fold("DESCRIPTION:" + _escape("\n\n".join(text))),
            _fold(f"URL:{url}"),
            organizers[meeting.network_id],
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
        chunks.append("\r\n".join(event) + "\r\n")
    chunks.append("END:VCALENDAR\r\n")
    return "".join(chunks).encode()


class _Placeholder:
    public_id = _PLACEHOLDER
