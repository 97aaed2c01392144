"""API schemas of meetings (agenda, documents, invitations, attendance, minutes), network
days with registrations, participation over the years and calendar feeds."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from uebergang.core.api import (
    ClearableText,
    Day,
    Moment,
    RecordOut,
    Version,
    clearable,
    omittable,
)

from .models import DecisionOutcome, MeetingState, TaskStatus

StateLiteral = Literal[tuple(MeetingState.values)]  # type: ignore[valid-type]
ReplyLiteral = Literal["attend", "decline", "substitute"]
CorrectableLiteral = Literal["opening", "closing", "discussion"]
OutcomeLiteral = Literal[tuple(DecisionOutcome.values)]  # type: ignore[valid-type]


def _pid(obj: Any, attr: str) -> UUID | None:
    return getattr(obj, attr).public_id if getattr(obj, f"{attr}_id") else None


class DeletedOut(Schema):
    id: UUID
    deleted: bool = Field(description="immer true")


# --- meetings --------------------------------------------------------------------------------


class MeetingOut(RecordOut):
    body: UUID
    body_name: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    description: str
    state: str
    state_label: str
    sequence: int = Field(description="Zahl der Änderungen der Einladung (SEQUENCE im Kalender)")
    invited_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    version: int

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id

    @staticmethod
    def resolve_body_name(obj: Any) -> str:
        return obj.body.name


class MeetingListOut(MeetingOut):
    item_count: int = Field(description="Zahl der Tagesordnungspunkte")


class MeetingUpdatedOut(MeetingOut):
    update_sent: bool = Field(
        description="ob die Eingeladenen eine aktualisierte Einladung (höhere SEQUENCE) erhalten"
    )


class MeetingIn(Schema):
    body: UUID
    title: str = Field(max_length=200)
    starts_at: Moment
    ends_at: Moment
    place: str = Field("", max_length=300)
    online_url: str = ""
    description: str = ""


class MeetingPatch(Schema):
    """Only the fields sent change. `title`, `starts_at` and `ends_at` cannot be null;
    `place`, `online_url` and `description` are cleared with null or ""."""

    version: Version
    title: str = omittable(max_length=200)
    starts_at: Moment = omittable()
    ends_at: Moment = omittable()
    place: ClearableText = clearable(max_length=300)
    online_url: ClearableText = clearable()
    description: ClearableText = clearable()


class CancelIn(Schema):
    reason: str = Field("", max_length=500)


# --- agenda and documents --------------------------------------------------------------------


class DocumentOut(RecordOut):
    meeting: UUID
    agenda_item: UUID | None
    title: str
    file_name: str
    content_type: str
    size: int = Field(description="Dateigröße in Byte")
    sha256: str
    created: datetime.datetime

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.meeting.public_id

    @staticmethod
    def resolve_agenda_item(obj: Any) -> UUID | None:
        return _pid(obj, "agenda_item")


class AgendaItemOut(RecordOut):
    meeting: UUID
    position: int
    title: str
    description: str
    public: bool
    presenter: str
    version: int

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.meeting.public_id


class AgendaItemDetailOut(AgendaItemOut):
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return list(obj.documents.all())


class AgendaItemIn(Schema):
    title: str = Field(max_length=300)
    description: str = ""
    public: bool = True
    presenter: str = Field("", max_length=200)


class AgendaItemPatch(Schema):
    """Only the fields sent change. `title` and `public` cannot be null; `description` and
    `presenter` are cleared with null or ""."""

    version: Version
    title: str = omittable(max_length=300)
    description: ClearableText = clearable()
    public: bool = omittable()
    presenter: ClearableText = clearable(max_length=200)


class MoveIn(Schema):
    position: int = Field(ge=1, le=10_000, description="neue Nummer (1 = zuerst)")


# --- invitations -----------------------------------------------------------------------------


class InvitationOut(RecordOut):
    meeting: UUID
    kind: str
    kind_label: str
    person: UUID | None
    partner: UUID | None
    name: str
    email: str
    reply: str
    reply_label: str
    reply_note: str
    replied_at: datetime.datetime | None
    delivery: str
    delivery_label: str
    delivered_sequence: int
    attempts: int
    last_error: str
    sent_at: datetime.datetime | None
    version: int
    substitute_name: str | None = Field(
        None,
        description="bei `substitute`: wer kommt (ein/e Vertreter/in des Mitglieds oder "
        "eine einmalige Vertretung)",
    )
    substitute_once: bool = Field(
        False, description="die Koordinierungsstelle hat eine einmalige Vertretung benannt"
    )

    @staticmethod
    def resolve_substitute_name(obj: Any) -> str | None:
        if obj.reply != "substitute":
            return None
        if obj.substitute_person_id:
            return str(obj.substitute_person)
        return str(obj.substitute.person) if obj.substitute_id else None

    @staticmethod
    def resolve_substitute_once(obj: Any) -> bool:
        return bool(obj.substitute_person_id)

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.meeting.public_id

    @staticmethod
    def resolve_person(obj: Any) -> UUID | None:
        return _pid(obj, "person")

    @staticmethod
    def resolve_partner(obj: Any) -> UUID | None:
        return _pid(obj, "partner")


class InviteIn(Schema):
    cover_text: str | None = Field(
        None,
        max_length=5000,
        description="das Anschreiben über der Tagesordnung (formatierter Text); "
        "ohne Angabe bleibt das des letzten Versands",
    )


class InviteOut(Schema):
    meeting: MeetingOut
    sent: int = Field(description="Zahl der Empfänger/innen")
    late: bool = Field(description="die Einladungsfrist des Gremiums wurde nicht eingehalten")
    period_days: int = Field(description="Einladungsfrist des Gremiums in Tagen")


class PreviewChangeOut(Schema):
    field: str = Field(description="das geänderte Feld, wie auf der Seite benannt")
    before: str
    after: str


class PreviewEventOut(Schema):
    at: datetime.datetime
    actor: str = Field(description="wer es geändert hat")
    type: str = Field(description="Art des Datensatzes (Sitzung, Tagesordnungspunkt, Unterlage)")
    object: str = Field(description="der Datensatz")
    action: str = Field(description="was geschah (angelegt, geändert, entfernt, …)")
    changes: list[PreviewChangeOut]


class PreviewRecipientOut(Schema):
    name: str
    kind: Literal["person", "institution"] = Field(
        description="eine Person des Gremiums oder eine Institution zur Information"
    )
    first_time: bool = Field(description="erhält die Einladung zum ersten Mal")
    has_email: bool


class InvitationPreviewOut(Schema):
    update: bool = Field(description="eine aktualisierte Einladung (schon eingeladen)")
    late: bool = Field(description="die Einladungsfrist des Gremiums würde nicht eingehalten")
    period_days: int
    has_agenda: bool = Field(description="ohne Tagesordnung kann nicht eingeladen werden")
    last_sent_at: datetime.datetime | None = Field(description="der letzte Versand")
    changes: list[PreviewEventOut] = Field(
        description="was sich seit dem letzten Versand an Sitzung, Tagesordnung und "
        "Unterlagen geändert hat, älteste zuerst"
    )
    recipients: list[PreviewRecipientOut]


class ReplyIn(Schema):
    reply: ReplyLiteral
    note: str = Field("", max_length=500)
    substitute: UUID | None = Field(
        None,
        description="bei `substitute` und mehreren Vertreter/innen: die Mitgliedschaft "
        "dessen/derer, der/die kommt",
    )


class SubstituteOnceIn(Schema):
    person: UUID = Field(description="die Person aus dem Netzwerk, die diesmal vertritt")
    note: str = Field("", max_length=500)


# --- quorum and attendance -------------------------------------------------------------------


class QuorumOut(Schema):
    rule: str
    rule_label: str
    voting_seats: int
    needed: int | None = Field(description="nötige stimmberechtigte Sitze (null: keine Regel)")
    present: int
    expected: int = Field(description="nach den Antworten erwartet")
    reached: bool | None
    expected_reached: bool | None


class AttendeeOut(RecordOut):
    person: UUID
    person_name: str
    seat: UUID | None
    partner: UUID | None
    partner_name: str

    @staticmethod
    def resolve_person(obj: Any) -> UUID:
        return obj.person.public_id

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person)

    @staticmethod
    def resolve_seat(obj: Any) -> UUID | None:
        return _pid(obj, "seat")

    @staticmethod
    def resolve_partner(obj: Any) -> UUID | None:
        return _pid(obj, "partner")

    @staticmethod
    def resolve_partner_name(obj: Any) -> str:
        return obj.partner.name if obj.partner_id else ""


class CandidateOut(Schema):
    person: UUID
    person_name: str
    membership: UUID
    role: str
    role_label: str


class AttendanceOut(Schema):
    meeting_version: int = Field(description="für das nächste PUT als `version` senden")
    present: list[AttendeeOut]
    candidates: list[CandidateOut] = Field(description="wer am Sitzungstag im Gremium ist")
    quorum: QuorumOut


class AttendanceIn(Schema):
    people: list[UUID] = Field(description="die anwesenden Personen (ersetzt die Liste)")
    version: Version | None = Field(description="Version der Sitzung")


# --- minutes ---------------------------------------------------------------------------------


class TaskOut(RecordOut):
    description: str
    owner: UUID | None
    partner: UUID | None = Field(description="die zuständige Institution")
    owner_name: str = Field(description="wer zuständig ist: Person oder Name, dazu die Institution")
    due: datetime.date | None
    status: Literal[tuple(TaskStatus.values)] = Field(  # type: ignore[valid-type]
        description="offen, in Arbeit, erledigt oder entfallen"
    )
    status_label: str
    light: Literal["", "overdue", "at_risk"] = Field(
        description="Ampel: `overdue` überfällig, `at_risk` in 14 Tagen fällig und nicht in Arbeit"
    )
    done: bool = Field(description="`status` ist `done`")
    decision: UUID | None = Field(description="der Beschluss, den die Aufgabe umsetzt")
    version: int

    @staticmethod
    def resolve_owner(obj: Any) -> UUID | None:
        return _pid(obj, "owner")

    @staticmethod
    def resolve_partner(obj: Any) -> UUID | None:
        return _pid(obj, "partner")

    @staticmethod
    def resolve_decision(obj: Any) -> UUID | None:
        return _pid(obj, "decision")


class DecisionOut(RecordOut):
    agenda_item: UUID
    meeting: UUID
    body: UUID
    reference: str = Field(description="Beschlussnummer, z. B. „BR 2026/04“")
    year: int
    number: int
    wording: str = Field(description="Beschlusstext (formatierter Text)")
    outcome: str
    outcome_label: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None
    unanimous: bool
    votes_label: str = Field(description="„einstimmig“ oder die Stimmen, leer ohne Angabe")
    version: int

    @staticmethod
    def resolve_agenda_item(obj: Any) -> UUID:
        return obj.agenda_item.public_id

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.agenda_item.meeting.public_id

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id


class DecisionIn(Schema):
    wording: str = Field(max_length=20_000)
    outcome: OutcomeLiteral = "adopted"  # type: ignore[valid-type]
    votes_yes: int | None = Field(None, ge=0, le=9999)
    votes_no: int | None = Field(None, ge=0, le=9999)
    votes_abstain: int | None = Field(None, ge=0, le=9999)
    unanimous: bool = False


class DecisionPatch(Schema):
    """Only the fields sent change; `wording`, `outcome` and `unanimous` cannot be null, the
    votes are cleared with null. Once the minutes are approved, a change is a correction and
    needs `reason`."""

    version: Version
    wording: str = omittable(max_length=20_000)
    outcome: OutcomeLiteral = omittable()  # type: ignore[valid-type]
    votes_yes: int | None = Field(None, ge=0, le=9999, description="null: nicht gezählt")
    votes_no: int | None = Field(None, ge=0, le=9999, description="null: nicht gezählt")
    votes_abstain: int | None = Field(None, ge=0, le=9999, description="null: nicht gezählt")
    unanimous: bool = omittable()
    reason: str = Field("", max_length=500, description="Begründung (bei genehmigtem Protokoll)")


class MinutesEntryOut(RecordOut):
    agenda_item: UUID
    discussion: str
    tasks: list[TaskOut]

    @staticmethod
    def resolve_agenda_item(obj: Any) -> UUID:
        return obj.agenda_item.public_id

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        return list(obj.tasks.all())


class CorrectionOut(RecordOut):
    entry: UUID | None
    decision: UUID | None = Field(description="der berichtigte Beschluss (Feld `decision`)")
    field: str
    before: str
    after: str
    reason: str
    actor_name: str
    created: datetime.datetime

    @staticmethod
    def resolve_entry(obj: Any) -> UUID | None:
        return _pid(obj, "entry")

    @staticmethod
    def resolve_decision(obj: Any) -> UUID | None:
        return _pid(obj, "decision")


class MinutesSummaryOut(RecordOut):
    state: str
    state_label: str
    circulated_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    approved_in: UUID | None
    version: int

    @staticmethod
    def resolve_approved_in(obj: Any) -> UUID | None:
        return _pid(obj, "approved_in")


class MinutesOut(MinutesSummaryOut):
    meeting: UUID
    opening: str
    closing: str
    entries: list[MinutesEntryOut]
    decisions: list[DecisionOut] = Field(description="die Beschlüsse der Sitzung, nach Nummer")
    corrections: list[CorrectionOut]

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.meeting.public_id

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(getattr(obj, "decision_list", []))

    @staticmethod
    def resolve_corrections(obj: Any) -> list[Any]:
        return list(obj.corrections.all())


class MinutesEntryIn(Schema):
    agenda_item: UUID
    discussion: str | None = None


class MinutesIn(Schema):
    version: Version | None = Field(
        description="die gelesene Version des Protokolls (null oder 0 beim ersten Entwurf)"
    )
    opening: str | None = None
    closing: str | None = None
    entries: list[MinutesEntryIn] = []


class ApproveIn(Schema):
    approved_in: UUID = Field(description="die spätere Sitzung, in der genehmigt wurde")


class CorrectionIn(Schema):
    field: CorrectableLiteral
    entry: UUID | None = Field(None, description="Protokollabschnitt (bei discussion)")
    text: str
    reason: str = Field(max_length=500)
    version: Version | None = None


class TaskIn(Schema):
    description: str = Field(max_length=500)
    owner: UUID | None = None
    owner_text: str = Field("", max_length=200)
    partner: UUID | None = Field(None, description="die zuständige Institution")
    due: Day | None = None
    decision: UUID | None = Field(None, description="ein Beschluss desselben Punktes")


class TaskPatch(Schema):
    status: Literal[tuple(TaskStatus.values)] | None = Field(  # type: ignore[valid-type]
        None, description="der neue Stand; ohne ihn gilt `done`"
    )
    done: bool | None = Field(None, description="kurz für `status` `done` (true) oder `open`")
    note: str = Field("", max_length=2000, description="Vermerk; nötig für `dropped`")
    version: Version | None = Field(None, description="Version der Aufgabe (sonst ohne Prüfung)")


class TaskNoteOut(Schema):
    status: str
    status_label: str
    note: str
    written_by_name: str = Field(description="wer den Stand eingetragen hat")
    created: datetime.datetime


class TaskDetailOut(TaskOut):
    meeting: UUID
    notes: list[TaskNoteOut] = Field(description="jeder Wechsel des Stands mit Tag und Vermerk")

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.entry.minutes.meeting.public_id

    @staticmethod
    def resolve_notes(obj: Any) -> list[Any]:
        return list(obj.notes.all())


class FollowUpDecisionOut(RecordOut):
    reference: str = Field(description="Beschlussnummer, z. B. „BR 2026/04“")
    body: UUID
    body_name: str
    meeting: UUID
    meeting_starts_at: datetime.datetime
    agenda_item_title: str
    wording: str
    outcome: str
    outcome_label: str
    provisional: bool = Field(description="das Protokoll ist noch nicht genehmigt")
    tasks: list[TaskOut]

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id

    @staticmethod
    def resolve_body_name(obj: Any) -> str:
        return obj.body.name

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.meeting_pid

    @staticmethod
    def resolve_meeting_starts_at(obj: Any) -> datetime.datetime:
        return obj.meeting_starts

    @staticmethod
    def resolve_agenda_item_title(obj: Any) -> str:
        return obj.item_title

    @staticmethod
    def resolve_provisional(obj: Any) -> bool:
        return obj.minutes_state != "approved"

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        return list(obj.tasks.all())


# --- meeting detail --------------------------------------------------------------------------


class MeetingDetailOut(MeetingOut):
    agenda_items: list[AgendaItemDetailOut]
    documents: list[DocumentOut] = Field(description="Unterlagen ohne Tagesordnungspunkt")
    minutes: MinutesSummaryOut | None
    quorum: QuorumOut
    own_invitation: InvitationOut | None = Field(description="die Einladung der anfragenden Person")

    @staticmethod
    def resolve_agenda_items(obj: Any) -> list[Any]:
        return obj.detail.items

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return obj.detail.loose_documents

    @staticmethod
    def resolve_minutes(obj: Any) -> Any:
        return obj.detail.minutes

    @staticmethod
    def resolve_quorum(obj: Any) -> Any:
        return obj.detail.quorum

    @staticmethod
    def resolve_own_invitation(obj: Any) -> Any:
        return obj.detail.own_invitation


# --- network days ----------------------------------------------------------------------------


class NetworkDayOut(RecordOut):
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    programme: str
    registration_until: datetime.date | None
    state: str
    state_label: str
    sequence: int
    invited_at: datetime.datetime | None
    version: int


class NetworkDayListOut(NetworkDayOut):
    registration_count: int
    attended_count: int


class NetworkDayInvitationOut(RecordOut):
    partner: UUID
    name: str
    email: str
    delivery: str
    delivery_label: str
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_partner(obj: Any) -> UUID:
        return obj.partner.public_id


class NetworkDayDetailOut(NetworkDayListOut):
    invitations: list[NetworkDayInvitationOut] = Field(
        description="eingeladene Institutionen (nur für die Koordinierungsstelle)"
    )

    @staticmethod
    def resolve_invitations(obj: Any) -> list[Any]:
        return obj.invitations_all


class NetworkDayIn(Schema):
    title: str = Field(max_length=200)
    starts_at: Moment
    ends_at: Moment
    place: str = Field("", max_length=300)
    programme: str = ""
    registration_until: Day | None = None


class NetworkDayPatch(Schema):
    """Only the fields sent change. `title`, `starts_at` and `ends_at` cannot be null;
    `place` and `programme` are cleared with null or "", `registration_until` with null."""

    version: Version
    title: str = omittable(max_length=200)
    starts_at: Moment = omittable()
    ends_at: Moment = omittable()
    place: ClearableText = clearable(max_length=300)
    programme: ClearableText = clearable()
    registration_until: Day | None = Field(None, description="null: ohne Anmeldeschluss")


class NetworkDayInviteOut(Schema):
    network_day: NetworkDayOut
    sent: int = Field(description="Zahl der eingeladenen Institutionen")


class RegistrationOut(RecordOut):
    network_day: UUID
    partner: UUID | None
    partner_name: str
    person: UUID | None
    name: str
    email: str
    attended: bool | None
    note: str

    @staticmethod
    def resolve_network_day(obj: Any) -> UUID:
        return obj.network_day.public_id

    @staticmethod
    def resolve_partner(obj: Any) -> UUID | None:
        return _pid(obj, "partner")

    @staticmethod
    def resolve_partner_name(obj: Any) -> str:
        return obj.partner.name if obj.partner_id else ""

    @staticmethod
    def resolve_person(obj: Any) -> UUID | None:
        return _pid(obj, "person")


class RegistrationIn(Schema):
    partner: UUID | None = None
    person: UUID | None = None
    name: str = Field("", max_length=200)
    email: str = ""
    note: str = Field("", max_length=300)


class NetworkDayAttendanceIn(Schema):
    registrations: list[UUID] = Field(description="die Anmeldungen, die gekommen sind")


# --- participation ---------------------------------------------------------------------------


class ParticipationYearOut(Schema):
    year: int
    advisory_board: int = Field(description="Beiratssitzungen mit jemandem für die Institution")
    advisory_board_of: int = Field(
        description="durchgeführte Beiratssitzungen, bei denen sie einen Sitz hatte (eigener "
        "Sitz oder über die Sammelvertretung) oder anwesend war"
    )
    advisory_board_rate: int | None = Field(description="Anteil in Prozent (ohne Sitzung: null)")
    working_group: int = Field(description="Sitzungen von Arbeitsgremien")
    working_group_of: int = Field(
        description="durchgeführte Sitzungen der Arbeitsgremien, in denen sie einen Sitz hatte "
        "oder anwesend war"
    )
    working_group_rate: int | None = Field(description="Anteil in Prozent")
    network_day: int = Field(description="Netzwerktage mit Teilnahme")
    network_day_of: int = Field(description="durchgeführte Netzwerktage des Jahres")
    network_day_rate: int | None = Field(description="Anteil in Prozent")


class ParticipationOut(Schema):
    partner: UUID
    partner_name: str
    is_party: bool
    years: list[ParticipationYearOut]


# --- calendar feeds --------------------------------------------------------------------------


class CalendarFeedOut(RecordOut):
    name: str
    body: UUID | None
    prefix: str
    created: datetime.datetime
    revoked_at: datetime.datetime | None
    last_used_at: datetime.datetime | None

    @staticmethod
    def resolve_body(obj: Any) -> UUID | None:
        return _pid(obj, "body")


class CalendarFeedCreatedOut(CalendarFeedOut):
    url: str = Field(description="die geheime Kalender-Adresse; wird nur jetzt angezeigt")


class CalendarFeedIn(Schema):
    body: UUID | None = Field(None, description="ein Gremium; ohne: alle eigenen Sitzungen")
    name: str = Field("", max_length=200)
