"""Edits that span two requests carry the version the person loaded; the save is a
conditional UPDATE that fails with a clear conflict when someone saved in between.

Services lock rows in one order, parents before children, so that two of them never wait
for each other: network → partners → people → constituency seats (and their assignments,
holdings, representations) → bodies → body seats → memberships → offices → meetings →
agenda items, documents, invitations, attendance → minutes → minutes entries → tasks;
network days → registrations. Rows of one table are locked in the order of their ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict


def check_version(obj: models.Model, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise Conflict(
            _(
                "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
                "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
            ),
            details={"current_version": obj.version},
        )


def save_versioned(obj: models.Model, *, expected_version: int | None, fields: list[str]) -> None:
    """Write `fields` of `obj` only if the row still has `expected_version`; bump the version.

    Works on SQLite and PostgreSQL alike: the WHERE clause carries the version."""
    if expected_version is None:
        expected_version = obj.version
    if not fields:
        check_version(obj, expected_version)
        return
    values: dict[str, Any] = {
        name: getattr(obj, obj._meta.get_field(name).attname) for name in fields
    }
    now = timezone.now()
    updated = (
        type(obj)
        .all_objects.filter(pk=obj.pk, version=expected_version)
        .update(
            **{obj._meta.get_field(name).attname: value for name, value in values.items()},
            version=F("version") + 1,
            modified=now,
        )
    )
    if updated != 1:
        current = type(obj).all_objects.get(pk=obj.pk)
        check_version(current, expected_version)
        raise Conflict(_("Der Datensatz konnte nicht gespeichert werden."))  # pragma: no cover
    obj.version = expected_version + 1
    obj.modified = now


def lock(obj: models.Model) -> models.Model:
    """Reload the row with a lock for the rest of the transaction (PostgreSQL; SQLite
    serialises writers anyway)."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def lock_all(model: type[models.Model], pks: Any) -> dict[Any, models.Model]:
    """Reload rows of one table with a lock, in the order of their ids (the one order for
    rows of the same table); soft-deleted rows are left out."""
    rows = model.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk")
    return {row.pk: row for row in rows}


def lock_alive(obj: models.Model, error: Callable[[], Exception]) -> models.Model:
    """`lock`, for a row that may have been removed (deleted or soft-deleted) meanwhile:
    raise `error()` then."""
    found = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    if found is None:
        raise error()
    return found


@contextmanager
def unique_or(
    model: type[models.Model], constraint: str, error: Callable[[], Exception]
) -> Iterator[None]:
    """Write inside; if the database refuses the write because of `model`'s unique
    constraint named `constraint` (two requests at once passed the check before it), raise
    `error()` instead. A savepoint keeps the outer transaction usable on PostgreSQL."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not _violates(exc, model, constraint):
            raise
        raise error() from exc


def _violates(exc: IntegrityError, model: type[models.Model], name: str) -> bool:
    """PostgreSQL names the constraint; SQLite names an index on expressions, and for one
    on fields lists its columns ("UNIQUE constraint failed: table.a, table.b")."""
    text = str(exc)
    if name in text:
        return True
    [constraint] = [c for c in model._meta.constraints if c.name == name]
    fields = getattr(constraint, "fields", ())
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in fields)
    return bool(fields) and text.endswith(f"UNIQUE constraint failed: {columns}")


# --- the versioned update -------------------------------------------------------------------

Clean = Callable[[models.Model], dict[str, Any]]
Prepare = Callable[[models.Model, dict[str, Any]], list[str] | None]


def versioned_update[M: models.Model](
    *,
    actor: Any,
    obj: M,
    expected_version: int | None,
    permission: Any,
    clean: Clean,
    snapshot: Sequence[str],
    validate: Callable[[M, dict[str, Any]], None] | None = None,
    prepare: Prepare | None = None,
    unique: tuple[type[models.Model], str, Callable[[], Exception]] | None = None,
    parent: models.Model | None = None,
    gone: Callable[[], Exception] | None = None,
    after: Callable[[M, dict[str, Any]], None] | None = None,
) -> M:
    """Change fields of `obj` that a person edited from the version they loaded, in the one
    order every service follows (call it inside the service's transaction):

    1. authorize: `permission` is a `Permission`, or a function (locked obj, clean data) →
       (permission, record) when the right depends on what changes;
    2. lock the row (`gone()` is raised if it was removed meanwhile); lock parents first;
    3. check the version the person loaded;
    4. `clean(obj)` → the values to set (raising `DomainError` for bad input), then
       `validate(obj, clean)` for checks against the stored state;
    5. snapshot `snapshot` for the history, set the values, `prepare(obj, before)` derives
       more (returns the extra fields to save, e.g. a calendar sequence);
    6. save with the version in the WHERE clause (under `unique` = (model, constraint,
       error) for a name that must stay unique), and record what changed, under `parent`;
    7. `after(obj, before)`: what follows a saved change (e.g. mail to invitees).

    Bad input and a stale version change nothing: everything before 6 only reads."""
    from . import history
    from .permissions import Permission, authorize

    network = getattr(obj, "network", obj)  # a network's own record is its network
    fixed = isinstance(permission, Permission)
    if fixed:
        authorize(actor, network, permission, obj)
    obj = lock_alive(obj, gone) if gone is not None else lock(obj)
    check_version(obj, expected_version)
    values = clean(obj)
    if not fixed:
        needed, record = permission(obj, values)
        authorize(actor, network, needed, record)
    if validate is not None:
        validate(obj, values)
    before = history.snapshot(obj, list(snapshot))
    for key, value in values.items():
        setattr(obj, key, value)
    fields = list(values)
    if prepare is not None:
        fields += [f for f in prepare(obj, before) or [] if f not in fields]
    if unique is not None:
        with unique_or(*unique):
            save_versioned(obj, expected_version=obj.version, fields=fields)
    else:
        save_versioned(obj, expected_version=obj.version, fields=fields)
    history.record_change(actor=actor, obj=obj, before=before, parent=parent)
    if after is not None:
        after(obj, before)
    return obj
