"""The registry as tables for Excel (`core.tabular`): the partners with their
representations, as the partner list shows them. A selector: it asks the permission of the
page the data comes from (`REGISTRY_VIEW`), reads only the actor's network, in a fixed
number of queries, and writes nothing (no history: a download is a read)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core.models import Network
from uebergang.core.permissions import authorize
from uebergang.core.tabular import Table

from . import selectors
from .rules import REGISTRY_VIEW


def partner_table(
    *,
    actor: Any,
    network: Network,
    q: str = "",
    kind: str = "",
    status: str = selectors.Status.ACTIVE,
    as_of: datetime.date | None = None,
) -> Table:
    """The partners of the list (same filters, same day) with their contact details (every
    member reads them on the partner's page), one row per representation on that day (a
    partner without one has a row of its own). Two queries."""
    authorize(actor, network, REGISTRY_VIEW)
    day = as_of or timezone.localdate()
    partners = selectors.partner_list(
        network=network, q=q, kind=kind, status=status or selectors.Status.ACTIVE, as_of=as_of
    )
    headers = [
        _("Name"),
        _("Kurzname"),
        _("Art"),
        _("Kooperationspartner"),
        _("Partner seit"),
        _("Partner bis"),
        _("Anschrift"),
        _("E-Mail"),
        _("Telefon"),
        _("Website"),
        _("vertreten durch Institution"),
        _("vertreten durch Person"),
        _("in der Funktion"),
        _("vertreten seit"),
        _("vertreten bis"),
    ]
    rows: list[list[Any]] = []
    for p in partners:
        head = [
            p.name_then,
            p.short_name,
            p.kind_label,
            p.is_party,
            p.valid_from,
            p.valid_to,
            p.address,
            p.email,
            p.phone,
            p.website,
        ]
        reps = p.reps_then
        if not reps:
            rows.append([*head, None, None, None, None, None])
        for r in reps:
            rows.append(
                [
                    *head,
                    r.institution.name if r.institution_id else None,
                    str(r.person) if r.person_id else None,
                    r.function,
                    r.valid_from,
                    r.valid_to,
                ]
            )
    title = _("Partner am %(day)s") % {"day": day.strftime("%d.%m.%Y")}
    return Table(title=title, headers=headers, rows=rows)
