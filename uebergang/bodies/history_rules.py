"""Who reads the history of the bodies (see `core.visibility`): the rule of the body's page
("body.view": the coordination office, and the members who sit in the body today)."""

from __future__ import annotations

from django.db.models import QuerySet

from uebergang.bodies.rules import BODY_VIEW
from uebergang.core.permissions import Access
from uebergang.core.visibility import objects_in, parents_in, register_history_kind

from .models import Body, Membership

BODY = "bodies.body"
DATED = {"valid_from", "valid_to"}


def bodies_seen(access: Access) -> QuerySet[Body]:
    """The bodies the actor may see as a member (the relation "sits_in_body")."""
    return access.scope("sits_in_body")


def _own_memberships(access: Access):
    return objects_in(Membership.all_objects.filter(person__user=access.user))


register_history_kind(
    BODY,
    permission=BODY_VIEW,
    visible=lambda access: objects_in(bodies_seen(access)),
    public={
        *DATED,
        "name",
        "kind",
        "short_name",
        "topic_area",
        "description",
        "invitation_period_days",
        "quorum_rule",
        "quorum_minimum",
    },
)
register_history_kind(
    "bodies.bodyseat",
    permission=BODY_VIEW,
    guard=lambda seat: seat.body,
    visible=lambda access: parents_in(BODY, bodies_seen(access)),
    public={*DATED, "body", "partner", "constituency_seat", "voting"},
)
register_history_kind(
    "bodies.membership",
    permission=BODY_VIEW,
    guard=lambda membership: membership.body,
    visible=lambda access: parents_in(BODY, bodies_seen(access)),
    public={*DATED, "body", "person", "seat", "role", "substitute_for"},
    personal={"note"},
    concerns=_own_memberships,
)
register_history_kind(
    "bodies.office",
    permission=BODY_VIEW,
    guard=lambda office: office.membership.body,
    visible=lambda access: parents_in(BODY, bodies_seen(access)),
    public={*DATED, "membership", "kind"},
)
