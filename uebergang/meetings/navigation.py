"""The entries of meetings, the network day and the calendar feeds in the navigation
(`core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.navigation import register_nav
from uebergang.core.permissions import NETWORK_MANAGE
from uebergang.meetings.rules import NETWORKDAYS_VIEW

register_nav(
    "meeting_list", "meetings:meeting_list", order=40, label=_("Sitzungen"), section="meetings"
)
register_nav(
    "follow_up",
    "meetings:follow_up",
    order=45,
    label=_("Beschlüsse"),
    section="follow_up",
)
register_nav(
    "networkday_list",
    "networkdays:networkday_list",
    order=50,
    label=_("Netzwerktag"),
    section="networkdays",
    permission=NETWORKDAYS_VIEW,
)
register_nav(
    "participation",
    "networkdays:participation",
    order=60,
    label=_("Teilnahme"),
    section="participation",
    permission=NETWORK_MANAGE,
)
register_nav("feed_list", "calendar:feed_list", order=200)
