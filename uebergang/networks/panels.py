"""What the registry shows on other apps' pages (`core.panels`): the logo of the letterhead
on the network's settings page (core's *Einstellungen*), for the coordination office."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from uebergang.core.models import Network
from uebergang.core.panels import register_panel
from uebergang.core.permissions import NETWORK_MANAGE, can

from .views import logo_context


def settings_logo(request: HttpRequest, network: Any) -> str:
    """The current logo with its upload and removal (they post to the logo's own page and
    come back here)."""
    if not can(request.access, network, NETWORK_MANAGE):  # type: ignore[attr-defined]
        return ""
    return render_to_string(
        "networks/_logo_panel.html", logo_context(request, back="einstellungen"), request=request
    )


register_panel(Network, "logo", 10, settings_logo, depends=("networks.networklogo",))
