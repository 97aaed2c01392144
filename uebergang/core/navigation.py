"""Plug-in point for the site's navigation: each app registers its entries in its own
`navigation.py` (imported at start-up by `CoreConfig.ready`); the
context processor `core.context_processors.nav` gives every page of a network

* `nav`: the address of every registered entry by key (`{{ nav.partner_list }}`), and
* `nav_menu`: the entries of the main menu that the person may open, in their order.

An entry is shown only to people for whom its permission holds (`core.permissions.can`), the
same permission that guards its page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uebergang.core.permissions import NETWORK_MANAGE, NETWORK_VIEW

from .permissions import can
from .reversing import fast_reverse


@dataclass(frozen=True)
class NavEntry:
    key: str
    url_name: str
    order: int
    label: Any = None  # lazy text; None: a link only, not in the menu
    section: str = ""  # the `section` a page sets to mark its entry as current
    permission: str = NETWORK_VIEW


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(
    key: str,
    url_name: str,
    *,
    order: int,
    label: Any = None,
    section: str = "",
    permission: str = NETWORK_VIEW,
) -> None:
    """Register a link of the network's pages; with `label` it is in the main menu."""
    entry = NavEntry(key, url_name, order, label, section, permission)
    if key in _ENTRIES and _ENTRIES[key] != entry:
        raise ValueError(f"navigation entry {key!r} is registered twice")
    _ENTRIES[key] = entry


def entries() -> list[NavEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))


@lru_cache(maxsize=1024)
def nav_urls(slug: str) -> dict[str, str]:
    """Every entry's address in the network with this slug (reversed once per slug)."""
    return {entry.key: reverse(entry.url_name, args=[slug]) for entry in entries()}


def record_url(name: str, slug: str, public_id: Any) -> str:
    """`reverse(name, args=[slug, public_id])` for a page of one record, through
    `core.reversing.fast_reverse` (work queues, lists of links in panels)."""
    return fast_reverse(name, args=[slug, public_id])


def nav_menu(access: Any) -> list[dict[str, Any]]:
    """The main menu for this person: label, address and section of each entry they may
    open."""
    urls = nav_urls(access.network.slug)
    return [
        {"label": entry.label, "url": urls[entry.key], "section": entry.section}
        for entry in entries()
        if entry.label is not None and can(access, access.network, entry.permission)
    ]


# core's own entry: the network's settings (`core.netsettings`), for the coordination office.
register_nav(
    "settings",
    "network_settings",
    order=110,
    label=_("Einstellungen"),
    section="settings",
    permission=NETWORK_MANAGE,
)
