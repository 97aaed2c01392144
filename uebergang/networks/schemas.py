"""API schemas of the network registry. Records are identified by their public id (`id`)."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from uebergang.core.api import ClearableText, Day, RecordOut, Version, clearable, omittable

from .models import PartnerKind

KindLiteral = Literal[tuple(PartnerKind.values)]  # type: ignore[valid-type]


class NameOut(Schema):
    name: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class NetworkOut(Schema):
    slug: str
    name: str = Field(description="der heutige Name")
    name_on: str = Field(description="der Name am Stichtag `as_of` (sonst heute)")
    region: str
    description: str
    coordination_office: str
    email: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    version: int
    names: list[NameOut]


class LogoOut(RecordOut):
    """The logo of the network's letterhead (the file itself: `GET …/logo`)."""

    file_name: str = Field(description="der Name der hochgeladenen Datei")
    content_type: str = Field(description="`image/png` oder `image/jpeg` (am Inhalt erkannt)")
    size: int = Field(description="Bytes")
    sha256: str = Field(
        description="Prüfwert der Datei; beim Ersetzen oder Entfernen als `expected_sha256` "
        "mitgeben, um Konflikte zu erkennen"
    )
    modified: datetime.datetime


class LogoDeletedOut(Schema):
    id: UUID
    deleted: bool = Field(description="immer true")


class PartnerOut(RecordOut):
    name: str = Field(description="Name am Stichtag (sonst heute)")
    current_name: str
    short_name: str
    kind: str
    kind_label: str
    is_party: bool
    description: str
    address: str
    email: str
    phone: str
    website: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    end_reason: str
    end_note: str
    version: int
    created: datetime.datetime
    modified: datetime.datetime

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return getattr(obj, "name_then", None) or obj.name

    @staticmethod
    def resolve_current_name(obj: Any) -> str:
        return obj.name

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return obj.kind_label


class PartnerIn(Schema):
    name: str
    kind: KindLiteral = PartnerKind.OTHER  # type: ignore[valid-type]
    valid_from: Day
    is_party: bool = True
    short_name: str = ""
    description: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


class PartnerPatch(Schema):
    """Only the fields sent change. `name`, `kind`, `valid_from` and `is_party` cannot be
    null; the other texts are cleared with null or ""."""

    version: Version
    name: str = omittable()
    kind: KindLiteral = omittable()  # type: ignore[valid-type]
    valid_from: Day = omittable()
    is_party: bool = omittable()
    short_name: ClearableText = clearable()
    description: ClearableText = clearable()
    address: ClearableText = clearable()
    email: ClearableText = clearable()
    phone: ClearableText = clearable()
    website: ClearableText = clearable()


class RenameIn(Schema):
    name: str
    valid_from: Day


class EndPartnerIn(Schema):
    valid_to: Day
    reason: Literal["left", "dissolved"] = "left"
    note: str = ""


class SuccessionIn(Schema):
    date: Day = Field(
        description="ab diesem Tag gilt der Nachfolger; der Vorgänger endet am Vortag"
    )
    successor: UUID | None = Field(None, description="bestehender Partner als Nachfolger")
    new_successor_name: str | None = Field(
        None, description="oder: Name eines neu anzulegenden Nachfolgers"
    )
    take_over_seats: bool = True
    note: str = ""


class SuccessionOut(RecordOut):
    predecessor: UUID
    predecessor_name: str
    successor: UUID
    successor_name: str
    date: datetime.date
    note: str

    @staticmethod
    def resolve_predecessor(obj: Any) -> UUID:
        return obj.predecessor.public_id

    @staticmethod
    def resolve_predecessor_name(obj: Any) -> str:
        return obj.predecessor.name

    @staticmethod
    def resolve_successor(obj: Any) -> UUID:
        return obj.successor.public_id

    @staticmethod
    def resolve_successor_name(obj: Any) -> str:
        return obj.successor.name


class RepresentationOut(RecordOut):
    partner: UUID
    institution: UUID | None
    institution_name: str | None
    person: UUID | None
    person_name: str | None
    function: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    note: str
    version: int

    @staticmethod
    def resolve_partner(obj: Any) -> UUID:
        return obj.partner.public_id

    @staticmethod
    def resolve_institution(obj: Any) -> UUID | None:
        return obj.institution.public_id if obj.institution_id else None

    @staticmethod
    def resolve_institution_name(obj: Any) -> str | None:
        return obj.institution.name if obj.institution_id else None

    @staticmethod
    def resolve_person(obj: Any) -> UUID | None:
        return obj.person.public_id if obj.person_id else None

    @staticmethod
    def resolve_person_name(obj: Any) -> str | None:
        return str(obj.person) if obj.person_id else None


class RepresentationIn(Schema):
    institution: UUID | None = None
    person: UUID | None = None
    function: str = ""
    valid_from: Day
    valid_to: Day | None = None
    note: str = ""


class EndIn(Schema):
    valid_to: Day


class PersonOut(RecordOut):
    title: str
    first_name: str
    last_name: str
    function: str
    organisation: UUID | None
    organisation_name: str | None
    email: str
    phone: str
    note: str
    has_account: bool
    version: int

    @staticmethod
    def resolve_organisation(obj: Any) -> UUID | None:
        return obj.organisation.public_id if obj.organisation_id else None

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str | None:
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_has_account(obj: Any) -> bool:
        return obj.user_id is not None


class PersonIn(Schema):
    first_name: str
    last_name: str
    title: str = ""
    function: str = ""
    organisation: UUID | None = None
    email: str = ""
    phone: str = ""
    note: str = ""


class PersonPatch(Schema):
    """Only the fields sent change. `first_name` and `last_name` cannot be null; the other
    texts are cleared with null or "", `organisation` with null."""

    version: Version
    first_name: str = omittable()
    last_name: str = omittable()
    title: ClearableText = clearable()
    function: ClearableText = clearable()
    organisation: UUID | None = Field(None, description="null: keine Organisation")
    email: ClearableText = clearable()
    phone: ClearableText = clearable()
    note: ClearableText = clearable()


class SeatOut(RecordOut):
    name: str
    description: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    version: int


class SeatIn(Schema):
    name: str
    description: str = ""
    valid_from: Day


class SeatPatch(Schema):
    """Only the fields sent change. `name` and `valid_from` cannot be null; `description` is
    cleared with null or ""."""

    version: Version
    name: str = omittable()
    description: ClearableText = clearable()
    valid_from: Day = omittable()


class AssignmentOut(RecordOut):
    seat: UUID
    partner: UUID
    partner_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_seat(obj: Any) -> UUID:
        return obj.seat.public_id

    @staticmethod
    def resolve_partner(obj: Any) -> UUID:
        return obj.partner.public_id

    @staticmethod
    def resolve_partner_name(obj: Any) -> str:
        return getattr(obj, "partner_name_then", None) or obj.partner.name


class AssignmentIn(Schema):
    partner: UUID
    valid_from: Day
    valid_to: Day | None = None


class HoldingOut(RecordOut):
    seat: UUID
    person: UUID
    person_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_seat(obj: Any) -> UUID:
        return obj.seat.public_id

    @staticmethod
    def resolve_person(obj: Any) -> UUID:
        return obj.person.public_id

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person)


class HoldingIn(Schema):
    person: UUID
    valid_from: Day
    valid_to: Day | None = None


class SeatDetailOut(SeatOut):
    assignments: list[AssignmentOut]
    holders: list[HoldingOut]

    @staticmethod
    def resolve_assignments(obj: Any) -> list[Any]:
        return obj.assignments_then

    @staticmethod
    def resolve_holders(obj: Any) -> list[Any]:
        return obj.holdings_then


class HistoryOut(Schema):
    at: datetime.datetime
    actor: str
    action: str
    object_type: str
    object_id: UUID
    object_repr: str
    parent_type: str
    parent_id: UUID | None
    changes: dict[str, list[Any]] = Field(description="Feld → [vorher, nachher]")
    message: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_name
