"""Pages of the bodies: list, detail (seats, members, guests, offices, on any day), and the
forms of the coordination office."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.bodies.rules import BODIES_LIST, BODIES_MANAGE, BODY_VIEW
from uebergang.core import cachegen
from uebergang.core.panels import panel_depends
from uebergang.core.permissions import can
from uebergang.core.selectors import history_for
from uebergang.core.web import (
    as_of_date,
    end_form_page,
    form_page,
    get_in_network,
    history_page,
    lazy,
    network_view,
    page_cache,
)
from uebergang.networks import selectors as network_selectors
from uebergang.networks.models import ConstituencySeat

from . import forms, selectors, services
from .models import Body, BodySeat, MemberRole, Membership, Office


def body_kinds() -> tuple[str, ...]:
    """What the bodies' pages show: the network, the registry and the bodies; a body's page
    adds what the panels of other apps show on it (`core.cachegen`)."""
    return cachegen.kinds("core", "accounts", "networks", "bodies")


def _url(name: str, request: HttpRequest, *args: Any) -> str:
    return reverse(f"bodies:{name}", args=[request.network.slug, *args])


def _crumbs(request: HttpRequest, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (request.network.name, reverse("networks:start", args=[request.network.slug])),
        (_("Gremien"), _url("body_list", request)),
        *items,
    ]


def _body_for(request: HttpRequest, pid: Any) -> Body:
    body = get_in_network(Body, request, pid)
    if not can(request.access, request.network, BODY_VIEW, body):
        raise PermissionDenied
    return body


@network_view(BODIES_LIST)
def body_list(request: HttpRequest) -> HttpResponse:
    day = as_of_date(request)
    return render(
        request,
        "bodies/body_list.html",
        {
            "section": "bodies",
            "bodies": lazy(
                lambda: list(
                    selectors.body_list(network=request.network, access=request.access, as_of=day)
                )
            ),
            "as_of": day,
            "breadcrumbs": [
                (request.network.name, reverse("networks:start", args=[request.network.slug])),
                (_("Gremien"), None),
            ],
            "can_manage": request.access.is_coordination,
            **page_cache(request, depends=body_kinds()),
        },
    )


@network_view(BODIES_MANAGE)
def body_create(request: HttpRequest) -> HttpResponse:
    form = forms.BodyForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Gremium anlegen"),
        section="bodies",
        breadcrumbs=_crumbs(request, (_("Neu"), None)),
        submit=_("Gremium anlegen"),
        action=lambda d: services.body_create(
            actor=request.user,
            network=request.network,
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda b: _url("body_detail", request, b.public_id),
        message=lambda b: _("Das Gremium „%(name)s“ ist angelegt.") % {"name": b.name},
        cancel_url=_url("body_list", request),
    )


@network_view(BODIES_LIST)
def body_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    body = _body_for(request, pid)
    day = as_of_date(request)
    return render(
        request,
        "bodies/body_detail.html",
        {
            "section": "bodies",
            "body": body,
            "as_of": day,
            "d": lazy(lambda: selectors.body_detail(body=body, as_of=day)),
            "breadcrumbs": _crumbs(request, (body.name, None)),
            "can_manage": request.access.is_coordination,
            **page_cache(request, body.pk, depends=body_kinds() + panel_depends(Body)),
        },
    )


@network_view(BODIES_LIST)
def body_history(request: HttpRequest, pid: Any) -> HttpResponse:
    """The body's history (its seats, memberships, offices, and what hangs on them), on a
    page of its own: the body's page links to it instead of reading it each time."""
    body = _body_for(request, pid)
    return history_page(
        request,
        lambda: history_for(actor=request.access, obj=body, limit=None),
        title=_("Verlauf: %(name)s") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(
            request,
            (body.name, _url("body_detail", request, body.public_id)),
            (_("Verlauf"), None),
        ),
        cache_parts=("history", body.pk),
    )


@network_view(BODIES_MANAGE)
def body_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    body = get_in_network(Body, request, pid)
    detail = _url("body_detail", request, body.public_id)
    form = forms.BodyForm(request.POST or None, instance=Body.objects.get(pk=body.pk))
    return form_page(
        request,
        form=form,
        title=_("%(name)s bearbeiten") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Bearbeiten"), None)),
        submit=_("Speichern"),
        action=lambda d: services.body_update(
            actor=request.user,
            body=body,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda b: detail,
        message=lambda b: _("Die Änderungen sind gespeichert."),
        cancel_url=detail,
        current=body,
    )


@network_view(BODIES_MANAGE)
def body_dissolve(request: HttpRequest, pid: Any) -> HttpResponse:
    body = get_in_network(Body, request, pid)
    detail = _url("body_detail", request, body.public_id)
    return end_form_page(
        request,
        form=forms.DissolveForm(request.POST or None, initial={"valid_to": timezone.localdate()}),
        end=partial(services.body_dissolve, actor=request.user, body=body),
        title=_("%(name)s auflösen") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Auflösen"), None)),
        submit=_("Gremium auflösen"),
        success_url=detail,
        message=_("Das Gremium ist aufgelöst."),
        intro=_(
            "Sitze, Mitgliedschaften und Ämter enden am selben Tag; alles bleibt für die Zeit davor lesbar."
        ),
    )


@network_view(BODIES_MANAGE)
def seat_add(request: HttpRequest, pid: Any) -> HttpResponse:
    body = get_in_network(Body, request, pid)
    detail = _url("body_detail", request, body.public_id)
    form = forms.BodySeatForm(
        request.POST or None, initial={"valid_from": timezone.localdate(), "voting": True}
    )
    form.fields["partner"].queryset = network_selectors.partner_choices(
        network=request.network
    ).filter(valid_to__isnull=True)
    form.fields["constituency_seat"].queryset = ConstituencySeat.objects.filter(
        network=request.network, valid_to__isnull=True
    ).order_by("name")
    return form_page(
        request,
        form=form,
        title=_("Sitz im Gremium „%(name)s“ anlegen") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Sitz anlegen"), None)),
        submit=_("Sitz anlegen"),
        action=lambda d: services.body_seat_add(
            actor=request.user,
            body=body,
            partner=d.get("partner"),
            constituency_seat=d.get("constituency_seat"),
            voting=d.get("voting", False),
            valid_from=d["valid_from"],
        ),
        success=lambda s: detail,
        message=lambda s: _("Der Sitz für %(name)s ist angelegt.") % {"name": s},
        cancel_url=detail,
        intro=_(
            "Eine Stimme je Sitz. Institutionen, die einer Sammelvertretung zugeordnet sind, haben keinen eigenen Sitz, wenn die Sammelvertretung im Gremium sitzt."
        ),
    )


@network_view(BODIES_MANAGE)
def seat_end(request: HttpRequest, pid: Any) -> HttpResponse:
    seat = get_in_network(BodySeat, request, pid)
    detail = _url("body_detail", request, seat.body.public_id)
    return end_form_page(
        request,
        end=partial(services.body_seat_end, actor=request.user, seat=seat),
        title=_("Sitz beenden: %(name)s") % {"name": seat},
        section="bodies",
        breadcrumbs=_crumbs(request, (seat.body.name, detail), (_("Sitz beenden"), None)),
        submit=_("Sitz beenden"),
        success_url=detail,
        message=_("Der Sitz ist beendet."),
        intro=_("Die Mitgliedschaften auf diesem Sitz enden am selben Tag."),
    )


def _membership_label(m: Membership) -> str:
    return f"{m.person} ({m.seat})" if m.seat_id else str(m.person)


@network_view(BODIES_MANAGE)
def membership_add(request: HttpRequest, pid: Any) -> HttpResponse:
    body = get_in_network(Body, request, pid)
    detail = _url("body_detail", request, body.public_id)
    form = forms.MembershipForm(
        request.POST or None,
        initial={
            "valid_from": timezone.localdate(),
            "role": request.GET.get("rolle", MemberRole.MEMBER),
        },
    )
    form.fields["person"].queryset = network_selectors.person_choices(network=request.network)
    form.fields["seat"].queryset = body.seats.filter(valid_to__isnull=True).select_related(
        "partner", "constituency_seat"
    )
    form.fields["substitute_for"].queryset = body.memberships.filter(
        valid_to__isnull=True, role=MemberRole.MEMBER
    ).select_related("person", "seat__partner", "seat__constituency_seat")
    form.fields["substitute_for"].label_from_instance = _membership_label
    return form_page(
        request,
        form=form,
        title=_("Person in „%(name)s“ aufnehmen") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Person aufnehmen"), None)),
        submit=_("Aufnehmen"),
        action=lambda d: services.membership_add(
            actor=request.user,
            body=body,
            person=d["person"],
            role=d["role"],
            seat=d.get("seat"),
            substitute_for=d.get("substitute_for"),
            valid_from=d["valid_from"],
            valid_to=d.get("valid_to"),
            note=d.get("note", ""),
        ),
        success=lambda m: detail,
        message=lambda m: (
            _("%(person)s ist aufgenommen (%(role)s).") % {"person": m.person, "role": m.role_label}
        ),
        cancel_url=detail,
    )


@network_view(BODIES_MANAGE)
def membership_end(request: HttpRequest, pid: Any) -> HttpResponse:
    membership = get_in_network(Membership, request, pid)
    detail = _url("body_detail", request, membership.body.public_id)
    return end_form_page(
        request,
        end=partial(services.membership_end, actor=request.user, membership=membership),
        title=_("Mitgliedschaft beenden: %(name)s") % {"name": membership.person},
        section="bodies",
        breadcrumbs=_crumbs(
            request, (membership.body.name, detail), (_("Mitgliedschaft beenden"), None)
        ),
        submit=_("Mitgliedschaft beenden"),
        success_url=detail,
        message=_("Die Mitgliedschaft ist beendet."),
        intro=_("Ämter und Vertreter/innen dieses Mitglieds enden am selben Tag."),
    )


@network_view(BODIES_MANAGE)
def office_assign(request: HttpRequest, pid: Any) -> HttpResponse:
    body = get_in_network(Body, request, pid)
    detail = _url("body_detail", request, body.public_id)
    form = forms.OfficeForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    form.fields["membership"].queryset = body.memberships.filter(
        valid_to__isnull=True, role=MemberRole.MEMBER
    ).select_related("person", "seat__partner", "seat__constituency_seat")
    form.fields["membership"].label_from_instance = _membership_label
    return form_page(
        request,
        form=form,
        title=_("Amt in „%(name)s“ eintragen") % {"name": body.name},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Amt eintragen"), None)),
        submit=_("Eintragen"),
        action=lambda d: services.office_assign(
            actor=request.user,
            membership=d["membership"],
            kind=d["kind"],
            valid_from=d["valid_from"],
            valid_to=d.get("valid_to"),
        ),
        success=lambda o: detail,
        message=lambda o: (
            _("%(office)s: %(person)s ist eingetragen.")
            % {"office": o.kind_label, "person": o.membership.person}
        ),
        cancel_url=detail,
        intro=_(
            "Vorsitz und Stellvertretung wählt der Beirat aus seinen Mitgliedern; hier wird festgehalten, wer das Amt innehat."
        ),
    )


@network_view(BODIES_MANAGE)
def office_end(request: HttpRequest, pid: Any) -> HttpResponse:
    office = get_in_network(Office, request, pid)
    body = office.membership.body
    detail = _url("body_detail", request, body.public_id)
    return end_form_page(
        request,
        end=partial(services.office_end, actor=request.user, office=office),
        title=_("Amtszeit beenden: %(name)s") % {"name": office},
        section="bodies",
        breadcrumbs=_crumbs(request, (body.name, detail), (_("Amtszeit beenden"), None)),
        submit=_("Amtszeit beenden"),
        success_url=detail,
        message=_("Die Amtszeit ist beendet."),
    )
