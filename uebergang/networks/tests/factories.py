"""Test data for the network registry.

Two kinds of helpers:

* `make_*` functions go through the services (as the system, unless told otherwise), so the
  records look exactly like real ones, history included. Use them to set up a test.
* factory-boy factories write rows directly (no permission check, no history). Use them for
  bulk data, e.g. the query-count tests with 200 partners.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from uebergang.core.models import HistoryEvent, Network, NetworkName
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import (
    ConstituencySeat,
    NetworkLogo,
    Partner,
    PartnerKind,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

SIGNED = datetime.date(2013, 5, 29)


# --- through the services --------------------------------------------------------------------


def make_partner(network: Network, name: str, *, actor: Any = SYSTEM, **data: Any) -> Partner:
    data.setdefault("valid_from", SIGNED)
    return services.partner_create(actor=actor, network=network, data={"name": name, **data})


def make_person(
    network: Network, first_name: str, last_name: str, *, actor: Any = SYSTEM, **data: Any
) -> Person:
    return services.person_create(
        actor=actor,
        network=network,
        data={"first_name": first_name, "last_name": last_name, **data},
    )


def make_seat(network: Network, name: str, *, actor: Any = SYSTEM, **data: Any) -> ConstituencySeat:
    data.setdefault("valid_from", SIGNED)
    return services.seat_create(actor=actor, network=network, data={"name": name, **data})


def person_for(
    network: Network, user: Any, *, first_name: str = "Rita", last_name: str = "Repräsentantin"
) -> Person:
    """A networks.Person linked to the user account (as the coordination office would set up)."""
    person = make_person(network, first_name, last_name)
    return services.person_link_account(actor=SYSTEM, person=person, user=user)


def link_user(person: Person, user: Any) -> Person:
    """The person in the registry is this user, or has no account with `None` (as the
    coordination office would set up, through the services). Returns `person`, updated."""
    linked = Person.objects.get(pk=person.pk)
    if linked.user_id is not None and linked.user_id != getattr(user, "pk", None):
        linked = services.person_unlink_account(actor=SYSTEM, person=linked)
    if user is not None and linked.user_id != user.pk:
        linked = services.person_link_account(actor=SYSTEM, person=linked, user=user)
    person.user, person.version, person.modified = linked.user, linked.version, linked.modified
    return person


def png(width: int = 8, height: int = 4, colour=(11, 79, 138, 255)) -> bytes:
    """A real PNG of one colour (written as the demo writes its logo)."""
    from uebergang.networks.demo import png_image

    return png_image(width, height, lambda x, y: colour)


def jpeg(width: int = 8, height: int = 4) -> bytes:
    """A real JPEG (Pillow comes with WeasyPrint)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 79, 138)).save(buffer, format="JPEG")
    return buffer.getvalue()


def image_upload(
    name: str = "logo.png", content: bytes | None = None, content_type: str = "image/png"
):
    """An uploaded file as a form would hand it to the service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png() if content is None else content, content_type)


def make_logo(
    network: Network, *, actor: Any = SYSTEM, content: bytes | None = None, name: str = "logo.png"
):
    """The network's logo, uploaded through the service."""
    return services.network_logo_set(
        actor=actor, network=network, upload=image_upload(name, content)
    )


def make_representative(
    network: Network, partner: Partner, user: Any, **kwargs: Any
) -> Representation:
    """Make `user` (through their Person) the representative of `partner`, from `SIGNED` on."""
    person = person_for(network, user)
    kwargs.setdefault("valid_from", SIGNED)
    return services.representation_create(actor=SYSTEM, partner=partner, person=person, **kwargs)


# --- reading state ---------------------------------------------------------------------------

REGISTRY_MODELS = (
    Network,
    NetworkName,
    Partner,
    PartnerName,
    Succession,
    Person,
    Representation,
    ConstituencySeat,
    SeatAssignment,
    SeatHolding,
    NetworkLogo,
    HistoryEvent,
)


def row_counts() -> dict[str, int]:
    """Rows of every registry table (soft-deleted included): compare before/after a refusal."""
    counts = {}
    for model in REGISTRY_MODELS:
        manager = getattr(model, "all_objects", model.objects)
        counts[model.__name__] = manager.count()
    return counts


def events_for(obj: Any) -> list[HistoryEvent]:
    """The history events of the record itself, oldest first."""
    return list(HistoryEvent.objects.filter(object_id=obj.public_id).order_by("at", "id"))


def last_event() -> HistoryEvent:
    return HistoryEvent.objects.order_by("-id").first()


# --- factory-boy (direct rows, no history) ----------------------------------------------------


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"netz-{n}")
    name = factory.Sequence(lambda n: f"Testnetzwerk {n}")
    valid_from = SIGNED

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            NetworkName.objects.create(network=obj, name=obj.name, valid_from=obj.valid_from)


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Institution {n:04d}")
    kind = PartnerKind.SCHOOL_GENERAL
    is_party = True
    valid_from = SIGNED

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            PartnerName.objects.create(
                network=obj.network,
                partner=obj,
                name=obj.name,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
            )


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    network = factory.SubFactory(NetworkFactory)
    first_name = factory.Sequence(lambda n: f"Vorname{n:04d}")
    last_name = factory.Sequence(lambda n: f"Nachname{n:04d}")
    function = "Schulleitung"


class RepresentationFactory(DjangoModelFactory):
    class Meta:
        model = Representation

    partner = factory.SubFactory(PartnerFactory)
    network = factory.SelfAttribute("partner.network")
    person = factory.SubFactory(PersonFactory, network=factory.SelfAttribute("..network"))
    function = "Schulleitung"
    valid_from = SIGNED


class SeatFactory(DjangoModelFactory):
    class Meta:
        model = ConstituencySeat

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Sammelvertretung {n:04d}")
    valid_from = SIGNED


class SeatAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = SeatAssignment

    seat = factory.SubFactory(SeatFactory)
    network = factory.SelfAttribute("seat.network")
    partner = factory.SubFactory(PartnerFactory, network=factory.SelfAttribute("..network"))
    valid_from = SIGNED


class SeatHoldingFactory(DjangoModelFactory):
    class Meta:
        model = SeatHolding

    seat = factory.SubFactory(SeatFactory)
    network = factory.SelfAttribute("seat.network")
    person = factory.SubFactory(PersonFactory, network=factory.SelfAttribute("..network"))
    valid_from = SIGNED


def build_registry(network: Network, n: int, *, with_history: bool = True) -> None:
    """`n` partners, each with a person who represents it, a constituency seat it is assigned
    to and held by that person; with `with_history`, `n` history events per kind of record."""
    for i in range(n):
        partner = PartnerFactory(network=network, name=f"Institution {i:04d}")
        person = PersonFactory(
            network=network,
            organisation=partner,
            first_name=f"Vorname{i:04d}",
            last_name=f"Nachname{i:04d}",
        )
        RepresentationFactory(network=network, partner=partner, person=person)
        seat = SeatFactory(network=network, name=f"Sammelvertretung {i:04d}")
        SeatAssignmentFactory(network=network, seat=seat, partner=partner)
        SeatHoldingFactory(network=network, seat=seat, person=person)
    if with_history:
        from uebergang.core import history

        for partner in Partner.objects.filter(network=network):
            history.record_create(actor=SYSTEM, obj=partner)
