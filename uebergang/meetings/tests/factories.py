"""Test data for meetings, built through the real services (as the system unless told
otherwise), so records look exactly like real ones, history included.

Stable names (other test modules import them):

* `at(day, hour=...)` – an aware datetime in Europe/Berlin; `days_from_today(n)` – a date.
* `make_body(network, ...)` – a body through `bodies.services.body_create`.
* `make_board(network, ...)` – the advisory board with seats and people (see its docstring);
  returns a `SimpleNamespace` with every record by name.
* `make_meeting(body, ...)` – a planned meeting with agenda items.
* `make_invited_meeting(board, ...)`, `make_held_meeting(board, ...)` – further along.
* `make_network_day(network, ...)`.
* `upload(name, content)`, `PDF`, `DOCX`, `DOC` – file uploads for documents.
* `link_user(person, user)` – connect a person of the registry to a user account.
"""

from __future__ import annotations

import datetime
import zoneinfo
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from uebergang.bodies.models import Body
from uebergang.bodies.tests.factories import START, make_board, make_body  # noqa: F401 (re-exported)
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import Meeting, NetworkDay
from uebergang.networks.tests.factories import link_user  # noqa: F401 (re-exported)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64  # a ZIP container as Office Open XML starts
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64  # an OLE compound file (old Office)


def at(day: datetime.date, hour: int = 16, minute: int = 0) -> datetime.datetime:
    """`day` at `hour`:`minute` local time (Europe/Berlin), time-zone aware."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def days_from_today(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def upload(name: str, content: bytes = PDF, content_type: str = "application/pdf") -> Any:
    """An uploaded file as a form would hand it to the service."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_meeting(
    body: Body,
    *,
    actor: Any = SYSTEM,
    day: datetime.date | None = None,
    title: str = "Sitzung des Beirats",
    items: tuple[str, ...] = ("Begrüßung und Tagesordnung", "Berichte aus den Schulen"),
    **data: Any,
) -> Meeting:
    """A planned meeting (default: in 30 days, 16–18 h) with the given agenda items."""
    day = day or days_from_today(30)
    data.setdefault("starts_at", at(day, 16))
    data.setdefault("ends_at", at(day, 18))
    data.setdefault("place", "Kreishaus Osterode, Raum 101")
    meeting = services.meeting_create(actor=actor, body=body, data={"title": title, **data})
    for item in items:
        services.agenda_item_add(actor=actor, meeting=meeting, data={"title": item})
    return Meeting.objects.get(pk=meeting.pk)


def make_invited_meeting(board: SimpleNamespace, **kwargs: Any) -> Meeting:
    """A meeting of `board.body` to which the invitation went out."""
    meeting = make_meeting(board.body, **kwargs)
    services.meeting_invite(actor=SYSTEM, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk)


def make_held_meeting(
    board: SimpleNamespace,
    *,
    day: datetime.date | None = None,
    present: tuple[str, ...] = ("anna", "carla"),
    **kwargs: Any,
) -> Meeting:
    """A meeting (default: 60 days ago) that was invited to and held, with the people named
    in `present` (attribute names of `board`) recorded as present."""
    meeting = make_invited_meeting(board, day=day or days_from_today(-60), **kwargs)
    services.attendance_record(
        actor=SYSTEM, meeting=meeting, people=[getattr(board, name) for name in present]
    )
    return Meeting.objects.get(pk=meeting.pk)


def make_network_day(
    network: Network,
    *,
    actor: Any = SYSTEM,
    day: datetime.date | None = None,
    title: str = "Netzwerktag Übergang Schule–Beruf",
    **data: Any,
) -> NetworkDay:
    """A planned network day (default: in 60 days, 9–15 h)."""
    day = day or days_from_today(60)
    data.setdefault("starts_at", at(day, 9))
    data.setdefault("ends_at", at(day, 15))
    data.setdefault("place", "BBS Osterode, Aula")
    return services.network_day_create(actor=actor, network=network, data={"title": title, **data})
