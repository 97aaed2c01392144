"""A large synthetic network for benchmarks and load tests (issue 4, "Scale").

Defaults: 20 bodies, 150 people, 300 memberships, 1,200 meetings with 14,000 agenda items
and as many documents (tiny placeholder PDFs), spread over ten years up to a few months
ahead; past meetings have invitations with replies, attendance and approved minutes (one
entry per agenda item, a task per meeting), the next ones are planned or invited. Partners,
people, bodies, seats and memberships go through the services (with history); meetings and
everything below are written with `bulk_create` (no history: generated data, said so in the
network's description). All names are fictional.

    manage.py synthetic_network [--slug synthetisch] [--scale 1.0] [--replace]
"""

from __future__ import annotations

import datetime
import hashlib
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from uebergang.bodies import services as bodies
from uebergang.core.exchange import delete_network
from uebergang.core.history import bump_data_version
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Delivery,
    Document,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingState,
    Minutes,
    MinutesEntry,
    MinutesState,
    Reply,
)
from uebergang.networks import services as registry
from uebergang.networks.models import Person

BATCH = 2000
YEARS = 10
FIRST = ["Ada", "Bo", "Cleo", "Dino", "Ela", "Fritzi", "Gabo", "Hedda", "Ivo", "Juna", "Kai"]
FIRST += ["Lio", "Mila", "Nepo", "Oda", "Pim", "Quirin", "Ronja", "Sami", "Tilda", "Ugo"]
LAST = ["Synthmann", "Testrup", "Probekamp", "Beispielfeld", "Fiktivski", "Musterhagen"]
LAST += ["Platzberg", "Erfundel", "Dummling", "Scheinholt", "Annahme", "Modellbach"]
KINDS = ["school_general", "school_vocational", "municipality", "chamber", "association"]
TOPICS = [
    "Berufsorientierung in Klasse 8",
    "Praktikumsbörse",
    "Elternabend zur Berufswahl",
    "Ausbildungsmesse",
    "Übergang in die Berufsbildenden Schulen",
    "Bewerbungstraining",
    "Sprachförderung im Übergang",
    "Mädchen in MINT-Berufe",
    "Selbstevaluation",
    "Zielvereinbarung",
    "Bericht aus den Institutionen",
    "Netzwerktag",
    "Haushalt",
    "Förderprogramme",
]
PDF = b"%PDF-1.4\n% uebergang synthetic placeholder\n"


def _scaled(value: int, scale: float, minimum: int) -> int:
    return max(minimum, round(value * scale))


class Command(BaseCommand):
    help = (
        "Erzeugt ein großes synthetisches Netzwerk für Lasttests und Benchmarks (fiktive "
        "Namen; Standard: 20 Gremien, 150 Personen, 300 Mitgliedschaften, 1.200 Sitzungen "
        "mit 14.000 Tagesordnungspunkten und Unterlagen über zehn Jahre)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="synthetisch")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Faktor für alle Mengen, z. B. 0.02"
        )
        parser.add_argument("--bodies", type=int, default=20)
        parser.add_argument("--people", type=int, default=150)
        parser.add_argument("--memberships", type=int, default=300)
        parser.add_argument("--meetings", type=int, default=1200)
        parser.add_argument("--agenda-items", type=int, default=14000)
        parser.add_argument(
            "--replace", action="store_true", help="ein Netzwerk mit diesem Kurznamen ersetzen"
        )

    def handle(self, *args, **o):
        scale = o["scale"]
        if scale <= 0:
            raise CommandError("--scale muss größer als 0 sein")
        sizes = {
            "bodies": _scaled(o["bodies"], scale, 2),
            "people": _scaled(o["people"], scale, 4),
            "memberships": _scaled(o["memberships"], scale, 4),
            "meetings": _scaled(o["meetings"], scale, 4),
            "agenda_items": _scaled(o["agenda_items"], scale, 4),
        }
        existing = Network.all_objects.filter(slug=o["slug"]).first()
        if existing is not None and not o["replace"]:
            raise CommandError(
                f"Das Netzwerk „{o['slug']}“ gibt es schon; mit --replace wird es ersetzt."
            )
        started = time.monotonic()
        with transaction.atomic():
            if existing is not None:
                delete_network(existing)
            network, counts = generate(o["slug"], sizes)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{key}: {value}" for key, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetisches Netzwerk „{network.slug}“ in {seconds:.1f} s erzeugt ({summary})."
            )
        )


def generate(slug: str, sizes: dict[str, int]) -> tuple[Network, dict]:
    today = timezone.localdate()
    start = today.replace(year=today.year - YEARS)
    network = registry.network_create(
        actor=SYSTEM,
        slug=slug,
        name=f"Synthetisches Netzwerk {slug}",
        valid_from=start,
        region="Fiktiver Landkreis",
        description="Erzeugte Testdaten für Lasttests (synthetic_network); alle Namen erfunden.",
    )
    # Registry: partners and people through the services.
    partners = [
        registry.partner_create(
            actor=SYSTEM,
            network=network,
            data={
                "name": f"Fiktive Institution {n:02d}",
                "kind": KINDS[n % len(KINDS)],
                "valid_from": start,
                "email": f"institution{n:02d}@{slug}.example",
            },
        )
        for n in range(1, max(4, sizes["people"] // 5) + 1)
    ]
    people = Person.objects.bulk_create(
        [
            Person(
                network=network,
                first_name=FIRST[n % len(FIRST)],
                last_name=f"{LAST[n % len(LAST)]}-{n:03d}",
                function="Fiktive Person (Testdaten)",
                organisation=partners[n % len(partners)],
                email=f"person{n:03d}@{slug}.example",
            )
            for n in range(sizes["people"])
        ],
        batch_size=BATCH,
    )
    # Bodies: a decision board, an advisory board, working groups; seats and memberships.
    body_list = []
    for n in range(sizes["bodies"]):
        kind = "decision_board" if n == 0 else "advisory_board" if n == 1 else "working_group"
        body_list.append(
            bodies.body_create(
                actor=SYSTEM,
                network=network,
                data={
                    "name": (
                        f"Arbeitsgruppe {n - 1:02d}: {TOPICS[n % len(TOPICS)]}"
                        if n > 1
                        else ("Entscheidungsgremium", "Beirat")[n]
                    ),
                    "kind": kind,
                    "valid_from": start,
                    "topic_area": TOPICS[n % len(TOPICS)] if kind == "working_group" else "",
                    "quorum_rule": "majority" if kind != "working_group" else "none",
                },
            )
        )
    members: dict[int, list[Any]] = {b.pk: [] for b in body_list}
    used: dict[int, set[int]] = {b.pk: set() for b in body_list}
    for n in range(sizes["memberships"]):
        body = body_list[n % len(body_list)]
        candidates = [i for i in range(len(people)) if i not in used[body.pk]]
        if not candidates or len(members[body.pk]) > len(partners):
            continue  # each person once, each partner one seat per body
        index = candidates[(n * 7) % len(candidates)]
        used[body.pk].add(index)
        person = people[index]
        if not members[body.pk]:
            membership = bodies.membership_add(
                actor=SYSTEM, body=body, person=person, role="moderator", valid_from=start
            )
        else:
            seat = bodies.body_seat_add(
                actor=SYSTEM,
                body=body,
                partner=partners[len(members[body.pk]) % len(partners)],
                valid_from=start,
            )
            membership = bodies.membership_add(
                actor=SYSTEM, body=body, person=person, role="member", seat=seat, valid_from=start
            )
        members[body.pk].append(membership)
    counts = _meetings(network, body_list, members, sizes, start, today)
    return network, {
        "Partner": len(partners),
        "Personen": len(people),
        "Gremien": len(body_list),
        "Mitgliedschaften": sum(len(m) for m in members.values()),
        **counts,
    }


def _meetings(network, body_list, members, sizes, start, today) -> dict[str, int]:
    now = timezone.now()
    media = Path(settings.MEDIA_ROOT)
    folder = f"documents/synthetic/{network.slug}-{uuid.uuid4().hex[:8]}"
    (media / folder).mkdir(parents=True, exist_ok=True)
    span = (today + datetime.timedelta(days=180) - start).days
    n_meetings = sizes["meetings"]
    per_body: dict[int, list[Meeting]] = {b.pk: [] for b in body_list}
    meetings = []
    for n in range(n_meetings):
        body = body_list[n % len(body_list)]
        day = start + datetime.timedelta(days=int(span * (n + 0.5) / n_meetings))
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + n % 8, 0)))
        past = day < today
        state = MeetingState.MINUTES_APPROVED if past else MeetingState.PLANNED
        if not past and (day - today).days < 30:
            state = MeetingState.INVITED
        meeting = Meeting(
            network=network,
            body=body,
            title=f"Sitzung {body.name} {day:%d.%m.%Y}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            place=f"Sitzungsraum {n % 9 + 1} (fiktiv)",
            state=state,
            invited_at=starts_at - datetime.timedelta(days=21) if state != "planned" else None,
        )
        meetings.append(meeting)
        per_body[body.pk].append(meeting)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    # The last past meeting of each body awaits approval of its minutes.
    last_past = {}
    for body_pk, rows in per_body.items():
        past_rows = [m for m in rows if m.starts_at < now]
        if past_rows:
            last_past[body_pk] = past_rows[-1]
    for meeting in last_past.values():
        meeting.state = MeetingState.MINUTES_DRAFTED
    Meeting.objects.bulk_update(list(last_past.values()), ["state"], batch_size=BATCH)

    # Agenda items and documents.
    items = []
    base, extra = divmod(sizes["agenda_items"], n_meetings)
    for n, meeting in enumerate(meetings):
        for position in range(1, base + (1 if n < extra else 0) + 1):
            items.append(
                AgendaItem(
                    network=network,
                    meeting=meeting,
                    position=position,
                    title=TOPICS[(n + position) % len(TOPICS)],
                    description="Fiktiver Tagesordnungspunkt (Testdaten).",
                    public=position % 5 != 0,
                )
            )
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    documents = []
    for n, item in enumerate(items):
        content = PDF + f"{n}\n".encode()
        name = f"{folder}/{n:06d}.pdf"
        (media / name).write_bytes(content)
        documents.append(
            Document(
                network=network,
                meeting=item.meeting,
                agenda_item=item,
                title=f"Vorlage zu {item.title}",
                file=name,
                file_name=f"vorlage-{n:06d}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    Document.objects.bulk_create(documents, batch_size=BATCH)

    # Invitations, replies and attendance (past and invited meetings), minutes (past).
    invitations, attendances, minutes_list = [], [], []
    for meeting in meetings:
        if meeting.state == MeetingState.PLANNED:
            continue
        past = meeting.starts_at < now
        for k, membership in enumerate(members[meeting.body_id]):
            person = membership.person
            absent = (k + meeting.starts_at.day) % 6 == 0
            reply = Reply.DECLINE if absent else Reply.ATTEND
            if not past and k % 2:
                reply = Reply.NONE
            invitations.append(
                Invitation(
                    network=network,
                    meeting=meeting,
                    kind=InvitationKind.INVITEE,
                    person=person,
                    membership=membership,
                    partner_id=membership.seat.partner_id if membership.seat_id else None,
                    name=str(person),
                    email=person.email,
                    reply=reply,
                    replied_at=meeting.invited_at + datetime.timedelta(days=2)
                    if reply != Reply.NONE
                    else None,
                    delivery=Delivery.SENT,
                    delivered_sequence=0,
                    attempts=1,
                    sent_at=meeting.invited_at,
                )
            )
            if past and not absent:
                attendances.append(
                    Attendance(
                        network=network,
                        meeting=meeting,
                        person=person,
                        membership=membership,
                        seat_id=membership.seat_id,
                        partner_id=membership.seat.partner_id if membership.seat_id else None,
                    )
                )
        if past:
            minutes_list.append(
                Minutes(
                    network=network,
                    meeting=meeting,
                    state=MinutesState.CIRCULATED,
                    opening="Die Sitzung wird eröffnet; die Einladung war ordnungsgemäß.",
                    closing="Ende der Sitzung.",
                    circulated_at=meeting.starts_at + datetime.timedelta(days=14),
                )
            )
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    # Approved at the body's next meeting that took place.
    following: dict[int, Meeting] = {}
    for rows in per_body.values():
        for earlier, later in zip(rows, rows[1:], strict=False):
            if later.starts_at < now:
                following[earlier.pk] = later
    for minutes in minutes_list:
        later = following.get(minutes.meeting.pk)
        if later is not None:
            minutes.state = MinutesState.APPROVED
            minutes.approved_in = later
            minutes.approved_at = later.starts_at + datetime.timedelta(hours=2)
    Minutes.objects.bulk_create(minutes_list, batch_size=BATCH)
    minutes_of = {m.meeting.pk: m for m in minutes_list}
    entries = [
        MinutesEntry(
            network=network,
            minutes=minutes_of[item.meeting.pk],
            agenda_item=item,
            discussion=f"Aussprache zu „{item.title}“ (fiktiv).",
            decisions="Zur Kenntnis genommen.",
        )
        for item in items
        if item.meeting.pk in minutes_of
    ]
    MinutesEntry.objects.bulk_create(entries, batch_size=BATCH)
    tasks = []
    seen: set[int] = set()
    for entry in entries:
        if entry.minutes.pk in seen:
            continue
        seen.add(entry.minutes.pk)
        meeting = entry.minutes.meeting
        body_members = members[meeting.body_id]
        owner = body_members[len(tasks) % len(body_members)].person
        due = timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=42)
        tasks.append(
            ActionItem(
                network=network,
                entry=entry,
                description=f"Nachbereitung: {entry.agenda_item.title}",
                owner=owner,
                due=due,
                done=due < timezone.localdate(),
            )
        )
    ActionItem.objects.bulk_create(tasks, batch_size=BATCH)
    bump_data_version(network)  # rows written without the services: pages are stale
    return {
        "Sitzungen": len(meetings),
        "Tagesordnungspunkte": len(items),
        "Unterlagen": len(documents),
        "Einladungen": len(invitations),
        "Anwesenheiten": len(attendances),
        "Protokolle": len(minutes_list),
        "Protokollabschnitte": len(entries),
        "Aufgaben": len(tasks),
    }
