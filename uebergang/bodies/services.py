"""Every write to bodies, seats, memberships and offices. Each checks permission, validates,
writes under a transaction and records the history with the acting user."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from uebergang.bodies.rules import BODIES_MANAGE
from uebergang.core import history
from uebergang.core.concurrency import (
    lock,
    unique_or,
    versioned_update,
)
from uebergang.core.dated import end_dated
from uebergang.core.errors import DomainError
from uebergang.core.models import Network
from uebergang.core.permissions import authorize
from uebergang.core.validation import check_period, format_day, same_network, validate_fields
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    Person,
    SeatAssignment,
    open_period_overlaps,
)

from .models import Body, BodyKind, BodySeat, MemberRole, Membership, Office, OfficeKind, QuorumRule

BODY_FIELDS = (
    "name",
    "short_name",
    "kind",
    "topic_area",
    "description",
    "invitation_period_days",
    "quorum_rule",
    "quorum_minimum",
    "valid_from",
)


def _within(
    outer: Any, valid_from: datetime.date, valid_to: datetime.date | None, field: str, what: str
) -> None:
    """The period [valid_from, valid_to] lies inside `outer`'s validity."""
    starts_late = valid_from < outer.valid_from
    ends_late = outer.valid_to is not None and (valid_to is None or valid_to > outer.valid_to)
    if starts_late or ends_late:
        end = format_day(outer.valid_to) if outer.valid_to else _("heute")
        raise DomainError.for_field(
            field,
            _("Der Zeitraum muss in die Zeit %(what)s fallen (%(start)s – %(end)s).")
            % {"what": what, "start": format_day(outer.valid_from), "end": end},
        )


def _open_after(qs: Any, day: datetime.date) -> Any:
    """Rows still running after `day`: open-ended or ending later."""
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def _clean_body(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in BODY_FIELDS if key in data}
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise DomainError.for_field("name", _("Bitte geben Sie einen Namen an."))
    if "short_name" in clean:
        clean["short_name"] = " ".join((clean["short_name"] or "").split())
    if "kind" in clean and clean["kind"] not in BodyKind.values:
        raise DomainError.for_field("kind", _("Bitte wählen Sie eine gültige Art."))
    if "quorum_rule" in clean and clean["quorum_rule"] not in QuorumRule.values:
        raise DomainError.for_field("quorum_rule", _("Bitte wählen Sie eine gültige Regel."))
    validate_fields(Body, clean)
    return clean


def _check_quorum(body: Body) -> None:
    if body.quorum_rule == QuorumRule.MINIMUM and not body.quorum_minimum:
        raise DomainError.for_field(
            "quorum_minimum",
            _(
                "Bitte geben Sie an, wie viele stimmberechtigte Sitze mindestens anwesend sein müssen."
            ),
        )
    if body.quorum_rule != QuorumRule.MINIMUM:
        body.quorum_minimum = None


# --- bodies ----------------------------------------------------------------------------------

BODY_NAME_UNIQUE = "bodies_body_active_name_unique"


def _name_taken() -> DomainError:
    return DomainError.for_field("name", _("Ein aktives Gremium mit diesem Namen gibt es schon."))


@transaction.atomic
def body_create(*, actor: Any, network: Network, data: dict[str, Any]) -> Body:
    authorize(actor, network, BODIES_MANAGE)
    clean = _clean_body(data)
    if not clean.get("name"):
        raise DomainError.for_field("name", _("Bitte geben Sie einen Namen an."))
    if not clean.get("kind"):
        raise DomainError.for_field("kind", _("Bitte wählen Sie eine gültige Art."))
    check_period(clean.get("valid_from"), None)
    if Body.objects.filter(
        network=network, name__iexact=clean["name"], valid_to__isnull=True
    ).exists():
        raise _name_taken()
    body = Body(network=network, **clean)
    _check_quorum(body)
    with unique_or(Body, BODY_NAME_UNIQUE, _name_taken):  # two at once passed the check above
        body.save()
    history.record_create(actor=actor, obj=body)
    return body


@transaction.atomic
def body_update(
    *, actor: Any, body: Body, expected_version: int | None, data: dict[str, Any]
) -> Body:
    def validate(body: Body, clean: dict[str, Any]) -> None:
        if "valid_from" in clean:
            check_period(clean["valid_from"], body.valid_to)
        if (
            "name" in clean
            and clean["name"].lower() != body.name.lower()
            and Body.objects.filter(
                network=body.network, name__iexact=clean["name"], valid_to__isnull=True
            )
            .exclude(pk=body.pk)
            .exists()
        ):
            raise _name_taken()

    def derive_quorum(body: Body, before: dict[str, Any]) -> list[str]:
        _check_quorum(body)
        return ["quorum_minimum"]

    return versioned_update(
        actor=actor,
        obj=body,
        expected_version=expected_version,
        permission=BODIES_MANAGE,
        clean=lambda body: _clean_body(data),
        validate=validate,
        snapshot=BODY_FIELDS,
        prepare=derive_quorum,
        unique=(Body, BODY_NAME_UNIQUE, _name_taken),
    )


@transaction.atomic
def body_dissolve(*, actor: Any, body: Body, valid_to: datetime.date) -> Body:
    """The body is dissolved after `valid_to`; its seats, memberships and offices end then."""

    def end_its_seats_and_members(body: Body) -> None:
        for seat in _open_after(body.seats.all(), valid_to):
            body_seat_end(actor=actor, seat=seat, valid_to=max(valid_to, seat.valid_from))
        _end_open_memberships(actor=actor, memberships=body.memberships.all(), valid_to=valid_to)

    return end_dated(
        actor=actor,
        obj=body,
        valid_to=valid_to,
        permission=BODIES_MANAGE,
        ended=_("Dieses Gremium ist bereits aufgelöst."),
        first=end_its_seats_and_members,
    )


# --- seats -----------------------------------------------------------------------------------


def _constituency_of(
    partner: Partner, start: datetime.date, end: datetime.date | None
) -> list[SeatAssignment]:
    return list(open_period_overlaps(partner.seat_assignments.select_related("seat"), start, end))


@transaction.atomic
def body_seat_add(
    *,
    actor: Any,
    body: Body,
    valid_from: datetime.date,
    partner: Partner | None = None,
    constituency_seat: ConstituencySeat | None = None,
    voting: bool = True,
    valid_to: datetime.date | None = None,
) -> BodySeat:
    """A seat for a party (partner) or a constituency seat. An institution assigned to a
    constituency seat that sits in the body holds no seat of its own there (DOMAIN.md)."""
    network = body.network
    authorize(actor, network, BODIES_MANAGE)
    same_network(network, partner, constituency_seat)
    if (partner is None) == (constituency_seat is None):
        raise DomainError.for_field(
            "partner", _("Bitte wählen Sie entweder einen Partner oder eine Sammelvertretung.")
        )
    # The holder's period as stored (an end at the same time waits), then the body: the
    # registry before the bodies in the lock order.
    if partner is not None:
        partner = lock(partner)
    else:
        constituency_seat = lock(constituency_seat)
    body = lock(body)  # concurrent changes of one body's seats queue up
    check_period(valid_from, valid_to)
    _within(body, valid_from, valid_to, "valid_from", _("von %(name)s") % {"name": body.name})
    holder = partner or constituency_seat
    _within(
        holder,
        valid_from,
        valid_to,
        "partner" if partner else "constituency_seat",
        _("von %(name)s") % {"name": holder},
    )
    current = open_period_overlaps(body.seats.all(), valid_from, valid_to)
    if partner is not None:
        if current.filter(partner=partner).exists():
            raise DomainError.for_field(
                "partner",
                _("%(name)s hat in diesem Zeitraum schon einen Sitz in diesem Gremium.")
                % {"name": partner.name},
            )
        for assignment in _constituency_of(partner, valid_from, valid_to):
            if current.filter(constituency_seat=assignment.seat).exists():
                raise DomainError.for_field(
                    "partner",
                    _(
                        "%(name)s ist der Sammelvertretung „%(seat)s“ zugeordnet, die in diesem Gremium sitzt; "
                        "sie spricht dort für die Institution."
                    )
                    % {"name": partner.name, "seat": assignment.seat.name},
                )
    else:
        if current.filter(constituency_seat=constituency_seat).exists():
            raise DomainError.for_field(
                "constituency_seat",
                _(
                    "Diese Sammelvertretung hat in diesem Zeitraum schon einen Sitz in diesem Gremium."
                ),
            )
        assigned = open_period_overlaps(
            constituency_seat.assignments.all(), valid_from, valid_to
        ).values("partner")
        clash = current.filter(partner__in=assigned).select_related("partner").first()
        if clash is not None:
            raise DomainError.for_field(
                "constituency_seat",
                _(
                    "%(name)s ist dieser Sammelvertretung zugeordnet und hat selbst einen Sitz in diesem Gremium; "
                    "beenden Sie zuerst diesen Sitz."
                )
                % {"name": clash.partner.name},
            )
    seat = BodySeat.objects.create(
        network=network,
        body=body,
        partner=partner,
        constituency_seat=constituency_seat,
        voting=voting,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    history.record_create(actor=actor, obj=seat, parent=body)
    return seat


@transaction.atomic
def body_seat_end(*, actor: Any, seat: BodySeat, valid_to: datetime.date) -> BodySeat:
    return end_dated(
        actor=actor,
        obj=seat,
        valid_to=valid_to,
        permission=BODIES_MANAGE,
        ended=_("Dieser Sitz ist bereits beendet."),
        parent=seat.body,
        first=lambda seat: _end_open_memberships(
            actor=actor, memberships=seat.memberships.all(), valid_to=valid_to
        ),
    )


def _end_open_memberships(*, actor: Any, memberships: Any, valid_to: datetime.date) -> None:
    """End every open membership of `memberships`, reading afresh each time: ending a member
    also ends the substitutes standing in for it."""
    while True:
        membership = _open_after(memberships, valid_to).order_by("pk").first()
        if membership is None:
            return
        membership_end(
            actor=actor, membership=membership, valid_to=max(valid_to, membership.valid_from)
        )


# --- memberships -----------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    body: Body,
    person: Person,
    role: str,
    valid_from: datetime.date,
    seat: BodySeat | None = None,
    substitute_for: Membership | None = None,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> Membership:
    network = body.network
    authorize(actor, network, BODIES_MANAGE)
    same_network(network, person, seat, substitute_for)
    # As stored, in the lock order body → seat → membership: an end at the same time waits.
    body = lock(body)  # concurrent changes of one body's seats queue up
    if seat is not None:
        seat = lock(seat)
    if substitute_for is not None:
        substitute_for = lock(substitute_for)
    if role not in MemberRole.values:
        raise DomainError.for_field("role", _("Bitte wählen Sie eine gültige Rolle."))
    check_period(valid_from, valid_to)
    _within(body, valid_from, valid_to, "valid_from", _("von %(name)s") % {"name": body.name})
    validate_fields(Membership, {"note": note})
    if role in (MemberRole.MEMBER, MemberRole.SUBSTITUTE):
        if role == MemberRole.SUBSTITUTE and substitute_for is not None and seat is None:
            seat = substitute_for.seat
        if seat is None or seat.body_id != body.pk:
            raise DomainError.for_field("seat", _("Bitte wählen Sie einen Sitz dieses Gremiums."))
        _within(seat, valid_from, valid_to, "seat", _("des Sitzes"))
    else:
        if seat is not None:
            raise DomainError.for_field("seat", _("Expert/innen und Moderation haben keinen Sitz."))
    if role == MemberRole.SUBSTITUTE:
        if (
            substitute_for is None
            or substitute_for.body_id != body.pk
            or substitute_for.role != MemberRole.MEMBER
        ):
            raise DomainError.for_field(
                "substitute_for", _("Bitte wählen Sie das Mitglied, das vertreten wird.")
            )
        if substitute_for.seat_id != seat.pk:
            raise DomainError.for_field(
                "substitute_for", _("Ein/e Vertreter/in gehört zum Sitz des vertretenen Mitglieds.")
            )
        if substitute_for.person_id == person.pk:
            raise DomainError.for_field("substitute_for", _("Niemand kann sich selbst vertreten."))
    elif substitute_for is not None:
        raise DomainError.for_field(
            "substitute_for", _("Nur ein/e Vertreter/in vertritt ein Mitglied.")
        )
    overlapping = open_period_overlaps(body.memberships.all(), valid_from, valid_to)
    if role == MemberRole.MEMBER and overlapping.filter(seat=seat, role=MemberRole.MEMBER).exists():
        raise DomainError.for_field(
            "seat",
            _(
                "Dieser Sitz ist in diesem Zeitraum schon besetzt: eine Stimme je Sitz. Beenden Sie zuerst die bisherige Mitgliedschaft."
            ),
        )
    if overlapping.filter(person=person, role=role, seat=seat).exists():
        raise DomainError.for_field(
            "person", _("%(name)s hat diese Rolle in diesem Zeitraum schon.") % {"name": person}
        )
    membership = Membership.objects.create(
        network=network,
        body=body,
        person=person,
        role=role,
        seat=seat,
        substitute_for=substitute_for,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    history.record_create(actor=actor, obj=membership, parent=body)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, valid_to: datetime.date) -> Membership:
    """Ends the membership, its offices and the substitutes standing in for it."""

    def end_its_offices_and_substitutes(membership: Membership) -> None:
        for office in _open_after(membership.offices.all(), valid_to):
            office_end(actor=actor, office=office, valid_to=max(valid_to, office.valid_from))
        for substitute in _open_after(membership.substitutes.all(), valid_to):
            membership_end(
                actor=actor, membership=substitute, valid_to=max(valid_to, substitute.valid_from)
            )

    return end_dated(
        actor=actor,
        obj=membership,
        valid_to=valid_to,
        permission=BODIES_MANAGE,
        ended=_("Diese Mitgliedschaft ist bereits beendet."),
        parent=membership.body,
        first=end_its_offices_and_substitutes,
    )


# --- offices ---------------------------------------------------------------------------------


@transaction.atomic
def office_assign(
    *,
    actor: Any,
    membership: Membership,
    kind: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> Office:
    """The coordination office records who holds the chair or the deputy chair (the
    elections themselves come with decisions)."""
    network = membership.network
    authorize(actor, network, BODIES_MANAGE)
    lock(membership.body)  # one holder per office: concurrent entries queue up
    membership = lock(membership)  # its period as stored: an end at the same time waits
    if kind not in OfficeKind.values:
        raise DomainError.for_field("kind", _("Bitte wählen Sie ein gültiges Amt."))
    if membership.role != MemberRole.MEMBER:
        raise DomainError.for_field(
            "membership", _("Ein Amt hat nur ein Mitglied des Gremiums inne.")
        )
    check_period(valid_from, valid_to)
    _within(membership, valid_from, valid_to, "valid_from", _("der Mitgliedschaft"))
    taken = (
        open_period_overlaps(
            Office.objects.filter(membership__body_id=membership.body_id, kind=kind),
            valid_from,
            valid_to,
        )
        .select_related("membership__person")
        .first()
    )
    if taken is not None:
        raise DomainError.for_field(
            "kind",
            _(
                "%(office)s hat in diesem Zeitraum schon %(name)s inne; beenden Sie zuerst diese Amtszeit."
            )
            % {"office": taken.kind_label, "name": taken.membership.person},
        )
    office = Office.objects.create(
        network=network, membership=membership, kind=kind, valid_from=valid_from, valid_to=valid_to
    )
    history.record_create(actor=actor, obj=office, parent=membership.body)
    return office


@transaction.atomic
def office_end(*, actor: Any, office: Office, valid_to: datetime.date) -> Office:
    return end_dated(
        actor=actor,
        obj=office,
        valid_to=valid_to,
        permission=BODIES_MANAGE,
        ended=_("Diese Amtszeit ist bereits beendet."),
        parent=office.membership.body,
    )
