"""The people of the registry with their memberships in bodies, as a table for Excel
(`core.tabular`). It lives in `bodies` because it joins both apps (the registry sits below
the bodies and knows nothing of them); the link is on the people list.

A selector: it asks the permission of the people list (`REGISTRY_VIEW`); a member reads the
memberships only of the bodies they sit in (`BODY_VIEW`, as the body pages), and the e-mail
address and phone number only the coordination office (the list shows them to nobody; the
office keeps the registry). Three queries, whatever the number of people; writes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core.models import Network
from uebergang.core.permissions import Access, access_for, authorize
from uebergang.core.tabular import Table
from uebergang.networks import selectors as network_selectors
from uebergang.networks.rules import REGISTRY_VIEW

from .models import Body, Membership


def people_table(
    *, actor: Any, network: Network, q: str = "", as_of: datetime.date | None = None
) -> Table:
    """The people of the list (same search), one row per membership on the day (default
    today) in a body the actor may see; a person without one has a row of their own."""
    authorize(actor, network, REGISTRY_VIEW)
    access = actor if isinstance(actor, Access) else access_for(actor, network)
    day = as_of or timezone.localdate()
    office = access.is_coordination
    bodies = Body.objects.filter(network=network)
    if not office:
        bodies = bodies.filter(pk__in=access.scope("sits_in_body").values("pk"))
    memberships = (
        Membership.objects.valid_on(day)
        .filter(body__in=bodies)
        .select_related(
            "body", "seat__partner", "seat__constituency_seat", "substitute_for__person"
        )
        .order_by("body__name", "valid_from", "pk")
    )
    people = network_selectors.person_list(network=network, q=q).prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="memberships_then")
    )
    headers = [
        _("Nachname"),
        _("Vorname"),
        _("Titel / Anrede"),
        _("Funktion"),
        _("Institution"),
        *([_("E-Mail"), _("Telefon")] if office else []),
        _("Benutzerkonto"),
        _("Gremium"),
        _("Rolle"),
        _("Sitz"),
        _("vertritt"),
        _("Mitglied seit"),
        _("Mitglied bis"),
    ]
    rows: list[list[Any]] = []
    for p in people:
        head = [
            p.last_name,
            p.first_name,
            p.title,
            p.function,
            p.organisation.name if p.organisation_id else None,
            *([p.email, p.phone] if office else []),
            p.user_id is not None,
        ]
        if not p.memberships_then:
            rows.append([*head, None, None, None, None, None, None])
        for m in p.memberships_then:
            rows.append(
                [
                    *head,
                    m.body.name,
                    m.role_label,
                    str(m.seat) if m.seat_id else None,
                    str(m.substitute_for.person) if m.substitute_for_id else None,
                    m.valid_from,
                    m.valid_to,
                ]
            )
    return Table(title=_("Personen"), headers=headers, rows=rows)
