"""What meetings and the network day ask of people (`core.workqueue`).

For a person: invitations to answer, their next meetings, their tasks from the minutes, the
network day they can still register for. For the coordination office: minutes to write,
circulate or approve, failed deliveries, invitations due, quorum at risk, overdue tasks and
replies missing shortly before a meeting. Each provider needs a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uebergang.bodies.models import BodySeat, Membership, QuorumRule
from uebergang.core.navigation import record_url
from uebergang.core.netsettings import get_setting
from uebergang.core.prepared import count_of, prepared
from uebergang.core.workqueue import (
    DANGER,
    INFO,
    OFFICE,
    WARNING,
    WorkItem,
    moment,
    provider,
    shared,
    start_of,
)
from uebergang.meetings.steps import STEP_URL
from uebergang.networks.models import Person, Representation

from . import selectors
from .models import (
    TASK_PENDING,
    ActionItem,
    Delivery,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingState,
    MinutesState,
    NetworkDay,
    NetworkDayInvitation,
    NetworkDayState,
    Registration,
    Reply,
    task_light,
)
from .network_settings import REPLY_DEADLINE

NEXT_MEETINGS = 5  # how many of one's next meetings the queue lists
REPLY_WINDOW_DAYS = 7  # the office is told of missing replies this many days ahead
SOON_DAYS = 3  # a reply due within this many days is a warning


def _url(name: str, access: Any, public_id: Any) -> str:
    return record_url(name, access.network.slug, public_id)


def _meeting_url(access: Any, meeting_pid: Any, step: str = "tagesordnung") -> str:
    """The meeting's page at the step where the work is done (`meetings.steps`)."""
    return _url(f"meetings:{STEP_URL[step]}", access, meeting_pid)


def _meeting_item(meeting: Meeting, **kwargs: Any) -> WorkItem:
    return WorkItem(
        record_kind="meeting",
        record_id=meeting.public_id,
        record_label=str(meeting),
        **kwargs,
    )


def _sits_in_body_on(network_id: int, user_id: int, today: datetime.date, body_ref: str) -> Exists:
    """The person of the user sits in the body (`body_ref`, an outer field) today – as the
    rule `meeting.view` asks; otherwise the link would lead to a refusal."""
    return Exists(
        Membership.objects.valid_on(today).filter(
            network_id=network_id,
            body=OuterRef(body_ref),
            person__user_id=user_id,
            person__deleted_at__isnull=True,
        )
    )


# --- for a person ----------------------------------------------------------------------------


@prepared
def _my_invitations_ahead(
    network_id: int, user_id: int, now: datetime.datetime, today: datetime.date
):
    """The person's invitations to meetings ahead that they have not answered or said they
    attend: what `invitation_replies` and `next_meetings` pick from."""
    return (
        Invitation.objects.filter(
            network_id=network_id,
            meeting__deleted_at__isnull=True,
            kind=InvitationKind.INVITEE,
            person__user_id=user_id,
            person__deleted_at__isnull=True,
            reply__in=[Reply.NONE, Reply.ATTEND],
            meeting__state=MeetingState.INVITED,
            meeting__starts_at__gte=now,
        )
        .filter(_sits_in_body_on(network_id, user_id, today, "meeting__body"))
        .select_related("meeting")
        .only(  # what the items show and decide by: no texts or delivery state
            "public_id",
            "reply",
            "meeting__public_id",
            "meeting__title",
            "meeting__starts_at",
            "meeting__place",
        )
        .order_by("meeting__starts_at", "pk")
    )


def _invitations_ahead(access: Any, today: datetime.date) -> list[Invitation]:
    return shared(
        "meetings.my_invitations_ahead",
        lambda: list(
            _my_invitations_ahead(
                network_id=access.network.pk,
                user_id=access.user.pk,
                now=moment(today),
                today=today,
            )
        ),
    )


@provider("meetings.invitation_replies")
def invitation_replies(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Invitations to meetings ahead that the person has not answered yet, due by the
    network's reply deadline if it sets one, else by the meeting (2 queries, the
    invitations shared with `next_meetings`)."""
    if not access.is_member:
        return
    invitations = [i for i in _invitations_ahead(access, today) if i.reply == Reply.NONE]
    deadline = get_setting(access.network, REPLY_DEADLINE)  # days before, or None
    for inv in invitations:
        meeting = inv.meeting
        due = meeting.day - datetime.timedelta(days=deadline) if deadline else meeting.starts_at
        due_day = due if deadline else meeting.day
        soon = due_day <= today + datetime.timedelta(days=SOON_DAYS)
        yield _meeting_item(
            meeting,
            code="meetings.invitation_reply",
            title=_("Auf die Einladung antworten"),
            due=due,
            severity=WARNING if soon else INFO,
            note=_("Ihre Antwort: noch keine; Antwortfrist der Koordinierungsstelle")
            if deadline
            else _("Ihre Antwort: noch keine"),
            url=_url("meetings:invitation_reply", access, inv.public_id),
        )


@provider("meetings.next_meetings")
def next_meetings(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """The person's next meetings: invited, and they said they attend (at most
    `NEXT_MEETINGS`; 1 query, shared with `invitation_replies`)."""
    if not access.is_member:
        return
    meetings: dict[int, Meeting] = {}
    for inv in _invitations_ahead(access, today):
        if inv.reply == Reply.ATTEND and len(meetings) < NEXT_MEETINGS:
            meetings.setdefault(inv.meeting_id, inv.meeting)
    for meeting in meetings.values():
        yield _meeting_item(
            meeting,
            code="meetings.next_meeting",
            title=_("An der Sitzung teilnehmen"),
            due=meeting.starts_at,
            severity=INFO,
            note=" · ".join(filter(None, [_("Ihre Antwort: nimmt teil"), meeting.place])),
            url=_meeting_url(access, meeting.public_id),
        )


def _open_tasks(network_id: int, mine: Any) -> Any:
    """Open tasks as value rows of what a queue item shows (the task, its owner's name, its
    meeting's title and day, whether it is the person's: `mine`, an expression): no model
    objects for a line of text and a link."""
    return (
        ActionItem.objects.filter(
            network_id=network_id,
            status__in=TASK_PENDING,
            entry__deleted_at__isnull=True,
            entry__minutes__deleted_at__isnull=True,
            entry__minutes__meeting__deleted_at__isnull=True,
        )
        .annotate(
            meeting_pid=F("entry__minutes__meeting__public_id"),
            meeting_title=F("entry__minutes__meeting__title"),
            meeting_starts=F("entry__minutes__meeting__starts_at"),
            owner_user=F("owner__user_id"),
            owner_gone=F("owner__deleted_at"),
            mine=mine,
        )
        .values_list(
            "public_id",
            "description",
            "due",
            "status",
            "owner_id",
            "owner_text",
            "owner__title",
            "owner__first_name",
            "owner__last_name",
            "meeting_pid",
            "meeting_title",
            "meeting_starts",
            "owner_user",
            "owner_gone",
            "partner__name",
            "mine",
            named=True,
        )
    )


def _task_item(access: Any, task: Any, today: datetime.date, **kwargs: Any) -> WorkItem:
    light = task_light(task.status, task.due, today)
    return WorkItem(
        record_kind="task",
        record_id=task.public_id,
        record_label=task.description,
        due=task.due,
        severity={"overdue": DANGER, "at_risk": WARNING}.get(light, INFO),
        url=_url("meetings:task_detail", access, task.public_id),
        **kwargs,
    )


_MY_ORDER = (F("due").asc(nulls_last=True), "pk")


def _owned_by(user_id: int, today: datetime.date) -> Q:
    """The person's own tasks and those of the institutions they represent today (as a
    person, or as staff of the representing institution: the rule `represents`)."""
    represented = Representation.objects.valid_on(today).filter(
        Q(person__user_id=user_id, person__deleted_at__isnull=True)
        | Q(institution__staff__user_id=user_id, institution__staff__deleted_at__isnull=True)
    )
    return Q(owner__user_id=user_id, owner__deleted_at__isnull=True) | Q(
        partner__in=represented.values("partner_id")
    )


@prepared
def _my_open_tasks(network_id: int, user_id: int, today: datetime.date):
    return (
        _open_tasks(network_id, Value(True, output_field=BooleanField()))
        .filter(_owned_by(user_id, today))
        .order_by(*_MY_ORDER)
    )


@prepared
def _my_and_overdue_tasks(network_id: int, user_id: int, today: datetime.date):
    mine = _owned_by(user_id, today)
    return (
        _open_tasks(network_id, ExpressionWrapper(mine, output_field=BooleanField()))
        .filter(mine | Q(due__lt=today))
        .order_by(*_MY_ORDER)
    )


def _tasks(access: Any, today: datetime.date) -> tuple[list, list]:
    """(the person's open tasks, the network's overdue tasks for the office), each in due
    order: one query for what the access concerns (`my_tasks`, `overdue_tasks`)."""

    def load() -> tuple[list, list]:
        network_id, user_id = access.network.pk, access.user.pk
        if access.is_coordination:
            rows = list(_my_and_overdue_tasks(network_id=network_id, user_id=user_id, today=today))
        elif access.is_member:
            rows = list(_my_open_tasks(network_id=network_id, user_id=user_id, today=today))
        else:
            rows = []
        mine = [t for t in rows if t.mine]
        overdue = [t for t in rows if access.is_coordination and t.due and t.due < today]
        return mine, overdue

    return shared("meetings.tasks", load)


@provider("meetings.my_tasks")
def my_tasks(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Tasks from the minutes assigned to the person and not done (1 query, shared with
    `overdue_tasks`)."""
    if not access.is_member:
        return
    title = _("Aufgabe aus dem Protokoll erledigen")
    for task in _tasks(access, today)[0]:
        yield _task_item(
            access,
            task,
            today,
            code="meetings.task",
            title=title,
            note=" · ".join(
                filter(
                    None,
                    [
                        _("aus: %(meeting)s")
                        % {"meeting": Meeting.label(task.meeting_title, task.meeting_starts)},
                        task.owner_user != access.user.pk
                        and task.partner__name
                        and _("für %(partner)s") % {"partner": task.partner__name},
                    ],
                )
            ),
        )


@prepared
def _network_days_ahead(network_id: int, user_id: int, now: datetime.datetime):
    """The network days not over yet and not cancelled, with how many of their invitations
    failed (`failed`), whether the user is registered (`registered`) and listed in the
    directory (`listed`): what `network_day_registration` and `failed_deliveries` pick
    from."""
    return (
        NetworkDay.objects.filter(network_id=network_id, ends_at__gte=now)
        .exclude(state=NetworkDayState.CANCELLED)
        .annotate(
            failed=count_of(
                NetworkDayInvitation.objects.filter(delivery=Delivery.FAILED), "network_day"
            ),
            registered=Exists(
                Registration.objects.filter(
                    network_day=OuterRef("pk"),
                    person__user_id=user_id,
                    person__deleted_at__isnull=True,
                )
            ),
            listed=Exists(Person.objects.filter(network_id=network_id, user_id=user_id)),
        )
        .order_by("starts_at", "pk")
    )


def _days(access: Any, today: datetime.date) -> list[NetworkDay]:
    return shared(
        "meetings.network_days_ahead",
        lambda: list(
            _network_days_ahead(
                network_id=access.network.pk, user_id=access.user.pk, now=moment(today)
            )
        ),
    )


@provider("meetings.network_day_registration")
def network_day_registration(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Network days ahead whose registration is open and for which the person (listed in the
    directory, so they can register themselves) is not registered (1 query, shared with
    `failed_deliveries`)."""
    if not access.is_member:
        return
    now = moment(today)
    for day in _days(access, today):
        if day.state not in (NetworkDayState.PLANNED, NetworkDayState.INVITED):
            continue
        if day.starts_at < now or not day.listed or day.registered:
            continue
        if day.registration_until is not None and day.registration_until < today:
            continue
        deadline = day.registration_until
        soon = deadline is not None and deadline <= today + datetime.timedelta(days=SOON_DAYS)
        yield WorkItem(
            code="meetings.network_day_registration",
            title=_("Zum Netzwerktag anmelden"),
            record_kind="network_day",
            record_id=day.public_id,
            record_label=str(day),
            due=deadline or day.starts_at,
            severity=WARNING if soon else INFO,
            url=_url("networkdays:registration_add", access, day.public_id),
        )


# --- for the coordination office -------------------------------------------------------------


@prepared
def _office_meetings(network_id: int, now: datetime.datetime):
    """The meetings the office's providers pick from: those not over yet and not cancelled,
    and those held whose minutes are not approved; with their body and minutes, how many of
    their invitations failed (`failed`) and how many invitees have not answered
    (`missing`)."""
    return (
        Meeting.objects.filter(network_id=network_id)
        .filter(
            (Q(ends_at__gte=now) & ~Q(state=MeetingState.CANCELLED))
            | Q(state__in=[MeetingState.HELD, MeetingState.MINUTES_DRAFTED])
        )
        .annotate(
            failed=count_of(Invitation.objects.filter(delivery=Delivery.FAILED), "meeting"),
            missing=count_of(
                Invitation.objects.filter(kind=InvitationKind.INVITEE, reply=Reply.NONE),
                "meeting",
            ),
        )
        .select_related("body", "minutes")
        .only(  # what the items show and decide by: no texts of meetings or minutes
            "public_id",
            "title",
            "starts_at",
            "ends_at",
            "state",
            "body__invitation_period_days",
            "body__quorum_rule",
            "body__quorum_minimum",
            "minutes__state",
            "minutes__deleted_at",
        )
        .order_by("starts_at", "pk")
    )


def _meetings(access: Any, today: datetime.date) -> list[Meeting]:
    """`_office_meetings`, read once per queue for the providers below."""
    return shared(
        "meetings.office_meetings",
        lambda: list(_office_meetings(network_id=access.network.pk, now=moment(today))),
    )


def _ahead(meeting: Meeting, now: datetime.datetime, state: str) -> bool:
    return meeting.state == state and meeting.starts_at >= now


@provider("meetings.minutes")
def minutes_to_do(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Minutes to write (meeting held, no minutes), to circulate (drafted) or to approve
    (circulated) (1 query, shared)."""
    if not access.is_coordination:
        return
    for meeting in _meetings(access, today):
        if meeting.state not in (MeetingState.HELD, MeetingState.MINUTES_DRAFTED):
            continue
        minutes = getattr(meeting, "minutes", None)
        if minutes is not None and minutes.deleted_at is not None:
            minutes = None
        if minutes is None:
            code, title, url = (
                "meetings.minutes_write",
                _("Protokoll schreiben"),
                _url("meetings:minutes_edit", access, meeting.public_id),
            )
        elif minutes.state == MinutesState.DRAFT:
            code, title, url = (
                "meetings.minutes_circulate",
                _("Protokoll versenden"),
                _meeting_url(access, meeting.public_id, "protokoll"),
            )
        elif minutes.state == MinutesState.CIRCULATED:
            code, title, url = (
                "meetings.minutes_approve",
                _("Protokoll genehmigen lassen"),
                _url("meetings:minutes_approve", access, meeting.public_id),
            )
        else:
            continue
        yield _meeting_item(
            meeting,
            code=code,
            title=title,
            due=None,
            severity=INFO,
            audience=OFFICE,
            url=url,
        )


@provider("meetings.failed_deliveries")
def failed_deliveries(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Meetings and network days not over yet with invitations whose delivery failed (2
    queries, both shared)."""
    if not access.is_coordination:
        return
    now = moment(today)
    for meeting in _meetings(access, today):
        if not meeting.failed or meeting.ends_at < now or meeting.state == MeetingState.CANCELLED:
            continue
        yield _meeting_item(
            meeting,
            code="meetings.delivery_failed",
            title=_("Einladung erneut senden"),
            note=ngettext(
                "%(n)s Einladung nicht zugestellt",
                "%(n)s Einladungen nicht zugestellt",
                meeting.failed,
            )
            % {"n": meeting.failed},
            due=meeting.starts_at,
            severity=DANGER,
            audience=OFFICE,
            url=_meeting_url(access, meeting.public_id, "einladung"),
        )
    for day in _days(access, today):
        if not day.failed:
            continue
        yield WorkItem(
            code="meetings.network_day_delivery_failed",
            title=_("Einladung zum Netzwerktag prüfen"),
            record_kind="network_day",
            record_id=day.public_id,
            record_label=str(day),
            note=ngettext(
                "%(n)s Einladung nicht zugestellt",
                "%(n)s Einladungen nicht zugestellt",
                day.failed,
            )
            % {"n": day.failed},
            due=day.starts_at,
            severity=DANGER,
            audience=OFFICE,
            url=_url("networkdays:networkday_detail", access, day.public_id),
        )


@provider("meetings.invitations_due")
def invitations_due(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Planned meetings ahead inside their body's invitation period (today is on or after
    the start minus the period), not invited yet (1 query, shared)."""
    if not access.is_coordination:
        return
    now = moment(today)
    for meeting in _meetings(access, today):
        if not _ahead(meeting, now, MeetingState.PLANNED):
            continue
        deadline = meeting.day - datetime.timedelta(days=meeting.body.invitation_period_days)
        if today < deadline:
            continue
        yield _meeting_item(
            meeting,
            code="meetings.invitation_due",
            title=_("Einladung versenden"),
            note=_("Einladungsfrist: %(days)s Tage")
            % {"days": meeting.body.invitation_period_days},
            due=deadline,
            severity=DANGER if deadline < today else WARNING,
            audience=OFFICE,
            url=_url("meetings:meeting_invite", access, meeting.public_id),
        )


def _voting_seat_ids(seats: list[tuple], day: datetime.date) -> set[int]:
    return {
        pk
        for pk, valid_from, valid_to in seats
        if valid_from <= day and (valid_to is None or valid_to >= day)
    }


_EXPECTED, _VOTING = 1, 2  # the kinds of `_quorum_rows`


@prepared
def _quorum_rows(network_id: int, now: datetime.datetime):
    """What `quorum_at_risk` counts, in one round trip (a `UNION ALL` of two selections):
    rows `(EXPECTED, meeting, seat, None, None)`, one per invitation of the invited meetings
    ahead that promises its seat (attend, or send my substitute: what `selectors.quorum`
    counts as expected), and rows `(VOTING, body, seat, valid_from, valid_to)`, one per
    voting seat of the network's bodies."""
    expected = (
        Invitation.objects.filter(
            meeting__in=Meeting.objects.filter(
                network_id=network_id, state=MeetingState.INVITED, starts_at__gte=now
            ).exclude(body__quorum_rule=QuorumRule.NONE),
            membership__isnull=False,
            reply__in=selectors.EXPECTED_REPLIES,
        )
        .annotate(
            row_kind=Value(_EXPECTED, output_field=IntegerField()),
            row_from=Value(None, output_field=DateField()),
            row_to=Value(None, output_field=DateField()),
        )
        .order_by()
        .values_list("row_kind", "meeting_id", "membership__seat_id", "row_from", "row_to")
    )
    voting = (
        BodySeat.objects.filter(network_id=network_id, voting=True)
        .annotate(row_kind=Value(_VOTING, output_field=IntegerField()))
        .order_by()
        .values_list("row_kind", "body_id", "pk", "valid_from", "valid_to")
    )
    return expected.union(voting, all=True).order_by()  # no ordering: Invitation has one


@provider("meetings.quorum_at_risk")
def quorum_at_risk(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Invited meetings ahead whose voting seats expected from the replies fall short of the
    quorum (2 queries: the meetings, shared; the seats their invitations promise together
    with the voting seats of their bodies; the count is `meetings.selectors.quorum_of`'s)."""
    if not access.is_coordination:
        return
    now = moment(today)
    meetings = [
        m
        for m in _meetings(access, today)
        if _ahead(m, now, MeetingState.INVITED) and m.body.quorum_rule != QuorumRule.NONE
    ]
    if not meetings:
        return
    expected: dict[int, set[int]] = {}
    seats: dict[int, list[tuple]] = {}
    for kind, of, seat_id, valid_from, valid_to in _quorum_rows(
        network_id=access.network.pk, now=now
    ):
        if kind == _EXPECTED:
            expected.setdefault(of, set()).add(seat_id)
        else:
            seats.setdefault(of, []).append((seat_id, valid_from, valid_to))
    for meeting in meetings:
        quorum = selectors.quorum_of(
            meeting.body,
            _voting_seat_ids(seats.get(meeting.body_id, []), meeting.day),
            present=set(),
            expected=expected.get(meeting.pk, set()),
        )
        if quorum.needed is None or quorum.expected_reached:
            continue
        yield _meeting_item(
            meeting,
            code="meetings.quorum_at_risk",
            title=_("Beschlussfähigkeit gefährdet"),
            note=_("%(expected)s von %(needed)s nötigen stimmberechtigten Sitzen zugesagt")
            % {"expected": quorum.expected, "needed": quorum.needed},
            due=meeting.starts_at,
            severity=WARNING,
            audience=OFFICE,
            url=_meeting_url(access, meeting.public_id, "einladung"),
        )


@provider("meetings.overdue_tasks")
def overdue_tasks(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Tasks from the minutes past their due day and not done, whoever owns them (1 query,
    shared with `my_tasks`)."""
    if not access.is_coordination:
        return
    title = _("Überfällige Aufgabe nachhalten")
    for task in _tasks(access, today)[1]:
        yield _task_item(
            access,
            task,
            today,
            code="meetings.task_overdue",
            title=title,
            note=_("zuständig: %(owner)s") % {"owner": selectors.task_row_owner(task) or "–"},
            audience=OFFICE,
        )


@provider("meetings.replies_missing")
def replies_missing(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    """Invited meetings in the next 7 days with invitees who have not answered (1 query,
    shared)."""
    if not access.is_coordination:
        return
    now = moment(today)
    until = start_of(today + datetime.timedelta(days=REPLY_WINDOW_DAYS + 1))
    for meeting in _meetings(access, today):
        if not meeting.missing or not _ahead(meeting, now, MeetingState.INVITED):
            continue
        if meeting.starts_at >= until:
            continue
        yield _meeting_item(
            meeting,
            code="meetings.replies_missing",
            title=_("Fehlende Antworten nachfragen"),
            note=ngettext("%(n)s Antwort fehlt", "%(n)s Antworten fehlen", meeting.missing)
            % {"n": meeting.missing},
            due=meeting.starts_at,
            severity=WARNING,
            audience=OFFICE,
            url=_meeting_url(access, meeting.public_id, "einladung"),
        )
