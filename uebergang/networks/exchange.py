"""The network registry's part of the exchange file (`core.exchange`).

The part `networks` holds eight collections, each a list of records sorted by public id:
partners, partner_names, people, representations, successions, constituency_seats,
seat_assignments and seat_holdings (docs/export-format.md)."""

from __future__ import annotations

from typing import Any

from uebergang.core.exchange import (
    Collection,
    ExportContext,
    ImportContext,
    Writer,
    register_part,
)
from uebergang.core.models import Network

from .models import (
    ConstituencySeat,
    Partner,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

# In the order of writing: each refers only to earlier ones.
COLLECTIONS = (
    Collection("partners", Partner),
    Collection("partner_names", PartnerName),
    Collection("people", Person),
    Collection("representations", Representation),
    Collection("successions", Succession),
    Collection("constituency_seats", ConstituencySeat),
    Collection("seat_assignments", SeatAssignment),
    Collection("seat_holdings", SeatHolding),
)


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    return ctx.export_collections(COLLECTIONS)


def import_part(section: Any, ctx: ImportContext) -> Writer:
    return ctx.import_collections(section, COLLECTIONS)


register_part("networks", 10, export_part, import_part)
