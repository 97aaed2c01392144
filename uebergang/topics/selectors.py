"""Reads of the topics: the list of what the actor may see, and a topic's page (its
hand-overs, the statements of each, the seats still to answer). Each read needs a fixed
number of queries, however many topics, hand-overs and statements there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from uebergang.bodies.models import BodySeat, Membership
from uebergang.core.models import choice_label
from uebergang.core.permissions import Access
from uebergang.core.prepared import count_of, first_value, network_count, prepared
from uebergang.core.web import PAGE_SIZE

from .models import (
    AgendaLink,
    HandedDocument,
    Referral,
    ReferralRole,
    Statement,
    Topic,
    TopicDocument,
    TopicState,
)
from .rules import member_topics, seats_spoken_for_ids, visible_topics

OPEN_STATES = (
    TopicState.BOARD,
    TopicState.STATEMENTS,
    TopicState.WORKING,
    TopicState.RECOMMENDATION,
    TopicState.DECISION,
)
FILTERS = {
    "offen": Q(state__in=OPEN_STATES),
    "pausiert": Q(paused_at__isnull=False, state__in=OPEN_STATES),
    "abgeschlossen": ~Q(state__in=OPEN_STATES),
    "alle": Q(),
}


def topic_list(*, access: Access, show: str = "offen", topic_area: str = "") -> QuerySet[Topic]:
    """The topics the actor may see, newest move first, with where each waits (by body:
    the office's board, `office_board`)."""
    qs = visible_topics(access).filter(FILTERS.get(show, FILTERS["offen"]))
    if topic_area:
        qs = qs.filter(topic_area=topic_area)
    return qs.select_related("body", "origin", "opened_by").order_by("-state_since", "-pk")


def days_waiting(topic: Any, today: datetime.date | None = None) -> int:
    """Days since the topic (or a row with its `state_since`) came into its state."""
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
        referrals = list(_referrals(topic_id=self.topic.pk))
        by_referral: dict[int, list[Statement]] = {r.pk: [] for r in referrals}
        for statement in _statements(topic_id=self.topic.pk):
            by_referral[statement.referral_id].append(statement)
        handed: dict[int, list[HandedDocument]] = {r.pk: [] for r in referrals}
        for doc in _handed_documents(topic_id=self.topic.pk):
            handed[doc.referral_id].append(doc)
        results: dict[int, list[TopicDocument]] = {r.pk: [] for r in referrals}
        for doc in self.all_documents:
            if doc.mandate_id in results:
                results[doc.mandate_id].append(doc)
        for referral in referrals:
            referral.statement_list = by_referral[referral.pk]
            referral.document_list = handed[referral.pk]
            referral.result_files = results[referral.pk]  # a mandate's result files
        return referrals

    @cached_property
    def meetings(self) -> list[AgendaLink]:
        """The agenda items that dealt or deal with the topic, by the meeting's start, each
        with its decisions (`decision_list`: the meetings' decision records; "vorläufig"
        until the minutes are approved; for members once the minutes are circulated, as
        the minutes are read), each decision with its tasks and their traffic lights (one
        more query, only where there are decisions)."""
        links = list(_agenda_links(topic_id=self.topic.pk))
        by_item: dict[int, list[Any]] = {link.agenda_item_id: [] for link in links}
        from uebergang.meetings.models import (
            TASK_LIGHT_LABELS,
            DecisionOutcome,
            MinutesState,
            TaskStatus,
            task_light,
        )
        from uebergang.meetings.selectors import task_row_owner

        decisions: dict[int, dict[str, Any]] = {}
        for row in _agenda_decisions(topic_id=self.topic.pk):
            state = row.agenda_item__meeting__minutes__state
            if not self.access.is_coordination and state not in (
                MinutesState.CIRCULATED,
                MinutesState.APPROVED,
            ):
                continue
            decisions[row.id] = {
                "wording": row.wording,
                "outcome_label": choice_label(DecisionOutcome, row.outcome),
                "provisional": state != MinutesState.APPROVED,
                "tasks": [],
            }
            by_item[row.agenda_item_id].append(decisions[row.id])
        if decisions:
            for task in _decision_tasks(topic_id=self.topic.pk):
                if task.decision_id not in decisions:
                    continue
                light = task_light(task.status, task.due, self.today)
                decisions[task.decision_id]["tasks"].append(
                    {
                        "created": task.created,
                        "public_id": task.public_id,
                        "description": task.description,
                        "due": task.due,
                        "status": task.status,
                        "status_label": choice_label(TaskStatus, task.status),
                        "light": light,
                        "light_label": TASK_LIGHT_LABELS.get(light, ""),
                        "owner_name": task_row_owner(task),
                    }
                )
        for link in links:
            link.decision_list = by_item[link.agenda_item_id]
        return links

    @cached_property
    def timeline(self) -> list[dict[str, Any]]:
        """The journey in the order it happened: hand-overs, the meetings that dealt with the
        topic (with their decisions) and the tasks agreed on those decisions, each
        `{"at", "kind", "item"}` (kind "referral", "meeting" or "task")."""
        events: list[dict[str, Any]] = [
            {"at": r.handed_at, "kind": "referral", "item": r} for r in self.referrals
        ]
        for link in self.meetings:
            meeting = link.agenda_item.meeting
            events.append({"at": meeting.starts_at, "kind": "meeting", "item": link})
            for decision in link.decision_list:
                for task in decision["tasks"]:
                    events.append({"at": task["created"], "kind": "task", "item": task})
        return sorted(events, key=lambda e: e["at"])

    @cached_property
    def all_documents(self) -> list[TopicDocument]:
        """The topic's files and those of its working groups' results (not removed)."""
        return list(_documents(topic_id=self.topic.pk))

    @cached_property
    def documents(self) -> list[TopicDocument]:
        """The topic's own files."""
        return [d for d in self.all_documents if d.mandate_id is None]

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
        body_id = self.current.to_body_id
        seats = list(_seats(body_id=body_id, day=self.today))
        given = {s.seat_id: s for s in self.current.statement_list}
        mine: set[int] = set()
        if self.collecting and self.access.signed_in:
            if self.access.is_coordination:
                mine = {seat.pk for seat in seats}
            else:
                mine = {
                    pk
                    for (pk,) in _seats_spoken_for(
                        network_id=self.access.network.pk,
                        user_id=self.access.user.pk,
                        body_id=body_id,
                        day=self.today,
                    )
                }
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
    def mandates(self) -> list[Referral]:
        """Every mandate a working group was given on the topic, each with whether the
        actor may enter its result (the office, or a member of that working group)."""
        mandates = [r for r in self.referrals if r.role == ReferralRole.MANDATE]
        open_ = [r for r in mandates if r.closed_at is None]
        mine: set[int] = set()
        working = self.topic.state == TopicState.WORKING and self.topic.paused_at is None
        if open_ and working and self.access.signed_in:
            if self.access.is_coordination:
                mine = {r.to_body_id for r in open_}
            else:
                mine = {
                    body_id
                    for (body_id,) in _bodies_sat_in(
                        network_id=self.access.network.pk,
                        user_id=self.access.user.pk,
                        day=self.today,
                    )
                }
        for r in mandates:
            r.may_enter = r.closed_at is None and r.to_body_id in mine
        return mandates

    @cached_property
    def recommendation(self) -> Referral | None:
        """The latest hand-over to the advisory board for its recommendation."""
        found = [r for r in self.referrals if r.role == ReferralRole.RECOMMENDATION]
        return found[-1] if found else None

    @cached_property
    def decision(self) -> Referral | None:
        """The decision board's hand-over after that recommendation, if any."""
        found = [r for r in self.referrals if r.role == ReferralRole.DECISION]
        if not found or (self.recommendation and found[-1].number < self.recommendation.number):
            return None
        return found[-1]

    @cached_property
    def waits_with(self) -> str:
        """Where the topic lies: its body, or, while several working groups work on it, each
        of them that has not returned its result yet ("liegt bei AG A, AG B")."""
        if self.topic.state == TopicState.WORKING:
            names = [
                r.to_body.name for r in self.mandates if r.closed_at is None and r.result_at is None
            ]
            if names:
                return ", ".join(names)
        return self.topic.body.name

    @cached_property
    def results_complete(self) -> bool:
        open_ = [r for r in self.mandates if r.closed_at is None]
        return bool(open_) and all(r.result_at is not None for r in open_)

    @cached_property
    def given_count(self) -> int:
        return sum(1 for line in self.seat_lines if line.statement is not None)

    @cached_property
    def days_waiting(self) -> int:
        return days_waiting(self.topic, self.today)


@prepared
def _referrals(topic_id: int):
    return Referral.objects.filter(topic_id=topic_id).select_related("from_body", "to_body")


@prepared
def _agenda_links(topic_id: int):
    return (
        AgendaLink.objects.filter(
            topic_id=topic_id,
            agenda_item__deleted_at__isnull=True,
            agenda_item__meeting__deleted_at__isnull=True,
        )
        .select_related("agenda_item__meeting__body")
        .order_by("agenda_item__meeting__starts_at", "pk")
    )


@prepared
def _agenda_decisions(topic_id: int):
    from uebergang.meetings.models import Decision

    return (
        Decision.objects.filter(agenda_item__topic_link__topic_id=topic_id)
        .order_by("pk")
        .values_list(
            "id",
            "agenda_item_id",
            "wording",
            "outcome",
            "agenda_item__meeting__minutes__state",
            named=True,
        )
    )


@prepared
def _decision_tasks(topic_id: int):
    """The tasks of the decisions on the topic's agenda items (`meetings.selectors.task_rows`)."""
    from uebergang.meetings.models import ActionItem
    from uebergang.meetings.selectors import task_rows

    return task_rows(
        ActionItem.objects.filter(decision__agenda_item__topic_link__topic_id=topic_id)
    )


def agenda_candidates(topic: Topic, body_ids: set[int]) -> Any:
    """The coming meetings (planned or invited) of the bodies the topic is with."""
    from uebergang.meetings.models import Meeting, MeetingState

    return (
        Meeting.objects.filter(
            network_id=topic.network_id,
            body_id__in=body_ids,
            state__in=(MeetingState.PLANNED, MeetingState.INVITED),
            starts_at__gte=timezone.now(),
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )


@prepared
def _documents(topic_id: int):
    return TopicDocument.objects.filter(topic_id=topic_id).order_by("title", "pk")


@prepared
def _handed_documents(topic_id: int):
    return HandedDocument.objects.filter(referral__topic_id=topic_id).order_by("title", "pk")


@prepared
def _statements(topic_id: int):
    return (
        Statement.objects.filter(referral__topic_id=topic_id)
        .select_related("seat__partner", "seat__constituency_seat")
        .order_by("given_at", "pk")
    )


@prepared
def _bodies_sat_in(network_id: int, user_id: int, day: datetime.date):
    return (
        Membership.objects.valid_on(day)
        .filter(network_id=network_id, person__user_id=user_id, person__deleted_at__isnull=True)
        .order_by()
        .values_list("body_id")
    )


@prepared
def _seats(body_id: int, day: datetime.date):
    return (
        BodySeat.objects.valid_on(day)
        .filter(body_id=body_id)
        .select_related("partner", "constituency_seat")
        .order_by("pk")
    )


@prepared
def _seats_spoken_for(network_id: int, user_id: int, body_id: int, day: datetime.date):
    return (
        seats_spoken_for_ids(user_id=user_id, network_id=network_id, day=day)
        .filter(body_id=body_id)
        .order_by()
        .values_list("pk")
    )


# --- the list's usual view (in progress, page 1) ----------------------------------------


def _open_first(qs: QuerySet[Topic]) -> QuerySet[Topic]:
    return (
        qs.filter(FILTERS["offen"])
        .select_related("body")
        .order_by("-state_since", "-pk")[:PAGE_SIZE]
    )


@prepared
def _office_first(network_id: int):
    return _open_first(Topic.objects.filter(network_id=network_id))


@prepared
def _office_count(network_id: int):
    return network_count(Topic.objects.filter(network_id=network_id).filter(FILTERS["offen"]))


@prepared
def _member_first(network_id: int, user_id: int, day: datetime.date):
    return _open_first(member_topics(network_id=network_id, user_id=user_id, day=day))


@prepared
def _member_count(network_id: int, user_id: int, day: datetime.date):
    return network_count(
        member_topics(network_id=network_id, user_id=user_id, day=day).filter(FILTERS["offen"])
    )


def open_first_page(access: Access) -> tuple[list[Topic], int] | None:
    """The list's first page of topics in progress as (rows, count), from prepared queries:
    the same rows as `topic_list(access=access)[:PAGE_SIZE]`."""
    if access.is_coordination:
        net = access.network.pk
        return list(_office_first(network_id=net)), first_value(_office_count(network_id=net), 0)
    if not access.is_member or not access.signed_in:
        return [], 0
    ids = {"network_id": access.network.pk, "user_id": access.user.pk, "day": timezone.localdate()}
    return list(_member_first(**ids)), first_value(_member_count(**ids), 0)


def mandate_of(topic: Topic, public_id: Any) -> Referral | None:
    return (
        Referral.objects.filter(topic=topic, public_id=public_id, role=ReferralRole.MANDATE)
        .select_related("to_body")
        .first()
    )


def statement_of(referral: Referral, seat: BodySeat) -> Statement | None:
    return Statement.objects.filter(referral=referral, seat=seat).first()


# --- the coordination office's board --------------------------------------------------------


@dataclass
class BoardRow:
    """One open topic on the office's board (from a value row of `office_board`, no model
    objects): where it waits, since when, its deadline and what is overdue."""

    row: Any
    today: datetime.date

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)

    @property
    def state_label(self) -> str:
        return choice_label(TopicState, self.row.state)

    @property
    def paused(self) -> bool:
        return self.row.paused_at is not None

    @property
    def days(self) -> int:
        return days_waiting(self.row, self.today)

    @property
    def past_due(self) -> bool:
        """The deadline has passed (a paused topic's deadline waits with it)."""
        due = self.row.board_due
        return due is not None and due < self.today and not self.paused

    @property
    def missing(self) -> int:
        """Statements still missing while the advisory board collects them."""
        if self.row.state != TopicState.STATEMENTS:
            return 0
        return max(0, self.row.board_seats - self.row.board_given)

    @property
    def overdue(self) -> bool:
        return self.past_due or (self.row.board_late > 0 and not self.paused)


BOARD_STATES = OPEN_STATES


def office_board(
    *,
    network_id: int,
    today: datetime.date,
    body_id: int | None = None,
    topic_area: str = "",
    state: str = "",
) -> QuerySet[Any]:
    """The network's open topics as value rows with, per row, the deadline of the hand-over the body it
    waits with works on, its statements given and the seats asked, and its open and overdue
    mandates: one query, however many topics, hand-overs and statements there are. Overdue
    first, then the longest waiting."""
    current = Referral.objects.filter(
        topic=OuterRef("pk"), closed_at__isnull=True, to_body=OuterRef("body")
    ).order_by("-number")
    mandates = Referral.objects.filter(
        role=ReferralRole.MANDATE, closed_at__isnull=True, result_at__isnull=True
    )
    qs = Topic.objects.filter(network_id=network_id, state__in=BOARD_STATES)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if topic_area:
        qs = qs.filter(topic_area=topic_area)
    if state:
        qs = qs.filter(state=state)
    qs = qs.annotate(
        board_due=Subquery(current.values("due_date")[:1], output_field=DateField()),
        board_given=count_of(
            Statement.objects.filter(referral__closed_at__isnull=True), "referral__topic"
        ),
        board_seats=Coalesce(
            Subquery(
                BodySeat.objects.valid_on(today)
                .filter(body_id=OuterRef("body_id"))
                .order_by()
                .values("body_id")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        board_mandates=count_of(mandates, "topic"),
        board_group=Subquery(
            mandates.filter(topic=OuterRef("pk")).order_by("number").values("to_body__name")[:1]
        ),
        board_late=count_of(mandates.filter(due_date__lt=today), "topic"),
    ).annotate(
        board_rank=Case(
            When(board_late__gt=0, paused_at__isnull=True, then=Value(0)),
            When(board_due__lt=today, paused_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return qs.order_by("board_rank", "state_since", "pk").values_list(
        "public_id",
        "title",
        "state",
        "paused_at",
        "state_since",
        "topic_area",
        "body__public_id",
        "body__name",
        "board_due",
        "board_given",
        "board_seats",
        "board_mandates",
        "board_group",
        "board_late",
        named=True,
    )


def board_rows(rows: list[Any], today: datetime.date) -> list[BoardRow]:
    return [BoardRow(row, today) for row in rows]


@prepared
def _board_first(network_id: int, today: datetime.date):
    return office_board(network_id=network_id, today=today)[:PAGE_SIZE]


@prepared
def _board_count(network_id: int):
    return network_count(Topic.objects.filter(network_id=network_id, state__in=BOARD_STATES))


def board_first_page(network_id: int, today: datetime.date) -> tuple[list[Any], int]:
    """The board's usual view (no filter, page 1) as (rows, count), from prepared queries:
    the same rows as `office_board(...)[:PAGE_SIZE]`."""
    rows = list(_board_first(network_id=network_id, today=today))
    return rows, first_value(_board_count(network_id=network_id), 0)


@prepared
def _current_bodies(network_id: int):
    from uebergang.bodies.models import Body

    return (
        Body.objects.filter(network_id=network_id, valid_to__isnull=True)
        .order_by("name")
        .values_list("pk", "public_id", "name", named=True)
    )


def current_bodies(network_id: int) -> list[Any]:
    """(pk, public_id, name) of the network's bodies that exist today, by name."""
    return list(_current_bodies(network_id=network_id))


def meeting_decision(topic: Topic, body_id: int) -> Any:
    """The latest decision recorded on an agenda item that deals with the topic in a meeting
    of `body_id` (wording, outcome, the meeting's title, whether its minutes are approved),
    or None: what the office records as the body's recommendation or decision."""
    from uebergang.meetings.models import Decision, MinutesState

    row = (
        Decision.objects.filter(
            agenda_item__topic_link__topic=topic,
            agenda_item__deleted_at__isnull=True,
            agenda_item__meeting__body_id=body_id,
        )
        .order_by("-agenda_item__meeting__starts_at", "-pk")
        .values_list(
            "wording",
            "outcome",
            "agenda_item__meeting__title",
            "agenda_item__meeting__minutes__state",
        )
        .first()
    )
    if row is None:
        return None
    wording, outcome, meeting, minutes = row
    return {
        "wording": wording,
        "outcome": outcome,
        "meeting": meeting,
        "approved": minutes == MinutesState.APPROVED,
    }
