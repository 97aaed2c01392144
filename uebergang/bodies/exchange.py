"""The bodies' part of the exchange file (`core.exchange`).

The part `bodies` holds four collections, each a list of records sorted by public id:
bodies, body_seats, memberships and offices (docs/export-format.md). They refer to the
registry's partners, constituency seats and people (part `networks`) by public id.

A substitute's membership refers to the membership of the member it stands in for, a record
of the same collection: memberships are written in rounds, each after the memberships it
refers to, and a file whose memberships refer to each other in a circle is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from uebergang.core.exchange import (
    Checked,
    Collection,
    ExportContext,
    ImportContext,
    Writer,
    register_part,
)
from uebergang.core.models import Network

from .models import Body, BodySeat, Membership, Office

# In the order of writing: each refers only to earlier ones (and memberships to each other).
COLLECTIONS = (
    Collection("bodies", Body),
    Collection("body_seats", BodySeat),
    Collection("memberships", Membership),
    Collection("offices", Office),
)

# Collections whose records refer to records of the same collection: field name.
SELF_REFERENCES = {"memberships": "substitute_for"}


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    return ctx.export_collections(COLLECTIONS)


def _rounds(rows: list[Checked], field: str, ctx: ImportContext) -> list[list[Checked]]:
    """`rows` in rounds of writing: each row after the row its `field` refers to. Rows that
    refer to each other in a circle (or to themselves) are reported and left out."""
    pending = {str(row.values["public_id"]): row for row in rows}
    written: set[str] = set()
    rounds: list[list[Checked]] = []
    while pending:
        ready = [
            row
            for public_id, row in pending.items()
            if (ref := row.values.get(field)) is None
            or ref.public_id in written
            or ref.public_id not in pending
        ]
        if not ready:
            for row in pending.values():
                ctx.error(
                    row.where,
                    _("„%(field)s“ verweist im Kreis auf sich selbst zurück") % {"field": field},
                )
            break
        for row in ready:
            public_id = str(row.values["public_id"])
            del pending[public_id]
            written.add(public_id)
        rounds.append(ready)
    return rounds


def import_part(section: Any, ctx: ImportContext) -> Writer:
    """Check the part like `ImportContext.import_collections`; write self-referring
    collections in rounds."""
    if not isinstance(section, dict):
        ctx.error("", _("Ein Teil unter „parts“ muss ein JSON-Objekt sein."))
        return lambda: None
    known = {c.key for c in COLLECTIONS}
    for key in sorted(set(section) - known):
        ctx.error(
            "",
            _("unbekannte Sammlung „%(key)s“ (bekannt: %(known)s)")
            % {"key": key, "known": ", ".join(c.key for c in COLLECTIONS)},
        )
    lists: dict[str, list[Any]] = {}
    for c in COLLECTIONS:
        records = section.get(c.key, [])
        if not isinstance(records, list):
            ctx.error(c.key, _("muss eine Liste sein"))
            records = []
        lists[c.key] = records
        for index, record in enumerate(records):
            if isinstance(record, dict):
                ctx.declare(c.model, record.get("public_id"), ctx.where(c.key, index, record))
    batches: dict[str, list[list[Checked]]] = {}
    for c in COLLECTIONS:
        rows = []
        for index, record in enumerate(lists[c.key]):
            row = ctx.check_record(
                c.model, record, ctx.where(c.key, index, record), exclude=c.exclude, declare=False
            )
            if row is not None:
                rows.append(row)
        ctx.check_unique(rows)
        field = SELF_REFERENCES.get(c.key)
        batches[c.key] = _rounds(rows, field, ctx) if field else [rows]

    def write() -> None:
        for c in COLLECTIONS:
            for rows in batches[c.key]:
                ctx.write_records(c.model, rows)

    return write


register_part("bodies", 20, export_part, import_part)
