"""What the topics ask of people (`core.workqueue`): a statement for each seat a person
speaks for while the advisory board collects them; for the coordination office, the topics
that wait with it (to hand on to the advisory board, or past their deadline for
statements, results to return, recommendations and decisions to record). Both providers
share one query (`_rows`, a `UNION ALL` for the office)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from uebergang.bodies.models import Membership
from uebergang.core.navigation import record_url
from uebergang.core.prepared import count_of, prepared
from uebergang.core.workqueue import DANGER, INFO, OFFICE, WARNING, WorkItem, provider, shared

from .models import Referral, ReferralRole, Statement, Topic, TopicState
from .rules import seats_spoken_for_ids

SOON_DAYS = 7  # a statement due within this many days is a warning
# the kinds of rows of `_rows`
_DUE, _REFER, _LATE, _MANDATE, _MANDATE_LATE, _RETURN, _RECOMMEND, _DECIDE = range(1, 9)
R = "body__referrals_in__"  # from a seat to the hand-overs of its body


def _due(network_id: int, user_id: int, day: datetime.date):
    """Rows (DUE, topic, title, deadline, seat, 0): a seat the user speaks for whose body
    collects statements on a topic, without its statement yet."""
    given = Statement.objects.filter(referral_id=OuterRef(f"{R}pk"), seat_id=OuterRef("pk"))
    return (
        seats_spoken_for_ids(user_id=user_id, network_id=network_id, day=day)
        .filter(
            ~Exists(given),
            **{
                f"{R}closed_at__isnull": True,
                f"{R}role": ReferralRole.STATEMENTS,
                f"{R}topic__state": TopicState.STATEMENTS,
                f"{R}topic__paused_at__isnull": True,
                f"{R}topic__deleted_at__isnull": True,
            },
        )
        .annotate(
            row_kind=Value(_DUE, output_field=IntegerField()),
            row_seat=Coalesce("partner__name", "constituency_seat__name"),
            row_count=Value(0, output_field=IntegerField()),
        )
        .order_by()
        .values_list(
            "row_kind",
            f"{R}topic__public_id",
            f"{R}topic__title",
            f"{R}due_date",
            "row_seat",
            "row_count",
        )
    )


def _open_mandates(network_id: int):
    return Referral.objects.filter(
        network_id=network_id,
        role=ReferralRole.MANDATE,
        closed_at__isnull=True,
        result_at__isnull=True,
        topic__state=TopicState.WORKING,
        topic__paused_at__isnull=True,
        topic__deleted_at__isnull=True,
    )


def _mandate_rows(qs, kind: int):
    return (
        qs.annotate(
            row_kind=Value(kind, output_field=IntegerField()),
            row_seat=F("to_body__name"),
            row_count=Value(0, output_field=IntegerField()),
        )
        .order_by()
        .values_list(
            "row_kind", "topic__public_id", "topic__title", "due_date", "row_seat", "row_count"
        )
    )


def _mandates_due(network_id: int, user_id: int, day: datetime.date):
    """Rows (MANDATE, topic, title, due, working group, 0): a mandate of a working group the
    user sits in, without its result yet."""
    sat = Membership.objects.valid_on(day).filter(
        network_id=network_id, person__user_id=user_id, person__deleted_at__isnull=True
    )
    return _mandate_rows(
        _open_mandates(network_id).filter(to_body_id__in=sat.values("body_id")), _MANDATE
    )


def _mandates_late(network_id: int, day: datetime.date):
    """Rows (MANDATE_LATE, …): mandates past their due date without a result (the office)."""
    return _mandate_rows(_open_mandates(network_id).filter(due_date__lt=day), _MANDATE_LATE)


def _waiting(network_id: int, day: datetime.date):
    """Rows (REFER, LATE, RETURN, RECOMMEND or DECIDE, topic, title, deadline, "",
    statements): topics with the decision board to hand on, topics whose deadline for
    statements has passed, results to return, recommendations and decisions to record."""
    current = Referral.objects.filter(
        topic=OuterRef("pk"), closed_at__isnull=True, to_body=OuterRef("body")
    )
    late = current.filter(due_date__lt=day, role=ReferralRole.STATEMENTS)
    pending = Referral.objects.filter(
        topic=OuterRef("pk"),
        role=ReferralRole.MANDATE,
        closed_at__isnull=True,
        result_at__isnull=True,
    )
    return (
        Topic.objects.filter(network_id=network_id, paused_at__isnull=True)
        .filter(
            Q(state=TopicState.BOARD)
            | Q(Exists(late), state=TopicState.STATEMENTS)
            | Q(~Exists(pending), state=TopicState.WORKING)
            | Q(state__in=(TopicState.RECOMMENDATION, TopicState.DECISION))
        )
        .annotate(
            row_kind=Case(
                When(state=TopicState.BOARD, then=Value(_REFER)),
                When(state=TopicState.WORKING, then=Value(_RETURN)),
                When(state=TopicState.RECOMMENDATION, then=Value(_RECOMMEND)),
                When(state=TopicState.DECISION, then=Value(_DECIDE)),
                default=Value(_LATE),
                output_field=IntegerField(),
            ),
            row_due=Subquery(current.values("due_date")[:1], output_field=DateField()),
            row_seat=Value("", output_field=CharField()),
            row_count=count_of(
                Statement.objects.filter(referral__closed_at__isnull=True), "referral__topic"
            ),
        )
        .order_by()
        .values_list("row_kind", "public_id", "title", "row_due", "row_seat", "row_count")
    )


@prepared
def _person_rows(network_id: int, user_id: int, day: datetime.date):
    return (
        _due(network_id, user_id, day)
        .union(_mandates_due(network_id, user_id, day), all=True)
        .order_by()
    )


@prepared
def _office_rows(network_id: int, user_id: int, day: datetime.date):
    return (
        _due(network_id, user_id, day)
        .union(
            _mandates_due(network_id, user_id, day),
            _waiting(network_id, day),
            _mandates_late(network_id, day),
            all=True,
        )
        .order_by()
    )


def _rows(access: Any, today: datetime.date) -> list[tuple]:
    def load() -> list[tuple]:
        if not access.signed_in:
            return []
        build = _office_rows if access.is_coordination else _person_rows
        return list(build(network_id=access.network.pk, user_id=access.user.pk, day=today))

    rows = shared("topics.rows", load)
    return sorted(rows, key=lambda r: (r[3] or datetime.date.max, r[2], str(r[1])))


def _by_deadline(due: datetime.date | None, today: datetime.date) -> str:
    """Overdue: danger; due within SOON_DAYS: warning; else a reminder."""
    if due is not None and due < today:
        return DANGER
    if due is not None and (due - today).days <= SOON_DAYS:
        return WARNING
    return INFO


def _url(access: Any, topic_id: Any) -> str:
    return record_url("topics:topic_detail", access.network.slug, topic_id)


@provider("topics.statements_due")
def statements_due(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    for kind, topic_id, title, due, seat, _count in _rows(access, today):
        if kind != _DUE:
            continue
        yield WorkItem(
            code="topics.statement",
            title=_("Stellungnahme abgeben"),
            record_kind="topic",
            record_id=topic_id,
            record_label=title,
            url=_url(access, topic_id),
            due=due,
            severity=_by_deadline(due, today),
            note=_("für den Sitz „%(seat)s“") % {"seat": seat},
        )


@provider("topics.mandates_due")
def mandates_due(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    for kind, topic_id, title, due, group, _count in _rows(access, today):
        if kind != _MANDATE:
            continue
        yield WorkItem(
            code="topics.mandate",
            title=_("Ergebnis des Arbeitsauftrags liefern"),
            record_kind="topic",
            record_id=topic_id,
            record_label=title,
            url=_url(access, topic_id),
            due=due,
            severity=_by_deadline(due, today),
            note=_("für „%(body)s“") % {"body": group},
        )


@provider("topics.waiting_with_office")
def waiting_with_office(access: Any, today: datetime.date) -> Iterator[WorkItem]:
    if not access.is_coordination:
        return
    for kind, topic_id, title, due, seat, count in _rows(access, today):
        if kind in (_DUE, _MANDATE):
            continue
        if kind in (_RECOMMEND, _DECIDE):
            recommend = kind == _RECOMMEND
            yield WorkItem(
                code="topics.recommend" if recommend else "topics.decide",
                title=(
                    _("Empfehlung des Beirats eintragen")
                    if recommend
                    else _("Entscheidung des Entscheidungsgremiums eintragen")
                ),
                record_kind="topic",
                record_id=topic_id,
                record_label=title,
                url=_url(access, topic_id),
                due=due,
                severity=_by_deadline(due, today) if due else INFO,
                audience=OFFICE,
            )
            continue
        if kind in (_MANDATE_LATE, _RETURN):
            late = kind == _MANDATE_LATE
            yield WorkItem(
                code="topics.mandate_late" if late else "topics.return",
                title=(
                    _("Arbeitsauftrag überfällig: nachfragen")
                    if late
                    else _("Ergebnisse an den Beirat zurückgeben")
                ),
                record_kind="topic",
                record_id=topic_id,
                record_label=title,
                url=_url(access, topic_id),
                due=due if late else None,
                severity=DANGER if late else INFO,
                audience=OFFICE,
                note=_("bei „%(body)s“") % {"body": seat} if late else "",
            )
            continue
        board = kind == _REFER
        yield WorkItem(
            code="topics.refer" if board else "topics.statements_late",
            title=(
                _("Thema an den Beirat weitergeben")
                if board
                else _("Frist für Stellungnahmen abgelaufen: auswerten und weitergeben")
            ),
            record_kind="topic",
            record_id=topic_id,
            record_label=title,
            url=_url(access, topic_id),
            due=None if board else due,
            severity=INFO if board else WARNING,
            audience=OFFICE,
            note="" if board else _("%(n)s Stellungnahmen liegen vor") % {"n": count},
        )
