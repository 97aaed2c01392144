"""Ending a dated record (a partner, a representation, a seat, a membership, an office …):
one recipe for every service, so that "already ended" means the same everywhere."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from . import history
from .concurrency import lock, save_versioned
from .errors import DomainError
from .models import HistoryAction
from .permissions import authorize
from .validation import check_period, format_day


def ended_by(obj: Any, day: datetime.date | None) -> bool:
    """Already over by `day`? A later planned end can still be brought forward."""
    return obj.valid_to is not None and (day is None or obj.valid_to <= day)


def end_dated(
    *,
    actor: Any,
    obj: Any,
    valid_to: datetime.date | None,
    permission: str,
    ended: str,
    parent: models.Model | None = None,
    first: Callable[[Any], None] | None = None,
    also: dict[str, Any] | None = None,
    action: str = HistoryAction.END,
) -> Any:
    """End `obj` after its last day `valid_to`, for a service under `transaction.atomic`.

    Authorize, lock the row, refuse with `ended` (which may name the day as `%(day)s`) when
    it is already over by that day, check the day against the start, call `first(obj)` with
    the locked row (to end what hangs on it), then write `valid_to` (and the fields in
    `also`) under the version and record the history. Returns the locked, saved row."""
    authorize(actor, obj.network, permission)
    obj = lock(obj)
    if ended_by(obj, valid_to):
        raise DomainError(ended % {"day": format_day(obj.valid_to)}, code="ended")
    if valid_to is None:
        raise DomainError.for_field("valid_to", _("Bitte geben Sie den letzten Tag an."))
    check_period(obj.valid_from, valid_to)
    if first is not None:
        first(obj)
    values = {"valid_to": valid_to, **(also or {})}
    before = history.snapshot(obj, list(values))
    for name, value in values.items():
        setattr(obj, name, value)
    save_versioned(obj, expected_version=obj.version, fields=list(values))
    history.record_change(actor=actor, obj=obj, before=before, action=action, parent=parent)
    return obj
