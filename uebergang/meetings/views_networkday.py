"""Pages of the annual network day (list, create/edit, detail with programme, invitations and
registrations, registering, attendance, cancelling) and of participation per institution over
the years."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from uebergang.core.errors import DomainError
from uebergang.core.history import present_events
from uebergang.core.permissions import NETWORK_MANAGE, can
from uebergang.core.selectors import recent_history_for
from uebergang.core.web import form_page, get_in_network, lazy, network_view, page_cache
from uebergang.meetings.rules import NETWORKDAYS_MANAGE, NETWORKDAYS_VIEW
from uebergang.networks import selectors as network_selectors
from uebergang.networks.models import Person

from . import forms_networkday as forms
from . import selectors, services
from .models import NetworkDay, NetworkDayState, Registration

CLOSED_STATES = (NetworkDayState.HELD, NetworkDayState.CANCELLED)


def _url(name: str, request: HttpRequest, *args: Any) -> str:
    return reverse(f"networkdays:{name}", args=[request.network.slug, *args])


def _crumbs(request: HttpRequest, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (request.network.name, reverse("networks:start", args=[request.network.slug])),
        (_("Netzwerktag"), _url("networkday_list", request)),
        *items,
    ]


def _day_crumbs(request: HttpRequest, day: NetworkDay, label: str) -> list:
    return _crumbs(
        request, (str(day), _url("networkday_detail", request, day.public_id)), (label, None)
    )


def _posted(request: HttpRequest) -> Any:
    """The POST data of a confirmation (bound even when it carries no field)."""
    return request.POST if request.method == "POST" else None


def _is_manager(request: HttpRequest) -> bool:
    return can(request.access, request.network, NETWORKDAYS_MANAGE)


# --- list, create, edit ----------------------------------------------------------------------


@network_view(NETWORKDAYS_VIEW)
def networkday_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/networkday_list.html",
        {
            "section": "networkdays",
            "days": lazy(lambda: list(selectors.network_day_list(network=request.network))),
            "breadcrumbs": [
                (request.network.name, reverse("networks:start", args=[request.network.slug])),
                (_("Netzwerktag"), None),
            ],
            "can_manage": _is_manager(request),
            **page_cache(request),
        },
    )


@network_view(NETWORKDAYS_MANAGE)
def networkday_create(request: HttpRequest) -> HttpResponse:
    form = forms.NetworkDayForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Netzwerktag anlegen"),
        section="networkdays",
        breadcrumbs=_crumbs(request, (_("Neu"), None)),
        submit=_("Netzwerktag anlegen"),
        action=lambda d: services.network_day_create(
            actor=request.user, network=request.network, data=form.service_data()
        ),
        success=lambda day: _url("networkday_detail", request, day.public_id),
        message=lambda day: _("Der Netzwerktag „%(title)s“ ist angelegt.") % {"title": day.title},
        cancel_url=_url("networkday_list", request),
    )


@network_view(NETWORKDAYS_MANAGE)
def networkday_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    detail = _url("networkday_detail", request, day.public_id)
    fresh = NetworkDay.objects.get(pk=day.pk)
    form = forms.NetworkDayForm(
        request.POST or None, initial=forms.NetworkDayForm.initial_for(fresh)
    )
    return form_page(
        request,
        form=form,
        title=_("%(title)s bearbeiten") % {"title": day.title},
        section="networkdays",
        breadcrumbs=_day_crumbs(request, day, _("Bearbeiten")),
        submit=_("Speichern"),
        action=lambda d: services.network_day_update(
            actor=request.user,
            day=fresh,
            expected_version=d.get("version"),
            data=form.service_data(),
        ),
        success=lambda _day: detail,
        message=lambda _day: _("Die Änderungen sind gespeichert."),
        cancel_url=detail,
        current=fresh,
        intro=_(
            "Ist schon eingeladen, erhalten die Institutionen bei geänderter Zeit, geändertem Ort oder Titel eine aktualisierte Einladung."
        ),
    )


# --- detail ----------------------------------------------------------------------------------


def _grouped(registrations: list[Registration]) -> list[tuple[str, list[Registration]]]:
    no_partner = _("ohne Institution")
    return [
        (name, list(rows))
        for name, rows in itertools.groupby(
            registrations, key=lambda r: r.partner.name if r.partner_id else no_partner
        )
    ]


@network_view(NETWORKDAYS_VIEW)
def networkday_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    manager = _is_manager(request)
    registrations = lazy(lambda: selectors.registrations_of(day))
    today = timezone.localdate()
    open_ = day.state not in CLOSED_STATES
    deadline_passed = bool(day.registration_until and today > day.registration_until)
    return render(
        request,
        "meetings/networkday_detail.html",
        {
            "section": "networkdays",
            "day": day,
            "registrations": registrations,
            "groups": lazy(lambda: _grouped(registrations)),
            "own": lazy(
                lambda: next(
                    (
                        r
                        for r in registrations
                        if r.person_id and r.person.user_id == request.user.pk
                    ),
                    None,
                )
            ),
            "invitations": lazy(
                lambda: list(day.invitations.select_related("partner").order_by("name", "pk"))
            )
            if manager
            else [],
            "events": lazy(
                lambda: present_events(recent_history_for(actor=request.access, obj=day))
            )
            if manager
            else [],
            "is_open": open_,
            "deadline_passed": deadline_passed,
            "may_register": open_ and (manager or not deadline_passed),
            "may_record_attendance": manager
            and day.state != NetworkDayState.CANCELLED
            and day.day <= today,
            "breadcrumbs": _crumbs(request, (str(day), None)),
            "can_manage": manager,
            **page_cache(request, day.pk),
        },
    )


# --- invite, cancel --------------------------------------------------------------------------


@network_view(NETWORKDAYS_MANAGE)
def networkday_invite(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    detail = _url("networkday_detail", request, day.public_id)
    first = day.state == NetworkDayState.PLANNED
    return form_page(
        request,
        form=forms.ConfirmForm(_posted(request)),
        title=_("Alle Partner zu „%(title)s“ einladen") % {"title": day.title},
        section="networkdays",
        breadcrumbs=_day_crumbs(request, day, _("Einladen")),
        submit=_("Alle Partner einladen"),
        action=lambda d: services.network_day_invite(actor=request.user, day=day),
        success=lambda n: detail,
        message=lambda n: _("Die Einladung ist an %(n)s Institutionen unterwegs.") % {"n": n},
        cancel_url=detail,
        intro=_(
            "Jede Partnerinstitution, die am Tag des Netzwerktags besteht, erhält die Einladung an ihre Kontaktadresse."
        )
        if first
        else _(
            "Noch nicht eingeladene Partner werden eingeladen; alle erhalten die Einladung erneut."
        ),
    )


@network_view(NETWORKDAYS_MANAGE)
def networkday_cancel(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    detail = _url("networkday_detail", request, day.public_id)
    return form_page(
        request,
        form=forms.ConfirmForm(_posted(request)),
        title=_("%(title)s absagen") % {"title": day.title},
        section="networkdays",
        breadcrumbs=_day_crumbs(request, day, _("Absagen")),
        submit=_("Netzwerktag absagen"),
        action=lambda d: services.network_day_cancel(actor=request.user, day=day),
        success=lambda _day: detail,
        message=lambda _day: _("Der Netzwerktag ist abgesagt."),
        cancel_url=detail,
        intro=_("Wer schon eingeladen ist, erhält eine Absage."),
    )


# --- registrations ---------------------------------------------------------------------------


@network_view(NETWORKDAYS_VIEW)
def registration_add(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    detail = _url("networkday_detail", request, day.public_id)
    partners = network_selectors.partner_choices(network=request.network, day=day.day)
    if _is_manager(request):
        form = forms.RegistrationForm(_posted(request))
        form.fields["partner"].queryset = partners
        form.fields["person"].queryset = network_selectors.person_choices(network=request.network)
        return form_page(
            request,
            form=form,
            title=_("Anmeldung zu „%(title)s“") % {"title": day.title},
            section="networkdays",
            breadcrumbs=_day_crumbs(request, day, _("Anmelden")),
            submit=_("Anmelden"),
            action=lambda d: services.registration_add(
                actor=request.user,
                day=day,
                partner=d.get("partner"),
                person=d.get("person"),
                name=d.get("name", ""),
                email=d.get("email", ""),
                note=d.get("note", ""),
            ),
            success=lambda r: detail,
            message=lambda r: _("%(name)s ist angemeldet.") % {"name": r.name},
            cancel_url=detail,
        )
    person = (
        Person.objects.filter(network=request.network, user=request.user)
        .select_related("organisation")
        .first()
    )
    if person is None:
        messages.error(
            request,
            _(
                "Ihr Konto ist noch keiner Person im Verzeichnis zugeordnet. Bitte wenden Sie sich an die Koordinierungsstelle."
            ),
        )
        return redirect(detail)
    form = forms.SelfRegistrationForm(
        _posted(request),
        initial={"partner": person.organisation.public_id if person.organisation_id else None},
    )
    form.fields["partner"].queryset = partners
    return form_page(
        request,
        form=form,
        title=_("Zu „%(title)s“ anmelden") % {"title": day.title},
        section="networkdays",
        breadcrumbs=_day_crumbs(request, day, _("Anmelden")),
        submit=_("Anmelden"),
        action=lambda d: services.registration_add(
            actor=request.user,
            day=day,
            partner=d["partner"],
            person=person,
            note=d.get("note", ""),
        ),
        success=lambda r: detail,
        message=lambda r: _("Sie sind angemeldet."),
        cancel_url=detail,
        intro=_("Sie melden sich selbst an: %(name)s.") % {"name": person},
    )


@network_view(NETWORKDAYS_VIEW)
def registration_cancel(request: HttpRequest, pid: Any) -> HttpResponse:
    registration = get_in_network(Registration, request, pid)
    day = registration.network_day
    detail = _url("networkday_detail", request, day.public_id)
    own = registration.person_id is not None and registration.person.user_id == request.user.pk
    if not own and not _is_manager(request):
        raise PermissionDenied
    return form_page(
        request,
        form=forms.ConfirmForm(_posted(request)),
        title=_("Anmeldung zurückziehen: %(name)s") % {"name": registration.name},
        section="networkdays",
        breadcrumbs=_day_crumbs(request, day, _("Abmelden")),
        submit=_("Abmelden"),
        action=lambda d: services.registration_cancel(
            actor=request.user, registration=registration
        ),
        success=lambda _r: detail,
        message=lambda _r: _("Die Anmeldung ist zurückgezogen."),
        cancel_url=detail,
    )


# --- attendance ------------------------------------------------------------------------------


@network_view(NETWORKDAYS_MANAGE)
@require_http_methods(["GET", "POST"])
def networkday_attendance(request: HttpRequest, pid: Any) -> HttpResponse:
    day = get_in_network(NetworkDay, request, pid)
    detail = _url("networkday_detail", request, day.public_id)
    registrations = selectors.registrations_of(day)
    error = None
    if request.method == "POST":
        came = set(request.POST.getlist("attended"))
        chosen = [r for r in registrations if str(r.public_id) in came]
        try:
            services.network_day_attendance(actor=request.user, day=day, attended=chosen)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Die Teilnahme ist erfasst: %(n)s von %(total)s Angemeldeten waren da.")
                % {"n": len(chosen), "total": len(registrations)},
            )
            return redirect(detail)
    return render(
        request,
        "meetings/networkday_attendance.html",
        {
            "section": "networkdays",
            "day": day,
            "groups": _grouped(registrations),
            "error": error,
            "too_early": day.day > timezone.localdate(),
            "cancel_url": detail,
            "breadcrumbs": _day_crumbs(request, day, _("Teilnahme erfassen")),
        },
        status=400 if error else 200,
    )


# --- participation over the years ------------------------------------------------------------


@network_view(NETWORK_MANAGE)
def participation(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("jahr", "").strip()
    year = int(raw) if raw.isdigit() and len(raw) == 4 else None

    def compute() -> dict[str, Any]:
        all_years, rows = selectors.participation(network=request.network)
        years = [y for y in all_years if y == year] if year else all_years
        return {
            "all_years": all_years,
            "years": years,
            "rows": [{"row": row, "cells": [row.by_year[y] for y in years]} for row in rows],
        }

    return render(
        request,
        "meetings/participation.html",
        {
            "section": "participation",
            "year": year,
            "p": lazy(compute),
            "breadcrumbs": [
                (request.network.name, reverse("networks:start", args=[request.network.slug])),
                (_("Teilnahme"), None),
            ],
            **page_cache(request),
        },
    )
