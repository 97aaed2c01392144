"""Permissions of meetings and the network day, registered with `core.permissions`.

The coordination office manages everything; a member sees the meetings and documents of
the bodies they sit in (a guest expert only during the guest period), replies to their own
invitations and subscribes to calendar feeds of those bodies. Non-public agenda items and
their documents are for the body's members only – the same people here, since outsiders
never see a meeting at all; the public site (later issue) shows only public items."""

from __future__ import annotations

from typing import Any

from uebergang.core.models import Network
from uebergang.core.permissions import register_relation, register_rule
from uebergang.networks.models import Person

from .models import CalendarFeed, Invitation, InvitationKind

register_rule("meetings.manage", lambda access, obj: access.is_coordination)
register_rule(
    "meeting.view",
    lambda access, obj: (
        access.is_coordination
        or (access.is_member and obj is not None and access.related("sits_in_body", obj.body))
    ),
)
register_rule("networkdays.view", lambda access, obj: access.is_member)
register_rule("networkdays.manage", lambda access, obj: access.is_coordination)
# A calendar feed (its secret address) is its owner's; the coordination office sees all.
register_rule(
    "calendarfeed.view",
    lambda access, obj: (
        access.is_coordination or (access.is_member and access.related("own_feed", obj))
    ),
)
register_rule(
    "calendarfeed.revoke",
    lambda access, obj: access.is_coordination or access.related("own_feed", obj),
)

# Ownership: one's own invitation, registration (as the person) and calendar feed. Each
# relation answers for one record in memory and offers its queryset as a scope.


def _user_pk(user: Any) -> Any:
    return getattr(user, "pk", None)


def _own_invitation(user: Any, network: Network, obj: Any) -> bool:
    return (
        isinstance(obj, Invitation)
        and obj.person_id is not None
        and _user_pk(user) is not None
        and obj.person.user_id == _user_pk(user)
    )


def _is_person(user: Any, network: Network, obj: Any) -> bool:
    return isinstance(obj, Person) and _user_pk(user) is not None and obj.user_id == _user_pk(user)


def _own_feed(user: Any, network: Network, obj: Any) -> bool:
    return (
        isinstance(obj, CalendarFeed)
        and _user_pk(user) is not None
        and obj.user_id == _user_pk(user)
    )


register_relation(
    "own_invitation",
    _own_invitation,
    scope=lambda user, network: (
        Invitation.all_objects.filter(
            network=network, person__user=user, person__deleted_at__isnull=True
        )
        if _user_pk(user) is not None
        else Invitation.all_objects.none()
    ),
)
register_relation(
    "is_person",
    _is_person,
    scope=lambda user, network: (
        Person.objects.filter(network=network, user=user)
        if _user_pk(user) is not None
        else Person.objects.none()
    ),
)
register_relation(
    "own_feed",
    _own_feed,
    scope=lambda user, network: (
        CalendarFeed.all_objects.filter(network=network, user=user)
        if _user_pk(user) is not None
        else CalendarFeed.all_objects.none()
    ),
)

# An invitee answers their own invitation; the office answers for anyone. Institutions
# invited for information do not answer.
register_rule(
    "invitation.reply",
    lambda access, obj: (
        obj is not None
        and obj.kind == InvitationKind.INVITEE
        and (access.is_coordination or access.related("own_invitation", obj))
    ),
)
# A member registers themselves for the network day; the office registers anyone.
register_rule(
    "networkday.register",
    lambda access, person: (
        access.is_coordination or (person is not None and access.related("is_person", person))
    ),
)
