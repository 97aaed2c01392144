"""Reads of the network registry, with related rows loaded so that a page's number of
queries does not grow with its data. `as_of` reads the registry as it stood on a day."""

from __future__ import annotations

import base64
import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from uebergang.core.models import Network, NetworkName, valid_on_q
from uebergang.core.prepared import attach, count_of, first_value, network_count, prepared
from uebergang.core.web import PAGE_SIZE as FIRST_PAGE
from uebergang.core.web import lazy

from .models import (
    ConstituencySeat,
    NetworkLogo,
    Partner,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)


class Status:
    ACTIVE = "active"
    FORMER = "former"
    ALL = "all"


def _name_on(day: datetime.date) -> Subquery:
    return Subquery(
        PartnerName.objects.valid_on(day)
        .filter(partner=OuterRef("pk"))
        .order_by("-valid_from")
        .values("name")[:1]
    )


def network_name_on(network: Network, day: datetime.date) -> str:
    row = NetworkName.objects.valid_on(day).filter(network=network).order_by("-valid_from").first()
    return row.name if row else network.name


def _partners_named_on(network_id: int, day: datetime.date) -> QuerySet[Partner]:
    """The network's partners, each with its name on `day` as `name_then`."""
    return Partner.objects.filter(network_id=network_id).annotate(
        name_then=Coalesce(_name_on(day), "name")
    )


def partner_list(
    *,
    network: Network,
    q: str = "",
    kind: str = "",
    status: str = Status.ACTIVE,
    is_party: bool | None = None,
    as_of: datetime.date | None = None,
    for_display: bool = False,
) -> QuerySet[Partner]:
    """Partners with their name on `as_of` (default today) as `name_then`, filtered.
    `for_display`: only the columns the partner list's rows show (`partner_rows`)."""
    day = as_of or timezone.localdate()
    qs = _partners_named_on(network.pk, day)
    if status == Status.ACTIVE:
        qs = qs.valid_on(day)
    elif status == Status.FORMER:
        qs = qs.filter(valid_to__lt=day)
    if as_of and status == Status.ALL:
        qs = qs.filter(valid_from__lte=day)
    if kind:
        qs = qs.filter(kind=kind)
    if is_party is not None:
        qs = qs.filter(is_party=is_party)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(names__name__icontains=q)
        ).distinct()
    reps = Representation.objects.valid_on(day).select_related("institution", "person")
    if for_display:
        qs = qs.only(*_LIST_ROW_FIELDS)
        reps = reps.only(*_LIST_REP_FIELDS)
    return qs.prefetch_related(
        Prefetch("representations", queryset=reps, to_attr="reps_then")
    ).order_by("name_then", "pk")


# What a row of the partner list shows (`partner_rows`, networks/partner_list.html); the
# representations' fields also serve the start page, which names them the same way.
_LIST_ROW_FIELDS = ("public_id", "name", "kind", "is_party", "valid_from", "valid_to")
_LIST_REP_FIELDS = (
    "partner",
    "function",
    "valid_from",
    "institution",
    "institution__name",
    "person",
    "person__title",
    "person__first_name",
    "person__last_name",
)


def _current_partners(network_id: int, day: datetime.date) -> QuerySet[Partner]:
    return _partners_named_on(network_id, day).valid_on(day)


@prepared
def _current_partners_first_page(network_id: int, day: datetime.date):
    return (
        _current_partners(network_id, day)
        .only(*_LIST_ROW_FIELDS)
        .order_by("name_then", "pk")[:FIRST_PAGE]
    )


@prepared
def _current_partners_count(network_id: int, day: datetime.date):
    return network_count(Partner.objects.filter(network_id=network_id).valid_on(day))


@prepared
def _reps_of_first_page(network_id: int, day: datetime.date):
    page = _current_partners(network_id, day).order_by("name_then", "pk").values("pk")[:FIRST_PAGE]
    return (
        Representation.objects.valid_on(day)
        .filter(partner__in=page)
        .select_related("institution", "person")
        .only(*_LIST_REP_FIELDS)
    )


def partner_first_page(*, network: Network, as_of: datetime.date | None = None) -> tuple:
    """The first page of the partner list without filters (the partners of `as_of`, default
    today) and how many there are: the rows of `partner_list(for_display=True)[:50]`, with
    their representations as `reps_then`, in three prepared queries (`core.prepared`) – the
    list's usual view, built once per process instead of on every request."""
    day = as_of or timezone.localdate()
    rows = list(_current_partners_first_page(network_id=network.pk, day=day))
    count = first_value(_current_partners_count(network_id=network.pk, day=day), 0)
    attach(rows, "reps_then", _reps_of_first_page(network_id=network.pk, day=day), "partner")
    return rows, count


def partner_rows(partners: Any) -> list[Partner]:
    """The partner list's rows with what two of its cells show prepared as text, once in
    Python instead of through a dozen template look-ups per row: `reps_text` (who represents
    the partner then, "Institution, Person – Funktion; …") and `period` ("01.01.2014 –
    heute")."""
    today = gettext("heute")
    rows = list(partners)
    for p in rows:
        reps = []
        for r in p.reps_then:
            who = ", ".join(
                part
                for part in (
                    r.institution.name if r.institution_id else "",
                    str(r.person) if r.person_id else "",
                )
                if part
            )
            reps.append(" – ".join(part for part in (who, r.function) if part))
        p.reps_text = "; ".join(reps)
        p.period = p.period_text(today)
    return rows


def partner_choices(*, network: Network, day: datetime.date | None = None) -> QuerySet[Partner]:
    qs = Partner.objects.filter(network=network).only(
        "id", "public_id", "name", "valid_to", "valid_from"
    )
    if day:
        qs = qs.valid_on(day)
    return qs.order_by("name")


@dataclass
class PartnerDetail:
    partner: Partner
    day: datetime.date
    name_then: str
    names: list[PartnerName]
    representations: list[Representation]
    represents: list[Representation]
    seat_assignments: list[SeatAssignment]
    predecessors: list[Succession]
    successors: list[Succession]
    staff: list[Person]


def partner_detail(*, partner: Partner, as_of: datetime.date | None = None) -> PartnerDetail:
    """The partner with its names, representations (both ways), seat assignments, successions
    and staff: seven prepared queries (`core.prepared`), built once per process."""
    day = as_of or timezone.localdate()
    pk = partner.pk

    def rows(query: Any, field: str) -> list:
        """The rows, each knowing `partner` at `field` (as a related manager's would)."""
        found = list(query(partner_id=pk))
        for row in found:
            setattr(row, field, partner)
        return found

    names = rows(_names_of, "partner")
    name_then = next((n.name for n in reversed(names) if n.is_valid_on(day)), partner.name)
    return PartnerDetail(
        partner,
        day,
        name_then,
        names,
        rows(_representations_of, "partner"),
        rows(_represents_of, "institution"),
        rows(_seat_assignments_of, "partner"),
        rows(_predecessors_of, "successor"),
        rows(_successors_of, "predecessor"),
        rows(_staff_of, "organisation"),
    )


@prepared
def _names_of(partner_id: int) -> QuerySet[PartnerName]:
    return PartnerName.objects.filter(partner_id=partner_id)


@prepared
def _representations_of(partner_id: int) -> QuerySet[Representation]:
    return (
        Representation.objects.filter(partner_id=partner_id)
        .select_related("institution", "person")
        .order_by("-valid_from", "-id")
    )


@prepared
def _represents_of(partner_id: int) -> QuerySet[Representation]:
    return (
        Representation.objects.filter(institution_id=partner_id)
        .select_related("partner", "person")
        .order_by("-valid_from")
    )


@prepared
def _seat_assignments_of(partner_id: int) -> QuerySet[SeatAssignment]:
    return (
        SeatAssignment.objects.filter(partner_id=partner_id)
        .select_related("seat")
        .order_by("-valid_from")
    )


@prepared
def _predecessors_of(partner_id: int) -> QuerySet[Succession]:
    return Succession.objects.filter(successor_id=partner_id).select_related("predecessor")


@prepared
def _successors_of(partner_id: int) -> QuerySet[Succession]:
    return Succession.objects.filter(predecessor_id=partner_id).select_related("successor")


@prepared
def _staff_of(partner_id: int) -> QuerySet[Person]:
    return Person.objects.filter(organisation_id=partner_id)


def _people_of(network_id: int) -> QuerySet[Person]:
    """The network's people in the people list's order, with what its rows show."""
    return (
        Person.objects.filter(network_id=network_id)
        .select_related("organisation", "user")
        .order_by("last_name", "first_name", "pk")
    )


def person_list(*, network: Network, q: str = "") -> QuerySet[Person]:
    qs = _people_of(network.pk)
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(function__icontains=q)
            | Q(email__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    return qs


@prepared
def _people_first_page(network_id: int) -> QuerySet[Person]:
    return _people_of(network_id)[:FIRST_PAGE]


@prepared
def _people_count(network_id: int) -> QuerySet:
    return network_count(Person.objects.filter(network_id=network_id))


def person_first_page(*, network: Network) -> tuple[list[Person], int]:
    """The people list's usual view (no search, first page): the rows of
    `person_list(network)[:50]` and how many there are, in two prepared queries."""
    rows = list(_people_first_page(network_id=network.pk))
    return rows, first_value(_people_count(network_id=network.pk), 0)


def person_choices(*, network: Network) -> QuerySet[Person]:
    return Person.objects.filter(network=network).order_by("last_name", "first_name")


@prepared
def _seats_on(network_id: int, day: datetime.date) -> QuerySet[ConstituencySeat]:
    return ConstituencySeat.objects.filter(network_id=network_id).valid_on(day).order_by("name")


@prepared
def _assignments_on(network_id: int, day: datetime.date) -> QuerySet[SeatAssignment]:
    return (
        SeatAssignment.objects.filter(network_id=network_id)
        .valid_on(day)
        .select_related("partner")
        .annotate(
            partner_name_then=Coalesce(
                Subquery(
                    PartnerName.objects.valid_on(day)
                    .filter(partner=OuterRef("partner_id"))
                    .order_by("-valid_from")
                    .values("name")[:1]
                ),
                "partner__name",
            )
        )
        .order_by("partner_name_then")
    )


@prepared
def _holdings_on(network_id: int, day: datetime.date) -> QuerySet[SeatHolding]:
    return SeatHolding.objects.filter(network_id=network_id).valid_on(day).select_related("person")


def seat_list(*, network: Network, as_of: datetime.date | None = None) -> list[ConstituencySeat]:
    """The constituency seats on the day, each with its `assignments_then` (institutions,
    by their name then) and `holdings_then` (holders): three prepared queries, however many
    seats (`core.prepared`)."""
    day = as_of or timezone.localdate()
    seats = list(_seats_on(network_id=network.pk, day=day))
    if seats:
        values = {"network_id": network.pk, "day": day}
        attach(seats, "assignments_then", _assignments_on(**values), "seat")
        attach(seats, "holdings_then", _holdings_on(**values), "seat")
    return seats


@prepared
def _network_names_of(network_id: int) -> QuerySet[NetworkName]:
    return NetworkName.objects.filter(network_id=network_id).order_by("valid_from", "pk")


def network_names(*, network: Network) -> list[NetworkName]:
    """The network's names, oldest first (the start page lists the former ones)."""
    return list(_network_names_of(network_id=network.pk))


@prepared
def _seat_cards_on(network_id: int, day: datetime.date) -> QuerySet[ConstituencySeat]:
    return (
        ConstituencySeat.objects.filter(network_id=network_id)
        .valid_on(day)
        .annotate(institutions=count_of(SeatAssignment.objects.valid_on(day), "seat"))
        .only("public_id", "name")
        .order_by("name")
    )


def seat_cards(*, network: Network, as_of: datetime.date | None = None) -> list:
    """The constituency seats on the day as the start page shows them: name, link and the
    number of institutions assigned then (`institutions`), in one prepared query."""
    return list(_seat_cards_on(network_id=network.pk, day=as_of or timezone.localdate()))


@prepared
def _party_partner_rows(network_id: int, day: datetime.date) -> QuerySet[Partner]:
    """One row per party to the agreement on the day and representation of it then (one row
    with `rep__id` None where it has none): partners by the name of that day, their
    representations in `Representation`'s order, with what the start page names each by."""
    reps = "representations__"
    return (
        Partner.objects.filter(network_id=network_id, is_party=True)
        .valid_on(day)
        .annotate(
            name_then=Coalesce(_name_on(day), "name"),
            rep=FilteredRelation(
                "representations",
                condition=Q(**{f"{reps}deleted_at__isnull": True}) & valid_on_q(day, reps),
            ),
        )
        .order_by("name_then", "pk", "rep__valid_from", "rep__id")
        .values_list(
            "pk",
            "public_id",
            "name_then",
            "rep__id",
            "rep__institution_id",
            "rep__institution__name",
            "rep__function",
            "rep__person_id",
            "rep__person__title",
            "rep__person__first_name",
            "rep__person__last_name",
        )
    )


@dataclass
class PartyLine:
    """A party to the agreement as the start page lists it: its link, its name of the day
    and by what it is represented then (`reps_then`: one name per representation, by its
    institution, else its function, else its person; `reps_names`: these joined by "; ")."""

    public_id: Any
    name_then: str
    reps_then: list[str]

    @property
    def reps_names(self) -> str:
        return "; ".join(self.reps_then)


def party_partners(*, network: Network, as_of: datetime.date | None = None) -> list[PartyLine]:
    """The parties to the agreement on the day, in the order of `partner_list(is_party=True)`,
    in one prepared query (a row per representation, grouped here)."""
    day = as_of or timezone.localdate()
    lines: dict[int, PartyLine] = {}
    for (
        pk,
        public_id,
        name_then,
        rep_id,
        inst_id,
        inst,
        function,
        person_id,
        *person,
    ) in _party_partner_rows(network_id=network.pk, day=day):
        line = lines.get(pk)
        if line is None:
            line = lines[pk] = PartyLine(public_id, name_then, [])
        if rep_id is not None:
            line.reps_then.append(
                inst if inst_id else function or (Person.name_of(*person) if person_id else "")
            )
    return list(lines.values())


@prepared
def _seat_assignments(seat_id: int) -> QuerySet[SeatAssignment]:
    return (
        SeatAssignment.objects.filter(seat_id=seat_id)
        .select_related("partner")
        .only("public_id", "valid_from", "valid_to", "partner__public_id", "partner__name")
        .order_by("-valid_from", "partner__name")
    )


@prepared
def _seat_holdings(seat_id: int) -> QuerySet[SeatHolding]:
    return (
        SeatHolding.objects.filter(seat_id=seat_id)
        .select_related("person")
        .only(
            "public_id",
            "valid_from",
            "valid_to",
            "person__public_id",
            "person__title",
            "person__first_name",
            "person__last_name",
        )
        .order_by("-valid_from")
    )


def seat_detail(*, seat: ConstituencySeat) -> dict[str, Any]:
    """All periods of a seat's assignments and holders, newest first, each read when first
    used (a prepared query each; a cached page reads neither)."""
    return {
        "assignments": lazy(lambda: list(_seat_assignments(seat_id=seat.pk))),
        "holdings": lazy(lambda: list(_seat_holdings(seat_id=seat.pk))),
    }


@prepared
def _overview_counts(network_id: int, day: datetime.date) -> QuerySet:
    """The network's row with the counters of `network_overview`, each a subquery."""
    partners = Partner.objects.all()
    return (
        Network.objects.filter(pk=network_id)
        .annotate(
            active=count_of(partners.filter(valid_on_q(day)), "network"),
            parties=count_of(partners.filter(Q(is_party=True) & valid_on_q(day)), "network"),
            former=count_of(partners.filter(valid_to__lt=day), "network"),
            people=count_of(Person.objects.all(), "network"),
        )
        .values("active", "parties", "former", "people")
        .order_by()
    )


def network_overview(*, network: Network) -> dict:
    """The office's counters: partners active today, parties among them, former partners,
    and people (one prepared query, `core.prepared`)."""
    row = first_value(
        _overview_counts(network_id=network.pk, day=timezone.localdate()),
        {"active": 0, "parties": 0, "former": 0, "people": 0},
    )
    people = row.pop("people")
    return {"counts": row, "people": people}


WITHOUT_REPRESENTATION_SHOWN = 20


@prepared
def _without_representation(network_id: int, day: datetime.date) -> QuerySet[Partner]:
    current = Representation.objects.valid_on(day).filter(partner=OuterRef("pk"))
    return (
        Partner.objects.filter(network_id=network_id, is_party=True)
        .valid_on(day)
        .exclude(Exists(current))
        .order_by("name")[:WITHOUT_REPRESENTATION_SHOWN]
    )


def partners_without_representation(*, network: Network) -> list[Partner]:
    """The first parties to the agreement (by name) that nobody represents today."""
    return list(_without_representation(network_id=network.pk, day=timezone.localdate()))


# --- the network's logo ----------------------------------------------------------------------

logger = logging.getLogger(__name__)


def network_logo(network: Network) -> NetworkLogo | None:
    """The network's current logo (one query), or None."""
    return NetworkLogo.objects.filter(network_id=network.pk).order_by().first()


@dataclass(frozen=True)
class LogoImage:
    """The logo's bytes for a letterhead (an e-mail's inline image, a PDF's data: URI)."""

    content_type: str
    data: bytes
    sha256: str

    @property
    def subtype(self) -> str:
        return self.content_type.split("/", 1)[1]

    @property
    def data_uri(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def logo_bytes(logo: NetworkLogo) -> bytes | None:
    """The stored file of the logo, or None if it is missing from the storage."""
    if not logo.file:
        return None
    try:
        with logo.file.open("rb") as handle:
            return handle.read()
    except OSError:
        logger.warning("the logo file %s of network %s is missing", logo.file.name, logo.network_id)
        return None
    finally:
        logo.file.close()


def logo_image(network: Network) -> LogoImage | None:
    """The network's logo for its letterhead, or None: without a logo (or with its file
    missing) the letterhead is as it was, the name of the network in words."""
    logo = network_logo(network)
    if logo is None:
        return None
    data = logo_bytes(logo)
    if data is None:
        return None
    return LogoImage(content_type=logo.content_type, data=data, sha256=logo.sha256)


def person_of(actor: Any, network: Network) -> Person | None:
    """The acting user's person in the network's directory (None for the system or a user
    without one): whom a record names as its author."""
    if getattr(actor, "pk", None) is None:
        return None
    return Person.objects.filter(network=network, user_id=actor.pk).order_by("pk").first()


def actor_name(actor: Any, person: Person | None) -> str:
    """The name a record keeps of who wrote it: the person's, else the account's (≤ 200)."""
    if person is not None:
        return str(person)[:200]
    return str(getattr(actor, "get_full_name", lambda: "")() or actor)[:200]
