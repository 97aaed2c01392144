"""The network registry's part of the exchange file (`core.exchange`).

The part `networks` holds nine collections, each a list of records sorted by public id:
partners, partner_names, people, representations, successions, constituency_seats,
seat_assignments, seat_holdings and network_logos (docs/export-format.md).

The logo of the letterhead carries its file's bytes (`content`, base64), as a meeting's
document does; the import checks them against `size` and `sha256`, and that they are the
PNG or JPEG `content_type` says, and stores them under a new random name."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from uebergang.core.exchange import (
    Checked,
    Collection,
    ExportContext,
    ImportContext,
    Writer,
    file_from_json,
    file_to_json,
    register_part,
)
from uebergang.core.models import Network
from uebergang.core.uploads import IMAGE_TYPES, sniff_image

from .models import (
    ConstituencySeat,
    NetworkLogo,
    Partner,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

LOGOS = "network_logos"
CONTENT = "content"

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
LOGO_COLLECTION = Collection(LOGOS, NetworkLogo, exclude=("file",))


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    section = ctx.export_collections(COLLECTIONS)
    fields = LOGO_COLLECTION.fields
    logos = []
    for logo in NetworkLogo._base_manager.filter(network=network):
        row = ctx.record(logo, fields)
        row[CONTENT] = file_to_json(logo.file)
        logos.append(row)
    section[LOGOS] = sorted(logos, key=lambda row: row["public_id"])
    return section


def _check_logo(row: Checked, raw: Any, ctx: ImportContext) -> bytes | None:
    data = file_from_json(row, raw, ctx)
    if data is None:
        return None
    content_type = row.values.get("content_type")
    if content_type not in IMAGE_TYPES:
        ctx.error(
            row.where,
            _("„content_type“ muss %(types)s sein") % {"types": " oder ".join(IMAGE_TYPES)},
        )
        return None
    if sniff_image(data[:64]) != content_type:
        ctx.error(row.where, _("„content“ ist kein Bild vom Typ %s") % content_type)
        return None
    return data


def import_part(section: Any, ctx: ImportContext) -> Writer:
    """The registry's collections as `ImportContext.import_collections` checks them; the
    logos with their file."""
    if not isinstance(section, dict):
        return ctx.import_collections(section, COLLECTIONS)
    registry = [c.key for c in COLLECTIONS]
    for key in sorted(set(section) - {*registry, LOGOS}):
        ctx.error(
            "",
            _("unbekannte Sammlung „%(key)s“ (bekannt: %(known)s)")
            % {"key": key, "known": ", ".join([*registry, LOGOS])},
        )
    records = section.get(LOGOS, [])
    write_registry = ctx.import_collections(
        {key: value for key, value in section.items() if key in registry}, COLLECTIONS
    )
    if not isinstance(records, list):
        ctx.error(LOGOS, _("muss eine Liste sein"))
        records = []
    rows: list[Checked] = []
    contents: dict[str, bytes | None] = {}
    for index, record in enumerate(records):
        where = ctx.where(LOGOS, index, record)
        row = ctx.check_record(NetworkLogo, record, where, exclude=("file",), extra=(CONTENT,))
        if row is None:
            continue
        contents[row.where] = _check_logo(row, record.get(CONTENT), ctx)
        rows.append(row)
    # the one constraint of the table (`networks_logo_one_per_network`), with its own words
    alive = [row for row in rows if row.values.get("deleted_at") is None]
    for row in alive[1:]:
        ctx.error(
            row.where,
            _("ein Netzwerk hat höchstens ein Logo ohne „deleted_at“ (schon: %(first)s)")
            % {"first": alive[0].where},
        )

    def write() -> None:
        write_registry()
        for row in rows:
            data = contents.get(row.where)
            suffix = IMAGE_TYPES.get(row.values.get("content_type") or "", "")
            row.values["file"] = (
                default_storage.save(f"logos/{secrets.token_hex(16)}{suffix}", ContentFile(data))
                if data is not None
                else ""
            )
        ctx.write_records(NetworkLogo, rows)

    return write


register_part("networks", 10, export_part, import_part)
