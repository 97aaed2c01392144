"""The network registry's part of the exchange file, and the demo network file."""

from __future__ import annotations

import copy
import datetime
import json
import uuid

import pytest
from django.apps import apps
from django.db import transaction

from uebergang.accounts.models import User
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
from uebergang.networks.exchange import (
    DEMO_FILE,
    load_demo_file,
    read_demo_file,
    write_demo_file,
)
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


def build_demo() -> Network:
    return (getattr(demo, "build_demo", None) or demo.load_demo)()


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
def test_reference_to_a_record_of_another_kind_is_refused():
    data = read_demo_file()
    partner_id = part(data)["partners"][0]["public_id"]
    part(data)["seat_holdings"][0]["person"] = partner_id
    assert refused(data) == [
        f"{where('seat_holdings', 0, data)}: „person“ verweist auf {partner_id}, das ist aber "
        f"kein(e) Person, sondern {where('partners', 0, data)}"
    ]


@pytest.mark.django_db
def test_database_check_constraints_are_checked_before_writing():
    data = read_demo_file()
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
def test_unique_constraints_are_checked_within_the_file():
    data = read_demo_file()
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
def test_a_collection_that_is_not_a_list_or_unknown_is_refused():
    data = read_demo_file()
    part(data)["partners"] = {}
    part(data)["castles"] = []
    messages = refused(data)
    assert messages[0] == (
        "unbekannte Sammlung „castles“ (bekannt: partners, partner_names, people, "
        "representations, successions, constituency_seats, seat_assignments, seat_holdings)"
    )
    assert messages[1] == "partners: muss eine Liste sein"


# --- the demo file ---------------------------------------------------------------------------


def test_demo_file_is_documented_and_carries_no_passwords():
    text = DEMO_FILE.read_text(encoding="utf-8")
    assert "password" not in text.lower()
    assert "pbkdf2" not in text and "argon2" not in text
    data = json.loads(text)
    assert text == dumps(data) + "\n", "the file is written by dumps (deterministic)"
    assert data["format"] == "uebergang-network" and data["format_version"] == 1
    assert datetime.date.fromisoformat(data["demo_anchor"])
    assert data["network"]["slug"] == demo.SLUG
    for account in data["accounts"]:
        assert set(account) == {"email", "display_name", "roles"}
    assert {a["email"] for a in data["accounts"]} == {demo.COORDINATION_EMAIL, demo.MEMBER_EMAIL}
    readme = (DEMO_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "fiktiv" in readme.lower()


@pytest.mark.django_db
def test_demo_file_loads_with_demo_passwords_and_is_idempotent():
    network = load_demo_file()
    assert network.slug == demo.SLUG
    for email in (demo.COORDINATION_EMAIL, demo.MEMBER_EMAIL):
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
    assert (
        NetworkRole.objects.get(network=network, user__email=demo.COORDINATION_EMAIL).role
        == "coordination"
    )
    counts = all_row_counts()

    again = load_demo_file()
    assert again.pk == network.pk
    assert all_row_counts() == counts


@pytest.mark.django_db
def test_demo_file_keeps_the_password_of_an_existing_account(make_user):
    make_user(demo.MEMBER_EMAIL, password="Mein-Eigenes-Passwort-7")
    load_demo_file()
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    assert member.check_password("Mein-Eigenes-Passwort-7")
    assert User.objects.get(email=demo.COORDINATION_EMAIL).check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_file_says_what_the_demo_code_builds():
    """If this fails, the demo code changed: rewrite the file with
    `manage.py shell -c "from uebergang.networks.exchange import write_demo_file; write_demo_file()"`."""
    with transaction.atomic():
        built = projection(build_demo())
        transaction.set_rollback(True)
    assert not Network.all_objects.exists()
    loaded = projection(load_demo_file())
    for key in built:
        assert loaded[key] == built[key], key


@pytest.mark.django_db
def test_load_demo_file_shifts_dates_after_the_anchor(tmp_path):
    data = read_demo_file()
    data["demo_anchor"] = "2026-01-10"
    holding = part(data)["seat_holdings"][0]
    holding["valid_to"] = "2026-06-30"  # after the anchor
    seat = next(s for s in part(data)["constituency_seats"] if s["public_id"] == holding["seat"])
    seat["valid_to"] = "2026-01-10"  # on the anchor: stays
    path = tmp_path / "demo.json"
    path.write_text(dumps(data), encoding="utf-8")

    network = load_demo_file(today=datetime.date(2026, 2, 9), path=path)  # 30 days later

    assert SeatHolding.objects.get(public_id=holding["public_id"]).valid_to == datetime.date(
        2026, 7, 30
    )
    assert ConstituencySeat.objects.get(public_id=seat["public_id"]).valid_to == datetime.date(
        2026, 1, 10
    )
    assert network.valid_from == demo.SIGNED
    assert Succession.objects.get(network=network).date == demo.MERGER


@pytest.mark.django_db
def test_write_demo_file_leaves_the_database_unchanged(tmp_path):
    counts = all_row_counts()
    path = write_demo_file(tmp_path / "osterode.json", today=datetime.date(2026, 4, 1))
    assert all_row_counts() == counts
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["demo_anchor"] == "2026-04-01"
    assert len(part(data)["partners"]) == len(part(read_demo_file())["partners"])
    assert uuid.UUID(data["network"]["public_id"])
