"""The one history mechanism: services call `record` (or `record_change`) with the acting
user after every change of state. An event table rather than django-simple-history because
(a) the actor is passed explicitly by the service, never guessed from a thread-local request,
(b) conditional updates (`QuerySet.update`, used for version checks) are recorded too, (c) one
table answers "what happened in this network" in a single indexed query, and (d) a secret
ballot can record only *that* someone voted, and erasure can rewrite names in one place."""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import cachegen
from .models import HistoryAction, HistoryEvent, choice_label

SYSTEM_ACTOR_NAME = "System"


def _actor_name(actor: Any) -> str:
    if actor is None:
        return SYSTEM_ACTOR_NAME
    return (getattr(actor, "display_name", "") or str(actor))[:200]


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable value for the history."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The record's current field values (foreign keys by their text, choices by their code)."""
    exclude = getattr(obj, "HISTORY_EXCLUDE", frozenset())
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if (
            field.name in exclude
            or field.name == "network"
            or (fields and field.name not in fields)
        ):
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            data[field.name] = str(getattr(obj, field.name)) if related_id is not None else None
        else:
            data[field.name] = _plain(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    network: Any = None,
    changes: dict[str, list[Any]] | None = None,
    parent: models.Model | None = None,
    message: str = "",
) -> HistoryEvent:
    from .visibility import kind_of

    # Who may read it is declared per kind of record: an undeclared one is refused here
    # rather than shown to everyone (see `core.visibility`).
    kind_of(obj._meta.label_lower)
    if network is None:
        from .models import Network

        network = obj if isinstance(obj, Network) else getattr(obj, "network", None)
    if network is not None:
        labels = [obj._meta.label_lower]
        if parent is not None:
            labels.append(parent._meta.label_lower)
        cachegen.changed(network, labels, [obj] if parent is None else [obj, parent])
    return HistoryEvent.objects.create(
        network=network,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.public_id,
        object_repr=str(obj)[:300],
        parent_type=parent._meta.label_lower if parent is not None else "",
        parent_id=parent.public_id if parent is not None else None,
        changes=changes or {},
        message=str(message)[:500],
    )


def record_create(
    *, actor: Any, obj: models.Model, parent: models.Model | None = None, message: str = ""
) -> HistoryEvent:
    after = snapshot(obj)
    changes = {key: [None, value] for key, value in after.items() if value not in (None, "", [])}
    return record(
        actor=actor,
        action=HistoryAction.CREATE,
        obj=obj,
        changes=changes,
        parent=parent,
        message=message,
    )


def record_change(
    *,
    actor: Any,
    obj: models.Model,
    before: dict[str, Any],
    action: str = HistoryAction.UPDATE,
    parent: models.Model | None = None,
    message: str = "",
) -> HistoryEvent | None:
    """Record the difference between `before` (a `snapshot`) and the object now; nothing if
    nothing changed and there is no message."""
    changes = diff(before, snapshot(obj, list(before)))
    if not changes and not message:
        return None
    return record(
        actor=actor, action=action, obj=obj, changes=changes, parent=parent, message=message
    )


# --- reading the history ---------------------------------------------------------------------

_BOOL_TEXT = {True: gettext_lazy("ja"), False: gettext_lazy("nein")}


@functools.lru_cache(maxsize=512)
def _model_fields(
    object_type: str, language: str
) -> tuple[str, dict[str, tuple[int, str, dict]], dict[str, tuple[int, str, dict]]]:
    """A kind's readable name and, per field, its position, its readable name and its choices
    in `language` (per process: model metadata, not network data)."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type, {}, {}
    fields: dict[str, tuple[int, str, dict]] = {}
    by_attname: dict[str, tuple[int, str, dict]] = {}
    all_fields = model._meta.get_fields()
    for position, field in enumerate(all_fields):
        choices = {key: str(label) for key, label in (getattr(field, "choices", None) or [])}
        fields[field.name] = (position, str(getattr(field, "verbose_name", field.name)), choices)
        attname = getattr(field, "attname", None)
        if attname and attname != field.name:  # "body_id" names the field "body", unordered
            by_attname[attname] = (len(all_fields), *fields[field.name][1:])
    return str(model._meta.verbose_name), fields, by_attname


def _field_info(
    object_type: str, name: str, language: str | None = None
) -> tuple[str, dict[Any, str]]:
    """A field's readable name and choices (e.g. a delivery note's key has none: its name)."""
    if language is None:
        language = get_language() or ""
    _, fields, by_attname = _model_fields(object_type, language)
    info = fields.get(name) or by_attname.get(name)
    return (info[1], info[2]) if info else (name, {})


def _field_order(object_type: str, name: str, language: str) -> tuple[int, str]:
    """Changes are shown in the order of the model's fields (PostgreSQL's jsonb does not keep
    the order they were written in)."""
    _, fields, _ = _model_fields(object_type, language)
    info = fields.get(name)
    return (info[0] if info else len(fields), name)


def _show(value: Any, choices: dict[Any, str]) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_BOOL_TEXT[value])
    if value in choices:
        return choices[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] == "T":
        return _show_moment(value)
    return str(value)


def _show_moment(value: str) -> str:
    """A recorded moment (ISO, as `_plain` stores it) as on the record's page: "22.12.2026,
    14:00 Uhr" in the local time zone."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return _("%(day)s, %(time)s Uhr") % {
        "day": moment.strftime("%d.%m.%Y"),
        "time": moment.strftime("%H:%M"),
    }


def present_events(events: list[HistoryEvent]) -> list[dict[str, Any]]:
    """Events with readable field names and values, for the history pages."""
    rows = []
    language = get_language() or ""
    actions = {value: choice_label(HistoryAction, value) for value in HistoryAction.values}
    for event in events:
        kind = event.object_type
        type_label = _model_fields(kind, language)[0]
        changes = []
        for name, (before, after) in sorted(
            event.changes.items(), key=lambda kv: _field_order(kind, kv[0], language)
        ):
            label, choices = _field_info(kind, name, language)
            changes.append(
                {"field": label, "before": _show(before, choices), "after": _show(after, choices)}
            )
        rows.append(
            {
                "at": event.at,
                "actor": event.actor_name,
                "action": actions.get(event.action) or choice_label(HistoryAction, event.action),
                "type": type_label,
                "object": event.object_repr,
                "changes": changes,
                "message": event.message,
            }
        )
    return rows
