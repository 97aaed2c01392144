"""The topics' part of the exchange file (`core.exchange`).

The part `topics` holds six collections, each a list of records sorted by public id:
topics, referrals (hand-overs, with the frozen copy of what was handed over), statements,
the topics' documents, the copies handed over, and the links to agenda items. They refer to
the bodies, seats, people and agenda items of the parts `bodies`, `networks` and `meetings`
by public id. A document carries its file's bytes (`content`, base64), checked on import
against its `size` and `sha256` and stored under a new random name (`Collection.files_in`)."""

from __future__ import annotations

from typing import Any

from uebergang.core.exchange import Collection, ExportContext, ImportContext, register_part
from uebergang.core.models import Network

from .models import AgendaLink, HandedDocument, Referral, Statement, Topic, TopicDocument

COLLECTIONS = (
    Collection("topics", Topic),
    Collection("referrals", Referral),
    Collection("statements", Statement),
    Collection("documents", TopicDocument, files_in="topic-documents"),
    Collection("handed_documents", HandedDocument, files_in="topic-documents"),
    Collection("agenda_links", AgendaLink),
)


def export_part(network: Network, ctx: ExportContext) -> dict[str, Any]:
    return ctx.export_collections(COLLECTIONS)


def import_part(section: Any, ctx: ImportContext):
    return ctx.import_collections(section, COLLECTIONS)


register_part("topics", 40, export_part, import_part)
