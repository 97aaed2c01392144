"""The bodies' entry in the navigation (`core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.bodies.rules import BODIES_LIST
from uebergang.core.navigation import register_nav

register_nav(
    "body_list",
    "bodies:body_list",
    order=30,
    label=_("Gremien"),
    section="bodies",
    permission=BODIES_LIST,
)
