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

from .models import ActionItem, CalendarFeed, Invitation, InvitationKind

MEETINGS_MANAGE = register_rule("meetings.manage", lambda access, obj: access.is_coordination)
MEETING_VIEW = register_rule(
    "meeting.view",
    lambda access, obj: (
        access.is_coordination
        or (access.is_member and obj is not None and access.related("sits_in_body", obj.body))
    ),
)
NETWORKDAYS_VIEW = register_rule("networkdays.view", lambda access, obj: access.is_member)
NETWORKDAYS_MANAGE = register_rule("networkdays.manage", lambda access, obj: access.is_coordination)
# A calendar feed (its secret address) is its owner's; the coordination office sees all.
CALENDARFEED_VIEW = register_rule(
    "calendarfeed.view",
    lambda access, obj: (
        access.is_coordination or (access.is_member and access.related("own_feed", obj))
    ),
)
CALENDARFEED_REVOKE = register_rule(
    "calendarfeed.revoke",
    lambda access, obj: access.is_coordination or access.related("own_feed", obj),
)

# Ownership: one's own invitation, registration (as the person) and calendar feed. Each
# relation answers for one record in memory and offers its queryset as a scope; both are
# asked only for a signed-in user (core.permissions.Access).


def _own_invitation(user: Any, network: Network, obj: Any) -> bool:
    return (
        isinstance(obj, Invitation) and obj.person_id is not None and obj.person.user_id == user.pk
    )


def _is_person(user: Any, network: Network, obj: Any) -> bool:
    return isinstance(obj, Person) and obj.user_id == user.pk


def _own_feed(user: Any, network: Network, obj: Any) -> bool:
    return isinstance(obj, CalendarFeed) and obj.user_id == user.pk


register_relation(
    "own_invitation",
    _own_invitation,
    scope=lambda user, network: Invitation.all_objects.filter(
        network=network, person__user=user, person__deleted_at__isnull=True
    ),
)
register_relation(
    "is_person",
    _is_person,
    scope=lambda user, network: Person.objects.filter(network=network, user=user),
)
register_relation(
    "own_feed",
    _own_feed,
    scope=lambda user, network: CalendarFeed.all_objects.filter(network=network, user=user),
)

# An invitee answers their own invitation; the office answers for anyone. Institutions
# invited for information do not answer.
INVITATION_REPLY = register_rule(
    "invitation.reply",
    lambda access, obj: (
        obj is not None
        and obj.kind == InvitationKind.INVITEE
        and (access.is_coordination or access.related("own_invitation", obj))
    ),
)
# A member registers themselves for the network day; the office registers anyone.
NETWORKDAY_REGISTER = register_rule(
    "networkday.register",
    lambda access, person: (
        access.is_coordination or (person is not None and access.related("is_person", person))
    ),
)


# A task from the minutes is followed up (in progress, done, dropped, with a note) by the
# office, by the person responsible for it and by the representatives of the institution
# responsible for it.
def _follows_task(access: Any, task: Any) -> bool:
    if not isinstance(task, ActionItem):
        return False
    if task.owner_id is not None and access.related("is_person", task.owner):
        return True
    return task.partner_id is not None and access.related("represents", task.partner)


TASK_FOLLOW_UP = register_rule(
    "task.follow_up",
    lambda access, obj: access.is_coordination or (access.is_member and _follows_task(access, obj)),
)
