from functools import lru_cache

from django.http import HttpRequest
from django.urls import reverse

NAV = ("start", "dashboard", "partner_list", "seat_list", "person_list", "history")


@lru_cache(maxsize=1024)
def _nav(slug: str) -> dict[str, str]:
    return {name: reverse(f"networks:{name}", args=[slug]) for name in NAV}


def nav(request: HttpRequest) -> dict:
    """The network's navigation links, reversed once per network slug."""
    network = getattr(request, "network", None)
    return {"nav": _nav(network.slug)} if network is not None else {}
