"""Per-network settings as a plug-in point: each app declares its settings with a default in
its own `network_settings.py` (found through the app registry,
`CoreConfig.ready`), and the coordination office edits them all on
one page (`core.views.network_settings`, API `GET/PUT …/settings`). A network keeps only
the values it has changed (`NetworkSetting`); every other setting has its default. No app
needs to change core's `Network` for a setting of its own.

    register_setting("meetings.reply_deadline_days", label=_("Antwortfrist …"),
                     kind="int", default=None, minimum=1, maximum=60, group=_("Sitzungen"))
    get_setting(network, "meetings.reply_deadline_days")  # → None or a number

Editing is a conditional save: the form carries the `fingerprint` of the values it showed,
and a save is refused with a conflict when someone changed them in between."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core.permissions import NETWORK_MANAGE

from .errors import Conflict, DomainError
from .history import record
from .models import HistoryAction, Network, NetworkSetting
from .permissions import authorize
from .prepared import prepared
from .visibility import register_history_kind

KINDS = ("bool", "int", "choice")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: Any
    kind: str
    default: Any
    group: Any = ""
    help_text: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @property
    def optional(self) -> bool:
        """An `int` setting whose default is None may be left empty ("none")."""
        return self.kind == "int" and self.default is None


_SPECS: dict[str, SettingSpec] = {}


def register_setting(
    key: str,
    *,
    label: Any,
    kind: str,
    default: Any,
    group: Any = "",
    help_text: Any = "",
    choices: tuple[tuple[str, Any], ...] = (),
    minimum: int | None = None,
    maximum: int | None = None,
) -> None:
    """Declare a setting `<app>.<name>` with its default."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} for setting {key!r}")
    spec = SettingSpec(key, label, kind, default, group, help_text, choices, minimum, maximum)
    if key in _SPECS and _SPECS[key] != spec:
        raise ValueError(f"setting {key!r} is registered twice")
    _SPECS[key] = spec


def specs() -> list[SettingSpec]:
    return sorted(_SPECS.values(), key=lambda s: s.key)


def spec_of(key: str) -> SettingSpec | None:
    specs()
    return _SPECS.get(key)


def label_of(key: str) -> Any:
    spec = spec_of(key)
    return spec.label if spec is not None else key


# --- reading ---------------------------------------------------------------------------------


@prepared
def _stored_settings(network_id: int):
    return NetworkSetting.objects.filter(network_id=network_id).values_list("key", "value")


def network_settings(network: Network) -> dict[str, Any]:
    """Every declared setting of the network: its value, or the default (one query, kept on
    the network object for the request)."""
    cached = network.__dict__.get("_uebergang_settings")
    if cached is not None:
        return cached
    stored = dict(_stored_settings(network_id=network.pk))
    values = {spec.key: stored.get(spec.key, spec.default) for spec in specs()}
    network.__dict__["_uebergang_settings"] = values
    return values


def get_setting(network: Network, key: str) -> Any:
    if spec_of(key) is None:
        raise KeyError(f"unknown setting {key!r}")
    return network_settings(network)[key]


def fingerprint(values: dict[str, Any]) -> str:
    """A short digest of the values a form showed: the version of a settings edit."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- checking and saving ---------------------------------------------------------------------


def clean_value(spec: SettingSpec, raw: Any) -> Any:
    """The value for `spec`, or a German message (DomainError for the field)."""
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise DomainError.for_field(spec.key, _("Bitte ja oder nein angeben."))
    if spec.kind == "choice":
        allowed = [value for value, _label in spec.choices]
        if raw in allowed:
            return raw
        raise DomainError.for_field(
            spec.key, _("Ungültiger Wert; erlaubt: %(allowed)s.") % {"allowed": ", ".join(allowed)}
        )
    # int
    if raw is None or raw == "":
        if spec.optional:
            return None
        raise DomainError.for_field(spec.key, _("Bitte eine ganze Zahl angeben."))
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise DomainError.for_field(spec.key, _("Bitte eine ganze Zahl angeben."))
    if spec.minimum is not None and raw < spec.minimum:
        raise DomainError.for_field(
            spec.key, _("Bitte mindestens %(minimum)d angeben.") % {"minimum": spec.minimum}
        )
    if spec.maximum is not None and raw > spec.maximum:
        raise DomainError.for_field(
            spec.key, _("Bitte höchstens %(maximum)d angeben.") % {"maximum": spec.maximum}
        )
    return raw


def network_settings_update(
    *, actor: Any, network: Network, values: dict[str, Any], expected: str | None
) -> dict[str, Any]:
    """Change some of the network's settings (the coordination office). `expected` is the
    fingerprint of the values the person saw (None: no check). Refused as a whole, with a
    message per setting, if a value is invalid or a key unknown; a conflict if the values
    changed in between. Each changed setting is a history record."""
    authorize(actor, network, NETWORK_MANAGE)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, raw in values.items():
        spec = spec_of(key)
        if spec is None:
            errors[key] = [_("Diese Einstellung gibt es nicht.")]
            continue
        try:
            cleaned[key] = clean_value(spec, raw)
        except DomainError as error:
            errors.update(error.field_errors)
    if errors:
        raise DomainError(_("Bitte prüfen Sie die markierten Angaben."), field_errors=errors)
    with transaction.atomic():
        locked = Network.all_objects.select_for_update().get(pk=network.pk)
        network.__dict__.pop("_uebergang_settings", None)
        current = network_settings(locked)
        if expected is not None and expected != fingerprint(current):
            raise Conflict(
                _(
                    "Die Einstellungen wurden inzwischen von jemand anderem geändert. Bitte "
                    "prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
                ),
                details={"current": current, "fingerprint": fingerprint(current)},
            )
        rows = {row.key: row for row in NetworkSetting.objects.filter(network=locked)}
        for key, value in cleaned.items():
            if current[key] == value:
                continue
            row = rows.get(key)
            if row is None:
                row = NetworkSetting.objects.create(network=locked, key=key, value=value)
                action = HistoryAction.CREATE
            else:
                row.value, row.version, row.modified = value, row.version + 1, timezone.now()
                row.save(update_fields=["value", "version", "modified"])
                action = HistoryAction.UPDATE
            record(
                actor=actor,
                action=action,
                obj=row,
                network=locked,
                changes={"value": [current[key], value]},
            )
            current[key] = value
    network.__dict__["_uebergang_settings"] = current
    return current


# The history of settings: for the coordination office (whose page they are on); no
# personal data in them.
register_history_kind("core.networksetting", permission=NETWORK_MANAGE, public={"key", "value"})
