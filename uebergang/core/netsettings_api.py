"""API of the network's settings (`core.netsettings`): every member reads them, the
coordination office changes them; a change carries the fingerprint it read (409 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from . import netsettings
from .api import ERRORS, READ_ERRORS, network_access

router = Router(tags=["Einstellungen"])


class SettingOut(Schema):
    key: str = Field(description="`<app>.<name>`, z. B. `meetings.reply_deadline_days`")
    label: str
    help_text: str
    group: str
    kind: str = Field(description="`bool`, `int` oder `choice`")
    value: bool | int | str | None
    default: bool | int | str | None
    optional: bool = Field(description="darf leer (null) sein")
    minimum: int | None = None
    maximum: int | None = None
    choices: list[str] = Field(default_factory=list)


class SettingsOut(Schema):
    fingerprint: str = Field(description="Stand der Werte; beim Ändern als `fingerprint` mitgeben")
    items: list[SettingOut]


class SettingsIn(Schema):
    fingerprint: str | None = Field(
        None, max_length=64, description="der gelesene Stand; ohne: keine Prüfung auf Konflikte"
    )
    values: dict[str, bool | int | str | None] = Field(
        description="die zu ändernden Einstellungen, Schlüssel → Wert"
    )


def _out(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "fingerprint": netsettings.fingerprint(values),
        "items": [
            {
                "key": spec.key,
                "label": str(spec.label),
                "help_text": str(spec.help_text),
                "group": str(spec.group),
                "kind": spec.kind,
                "value": values[spec.key],
                "default": spec.default,
                "optional": spec.optional,
                "minimum": spec.minimum,
                "maximum": spec.maximum,
                "choices": [value for value, _label in spec.choices],
            }
            for spec in netsettings.specs()
        ],
    }


@router.get(
    "/networks/{network}/settings",
    response={200: SettingsOut, **READ_ERRORS},
    summary="Einstellungen des Netzwerks",
)
def settings_get(request: HttpRequest, network: str):
    net, _access = network_access(request, network)
    return _out(netsettings.network_settings(net))


@router.put(
    "/networks/{network}/settings",
    response={200: SettingsOut, **ERRORS},
    summary="Einstellungen ändern (Koordinierungsstelle)",
)
def settings_put(request: HttpRequest, network: str, body: SettingsIn):
    net, _access = network_access(request, network)
    values = netsettings.network_settings_update(
        actor=request.user, network=net, values=body.values, expected=body.fingerprint
    )
    return _out(values)
