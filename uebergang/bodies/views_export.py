"""Downloads for Excel from the bodies' side: the people of the registry with their
memberships (the link is on the people list). The permission is asked by the selector
(`bodies.exports`); the file is never cached (`core.tabular.response`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from uebergang.core import tabular
from uebergang.core.web import as_of_date, network_view
from uebergang.networks.rules import REGISTRY_VIEW

from . import exports


@network_view(REGISTRY_VIEW)
def people_export(request: HttpRequest, fmt: str) -> HttpResponse:
    table = exports.people_table(
        actor=request.access,
        network=request.network,
        q=request.GET.get("q", "").strip(),
        as_of=as_of_date(request),
    )
    return tabular.response(table, fmt, _("Personen"))
