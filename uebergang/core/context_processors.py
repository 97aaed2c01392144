from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import nav_menu, nav_urls


def nav(request: HttpRequest) -> dict:
    """The network's links and main menu (`core.navigation`), on every page of a network."""
    network = getattr(request, "network", None)
    access = getattr(request, "access", None)
    if network is None:
        return {}
    context = {"nav": nav_urls(network.slug)}
    if access is not None:
        context["nav_menu"] = SimpleLazyObject(lambda: nav_menu(access))
    return context
