"""The topics' part of the exchange file (`core.exchange`).

The part `topics` holds six collections, each a list of records sorted by public id:
topics, referrals (hand-overs, with the frozen copy of what was handed over), statements,
the topics' documents, the copies handed over, and the links to agenda items. They refer to the bodies, seats and
people of the parts `bodies` and `networks` by public id. A document carries its file's
bytes (`content`, base64), checked on import against its `size` and `sha256` and stored
under a new random name."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core.exchange import (
    Checked,
    Collection,
    ExportContext,
    ImportContext,
    file_from_json,
    file_to_json,
    register_part,
)
from uebergang.core.models import Network

from .models import AgendaLink, HandedDocument, Referral, Statement, Topic, TopicDocument

CONTENT = "content"
COLLECTIONS = (
    Collection("topics", Topic),
    Collection("referrals", Referral),
    Collection("statements", Statement),
    Collection("documents", TopicDocument, exclude=("file",)),
    Collection("handed_documents", HandedDocument, exclude=("file",)),
    Collection("agenda_links", AgendaLink),
)
FILES = {"documents", "handed_documents"}


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    section = {}
    for c in COLLECTIONS:
        if c.key not in FILES:
            section[c.key] = ctx.export_collection(c)
            continue
        rows = []
        for doc in c.model._base_manager.filter(network=network):
            row = ctx.record(doc, c.fields)
            row[CONTENT] = file_to_json(doc.file)  # None: the file was missing
            rows.append(row)
        section[c.key] = sorted(rows, key=lambda row: row["public_id"])
    return section


def _storage_name(row: Checked) -> str:
    name = row.values.get("file_name") or ""
    suffix = os.path.splitext(name)[1].lower()[:10]
    month = timezone.localtime(row.values.get("created") or timezone.now())
    return f"topic-documents/{month:%Y}/{month:%m}/{secrets.token_hex(16)}{suffix}"


def import_part(section: Any, ctx: ImportContext):
    """Check the part like `ImportContext.import_collections`; documents bring their file."""
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
        lists[c.key] = list(records)
    for c in COLLECTIONS:
        for index, record in enumerate(lists[c.key]):
            if isinstance(record, dict):
                ctx.declare(c.model, record.get("public_id"), ctx.where(c.key, index, record))
    checked: dict[str, list[Checked]] = {}
    contents: dict[str, bytes | None] = {}
    for c in COLLECTIONS:
        rows = []
        with_file = c.key in FILES
        for index, record in enumerate(lists[c.key]):
            row = ctx.check_record(
                c.model,
                record,
                ctx.where(c.key, index, record),
                exclude=c.exclude,
                extra=(CONTENT,) if with_file else (),
                declare=False,
            )
            if row is None:
                continue
            if with_file:
                contents[row.where] = file_from_json(row, record.get(CONTENT), ctx)
            rows.append(row)
        ctx.check_unique(rows)
        checked[c.key] = rows

    def write() -> None:
        for c in COLLECTIONS:
            rows = checked[c.key]
            if c.key in FILES:
                for row in rows:
                    data = contents.get(row.where)
                    row.values["file"] = (
                        default_storage.save(_storage_name(row), ContentFile(data))
                        if data is not None
                        else ""
                    )
            ctx.write_records(c.model, rows)

    return write


register_part("topics", 40, export_part, import_part)
