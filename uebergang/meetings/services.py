"""Every write to meetings, agendas, documents, invitations, replies, attendance, minutes,
network days and calendar feeds. Each checks permission, validates, writes under a
transaction and records the history with the acting user. E-mails leave through the task
queue after the transaction commits (`delivery`)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.bodies.models import Body, MemberRole, Membership
from uebergang.bodies.rules import BODIES_MANAGE, BODY_VIEW
from uebergang.core import history, lifecycle
from uebergang.core.concurrency import (
    check_version,
    lock,
    lock_alive,
    save_versioned,
    versioned_update,
)
from uebergang.core.errors import Conflict, DomainError
from uebergang.core.models import HistoryAction, Network
from uebergang.core.permissions import NETWORK_VIEW, authorize, can
from uebergang.core.validation import format_day, same_network, validate_fields
from uebergang.meetings.rules import (
    CALENDARFEED_REVOKE,
    INVITATION_REPLY,
    MEETINGS_MANAGE,
    NETWORKDAY_REGISTER,
    NETWORKDAYS_MANAGE,
    NETWORKDAYS_VIEW,
    TASK_FOLLOW_UP,
)
from uebergang.networks import selectors as network_selectors
from uebergang.networks.models import Partner, Person

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Decision,
    DecisionOutcome,
    Delivery,
    Document,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingState,
    Minutes,
    MinutesCorrection,
    MinutesEntry,
    MinutesState,
    NetworkDay,
    NetworkDayInvitation,
    NetworkDayState,
    Registration,
    Reply,
    TaskNote,
    TaskStatus,
)

MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url", "description")
# What the invitees' calendars show: a change of these sends an update (higher SEQUENCE).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_url")
AGENDA_FIELDS = ("title", "description", "public", "presenter")
NETWORK_DAY_FIELDS = ("title", "starts_at", "ends_at", "place", "programme", "registration_until")

OPEN_STATES = (MeetingState.PLANNED, MeetingState.INVITED)


def _delivery():  # imported late: delivery imports the models and templates
    from . import delivery

    return delivery


def _clean_text(clean: dict[str, Any], key: str, message: str) -> None:
    if key in clean:
        clean[key] = (clean[key] or "").strip()
        if not clean[key]:
            raise DomainError.for_field(key, message)


def _check_times(starts_at: Any, ends_at: Any) -> None:
    if starts_at is None:
        raise DomainError.for_field(
            "starts_at", _("Bitte geben Sie Datum und Uhrzeit des Beginns an.")
        )
    if ends_at is None:
        raise DomainError.for_field("ends_at", _("Bitte geben Sie an, wann die Sitzung endet."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError.for_field("starts_at", _("Bitte geben Sie die Zeit mit Zeitzone an."))
    if ends_at <= starts_at:
        raise DomainError.for_field("ends_at", _("Das Ende muss nach dem Beginn liegen."))


def _clean_meeting(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in MEETING_FIELDS if key in data}
    _clean_text(clean, "title", _("Bitte geben Sie einen Titel an."))
    for key in ("place", "online_url", "description"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    validate_fields(Meeting, clean)
    return clean


def _require_open(meeting: Meeting) -> None:
    if meeting.state not in OPEN_STATES:
        raise DomainError(
            _("Das geht jetzt nicht mehr: Die Sitzung hat den Stand „%(state)s“.")
            % {"state": meeting.state_label},
            code="meeting_closed",
        )


def _move_meeting(actor: Any, meeting: Meeting, state: str, **record: Any) -> None:
    """Put a (locked) meeting into `state`, versioned and with its history record."""
    before = history.snapshot(meeting, ["state"])
    meeting.state = state
    save_versioned(meeting, expected_version=meeting.version, fields=["state"])
    history.record_change(actor=actor, obj=meeting, before=before, **record)


# --- meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: Any, body: Body, data: dict[str, Any]) -> Meeting:
    network = body.network
    authorize(actor, network, MEETINGS_MANAGE)
    body = lock(body)  # its period as stored: a dissolution at the same time waits
    clean = _clean_meeting(data)
    if not clean.get("title"):
        raise DomainError.for_field("title", _("Bitte geben Sie einen Titel an."))
    _check_times(clean.get("starts_at"), clean.get("ends_at"))
    day = timezone.localtime(clean["starts_at"]).date()
    if not body.is_valid_on(day):
        raise DomainError.for_field(
            "starts_at",
            _("Am %(day)s besteht das Gremium nicht.") % {"day": format_day(day)},
        )
    meeting = Meeting.objects.create(network=network, body=body, **clean)
    history.record_create(actor=actor, obj=meeting, parent=body)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: Any, meeting: Meeting, expected_version: int | None, data: dict[str, Any]
) -> Meeting:
    """Change a planned or invited meeting; once invited, a change of time, place or title
    sends every invitee an update (higher SEQUENCE)."""

    def clean(meeting: Meeting) -> dict[str, Any]:
        _require_open(meeting)
        values = _clean_meeting(data)
        starts_at = values.get("starts_at", meeting.starts_at)
        _check_times(starts_at, values.get("ends_at", meeting.ends_at))
        day = timezone.localtime(starts_at).date()
        if not meeting.body.is_valid_on(day):
            raise DomainError.for_field(
                "starts_at", _("Am %(day)s besteht das Gremium nicht.") % {"day": format_day(day)}
            )
        return values

    def next_sequence(meeting: Meeting, before: dict[str, Any]) -> list[str]:
        return _next_sequence(meeting, before, MeetingState.INVITED, CALENDAR_FIELDS)

    def resend(meeting: Meeting, before: dict[str, Any]) -> None:
        if meeting.sequence != before["sequence"]:
            _send_to_invitees(meeting)

    return versioned_update(
        actor=actor,
        obj=meeting,
        expected_version=expected_version,
        permission=MEETINGS_MANAGE,
        clean=clean,
        snapshot=[*MEETING_FIELDS, "sequence"],
        prepare=next_sequence,
        after=resend,
    )


def _next_sequence(obj: Any, before: dict[str, Any], invited: str, fields: Any) -> list[str]:
    """Once invitations are out, a change of what the calendar shows raises the SEQUENCE,
    so calendars replace the event (RFC 5545)."""
    if obj.state != invited or not any(before[k] != history.snapshot(obj, [k])[k] for k in fields):
        return []
    obj.sequence += 1
    return ["sequence"]


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a planned or invited meeting; invitees receive METHOD:CANCEL."""
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)
    _require_open(meeting)
    reason = (reason or "").strip()
    validate_fields(Meeting, {"cancel_reason": reason})
    before = history.snapshot(meeting, ["state", "cancel_reason", "sequence"])
    was_invited = meeting.state == MeetingState.INVITED
    meeting.state = MeetingState.CANCELLED
    meeting.cancel_reason = reason
    meeting.cancelled_at = timezone.now()
    fields = ["state", "cancel_reason", "cancelled_at"]
    if was_invited:
        meeting.sequence += 1
        fields.append("sequence")
    save_versioned(meeting, expected_version=meeting.version, fields=fields)
    history.record_change(actor=actor, obj=meeting, before=before, action=HistoryAction.END)
    if was_invited:
        _send_to_invitees(meeting)
    return meeting


# --- agenda ----------------------------------------------------------------------------------


def _clean_agenda(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in AGENDA_FIELDS if key in data}
    _clean_text(clean, "title", _("Bitte geben Sie den Titel des Tagesordnungspunkts an."))
    for key in ("description", "presenter"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    if "public" in clean:
        clean["public"] = bool(clean["public"])
    validate_fields(AgendaItem, clean)
    return clean


def _renumber(meeting: Meeting) -> None:
    for number, item in enumerate(meeting.agenda_items.order_by("position", "id"), start=1):
        if item.position != number:
            AgendaItem.all_objects.filter(pk=item.pk).update(position=number)


def _item_gone() -> DomainError:
    return DomainError(_("Dieser Tagesordnungspunkt ist bereits entfernt."), code="deleted")


@transaction.atomic
def agenda_item_add(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)
    _require_open(meeting)
    clean = _clean_agenda(data)
    if not clean.get("title"):
        raise DomainError.for_field(
            "title", _("Bitte geben Sie den Titel des Tagesordnungspunkts an.")
        )
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        network=meeting.network, meeting=meeting, position=last + 1, **clean
    )
    history.record_create(actor=actor, obj=item, parent=meeting)
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: Any, item: AgendaItem, expected_version: int | None, data: dict[str, Any]
) -> AgendaItem:
    authorize(actor, item.network, MEETINGS_MANAGE)
    meeting = lock(item.meeting)  # the meeting before its items: the lock order
    _require_open(meeting)
    return versioned_update(
        actor=actor,
        obj=item,
        expected_version=expected_version,
        permission=MEETINGS_MANAGE,
        clean=lambda item: _clean_agenda(data),
        snapshot=AGENDA_FIELDS,
        parent=meeting,
        gone=_item_gone,
    )


@transaction.atomic
def agenda_item_move(*, actor: Any, item: AgendaItem, position: int) -> AgendaItem:
    """Put the item at `position` (1 = first); the others close up."""
    authorize(actor, item.network, MEETINGS_MANAGE)
    meeting = lock(item.meeting)
    _require_open(meeting)
    item = lock_alive(item, _item_gone)
    items = list(meeting.agenda_items.order_by("position", "id"))
    if not 1 <= position <= len(items):
        raise DomainError.for_field(
            "position",
            _("Bitte wählen Sie eine Nummer zwischen 1 und %(n)s.") % {"n": len(items)},
        )
    old = item.position
    items = [i for i in items if i.pk != item.pk]
    items.insert(position - 1, item)
    for number, row in enumerate(items, start=1):
        if row.position != number:
            AgendaItem.all_objects.filter(pk=row.pk).update(position=number)
    item.refresh_from_db()
    history.record(
        actor=actor,
        action=HistoryAction.UPDATE,
        obj=item,
        parent=meeting,
        changes={"position": [old, item.position]},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    authorize(actor, item.network, MEETINGS_MANAGE)
    meeting = lock(item.meeting)
    _require_open(meeting)
    item = lock_alive(item, _item_gone)  # removed at the same time: refused, recorded once
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=item,
        parent=meeting,
        changes={"title": [item.title, None]},
    )
    item.documents.update(agenda_item=None)
    item.delete()
    _renumber(meeting)


# --- documents -------------------------------------------------------------------------------

# Extension → accepted content types (detected from the bytes, not trusted from the upload).
ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(head: bytes, suffix: str) -> bool:
    """Does the file start like its extension says? PDF, Office Open XML / OpenDocument
    (ZIP containers) and old Office (OLE compound files). Three fixed signatures are exact
    where a general file-type guesser would add a dependency and heuristics; files are only
    ever handed out as attachments with `nosniff`, never opened by the server."""
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix in (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp"):
        return head.startswith(_ZIP)
    if suffix in (".doc", ".xls", ".ppt"):
        return head.startswith(_OLE)
    return False


def _check_upload(upload: Any) -> tuple[str, str]:
    import os

    name = os.path.basename(getattr(upload, "name", "") or "").strip()
    suffix = os.path.splitext(name)[1].lower()
    if not name or suffix not in ALLOWED_TYPES:
        raise DomainError.for_field(
            "file",
            _("Erlaubt sind PDF- und Office-Dateien (%(types)s).")
            % {"types": ", ".join(sorted(t.lstrip(".") for t in ALLOWED_TYPES))},
        )
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError.for_field(
            "file",
            _("Die Datei ist zu groß (höchstens %(mb)s MB).") % {"mb": limit // (1024 * 1024)},
        )
    if upload.size == 0:
        raise DomainError.for_field("file", _("Die Datei ist leer."))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _sniff(head, suffix):
        raise DomainError.for_field(
            "file",
            _("Der Inhalt der Datei passt nicht zur Endung „%(suffix)s“.") % {"suffix": suffix},
        )
    return name, ALLOWED_TYPES[suffix]


# The same check for the apps above meetings that take files (topics' documents).
check_upload = _check_upload


@transaction.atomic
def document_add(
    *,
    actor: Any,
    meeting: Meeting,
    upload: Any,
    title: str = "",
    agenda_item: AgendaItem | None = None,
) -> Document:
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)  # the state as stored, not as the caller loaded it
    if meeting.is_cancelled:
        raise DomainError(_("Die Sitzung ist abgesagt."), code="meeting_closed")
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk
        or not meeting.agenda_items.filter(pk=agenda_item.pk).exists()  # removed meanwhile
    ):
        raise DomainError.for_field(
            "agenda_item", _("Der Tagesordnungspunkt gehört nicht zu dieser Sitzung.")
        )
    name, content_type = _check_upload(upload)
    title = (title or "").strip() or name
    validate_fields(Document, {"title": title})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    doc = Document(
        network=meeting.network,
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        file_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
    # Stored under a random name: the original name is kept only as data.
    doc.file.save(f"{secrets.token_hex(16)}{name[name.rfind('.') :].lower()}", upload, save=False)
    doc.save()
    history.record_create(actor=actor, obj=doc, parent=meeting)
    return doc


@transaction.atomic
def document_remove(*, actor: Any, document: Document) -> None:
    authorize(actor, document.network, MEETINGS_MANAGE)
    meeting = lock(document.meeting)  # the meeting before its documents: the lock order
    document = lock_alive(
        document,
        lambda: DomainError(_("Diese Unterlage ist bereits entfernt."), code="deleted"),
    )
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=document,
        parent=meeting,
        changes={"title": [document.title, None]},
    )
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])  # the file stays: history may point at it


# --- invitations -----------------------------------------------------------------------------


@dataclass
class InviteResult:
    meeting: Meeting
    sent: int
    late: bool
    period_days: int


@dataclass
class InvitationPreview:
    """What sending would do, before anything is sent: to whom (each marked when they get
    the invitation for the first time) and, for an update, what changed since the last
    sending (`selectors.changes_since_last_sending`)."""

    update: bool
    late: bool
    period_days: int
    has_agenda: bool
    members: list[tuple[Membership, bool]]
    partners: list[tuple[Partner, bool]]
    since: Any  # selectors.SinceSending | None


def invitation_preview(*, actor: Any, meeting: Meeting) -> InvitationPreview:
    """The coordination office's look at the (updated) invitation before sending it."""
    from . import selectors

    authorize(actor, meeting.network, MEETINGS_MANAGE)
    members, partners = _recipients(meeting)
    update = meeting.state == MeetingState.INVITED
    invited = set(meeting.invitations.values_list("person_id", "partner_id")) if update else set()
    people = {person for person, _partner in invited if person}
    institutions = {partner for person, partner in invited if not person}
    return InvitationPreview(
        update=update,
        late=invitation_is_late(meeting),
        period_days=meeting.body.invitation_period_days,
        has_agenda=meeting.agenda_items.exists(),
        members=[(m, update and m.person_id not in people) for m in members],
        partners=[(p, update and p.pk not in institutions) for p in partners],
        since=(
            selectors.changes_since_last_sending(meeting=meeting, actor=actor) if update else None
        ),
    )


def invitation_is_late(meeting: Meeting, when: datetime.date | None = None) -> bool:
    """Would an invitation sent `when` (today) miss the body's invitation period?"""
    when = when or timezone.localdate()
    return (meeting.day - when).days < meeting.body.invitation_period_days


def _recipients(meeting: Meeting) -> tuple[list[Membership], list[Partner]]:
    """The people in the body on the meeting's day, and – for a body with constituency seats
    – the institutions assigned to those seats (information transfer, seed III)."""
    day = meeting.day
    members = list(
        Membership.objects.valid_on(day)
        .filter(body=meeting.body, person__deleted_at__isnull=True)
        .select_related("person", "person__organisation", "seat__partner")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    seats = meeting.body.seats.valid_on(day).filter(constituency_seat__isnull=False)
    partners: dict[int, Partner] = {}
    for seat in seats.select_related("constituency_seat"):
        for assignment in (
            seat.constituency_seat.assignments.valid_on(day)
            .select_related("partner")
            .order_by("partner__name")
        ):
            partners.setdefault(assignment.partner_id, assignment.partner)
    return members, list(partners.values())


def _readdress(actor: Any, invitation: Invitation, email: str) -> None:
    """An update goes to the recipient's current address (none: shown as such)."""
    before = history.snapshot(invitation, ["email", "delivery"])
    invitation.email = email
    invitation.delivery = Delivery.PENDING if email else Delivery.NO_ADDRESS
    invitation.save(update_fields=["email", "delivery", "modified"])
    history.record_change(actor=actor, obj=invitation, before=before, parent=invitation.meeting)


def _send_to_invitees(meeting: Meeting) -> None:
    ids = list(meeting.invitations.values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=ids).exclude(email="").update(
        delivery=Delivery.PENDING, attempts=0, last_error=""
    )
    _delivery().enqueue_invitations(ids)


COVER_TEXT_MAX = 5000


@transaction.atomic
def meeting_invite(*, actor: Any, meeting: Meeting, cover_text: str | None = None) -> InviteResult:
    """Send the invitation (or, once invited, an update with a higher SEQUENCE) to every
    member, substitute, guest and the moderation, and for information to the institutions of
    the body's constituency seats. Late invitations are allowed but flagged. `cover_text`:
    the office's own words at the top of this sending (None keeps the last ones)."""
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)
    _require_open(meeting)
    if not meeting.agenda_items.exists():
        raise DomainError(_("Bitte legen Sie zuerst die Tagesordnung an."), code="agenda_missing")
    members, partners = _recipients(meeting)
    if not members and not partners:
        raise DomainError(
            _("Das Gremium hat am Sitzungstag keine Mitglieder, die eingeladen werden könnten."),
            code="no_recipients",
        )
    first = meeting.state == MeetingState.PLANNED
    late = invitation_is_late(meeting)
    existing = {i.person_id: i for i in meeting.invitations.filter(person__isnull=False)}
    existing_partners = {
        i.partner_id: i for i in meeting.invitations.filter(kind=InvitationKind.INFORMATION)
    }
    for membership in members:
        person = membership.person
        inv = existing.get(person.pk)
        if inv is None:
            inv = Invitation.objects.create(
                network=meeting.network,
                meeting=meeting,
                kind=InvitationKind.INVITEE,
                person=person,
                membership=membership,
                # the institution they sit for; on a constituency seat their own
                partner=(
                    membership.seat.partner
                    if membership.seat_id and membership.seat.partner_id
                    else person.organisation
                ),
                name=str(person),
                email=person.email,
                delivery=Delivery.PENDING if person.email else Delivery.NO_ADDRESS,
            )
            existing[person.pk] = inv
        elif inv.email != person.email:  # the address was corrected since the last sending
            _readdress(actor, inv, person.email)
    for partner in partners:
        if partner.pk in existing_partners:
            if existing_partners[partner.pk].email != partner.email:
                _readdress(actor, existing_partners[partner.pk], partner.email)
        else:
            Invitation.objects.create(
                network=meeting.network,
                meeting=meeting,
                kind=InvitationKind.INFORMATION,
                partner=partner,
                name=partner.name,
                email=partner.email,
                delivery=Delivery.PENDING if partner.email else Delivery.NO_ADDRESS,
            )
    before = history.snapshot(meeting, ["state", "sequence", "cover_text"])
    fields = ["state"]
    if cover_text is not None:
        cover_text = cover_text.strip()
        if len(cover_text) > COVER_TEXT_MAX:
            raise DomainError.for_field(
                "cover_text",
                _("Das Anschreiben ist zu lang (höchstens %(n)s Zeichen).") % {"n": COVER_TEXT_MAX},
            )
        if cover_text != meeting.cover_text:
            meeting.cover_text = cover_text
            fields.append("cover_text")
    if first:
        meeting.state = MeetingState.INVITED
        meeting.invited_at = timezone.now()
        fields.append("invited_at")
    else:
        meeting.sequence += 1
        fields.append("sequence")
    save_versioned(meeting, expected_version=meeting.version, fields=fields)
    count = meeting.invitations.count()
    message = (
        _("Einladung an %(n)s Empfänger/innen versandt.")
        if first
        else _("Aktualisierte Einladung an %(n)s Empfänger/innen versandt.")
    ) % {"n": count}
    if late:
        message += " " + _("Die Einladungsfrist von %(days)s Tagen wurde nicht eingehalten.") % {
            "days": meeting.body.invitation_period_days
        }
    history.record_change(
        actor=actor, obj=meeting, before=before, parent=meeting.body, message=message
    )
    _send_to_invitees(meeting)
    return InviteResult(
        meeting=meeting, sent=count, late=late, period_days=meeting.body.invitation_period_days
    )


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation) -> Invitation:
    """Try a failed delivery again (e.g. after the address was corrected)."""
    authorize(actor, invitation.network, MEETINGS_MANAGE)
    invitation = lock(invitation)
    email = invitation.person.email if invitation.person_id else invitation.partner.email
    before = history.snapshot(invitation, ["email", "delivery"])
    invitation.email = email
    invitation.delivery = Delivery.PENDING if email else Delivery.NO_ADDRESS
    invitation.attempts = 0
    invitation.last_error = ""
    invitation.save(update_fields=["email", "delivery", "attempts", "last_error", "modified"])
    history.record_change(actor=actor, obj=invitation, before=before, parent=invitation.meeting)
    if email:
        _delivery().enqueue_invitations([invitation.pk])
    return invitation


def can_reply(actor: Any, invitation: Invitation) -> bool:
    """The invitee themselves, or the office for them (rule "invitation.reply")."""
    return can(actor, invitation.network, INVITATION_REPLY, invitation)


@transaction.atomic
def invitation_reply(
    *,
    actor: Any,
    invitation: Invitation,
    reply: str,
    note: str = "",
    substitute: Membership | None = None,
    expected_version: int | None = None,
    link: Any = None,
) -> Invitation:
    """The invitee (or the coordination office for them) answers: attend, decline or send
    the substitute (with several, `substitute` names the one who comes; they are told by
    e-mail). With `link` (a `reply_links.ReplyLink`, the personal link of the e-mail) the
    link is the permission, checked here under the locks, and the history says so.
    `expected_version` is the invitation's version the form showed (stale: `Conflict`)."""
    from . import reply_links

    if link is None and not can_reply(actor, invitation):
        authorize(actor, invitation.network, MEETINGS_MANAGE)  # raises the 403
    meeting = lock(invitation.meeting)  # its state as stored (meeting before invitation)
    invitation = lock(invitation)
    if link is not None:
        reply_links.check(link, invitation, meeting)
    if invitation.kind != InvitationKind.INVITEE:
        raise DomainError(
            _("Institutionen, die zur Information eingeladen sind, antworten nicht."),
            code="information_only",
        )
    if meeting.state != MeetingState.INVITED:
        raise DomainError(
            _("Auf diese Einladung kann nicht mehr geantwortet werden (%(state)s).")
            % {"state": meeting.state_label},
            code="meeting_closed",
        )
    if meeting.ends_at <= timezone.now():
        raise DomainError(
            _("Die Sitzung ist vorbei; auf die Einladung kann nicht mehr geantwortet werden."),
            code="meeting_closed",
        )
    check_version(invitation, expected_version)
    if reply not in (Reply.ATTEND, Reply.DECLINE, Reply.SUBSTITUTE):
        raise DomainError.for_field("reply", _("Bitte wählen Sie eine Antwort."))
    chosen = None
    if reply == Reply.SUBSTITUTE:
        substitutes = reply_links.current_substitutes(invitation, meeting)
        if not substitutes:
            raise DomainError.for_field(
                "reply", _("Für diese Mitgliedschaft ist kein/e Vertreter/in eingetragen.")
            )
        if substitute is not None:
            chosen = next((m for m in substitutes if m.pk == substitute.pk), None)
            if chosen is None:
                raise DomainError.for_field(
                    "substitute", _("Diese Person vertritt Sie am Sitzungstag nicht.")
                )
        elif len(substitutes) == 1:
            chosen = substitutes[0]
        elif link is not None:
            raise DomainError.for_field("substitute", _("Bitte wählen Sie, wer Sie vertritt."))
    note = (note or "").strip()
    standing_in = invitation.substitute_person  # a one-off substitute the office had named
    before = _save_answer(
        actor,
        invitation,
        meeting,
        reply=reply,
        note=note,
        substitute=chosen,
        message=_("über persönlichen Link") if link is not None else "",
    )
    if standing_in is not None:  # the member's own answer replaces them
        _stand_down(actor, meeting, invitation, standing_in)
    if chosen is not None and before.get("substitute") != str(chosen):
        from . import notices

        notices.enqueue_substitute_notice(invitation.pk)
    return invitation


def _stand_down(actor: Any, meeting: Meeting, invitation: Invitation, person: Person) -> None:
    """A one-off substitute is no longer needed (the member answered themselves, or the
    office named someone else): their invitation says so (declined, with the reason) and
    they are told by e-mail. The invitation stays, with its history."""
    theirs = (
        Invitation.objects.select_for_update()
        .filter(meeting=meeting, person=person, membership=None, kind=InvitationKind.INVITEE)
        .first()
    )
    if theirs is None or theirs.reply == Reply.DECLINE:
        return
    from . import notices

    _save_answer(
        actor,
        theirs,
        meeting,
        reply=Reply.DECLINE,
        note=_("Nicht mehr als Vertretung für %(member)s benötigt.") % {"member": invitation.name},
        message=_("einmalige Vertretung aufgehoben"),
    )
    notices.enqueue_stand_down_notice(theirs.pk, invitation.name)


def _save_answer(
    actor: Any,
    invitation: Invitation,
    meeting: Meeting,
    *,
    reply: str,
    note: str,
    substitute: Membership | None = None,
    substitute_person: Person | None = None,
    message: str = "",
) -> dict[str, Any]:
    """Store an answer (with the substitute who comes, if any) and its history record;
    returns the values before."""
    validate_fields(Invitation, {"reply_note": note})
    before = history.snapshot(
        invitation, ["reply", "reply_note", "substitute", "substitute_person"]
    )
    invitation.reply = reply
    invitation.reply_note = note
    invitation.substitute = substitute
    invitation.substitute_person = substitute_person
    invitation.replied_at = timezone.now()
    save_versioned(
        invitation,
        expected_version=invitation.version,
        fields=["reply", "reply_note", "substitute", "substitute_person", "replied_at"],
    )
    history.record_change(
        actor=actor, obj=invitation, before=before, parent=meeting, message=message
    )
    return before


@transaction.atomic
def invitation_substitute_once(
    *, actor: Any, invitation: Invitation, person: Person, note: str = ""
) -> Invitation:
    """The coordination office names a one-off substitute for a member, for this meeting
    only: a person of the network who is not invited yet. The member's answer becomes "sends
    a substitute"; the substitute gets an invitation of their own by e-mail, and on the
    meeting's day stands in for the member's seat (attendance and quorum)."""
    authorize(actor, invitation.network, MEETINGS_MANAGE)
    meeting = lock(invitation.meeting)
    invitation = lock(invitation)
    same_network(invitation.network, person)
    if meeting.state != MeetingState.INVITED or meeting.ends_at <= timezone.now():
        raise DomainError(
            _(
                "Eine Vertretung kann nur für eine eingeladene, noch nicht beendete Sitzung "
                "benannt werden."
            ),
            code="meeting_closed",
        )
    membership = invitation.membership
    if (
        invitation.kind != InvitationKind.INVITEE
        or membership is None
        or membership.role != MemberRole.MEMBER
    ):
        raise DomainError(
            _("Eine Vertretung lässt sich nur für ein Mitglied des Gremiums benennen."),
            code="not_a_member",
        )
    if person.deleted_at is not None or person.pk == invitation.person_id:
        raise DomainError.for_field("person", _("Bitte wählen Sie eine andere Person."))
    if meeting.invitations.filter(person=person).exists():
        raise DomainError.for_field(
            "person",
            _("%(name)s ist zu dieser Sitzung bereits eingeladen.") % {"name": person},
        )
    previous = invitation.substitute_person
    _save_answer(
        actor,
        invitation,
        meeting,
        reply=Reply.SUBSTITUTE,
        note=(note or "").strip(),
        substitute_person=person,
        message=_("einmalige Vertretung benannt"),
    )
    theirs = Invitation.objects.create(
        network=meeting.network,
        meeting=meeting,
        kind=InvitationKind.INVITEE,
        person=person,
        membership=None,
        partner=invitation.partner,
        name=str(person),
        email=person.email,
        delivery=Delivery.PENDING if person.email else Delivery.NO_ADDRESS,
    )
    history.record_create(actor=actor, obj=theirs, parent=meeting)
    if person.email:
        _delivery().enqueue_invitations([theirs.pk])
    if previous is not None:  # someone else comes instead of the one named before
        _stand_down(actor, meeting, invitation, previous)
    return invitation


# --- attendance ------------------------------------------------------------------------------


def _attendance_for(meeting: Meeting, person: Person) -> tuple[Membership | None, Any, Any]:
    """The membership a person attends through, the seat they vote for, the institution."""
    membership = (
        Membership.objects.valid_on(meeting.day)
        .filter(body=meeting.body, person=person)
        .select_related("seat", "seat__partner", "substitute_for")
        .order_by("role", "pk")
        .first()
    )
    seat = None
    if membership is not None and membership.role in (MemberRole.MEMBER, MemberRole.SUBSTITUTE):
        seat = membership.seat
    if membership is None:  # a one-off substitute stands in for the member's seat
        standing_for = (
            meeting.invitations.filter(substitute_person=person, reply=Reply.SUBSTITUTE)
            .select_related("membership__seat__partner")
            .first()
        )
        if standing_for is not None and standing_for.membership_id:
            seat = standing_for.membership.seat
    partner = None
    if seat is not None and seat.partner_id:
        partner = seat.partner
    elif person.organisation_id:
        partner = person.organisation
    return membership, seat, partner


@transaction.atomic
def attendance_record(
    *, actor: Any, meeting: Meeting, people: list[Person], expected_version: int | None = None
) -> Meeting:
    """Record who was present (replaces the list); the meeting counts as held. Possible from
    the meeting's day on."""
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)
    check_version(meeting, expected_version)
    if meeting.is_cancelled:
        raise DomainError(_("Die Sitzung ist abgesagt."), code="meeting_closed")
    if meeting.state == MeetingState.MINUTES_APPROVED:
        raise DomainError(
            _("Das Protokoll ist genehmigt; die Anwesenheit kann nicht mehr geändert werden."),
            code="approved",
        )
    if meeting.day > timezone.localdate():
        raise DomainError(
            _("Die Anwesenheit kann erst ab dem Sitzungstag (%(day)s) erfasst werden.")
            % {"day": format_day(meeting.day)},
            code="too_early",
        )
    same_network(meeting.network, *people)
    current = {a.person_id: a for a in meeting.attendances.all()}
    wanted = {p.pk: p for p in people}
    for pid, att in current.items():
        if pid not in wanted:
            history.record(
                actor=actor,
                action=HistoryAction.DELETE,
                obj=att,
                parent=meeting,
                changes={"person": [str(att.person), None]},
            )
            att.delete()
    for pid, person in wanted.items():
        if pid in current:
            continue
        membership, seat, partner = _attendance_for(meeting, person)
        att = Attendance.objects.create(
            network=meeting.network,
            meeting=meeting,
            person=person,
            membership=membership,
            seat=seat,
            partner=partner,
        )
        history.record_create(actor=actor, obj=att, parent=meeting)
    if meeting.state in OPEN_STATES:
        _move_meeting(actor, meeting, MeetingState.HELD, parent=meeting.body)
    else:  # the state stays; the new version makes a concurrent attendance form stale
        save_versioned(meeting, expected_version=meeting.version, fields=["state"])
    return meeting


# --- minutes ---------------------------------------------------------------------------------


def _approved() -> DomainError:
    """Approved minutes change only through a recorded correction."""
    return DomainError(
        _("Das Protokoll ist genehmigt; Änderungen nur noch als Berichtigung."), code="approved"
    )


@transaction.atomic
def minutes_save(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int | None,
    opening: str | None = None,
    closing: str | None = None,
    entries: dict[Any, dict[str, str]] | None = None,
) -> Minutes:
    """Write the draft (opening, closing, per agenda item the discussion; the decisions are
    records of their own, `decision_add`).
    `expected_version` is the minutes' version the writer loaded (None only for the first
    draft): a save over someone else's newer text is refused, never merged silently."""
    authorize(actor, meeting.network, MEETINGS_MANAGE)
    meeting = lock(meeting)
    if not meeting.has_taken_place:
        raise DomainError(
            _("Ein Protokoll kann erst geschrieben werden, wenn die Sitzung stattgefunden hat."),
            code="not_held",
        )
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    created = minutes is None
    if created:
        if expected_version not in (None, 0):
            raise Conflict(
                _("Das Protokoll wurde inzwischen gelöscht oder neu angelegt."),
                details={"current_version": 0},
            )
        minutes = Minutes.objects.create(network=meeting.network, meeting=meeting)
        history.record_create(actor=actor, obj=minutes, parent=meeting)
    elif minutes.state == MinutesState.APPROVED:  # says more than "changed meanwhile"
        raise _approved()
    else:
        check_version(minutes, expected_version)
    items = {str(i.public_id): i for i in meeting.agenda_items.all()}
    items.update({i.pk: i for i in items.values()})
    existing = {e.agenda_item_id: e for e in minutes.entries.all()}
    for key, texts in (entries or {}).items():
        item = items.get(key if isinstance(key, int) else str(key))
        if item is None:
            raise DomainError.for_field(
                "entries", _("Ein Tagesordnungspunkt gehört nicht zu dieser Sitzung.")
            )
        entry = existing.get(item.pk)
        if entry is None:
            entry = MinutesEntry.objects.create(
                network=meeting.network, minutes=minutes, agenda_item=item
            )
            existing[item.pk] = entry
        before = history.snapshot(entry, ["discussion"])
        if "discussion" in texts:
            entry.discussion = (texts["discussion"] or "").strip()
        if history.snapshot(entry, ["discussion"]) != before:
            entry.save(update_fields=["discussion", "modified"])
            history.record_change(actor=actor, obj=entry, before=before, parent=minutes)
    before = history.snapshot(minutes, ["opening", "closing"])
    if opening is not None:
        minutes.opening = opening.strip()
    if closing is not None:
        minutes.closing = closing.strip()
    save_versioned(minutes, expected_version=minutes.version, fields=["opening", "closing"])
    history.record_change(actor=actor, obj=minutes, before=before, parent=meeting)
    if meeting.state == MeetingState.HELD:
        _move_meeting(actor, meeting, MeetingState.MINUTES_DRAFTED)
    return minutes


@transaction.atomic
def minutes_circulate(*, actor: Any, minutes: Minutes) -> Minutes:
    """Send the draft to the body's members for approval at the next meeting."""
    authorize(actor, minutes.network, MEETINGS_MANAGE)
    lock(minutes.meeting)  # the meeting before its minutes: the lock order
    minutes = lock(minutes)
    if minutes.state == MinutesState.APPROVED:
        raise DomainError(_("Das Protokoll ist bereits genehmigt."), code="approved")
    before = history.snapshot(minutes, ["state"])
    minutes.state = MinutesState.CIRCULATED
    minutes.circulated_at = timezone.now()
    save_versioned(minutes, expected_version=minutes.version, fields=["state", "circulated_at"])
    history.record_change(actor=actor, obj=minutes, before=before, parent=minutes.meeting)
    meeting_id = minutes.meeting_id
    transaction.on_commit(lambda: _delivery().enqueue_minutes(meeting_id, "circulated"))
    return minutes


@transaction.atomic
def minutes_approve(*, actor: Any, minutes: Minutes, approved_in: Meeting) -> Minutes:
    """Approved at a later meeting of the same body that has taken place; from then on the
    text changes only through a recorded correction. The approved minutes go to the members
    and, for information, to the institutions of the constituency seats."""
    authorize(actor, minutes.network, MEETINGS_MANAGE)
    meeting = lock(minutes.meeting)  # the meeting before its minutes: the lock order
    minutes = lock(minutes)
    if minutes.state == MinutesState.APPROVED:
        raise DomainError(_("Das Protokoll ist bereits genehmigt."), code="approved")
    same_network(minutes.network, approved_in)
    if approved_in.body_id != meeting.body_id or approved_in.starts_at <= meeting.starts_at:
        raise DomainError.for_field(
            "approved_in",
            _("Genehmigt wird in einer späteren Sitzung desselben Gremiums."),
        )
    if not approved_in.has_taken_place and not (
        approved_in.state == MeetingState.INVITED and approved_in.day <= timezone.localdate()
    ):
        raise DomainError.for_field(
            "approved_in",
            _("Die genehmigende Sitzung muss stattgefunden haben oder heute stattfinden."),
        )
    before = history.snapshot(minutes, ["state", "approved_in"])
    minutes.state = MinutesState.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_in = approved_in
    save_versioned(
        minutes, expected_version=minutes.version, fields=["state", "approved_at", "approved_in"]
    )
    history.record_change(actor=actor, obj=minutes, before=before, parent=meeting)
    _move_meeting(actor, meeting, MeetingState.MINUTES_APPROVED)
    lifecycle.minutes_approved(actor=actor, meeting=meeting)
    meeting_id = meeting.pk
    transaction.on_commit(lambda: _delivery().enqueue_minutes(meeting_id, "approved"))
    return minutes


CORRECTABLE = {"opening", "closing", "discussion"}


@transaction.atomic
def minutes_correct(
    *,
    actor: Any,
    minutes: Minutes,
    field: str,
    text: str,
    reason: str,
    entry: MinutesEntry | None = None,
    expected_version: int | None = None,
) -> MinutesCorrection:
    """Change approved minutes: the old and new text and the reason are kept."""
    authorize(actor, minutes.network, MEETINGS_MANAGE)
    lock(minutes.meeting)  # the meeting before its minutes: the lock order
    minutes = lock(minutes)
    check_version(minutes, expected_version)
    if minutes.state != MinutesState.APPROVED:
        raise DomainError(
            _(
                "Berichtigungen gibt es nur für genehmigte Protokolle; den Entwurf können Sie "
                "direkt bearbeiten."
            ),
            code="not_approved",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError.for_field("reason", _("Bitte begründen Sie die Berichtigung."))
    target: Any = minutes
    if field == "discussion":
        if entry is None or entry.minutes_id != minutes.pk:
            raise DomainError.for_field("entry", _("Bitte wählen Sie den Tagesordnungspunkt."))
        target = entry
    elif field not in ("opening", "closing"):
        raise DomainError.for_field("field", _("Dieses Feld kann nicht berichtigt werden."))
    text = (text or "").strip()
    old = getattr(target, field)
    if old == text:
        raise DomainError.for_field("text", _("Der Text ist unverändert."))
    validate_fields(MinutesCorrection, {"reason": reason})
    before = history.snapshot(target, [field])
    setattr(target, field, text)
    target.save(update_fields=[field, "modified"])
    correction = MinutesCorrection.objects.create(
        network=minutes.network,
        minutes=minutes,
        entry=entry if target is entry else None,
        field=field,
        before=old,
        after=text,
        reason=reason,
        actor_name=getattr(actor, "display_name", "") or str(actor),
    )
    Minutes.all_objects.filter(pk=minutes.pk).update(version=minutes.version + 1)
    minutes.version += 1
    history.record_change(
        actor=actor,
        obj=target,
        before=before,
        action=HistoryAction.UPDATE,
        parent=minutes.meeting,
        message=_("Berichtigung: %(reason)s") % {"reason": reason},
    )
    return correction


# --- decisions -------------------------------------------------------------------------------

DECISION_FIELDS = ("wording", "outcome", "votes_yes", "votes_no", "votes_abstain", "unanimous")
VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain")


def _clean_decision(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in DECISION_FIELDS if key in data}
    if "wording" in clean:
        clean["wording"] = (clean["wording"] or "").strip()
        if not clean["wording"]:
            raise DomainError.for_field(
                "wording", _("Bitte geben Sie den Wortlaut des Beschlusses an.")
            )
    if "outcome" in clean and clean["outcome"] not in DecisionOutcome.values:
        raise DomainError.for_field("outcome", _("Bitte wählen Sie ein Ergebnis."))
    for key in VOTE_FIELDS:
        value = clean.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9999:
            raise DomainError.for_field(key, _("Bitte eine ganze Zahl von 0 bis 9999."))
    if "unanimous" in clean:
        clean["unanimous"] = bool(clean["unanimous"])
    return clean


def _check_votes(decision: Decision) -> None:
    if decision.unanimous and decision.votes_no:
        raise DomainError.for_field(
            "votes_no", _("Einstimmig heißt: keine Nein-Stimme. Bitte prüfen Sie die Zahlen.")
        )
    if decision.has_counts:  # counted: what was not given is none
        for key in VOTE_FIELDS:
            if getattr(decision, key) is None:
                setattr(decision, key, 0)


def _decisions_open(actor: Any, meeting: Meeting) -> Minutes:
    """The minutes a decision is written into, created as a draft when there are none yet;
    refused before the meeting and once the minutes are approved (then: a correction)."""
    if not meeting.has_taken_place:
        raise DomainError(
            _("Beschlüsse werden eingetragen, wenn die Sitzung stattgefunden hat."),
            code="not_held",
        )
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes.objects.create(network=meeting.network, meeting=meeting)
        history.record_create(actor=actor, obj=minutes, parent=meeting)
        if meeting.state == MeetingState.HELD:
            _move_meeting(actor, meeting, MeetingState.MINUTES_DRAFTED)
    return minutes


@transaction.atomic
def decision_add(*, actor: Any, item: AgendaItem, data: dict[str, Any]) -> Decision:
    """Record a decision on an agenda item of a held meeting. Its number is the next one of
    the body in the meeting's year; two recorded at once queue up on the body."""
    authorize(actor, item.network, MEETINGS_MANAGE)
    body = lock(item.meeting.body)  # the body before its meeting: the lock order
    meeting = lock(item.meeting)
    item = lock_alive(item, _item_gone)
    minutes = _decisions_open(actor, meeting)
    if minutes.state == MinutesState.APPROVED:
        raise _approved()
    clean = _clean_decision(data)
    if "wording" not in clean:
        raise DomainError.for_field(
            "wording", _("Bitte geben Sie den Wortlaut des Beschlusses an.")
        )
    year = timezone.localtime(meeting.starts_at).year
    last = Decision.all_objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"]
    decision = Decision(
        network=meeting.network,
        agenda_item=item,
        body=body,
        year=year,
        number=(last or 0) + 1,
        **clean,
    )
    _check_votes(decision)
    validate_fields(Decision, {"wording": decision.wording})
    decision.save()
    history.record_create(actor=actor, obj=decision, parent=meeting)
    return decision


@transaction.atomic
def decision_update(
    *,
    actor: Any,
    decision: Decision,
    data: dict[str, Any],
    expected_version: int | None,
    reason: str = "",
) -> Decision:
    """Change a decision's wording, outcome or votes. While the minutes are drafted this is
    an edit; once they are approved it is a correction, kept with before, after and reason
    beside the minutes."""
    authorize(actor, decision.network, MEETINGS_MANAGE)
    meeting = lock(decision.agenda_item.meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    decision = lock(decision)
    check_version(decision, expected_version)
    clean = _clean_decision(data)
    approved = minutes is not None and minutes.state == MinutesState.APPROVED
    reason = (reason or "").strip()
    if approved and not reason:
        raise DomainError.for_field(
            "reason",
            _("Das Protokoll ist genehmigt: Bitte begründen Sie die Berichtigung."),
        )
    validate_fields(MinutesCorrection, {"reason": reason})
    before = history.snapshot(decision, list(DECISION_FIELDS))
    summary_before = decision.summary
    for key, value in clean.items():
        setattr(decision, key, value)
    _check_votes(decision)
    if history.snapshot(decision, list(DECISION_FIELDS)) == before:
        if approved:
            raise DomainError.for_field("wording", _("Der Beschluss ist unverändert."))
        return decision
    save_versioned(decision, expected_version=decision.version, fields=list(DECISION_FIELDS))
    message = ""
    if approved:
        MinutesCorrection.objects.create(
            network=decision.network,
            minutes=minutes,
            decision=decision,
            field="decision",
            before=summary_before,
            after=decision.summary,
            reason=reason,
            actor_name=getattr(actor, "display_name", "") or str(actor),
        )
        Minutes.all_objects.filter(pk=minutes.pk).update(version=minutes.version + 1)
        message = _("Berichtigung: %(reason)s") % {"reason": reason}
    history.record_change(actor=actor, obj=decision, before=before, parent=meeting, message=message)
    return decision


@transaction.atomic
def decision_remove(*, actor: Any, decision: Decision) -> None:
    """Remove a decision from draft minutes (recorded with its number and wording); a
    decision in approved minutes stays and can only be corrected."""
    authorize(actor, decision.network, MEETINGS_MANAGE)
    meeting = lock(decision.agenda_item.meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.state == MinutesState.APPROVED:
        raise DomainError(
            _("Ein Beschluss im genehmigten Protokoll bleibt; Sie können ihn berichtigen."),
            code="approved",
        )
    decision = lock_alive(
        decision,
        lambda: DomainError(_("Der Beschluss ist bereits entfernt."), code="gone"),
    )
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=decision,
        parent=meeting,
        changes={"wording": [decision.wording, None], "number": [decision.number, None]},
    )
    decision.delete()


# --- tasks from the minutes ------------------------------------------------------------------


@transaction.atomic
def task_add(
    *,
    actor: Any,
    entry: MinutesEntry,
    description: str,
    owner: Person | None = None,
    owner_text: str = "",
    partner: Partner | None = None,
    due: datetime.date | None = None,
    decision: Decision | None = None,
) -> ActionItem:
    """A task on an agenda item's entry; `decision`, where given, is one of that item's
    decisions that the task carries out. Someone is responsible: a person, an institution
    or a name."""
    authorize(actor, entry.network, MEETINGS_MANAGE)
    same_network(entry.network, owner)
    same_network(entry.network, partner)
    same_network(entry.network, decision)
    if decision is not None and decision.agenda_item_id != entry.agenda_item_id:
        raise DomainError.for_field(
            "decision", _("Der Beschluss gehört zu einem anderen Tagesordnungspunkt.")
        )
    # The minutes' state as stored: an approval at the same time waits, or this waits for it
    # and is refused (lock order meeting → minutes → entry).
    meeting = lock(entry.minutes.meeting)
    minutes = lock(entry.minutes)
    entry = lock(entry)
    if minutes.state == MinutesState.APPROVED:
        raise _approved()
    description = (description or "").strip()
    if not description:
        raise DomainError.for_field("description", _("Bitte beschreiben Sie die Aufgabe."))
    owner_text = (owner_text or "").strip()
    if owner is None and partner is None and not owner_text:
        raise DomainError.for_field("owner", _("Bitte geben Sie an, wer zuständig ist."))
    validate_fields(ActionItem, {"description": description, "owner_text": owner_text})
    task = ActionItem.objects.create(
        network=entry.network,
        entry=entry,
        description=description,
        owner=owner,
        owner_text=owner_text,
        partner=partner,
        due=due,
        decision=decision,
    )
    history.record_create(actor=actor, obj=task, parent=meeting)
    return task


TASK_NOTE_MAX = 2_000


@transaction.atomic
def task_follow_up(
    *,
    actor: Any,
    task: ActionItem,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> ActionItem:
    """A new status of a task with a dated note (`TaskNote`): after the minutes' approval
    too, since following a task up is no change of the minutes' text. The same status again
    needs a note (a report of progress); dropping a task needs its reason. With
    `expected_version`, a change made meanwhile is refused as a conflict."""
    authorize(actor, task.network, TASK_FOLLOW_UP, task)
    if not status:
        raise DomainError.for_field("status", _("Bitte geben Sie den neuen Stand an."))
    if status not in TaskStatus.values:
        raise DomainError.for_field(
            "status",
            _("Unbekannter Stand. Möglich sind: %(values)s.")
            % {"values": ", ".join(str(label) for label in TaskStatus.labels)},
        )
    note = (note or "").strip()
    if len(note) > TASK_NOTE_MAX:
        raise DomainError.for_field(
            "note", _("Höchstens %(n)s Zeichen, bitte kürzen Sie den Vermerk.") % {"n": "2.000"}
        )
    task = lock(task)
    check_version(task, expected_version)
    if status == task.status and not note:
        raise DomainError.for_field(
            "note",
            _(
                "Die Aufgabe ist schon „%(status)s“. Wählen Sie einen anderen Stand oder "
                "schreiben Sie, was sich getan hat."
            )
            % {"status": task.status_label},
        )
    if status == TaskStatus.DROPPED and not note:
        raise DomainError.for_field("note", _("Bitte schreiben Sie, warum die Aufgabe entfällt."))
    before = history.snapshot(task, ["status"])
    task.status = status
    save_versioned(task, expected_version=task.version, fields=["status"])
    person = network_selectors.person_of(actor, task.network)
    TaskNote.objects.create(
        network=task.network,
        task=task,
        status=status,
        note=note,
        written_by=person,
        written_by_name=network_selectors.actor_name(actor, person),
    )
    history.record_change(
        actor=actor,
        obj=task,
        before=before,
        parent=task.entry.minutes.meeting,
        message=note[:500],  # the whole note is the TaskNote's
    )
    return task


def task_set_done(*, actor: Any, task: ActionItem, done: bool) -> ActionItem:
    """Done, or open again (the minutes' button and the older API's `done`)."""
    return task_follow_up(
        actor=actor, task=task, status=TaskStatus.DONE if done else TaskStatus.OPEN
    )


# --- network day -----------------------------------------------------------------------------


def _require_day_open(day: NetworkDay) -> None:
    if day.state in (NetworkDayState.HELD, NetworkDayState.CANCELLED):
        raise DomainError(_("Der Netzwerktag ist abgeschlossen."), code="closed")


def _clean_network_day(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in NETWORK_DAY_FIELDS if key in data}
    _clean_text(clean, "title", _("Bitte geben Sie einen Titel an."))
    for key in ("place", "programme"):
        if key in clean:
            clean[key] = (clean[key] or "").strip()
    validate_fields(NetworkDay, clean)
    return clean


@transaction.atomic
def network_day_create(*, actor: Any, network: Network, data: dict[str, Any]) -> NetworkDay:
    authorize(actor, network, NETWORKDAYS_MANAGE)
    clean = _clean_network_day(data)
    if not clean.get("title"):
        raise DomainError.for_field("title", _("Bitte geben Sie einen Titel an."))
    _check_times(clean.get("starts_at"), clean.get("ends_at"))
    day = NetworkDay.objects.create(network=network, **clean)
    history.record_create(actor=actor, obj=day)
    return day


@transaction.atomic
def network_day_update(
    *, actor: Any, day: NetworkDay, expected_version: int | None, data: dict[str, Any]
) -> NetworkDay:
    def clean(day: NetworkDay) -> dict[str, Any]:
        _require_day_open(day)
        values = _clean_network_day(data)
        _check_times(values.get("starts_at", day.starts_at), values.get("ends_at", day.ends_at))
        return values

    def next_sequence(day: NetworkDay, before: dict[str, Any]) -> list[str]:
        return _next_sequence(
            day, before, NetworkDayState.INVITED, ("title", "starts_at", "ends_at", "place")
        )

    def resend(day: NetworkDay, before: dict[str, Any]) -> None:
        if day.sequence != before["sequence"]:
            _send_network_day(day)

    return versioned_update(
        actor=actor,
        obj=day,
        expected_version=expected_version,
        permission=NETWORKDAYS_MANAGE,
        clean=clean,
        snapshot=[*NETWORK_DAY_FIELDS, "sequence"],
        prepare=next_sequence,
        after=resend,
    )


def _send_network_day(day: NetworkDay) -> None:
    ids = list(day.invitations.values_list("pk", flat=True))
    NetworkDayInvitation.objects.filter(pk__in=ids).exclude(email="").update(
        delivery=Delivery.PENDING, attempts=0, last_error=""
    )
    _delivery().enqueue_network_day_invitations(ids)


@transaction.atomic
def network_day_invite(*, actor: Any, day: NetworkDay) -> int:
    """Invite every partner institution active on the day (to its contact address)."""
    authorize(actor, day.network, NETWORKDAYS_MANAGE)
    day = lock(day)
    _require_day_open(day)
    invited = set(day.invitations.values_list("partner_id", flat=True))
    for partner in Partner.objects.filter(network=day.network).valid_on(day.day).order_by("name"):
        if partner.pk in invited:
            continue
        NetworkDayInvitation.objects.create(
            network=day.network,
            network_day=day,
            partner=partner,
            name=partner.name,
            email=partner.email,
            delivery=Delivery.PENDING if partner.email else Delivery.NO_ADDRESS,
        )
    before = history.snapshot(day, ["state", "sequence"])
    fields = ["state"]
    if day.state == NetworkDayState.PLANNED:
        day.state = NetworkDayState.INVITED
        day.invited_at = timezone.now()
        fields.append("invited_at")
    else:
        day.sequence += 1
        fields.append("sequence")
    save_versioned(day, expected_version=day.version, fields=fields)
    count = day.invitations.count()
    history.record_change(
        actor=actor,
        obj=day,
        before=before,
        message=_("Einladung an %(n)s Institutionen versandt.") % {"n": count},
    )
    _send_network_day(day)
    return count


@transaction.atomic
def network_day_cancel(*, actor: Any, day: NetworkDay) -> NetworkDay:
    authorize(actor, day.network, NETWORKDAYS_MANAGE)
    day = lock(day)
    _require_day_open(day)
    was_invited = day.state == NetworkDayState.INVITED
    before = history.snapshot(day, ["state", "sequence"])
    day.state = NetworkDayState.CANCELLED
    fields = ["state"]
    if was_invited:
        day.sequence += 1
        fields.append("sequence")
    save_versioned(day, expected_version=day.version, fields=fields)
    history.record_change(actor=actor, obj=day, before=before, action=HistoryAction.END)
    if was_invited:
        _send_network_day(day)
    return day


def _may_register_for(actor: Any, day: NetworkDay, person: Person | None) -> bool:
    """Oneself, or anyone for the office (rule "networkday.register")."""
    return can(actor, day.network, NETWORKDAY_REGISTER, person)


@transaction.atomic
def registration_add(
    *,
    actor: Any,
    day: NetworkDay,
    partner: Partner | None = None,
    person: Person | None = None,
    name: str = "",
    email: str = "",
    note: str = "",
) -> Registration:
    """Register a person (from the registry or by name) for an institution. Members register
    themselves; the coordination office registers anyone."""
    authorize(actor, day.network, NETWORKDAYS_VIEW)
    if not _may_register_for(actor, day, person):
        authorize(actor, day.network, NETWORKDAYS_MANAGE)
    day = lock(day)
    same_network(day.network, partner, person)
    _require_day_open(day)
    if (
        day.registration_until
        and timezone.localdate() > day.registration_until
        and not can(actor, day.network, NETWORKDAYS_MANAGE)
    ):
        raise DomainError(
            _("Die Anmeldefrist ist am %(day)s abgelaufen.")
            % {"day": format_day(day.registration_until)},
            code="registration_closed",
        )
    name = (name or "").strip() or (str(person) if person else "")
    email = (email or "").strip() or (person.email if person else "")
    if partner is None and person is not None:
        partner = person.organisation
    if not name:
        raise DomainError.for_field("name", _("Bitte geben Sie den Namen an."))
    if partner is None:
        raise DomainError.for_field(
            "partner", _("Bitte wählen Sie die Institution, für die die Person kommt.")
        )
    validate_fields(Registration, {"name": name, "email": email, "note": (note or "").strip()})
    if person is not None and day.registrations.filter(person=person).exists():
        raise DomainError.for_field("person", _("Diese Person ist bereits angemeldet."))
    reg = Registration.objects.create(
        network=day.network,
        network_day=day,
        partner=partner,
        person=person,
        name=name,
        email=email,
        note=(note or "").strip(),
    )
    history.record_create(actor=actor, obj=reg, parent=day)
    return reg


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> None:
    day = registration.network_day
    if not _may_register_for(actor, day, registration.person):
        authorize(actor, day.network, NETWORKDAYS_MANAGE)
    day = lock(day)  # the day before its registrations: the lock order
    _require_day_open(day)
    registration = lock_alive(
        registration,
        lambda: DomainError(_("Diese Anmeldung ist bereits storniert."), code="deleted"),
    )
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=registration,
        parent=day,
        changes={"name": [registration.name, None]},
    )
    registration.deleted_at = timezone.now()
    registration.save(update_fields=["deleted_at"])


@transaction.atomic
def network_day_attendance(
    *, actor: Any, day: NetworkDay, attended: list[Registration]
) -> NetworkDay:
    """Mark who came (the others did not); the network day counts as held."""
    authorize(actor, day.network, NETWORKDAYS_MANAGE)
    day = lock(day)
    if day.state == NetworkDayState.CANCELLED:
        raise DomainError(_("Der Netzwerktag ist abgesagt."), code="closed")
    if day.day > timezone.localdate():
        raise DomainError(
            _("Die Teilnahme kann erst ab dem Tag selbst (%(day)s) erfasst werden.")
            % {"day": format_day(day.day)},
            code="too_early",
        )
    came = {r.pk for r in attended}
    for reg in day.registrations.all():
        value = reg.pk in came
        if reg.attended is not value:
            before = history.snapshot(reg, ["attended"])
            reg.attended = value
            reg.save(update_fields=["attended", "modified"])
            history.record_change(actor=actor, obj=reg, before=before, parent=day)
    if day.state != NetworkDayState.HELD:
        before = history.snapshot(day, ["state"])
        day.state = NetworkDayState.HELD
        save_versioned(day, expected_version=day.version, fields=["state"])
        history.record_change(actor=actor, obj=day, before=before)
    return day


# --- calendar feeds --------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(
    *, actor: Any, network: Network, body: Body | None = None, name: str = ""
) -> tuple[CalendarFeed, str]:
    """A secret feed address for one body (which the person may see) or for all of the
    person's meetings. Returns the feed and the token, which is shown only now."""
    authorize(actor, network, NETWORK_VIEW)
    same_network(network, body)
    if body is not None and not can(actor, network, BODY_VIEW, body):
        authorize(actor, network, BODIES_MANAGE)
    name = (name or "").strip() or (str(body) if body is not None else _("Meine Sitzungen"))
    validate_fields(CalendarFeed, {"name": name})
    prefix = secrets.token_hex(4)
    token = f"{prefix}{secrets.token_urlsafe(24)}"
    feed = CalendarFeed.objects.create(
        network=network,
        user=actor,
        body=body,
        name=name,
        prefix=prefix,
        token_hash=CalendarFeed.hash(token),
    )
    history.record_create(actor=actor, obj=feed)
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any, feed: CalendarFeed) -> CalendarFeed:
    authorize(actor, feed.network, CALENDARFEED_REVOKE, feed)
    feed = lock(feed)
    if feed.revoked_at is not None:
        raise DomainError(_("Dieses Kalenderabo ist bereits widerrufen."), code="revoked")
    before = history.snapshot(feed, ["revoked_at"])
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at", "modified"])
    history.record_change(actor=actor, obj=feed, before=before, action=HistoryAction.END)
    return feed
