"""Reads of the topics: the list of what the actor may see, and a topic's page (its
hand-overs, the statements of each, the seats still to answer). Each read needs a fixed
number of queries, however many topics, hand-overs and statements there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from uebergang.bodies.models import BodySeat
from uebergang.core.permissions import Access

from .models import Referral, ReferralRole, Statement, Topic, TopicState
from .rules import seats_spoken_for, visible_topics

OPEN_STATES = (TopicState.BOARD, TopicState.STATEMENTS)
FILTERS = {
    "offen": Q(state__in=OPEN_STATES),
    "pausiert": Q(paused_at__isnull=False, state__in=OPEN_STATES),
    "abgeschlossen": ~Q(state__in=OPEN_STATES),
    "alle": Q(),
}


def topic_list(
    *, access: Access, show: str = "offen", topic_area: str = "", body: Any = None
) -> QuerySet[Topic]:
    """The topics the actor may see, newest move first, with where each waits."""
    qs = visible_topics(access).filter(FILTERS.get(show, FILTERS["offen"]))
    if topic_area:
        qs = qs.filter(topic_area=topic_area)
    if body is not None:
        qs = qs.filter(body=body)
    return (
        qs.select_related("body", "origin")
        .annotate(referral_count=Count("referrals"))
        .order_by("-state_since", "-pk")
    )


def days_waiting(topic: Topic, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return max(0, (today - timezone.localtime(topic.state_since).date()).days)


@dataclass
class SeatLine:
    seat: BodySeat
    statement: Statement | None
    may_write: bool

    @property
    def label(self) -> str:
        return str(self.seat)


@dataclass
class TopicDetail:
    """A topic's page, each part read when first asked."""

    topic: Topic
    access: Access
    today: datetime.date = field(default_factory=timezone.localdate)

    @cached_property
    def referrals(self) -> list[Referral]:
        referrals = list(
            Referral.objects.filter(topic=self.topic)
            .select_related("from_body", "to_body")
            .order_by("number")
        )
        by_referral: dict[int, list[Statement]] = {r.pk: [] for r in referrals}
        statements = (
            Statement.objects.filter(referral__topic=self.topic)
            .select_related("seat__partner", "seat__constituency_seat")
            .order_by("given_at", "pk")
        )
        for statement in statements:
            by_referral[statement.referral_id].append(statement)
        for referral in referrals:
            referral.statement_list = by_referral[referral.pk]
        return referrals

    @cached_property
    def current(self) -> Referral | None:
        for referral in reversed(self.referrals):
            if referral.closed_at is None and referral.to_body_id == self.topic.body_id:
                return referral
        return None

    @cached_property
    def collecting(self) -> bool:
        """The advisory board collects statements now."""
        return (
            self.topic.state == TopicState.STATEMENTS
            and self.topic.paused_at is None
            and self.current is not None
            and self.current.role == ReferralRole.STATEMENTS
        )

    @cached_property
    def seat_lines(self) -> list[SeatLine]:
        """Every seat of the advisory board today, with its statement on the current
        hand-over or none yet, and whether the actor may write it."""
        if self.current is None or self.current.role != ReferralRole.STATEMENTS:
            return []
        seats = list(
            BodySeat.objects.valid_on(self.today)
            .filter(body_id=self.current.to_body_id)
            .select_related("partner", "constituency_seat")
            .order_by("pk")
        )
        given = {s.seat_id: s for s in self.current.statement_list}
        mine: set[int] = set()
        if self.collecting and self.access.signed_in:
            if self.access.is_coordination:
                mine = {seat.pk for seat in seats}
            else:
                mine = set(
                    seats_spoken_for(self.access.user, self.access.network, self.today)
                    .filter(body_id=self.current.to_body_id)
                    .values_list("pk", flat=True)
                )
        lines = [SeatLine(seat, given.get(seat.pk), seat.pk in mine) for seat in seats]
        # statements of seats that ended since they gave them stay shown
        current_ids = {seat.pk for seat in seats}
        lines += [
            SeatLine(s.seat, s, False)
            for s in self.current.statement_list
            if s.seat_id not in current_ids
        ]
        return sorted(lines, key=lambda line: line.label.lower())

    @cached_property
    def given_count(self) -> int:
        return sum(1 for line in self.seat_lines if line.statement is not None)

    @cached_property
    def days_waiting(self) -> int:
        return days_waiting(self.topic, self.today)


def statement_of(referral: Referral, seat: BodySeat) -> Statement | None:
    return Statement.objects.filter(referral=referral, seat=seat).first()
