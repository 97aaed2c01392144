"""What cached pages are keyed by: a generation per kind of record and network.

`Network.cache_generations` maps a model label ("networks.partner", "meetings.invitation",
…) to a random value, renewed after every commit that changed a record of that kind (every
change leaves a history record, `core.history.record`, which calls `changed`). A page or an
API read declares the kinds of records it shows (`depends`); its cache key carries their
generations, so a reply to an invitation leaves the partner list cached. A page that
declares nothing depends on everything ("*", renewed by every change).

Why this way:
- Outside the write's transaction. The renewal runs after commit (`on_commit`), as one
  statement that merges the new values into the network's row (`||` on PostgreSQL,
  `json_patch` on SQLite), so concurrent writers of one network never wait for each other
  until commit, and none overwrites another's renewal.
- No extra query to read. The generations come with the network row, which every request
  of a network loads first (`core.permissions.member_access`); read before any record of
  the page, a page rendered from data older than a renewal is never stored under the
  renewed key.
- Safe on a miss. A kind never changed has no entry and reads as the network's random
  epoch; a bulk write (synthetic data) renews the epoch, which every key carries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from .models import Network, new_data_version

TABLE = f'"{Network._meta.db_table}"'
COLUMN = f'"{Network._meta.get_field("cache_generations").column}"'
EVERYTHING = "*"
EPOCH = "epoch"


def changed(network: Any, labels: Iterable[str]) -> None:
    """Records of these kinds (model labels) changed in the network: renew their
    generations (and "*") when the transaction commits (at once outside one)."""
    pending: dict[int, set[str]] = connection.__dict__.setdefault("_uebergang_cachegen", {})
    pending.setdefault(network.pk, set()).update({EVERYTHING, *labels})
    transaction.on_commit(_flush, robust=True)  # a failed renewal never fails the write


def changed_everything(network: Any) -> None:
    """Rows were written without the services (in bulk): every key of the network changes."""
    changed(network, [EPOCH])


def _flush() -> None:
    """Write every pending renewal (the first callback after a commit takes them all; a
    renewal left from a rolled-back transaction only renews once more, which is harmless)."""
    pending: dict[int, set[str]] = connection.__dict__.get("_uebergang_cachegen") or {}
    while pending:
        network_pk, labels = pending.popitem()
        values = json.dumps({label: new_data_version() for label in sorted(labels)})
        merge = "{c} || %s::jsonb" if connection.vendor == "postgresql" else "json_patch({c}, %s)"
        sql = f"UPDATE {TABLE} SET {COLUMN} = {merge.format(c=COLUMN)} WHERE id = %s"  # noqa: S608 (names from the model, values as parameters)
        with connection.cursor() as cursor:
            cursor.execute(sql, [values, network_pk])


def key_part(network: Any, depends: Iterable[str] | None = None) -> str:
    """The part of a cache key that changes when anything the page shows changes: the
    epoch and the generations of `depends` (None: everything)."""
    generations = network.cache_generations or {}
    epoch = generations.get(EPOCH, 0)
    labels = sorted(depends) if depends is not None else [EVERYTHING]
    return f"{epoch}:" + ",".join(f"{label}={generations.get(label, epoch)}" for label in labels)


def kinds(*app_labels: str) -> tuple[str, ...]:
    """Every model label of these apps ("networks" → "networks.partner", …), for a page
    that shows records of them."""
    from django.apps import apps

    return tuple(
        model._meta.label_lower
        for app_label in app_labels
        for model in apps.get_app_config(app_label).get_models()
    )
