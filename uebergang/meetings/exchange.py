"""The meetings' part of the exchange file (`core.exchange`).

The part `meetings` holds thirteen collections, each a list of records sorted by public id
(docs/export-format.md): meetings, agenda_items, documents, invitations, attendances,
minutes, minutes_entries, decisions, action_items, minutes_corrections, network_days,
network_day_invitations and registrations. They refer to the registry (part `networks`) and
the bodies (part `bodies`) by public id.

A document carries its file's bytes (`content`, base64) so that an export is complete; the
import stores them under a new random name and checks them against `size` and `sha256`. The
storage name itself is not written (it is no data of the network).

Files written before decisions were records carry them as text (`decisions` of a minutes
entry): the import turns each such text into a decision, numbered as migration 0008 does.

Calendar feeds are not exported: their tokens are secrets of their owners (only a hash is
stored, and a feed is worthless without the token); after an import everyone subscribes
anew."""

from __future__ import annotations

import datetime
import os
import secrets
import uuid
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
    Writer,
    file_from_json,
    file_to_json,
    register_part,
)
from uebergang.core.models import Network
from uebergang.meetings.decision_texts import is_unanimous, outcome_of

from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Invitation,
    Meeting,
    Minutes,
    MinutesCorrection,
    MinutesEntry,
    NetworkDay,
    NetworkDayInvitation,
    Registration,
    TaskNote,
)

DOCUMENTS = "documents"
CONTENT = "content"

# In the order of writing: each refers only to earlier ones (and to the parts before).
COLLECTIONS = (
    Collection("meetings", Meeting),
    Collection("agenda_items", AgendaItem),
    Collection(DOCUMENTS, Document, exclude=("file",)),
    Collection("invitations", Invitation),
    Collection("attendances", Attendance),
    Collection("minutes", Minutes),
    Collection("minutes_entries", MinutesEntry),
    Collection("decisions", Decision),
    Collection("action_items", ActionItem),
    Collection("task_notes", TaskNote),
    Collection("minutes_corrections", MinutesCorrection),
    Collection("network_days", NetworkDay),
    Collection("network_day_invitations", NetworkDayInvitation),
    Collection("registrations", Registration),
)


# --- export ----------------------------------------------------------------------------------


def _export_documents(network: Network, ctx: ExportContext, c: Collection) -> list[dict]:
    fields = c.fields
    rows = []
    for document in Document._base_manager.filter(network=network):
        row = ctx.record(document, fields)
        row[CONTENT] = file_to_json(document.file)  # None: the file was missing
        rows.append(row)
    return sorted(rows, key=lambda row: row["public_id"])


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    section = {}
    for c in COLLECTIONS:
        if c.key == DOCUMENTS:
            section[c.key] = _export_documents(network, ctx, c)
        else:
            section[c.key] = ctx.export_collection(c)
    return section


# --- import ----------------------------------------------------------------------------------


def _storage_name(row: Checked) -> str:
    """A new random name like the upload's (`documents/YYYY/MM/<hex>.<ext>`)."""
    name = row.values.get("file_name") or ""
    suffix = os.path.splitext(name)[1].lower()[:10]
    created = row.values.get("created") or timezone.now()
    month = timezone.localtime(created)
    return f"documents/{month:%Y}/{month:%m}/{secrets.token_hex(16)}{suffix}"


def _decisions_from_entry_texts(lists: dict[str, list[Any]]) -> None:
    """An older file's `decisions` texts of minutes entries become decision records: one
    per text, numbered per body and year after the decisions the file already has, in the
    order of the meetings and their items. A text whose item or meeting is not in the file
    stays, and the check reports it as an unknown field."""

    def rows(key: str) -> list[dict]:
        return [r for r in lists.get(key, []) if isinstance(r, dict)]

    items = {r.get("public_id"): r for r in rows("agenda_items")}
    meetings = {r.get("public_id"): r for r in rows("meetings")}
    numbers: dict[tuple[Any, int], int] = {}
    for r in rows("decisions"):
        if isinstance(r.get("number"), int) and isinstance(r.get("year"), int):
            key = (r.get("body"), r["year"])
            numbers[key] = max(numbers.get(key, 0), r["number"])
    found = []
    for entry in rows("minutes_entries"):
        text = entry.get("decisions")
        item = items.get(entry.get("agenda_item"), {})
        meeting = meetings.get(item.get("meeting"), {})
        try:
            starts = datetime.datetime.fromisoformat(str(meeting.get("starts_at")))
        except ValueError:
            continue
        if not isinstance(text, str) or not meeting.get("body") or starts.tzinfo is None:
            continue
        del entry["decisions"]
        if text.strip():
            found.append((starts, item.get("position") or 0, entry, text.strip(), meeting))
    for starts, _position, entry, text, meeting in sorted(found, key=lambda f: f[:2]):
        key = (meeting["body"], timezone.localtime(starts).year)
        numbers[key] = numbers.get(key, 0) + 1
        lists.setdefault("decisions", []).append(
            {
                "public_id": str(uuid.uuid4()),
                "agenda_item": entry["agenda_item"],
                "body": meeting["body"],
                "year": key[1],
                "number": numbers[key],
                "wording": text,
                "outcome": outcome_of(text),
                "unanimous": is_unanimous(text),
            }
        )


def _status_from_done(lists: dict[str, list[Any]]) -> None:
    """An older file's tasks have `done` (true or false) instead of a status: "erledigt" or
    "offen". A file with both keeps its status."""
    for task in lists.get("action_items", []):
        if isinstance(task, dict) and isinstance(task.get("done"), bool):
            done = task.pop("done")
            task.setdefault("status", "done" if done else "open")


def import_part(section: Any, ctx: ImportContext) -> Writer:
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
    _decisions_from_entry_texts(lists)
    _status_from_done(lists)
    for c in COLLECTIONS:
        for index, record in enumerate(lists[c.key]):
            if isinstance(record, dict):
                ctx.declare(c.model, record.get("public_id"), ctx.where(c.key, index, record))
    checked: dict[str, list[Checked]] = {}
    contents: dict[str, bytes | None] = {}
    for c in COLLECTIONS:
        rows = []
        is_documents = c.key == DOCUMENTS
        for index, record in enumerate(lists[c.key]):
            row = ctx.check_record(
                c.model,
                record,
                ctx.where(c.key, index, record),
                exclude=c.exclude,
                extra=(CONTENT,) if is_documents else (),
                declare=False,
            )
            if row is None:
                continue
            if is_documents:
                contents[row.where] = file_from_json(row, record.get(CONTENT), ctx)
            rows.append(row)
        ctx.check_unique(rows)
        checked[c.key] = rows

    def write() -> None:
        for c in COLLECTIONS:
            rows = checked[c.key]
            if c.key == DOCUMENTS:
                for row in rows:
                    data = contents.get(row.where)
                    row.values["file"] = (
                        default_storage.save(_storage_name(row), ContentFile(data))
                        if data is not None
                        else ""
                    )
            ctx.write_records(c.model, rows)

    return write


register_part("meetings", 30, export_part, import_part)
