"""The topics' part of the exchange file (`core.exchange`).

The part `topics` holds three collections, each a list of records sorted by public id:
topics, referrals (hand-overs, with the frozen copy of what was handed over) and
statements. They refer to the bodies, seats and people of the parts `bodies` and
`networks` by public id."""

from __future__ import annotations

from typing import Any

from uebergang.core.exchange import Collection, ExportContext, ImportContext, register_part
from uebergang.core.models import Network

from .models import Referral, Statement, Topic

COLLECTIONS = (
    Collection("topics", Topic),
    Collection("referrals", Referral),
    Collection("statements", Statement),
)


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    return ctx.export_collections(COLLECTIONS)


def import_part(section: Any, ctx: ImportContext):
    return ctx.import_collections(section, COLLECTIONS)


register_part("topics", 40, export_part, import_part)
