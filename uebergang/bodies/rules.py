"""Permissions and relations of the bodies, registered with `core.permissions`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from uebergang.core.lifecycle import on_partner_ended
from uebergang.core.models import Network
from uebergang.core.permissions import register_relation, register_rule
from uebergang.core.prepared import prepared

from .models import Body, Membership


def bodies_sat_in(user: Any, network: Network) -> QuerySet[Body]:
    """The bodies in which the user's person has a membership today (any role; a guest
    expert's access ends with the period of the membership)."""
    sits = Membership.objects.valid_on(timezone.localdate()).filter(
        network=network, person__user=user, person__deleted_at__isnull=True
    )
    return Body.all_objects.filter(network=network, pk__in=sits.values("body_id"))


@prepared
def _sits_in(network_id: int, user_id: int, body_id: int, day: datetime.date):
    return (
        Membership.objects.valid_on(day)
        .filter(
            network_id=network_id,
            person__user_id=user_id,
            person__deleted_at__isnull=True,
            body_id=body_id,
        )
        .values_list("pk")[:1]
    )


def sits_in_body(user: Any, network: Network, body: Any) -> bool:
    """Does the user sit in `body` today: the yes/no of `bodies_sat_in` for one body, as a
    prepared query (a member's body and meeting pages ask it on every request)."""
    if not isinstance(body, Body) or body.network_id != network.pk:
        return False
    return bool(
        list(
            _sits_in(
                network_id=network.pk,
                user_id=user.pk,
                body_id=body.pk,
                day=timezone.localdate(),
            )
        )
    )


register_relation("sits_in_body", sits_in_body, scope=bodies_sat_in)

# The coordination office manages all bodies; a member sees the bodies they sit in.
BODIES_LIST = register_rule("bodies.list", lambda access, obj: access.is_member)
BODIES_MANAGE = register_rule("bodies.manage", lambda access, obj: access.is_coordination)
BODY_VIEW = register_rule(
    "body.view",
    lambda access, obj: (
        access.is_coordination or (access.is_member and access.related("sits_in_body", obj))
    ),
)


@on_partner_ended
def _end_seats_of_partner(*, actor: Any, partner: Any, last_day: Any) -> None:
    """A partner that ends gives up its seats in bodies on the same day."""
    from .services import body_seat_end

    for seat in partner.body_seats.filter(valid_to__isnull=True):
        body_seat_end(actor=actor, seat=seat, valid_to=max(last_day, seat.valid_from))
