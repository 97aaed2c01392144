"""API schemas of the bodies."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from uebergang.core.api import ClearableText, Day, RecordOut, Version, clearable, omittable
from uebergang.networks.schemas import EndIn  # noqa: F401  (one shape for every end)

from .models import BodyKind, MemberRole, OfficeKind, QuorumRule

BodyKindLiteral = Literal[tuple(BodyKind.values)]  # type: ignore[valid-type]
QuorumLiteral = Literal[tuple(QuorumRule.values)]  # type: ignore[valid-type]
RoleLiteral = Literal[tuple(MemberRole.values)]  # type: ignore[valid-type]
OfficeLiteral = Literal[tuple(OfficeKind.values)]  # type: ignore[valid-type]


class BodyOut(RecordOut):
    name: str
    short_name: str
    reference_prefix: str = Field(description="Anfang der Beschlussnummern, z. B. „BR“")
    kind: str
    kind_label: str
    topic_area: str
    description: str
    invitation_period_days: int
    quorum_rule: str
    quorum_minimum: int | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    version: int


class BodyListOut(BodyOut):
    seat_count: int = Field(description="Sitze am Stichtag")
    member_count: int = Field(description="Mitglieder am Stichtag")


class BodyIn(Schema):
    name: str
    short_name: str = Field("", max_length=12, description="Kürzel für die Beschlussnummern")
    kind: BodyKindLiteral  # type: ignore[valid-type]
    valid_from: Day
    topic_area: str = ""
    description: str = ""
    invitation_period_days: int = Field(14, ge=0, le=365)
    quorum_rule: QuorumLiteral = "none"  # type: ignore[valid-type]
    quorum_minimum: int | None = Field(None, ge=1, le=1000)


class BodyPatch(Schema):
    """Only the fields sent change. `name`, `kind`, `valid_from`, `invitation_period_days`
    and `quorum_rule` cannot be null; `topic_area` and `description` are cleared with null or
    "", `quorum_minimum` with null."""

    version: Version
    name: str = omittable()
    short_name: ClearableText = clearable()
    kind: BodyKindLiteral = omittable()  # type: ignore[valid-type]
    valid_from: Day = omittable()
    topic_area: ClearableText = clearable()
    description: ClearableText = clearable()
    invitation_period_days: int = omittable(ge=0, le=365)
    quorum_rule: QuorumLiteral = omittable()  # type: ignore[valid-type]
    quorum_minimum: int | None = Field(None, ge=1, le=1000, description="null: keine Mindestzahl")


class BodySeatOut(RecordOut):
    body: UUID
    partner: UUID | None
    constituency_seat: UUID | None
    label: str
    voting: bool
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id

    @staticmethod
    def resolve_partner(obj: Any) -> UUID | None:
        return obj.partner.public_id if obj.partner_id else None

    @staticmethod
    def resolve_constituency_seat(obj: Any) -> UUID | None:
        return obj.constituency_seat.public_id if obj.constituency_seat_id else None

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj)


class BodySeatIn(Schema):
    partner: UUID | None = None
    constituency_seat: UUID | None = None
    voting: bool = True
    valid_from: Day
    valid_to: Day | None = None


class OfficeOut(RecordOut):
    membership: UUID
    kind: str
    kind_label: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    @staticmethod
    def resolve_membership(obj: Any) -> UUID:
        return obj.membership.public_id


class MembershipOut(RecordOut):
    body: UUID
    person: UUID
    person_name: str
    role: str
    role_label: str
    seat: UUID | None
    substitute_for: UUID | None
    note: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    offices: list[OfficeOut]

    @staticmethod
    def resolve_body(obj: Any) -> UUID:
        return obj.body.public_id

    @staticmethod
    def resolve_person(obj: Any) -> UUID:
        return obj.person.public_id

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person)

    @staticmethod
    def resolve_seat(obj: Any) -> UUID | None:
        return obj.seat.public_id if obj.seat_id else None

    @staticmethod
    def resolve_substitute_for(obj: Any) -> UUID | None:
        return obj.substitute_for.public_id if obj.substitute_for_id else None

    @staticmethod
    def resolve_offices(obj: Any) -> list[Any]:
        return list(obj.offices.all())


class MembershipIn(Schema):
    person: UUID
    role: RoleLiteral = "member"  # type: ignore[valid-type]
    seat: UUID | None = None
    substitute_for: UUID | None = None
    valid_from: Day
    valid_to: Day | None = None
    note: str = ""


class OfficeIn(Schema):
    membership: UUID
    kind: OfficeLiteral  # type: ignore[valid-type]
    valid_from: Day
    valid_to: Day | None = None


class BodyDetailOut(BodyOut):
    seats: list[BodySeatOut] = Field(description="alle Sitze über die Zeit")
    memberships: list[MembershipOut] = Field(
        description="alle Mitgliedschaften über die Zeit, mit Ämtern"
    )

    @staticmethod
    def resolve_seats(obj: Any) -> list[Any]:
        return obj.seats_all

    @staticmethod
    def resolve_memberships(obj: Any) -> list[Any]:
        return obj.memberships_all
