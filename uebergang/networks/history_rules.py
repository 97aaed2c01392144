"""Who reads the history of the network registry (see `core.visibility`): every member
reads the registry ("registry.view"); contact details and notes of people are personal and
shown only to the coordination office and to the person."""

from __future__ import annotations

from uebergang.core.permissions import NETWORK_VIEW
from uebergang.core.visibility import objects_in, register_history_kind
from uebergang.networks.rules import REGISTRY_VIEW

from .models import Person, Representation

DATED = {"valid_from", "valid_to"}

register_history_kind(
    "networks.partner",
    permission=REGISTRY_VIEW,
    public={
        *DATED,
        "name",
        "short_name",
        "kind",
        "is_party",
        "description",
        "address",
        "email",  # the institution's address, not a person's
        "phone",
        "website",
        "end_reason",
        "end_note",
    },
)
register_history_kind(
    "networks.succession",
    permission=REGISTRY_VIEW,
    public={"predecessor", "successor", "date", "note"},
)
register_history_kind(
    "networks.person",
    permission=REGISTRY_VIEW,
    public={"title", "first_name", "last_name", "function", "organisation"},
    personal={"email", "phone", "user", "note"},
    concerns=lambda access: objects_in(Person.all_objects.filter(user=access.user)),
)
register_history_kind(
    "networks.representation",
    permission=REGISTRY_VIEW,
    public={*DATED, "partner", "institution", "person", "function"},
    personal={"note"},
    concerns=lambda access: objects_in(Representation.all_objects.filter(person__user=access.user)),
)
register_history_kind(
    "networks.constituencyseat", permission=REGISTRY_VIEW, public={*DATED, "name", "description"}
)
register_history_kind(
    "networks.seatassignment", permission=REGISTRY_VIEW, public={*DATED, "seat", "partner"}
)
register_history_kind(
    "networks.seatholding", permission=REGISTRY_VIEW, public={*DATED, "seat", "person"}
)
# The logo of the letterhead: every member sees it on the invitations; no personal data.
register_history_kind(
    "networks.networklogo",
    permission=NETWORK_VIEW,
    public={"file_name", "content_type", "size", "sha256"},
)
