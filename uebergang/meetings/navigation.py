"""The entries of meetings, the network day and the calendar feeds in the navigation
(`core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.navigation import register_nav

register_nav(
    "meeting_list", "meetings:meeting_list", order=40, label=_("Sitzungen"), section="meetings"
)
register_nav(
    "networkday_list",
    "networkdays:networkday_list",
    order=50,
    label=_("Netzwerktag"),
    section="networkdays",
    permission="networkdays.view",
)
register_nav(
    "participation",
    "networkdays:participation",
    order=60,
    label=_("Teilnahme"),
    section="participation",
    permission="network.manage",
)
register_nav("feed_list", "calendar:feed_list", order=200)
