"""The registry's entries in the navigation (`core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.navigation import register_nav
from uebergang.core.permissions import NETWORK_MANAGE
from uebergang.networks.rules import HISTORY_VIEW, REGISTRY_VIEW

register_nav("start", "networks:start", order=10, label=_("Netzwerk"), section="start")
register_nav(
    "dashboard",
    "networks:dashboard",
    order=20,
    label=_("Übersicht"),
    section="dashboard",
    permission=NETWORK_MANAGE,
)
register_nav(
    "partner_list",
    "networks:partner_list",
    order=70,
    label=_("Partner"),
    section="partners",
    permission=REGISTRY_VIEW,
)
register_nav(
    "seat_list",
    "networks:seat_list",
    order=80,
    label=_("Sammelvertretungen"),
    section="seats",
    permission=REGISTRY_VIEW,
)
register_nav(
    "person_list",
    "networks:person_list",
    order=90,
    label=_("Personen"),
    section="people",
    permission=REGISTRY_VIEW,
)
register_nav(
    "history",
    "networks:history",
    order=100,
    label=_("Verlauf"),
    section="history",
    permission=HISTORY_VIEW,
)
