"""Pages of the network registry. Views parse input, call a service or selector and render;
the services decide."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core import cachegen, workqueue
from uebergang.core import selectors as history_selectors
from uebergang.core.errors import Conflict, DomainError
from uebergang.core.history import present_events
from uebergang.core.permissions import NETWORK_MANAGE, can
from uebergang.core.web import (
    add_domain_error,
    as_of_date,
    asks_first_page,
    end_form_page,
    first_page,
    form_page,
    get_in_network,
    history_page,
    lazy,
    network_view,
    page_cache,
    paginate,
    query_without,
)
from uebergang.networks.rules import (
    HISTORY_VIEW,
    PARTNER_EDIT_CONTACT,
    REGISTRY_MANAGE,
    REGISTRY_VIEW,
)

from . import forms, selectors, services
from .models import ConstituencySeat, Partner, Person, Representation, SeatAssignment, SeatHolding


def registry_kinds() -> tuple[str, ...]:
    """What the registry's pages show: the network, its accounts' names and the registry
    (`core.cachegen`): a reply or a body's change leaves them cached."""
    return cachegen.kinds("core", "accounts", "networks")


def _url(name: str, request: HttpRequest, *args: Any) -> str:
    return reverse(f"networks:{name}", args=[request.network.slug, *args])


def _crumbs(request: HttpRequest, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(request.network.name, _url("start", request)), *items]


# --- start, dashboard, history ---------------------------------------------------------------


def _queue(request: HttpRequest) -> dict[str, Any]:
    """The person's work queue (`core.workqueue`), split into their own items and those of
    the coordination office. Per person, so never cached."""
    today = timezone.localdate()
    groups = workqueue.split(workqueue.collect(request.access, today))
    return {
        "today": today,
        "own_rows": workqueue.present(groups[workqueue.PERSON], today),
        "office_rows": workqueue.present(groups[workqueue.OFFICE], today),
    }


@network_view()
def start(request: HttpRequest) -> HttpResponse:
    """Where every person starts: "Meine Aufgaben" first, then the network (not cached: the
    queue is per person)."""
    network = request.network
    return render(
        request,
        "networks/start.html",
        {
            "section": "start",
            "partners": lazy(lambda: selectors.party_partners(network=network)),
            "seats": lazy(lambda: selectors.seat_cards(network=network)),
            "names": lazy(lambda: selectors.network_names(network=network)),
            "can_manage": request.access.is_coordination,
            **_queue(request),
        },
    )


@network_view(NETWORK_MANAGE)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordination office's overview: its work queue, the counters beside it (not
    cached: the queue is per person)."""
    network = request.network
    return render(
        request,
        "networks/dashboard.html",
        {
            "section": "dashboard",
            "breadcrumbs": _crumbs(request, (_("Übersicht"), None)),
            "overview": lazy(lambda: selectors.network_overview(network=network)),
            "without_rep": lazy(lambda: selectors.partners_without_representation(network=network)),
            "recent": lazy(
                lambda: present_events(
                    history_selectors.recent_network_history(actor=request.access, network=network)
                )
            ),
            **_queue(request),
        },
    )


@network_view(HISTORY_VIEW)
def network_history(request: HttpRequest) -> HttpResponse:
    return history_page(
        request,
        lambda: history_selectors.network_history(actor=request.access, network=request.network),
        title=_("Verlauf des Netzwerks"),
        section="history",
        breadcrumbs=_crumbs(request, (_("Verlauf"), None)),
        first=lambda: history_selectors.network_history_first_page(
            actor=request.access, network=request.network
        ),
    )


@network_view(NETWORK_MANAGE)
def network_edit(request: HttpRequest) -> HttpResponse:
    network = request.network
    form = forms.NetworkForm(request.POST or None, instance=network)
    return form_page(
        request,
        form=form,
        title=_("Angaben zum Netzwerk bearbeiten"),
        section="start",
        breadcrumbs=_crumbs(request, (_("Angaben bearbeiten"), None)),
        submit=_("Speichern"),
        action=lambda d: services.network_update(
            actor=request.user, network=network, expected_version=d.get("version"), data=d
        ),
        success=lambda n: _url("start", request),
        message=lambda n: _("Die Angaben zum Netzwerk sind gespeichert."),
        cancel_url=_url("start", request),
        current=network,
    )


@network_view(NETWORK_MANAGE)
def network_rename(request: HttpRequest) -> HttpResponse:
    network = request.network
    form = forms.RenameForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Netzwerk umbenennen"),
        section="start",
        breadcrumbs=_crumbs(request, (_("Umbenennen"), None)),
        submit=_("Umbenennen"),
        action=lambda d: services.network_rename(
            actor=request.user, network=network, name=d["name"], valid_from=d["valid_from"]
        ),
        success=lambda n: reverse("networks:start", args=[n.slug]),
        message=lambda n: _("Das Netzwerk heißt jetzt „%(name)s“.") % {"name": n.name},
        cancel_url=_url("start", request),
        intro=_("Der bisherige Name „%(name)s“ bleibt für die Zeit davor lesbar.")
        % {"name": network.name},
    )


# --- the network's logo ----------------------------------------------------------------------


def logo_context(request: HttpRequest, form: Any = None, *, back: str = "") -> dict[str, Any]:
    """What the logo's form shows (its page, and the panel on the settings page): the
    current logo, the upload form and the removal."""
    network = request.network
    logo = selectors.network_logo(network)
    seen = logo.sha256 if logo is not None else ""
    if form is None:
        form = forms.LogoForm(initial={"expected_sha256": seen, "back": back})
    return {
        "logo": logo,
        "logo_url": _url("network_logo_file", request) + f"?v={seen[:16]}" if logo else "",
        "logo_form": form,
        "logo_seen": seen,
        "logo_back": back,
        "logo_action": _url("network_logo", request),
    }


@network_view(NETWORK_MANAGE)
def network_logo(request: HttpRequest) -> HttpResponse:
    """Upload, replace or remove the logo of the letterhead (the coordination office). A
    change goes back to where it was made (the settings page or this page); a refusal is
    shown here, with the error summary."""
    network = request.network
    form = None
    if request.method == "POST":
        removing = "remove" in request.POST
        form = forms.LogoForm(request.POST, request.FILES, removing=removing)
        if form.is_valid():
            seen = form.cleaned_data["expected_sha256"]
            try:
                if removing:
                    services.network_logo_remove(
                        actor=request.user, network=network, expected_sha256=seen
                    )
                else:
                    services.network_logo_set(
                        actor=request.user,
                        network=network,
                        upload=form.cleaned_data["file"],
                        expected_sha256=seen,
                    )
            except DomainError as error:
                add_domain_error(form, error)
                if isinstance(error, Conflict):  # from now on, the logo as it is
                    data = form.data.copy()
                    data["expected_sha256"] = error.details.get("current_sha256", "")
                    form.data = data
            else:
                messages.success(
                    request,
                    _("Das Logo ist entfernt.") if removing else _("Das Logo ist gespeichert."),
                )
                if form.cleaned_data["back"] == "einstellungen":
                    return redirect("network_settings", network=network.slug)
                return redirect("networks:network_logo", network=network.slug)
    return render(
        request,
        "networks/network_logo.html",
        {
            "section": "settings",
            "breadcrumbs": _crumbs(request, (_("Logo im Briefkopf"), None)),
            **logo_context(request, form),
        },
    )


@network_view()
def network_logo_file(request: HttpRequest) -> HttpResponse:
    """The logo's file, for everyone in the network (the preview; files under MEDIA_ROOT
    are never served by URL)."""
    logo = selectors.network_logo(request.network)
    if logo is None or not logo.file:
        raise Http404
    try:
        handle = logo.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=logo.content_type)
    response["Content-Disposition"] = f'inline; filename="logo{logo.file.name[-4:]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    response["ETag"] = f'"{logo.sha256}"'
    return response


# --- partners --------------------------------------------------------------------------------


@network_view(REGISTRY_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    filters = forms.PartnerFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    day = data.get("stichtag")
    status = data.get("status") or selectors.Status.ACTIVE
    if (
        not data.get("q")
        and not data.get("art")
        and status == selectors.Status.ACTIVE
        and asks_first_page(request)
    ):  # the usual view: its first page from prepared queries
        page = lazy(
            lambda: first_page(*selectors.partner_first_page(network=request.network, as_of=day))
        )
    else:
        page = lazy(
            lambda: paginate(
                request,
                selectors.partner_list(
                    network=request.network,
                    q=data.get("q", ""),
                    kind=data.get("art", ""),
                    status=status,
                    as_of=day,
                    for_display=True,
                ),
            )
        )
    context = {
        "section": "partners",
        "filters": filters,
        "page": page,
        "partners": lazy(lambda: selectors.partner_rows(page.object_list)),
        "as_of": day,
        "breadcrumbs": _crumbs(request, (_("Partner"), None)),
        "query": query_without(request, "seite"),
        "can_manage": request.access.is_coordination,
        **page_cache(request, shared_by_role=True, depends=registry_kinds()),
    }
    template = (
        "networks/partner_list.html#results" if request.htmx else "networks/partner_list.html"
    )
    return render(request, template, context)


@network_view(REGISTRY_MANAGE)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = forms.PartnerForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Partner anlegen"),
        section="partners",
        breadcrumbs=_crumbs(
            request, (_("Partner"), _url("partner_list", request)), (_("Neu"), None)
        ),
        submit=_("Partner anlegen"),
        action=lambda d: services.partner_create(
            actor=request.user, network=request.network, data=d
        ),
        success=lambda p: _url("partner_detail", request, p.public_id),
        message=lambda p: _("Der Partner „%(name)s“ ist angelegt.") % {"name": p.name},
        cancel_url=_url("partner_list", request),
    )


@network_view(REGISTRY_VIEW)
def partner_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    day = as_of_date(request)
    can_edit_contact = can(request.access, request.network, PARTNER_EDIT_CONTACT, partner)
    return render(
        request,
        "networks/partner_detail.html",
        {
            "section": "partners",
            "d": lazy(lambda: selectors.partner_detail(partner=partner, as_of=day)),
            "partner": partner,
            "as_of": day,
            "breadcrumbs": _crumbs(
                request, (_("Partner"), _url("partner_list", request)), (partner.name, None)
            ),
            "events": lazy(
                lambda: present_events(
                    history_selectors.recent_history_for(actor=request.access, obj=partner)
                )
            ),
            "can_manage": request.access.is_coordination,
            "can_edit_contact": can_edit_contact,
            **page_cache(request, partner.pk, can_edit_contact, depends=registry_kinds()),
        },
    )


@network_view(REGISTRY_VIEW)
def partner_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    if request.access.is_coordination:
        form_class = forms.PartnerForm
    elif can(request.access, request.network, PARTNER_EDIT_CONTACT, partner):
        form_class = forms.PartnerContactForm
    else:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = form_class(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    detail_url = _url("partner_detail", request, partner.public_id)
    return form_page(
        request,
        form=form,
        title=_("%(name)s bearbeiten") % {"name": partner.name},
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (partner.name, detail_url),
            (_("Bearbeiten"), None),
        ),
        submit=_("Speichern"),
        action=lambda d: services.partner_update(
            actor=request.user,
            partner=partner,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda p: detail_url,
        message=lambda p: _("Die Änderungen sind gespeichert."),
        cancel_url=detail_url,
        current=partner,
    )


@network_view(REGISTRY_MANAGE)
def partner_rename(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    detail_url = _url("partner_detail", request, partner.public_id)
    form = forms.RenameForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("%(name)s umbenennen") % {"name": partner.name},
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (partner.name, detail_url),
            (_("Umbenennen"), None),
        ),
        submit=_("Umbenennen"),
        action=lambda d: services.partner_rename(
            actor=request.user, partner=partner, name=d["name"], valid_from=d["valid_from"]
        ),
        success=lambda p: detail_url,
        message=lambda p: _("Der Partner heißt jetzt „%(name)s“.") % {"name": p.name},
        cancel_url=detail_url,
        intro=_("Der bisherige Name bleibt für die Zeit davor lesbar."),
    )


@network_view(REGISTRY_MANAGE)
def partner_end(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    detail_url = _url("partner_detail", request, partner.public_id)
    return end_form_page(
        request,
        form=forms.EndPartnerForm(request.POST or None),
        end=partial(services.partner_end, actor=request.user, partner=partner),
        title=_("%(name)s beenden (ohne Nachfolger)") % {"name": partner.name},
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (partner.name, detail_url),
            (_("Beenden"), None),
        ),
        submit=_("Partnerschaft beenden"),
        success_url=detail_url,
        message=lambda p: (
            _("%(name)s ist zum %(day)s beendet.")
            % {"name": p.name, "day": p.valid_to.strftime("%d.%m.%Y")}
        ),
        intro=_(
            "Offene Vertretungen und Zuordnungen zu Sammelvertretungen enden am selben Tag. Alle Angaben bleiben für die Zeit davor lesbar."
        ),
    )


@network_view(REGISTRY_MANAGE)
def partner_succession(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    detail_url = _url("partner_detail", request, partner.public_id)
    form = forms.SuccessionForm(request.POST or None)
    form.fields["successor"].queryset = (
        selectors.partner_choices(network=request.network)
        .exclude(pk=partner.pk)
        .filter(valid_to__isnull=True)
    )

    def action(d: dict[str, Any]) -> Any:
        return services.partner_record_succession(
            actor=request.user,
            predecessor=partner,
            date=d["date"],
            successor=d.get("successor"),
            successor_data={"name": d["new_successor_name"]} if not d.get("successor") else None,
            take_over_seats=d.get("take_over_seats", False),
            note=d.get("note", ""),
        )

    return form_page(
        request,
        form=form,
        title=_("Nachfolge für %(name)s erfassen") % {"name": partner.name},
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (partner.name, detail_url),
            (_("Nachfolge"), None),
        ),
        submit=_("Nachfolge erfassen"),
        action=action,
        success=lambda s: _url("partner_detail", request, s.successor.public_id),
        message=lambda s: (
            _("%(old)s endet am %(last)s; %(new)s ist Nachfolger ab %(day)s.")
            % {
                "old": s.predecessor.name,
                "new": s.successor.name,
                "last": s.predecessor.valid_to.strftime("%d.%m.%Y"),
                "day": s.date.strftime("%d.%m.%Y"),
            }
        ),
        cancel_url=detail_url,
        intro=_(
            "Zum Beispiel: Zum 1. November 2016 ging der Landkreis Osterode am Harz im Landkreis Göttingen auf."
        ),
    )


@network_view(REGISTRY_MANAGE)
def representation_create(request: HttpRequest, pid: Any) -> HttpResponse:
    partner = get_in_network(Partner, request, pid)
    detail_url = _url("partner_detail", request, partner.public_id)
    form = forms.RepresentationForm(
        request.POST or None, initial={"valid_from": timezone.localdate()}
    )
    form.fields["institution"].queryset = (
        selectors.partner_choices(network=request.network)
        .exclude(pk=partner.pk)
        .filter(valid_to__isnull=True)
    )
    form.fields["person"].queryset = selectors.person_choices(network=request.network)
    return form_page(
        request,
        form=form,
        title=_("„Vertreten durch“ für %(name)s erfassen") % {"name": partner.name},
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (partner.name, detail_url),
            (_("„Vertreten durch“ erfassen"), None),
        ),
        submit=_("„Vertreten durch“ speichern"),
        action=lambda d: services.representation_create(actor=request.user, partner=partner, **d),
        success=lambda r: detail_url,
        message=lambda r: _("„Vertreten durch“ ist erfasst."),
        cancel_url=detail_url,
    )


@network_view(REGISTRY_MANAGE)
def representation_end(request: HttpRequest, pid: Any) -> HttpResponse:
    rep = get_in_network(Representation, request, pid)
    detail_url = _url("partner_detail", request, rep.partner.public_id)
    return end_form_page(
        request,
        end=partial(services.representation_end, actor=request.user, representation=rep),
        title=_("„Vertreten durch“ beenden"),
        section="partners",
        breadcrumbs=_crumbs(
            request,
            (_("Partner"), _url("partner_list", request)),
            (rep.partner.name, detail_url),
            (_("„Vertreten durch“ beenden"), None),
        ),
        submit=_("„Vertreten durch“ beenden"),
        success_url=detail_url,
        message=_("„Vertreten durch“ ist beendet."),
        intro=str(rep),
    )


@network_view(REGISTRY_VIEW)
def record_history(request: HttpRequest, kind: str, pid: Any) -> HttpResponse:
    model = {"partner": Partner, "person": Person, "sammelvertretung": ConstituencySeat}.get(kind)
    if model is None:
        from django.http import Http404

        raise Http404
    obj = get_in_network(model, request, pid)
    # The whole network's history is the coordination office's (rule "history.view").
    whole = _url("history", request) if can(request.access, request.network, HISTORY_VIEW) else None
    return history_page(
        request,
        lambda: history_selectors.history_for(actor=request.access, obj=obj, limit=None),
        title=_("Verlauf: %(name)s") % {"name": obj},
        section="history",
        breadcrumbs=_crumbs(request, (_("Verlauf"), whole), (str(obj), None)),
        cache_parts=(kind, obj.pk),  # pks of two kinds may be equal
    )


# --- people ----------------------------------------------------------------------------------


@network_view(REGISTRY_VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    if not q and asks_first_page(request):  # the usual view: its first page, prepared
        page = lazy(lambda: first_page(*selectors.person_first_page(network=request.network)))
    else:
        page = lazy(lambda: paginate(request, selectors.person_list(network=request.network, q=q)))
    context = {
        "section": "people",
        "page": page,
        "people": lazy(lambda: page.object_list),
        "q": q,
        "breadcrumbs": _crumbs(request, (_("Personen"), None)),
        "query": query_without(request, "seite"),
        "can_manage": request.access.is_coordination,
        **page_cache(request, shared_by_role=True, depends=registry_kinds()),
    }
    template = "networks/person_list.html#results" if request.htmx else "networks/person_list.html"
    return render(request, template, context)


@network_view(REGISTRY_MANAGE)
def person_create(request: HttpRequest) -> HttpResponse:
    form = forms.PersonForm(request.POST or None)
    form.fields["organisation"].queryset = selectors.partner_choices(network=request.network)
    form.fields["organisation"].to_field_name = "public_id"
    return form_page(
        request,
        form=form,
        title=_("Person anlegen"),
        section="people",
        breadcrumbs=_crumbs(
            request, (_("Personen"), _url("person_list", request)), (_("Neu"), None)
        ),
        submit=_("Person anlegen"),
        action=lambda d: services.person_create(
            actor=request.user, network=request.network, data=d
        ),
        success=lambda p: _url("person_detail", request, p.public_id),
        message=lambda p: _("%(name)s ist angelegt.") % {"name": p},
        cancel_url=_url("person_list", request),
    )


@network_view(REGISTRY_VIEW)
def person_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    person = get_in_network(Person, request, pid)
    return render(
        request,
        "networks/person_detail.html",
        {
            "section": "people",
            "person": person,
            "representations": person.representations.select_related("partner").order_by(
                "-valid_from"
            ),
            "holdings": person.seat_holdings.select_related("seat").order_by("-valid_from"),
            "breadcrumbs": _crumbs(
                request, (_("Personen"), _url("person_list", request)), (str(person), None)
            ),
            "events": lazy(
                lambda: present_events(
                    history_selectors.recent_history_for(actor=request.access, obj=person)
                )
            ),
            "can_manage": request.access.is_coordination,
            **page_cache(request, person.pk, depends=registry_kinds()),
        },
    )


@network_view(REGISTRY_MANAGE)
def person_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    person = get_in_network(Person, request, pid)
    detail_url = _url("person_detail", request, person.public_id)
    form = forms.PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    form.fields["organisation"].queryset = selectors.partner_choices(network=request.network)
    form.fields["organisation"].to_field_name = "public_id"
    return form_page(
        request,
        form=form,
        title=_("%(name)s bearbeiten") % {"name": person},
        section="people",
        breadcrumbs=_crumbs(
            request,
            (_("Personen"), _url("person_list", request)),
            (str(person), detail_url),
            (_("Bearbeiten"), None),
        ),
        submit=_("Speichern"),
        action=lambda d: services.person_update(
            actor=request.user,
            person=person,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda p: detail_url,
        message=lambda p: _("Die Änderungen sind gespeichert."),
        cancel_url=detail_url,
        current=person,
    )


# --- constituency seats ----------------------------------------------------------------------


@network_view(REGISTRY_VIEW)
def seat_list(request: HttpRequest) -> HttpResponse:
    day = as_of_date(request)
    return render(
        request,
        "networks/seat_list.html",
        {
            "section": "seats",
            "seats": lazy(lambda: list(selectors.seat_list(network=request.network, as_of=day))),
            "as_of": day,
            "breadcrumbs": _crumbs(request, (_("Sammelvertretungen"), None)),
            "can_manage": request.access.is_coordination,
            **page_cache(request, shared_by_role=True, depends=registry_kinds()),
        },
    )


@network_view(REGISTRY_MANAGE)
def seat_create(request: HttpRequest) -> HttpResponse:
    form = forms.SeatForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Sammelvertretung anlegen"),
        section="seats",
        breadcrumbs=_crumbs(
            request, (_("Sammelvertretungen"), _url("seat_list", request)), (_("Neu"), None)
        ),
        submit=_("Anlegen"),
        action=lambda d: services.seat_create(actor=request.user, network=request.network, data=d),
        success=lambda s: _url("seat_detail", request, s.public_id),
        message=lambda s: _("Die Sammelvertretung „%(name)s“ ist angelegt.") % {"name": s.name},
        cancel_url=_url("seat_list", request),
    )


@network_view(REGISTRY_VIEW)
def seat_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(ConstituencySeat, request, pid)
    return render(
        request,
        "networks/seat_detail.html",
        {
            "section": "seats",
            "seat": seat,
            **selectors.seat_detail(seat=seat),
            "breadcrumbs": _crumbs(
                request, (_("Sammelvertretungen"), _url("seat_list", request)), (seat.name, None)
            ),
            "events": lazy(
                lambda: present_events(
                    history_selectors.recent_history_for(actor=request.access, obj=seat)
                )
            ),
            "can_manage": request.access.is_coordination,
            **page_cache(request, seat.pk, depends=registry_kinds()),
        },
    )


@network_view(REGISTRY_MANAGE)
def seat_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(ConstituencySeat, request, pid)
    detail_url = _url("seat_detail", request, seat.public_id)
    form = forms.SeatForm(request.POST or None, instance=ConstituencySeat.objects.get(pk=seat.pk))
    return form_page(
        request,
        form=form,
        title=_("%(name)s bearbeiten") % {"name": seat.name},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (seat.name, detail_url),
            (_("Bearbeiten"), None),
        ),
        submit=_("Speichern"),
        action=lambda d: services.seat_update(
            actor=request.user,
            seat=seat,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda s: detail_url,
        message=lambda s: _("Die Änderungen sind gespeichert."),
        cancel_url=detail_url,
        current=seat,
    )


@network_view(REGISTRY_MANAGE)
def seat_end(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(ConstituencySeat, request, pid)
    detail_url = _url("seat_detail", request, seat.public_id)
    return end_form_page(
        request,
        end=partial(services.seat_end, actor=request.user, seat=seat),
        title=_("Sammelvertretung „%(name)s“ beenden") % {"name": seat.name},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (seat.name, detail_url),
            (_("Beenden"), None),
        ),
        submit=_("Sammelvertretung beenden"),
        success_url=detail_url,
        message=_("Die Sammelvertretung ist beendet."),
        intro=_("Zuordnungen und eingetragene Personen enden am selben Tag."),
    )


@network_view(REGISTRY_MANAGE)
def seat_assign(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(ConstituencySeat, request, pid)
    detail_url = _url("seat_detail", request, seat.public_id)
    form = forms.SeatAssignForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    form.fields["partner"].queryset = selectors.partner_choices(network=request.network).filter(
        valid_to__isnull=True
    )
    return form_page(
        request,
        form=form,
        title=_("Institution der Sammelvertretung „%(name)s“ zuordnen") % {"name": seat.name},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (seat.name, detail_url),
            (_("Zuordnen"), None),
        ),
        submit=_("Zuordnen"),
        action=lambda d: services.seat_assign(
            actor=request.user, seat=seat, partner=d["partner"], valid_from=d["valid_from"]
        ),
        success=lambda a: detail_url,
        message=lambda a: (
            _("%(partner)s ist der Sammelvertretung „%(seat)s“ zugeordnet.")
            % {"partner": a.partner.name, "seat": seat.name}
        ),
        cancel_url=detail_url,
    )


@network_view(REGISTRY_MANAGE)
def seat_unassign(request: HttpRequest, pid: Any) -> HttpResponse:
    assignment = get_in_network(SeatAssignment, request, pid)
    detail_url = _url("seat_detail", request, assignment.seat.public_id)
    return end_form_page(
        request,
        end=partial(services.seat_unassign, actor=request.user, assignment=assignment),
        title=_("Zuordnung beenden: %(name)s") % {"name": assignment},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (assignment.seat.name, detail_url),
            (_("Zuordnung beenden"), None),
        ),
        submit=_("Zuordnung beenden"),
        success_url=detail_url,
        message=_("Die Zuordnung ist beendet."),
    )


@network_view(REGISTRY_MANAGE)
def seat_holding_create(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(ConstituencySeat, request, pid)
    detail_url = _url("seat_detail", request, seat.public_id)
    form = forms.SeatHoldingForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    form.fields["person"].queryset = selectors.person_choices(network=request.network)
    return form_page(
        request,
        form=form,
        title=_("Wer spricht für „%(name)s“?") % {"name": seat.name},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (seat.name, detail_url),
            (_("Person eintragen"), None),
        ),
        submit=_("Eintragen"),
        action=lambda d: services.seat_holding_create(
            actor=request.user, seat=seat, person=d["person"], valid_from=d["valid_from"]
        ),
        success=lambda h: detail_url,
        message=lambda h: _("%(person)s ist eingetragen.") % {"person": h.person},
        cancel_url=detail_url,
    )


@network_view(REGISTRY_MANAGE)
def seat_holding_end(request: HttpRequest, pid: Any) -> HttpResponse:
    holding = get_in_network(SeatHolding, request, pid)
    detail_url = _url("seat_detail", request, holding.seat.public_id)
    return end_form_page(
        request,
        end=partial(services.seat_holding_end, actor=request.user, holding=holding),
        title=_("Zeit beenden: %(name)s") % {"name": holding},
        section="seats",
        breadcrumbs=_crumbs(
            request,
            (_("Sammelvertretungen"), _url("seat_list", request)),
            (holding.seat.name, detail_url),
            (_("Beenden"), None),
        ),
        submit=_("Beenden"),
        success_url=detail_url,
        message=_("Die Zeit ist beendet."),
    )
