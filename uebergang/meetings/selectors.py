"""Reads of meetings, network days and participation, with their related rows loaded in a
fixed number of queries (no query per row)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from uebergang.bodies.models import Body, BodyKind, BodySeat, Membership, QuorumRule
from uebergang.core.models import Network, choice_label
from uebergang.core.permissions import Access, can
from uebergang.core.prepared import fill_related, first_value, network_count, prepared
from uebergang.core.web import PAGE_SIZE
from uebergang.meetings.rules import MEETING_VIEW, TASK_FOLLOW_UP

from .decision_filters import decision_filters
from .models import (
    TASK_PENDING,
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    DecisionOutcome,
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
    NetworkDayState,
    Registration,
    Reply,
    TaskNote,
)


def visible_bodies(*, network: Network, access: Access) -> QuerySet[Body]:
    """Bodies whose meetings the actor sees: all for the coordination office, else the
    bodies they sit in today."""
    qs = Body.objects.filter(network=network)
    if access.is_coordination:
        return qs
    return qs.filter(pk__in=access.scope("sits_in_body").values("pk"))


def meeting_list(
    *,
    network: Network,
    access: Access,
    body: Body | None = None,
    upcoming: bool | None = None,
    state: str | None = None,
    year: int | None = None,
    for_display: bool = False,
) -> QuerySet[Meeting]:
    """The meetings of the bodies the actor may see, filtered, each with `item_count`;
    `for_display`: only the columns the meeting list's rows show."""
    qs = Meeting.objects.filter(network=network)
    qs = (
        qs.filter(body=body)
        if body is not None
        else qs.filter(body__in=visible_bodies(network=network, access=access))
    )
    now = timezone.now()
    if upcoming is True:
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif upcoming is False:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(starts_at__year=year)
    if for_display:
        qs = qs.only(*_LIST_FIELDS)
    return _with_item_count(qs)


_LIST_FIELDS = ("public_id", "title", "starts_at", "state", "body", "body__name")  # a row's


def _with_item_count(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with their body and `item_count`, the number of their agenda items."""
    return qs.select_related("body").annotate(
        item_count=Count("agenda_items", filter=Q(agenda_items__deleted_at__isnull=True))
    )


def _office_upcoming(network_id: int, now: datetime.datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        network_id=network_id,
        body__in=Body.objects.filter(network_id=network_id),
        ends_at__gte=now,
    )


@prepared
def _office_upcoming_first_page(network_id: int, now: datetime.datetime) -> QuerySet[Meeting]:
    rows = _office_upcoming(network_id, now).order_by("starts_at", "pk").only(*_LIST_FIELDS)
    return _with_item_count(rows)[:PAGE_SIZE]


@prepared
def _office_upcoming_count(network_id: int, now: datetime.datetime) -> QuerySet:
    return network_count(_office_upcoming(network_id, now))


@prepared
def _bodies_by_name(network_id: int) -> QuerySet[Body]:
    return Body.objects.filter(network_id=network_id).order_by("name", "pk")


def office_meeting_first_page(*, network: Network) -> tuple[list[Meeting], int]:
    """The meeting list's usual view for the coordination office (the meetings not over yet,
    no filter, first page): the rows of `meeting_list(upcoming=True, for_display=True)`'s
    first page and how many there are, in two prepared queries (`core.prepared`)."""
    now = timezone.now()
    rows = list(_office_upcoming_first_page(network_id=network.pk, now=now))
    count = first_value(_office_upcoming_count(network_id=network.pk, now=now), 0)
    return rows, count


def office_bodies(*, network: Network) -> list[Body]:
    """`visible_bodies` of the coordination office by name, as one prepared query."""
    return list(_bodies_by_name(network_id=network.pk))


@dataclass
class Quorum:
    rule: str
    rule_label: str
    voting_seats: int
    needed: int | None
    present: int
    expected: int

    @property
    def reached(self) -> bool | None:
        return None if self.needed is None else self.present >= self.needed

    @property
    def expected_reached(self) -> bool | None:
        return None if self.needed is None else self.expected >= self.needed


def quorum_needed(body: Body, voting_seats: int) -> int | None:
    if body.quorum_rule == QuorumRule.MAJORITY:
        return voting_seats // 2 + 1
    if body.quorum_rule == QuorumRule.MINIMUM:
        return body.quorum_minimum
    return None


@prepared
def _voting_seats_of(body_id: int, day: datetime.date) -> QuerySet[BodySeat]:
    return (
        BodySeat.objects.filter(body_id=body_id, voting=True)
        .valid_on(day)
        .values_list("pk", flat=True)
    )


def _voting_seat_ids(meeting: Meeting) -> set[int]:
    return set(_voting_seats_of(body_id=meeting.body_id, day=meeting.day))


def quorum(
    meeting: Meeting,
    *,
    invitations: list[Invitation] | None = None,
    attendances: list[Attendance] | None = None,
    voting_seats: set[int] | None = None,
) -> Quorum:
    """Voting seats present (a member on the seat, or a substitute standing in) and expected
    from the replies (attend, or send my substitute)."""
    seats = voting_seats if voting_seats is not None else _voting_seat_ids(meeting)
    if invitations is None:
        invitations = list(meeting.invitations.select_related("membership"))
    if attendances is None:
        attendances = list(meeting.attendances.all())
    present = {a.seat_id for a in attendances}
    expected = {
        inv.membership.seat_id
        for inv in invitations
        if inv.membership_id and inv.reply in EXPECTED_REPLIES
    }
    return quorum_of(meeting.body, seats, present=present, expected=expected)


EXPECTED_REPLIES = (Reply.ATTEND, Reply.SUBSTITUTE)  # a seat expected from its invitation


def quorum_of(body: Body, seats: set[int], *, present: set[int], expected: set[int]) -> Quorum:
    """The quorum of `body` with these voting seats, from the seats present and the seats
    expected (each set may hold other seats: only voting ones count)."""
    return Quorum(
        rule=body.quorum_rule,
        rule_label=body.quorum_label,
        voting_seats=len(seats),
        needed=quorum_needed(body, len(seats)),
        present=len(present & seats),
        expected=len(expected & seats),
    )


class MeetingDetail:
    """A meeting's parts, each read when it is first asked for: a step of the meeting's page
    (`views.meeting_step`) renders only what it shows, so it runs only the queries of its
    parts; the API and the PDFs ask for all of them. Each part is one prepared query
    (`core.prepared`); related rows are filled in as a prefetch would."""

    def __init__(self, meeting: Meeting, *, user: Any = None, public_only: bool = False):
        self.meeting = meeting
        self._user_id = getattr(user, "pk", None) if user is not None else None
        self._public_only = public_only

    @cached_property
    def documents(self) -> list[Document]:
        return list(_documents_of(meeting_id=self.meeting.pk))

    @cached_property
    def loose_documents(self) -> list[Document]:
        """The documents that belong to no agenda item."""
        return [d for d in self.documents if d.agenda_item_id is None]

    @cached_property
    def items(self) -> list[AgendaItem]:
        pk = self.meeting.pk
        items = list((_public_items_of if self._public_only else _items_of)(meeting_id=pk))
        fill_related(items, "documents", _item_documents_of(meeting_id=pk))
        return items

    @cached_property
    def _all_invitations(self) -> list[Invitation]:
        return list(_invitations_of(meeting_id=self.meeting.pk))

    @cached_property
    def invitations(self) -> list[Invitation]:
        return [i for i in self._all_invitations if i.kind == InvitationKind.INVITEE]

    @cached_property
    def information(self) -> list[Invitation]:
        return [i for i in self._all_invitations if i.kind == InvitationKind.INFORMATION]

    @cached_property
    def own_invitation(self) -> Invitation | None:
        """The asking person's own invitation (one query of its own when the invitations
        are not read anyway)."""
        if not self._user_id:
            return None
        if "_all_invitations" in self.__dict__:
            return next(
                (
                    i
                    for i in self._all_invitations
                    if i.person_id and i.person.user_id == self._user_id
                ),
                None,
            )
        return next(
            iter(_own_invitation_of(meeting_id=self.meeting.pk, user_id=self._user_id)), None
        )

    @cached_property
    def attendances(self) -> list[Attendance]:
        return list(_attendances_of(meeting_id=self.meeting.pk))

    @cached_property
    def minutes(self) -> Minutes | None:
        pk = self.meeting.pk
        minutes = first_value(_minutes_of(meeting_id=pk), None)
        if minutes is not None:
            fill_related([minutes], "entries", _entries_of(meeting_id=pk))
            fill_related(list(minutes.entries.all()), "tasks", _tasks_of(meeting_id=pk))
            fill_related([minutes], "corrections", _corrections_of(meeting_id=pk))
            # the decisions, and through them what tasks and corrections refer to
            by_pk = {d.pk: d for d in self._decision_list}
            for entry in minutes.entries.all():
                for task in entry.tasks.all():
                    if task.decision_id:
                        task.decision = by_pk.get(task.decision_id)
            for correction in minutes.corrections.all():
                if correction.decision_id:
                    correction.decision = by_pk.get(correction.decision_id)
        return minutes

    @cached_property
    def _decision_list(self) -> list[Decision]:
        return list(_decisions_of(meeting_id=self.meeting.pk))

    @cached_property
    def entries(self) -> dict[int, MinutesEntry]:
        minutes = self.minutes
        return {e.agenda_item_id: e for e in minutes.entries.all()} if minutes else {}

    @cached_property
    def decisions(self) -> dict[int, list[Decision]]:
        """Agenda item id → its decisions in the order of their numbers (none without
        minutes; read with the minutes)."""
        if self.minutes is None:
            return {}
        shown = {item.pk for item in self.items}
        by_item: dict[int, list[Decision]] = {}
        for decision in self._decision_list:
            if decision.agenda_item_id in shown:
                by_item.setdefault(decision.agenda_item_id, []).append(decision)
        return by_item

    @cached_property
    def quorum(self) -> Quorum:
        return quorum(self.meeting, invitations=self._all_invitations, attendances=self.attendances)


@prepared
def _documents_of(meeting_id: int) -> QuerySet[Document]:
    return (
        Document.objects.filter(meeting_id=meeting_id)
        .select_related("agenda_item")
        .order_by("title", "pk")
    )


@prepared
def _item_documents_of(meeting_id: int) -> QuerySet[Document]:
    return Document.objects.filter(agenda_item__meeting_id=meeting_id).order_by("title", "pk")


@prepared
def _items_of(meeting_id: int) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position", "pk")


@prepared
def _public_items_of(meeting_id: int) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting_id=meeting_id, public=True).order_by("position", "pk")


@prepared
def _invitations_of(meeting_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(meeting_id=meeting_id)
        .select_related(
            "person",
            "membership",
            "membership__seat",
            "partner",
            "substitute__person",
            "substitute_person",
        )
        .order_by("kind", "name", "pk")
    )


@prepared
def _own_invitation_of(meeting_id: int, user_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(meeting_id=meeting_id, person__user_id=user_id)
        .select_related("person", "membership", "membership__seat", "partner")
        .order_by("kind", "pk")[:1]
    )


@prepared
def _attendances_of(meeting_id: int) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting_id=meeting_id).select_related(
        "person", "seat__partner", "seat__constituency_seat", "partner"
    )


@prepared
def _minutes_of(meeting_id: int) -> QuerySet[Minutes]:
    return Minutes.objects.filter(meeting_id=meeting_id).select_related("approved_in")[:1]


@prepared
def _entries_of(meeting_id: int) -> QuerySet[MinutesEntry]:
    return MinutesEntry.objects.filter(minutes__meeting_id=meeting_id)


@prepared
def _tasks_of(meeting_id: int) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(entry__minutes__meeting_id=meeting_id).select_related(
        "owner", "partner"
    )


@prepared
def _decisions_of(meeting_id: int) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(agenda_item__meeting_id=meeting_id)
        .select_related("body")
        .order_by("year", "number", "pk")
    )


@prepared
def _corrections_of(meeting_id: int) -> QuerySet[MinutesCorrection]:
    return MinutesCorrection.objects.filter(minutes__meeting_id=meeting_id)


def meeting_detail(
    *, meeting: Meeting, user: Any = None, public_only: bool = False
) -> MeetingDetail:
    """The meeting with its agenda, documents, invitations, attendance and minutes, each
    part read when first used (`MeetingDetail`)."""
    return MeetingDetail(meeting, user=user, public_only=public_only)


# What an updated invitation tells: the meeting, its agenda and its documents (not the
# deliveries or the replies, which the invitees do not receive).
_SENT_WITH_THE_INVITATION = ("meetings.meeting", "meetings.agendaitem", "meetings.document")


@dataclass
class SinceSending:
    sent_at: datetime.datetime | None
    events: list[Any]  # core.history.present_events rows, oldest first


def changes_since_last_sending(*, meeting: Meeting, actor: Any) -> SinceSending:
    """What changed in the meeting, its agenda and documents since the invitation (or its
    last update) went out: the events of the history after the last sending, as the person
    may see them. Three queries at most (the history's own visibility filter included)."""
    from uebergang.core.history import present_events
    from uebergang.core.models import HistoryAction
    from uebergang.core.selectors import history_for

    label = meeting._meta.label_lower
    history = history_for(actor=actor, obj=meeting, limit=None)  # newest first
    sent = (
        history.filter(object_type=label, object_id=meeting.public_id)
        .filter(Q(changes__has_key="sequence") | Q(changes__state__1=MeetingState.INVITED))
        .exclude(action=HistoryAction.CREATE)
        .values_list("id", "at")
        .first()
    )
    if sent is None:
        return SinceSending(sent_at=None, events=[])
    sent_id, sent_at = sent
    # after the sending's own event (by its number: events of one moment keep their order)
    events = list(history.filter(id__gt=sent_id, object_type__in=_SENT_WITH_THE_INVITATION))
    return SinceSending(sent_at=sent_at, events=present_events(events[::-1]))


def approving_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """Later meetings of the body in which the minutes can be approved."""
    return (
        Meeting.objects.filter(body=meeting.body, starts_at__gt=meeting.starts_at)
        .exclude(state__in=[MeetingState.CANCELLED, MeetingState.PLANNED])
        .filter(starts_at__date__lte=timezone.localdate())  # as `minutes_approve` accepts
        .order_by("starts_at")
    )


def one_off_substitutes(meeting: Meeting) -> list[Invitation]:
    """The members' invitations for which the office named a one-off substitute."""
    return list(
        meeting.invitations.filter(substitute_person__isnull=False, reply=Reply.SUBSTITUTE)
        .select_related("substitute_person", "membership__seat__partner")
        .order_by("name", "pk")
    )


def attendance_candidates(meeting: Meeting) -> list[Membership]:
    """The people who could be present: everyone in the body on the meeting's day."""
    return list(
        Membership.objects.valid_on(meeting.day)
        .filter(body=meeting.body, person__deleted_at__isnull=True)
        .select_related("person", "seat__partner", "seat__constituency_seat")
        .order_by("person__last_name", "person__first_name", "pk")
    )


# --- network day -----------------------------------------------------------------------------


def network_day_list(*, network: Network) -> QuerySet[NetworkDay]:
    return (
        NetworkDay.objects.filter(network=network)
        .annotate(
            registration_count=Count(
                "registrations", filter=Q(registrations__deleted_at__isnull=True), distinct=True
            ),
            attended_count=Count(
                "registrations",
                filter=Q(registrations__deleted_at__isnull=True, registrations__attended=True),
                distinct=True,
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def registrations_of(day: NetworkDay) -> list[Registration]:
    return list(
        day.registrations.select_related("partner", "person").order_by(
            "partner__name", "name", "pk"
        )
    )


# --- participation over the years ------------------------------------------------------------


@dataclass
class ParticipationRow:
    partner_id: int
    partner_name: str
    partner_public_id: Any
    is_party: bool
    by_year: dict[int, dict[str, int]]


PARTICIPATION_KINDS = ("advisory_board", "working_group", "network_day")


def participation(
    *, network: Network, years: list[int] | None = None
) -> tuple[list[int], list[ParticipationRow]]:
    """Per partner institution and year: meetings of the advisory board and of working
    groups attended by someone for it, and network days with someone present (seed IV: the
    partners committed to take part), each out of how many it could have been. Six grouped
    queries, whatever the size."""
    from uebergang.networks.models import Partner

    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(PARTICIPATION_KINDS, 0))
    )
    attended, possible = _meeting_participation(network)
    for (partner, year, kind), n in attended.items():
        counts[partner][year][kind] += n
    day_rows = (
        Registration.objects.filter(network=network, attended=True, partner__isnull=False)
        .values("partner_id", "network_day__starts_at__year")
        .annotate(n=Count("network_day", distinct=True))
    )
    for row in day_rows:
        counts[row["partner_id"]][row["network_day__starts_at__year"]]["network_day"] += row["n"]
    possible["network_day"] = _network_days_held(network)
    all_years = sorted({y for per in counts.values() for y in per}, reverse=True)
    if years:
        all_years = [y for y in all_years if y in years]
    partners = (
        Partner.objects.filter(network=network)
        .filter(Q(pk__in=list(counts)) | Q(valid_to__isnull=True, is_party=True))
        .order_by("name", "pk")
    )
    rows = [
        ParticipationRow(
            partner_id=p.pk,
            partner_name=p.name,
            partner_public_id=p.public_id,
            is_party=p.is_party,
            by_year={y: _year_cell(counts[p.pk].get(y), possible, p.pk, y) for y in all_years},
        )
        for p in partners
    ]
    return all_years, rows


def _year_cell(done: dict | None, possible: dict[str, dict], partner: int, year: int) -> dict:
    """One institution's year: per kind the times taken part (`advisory_board`, …), out of
    how many (`…_of`: never fewer than taken part) and the rate in percent (`…_rate`, None
    without any)."""
    cell: dict[str, Any] = dict(done) if done else dict.fromkeys(PARTICIPATION_KINDS, 0)
    for kind in PARTICIPATION_KINDS:
        key = year if kind == "network_day" else (partner, year)
        of = max(possible[kind].get(key, 0), cell[kind])
        cell[f"{kind}_of"] = of
        cell[f"{kind}_rate"] = round(100 * cell[kind] / of) if of else None
    return cell


HELD_STATES = (MeetingState.HELD, MeetingState.MINUTES_DRAFTED, MeetingState.MINUTES_APPROVED)


def _meeting_participation(network: Network) -> tuple[dict, dict[str, dict]]:
    """Per (partner, year, kind) the meetings of the advisory board and the working groups
    someone attended for the institution, and per kind and (partner, year) how many held
    meetings it could have attended: those in which it had a seat on the meeting's day (its
    own seat, or through the constituency seat it was assigned to that day), or attended.
    Three grouped queries."""
    from django.db.models import F

    kinds = [BodyKind.ADVISORY_BOARD, BodyKind.WORKING_GROUP]
    held = Meeting.objects.filter(
        network=network, state__in=HELD_STATES, body__kind__in=kinds, deleted_at__isnull=True
    )
    day = F("starts_at__date")

    def valid(prefix: str) -> Q:
        return Q(**{f"{prefix}deleted_at__isnull": True, f"{prefix}valid_from__lte": day}) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
        )

    seat = "body__seats__"
    through = f"{seat}constituency_seat__assignments__"
    attended_rows = Attendance.objects.filter(
        network=network, partner__isnull=False, meeting__body__kind__in=kinds
    ).values_list("partner_id", "meeting_id", "meeting__starts_at__year", "meeting__body__kind")
    seated_rows = [
        held.filter(valid(seat), **{f"{seat}partner__isnull": False}).values_list(
            f"{seat}partner_id", "pk", "starts_at__year", "body__kind"
        ),
        held.filter(valid(seat), valid(through)).values_list(
            f"{through}partner_id", "pk", "starts_at__year", "body__kind"
        ),
    ]
    attended: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for partner, meeting, year, kind in attended_rows.distinct():
        attended[(partner, year, kind)].add(meeting)
    could: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for key, found in attended.items():
        could[key] |= found
    for rows in seated_rows:
        for partner, meeting, year, kind in rows.distinct():
            could[(partner, year, kind)].add(meeting)
    possible: dict[str, dict] = {kind: {} for kind in PARTICIPATION_KINDS}
    for (partner, year, kind), found in could.items():
        possible[kind][(partner, year)] = len(found)
    return {key: len(found) for key, found in attended.items()}, possible


def _network_days_held(network: Network) -> dict[int, int]:
    """The network days held, by year (every partner institution is invited)."""
    days = (
        NetworkDay.objects.filter(network=network, state=NetworkDayState.HELD)
        .values("starts_at__year")
        .annotate(n=Count("pk"))
    )
    return {row["starts_at__year"]: row["n"] for row in days}


# --- calendar --------------------------------------------------------------------------------

FEED_PAST_DAYS = 400
FEED_LIMIT = 500


def feed_meetings(*, network: Network, body: Body | None = None, user: Any = None) -> list[Meeting]:
    """Meetings for a calendar feed: of one body, or of every body the user sits in (each
    meeting only while they are in the body); from about a year back, at most 500."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    qs = Meeting.objects.filter(network=network, starts_at__gte=since)
    if body is not None:
        qs = qs.filter(body=body)
    else:
        day = OuterRef("starts_at__date")  # local date (USE_TZ, Europe/Berlin)
        own = Membership.objects.filter(
            network=network,
            person__user=user,
            person__deleted_at__isnull=True,
            body=OuterRef("body"),
            valid_from__lte=day,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        qs = qs.filter(Exists(own))
    return list(qs.select_related("body").order_by("starts_at", "pk")[:FEED_LIMIT])


def voting_seats_of(body: Body, day: datetime.date) -> list[BodySeat]:
    return list(body.seats.valid_on(day).filter(voting=True))


# --- following decisions up ------------------------------------------------------------------

# The `stand` filter of the follow-up list: decisions with pending tasks, with overdue ones,
# or whose tasks are all settled (done or dropped).
FOLLOW_UP_STANDS = ("offen", "ueberfaellig", "erledigt")


def _pending_tasks() -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        decision=OuterRef("pk"), status__in=TASK_PENDING, entry__deleted_at__isnull=True
    )


def follow_up_tasks() -> QuerySet[ActionItem]:
    """A decision's tasks as the follow-up list and the task page show them."""
    return (
        ActionItem.objects.filter(entry__deleted_at__isnull=True)
        .select_related("owner", "partner")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def _follow_up_base(network_id: int) -> QuerySet[Decision]:
    # By the meeting's network (a decision is always in its meeting's network): the
    # database then walks the meetings by their start (index network, starts_at) and stops
    # after a page, instead of sorting every decision of the network.
    return Decision.objects.filter(
        agenda_item__meeting__network_id=network_id,
        agenda_item__deleted_at__isnull=True,
        agenda_item__meeting__deleted_at__isnull=True,
    )


# Decisions per page of the follow-up list: each comes with its tasks, so half a usual page.
FOLLOW_UP_PAGE = 25
_FOLLOW_UP_ORDER = ("-agenda_item__meeting__starts_at", "agenda_item__position", "number", "pk")


def follow_up_filtered(
    *,
    network: Network,
    access: Access,
    today: datetime.date,
    body: Body | None = None,
    year: int | None = None,
    partner: Any = None,
    stand: str = "",
    extra: dict[str, str] | None = None,
) -> QuerySet[Decision]:
    """ "What did we decide, and what became of it": the decisions of every body the person
    sees (members: once the minutes are circulated), newest meeting first. One query over
    `Decision`; the filters are conditions on it, including those other apps add
    (`decision_filters`)."""
    qs = _follow_up_base(network.pk)
    if not access.is_coordination:
        qs = qs.filter(
            body__in=visible_bodies(network=network, access=access),
            agenda_item__meeting__minutes__state__in=(
                MinutesState.CIRCULATED,
                MinutesState.APPROVED,
            ),
        )
    if body is not None:
        qs = qs.filter(body=body)
    if year:
        qs = qs.filter(year=year)
    if partner is not None:
        qs = qs.filter(
            Exists(
                ActionItem.objects.filter(
                    decision=OuterRef("pk"), partner=partner, entry__deleted_at__isnull=True
                )
            )
        )
    if stand == "offen":
        qs = qs.filter(Exists(_pending_tasks()))
    elif stand == "ueberfaellig":
        qs = qs.filter(Exists(_pending_tasks().filter(due__lt=today)))
    elif stand == "erledigt":
        qs = qs.filter(
            Exists(ActionItem.objects.filter(decision=OuterRef("pk"))),
            ~Exists(_pending_tasks()),
        )
    extra = extra or {}
    for spec in decision_filters():
        value = extra.get(spec.key, "")
        if value and value in {str(k) for k, _label in spec.choices()}:
            qs = qs.filter(spec.condition(value))
    return qs.order_by(*_FOLLOW_UP_ORDER)


def follow_up_list(**filters: Any) -> QuerySet[Decision]:
    """`follow_up_filtered` as model objects with their body, meeting and tasks (the API)."""
    return (
        follow_up_filtered(**filters)
        .select_related("body")
        .annotate(
            meeting_pid=F("agenda_item__meeting__public_id"),
            meeting_title=F("agenda_item__meeting__title"),
            meeting_starts=F("agenda_item__meeting__starts_at"),
            item_title=F("agenda_item__title"),
            minutes_state=F("agenda_item__meeting__minutes__state"),
        )
        .prefetch_related(Prefetch("tasks", queryset=follow_up_tasks()))
    )


# The page reads value rows: a line of text per decision and per task, no model objects.
def _decision_rows(qs: QuerySet[Decision]) -> Any:
    return qs.annotate(
        body_name=F("body__name"),
        body_short=F("body__short_name"),
        body_kind=F("body__kind"),
        meeting_pid=F("agenda_item__meeting__public_id"),
        meeting_starts=F("agenda_item__meeting__starts_at"),
        item_title=F("agenda_item__title"),
        minutes_state=F("agenda_item__meeting__minutes__state"),
    ).values_list(
        "id",
        "public_id",
        "year",
        "number",
        "wording",
        "outcome",
        "body_name",
        "body_short",
        "body_kind",
        "meeting_pid",
        "meeting_starts",
        "item_title",
        "minutes_state",
        named=True,
    )


def task_rows(qs: QuerySet[ActionItem]) -> Any:
    """Tasks as value rows of a line each (decision, what, by when, status, who): the
    follow-up list's and a topic's (`task_row_owner` names who is responsible)."""
    return (
        qs.filter(entry__deleted_at__isnull=True)
        .order_by(F("due").asc(nulls_last=True), "pk")
        .values_list(
            "decision_id",
            "public_id",
            "created",
            "description",
            "due",
            "status",
            "owner_id",
            "owner__title",
            "owner__first_name",
            "owner__last_name",
            "owner_text",
            "partner__name",
            named=True,
        )
    )


@prepared
def _follow_up_first_page(network_id: int):
    return _decision_rows(_follow_up_base(network_id).order_by(*_FOLLOW_UP_ORDER))[:FOLLOW_UP_PAGE]


@prepared
def _follow_up_count(network_id: int):
    return network_count(_follow_up_base(network_id))


@prepared
def _follow_up_first_tasks(network_id: int):
    first = _follow_up_base(network_id).order_by(*_FOLLOW_UP_ORDER).values("pk")[:FOLLOW_UP_PAGE]
    return task_rows(ActionItem.objects.filter(decision_id__in=first))


@dataclass
class FollowUpRow:
    """A decision of the follow-up page with its tasks (value rows)."""

    row: Any
    tasks: list

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)

    @property
    def reference(self) -> str:
        prefix = Body.prefix_of(self.row.body_name, self.row.body_short, self.row.body_kind)
        return f"{prefix} {self.row.year}/{self.row.number:02d}"

    @property
    def outcome_label(self) -> str:
        return choice_label(DecisionOutcome, self.row.outcome)


def _with_tasks(rows: list, tasks: Any) -> list[FollowUpRow]:
    by_decision: dict[int, list] = {r.id: [] for r in rows}
    for task in tasks:
        if task.decision_id in by_decision:
            by_decision[task.decision_id].append(task)
    return [FollowUpRow(r, by_decision[r.id]) for r in rows]


def follow_up_first_page(*, network: Network) -> tuple[list[FollowUpRow], int]:
    """The office's usual view (no filter, first page) in three prepared queries."""
    rows = list(_follow_up_first_page(network_id=network.pk))
    count = first_value(_follow_up_count(network_id=network.pk), 0)
    return _with_tasks(rows, _follow_up_first_tasks(network_id=network.pk)), count


def task_row_owner(task: Any) -> str:
    """`ActionItem.owner_name` of a `task_rows` row."""
    from uebergang.networks.models import Person

    if task.owner_id:
        name = Person.name_of(task.owner__title, task.owner__first_name, task.owner__last_name)
    else:
        name = task.owner_text
    if task.partner__name:
        return f"{name} ({task.partner__name})" if name else task.partner__name
    return name


def follow_up_page_rows(decisions: QuerySet[Decision]) -> Any:
    """`follow_up_filtered` as the page's value rows (to paginate)."""
    return _decision_rows(decisions)


def follow_up_rows_with_tasks(rows: Any) -> list[FollowUpRow]:
    rows = list(rows)
    ids = [r.id for r in rows]
    return _with_tasks(rows, task_rows(ActionItem.objects.filter(decision_id__in=ids)))


@prepared
def _decision_years(network_id: int):
    return (
        Decision.objects.filter(network_id=network_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def follow_up_years(*, network: Network) -> list[int]:
    """The years with decisions, newest first (the year filter's choices)."""
    return list(_decision_years(network_id=network.pk))


@prepared
def _partner_names(network_id: int):
    from uebergang.networks.models import Partner

    return (
        Partner.objects.filter(network_id=network_id)
        .order_by("name", "pk")
        .values_list("public_id", "name", named=True)
    )


def partner_names(*, network: Network) -> list:
    """Every institution of the network (the follow-up list's filter): id and name."""
    return list(_partner_names(network_id=network.pk))


def task_readable(access: Access, task: ActionItem) -> bool:
    """A task is read by those who follow it up (`TASK_FOLLOW_UP`) and by those who read its
    minutes: who sees the meeting, once the minutes are circulated (drafts: the office).
    Needs `task.entry.minutes.meeting` loaded."""
    network = access.network
    if can(access, network, TASK_FOLLOW_UP, task):
        return True
    minutes = task.entry.minutes
    return can(access, network, MEETING_VIEW, minutes.meeting) and (
        access.is_coordination or minutes.state != MinutesState.DRAFT
    )


def task_notes(task: ActionItem) -> list[TaskNote]:
    return list(TaskNote.objects.filter(task=task).select_related("written_by"))
