"""Permissions of the topics, registered with `core.permissions`.

Who sees a topic (issue "topics", "Who sees what"): the coordination office, and the
members of every body the topic has passed through: the board that brought it in, the body
it waits with, every body it was handed to. A confidential topic only the members of the
body it waits with (and the office). Who speaks for a seat of a body (the partner's
representative, the constituency seat's holder) follows its topics as its members do."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from uebergang.bodies.models import Body, BodyKind, BodySeat, MemberRole, Membership
from uebergang.core.models import Network
from uebergang.core.permissions import Access, register_rule
from uebergang.core.prepared import prepared
from uebergang.networks.models import Representation, SeatHolding

from .models import Referral, ReferralRole, Topic


def visible_q(bodies: QuerySet[Body]) -> Q:
    """Topics seen by someone who sits in `bodies`."""
    handed = Referral.objects.filter(topic=OuterRef("pk"), to_body__in=bodies)
    working_on = handed.filter(closed_at__isnull=True)  # several working groups at once
    return (
        Q(body__in=bodies)
        | Exists(working_on)
        | (Q(confidential=False) & (Q(origin__in=bodies) | Exists(handed)))
    )


def visible_topics(access: Access) -> QuerySet[Topic]:
    """The topics of the network the actor may see."""
    if access.is_coordination:
        return Topic.objects.filter(network=access.network)
    if not access.is_member or not access.signed_in:
        return Topic.objects.none()
    return member_topics(
        network_id=access.network.pk, user_id=access.user.pk, day=timezone.localdate()
    )


def member_topics(*, network_id: int, user_id: int, day: datetime.date) -> QuerySet[Topic]:
    """The topics a member sees, from ids (for prepared queries): those of the bodies they
    sit in on `day`, and of the bodies where they speak for a seat (as the partner's
    representative or the constituency seat's holder)."""
    sat = Membership.objects.valid_on(day).filter(
        network_id=network_id, person__user_id=user_id, person__deleted_at__isnull=True
    )
    spoken = seats_spoken_for_ids(user_id=user_id, network_id=network_id, day=day)
    bodies = Body.all_objects.filter(
        Q(pk__in=sat.values("body_id")) | Q(pk__in=spoken.values("body_id"))
    )
    return Topic.objects.filter(network_id=network_id).filter(visible_q(bodies))


@prepared
def _member_sees(network_id: int, user_id: int, topic_id: int, day: datetime.date):
    return (
        member_topics(network_id=network_id, user_id=user_id, day=day)
        .filter(pk=topic_id)
        .order_by()
        .values_list("pk")[:1]
    )


def _sees(access: Access, topic: Any) -> bool:
    if not isinstance(topic, Topic) or topic.network_id != access.network.pk:
        return False
    if access.is_coordination:
        return True
    if not access.is_member or not access.signed_in:
        return False
    rows = _member_sees(
        network_id=access.network.pk,
        user_id=access.user.pk,
        topic_id=topic.pk,
        day=timezone.localdate(),
    )
    return bool(list(rows))


def seats_spoken_for(user: Any, network: Network, day: datetime.date) -> QuerySet[BodySeat]:
    """The seats of the network for which this user may give a statement today: seats they
    sit on (member or substitute), seats of a partner they represent, seats of a
    constituency they hold."""
    return seats_spoken_for_ids(user_id=user.pk, network_id=network.pk, day=day)


def seats_spoken_for_ids(
    *, user_id: int, network_id: int, day: datetime.date
) -> QuerySet[BodySeat]:
    """`seats_spoken_for` from ids (for prepared queries)."""
    on_seat = Membership.objects.valid_on(day).filter(
        network_id=network_id,
        person__user_id=user_id,
        person__deleted_at__isnull=True,
        role__in=[MemberRole.MEMBER, MemberRole.SUBSTITUTE],
        seat=OuterRef("pk"),
    )
    representing = Representation.objects.valid_on(day).filter(
        Q(person__user_id=user_id)
        | Q(institution__staff__user_id=user_id, institution__staff__deleted_at__isnull=True),
        network_id=network_id,
        partner=OuterRef("partner"),
    )
    holding = SeatHolding.objects.valid_on(day).filter(
        network_id=network_id, person__user_id=user_id, seat=OuterRef("constituency_seat")
    )
    return BodySeat.objects.valid_on(day).filter(
        Exists(on_seat) | Exists(representing) | Exists(holding), network_id=network_id
    )


@prepared
def _speaks_for_seat(network_id: int, user_id: int, seat_id: int, day: datetime.date):
    return (
        seats_spoken_for_ids(user_id=user_id, network_id=network_id, day=day)
        .filter(pk=seat_id)
        .order_by()
        .values_list("pk")[:1]
    )


def _speaks_for(access: Access, seat: Any) -> bool:
    if not isinstance(seat, BodySeat) or seat.network_id != access.network.pk:
        return False
    if access.is_coordination:
        return True
    if not access.is_member or not access.signed_in:
        return False
    rows = _speaks_for_seat(
        network_id=access.network.pk,
        user_id=access.user.pk,
        seat_id=seat.pk,
        day=timezone.localdate(),
    )
    return bool(list(rows))


def _may_open(access: Access, board: Any) -> bool:
    """The office opens for any decision board; a member for a board they sit in. Without
    a board: may this person open topics at all (the link on the list)."""
    if access.is_coordination:
        return True
    if not access.is_member:
        return False
    boards = access.scope("sits_in_body").filter(kind=BodyKind.DECISION_BOARD)
    if board is None:
        return boards.exists()
    return isinstance(board, Body) and boards.filter(pk=board.pk).exists()


def _may_edit(access: Access, topic: Any) -> bool:
    if access.is_coordination:
        return True
    return (
        isinstance(topic, Topic)
        and access.signed_in
        and topic.opened_by_id is not None
        and topic.opened_by.user_id == access.user.pk
    )


TOPICS_LIST = register_rule("topics.list", lambda access, obj: access.is_member)
TOPIC_VIEW = register_rule("topic.view", _sees)
TOPIC_OPEN = register_rule("topic.open", _may_open)
TOPIC_EDIT = register_rule("topic.edit", _may_edit)
# Every hand-over, pause, resume and withdrawal goes through the coordination office
# (seed II.1.e).
TOPIC_MANAGE = register_rule("topic.manage", lambda access, obj: access.is_coordination)
STATEMENT_GIVE = register_rule("topic.statement", _speaks_for)


def _in_working_group(access: Access, referral: Any) -> bool:
    """The office, or a member of the working group the mandate went to."""
    if not isinstance(referral, Referral) or referral.network_id != access.network.pk:
        return False
    if access.is_coordination:
        return True
    return (
        referral.role == ReferralRole.MANDATE
        and access.is_member
        and access.related("sits_in_body", referral.to_body)
    )


RESULT_GIVE = register_rule("topic.result", _in_working_group)
