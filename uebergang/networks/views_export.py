"""Downloads of the registry for Excel: the partner list as CSV or XLSX, with the filters of
the page. The permission is asked by the selector (`networks.exports`); the file is never
cached (`core.tabular.response`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from uebergang.core import tabular
from uebergang.core.web import network_view

from . import exports, forms, selectors
from .rules import REGISTRY_VIEW


def fmt_or_404(fmt: str) -> str:
    if fmt not in tabular.FORMATS:
        raise Http404
    return fmt


@network_view(REGISTRY_VIEW)
def partner_export(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = fmt_or_404(fmt)
    filters = forms.PartnerFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    table = exports.partner_table(
        actor=request.access,
        network=request.network,
        q=data.get("q", ""),
        kind=data.get("art", ""),
        status=data.get("status") or selectors.Status.ACTIVE,
        as_of=data.get("stichtag"),
    )
    return tabular.response(table, fmt, _("Partner"))
