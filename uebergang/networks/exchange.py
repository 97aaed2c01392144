"""The network registry's part of the exchange file (`core.exchange`), and the demo network
as a file (`demo/osterode.json`).

The part `networks` holds eight collections, each a list of records sorted by public id:
partners, partner_names, people, representations, successions, constituency_seats,
seat_assignments and seat_holdings (docs/export-format.md)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from uebergang.core.exchange import (
    Collection,
    ExportContext,
    ImportContext,
    ImportReport,
    Writer,
    delete_network,
    dumps,
    export_network,
    import_network,
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


# --- the demo network as a file --------------------------------------------------------------

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "osterode.json"


def read_demo_file(path: Path | str = DEMO_FILE) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def load_demo_file(today: datetime.date | None = None, *, path: Path | str = DEMO_FILE) -> Network:
    """Import the demo network from its file (does nothing if a network with its slug
    exists). Dates after the file's `demo_anchor` move forward by the days since then, so
    upcoming events stay upcoming. Demo accounts created by the import get the demo
    password; existing accounts with those addresses keep theirs."""
    from uebergang.accounts.models import User

    from . import demo

    data = read_demo_file(path)
    existing = Network.all_objects.filter(slug=data["network"]["slug"]).first()
    if existing is not None:
        return existing
    anchor = datetime.date.fromisoformat(data["demo_anchor"]) if "demo_anchor" in data else None
    report = ImportReport()
    network = import_network(data, shift_future_from=anchor, today=today, report=report)
    for email in (demo.COORDINATION_EMAIL, demo.MEMBER_EMAIL):
        if email in report.created_accounts:
            user = User.objects.get(email__iexact=email)
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return network


def build_demo_data(today: datetime.date | None = None) -> dict[str, Any]:
    """Build the demo network with the code in `networks.demo` inside a transaction that is
    rolled back, and return its export with `demo_anchor` = `today`. An existing demo
    network is set aside for this (inside the same rolled-back transaction)."""
    from . import demo

    build = getattr(demo, "build_demo", None) or demo.load_demo
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = Network.all_objects.filter(slug=demo.SLUG).first()
        if existing is not None:
            delete_network(existing)
        network = build()
        data = export_network(network, demo_anchor=today)
        transaction.set_rollback(True)
    return data


def write_demo_file(path: Path | str = DEMO_FILE, *, today: datetime.date | None = None) -> Path:
    """(Re)write `demo/osterode.json` from the demo code; the database is left unchanged."""
    path = Path(path)
    path.write_text(dumps(build_demo_data(today)) + "\n", encoding="utf-8")
    return path
