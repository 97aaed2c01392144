"""The network registry's part of the exchange file, and the demo network through it."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction

from uebergang.core.exchange import (
    ImportRefused,
    dumps,
    export_network,
    import_network,
    network_history,
)
from uebergang.core.models import Network, NetworkRole
from uebergang.core.permissions import SYSTEM
from uebergang.networks import demo, services
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)
from uebergang.networks.tests.factories import make_partner, make_person, make_seat, person_for

pytestmark = pytest.mark.clock


def all_row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def refused(data, **kwargs) -> list[str]:
    before = all_row_counts()
    with pytest.raises(ImportRefused) as info:
        import_network(data, **kwargs)
    assert all_row_counts() == before
    return info.value.messages


def part(data):
    return data["parts"]["networks"]


def where(collection, index, data):
    return f"{collection}[{index}] (public_id {part(data)[collection][index]['public_id']})"


def projection(network: Network) -> dict[str, list]:
    """What the demo says, without public ids and timestamps (which differ per build)."""

    def name(obj):
        return str(obj) if obj is not None else None

    return {
        "network": [
            (
                network.slug,
                network.name,
                network.region,
                network.description,
                network.coordination_office,
                network.email,
                network.valid_from,
                network.valid_to,
            ),
            sorted((n.name, n.valid_from, n.valid_to) for n in network.names.all()),
        ],
        "partners": sorted(
            (
                p.name,
                p.short_name,
                p.kind,
                p.is_party,
                p.description,
                p.valid_from,
                p.valid_to,
                p.end_reason,
                p.end_note,
                p.address,
                p.email,
                p.phone,
                p.website,
                p.deleted_at is None,
            )
            for p in Partner.all_objects.filter(network=network)
        ),
        "partner_names": sorted(
            (n.partner.name, n.name, n.valid_from, n.valid_to)
            for n in PartnerName.all_objects.filter(network=network)
        ),
        "people": sorted(
            (
                p.title,
                p.first_name,
                p.last_name,
                p.function,
                name(p.organisation),
                p.email,
                p.phone,
                p.user.email if p.user else None,
                p.note,
            )
            for p in Person.all_objects.filter(network=network)
        ),
        "representations": sorted(
            (
                r.partner.name,
                name(r.institution),
                name(r.person),
                r.function,
                r.note,
                r.valid_from,
                r.valid_to,
            )
            for r in Representation.all_objects.filter(network=network)
        ),
        "successions": sorted(
            (str(s), s.note) for s in Succession.all_objects.filter(network=network)
        ),
        "seats": sorted(
            (s.name, s.description, s.valid_from, s.valid_to)
            for s in ConstituencySeat.all_objects.filter(network=network)
        ),
        "assignments": sorted(
            (str(a), a.valid_from, a.valid_to)
            for a in SeatAssignment.all_objects.filter(network=network)
        ),
        "holdings": sorted(
            (str(h), h.valid_from, h.valid_to)
            for h in SeatHolding.all_objects.filter(network=network)
        ),
        "roles": sorted(
            (r.user.email, r.user.display_name, r.role)
            for r in NetworkRole.all_objects.filter(network=network)
        ),
        "history": sorted(
            (
                e.action,
                e.object_type,
                e.object_repr,
                e.parent_type,
                e.actor_name,
                e.message,
                json.dumps(e.changes, sort_keys=True),
            )
            for e in network_history(network)
        ),
    }


# --- the part --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_registry_record_survives_export_and_import(network, make_user):
    """A registry built through the services (rename, end, succession, seats, a person with
    an account, a soft-deleted person) comes back exactly, byte for byte."""
    school = make_partner(network, "Oberschule Nord", kind="school_general", email="os@example.org")
    chamber = make_partner(network, "Kammer Süd", kind="chamber", is_party=True)
    services.partner_rename(
        actor=SYSTEM,
        partner=school,
        name="Oberschule Nordstadt",
        valid_from=datetime.date(2020, 8, 1),
    )
    account = make_user("rita@example.org", name="Rita R.")
    rita = person_for(network, account)
    services.representation_create(
        actor=SYSTEM,
        partner=chamber,
        person=rita,
        function="Ausbildung",
        valid_from=datetime.date(2014, 1, 1),
    )
    services.representation_create(
        actor=SYSTEM, partner=chamber, institution=school, valid_from=datetime.date(2015, 1, 1)
    )
    seat = make_seat(network, "Schulen")
    services.seat_assign(
        actor=SYSTEM, seat=seat, partner=school, valid_from=datetime.date(2014, 1, 1)
    )
    services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=rita, valid_from=datetime.date(2014, 1, 1)
    )
    services.partner_record_succession(
        actor=SYSTEM,
        predecessor=chamber,
        date=datetime.date(2018, 1, 1),
        successor_data={"name": "Kammer Mitte"},
    )
    gone = make_person(network, "Gerd", "Gegangen")
    Person.all_objects.filter(pk=gone.pk).update(
        deleted_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    )

    first = dumps(export_network(network))
    data = json.loads(first)
    assert {k: len(v) for k, v in part(data).items()} == {
        "partners": 3,
        "partner_names": 4,
        "people": 2,
        "representations": 2,
        "successions": 1,
        "constituency_seats": 1,
        "seat_assignments": 1,
        "seat_holdings": 1,
        "network_logos": 0,
    }
    person = next(p for p in part(data)["people"] if p["first_name"] == "Rita")
    assert person["user"] == "rita@example.org"
    assert [a["email"] for a in data["accounts"]] == ["rita@example.org"]
    assert data["accounts"][0]["roles"] == []
    names = sorted((n["name"], n["valid_from"], n["valid_to"]) for n in part(data)["partner_names"])
    assert ("Oberschule Nord", "2013-05-29", "2020-07-31") in names

    imported = import_network(data, replace=True)
    assert dumps(export_network(imported)) == first
    assert Person.objects.get(network=imported, user=account).first_name == "Rita"
    assert Person.all_objects.get(public_id=gone.public_id).deleted_at is not None


@pytest.mark.django_db
def test_reference_to_a_record_of_another_kind_is_refused(demo_data):
    data = demo_data
    partner_id = part(data)["partners"][0]["public_id"]
    part(data)["seat_holdings"][0]["person"] = partner_id
    assert refused(data) == [
        f"{where('seat_holdings', 0, data)}: „person“ verweist auf {partner_id}, das ist aber "
        f"kein(e) Person, sondern {where('partners', 0, data)}"
    ]


@pytest.mark.django_db
def test_database_check_constraints_are_checked_before_writing(demo_data):
    data = demo_data
    rep = part(data)["representations"][0]
    rep.update(institution=None, person=None, function="")
    succession = part(data)["successions"][0]
    succession["successor"] = succession["predecessor"]
    messages = refused(data)
    assert len(messages) == 2
    assert messages[0].startswith(f"{where('representations', 0, data)}: ")
    assert "networks_representation_by_someone" in messages[0]
    assert messages[1].startswith(f"{where('successions', 0, data)}: ")
    assert "networks_succession_not_self" in messages[1]


@pytest.mark.django_db
def test_unique_constraints_are_checked_within_the_file(demo_data):
    data = demo_data
    people = part(data)["people"]
    linked = next(i for i, p in enumerate(people) if p["user"] == demo.MEMBER_EMAIL)
    other = next(i for i, p in enumerate(people) if p["user"] is None)
    people[other]["user"] = demo.MEMBER_EMAIL
    first, second = sorted((linked, other))
    assert refused(copy.deepcopy(data)) == [
        f"{where('people', second, data)}: „user“: dieselbe Angabe gibt es schon in "
        f"{where('people', first, data)}"
    ]
    # A soft-deleted person may have been linked to the same account.
    people[other]["deleted_at"] = "2020-01-01T00:00:00+01:00"
    network = import_network(data)
    assert Person.all_objects.filter(network=network, user__email=demo.MEMBER_EMAIL).count() == 2


@pytest.mark.django_db
def test_a_collection_that_is_not_a_list_or_unknown_is_refused(demo_data):
    data = demo_data
    part(data)["partners"] = {}
    part(data)["castles"] = []
    messages = refused(data)
    assert messages[0] == (
        "unbekannte Sammlung „castles“ (bekannt: partners, partner_names, people, "
        "representations, successions, constituency_seats, seat_assignments, seat_holdings, "
        "network_logos)"
    )
    assert messages[1] == "partners: muss eine Liste sein"


# --- the demo network --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_through_its_exchange_file_says_what_the_demo_code_builds(demo_export):
    """The demo as `manage.py load_demo` builds it today equals the demo read back from its
    export (the session's build, imported), labels in the history included."""
    with transaction.atomic():
        built = projection(demo.load_demo())
        transaction.set_rollback(True)
    assert not Network.all_objects.exists()
    loaded = projection(import_network(copy.deepcopy(demo_export)))
    for key in built:
        assert loaded[key] == built[key], key


@pytest.mark.django_db
def test_the_demo_export_carries_no_passwords(demo_export):
    text = dumps(demo_export)
    assert "password" not in text.lower()
    assert "pbkdf2" not in text and "argon2" not in text and "md5$" not in text
    assert "demo_anchor" not in demo_export
    for account in demo_export["accounts"]:
        assert set(account) == {"email", "display_name", "roles"}
    assert {a["email"] for a in demo_export["accounts"]} == {
        demo.COORDINATION_EMAIL,
        demo.MEMBER_EMAIL,
    }


def test_the_demo_is_documented_as_fictional():
    readme = (Path(demo.__file__).parent / "demo" / "README.md").read_text(encoding="utf-8")
    assert "fiktiv" in readme.lower()
