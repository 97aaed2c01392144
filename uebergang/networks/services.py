"""Every write to the network registry. Each function checks permission, validates, writes
under a transaction and records the history with the acting user."""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core import history, lifecycle
from uebergang.core.concurrency import (
    lock,
    lock_alive,
    lock_all,
    save_versioned,
    unique_or,
    versioned_update,
)
from uebergang.core.dated import end_dated
from uebergang.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from uebergang.core.models import HistoryAction, Network, NetworkName
from uebergang.core.permissions import NETWORK_MANAGE, authorize
from uebergang.core.uploads import check_image
from uebergang.core.validation import check_period, format_day, same_network, validate_fields
from uebergang.networks.rules import PARTNER_EDIT_CONTACT, REGISTRY_MANAGE

from .models import (
    ConstituencySeat,
    EndReason,
    NetworkLogo,
    Partner,
    PartnerKind,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
    open_period_overlaps,
)

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
PARTNER_CONTACT_FIELDS = ("address", "email", "phone", "website")
PARTNER_FIELDS = (
    "name",
    "short_name",
    "kind",
    "is_party",
    "description",
    "valid_from",
    *PARTNER_CONTACT_FIELDS,
)
PERSON_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "function",
    "organisation",
    "email",
    "phone",
    "note",
)
SEAT_FIELDS = ("name", "description", "valid_from")


def _require_text(field: str, value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError.for_field(field, _("Bitte geben Sie %(label)s an.") % {"label": label})
    return value


def _lock_network(network: Network) -> None:
    """Serialise writes whose checks span the network (unique names) on PostgreSQL."""
    Network.objects.select_for_update().filter(pk=network.pk).first()


# --- network ---------------------------------------------------------------------------------


@transaction.atomic
def network_create(
    *,
    actor: Any,
    slug: str,
    name: str,
    valid_from: datetime.date,
    region: str = "",
    description: str = "",
    coordination_office: str = "Koordinierungsstelle Bildung-Beruf",
    email: str = "",
) -> Network:
    """Platform administrators (or the system) create networks."""
    if not getattr(actor, "is_superuser", False) or not getattr(actor, "is_active", False):
        raise PermissionDenied(
            _("Nur die Plattform-Administration kann Netzwerke anlegen."), code="forbidden"
        )
    name = _require_text("name", name, _("einen Namen"))
    validate_fields(
        Network,
        {
            "slug": slug,
            "name": name,
            "region": region,
            "email": email,
            "coordination_office": coordination_office,
        },
    )
    if Network.all_objects.filter(slug=slug).exists():
        raise DomainError.for_field(
            "slug", _("Der Kurzname „%(slug)s“ ist schon vergeben.") % {"slug": slug}
        )
    network = Network.objects.create(
        slug=slug,
        name=name,
        valid_from=valid_from,
        region=region,
        description=description,
        coordination_office=coordination_office,
        email=email,
    )
    NetworkName.objects.create(network=network, name=name, valid_from=valid_from)
    history.record_create(actor=actor, obj=network)
    return network


NETWORK_EDITABLE = ("region", "description", "coordination_office", "email")


@transaction.atomic
def network_update(
    *, actor: Any, network: Network, expected_version: int | None, data: dict[str, Any]
) -> Network:
    def clean(network: Network) -> dict[str, Any]:
        values = {key: data[key] for key in NETWORK_EDITABLE if key in data}
        validate_fields(Network, values)
        return values

    return versioned_update(
        actor=actor,
        obj=network,
        expected_version=expected_version,
        permission=NETWORK_MANAGE,
        clean=clean,
        snapshot=NETWORK_EDITABLE,
    )


@transaction.atomic
def network_rename(
    *, actor: Any, network: Network, name: str, valid_from: datetime.date
) -> Network:
    """A new name from `valid_from` on; the old name stays readable for earlier dates."""
    authorize(actor, network, NETWORK_MANAGE)
    network = lock(network)
    name = _require_text("name", name, _("den neuen Namen"))
    _rename(
        network.names.all(), lambda: NetworkName(network=network), name, valid_from, network.name
    )
    before = history.snapshot(network, ["name"])
    network.name = name
    save_versioned(network, expected_version=network.version, fields=["name"])
    history.record_change(
        actor=actor,
        obj=network,
        before=before,
        action=HistoryAction.RENAME,
        message=_("Neuer Name ab %(day)s") % {"day": format_day(valid_from)},
    )
    return network


def _rename(
    names: Any, new_row: Any, name: str, valid_from: datetime.date, current_name: str
) -> None:
    if valid_from > timezone.localdate():
        raise DomainError.for_field(
            "valid_from",
            _(
                "Eine Umbenennung wird ab ihrem Stichtag erfasst; das Datum darf nicht in der Zukunft liegen."
            ),
        )
    if name == current_name:
        raise DomainError.for_field("name", _("Der neue Name ist derselbe wie der bisherige."))
    validate_fields(PartnerName, {"name": name})
    current = names.filter(valid_to__isnull=True).order_by("-valid_from").first()
    if current is not None:
        if valid_from <= current.valid_from:
            raise DomainError.for_field(
                "valid_from",
                _("Der neue Name muss nach dem Beginn des bisherigen Namens (%(day)s) gelten.")
                % {"day": format_day(current.valid_from)},
            )
        current.valid_to = valid_from - ONE_DAY
        current.save(update_fields=["valid_to", "modified"])
    row = new_row()
    row.name, row.valid_from = name, valid_from
    row.save()


# --- the network's logo ----------------------------------------------------------------------

LOGO_DIR = "logos"
LOGO_FIELDS = ("file_name", "content_type", "size", "sha256")
LOGO_CONSTRAINT = "networks_logo_one_per_network"


def _logo_conflict(current: NetworkLogo | None) -> Conflict:
    return Conflict(
        _(
            "Das Logo wurde inzwischen von jemand anderem geändert. Bitte prüfen Sie den "
            "aktuellen Stand und versuchen Sie es erneut."
        ),
        details={"current_sha256": current.sha256 if current is not None else ""},
    )


def _check_logo_seen(current: NetworkLogo | None, expected_sha256: str | None) -> None:
    """`expected_sha256`: the checksum of the logo the person saw ("" when they saw none;
    None: no check)."""
    if expected_sha256 is not None and expected_sha256 != (current.sha256 if current else ""):
        raise _logo_conflict(current)


def _delete_stored(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # the record no longer points at it: a left-over file, not an error
        logger.warning("could not delete the stored logo %s", name)


def _delete_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: _delete_stored(name))


@transaction.atomic
def network_logo_set(
    *, actor: Any, network: Network, upload: Any, expected_sha256: str | None = None
) -> NetworkLogo:
    """Upload the network's logo or replace it (the coordination office). The file is
    checked by its bytes (PNG or JPEG, at most `LOGO_MAX_BYTES`) and stored under a random
    name; the replaced file is deleted after commit. A conflict if the logo changed since
    the person saw it (`expected_sha256`)."""
    authorize(actor, network, NETWORK_MANAGE)
    image = check_image(upload, max_bytes=settings.LOGO_MAX_BYTES)
    network = lock(network)
    logo = NetworkLogo.objects.select_for_update().filter(network=network).first()
    _check_logo_seen(logo, expected_sha256)
    values = {
        "file_name": image.name,
        "content_type": image.content_type,
        "size": image.size,
        "sha256": image.sha256,
    }
    if logo is not None and all(getattr(logo, k) == v for k, v in values.items()):
        return logo  # the same file again: nothing changes
    stored = default_storage.save(
        f"{LOGO_DIR}/{secrets.token_hex(16)}{image.suffix}", ContentFile(image.data)
    )
    try:
        if logo is None:
            logo = NetworkLogo(network=network, file=stored, **values)
            with unique_or(NetworkLogo, LOGO_CONSTRAINT, lambda: _logo_conflict(None)):
                logo.save()
            history.record_create(actor=actor, obj=logo, parent=network)
            return logo
        before = history.snapshot(logo, list(LOGO_FIELDS))
        replaced = logo.file.name
        logo.file = stored
        for key, value in values.items():
            setattr(logo, key, value)
        save_versioned(logo, expected_version=logo.version, fields=["file", *LOGO_FIELDS])
        history.record_change(actor=actor, obj=logo, before=before, parent=network)
    except BaseException:
        _delete_stored(stored)
        raise
    _delete_after_commit(replaced)
    return logo


@transaction.atomic
def network_logo_remove(
    *, actor: Any, network: Network, expected_sha256: str | None = None
) -> NetworkLogo:
    """Remove the network's logo (the coordination office): the record is soft-deleted
    (the history names it) and its file deleted after commit. The letterhead is then
    without a logo."""
    authorize(actor, network, NETWORK_MANAGE)
    network = lock(network)
    logo = NetworkLogo.objects.select_for_update().filter(network=network).first()
    if logo is None:
        raise NotFound(_("Dieses Netzwerk hat kein Logo."))
    _check_logo_seen(logo, expected_sha256)
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=logo,
        parent=network,
        changes={"file_name": [logo.file_name, None]},
    )
    removed = logo.file.name
    logo.file = ""
    logo.deleted_at = logo.modified = timezone.now()
    logo.save(update_fields=["file", "deleted_at", "modified"])
    _delete_after_commit(removed)
    return logo


# --- partners --------------------------------------------------------------------------------


PARTNER_NAME_UNIQUE = "networks_partner_active_name_unique"


def _name_taken() -> DomainError:
    return DomainError.for_field("name", _("Einen aktiven Partner mit diesem Namen gibt es schon."))


def _check_unique_name(network: Network, name: str, exclude: Partner | None = None) -> None:
    """The friendly check before writing; the constraint `PARTNER_NAME_UNIQUE` holds it
    when two requests pass this check at once (`unique_or`)."""
    qs = Partner.objects.filter(network=network, name__iexact=name, valid_to__isnull=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if qs.exists():
        raise _name_taken()


def _clean_partner_data(data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in PARTNER_FIELDS if key in data}
    if "name" in clean:
        clean["name"] = _require_text("name", clean["name"], _("einen Namen"))
    if "kind" in clean and clean["kind"] not in PartnerKind.values:
        raise DomainError.for_field("kind", _("Bitte wählen Sie eine gültige Art."))
    validate_fields(Partner, clean)
    return clean


@transaction.atomic
def partner_create(*, actor: Any, network: Network, data: dict[str, Any]) -> Partner:
    authorize(actor, network, REGISTRY_MANAGE)
    clean = _clean_partner_data(data)
    clean.setdefault("valid_from", None)
    check_period(clean["valid_from"], None)
    _check_unique_name(network, clean["name"])
    with unique_or(Partner, PARTNER_NAME_UNIQUE, _name_taken):
        partner = Partner.objects.create(network=network, **clean)
    PartnerName.objects.create(
        network=network, partner=partner, name=partner.name, valid_from=partner.valid_from
    )
    history.record_create(actor=actor, obj=partner)
    return partner


@transaction.atomic
def partner_update(
    *, actor: Any, partner: Partner, expected_version: int | None, data: dict[str, Any]
) -> Partner:
    """Correct a partner's details. A representative may correct the contact details only;
    a change of name here is a correction (for a rename from a date, use `partner_rename`)."""
    clean = _clean_partner_data(data)

    def changed(partner: Partner) -> set[str]:
        return {k for k, v in clean.items() if getattr(partner, k) != v}

    def permission(partner: Partner, clean: dict[str, Any]) -> tuple[Any, Any]:
        if changed(partner) <= set(PARTNER_CONTACT_FIELDS):
            return PARTNER_EDIT_CONTACT, partner
        return REGISTRY_MANAGE, None

    edited: set[str] = set()  # what the stored partner had otherwise, seen under the lock

    def validate(partner: Partner, clean: dict[str, Any]) -> None:
        edited.update(changed(partner))
        if "valid_from" in edited:
            check_period(clean["valid_from"], partner.valid_to)
        if "name" in edited and partner.valid_to is None:
            _check_unique_name(partner.network, clean["name"], exclude=partner)

    def keep_names_in_step(partner: Partner, before: dict[str, Any]) -> None:
        first = partner.names.order_by("valid_from").first()
        current = partner.names.order_by("-valid_from").first()
        if current is not None and "name" in edited:
            current.name = partner.name
            current.save(update_fields=["name", "modified"])
        if first is not None and "valid_from" in edited:
            first.valid_from = partner.valid_from
            first.save(update_fields=["valid_from", "modified"])

    return versioned_update(
        actor=actor,
        obj=partner,
        expected_version=expected_version,
        permission=permission,
        clean=lambda partner: clean,
        validate=validate,
        snapshot=PARTNER_FIELDS,
        unique=(Partner, PARTNER_NAME_UNIQUE, _name_taken),
        after=keep_names_in_step,
    )


@transaction.atomic
def partner_rename(
    *, actor: Any, partner: Partner, name: str, valid_from: datetime.date
) -> Partner:
    authorize(actor, partner.network, REGISTRY_MANAGE)
    partner = lock(partner)
    name = _require_text("name", name, _("den neuen Namen"))
    if partner.valid_to is not None:
        raise DomainError(_("Ein beendeter Partner kann nicht umbenannt werden."), code="ended")
    if name.lower() != partner.name.lower():
        _check_unique_name(partner.network, name, exclude=partner)
    _rename(
        partner.names.all(),
        lambda: PartnerName(network=partner.network, partner=partner),
        name,
        valid_from,
        partner.name,
    )
    before = history.snapshot(partner, ["name"])
    partner.name = name
    with unique_or(Partner, PARTNER_NAME_UNIQUE, _name_taken):
        save_versioned(partner, expected_version=partner.version, fields=["name"])
    history.record_change(
        actor=actor,
        obj=partner,
        before=before,
        action=HistoryAction.RENAME,
        message=_("Neuer Name ab %(day)s") % {"day": format_day(valid_from)},
    )
    return partner


def _end_partner_facts(*, actor: Any, partner: Partner, last_day: datetime.date) -> None:
    """End the partner's open representations and seat assignments on `last_day`, and let
    later apps end what hangs on it (`core.lifecycle`)."""
    for rep in partner.representations.filter(valid_to__isnull=True):
        representation_end(actor=actor, representation=rep, valid_to=max(last_day, rep.valid_from))
    for assignment in partner.seat_assignments.filter(valid_to__isnull=True):
        seat_unassign(
            actor=actor, assignment=assignment, valid_to=max(last_day, assignment.valid_from)
        )
    lifecycle.partner_ended(actor=actor, partner=partner, last_day=last_day)
    open_name = partner.names.filter(valid_to__isnull=True).first()
    if open_name is not None:
        open_name.valid_to = max(last_day, open_name.valid_from)
        open_name.save(update_fields=["valid_to", "modified"])


@transaction.atomic
def partner_end(
    *,
    actor: Any,
    partner: Partner,
    valid_to: datetime.date,
    reason: str = EndReason.LEFT,
    note: str = "",
) -> Partner:
    """A partner leaves the network (or is dissolved) without a successor."""

    def end_its_facts(partner: Partner) -> None:
        validate_fields(Partner, {"end_note": note})
        if reason not in (EndReason.LEFT, EndReason.DISSOLVED, EndReason.SUCCESSION):
            raise DomainError.for_field("reason", _("Bitte wählen Sie einen gültigen Grund."))
        _end_partner_facts(actor=actor, partner=partner, last_day=valid_to)

    return end_dated(
        actor=actor,
        obj=partner,
        valid_to=valid_to,
        permission=REGISTRY_MANAGE,
        ended=_("Dieser Partner ist bereits zum %(day)s beendet."),
        first=end_its_facts,
        also={"end_reason": reason, "end_note": note},
    )


@transaction.atomic
def partner_record_succession(
    *,
    actor: Any,
    predecessor: Partner,
    date: datetime.date,
    successor: Partner | None = None,
    successor_data: dict[str, Any] | None = None,
    take_over_seats: bool = True,
    note: str = "",
) -> Succession:
    """`predecessor` ends on the day before `date`; `successor` (existing, or created from
    `successor_data`) carries on from `date` and, by default, takes over the seat assignments."""
    network = predecessor.network
    authorize(actor, network, REGISTRY_MANAGE)
    if date is None:
        raise DomainError.for_field("date", _("Bitte geben Sie an, ab wann die Nachfolge gilt."))
    if (successor is None) == (successor_data is None):
        raise DomainError.for_field(
            "successor", _("Bitte wählen Sie einen Nachfolger oder legen Sie einen neuen an.")
        )
    # Both partners in the order of their ids: a succession the other way round at the same
    # moment waits instead of deadlocking.
    locked = lock_all(Partner, {predecessor.pk} | ({successor.pk} if successor else set()))
    predecessor = locked.get(predecessor.pk) or lock(predecessor)
    if successor is not None:
        successor = locked.get(successor.pk, successor)
    if predecessor.valid_to is not None:
        raise DomainError(
            _("%(name)s ist bereits zum %(day)s beendet.")
            % {"name": predecessor.name, "day": format_day(predecessor.valid_to)},
            code="ended",
        )
    if date <= predecessor.valid_from:
        raise DomainError.for_field(
            "date",
            _("Die Nachfolge muss nach dem Beginn von %(name)s (%(day)s) liegen.")
            % {"name": predecessor.name, "day": format_day(predecessor.valid_from)},
        )
    validate_fields(Succession, {"note": note})
    if successor is None:
        try:
            successor = partner_create(
                actor=actor,
                network=network,
                data={
                    "kind": predecessor.kind,
                    "is_party": predecessor.is_party,
                    **(successor_data or {}),
                    "valid_from": date,
                },
            )
        except DomainError as error:
            # The new successor's name is asked for as `new_successor_name`.
            if "name" in error.field_errors:
                error.field_errors["new_successor_name"] = error.field_errors.pop("name")
            raise
    else:
        same_network(network, successor)
        if successor.pk == predecessor.pk:
            raise DomainError.for_field(
                "successor", _("Ein Partner kann nicht sein eigener Nachfolger sein.")
            )
        if not successor.is_valid_on(date):
            raise DomainError.for_field(
                "successor",
                _(
                    "%(name)s ist am %(day)s kein aktiver Partner und kann dann nicht Nachfolger sein."
                )
                % {"name": successor.name, "day": format_day(date)},
            )
    last_day = date - ONE_DAY
    seats = list(predecessor.seat_assignments.filter(valid_to__isnull=True).select_related("seat"))
    predecessor = partner_end(
        actor=actor,
        partner=predecessor,
        valid_to=last_day,
        reason=EndReason.SUCCESSION,
        note=_("Nachfolger: %(name)s") % {"name": successor.name},
    )
    if take_over_seats:
        for assignment in seats:
            if not open_period_overlaps(
                assignment.seat.assignments.filter(partner=successor), date, None
            ).exists():
                seat_assign(actor=actor, seat=assignment.seat, partner=successor, valid_from=date)
    succession = Succession.objects.create(
        network=network, predecessor=predecessor, successor=successor, date=date, note=note
    )
    history.record(
        actor=actor,
        action=HistoryAction.SUCCESSION,
        obj=succession,
        parent=predecessor,
        changes={"successor": [None, successor.name], "date": [None, date.isoformat()]},
        message=note,
    )
    history.record(
        actor=actor,
        action=HistoryAction.SUCCESSION,
        obj=successor,
        message=_("Nachfolger von %(name)s ab %(day)s")
        % {"name": predecessor.name, "day": format_day(date)},
    )
    return succession


# --- representations -------------------------------------------------------------------------


@transaction.atomic
def representation_create(
    *,
    actor: Any,
    partner: Partner,
    valid_from: datetime.date,
    institution: Partner | None = None,
    person: Person | None = None,
    function: str = "",
    valid_to: datetime.date | None = None,
    note: str = "",
) -> Representation:
    network = partner.network
    authorize(actor, network, REGISTRY_MANAGE)
    partner = lock(partner)  # the partner's period as stored: an end at the same time waits
    same_network(network, institution, person)
    function = (function or "").strip()
    if institution is None and person is None and not function:
        raise DomainError(
            _(
                "Bitte geben Sie an, durch wen der Partner vertreten wird: eine Institution, eine Person oder eine Funktion."
            ),
            field_errors={"function": [_("Institution, Person oder Funktion angeben.")]},
        )
    if institution is not None and institution.pk == partner.pk:
        raise DomainError.for_field(
            "institution", _("Ein Partner kann sich nicht selbst vertreten.")
        )
    check_period(valid_from, valid_to)
    validate_fields(Representation, {"function": function, "note": note})
    if valid_from < partner.valid_from or (partner.valid_to and valid_from > partner.valid_to):
        raise DomainError.for_field(
            "valid_from",
            _("„Vertreten durch“ muss in die Zeit fallen, in der %(name)s Partner ist.")
            % {"name": partner.name},
        )
    rep = Representation.objects.create(
        network=network,
        partner=partner,
        institution=institution,
        person=person,
        function=function,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    history.record_create(actor=actor, obj=rep, parent=partner)
    return rep


@transaction.atomic
def representation_end(
    *, actor: Any, representation: Representation, valid_to: datetime.date
) -> Representation:
    return end_dated(
        actor=actor,
        obj=representation,
        valid_to=valid_to,
        permission=REGISTRY_MANAGE,
        ended=_("Dieses „vertreten durch“ ist bereits beendet."),
        parent=representation.partner,
    )


# --- people ----------------------------------------------------------------------------------


def _clean_person_data(network: Network, data: dict[str, Any]) -> dict[str, Any]:
    clean = {key: data[key] for key in PERSON_FIELDS if key in data}
    if "first_name" in clean:
        clean["first_name"] = _require_text("first_name", clean["first_name"], _("einen Vornamen"))
    if "last_name" in clean:
        clean["last_name"] = _require_text("last_name", clean["last_name"], _("einen Nachnamen"))
    same_network(network, clean.get("organisation"))
    validate_fields(Person, clean)
    return clean


@transaction.atomic
def person_create(*, actor: Any, network: Network, data: dict[str, Any]) -> Person:
    authorize(actor, network, REGISTRY_MANAGE)
    clean = _clean_person_data(network, data)
    for key in ("first_name", "last_name"):
        if key not in clean:
            _require_text(
                key, "", _("einen Vornamen") if key == "first_name" else _("einen Nachnamen")
            )
    person = Person.objects.create(network=network, **clean)
    history.record_create(actor=actor, obj=person)
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, expected_version: int | None, data: dict[str, Any]
) -> Person:
    return versioned_update(
        actor=actor,
        obj=person,
        expected_version=expected_version,
        permission=REGISTRY_MANAGE,
        clean=lambda person: _clean_person_data(person.network, data),
        snapshot=PERSON_FIELDS,
    )


PERSON_ONE_PER_USER = "networks_person_one_per_user"


def _person_gone() -> DomainError:
    return DomainError(_("Diese Person gibt es nicht mehr."), code="deleted")


@transaction.atomic
def person_link_account(*, actor: Any, person: Person, user: Any) -> Person:
    """The person signs in with `user`'s account: what they may do as a representative, seat
    holder or member of a body follows from the person. One person per account and network
    (constraint `networks_person_one_per_user`)."""
    authorize(actor, person.network, REGISTRY_MANAGE)
    person = lock_alive(person, _person_gone)
    if user is None or getattr(user, "pk", None) is None:
        raise DomainError.for_field("user", _("Bitte wählen Sie ein Benutzerkonto."))
    if not user.is_active:
        raise DomainError.for_field(
            "user", _("Dieses Benutzerkonto ist gesperrt und kann nicht verknüpft werden.")
        )
    if person.user_id == user.pk:
        raise DomainError.for_field(
            "user",
            _("%(name)s ist bereits mit diesem Benutzerkonto verknüpft.") % {"name": person},
        )
    if person.user_id is not None:
        raise DomainError.for_field(
            "user",
            _(
                "%(name)s ist bereits mit einem anderen Benutzerkonto verknüpft; "
                "lösen Sie zuerst diese Verknüpfung."
            )
            % {"name": person},
        )

    def taken(other: Any = None) -> DomainError:
        other = other or Person.objects.filter(network=person.network, user=user).first()
        return DomainError.for_field(
            "user",
            _("Dieses Benutzerkonto ist in diesem Netzwerk schon mit %(name)s verknüpft.")
            % {"name": other or _("einer anderen Person")},
        )

    other = Person.objects.filter(network=person.network, user=user).exclude(pk=person.pk).first()
    if other is not None:
        raise taken(other)
    before = history.snapshot(person, ["user"])
    person.user = user
    with unique_or(Person, PERSON_ONE_PER_USER, taken):
        save_versioned(person, expected_version=person.version, fields=["user"])
    history.record_change(actor=actor, obj=person, before=before, action=HistoryAction.ASSIGN)
    return person


@transaction.atomic
def person_unlink_account(*, actor: Any, person: Person) -> Person:
    """The person no longer signs in with the account linked to them."""
    authorize(actor, person.network, REGISTRY_MANAGE)
    person = lock_alive(person, _person_gone)
    if person.user_id is None:
        raise DomainError(
            _("%(name)s ist mit keinem Benutzerkonto verknüpft.") % {"name": person},
            code="not_linked",
        )
    before = history.snapshot(person, ["user"])
    person.user = None
    save_versioned(person, expected_version=person.version, fields=["user"])
    history.record_change(actor=actor, obj=person, before=before, action=HistoryAction.UNASSIGN)
    return person


# --- constituency seats ----------------------------------------------------------------------


@transaction.atomic
def seat_create(*, actor: Any, network: Network, data: dict[str, Any]) -> ConstituencySeat:
    authorize(actor, network, REGISTRY_MANAGE)
    _lock_network(network)
    name = _require_text("name", data.get("name", ""), _("einen Namen"))
    check_period(data.get("valid_from"), None)
    validate_fields(ConstituencySeat, {"name": name, "description": data.get("description", "")})
    if ConstituencySeat.objects.filter(
        network=network, name__iexact=name, valid_to__isnull=True
    ).exists():
        raise DomainError.for_field(
            "name", _("Eine Sammelvertretung mit diesem Namen gibt es schon.")
        )
    seat = ConstituencySeat.objects.create(
        network=network,
        name=name,
        description=data.get("description", ""),
        valid_from=data["valid_from"],
    )
    history.record_create(actor=actor, obj=seat)
    return seat


@transaction.atomic
def seat_update(
    *, actor: Any, seat: ConstituencySeat, expected_version: int | None, data: dict[str, Any]
) -> ConstituencySeat:
    def clean(seat: ConstituencySeat) -> dict[str, Any]:
        values = {key: data[key] for key in SEAT_FIELDS if key in data}
        if "name" in values:
            values["name"] = _require_text("name", values["name"], _("einen Namen"))
        if "valid_from" in values:
            check_period(values["valid_from"], seat.valid_to)
        validate_fields(ConstituencySeat, values)
        return values

    return versioned_update(
        actor=actor,
        obj=seat,
        expected_version=expected_version,
        permission=REGISTRY_MANAGE,
        clean=clean,
        snapshot=SEAT_FIELDS,
    )


@transaction.atomic
def seat_end(*, actor: Any, seat: ConstituencySeat, valid_to: datetime.date) -> ConstituencySeat:
    """The seat ceases to exist after `valid_to`; its open assignments and holdings end too."""

    def end_its_periods(seat: ConstituencySeat) -> None:
        for assignment in seat.assignments.filter(valid_to__isnull=True):
            seat_unassign(
                actor=actor, assignment=assignment, valid_to=max(valid_to, assignment.valid_from)
            )
        for holding in seat.holdings.filter(valid_to__isnull=True):
            seat_holding_end(
                actor=actor, holding=holding, valid_to=max(valid_to, holding.valid_from)
            )

    return end_dated(
        actor=actor,
        obj=seat,
        valid_to=valid_to,
        permission=REGISTRY_MANAGE,
        ended=_("Diese Sammelvertretung ist bereits beendet."),
        first=end_its_periods,
    )


@transaction.atomic
def seat_assign(
    *,
    actor: Any,
    seat: ConstituencySeat,
    partner: Partner,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> SeatAssignment:
    network = seat.network
    authorize(actor, network, REGISTRY_MANAGE)
    same_network(network, partner)
    partner = lock(partner)  # its period as stored (partner before seat: the lock order)
    seat = lock(seat)  # concurrent assignments to one seat queue up here
    check_period(valid_from, valid_to)
    if not partner.is_valid_on(valid_from):
        raise DomainError.for_field(
            "partner",
            _("%(name)s ist am %(day)s kein aktiver Partner.")
            % {"name": partner.name, "day": format_day(valid_from)},
        )
    if partner.valid_to is not None and (valid_to is None or valid_to > partner.valid_to):
        raise DomainError.for_field(
            "partner",
            _("%(name)s ist nur bis %(day)s Partner; die Zuordnung muss spätestens dann enden.")
            % {"name": partner.name, "day": format_day(partner.valid_to)},
        )
    if not seat.is_valid_on(valid_from):
        raise DomainError.for_field(
            "valid_from", _("Die Sammelvertretung besteht an diesem Tag nicht.")
        )
    if open_period_overlaps(
        seat.assignments.filter(partner=partner), valid_from, valid_to
    ).exists():
        raise DomainError.for_field(
            "partner",
            _("%(name)s ist dieser Sammelvertretung in diesem Zeitraum bereits zugeordnet.")
            % {"name": partner.name},
        )
    assignment = SeatAssignment.objects.create(
        network=network, seat=seat, partner=partner, valid_from=valid_from, valid_to=valid_to
    )
    history.record(
        actor=actor,
        action=HistoryAction.ASSIGN,
        obj=assignment,
        parent=seat,
        changes={"partner": [None, partner.name], "valid_from": [None, valid_from.isoformat()]},
    )
    history.record(
        actor=actor,
        action=HistoryAction.ASSIGN,
        obj=partner,
        message=_("der Sammelvertretung „%(seat)s“ zugeordnet ab %(day)s")
        % {"seat": seat.name, "day": format_day(valid_from)},
    )
    return assignment


@transaction.atomic
def seat_unassign(
    *, actor: Any, assignment: SeatAssignment, valid_to: datetime.date
) -> SeatAssignment:
    assignment = end_dated(
        actor=actor,
        obj=assignment,
        valid_to=valid_to,
        permission=REGISTRY_MANAGE,
        ended=_("Diese Zuordnung ist bereits beendet."),
        parent=assignment.seat,
        action=HistoryAction.UNASSIGN,
    )
    history.record(
        actor=actor,
        action=HistoryAction.UNASSIGN,
        obj=assignment.partner,
        message=_("Zuordnung zur Sammelvertretung „%(seat)s“ beendet zum %(day)s")
        % {"seat": assignment.seat.name, "day": format_day(valid_to)},
    )
    return assignment


@transaction.atomic
def seat_holding_create(
    *,
    actor: Any,
    seat: ConstituencySeat,
    person: Person,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> SeatHolding:
    authorize(actor, seat.network, REGISTRY_MANAGE)
    seat = lock(seat)  # concurrent holders of one seat queue up here
    same_network(seat.network, person)
    check_period(valid_from, valid_to)
    if open_period_overlaps(seat.holdings.all(), valid_from, valid_to).exists():
        raise DomainError.for_field(
            "valid_from",
            _(
                "Für diesen Zeitraum ist bereits eine Person eingetragen; beenden Sie zuerst deren Zeit."
            ),
        )
    holding = SeatHolding.objects.create(
        network=seat.network, seat=seat, person=person, valid_from=valid_from, valid_to=valid_to
    )
    history.record_create(actor=actor, obj=holding, parent=seat)
    return holding


@transaction.atomic
def seat_holding_end(*, actor: Any, holding: SeatHolding, valid_to: datetime.date) -> SeatHolding:
    return end_dated(
        actor=actor,
        obj=holding,
        valid_to=valid_to,
        permission=REGISTRY_MANAGE,
        ended=_("Diese Zeit ist bereits beendet."),
        parent=holding.seat,
    )
