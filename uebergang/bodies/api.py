"""API of the bodies: bodies, seats, memberships (members, substitutes, guest experts,
moderation) and offices. The coordination office writes; members read the bodies they sit
in."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Schema as NinjaSchema

from uebergang.bodies.rules import BODIES_LIST, BODY_VIEW
from uebergang.core import tabular
from uebergang.core.api import (
    ERRORS,
    READ_ERRORS,
    Day,
    ErrorOut,
    cached_json,
    current_on_conflict,
    get_or_404,
    network_access,
    patch_data,
    ref_or_422,
)
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.permissions import can
from uebergang.networks.models import ConstituencySeat, Partner, Person
from uebergang.networks.rules import REGISTRY_VIEW

from . import exports, selectors, services
from . import schemas as s
from .models import Body, BodySeat, Membership, Office

router = Router(tags=["Gremien"])
N = "/networks/{network}/bodies"


def _visible_body(request, access, net, bid) -> Body:
    body = get_or_404(Body, net, bid)
    if not can(access, net, BODY_VIEW, body):
        raise PermissionDenied(
            "Dieses Gremium sehen nur seine Mitglieder und die Koordinierungsstelle."
        )
    return body


@router.get(N, response={200: list[s.BodyListOut], **READ_ERRORS}, summary="Gremien (am Stichtag)")
def body_list(
    request: HttpRequest,
    network: str,
    as_of: Day | None = None,
    include_dissolved: bool = False,
):
    """Die Koordinierungsstelle sieht alle Gremien, ein Mitglied die, in denen es sitzt."""
    net, access = network_access(request, network, BODIES_LIST)
    return cached_json(
        request,
        access,
        list[s.BodyListOut],
        lambda: list(
            selectors.body_list(
                network=net, access=access, as_of=as_of, include_dissolved=include_dissolved
            )
        ),
        "" if access.is_coordination else request.user.pk,
    )


@router.post(N, response={201: s.BodyOut, **ERRORS}, summary="Gremium anlegen")
def body_create(request: HttpRequest, network: str, body: s.BodyIn):
    net, _ = network_access(request, network)
    return 201, services.body_create(actor=request.user, network=net, data=body.dict())


@router.get(
    f"{N}/{{bid}}",
    response={200: s.BodyDetailOut, 403: ErrorOut, **READ_ERRORS},
    summary="Ein Gremium mit allen Sitzen und Mitgliedschaften",
)
def body_get(request: HttpRequest, network: str, bid: UUID):
    net, access = network_access(request, network, BODIES_LIST)
    body = _visible_body(request, access, net, bid)
    body.seats_all = list(
        body.seats.select_related("body", "partner", "constituency_seat").order_by(
            "valid_from", "pk"
        )
    )
    body.memberships_all = list(
        body.memberships.select_related("body", "person", "seat", "substitute_for")
        .prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.select_related("membership").order_by("valid_from"),
            )
        )
        .order_by("valid_from", "pk")
    )
    return body


@router.patch(f"{N}/{{bid}}", response={200: s.BodyOut, **ERRORS}, summary="Gremium ändern")
def body_update(request: HttpRequest, network: str, bid: UUID, body: s.BodyPatch):
    net, _ = network_access(request, network)
    obj = get_or_404(Body, net, bid)
    data = patch_data(body)
    with current_on_conflict(s.BodyOut, lambda: Body.objects.get(pk=obj.pk)):
        return services.body_update(
            actor=request.user, body=obj, expected_version=body.version, data=data
        )


@router.post(
    f"{N}/{{bid}}/dissolve", response={200: s.BodyOut, **ERRORS}, summary="Gremium auflösen"
)
def body_dissolve(request: HttpRequest, network: str, bid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.body_dissolve(
        actor=request.user, body=get_or_404(Body, net, bid), valid_to=body.valid_to
    )


@router.post(f"{N}/{{bid}}/seats", response={201: s.BodySeatOut, **ERRORS}, summary="Sitz anlegen")
def seat_add(request: HttpRequest, network: str, bid: UUID, body: s.BodySeatIn):
    net, _ = network_access(request, network)
    obj = get_or_404(Body, net, bid)
    return 201, services.body_seat_add(
        actor=request.user,
        body=obj,
        partner=ref_or_422(Partner, net, body.partner, "partner"),
        constituency_seat=ref_or_422(
            ConstituencySeat, net, body.constituency_seat, "constituency_seat"
        ),
        voting=body.voting,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )


@router.post(
    "/networks/{network}/body-seats/{bsid}/end",
    response={200: s.BodySeatOut, **ERRORS},
    summary="Sitz beenden",
)
def seat_end(request: HttpRequest, network: str, bsid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.body_seat_end(
        actor=request.user, seat=get_or_404(BodySeat, net, bsid), valid_to=body.valid_to
    )


@router.post(
    f"{N}/{{bid}}/memberships",
    response={201: s.MembershipOut, **ERRORS},
    summary="Person aufnehmen",
)
def membership_add(request: HttpRequest, network: str, bid: UUID, body: s.MembershipIn):
    net, _ = network_access(request, network)
    obj = get_or_404(Body, net, bid)
    return 201, services.membership_add(
        actor=request.user,
        body=obj,
        person=ref_or_422(Person, net, body.person, "person"),
        role=body.role,
        seat=ref_or_422(BodySeat, net, body.seat, "seat"),
        substitute_for=ref_or_422(Membership, net, body.substitute_for, "substitute_for"),
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        note=body.note,
    )


@router.post(
    "/networks/{network}/memberships/{mid}/end",
    response={200: s.MembershipOut, **ERRORS},
    summary="Mitgliedschaft beenden",
)
def membership_end(request: HttpRequest, network: str, mid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.membership_end(
        actor=request.user, membership=get_or_404(Membership, net, mid), valid_to=body.valid_to
    )


@router.post(
    f"{N}/{{bid}}/offices",
    response={201: s.OfficeOut, **ERRORS},
    summary="Amt eintragen (Vorsitz, Stellvertretung (Vorsitz))",
)
def office_assign(request: HttpRequest, network: str, bid: UUID, body: s.OfficeIn):
    net, _ = network_access(request, network)
    obj = get_or_404(Body, net, bid)
    membership = ref_or_422(Membership, net, body.membership, "membership")
    if membership.body_id != obj.pk:
        raise DomainError.for_field(
            "membership", "Diese Mitgliedschaft gehört zu einem anderen Gremium."
        )
    return 201, services.office_assign(
        actor=request.user,
        membership=membership,
        kind=body.kind,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )


@router.post(
    "/networks/{network}/offices/{oid}/end",
    response={200: s.OfficeOut, **ERRORS},
    summary="Amtszeit beenden",
)
def office_end(request: HttpRequest, network: str, oid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.office_end(
        actor=request.user, office=get_or_404(Office, net, oid), valid_to=body.valid_to
    )


class PeopleDownloadFilters(NinjaSchema):
    q: str = ""
    as_of: Day | None = None
    format: Literal[tabular.API_FORMATS] = "xlsx"  # type: ignore[valid-type]


@router.get(
    "/networks/{network}/memberships/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Personen mit ihren Mitgliedschaften herunterladen (XLSX oder CSV)",
    openapi_extra=tabular.api_download_openapi("Die Personen mit ihren Mitgliedschaften"),
)
def people_download(request: HttpRequest, network: str, filters: Query[PeopleDownloadFilters]):
    """Eine Zeile je Mitgliedschaft am Stichtag in einem Gremium, das die Person sehen darf;
    Mitglieder erhalten keine E-Mail-Adressen oder Telefonnummern anderer."""
    net, access = network_access(request, network, REGISTRY_VIEW)
    table = exports.people_table(actor=access, network=net, q=filters.q, as_of=filters.as_of)
    return tabular.response(table, filters.format, _("Personen"), day=filters.as_of)
