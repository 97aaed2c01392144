"""API of the network registry: the network, partners, representations, successions,
people, constituency seats with assignments and holders, and the history. Members read,
the coordination office writes (the services decide)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from uebergang.core import selectors as history_selectors
from uebergang.core import tabular
from uebergang.core.api import (
    DEFAULT_LIMIT,
    ERRORS,
    READ_ERRORS,
    Day,
    ErrorOut,
    Page,
    Paging,
    cached_json,
    current_on_conflict,
    get_or_404,
    network_access,
    page_of,
    patch_data,
    ref_or_422,
)
from uebergang.core.errors import DomainError, NotFound
from uebergang.core.permissions import NETWORK_MANAGE
from uebergang.networks.rules import HISTORY_VIEW, REGISTRY_VIEW

from . import exports, selectors, services
from . import schemas as s
from .models import (
    ConstituencySeat,
    Partner,
    PartnerKind,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
)

router = Router(tags=["Netzwerk-Register"])
N = "/networks/{network}"


# --- network -----------------------------------------------------------------------------------


@router.get(N, response={200: s.NetworkOut, **READ_ERRORS}, summary="Das Netzwerk")
def network_get(request: HttpRequest, network: str, as_of: Day | None = None):
    net, _ = network_access(request, network)
    return {
        **{
            f: getattr(net, f)
            for f in (
                "slug",
                "name",
                "region",
                "description",
                "coordination_office",
                "email",
                "valid_from",
                "valid_to",
                "version",
            )
        },
        "name_on": selectors.network_name_on(net, as_of) if as_of else net.name,
        "names": list(net.names.all()),
    }


# --- the logo of the letterhead ----------------------------------------------------------------


@router.get(
    f"{N}/logo",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Logo des Netzwerks herunterladen (Koordinierungsstelle)",
    openapi_extra={
        "responses": {
            200: {
                "description": "das Bild (PNG oder JPEG); `ETag` ist sein Prüfwert (sha256)",
                "content": {
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def logo_get(request: HttpRequest, network: str):
    """Das Logo im Briefkopf der Einladungen und Protokolle; 404, wenn keines hinterlegt
    ist."""
    net, _access = network_access(request, network, NETWORK_MANAGE)
    logo = selectors.network_logo(net)
    if logo is None or not logo.file:
        raise NotFound(_("Dieses Netzwerk hat kein Logo."))
    try:
        handle = logo.file.open("rb")
    except OSError as exc:
        raise NotFound(_("Die Datei ist nicht mehr vorhanden.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"logo-{net.slug}{logo.file.name[-4:]}",
        content_type=logo.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{logo.sha256}"'
    return response


@router.post(
    f"{N}/logo",
    response={200: s.LogoOut, **ERRORS},
    summary="Logo hochladen oder ersetzen (Koordinierungsstelle)",
)
def logo_upload(
    request: HttpRequest,
    network: str,
    file: File[UploadedFile],
    expected_sha256: Form[str | None] = None,
):
    """`multipart/form-data` mit `file` (PNG oder JPEG, am Inhalt erkannt, kein SVG; höchstens
    `LOGO_MAX_KB`, voreingestellt 1 MB), optional `expected_sha256`: der Prüfwert des Logos,
    das Sie gesehen haben ("" für keines) – hat es sich seitdem geändert, 409. Ersetzt ein
    vorhandenes Logo."""
    net, _access = network_access(request, network)
    return services.network_logo_set(
        actor=request.user, network=net, upload=file, expected_sha256=expected_sha256
    )


@router.delete(
    f"{N}/logo",
    response={200: s.LogoDeletedOut, **ERRORS},
    summary="Logo entfernen (Koordinierungsstelle)",
)
def logo_remove(request: HttpRequest, network: str, expected_sha256: str | None = None):
    """Der Briefkopf ist danach ohne Bild. `expected_sha256` wie beim Hochladen; 404, wenn
    kein Logo hinterlegt ist."""
    net, _access = network_access(request, network)
    logo = services.network_logo_remove(
        actor=request.user, network=net, expected_sha256=expected_sha256
    )
    return {"id": logo.public_id, "deleted": True}


# --- partners ----------------------------------------------------------------------------------


KindFilter = Literal[tuple(["", *PartnerKind.values])]  # type: ignore[valid-type]


class PartnerFilters(Paging):
    q: str = ""
    kind: KindFilter = ""  # type: ignore[valid-type]
    status: Literal["active", "former", "all"] = "active"
    is_party: bool | None = None
    as_of: Day | None = None


@router.get(
    f"{N}/partners",
    response={200: Page[s.PartnerOut], **READ_ERRORS},
    summary="Partner suchen und filtern",
)
def partner_list(request: HttpRequest, network: str, filters: Query[PartnerFilters]):
    """`status`: `active` (am Stichtag), `former`, `all`; `as_of`: Stichtag (Standard heute)."""
    net, access = network_access(request, network, REGISTRY_VIEW)

    def compute() -> dict:
        qs = selectors.partner_list(
            network=net,
            q=filters.q,
            kind=filters.kind,
            status=filters.status,
            is_party=filters.is_party,
            as_of=filters.as_of,
        )
        return page_of(qs.prefetch_related(None), limit=filters.limit, offset=filters.offset)

    return cached_json(request, access, Page[s.PartnerOut], compute, shared_by_role=True)


class PartnerDownloadFilters(s.Schema):
    q: str = ""
    kind: KindFilter = ""  # type: ignore[valid-type]
    status: Literal["active", "former", "all"] = "active"
    as_of: Day | None = None
    format: Literal[tabular.API_FORMATS] = "xlsx"  # type: ignore[valid-type]


@router.get(
    f"{N}/partners/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Partner mit Vertretungen herunterladen (XLSX oder CSV)",
    openapi_extra=tabular.api_download_openapi("Die Partner mit ihren Vertretungen"),
)
def partner_download(request: HttpRequest, network: str, filters: Query[PartnerDownloadFilters]):
    """Dieselben Filter wie die Liste; enthält, was die Seite der Person zeigt."""
    net, access = network_access(request, network, REGISTRY_VIEW)
    table = exports.partner_table(
        actor=access,
        network=net,
        q=filters.q,
        kind=filters.kind,
        status=filters.status,
        as_of=filters.as_of,
    )
    return tabular.response(table, filters.format, _("Partner"), day=filters.as_of)


@router.post(f"{N}/partners", response={201: s.PartnerOut, **ERRORS}, summary="Partner anlegen")
def partner_create(request: HttpRequest, network: str, body: s.PartnerIn):
    net, _ = network_access(request, network)
    return 201, services.partner_create(actor=request.user, network=net, data=body.dict())


@router.get(
    f"{N}/partners/{{pid}}", response={200: s.PartnerOut, **READ_ERRORS}, summary="Ein Partner"
)
def partner_get(request: HttpRequest, network: str, pid: UUID, as_of: Day | None = None):
    net, _ = network_access(request, network, REGISTRY_VIEW)
    partner = get_or_404(Partner, net, pid)
    if as_of:
        name = (
            PartnerName.objects.valid_on(as_of)
            .filter(partner=partner)
            .order_by("-valid_from")
            .first()
        )
        partner.name_then = name.name if name else partner.name
    return partner


@router.patch(
    f"{N}/partners/{{pid}}", response={200: s.PartnerOut, **ERRORS}, summary="Partner berichtigen"
)
def partner_update(request: HttpRequest, network: str, pid: UUID, body: s.PartnerPatch):
    """Nur die übergebenen Felder ändern sich. Vertreter/innen des Partners dürfen die
    Kontaktangaben (address, email, phone, website) ändern."""
    net, _ = network_access(request, network)
    partner = get_or_404(Partner, net, pid)
    with current_on_conflict(s.PartnerOut, lambda: Partner.objects.get(pk=partner.pk)):
        return services.partner_update(
            actor=request.user,
            partner=partner,
            expected_version=body.version,
            data=patch_data(body),
        )


@router.post(
    f"{N}/partners/{{pid}}/rename",
    response={200: s.PartnerOut, **ERRORS},
    summary="Partner umbenennen (ab Stichtag)",
)
def partner_rename(request: HttpRequest, network: str, pid: UUID, body: s.RenameIn):
    net, _ = network_access(request, network)
    return services.partner_rename(
        actor=request.user,
        partner=get_or_404(Partner, net, pid),
        name=body.name,
        valid_from=body.valid_from,
    )


@router.post(
    f"{N}/partners/{{pid}}/end",
    response={200: s.PartnerOut, **ERRORS},
    summary="Partnerschaft beenden (ohne Nachfolger)",
)
def partner_end(request: HttpRequest, network: str, pid: UUID, body: s.EndPartnerIn):
    net, _ = network_access(request, network)
    return services.partner_end(
        actor=request.user,
        partner=get_or_404(Partner, net, pid),
        valid_to=body.valid_to,
        reason=body.reason,
        note=body.note,
    )


@router.post(
    f"{N}/partners/{{pid}}/succession",
    response={201: s.SuccessionOut, **ERRORS},
    summary="Nachfolge erfassen",
)
def partner_succession(request: HttpRequest, network: str, pid: UUID, body: s.SuccessionIn):
    net, _ = network_access(request, network)
    predecessor = get_or_404(Partner, net, pid)
    successor = ref_or_422(Partner, net, body.successor, "successor")
    if successor is not None and body.new_successor_name:
        raise DomainError.for_field(
            "successor",
            "Bitte entweder einen bestehenden oder einen neuen Nachfolger angeben, nicht beides.",
        )
    data = (
        {"name": body.new_successor_name}
        if successor is None and body.new_successor_name is not None
        else None
    )
    return 201, services.partner_record_succession(
        actor=request.user,
        predecessor=predecessor,
        date=body.date,
        successor=successor,
        successor_data=data,
        take_over_seats=body.take_over_seats,
        note=body.note,
    )


@router.get(
    f"{N}/successions", response={200: list[s.SuccessionOut], **READ_ERRORS}, summary="Nachfolgen"
)
def succession_list(request: HttpRequest, network: str):
    from .models import Succession

    net, access = network_access(request, network, REGISTRY_VIEW)
    return cached_json(
        request,
        access,
        list[s.SuccessionOut],
        lambda: list(
            Succession.objects.filter(network=net)
            .select_related("predecessor", "successor")
            .order_by("date", "pk")
        ),
        shared_by_role=True,
    )


# --- representations ---------------------------------------------------------------------------


@router.get(
    f"{N}/partners/{{pid}}/representations",
    response={200: list[s.RepresentationOut], **READ_ERRORS},
    summary="„Vertreten durch“ eines Partners",
)
def representation_list(request: HttpRequest, network: str, pid: UUID, as_of: Day | None = None):
    net, _ = network_access(request, network, REGISTRY_VIEW)
    partner = get_or_404(Partner, net, pid)
    qs = Representation.objects.filter(partner=partner).select_related(
        "partner", "institution", "person"
    )
    if as_of:
        qs = qs.valid_on(as_of)
    return list(qs.order_by("valid_from", "pk"))


@router.post(
    f"{N}/partners/{{pid}}/representations",
    response={201: s.RepresentationOut, **ERRORS},
    summary="„Vertreten durch“ erfassen",
)
def representation_create(request: HttpRequest, network: str, pid: UUID, body: s.RepresentationIn):
    net, _ = network_access(request, network)
    partner = get_or_404(Partner, net, pid)
    return 201, services.representation_create(
        actor=request.user,
        partner=partner,
        institution=ref_or_422(Partner, net, body.institution, "institution"),
        person=ref_or_422(Person, net, body.person, "person"),
        function=body.function,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        note=body.note,
    )


@router.post(
    f"{N}/representations/{{rid}}/end",
    response={200: s.RepresentationOut, **ERRORS},
    summary="„Vertreten durch“ beenden",
)
def representation_end(request: HttpRequest, network: str, rid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.representation_end(
        actor=request.user,
        representation=get_or_404(Representation, net, rid),
        valid_to=body.valid_to,
    )


# --- people ------------------------------------------------------------------------------------


class PersonFilters(Paging):
    q: str = ""


@router.get(f"{N}/people", response={200: Page[s.PersonOut], **READ_ERRORS}, summary="Personen")
def person_list(request: HttpRequest, network: str, filters: Query[PersonFilters]):
    net, access = network_access(request, network, REGISTRY_VIEW)
    return cached_json(
        request,
        access,
        Page[s.PersonOut],
        lambda: page_of(
            selectors.person_list(network=net, q=filters.q),
            limit=filters.limit,
            offset=filters.offset,
        ),
        shared_by_role=True,
    )


@router.post(f"{N}/people", response={201: s.PersonOut, **ERRORS}, summary="Person anlegen")
def person_create(request: HttpRequest, network: str, body: s.PersonIn):
    net, _ = network_access(request, network)
    data = body.dict()
    data["organisation"] = ref_or_422(Partner, net, body.organisation, "organisation")
    return 201, services.person_create(actor=request.user, network=net, data=data)


@router.get(
    f"{N}/people/{{pid}}", response={200: s.PersonOut, **READ_ERRORS}, summary="Eine Person"
)
def person_get(request: HttpRequest, network: str, pid: UUID):
    net, _ = network_access(request, network, REGISTRY_VIEW)
    return get_or_404(Person, net, pid)


@router.patch(f"{N}/people/{{pid}}", response={200: s.PersonOut, **ERRORS}, summary="Person ändern")
def person_update(request: HttpRequest, network: str, pid: UUID, body: s.PersonPatch):
    net, _ = network_access(request, network)
    person = get_or_404(Person, net, pid)
    data = patch_data(body)
    if "organisation" in data:
        data["organisation"] = ref_or_422(Partner, net, body.organisation, "organisation")
    with current_on_conflict(s.PersonOut, lambda: Person.objects.get(pk=person.pk)):
        return services.person_update(
            actor=request.user, person=person, expected_version=body.version, data=data
        )


# --- constituency seats ------------------------------------------------------------------------


@router.get(
    f"{N}/seats",
    response={200: list[s.SeatDetailOut], **READ_ERRORS},
    summary="Sammelvertretungen (am Stichtag)",
)
def seat_list(request: HttpRequest, network: str, as_of: Day | None = None):
    net, access = network_access(request, network, REGISTRY_VIEW)
    return cached_json(
        request,
        access,
        list[s.SeatDetailOut],
        lambda: list(selectors.seat_list(network=net, as_of=as_of)),
        shared_by_role=True,
    )


@router.post(f"{N}/seats", response={201: s.SeatOut, **ERRORS}, summary="Sammelvertretung anlegen")
def seat_create(request: HttpRequest, network: str, body: s.SeatIn):
    net, _ = network_access(request, network)
    return 201, services.seat_create(actor=request.user, network=net, data=body.dict())


@router.get(
    f"{N}/seats/{{sid}}",
    response={200: s.SeatDetailOut, **READ_ERRORS},
    summary="Eine Sammelvertretung (alle Zeiträume)",
)
def seat_get(request: HttpRequest, network: str, sid: UUID):
    net, _ = network_access(request, network, REGISTRY_VIEW)
    seat = get_or_404(ConstituencySeat, net, sid)
    seat.assignments_then = list(
        seat.assignments.select_related("partner", "seat").order_by("valid_from", "pk")
    )
    seat.holdings_then = list(
        seat.holdings.select_related("person", "seat").order_by("valid_from", "pk")
    )
    return seat


@router.patch(
    f"{N}/seats/{{sid}}", response={200: s.SeatOut, **ERRORS}, summary="Sammelvertretung ändern"
)
def seat_update(request: HttpRequest, network: str, sid: UUID, body: s.SeatPatch):
    net, _ = network_access(request, network)
    seat = get_or_404(ConstituencySeat, net, sid)
    with current_on_conflict(s.SeatOut, lambda: ConstituencySeat.objects.get(pk=seat.pk)):
        return services.seat_update(
            actor=request.user, seat=seat, expected_version=body.version, data=patch_data(body)
        )


@router.post(
    f"{N}/seats/{{sid}}/end",
    response={200: s.SeatOut, **ERRORS},
    summary="Sammelvertretung beenden",
)
def seat_end(request: HttpRequest, network: str, sid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.seat_end(
        actor=request.user, seat=get_or_404(ConstituencySeat, net, sid), valid_to=body.valid_to
    )


@router.post(
    f"{N}/seats/{{sid}}/assignments",
    response={201: s.AssignmentOut, **ERRORS},
    summary="Institution zuordnen",
)
def seat_assign(request: HttpRequest, network: str, sid: UUID, body: s.AssignmentIn):
    net, _ = network_access(request, network)
    seat = get_or_404(ConstituencySeat, net, sid)
    partner = ref_or_422(Partner, net, body.partner, "partner")
    return 201, services.seat_assign(
        actor=request.user,
        seat=seat,
        partner=partner,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )


@router.post(
    f"{N}/assignments/{{aid}}/end",
    response={200: s.AssignmentOut, **ERRORS},
    summary="Zuordnung beenden",
)
def seat_unassign(request: HttpRequest, network: str, aid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.seat_unassign(
        actor=request.user, assignment=get_or_404(SeatAssignment, net, aid), valid_to=body.valid_to
    )


@router.post(
    f"{N}/seats/{{sid}}/holders",
    response={201: s.HoldingOut, **ERRORS},
    summary="Person für die Sammelvertretung eintragen",
)
def seat_holding_create(request: HttpRequest, network: str, sid: UUID, body: s.HoldingIn):
    net, _ = network_access(request, network)
    seat = get_or_404(ConstituencySeat, net, sid)
    person = ref_or_422(Person, net, body.person, "person")
    return 201, services.seat_holding_create(
        actor=request.user,
        seat=seat,
        person=person,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )


@router.post(
    f"{N}/holders/{{hid}}/end",
    response={200: s.HoldingOut, **ERRORS},
    summary="Zeit der Person beenden",
)
def seat_holding_end(request: HttpRequest, network: str, hid: UUID, body: s.EndIn):
    net, _ = network_access(request, network)
    return services.seat_holding_end(
        actor=request.user, holding=get_or_404(SeatHolding, net, hid), valid_to=body.valid_to
    )


# --- history -----------------------------------------------------------------------------------


class PageFilters(s.Schema):
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@router.get(
    f"{N}/history",
    response={200: Page[s.HistoryOut], **READ_ERRORS},
    summary="Verlauf des Netzwerks",
)
def network_history(request: HttpRequest, network: str, filters: Query[PageFilters]):
    net, access = network_access(request, network, HISTORY_VIEW)
    return cached_json(
        request,
        access,
        Page[s.HistoryOut],
        lambda: page_of(
            history_selectors.network_history(actor=access, network=net),
            limit=filters.limit,
            offset=filters.offset,
        ),
    )


RECORD_KINDS = {"partners": Partner, "people": Person, "seats": ConstituencySeat}


@router.get(
    f"{N}/{{kind}}/{{pid}}/history",
    response={200: Page[s.HistoryOut], **READ_ERRORS},
    summary="Verlauf eines Datensatzes (partners, people, seats)",
)
def record_history(
    request: HttpRequest, network: str, kind: str, pid: UUID, filters: Query[PageFilters]
):
    net, access = network_access(request, network, REGISTRY_VIEW)
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise NotFound("Unbekannte Art von Datensatz.")
    obj = get_or_404(model, net, pid)
    return page_of(
        history_selectors.history_for(actor=access, obj=obj, limit=None),
        limit=filters.limit,
        offset=filters.offset,
    )
