"""Edits that span two requests carry the version the person loaded; the save is a
conditional UPDATE that fails with a clear conflict when someone saved in between."""

from __future__ import annotations

from typing import Any

from django.db import models
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
