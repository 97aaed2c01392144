"""The topics' entry in the navigation (`core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from uebergang.core.navigation import register_nav

from .rules import TOPICS_LIST

register_nav(
    "topic_list",
    "topics:topic_list",
    order=35,
    label=_("Themen"),
    section="topics",
    permission=TOPICS_LIST,
)
