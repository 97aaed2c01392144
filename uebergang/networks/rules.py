"""Permissions and relations of the network registry, registered with `core.permissions`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from uebergang.core.models import Network
from uebergang.core.permissions import register_relation, register_rule

from .models import ConstituencySeat, Partner, Representation, SeatHolding


def _represents(user: Any, network: Network, partner: Any) -> bool:
    """The user's person represents the partner today (as a person, or as staff of the
    representing institution)."""
    if not isinstance(partner, Partner):
        return False
    today = timezone.localdate()
    qs = Representation.objects.valid_on(today).filter(network=network, partner=partner)
    return (
        qs.filter(person__user=user).exists()
        or qs.filter(
            institution__staff__user=user, institution__staff__deleted_at__isnull=True
        ).exists()
    )


def _holds_seat(user: Any, network: Network, seat: Any) -> bool:
    if not isinstance(seat, ConstituencySeat):
        return False
    return (
        SeatHolding.objects.valid_on(timezone.localdate())
        .filter(network=network, seat=seat, person__user=user)
        .exists()
    )


register_relation("represents", _represents)
register_relation("holds_seat", _holds_seat)

# Members read the registry; the coordination office keeps it. A partner's representative
# may correct the partner's contact details; a seat holder may read the seat's contacts.
REGISTRY_VIEW = register_rule("registry.view", lambda access, obj: access.is_member)
REGISTRY_MANAGE = register_rule("registry.manage", lambda access, obj: access.is_coordination)
PARTNER_EDIT_CONTACT = register_rule(
    "partner.edit_contact",
    lambda access, obj: (
        access.is_coordination or (access.is_member and access.related("represents", obj))
    ),
)
# The whole network's history is for the coordination office; a member reads the events of
# the records they may see on those records' pages (`core.visibility`).
HISTORY_VIEW = register_rule("history.view", lambda access, obj: access.is_coordination)
