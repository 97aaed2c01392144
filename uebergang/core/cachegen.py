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

Record pages (a meeting's page) are keyed finer: by the record they are about. An app
declares which kinds belong to such a record (`scope("meetings.invitation",
"meetings.meeting", lambda invitation: invitation.meeting_id)`); a change of one of them, or
of a record whose parent is one, also renews that record's scope generation, and the page
depends on its scope (`key_part(..., scope=("meetings.meeting", pk))`) and on the kinds
outside the scope (`unscoped_kinds`) instead of on the scoped kinds. So a reply to one
meeting's invitation leaves the other meetings' pages cached. The scope generations are
kept in the network's row too, in `BUCKETS` buckets per scope (the record's id modulo
`BUCKETS`): the row stays small however many records change, and a change renews the
pages of one record in `BUCKETS`, not of all. A scoped change whose record cannot be told
without a query renews the whole scope ("meetings.meeting/*", in every key of the scope).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from .models import Network, new_data_version

TABLE = f'"{Network._meta.db_table}"'
COLUMN = f'"{Network._meta.get_field("cache_generations").column}"'
EVERYTHING = "*"
EPOCH = "epoch"


BUCKETS = 32
ALL = "*"  # the bucket every key of a scope carries

# kind (model label) -> (scope label, the scope record's pk of a record of that kind, or
# None when it cannot be told without a query)
_SCOPES: dict[str, tuple[str, Callable[[Any], int | None]]] = {}


def scope(kind: str, scope_label: str, resolve: Callable[[Any], int | None]) -> None:
    """Records of `kind` belong to a record of `scope_label` (`resolve(obj)` gives its pk):
    that record's page shows them. Declared by the app that owns them (its `apps.ready`);
    the scope record's own kind maps to itself."""
    if kind in _SCOPES and _SCOPES[kind][0] != scope_label:
        raise ValueError(f"{kind} already belongs to the scope {_SCOPES[kind][0]}")
    _SCOPES[kind] = (scope_label, resolve)
    _UNSCOPED.clear()


_UNSCOPED: dict[str, tuple[str, ...]] = {}  # `unscoped_kinds`, computed once per scope


def unscoped_kinds(scope_label: str) -> tuple[str, ...]:
    """Every kind of every app except those of `scope_label`: what a page of one such
    record depends on besides its scope."""
    from django.apps import apps

    if scope_label not in _UNSCOPED:
        _UNSCOPED[scope_label] = tuple(
            label
            for model in apps.get_models()
            if (label := model._meta.label_lower) not in _SCOPES or _SCOPES[label][0] != scope_label
        )
    return _UNSCOPED[scope_label]


def _bucket(scope_label: str, pk: Any) -> str:
    return f"{scope_label}/{int(pk) % BUCKETS}"


def scope_labels(objs: Iterable[Any]) -> set[str]:
    """The scope generations the change of these records (a record and its parent) renews:
    the bucket of each scope record they resolve to; the whole scope when a record of a
    scoped kind resolves to none."""
    buckets: set[str] = set()
    resolved: set[str] = set()
    unresolved: set[str] = set()
    for obj in objs:
        entry = _SCOPES.get(obj._meta.label_lower)
        if entry is None:
            continue
        scope_label, resolve = entry
        pk = resolve(obj)
        if pk is None:
            unresolved.add(scope_label)
        else:
            resolved.add(scope_label)
            buckets.add(_bucket(scope_label, pk))
    return buckets | {f"{label}/{ALL}" for label in unresolved - resolved}


def changed(network: Any, labels: Iterable[str], objs: Iterable[Any] = ()) -> None:
    """Records of these kinds (model labels) changed in the network: renew their
    generations (and "*"), and the scope generations of `objs` (the changed record and its
    parent, `scope_labels`), when the transaction commits (at once outside one)."""
    pending: dict[int, set[str]] = connection.__dict__.setdefault("_uebergang_cachegen", {})
    pending.setdefault(network.pk, set()).update({EVERYTHING, *labels, *scope_labels(objs)})
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


def key_part(
    network: Any, depends: Iterable[str] | None = None, scope: tuple[str, Any] | None = None
) -> str:
    """The part of a cache key that changes when anything the page shows changes: the
    epoch and the generations of `depends` (None: everything), and with `scope` (a scope
    label and a record's pk) that record's scope generations; a scoped page that declares
    no `depends` depends on every kind outside its scope (`unscoped_kinds`)."""
    generations = network.cache_generations or {}
    epoch = generations.get(EPOCH, 0)
    if depends is None and scope is not None:
        depends = unscoped_kinds(scope[0])
    labels = sorted(depends) if depends is not None else [EVERYTHING]
    if scope is not None:
        labels += [f"{scope[0]}/{ALL}", _bucket(*scope)]
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
