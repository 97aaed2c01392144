"""Meetings' part of the synthetic network (`core.synthetic`): meetings spread over the
years up to six months ahead, agenda items with tiny real PDF documents, invitations with
replies, attendance, minutes with entries and a task per meeting, written in bulk."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from uebergang.bodies.synthetic import TOPICS
from uebergang.core.synthetic import BATCH, Amount, SyntheticBuild, register_synthetic_part
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    DecisionOutcome,
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

PDF = b"%PDF-1.4\n% uebergang synthetic placeholder\n"


def build(b: SyntheticBuild) -> None:
    network, sizes, start, today = b.network, b.sizes, b.start, b.today
    body_list, members = b.shared["bodies"], b.shared["members"]
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
        )
        for item in items
        if item.meeting.pk in minutes_of
    ]
    MinutesEntry.objects.bulk_create(entries, batch_size=BATCH)
    numbers: dict[tuple[int, int], int] = {}
    decisions = []
    for entry in sorted(
        entries, key=lambda e: (e.agenda_item.meeting.starts_at, e.agenda_item.position)
    ):
        meeting = entry.agenda_item.meeting
        key = (meeting.body_id, timezone.localtime(meeting.starts_at).year)
        numbers[key] = numbers.get(key, 0) + 1
        decisions.append(
            Decision(
                network=network,
                agenda_item=entry.agenda_item,
                body_id=meeting.body_id,
                year=key[1],
                number=numbers[key],
                wording=f"Der Bericht zu „{entry.agenda_item.title}“ wird zur Kenntnis genommen.",
                outcome=DecisionOutcome.NOTED,
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
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
                status="done" if due < timezone.localdate() else "open",
            )
        )
    ActionItem.objects.bulk_create(tasks, batch_size=BATCH)
    b.counts.update(
        {
            "Sitzungen": len(meetings),
            "Tagesordnungspunkte": len(items),
            "Unterlagen": len(documents),
            "Einladungen": len(invitations),
            "Anwesenheiten": len(attendances),
            "Protokolle": len(minutes_list),
            "Protokollabschnitte": len(entries),
            "Aufgaben": len(tasks),
        }
    )


register_synthetic_part(
    "meetings",
    30,
    build,
    (
        Amount("meetings", 1200, 4, "Anzahl der Sitzungen"),
        Amount("agenda_items", 14000, 4, "Anzahl der Tagesordnungspunkte"),
    ),
)
