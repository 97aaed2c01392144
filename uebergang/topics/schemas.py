"""API schemas of the topics."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from uebergang.core.api import ClearableText, Day, RecordOut, Version, clearable, omittable

from .models import TOPIC_AREAS

AreaLiteral = Literal[("", *dict(TOPIC_AREAS))]  # type: ignore[valid-type]
MAX_TEXT = 20_000


def _pid(obj: Any) -> UUID | None:
    return obj.public_id if obj is not None else None


class TopicOut(RecordOut):
    title: str
    description: str
    reason: str
    topic_area: str = Field(description="Themenkomplex a–j des Handlungsstandards, leer: keiner")
    topic_area_label: str
    desired_date: datetime.date | None
    confidential: bool
    state: str = Field(
        description="board, statements, working, recommendation oder withdrawn (docs/topics.md)"
    )
    state_label: str
    state_since: datetime.datetime
    paused_at: datetime.datetime | None
    body: UUID = Field(description="das Gremium, bei dem das Thema liegt")
    body_name: str
    origin: UUID = Field(description="das Entscheidungsgremium, das es eingebracht hat")
    opened_by: UUID | None = Field(description="die Person, die es eingebracht hat")
    on_behalf: bool = Field(description="von der Koordinierungsstelle im Auftrag eingebracht")
    end_note: str
    round: int = Field(description="die Runde: 2, 3, … nach einer Rückgabe durch das Gremium")
    outcome: str = Field(
        description="wie der Weg endete: adopted, changed, rejected, recommended; leer: offen"
    )
    outcome_label: str
    version: int

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id

    @staticmethod
    def resolve_body_name(obj: Any) -> str:
        return obj.body.name

    @staticmethod
    def resolve_origin(obj: Any) -> UUID:
        return obj.origin.public_id

    @staticmethod
    def resolve_opened_by(obj: Any) -> UUID | None:
        return _pid(obj.opened_by)


class TopicDocumentOut(RecordOut):
    mandate: UUID | None = Field(
        description="bei einer Unterlage zum Ergebnis: der Arbeitsauftrag (Weitergabe)"
    )
    title: str
    file_name: str
    content_type: str
    size: int = Field(description="Dateigröße in Byte")
    sha256: str = Field(description="Prüfwert der Datei (SHA-256, hexadezimal)")
    created: datetime.datetime

    @staticmethod
    def resolve_mandate(obj: Any) -> UUID | None:
        return obj.mandate.public_id if getattr(obj, "mandate_id", None) else None


class HandedDocumentOut(TopicDocumentOut):
    source: UUID | None = Field(
        description="die Unterlage des Themas, von der dies die übergebene Kopie ist"
    )

    @staticmethod
    def resolve_source(obj: Any) -> UUID | None:
        return _pid(obj.source) if obj.source_id else None


class TopicDocumentDeletedOut(Schema):
    id: UUID
    deleted: bool


class AgendaDecisionOut(Schema):
    wording: str
    outcome_label: str
    provisional: bool = Field(description="vorläufig, bis das Protokoll genehmigt ist")


class AgendaLinkOut(RecordOut):
    meeting: UUID
    meeting_title: str
    body: UUID
    body_name: str
    starts_at: datetime.datetime
    agenda_item: UUID
    position: int = Field(description="Nummer des Tagesordnungspunkts")
    item_title: str
    decisions: list[AgendaDecisionOut] = Field(
        description="die Beschlüsse zu diesem Tagesordnungspunkt"
    )

    @staticmethod
    def resolve_meeting(obj: Any) -> UUID:
        return obj.agenda_item.meeting.public_id

    @staticmethod
    def resolve_meeting_title(obj: Any) -> str:
        return obj.agenda_item.meeting.title

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.agenda_item.meeting.body.public_id

    @staticmethod
    def resolve_body_name(obj: Any) -> str:
        return obj.agenda_item.meeting.body.name

    @staticmethod
    def resolve_starts_at(obj: Any) -> datetime.datetime:
        return obj.agenda_item.meeting.starts_at

    @staticmethod
    def resolve_agenda_item(obj: Any) -> UUID:
        return obj.agenda_item.public_id

    @staticmethod
    def resolve_position(obj: Any) -> int:
        return obj.agenda_item.position

    @staticmethod
    def resolve_item_title(obj: Any) -> str:
        return obj.agenda_item.title

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return getattr(obj, "decision_list", [])


class AgendaIn(Schema):
    meeting: UUID = Field(description="eine kommende Sitzung eines Gremiums, bei dem es liegt")


class StatementOut(RecordOut):
    seat: UUID
    seat_name: str
    text: str
    author: UUID | None
    author_name: str
    by_office: bool
    given_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_seat(obj: Any) -> UUID:
        return obj.seat.public_id

    @staticmethod
    def resolve_seat_name(obj: Any) -> str:
        return str(obj.seat)

    @staticmethod
    def resolve_author(obj: Any) -> UUID | None:
        return _pid(obj.author)


class ReferralOut(RecordOut):
    number: int = Field(
        description="Reihenfolge der Weitergaben des Themas (OParl: Beratungsfolge)"
    )
    from_body: UUID
    to_body: UUID
    to_body_name: str
    role: str = Field(description="Auftrag an das Gremium (OParl: Rolle der Beratung)")
    role_label: str
    handed_at: datetime.datetime
    handed_by_name: str
    due_date: datetime.date | None
    note: str
    snapshot_title: str = Field(description="Titel, wie er übergeben wurde")
    snapshot_description: str
    snapshot_reason: str
    mandate: str = Field(description="bei einem Arbeitsauftrag: was zu erarbeiten ist")
    result: str = Field(
        description="Ergebnis des Arbeitsgremiums, Wortlaut der Empfehlung oder der Entscheidung"
    )
    result_at: datetime.datetime | None
    result_by_name: str
    outcome: str = Field(
        description="bei der Weitergabe zur Entscheidung: adopted, changed, rejected, sent_back"
    )
    outcome_label: str
    closed_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_from_body(obj: Any) -> UUID:
        return obj.from_body.public_id

    @staticmethod
    def resolve_to_body(obj: Any) -> UUID:
        return obj.to_body.public_id

    @staticmethod
    def resolve_to_body_name(obj: Any) -> str:
        return obj.to_body.name


class ReferralDetailOut(ReferralOut):
    statements: list[StatementOut]
    documents: list[HandedDocumentOut] = Field(
        description="Kopien der Unterlagen, wie sie mit dieser Weitergabe übergeben wurden"
    )
    result_documents: list[TopicDocumentOut] = Field(
        description="bei einem Arbeitsauftrag: die Unterlagen zu seinem Ergebnis"
    )

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return obj.document_list

    @staticmethod
    def resolve_result_documents(obj: Any) -> list[Any]:
        return obj.result_files

    @staticmethod
    def resolve_statements(obj: Any) -> list[Any]:
        return obj.statement_list


class SeatLineOut(Schema):
    seat: UUID
    seat_name: str
    given: bool
    may_write: bool = Field(description="Sie dürfen die Stellungnahme dieses Sitzes schreiben")


class TopicDetailOut(TopicOut):
    possible: list[str] = Field(description="was von hier aus möglich ist (docs/topics.md)")
    referrals: list[ReferralDetailOut]
    documents: list[TopicDocumentOut] = Field(description="die Unterlagen des Themas")
    meetings: list[AgendaLinkOut] = Field(description="Sitzungen, die das Thema beraten")
    seats: list[SeatLineOut] = Field(
        description="Sitze des Beirats, während er Stellungnahmen sammelt"
    )

    @staticmethod
    def resolve_referrals(obj: Any) -> list[Any]:
        return obj.referral_list

    @staticmethod
    def resolve_documents(obj: Any) -> list[Any]:
        return obj.document_list

    @staticmethod
    def resolve_meetings(obj: Any) -> list[Any]:
        return obj.meeting_list

    @staticmethod
    def resolve_seats(obj: Any) -> list[Any]:
        return obj.seat_list


class TopicIn(Schema):
    title: str = Field(max_length=200)
    board: UUID | None = Field(
        None, description="das Entscheidungsgremium; ohne: das einzige des Netzwerks"
    )
    description: str = Field("", max_length=MAX_TEXT)
    reason: str = Field("", max_length=MAX_TEXT)
    topic_area: AreaLiteral = ""  # type: ignore[valid-type]
    desired_date: Day | None = None
    confidential: bool = False


class TopicPatch(Schema):
    """Only the fields sent change; `title` cannot be null."""

    version: Version | None = None
    title: str = omittable(max_length=200)
    description: ClearableText = clearable(max_length=MAX_TEXT)
    reason: ClearableText = clearable(max_length=MAX_TEXT)
    topic_area: AreaLiteral | None = clearable()  # type: ignore[valid-type]
    desired_date: Day | None = None
    confidential: bool = omittable()


class ReferIn(Schema):
    due_date: Day = Field(description="bis wann die Stellungnahmen vorliegen sollen")
    advisory_board: UUID | None = Field(None, description="der Beirat; ohne: der einzige")
    note: str = Field("", max_length=MAX_TEXT, description="Begleittext an den Beirat")
    version: Version | None = None


class StatementIn(Schema):
    text: str = Field(max_length=MAX_TEXT)
    version: Version | None = Field(
        None, description="die Version der Stellungnahme, die Sie ändern; ohne: eine neue"
    )


class NoteIn(Schema):
    note: str = Field("", max_length=500)
    version: Version | None = None


class WithdrawIn(Schema):
    note: str = Field(max_length=500, description="warum das Thema zurückgezogen wird")
    version: Version | None = None


class ReferWorkingIn(Schema):
    working_group: UUID
    mandate: str = Field(max_length=MAX_TEXT, description="was das Arbeitsgremium erarbeiten soll")
    due_date: Day = Field(description="bis wann das Ergebnis vorliegen soll")
    version: Version | None = None


class ReasonIn(Schema):
    note: str = Field(max_length=MAX_TEXT, description="warum kein Arbeitsgremium nötig ist")
    version: Version | None = None


class ResultIn(Schema):
    result: str = Field(max_length=MAX_TEXT)
    version: Version | None = Field(
        None, description="die Version des Arbeitsauftrags, wenn Sie ein Ergebnis ändern"
    )


class ReturnIn(Schema):
    due_date: Day | None = Field(None, description="bis wann der Beirat empfehlen soll")
    note: str = Field("", max_length=MAX_TEXT, description="Begleittext an den Beirat")
    version: Version | None = None


class TopicRecommendationIn(Schema):
    recommendation: str = Field(max_length=MAX_TEXT, description="Wortlaut der Empfehlung")
    due_date: Day | None = Field(
        None, description="bis wann das Entscheidungsgremium entscheiden soll"
    )
    note: str = Field("", max_length=MAX_TEXT, description="Begleittext an das Gremium")
    version: Version | None = None


class TopicDecisionIn(Schema):
    outcome: Literal["adopted", "changed", "rejected", "sent_back"]
    text: str = Field(
        "",
        max_length=MAX_TEXT,
        description="Wortlaut; nötig bei changed (der geänderte Beschluss) und sent_back",
    )
    version: Version | None = None


class BoardRowOut(Schema):
    topic: UUID
    title: str
    state: str
    state_label: str
    paused: bool
    body: UUID = Field(description="das Gremium, bei dem das Thema liegt")
    body_name: str
    topic_area: str
    waiting_since: datetime.datetime
    days_waiting: int
    due_date: datetime.date | None = Field(
        description="Frist der Weitergabe, an der das Gremium gerade arbeitet"
    )
    past_due: bool
    statements_given: int
    statements_missing: int = Field(description="solange der Beirat Stellungnahmen sammelt")
    mandates_open: int = Field(description="Arbeitsaufträge ohne Ergebnis")
    mandates_late: int = Field(description="davon über ihre Frist")
    overdue: bool
