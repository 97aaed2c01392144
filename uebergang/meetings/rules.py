"""Permissions of meetings and the network day, registered with `core.permissions`.

The coordination office manages everything; a member sees the meetings and documents of
the bodies they sit in (a guest expert only during the guest period), replies to their own
invitations and subscribes to calendar feeds of those bodies. Non-public agenda items and
their documents are for the body's members only – the same people here, since outsiders
never see a meeting at all; the public site (later issue) shows only public items."""

from __future__ import annotations

from uebergang.core.permissions import register_rule

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
        access.is_coordination
        or (access.is_member and obj is not None and obj.user_id == getattr(access.user, "pk", 0))
    ),
)
