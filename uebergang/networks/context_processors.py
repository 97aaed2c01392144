from functools import lru_cache

from django.http import HttpRequest
from django.urls import reverse

NAV = (
    "networks:start",
    "networks:dashboard",
    "networks:partner_list",
    "networks:seat_list",
    "networks:person_list",
    "networks:history",
    "bodies:body_list",
    "meetings:meeting_list",
    "networkdays:networkday_list",
    "networkdays:participation",
    "calendar:feed_list",
)


@lru_cache(maxsize=1024)
def _nav(slug: str) -> dict[str, str]:
    return {name.split(":")[1]: reverse(name, args=[slug]) for name in NAV}


def nav(request: HttpRequest) -> dict:
    """The network's navigation links, reversed once per network slug."""
    network = getattr(request, "network", None)
    return {"nav": _nav(network.slug)} if network is not None else {}
