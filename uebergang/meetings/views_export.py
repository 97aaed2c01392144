"""Downloads for Excel and paper: a meeting's invitees (CSV, XLSX) and its attendance list
(PDF), the registrations for a network day, participation per institution and year. The
views find the record in the request's network; the selectors in `meetings.exports` ask the
permission; files are never cached."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from uebergang.core import tabular
from uebergang.core.permissions import NETWORK_MANAGE
from uebergang.core.web import get_in_network, network_view

from . import exports, pdf_attendance
from .models import Meeting, NetworkDay
from .rules import MEETINGS_MANAGE, NETWORKDAYS_VIEW
from .views import _pdf


def _meeting(request: HttpRequest, pid: Any) -> Meeting:
    return get_in_network(Meeting, request, pid, related=("body",))


@network_view(MEETINGS_MANAGE)
def invitee_export(request: HttpRequest, pid: Any, fmt: str) -> HttpResponse:
    meeting = _meeting(request, pid)
    table = exports.invitee_table(actor=request.access, network=request.network, meeting=meeting)
    stem = _("Eingeladene %(body)s") % {"body": meeting.body.name}
    return tabular.response(table, fmt, stem, day=meeting.day)


@network_view(MEETINGS_MANAGE)
def attendance_list_pdf(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = _meeting(request, pid)
    data = pdf_attendance.attendance_list_pdf(
        actor=request.access, network=request.network, meeting=meeting
    )
    return _pdf(data, pdf_attendance.attendance_file_name(meeting))


@network_view(NETWORKDAYS_VIEW)
def registration_export(request: HttpRequest, pid: Any, fmt: str) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    table = exports.registration_table(actor=request.access, network=request.network, day=day)
    return tabular.response(table, fmt, _("Anmeldungen Netzwerktag"), day=day.day)


@network_view(NETWORK_MANAGE)
def participation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    raw = request.GET.get("jahr", "").strip()
    year = int(raw) if raw.isdigit() and len(raw) == 4 else None
    table = exports.participation_table(actor=request.access, network=request.network, year=year)
    stem = _("Teilnahme %(year)s") % {"year": year} if year else _("Teilnahme")
    return tabular.response(table, fmt, stem)
