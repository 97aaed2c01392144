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

from uebergang.bodies import services as body_services
from uebergang.bodies.models import Body
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import Meeting, NetworkDay
from uebergang.networks import services as network_services
from uebergang.networks.models import Person
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
START = datetime.date(2014, 1, 1)  # bodies, seats and memberships exist from then on

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


def link_user(person: Person, user: Any) -> Person:
    """The person in the registry is this user, or has no account with `None` (as the
    coordination office would set up, through the services). Returns `person`, updated."""
    linked = Person.objects.get(pk=person.pk)
    if linked.user_id is not None and linked.user_id != getattr(user, "pk", None):
        linked = network_services.person_unlink_account(actor=SYSTEM, person=linked)
    if user is not None and linked.user_id != user.pk:
        linked = network_services.person_link_account(actor=SYSTEM, person=linked, user=user)
    person.user, person.version, person.modified = linked.user, linked.version, linked.modified
    return person


def make_body(
    network: Network,
    name: str = "Beirat",
    kind: str = "advisory_board",
    *,
    actor: Any = SYSTEM,
    **data: Any,
) -> Body:
    data.setdefault("valid_from", START)
    return body_services.body_create(
        actor=actor, network=network, data={"name": name, "kind": kind, **data}
    )


def make_board(
    network: Network,
    *,
    kind: str = "advisory_board",
    name: str = "Beirat",
    quorum_rule: str = "majority",
    quorum_minimum: int | None = None,
    invitation_period_days: int = 14,
) -> SimpleNamespace:
    """A body (the advisory board by default) with:

    * seats: `ihk_seat` (IHK), `agentur_seat` (Agentur für Arbeit), `schools_seat` (the
      constituency seat "Allgemeinbildende Schulen", to which `school` – with e-mail – and
      `school2` – without – are assigned), all voting, and `jugend_seat` (Jugendwerkstatt,
      not voting);
    * people (all with e-mail unless noted): `anna` (member, IHK seat), `bernd` (substitute
      for Anna), `carla` (member, schools seat), `emil` (member, Agentur seat), `gustav`
      (member, non-voting seat), `dora` (guest expert, *no* e-mail), `frieda` (moderation);
      the memberships as `anna_m`, `bernd_m`, ….

    So: 3 voting seats; 7 people receive invitations, 1 of them without address; 2
    institutions receive them for information, 1 without address.
    """
    quorum = {"quorum_rule": quorum_rule}
    if quorum_minimum is not None:
        quorum["quorum_minimum"] = quorum_minimum
    r = SimpleNamespace(network=network)
    r.ihk = make_partner(
        network, "Industrie- und Handelskammer Osterode", kind="chamber", email="ihk@example.org"
    )
    r.agentur = make_partner(
        network,
        "Agentur für Arbeit Göttingen",
        kind="employment_agency",
        email="agentur@example.org",
    )
    r.jugend = make_partner(network, "Jugendwerkstatt Am Fluss", kind="other")
    r.school = make_partner(
        network, "Oberschule Am Mühlenteich", is_party=False, email="schule@example.org"
    )
    r.school2 = make_partner(network, "Grundschule Lindenhof", is_party=False)
    r.schools = make_seat(network, "Allgemeinbildende Schulen")
    for partner in (r.school, r.school2):
        network_services.seat_assign(
            actor=SYSTEM, seat=r.schools, partner=partner, valid_from=START
        )
    r.body = make_body(network, name, kind, invitation_period_days=invitation_period_days, **quorum)

    def seat(**kwargs: Any) -> Any:
        return body_services.body_seat_add(actor=SYSTEM, body=r.body, valid_from=START, **kwargs)

    r.ihk_seat = seat(partner=r.ihk)
    r.agentur_seat = seat(partner=r.agentur)
    r.schools_seat = seat(constituency_seat=r.schools)
    r.jugend_seat = seat(partner=r.jugend, voting=False)

    def person(first: str, last: str, email: str = "", organisation: Any = None) -> Person:
        data: dict[str, Any] = {"email": email}
        if organisation is not None:
            data["organisation"] = organisation
        return make_person(network, first, last, **data)

    r.anna = person("Anna", "Alt", "anna.alt@example.org", r.ihk)
    r.bernd = person("Bernd", "Berger", "bernd.berger@example.org", r.ihk)
    r.carla = person("Carla", "Clausen", "carla.clausen@example.org", r.school)
    r.emil = person("Emil", "Ehrlich", "emil.ehrlich@example.org", r.agentur)
    r.gustav = person("Gustav", "Gans", "gustav.gans@example.org", r.jugend)
    r.dora = person("Dora", "Dietrich")
    r.frieda = person("Frieda", "Funk", "frieda.funk@example.org")

    def join(p: Person, role: str = "member", **kwargs: Any) -> Any:
        return body_services.membership_add(
            actor=SYSTEM, body=r.body, person=p, role=role, valid_from=START, **kwargs
        )

    r.anna_m = join(r.anna, seat=r.ihk_seat)
    r.bernd_m = join(r.bernd, "substitute", substitute_for=r.anna_m)
    r.carla_m = join(r.carla, seat=r.schools_seat)
    r.emil_m = join(r.emil, seat=r.agentur_seat)
    r.gustav_m = join(r.gustav, seat=r.jugend_seat)
    r.dora_m = join(r.dora, "guest")
    r.frieda_m = join(r.frieda, "moderator")
    return r


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
