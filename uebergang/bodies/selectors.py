"""Reads of bodies with their related rows loaded; `as_of` reads them as on a past day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from uebergang.core.models import Network, valid_on_q
from uebergang.core.permissions import Access
from uebergang.core.prepared import fill_related, prepared

from .models import Body, BodySeat, MemberRole, Membership, Office


def body_list(
    *,
    network: Network,
    access: Access,
    as_of: datetime.date | None = None,
    include_dissolved: bool = False,
) -> QuerySet[Body]:
    """The bodies the actor may see (all for the coordination office, a member's own),
    with the number of members and seats on the day."""
    day = as_of or timezone.localdate()
    qs = Body.objects.filter(network=network)
    if not include_dissolved:
        qs = qs.valid_on(day)
    if not access.is_coordination:
        qs = qs.filter(pk__in=access.scope("sits_in_body").values("pk"))
    return qs.annotate(
        member_count=Count(
            "memberships",
            filter=valid_on_q(day, "memberships__")
            & Q(memberships__deleted_at__isnull=True)
            & Q(memberships__role=MemberRole.MEMBER),
            distinct=True,
        ),
        seat_count=Count(
            "seats",
            filter=valid_on_q(day, "seats__") & Q(seats__deleted_at__isnull=True),
            distinct=True,
        ),
    ).order_by("kind", "name", "pk")


@dataclass
class SeatRow:
    seat: BodySeat
    members: list[Membership]
    substitutes: list[Membership]


@dataclass
class BodyDetail:
    body: Body
    day: datetime.date
    seats: list[SeatRow]
    guests: list[Membership]
    moderators: list[Membership]
    offices: list[Office]
    memberships: list[Membership]


@prepared
def _memberships_of(body_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body_id=body_id)
        .select_related(
            "person", "seat__partner", "seat__constituency_seat", "substitute_for__person"
        )
        .only(*_MEMBERSHIP_FIELDS)
        .order_by("-valid_from", "person__last_name")
    )


_PERSON_NAME = ("public_id", "title", "first_name", "last_name")
# What the body page shows of a membership: who, in which role, on which seat, when.
_MEMBERSHIP_FIELDS = (
    "public_id",
    "body",
    "role",
    "valid_from",
    "valid_to",
    "note",
    "person",
    *(f"person__{f}" for f in _PERSON_NAME),
    "seat",
    "seat__partner",
    "seat__partner__name",
    "seat__constituency_seat",
    "seat__constituency_seat__name",
    "substitute_for",
    "substitute_for__person",
    *(f"substitute_for__person__{f}" for f in _PERSON_NAME),
)


@prepared
def _offices_of(body_id: int) -> QuerySet[Office]:
    return Office.objects.filter(membership__body_id=body_id).order_by("valid_from", "pk")


@prepared
def _seats_of(body_id: int, day: datetime.date) -> QuerySet[BodySeat]:
    return (
        BodySeat.objects.filter(body_id=body_id)
        .valid_on(day)
        .select_related("partner", "constituency_seat")
        .only(
            "public_id",
            "body",
            "voting",
            "valid_from",
            "valid_to",
            "partner",
            "partner__name",
            "constituency_seat",
            "constituency_seat__name",
        )
    )


def body_detail(*, body: Body, as_of: datetime.date | None = None) -> BodyDetail:
    """The body on a day: its seats with member and substitutes, guests, moderation and
    offices; plus every membership over time."""
    day = as_of or timezone.localdate()
    memberships = list(_memberships_of(body_id=body.pk))
    fill_related(memberships, "offices", _offices_of(body_id=body.pk))
    current = [m for m in memberships if m.is_valid_on(day)]
    seats = list(_seats_of(body_id=body.pk, day=day))
    rows = [
        SeatRow(
            seat=seat,
            members=[m for m in current if m.seat_id == seat.pk and m.role == MemberRole.MEMBER],
            substitutes=[
                m for m in current if m.seat_id == seat.pk and m.role == MemberRole.SUBSTITUTE
            ],
        )
        for seat in sorted(seats, key=lambda s: str(s).lower())
    ]
    offices = [o for m in memberships for o in m.offices.all() if o.is_valid_on(day)]
    return BodyDetail(
        body=body,
        day=day,
        seats=rows,
        guests=[m for m in current if m.role == MemberRole.GUEST],
        moderators=[m for m in current if m.role == MemberRole.MODERATOR],
        offices=sorted(offices, key=lambda o: o.kind),
        memberships=memberships,
    )


def bodies_of_person(*, person) -> QuerySet[Membership]:
    return person.memberships.select_related(
        "body", "seat__partner", "seat__constituency_seat"
    ).order_by("-valid_from")
