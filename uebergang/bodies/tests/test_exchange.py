"""The bodies' part of the exchange file: bodies, their seats, memberships and offices travel
with the network, refer to the registry by public id, and come back byte for byte."""

from __future__ import annotations

import copy
import datetime
import json
import uuid

import pytest
from django.apps import apps
from django.db import transaction

from uebergang.bodies import services
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.core.exchange import ImportRefused, dumps, export_network, import_network
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_partner, make_person, make_seat, person_for

pytestmark = pytest.mark.clock

D = datetime.date
START = D(2014, 1, 1)
LAST_DAY = D(2016, 10, 31)
COLLECTIONS = ["bodies", "body_seats", "memberships", "offices"]


def all_row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def refused(data, **kwargs) -> list[str]:
    before = all_row_counts()
    with pytest.raises(ImportRefused) as info:
        import_network(data, **kwargs)
    assert all_row_counts() == before
    return info.value.messages


def part(data):
    return data["parts"]["bodies"]


def index_of(data, collection, public_id) -> int:
    return next(i for i, r in enumerate(part(data)[collection]) if r["public_id"] == public_id)


def where(data, collection, index) -> str:
    return f"{collection}[{index}] (public_id {part(data)[collection][index]['public_id']})"


def add_bodies(network: Network, account) -> dict:
    """The advisory board with a partner's seat (a member with an account who chairs, her
    substitute) and a constituency seat without vote (a member until 2016 who was deputy
    chair), a guest expert, the moderation, a soft-deleted membership; and a working group
    that was dissolved."""
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    school = make_partner(network, "Oberschule Am Mühlenteich", is_party=False)
    schools = make_seat(network, "Allgemeinbildende Schulen")
    network_services.seat_assign(actor=SYSTEM, seat=schools, partner=school, valid_from=START)
    anna = person_for(network, account, first_name="Anna", last_name="Alt")
    bernd = make_person(network, "Bernd", "Berger")
    carla = make_person(network, "Carla", "Clausen", organisation=school)
    erik = make_person(network, "Erik", "Experte")
    kim = make_person(network, "Kim", "Koordinata")
    board = services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "Beirat",
            "kind": "advisory_board",
            "description": "Bringt die Sicht der Institutionen ein.",
            "quorum_rule": "majority",
            "valid_from": START,
        },
    )
    group = services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "AG Berufsorientierung",
            "kind": "working_group",
            "topic_area": "Berufsorientierung",
            "invitation_period_days": 7,
            "quorum_rule": "minimum",
            "quorum_minimum": 3,
            "valid_from": START,
        },
    )
    services.body_dissolve(actor=SYSTEM, body=group, valid_to=LAST_DAY)
    ihk_seat = services.body_seat_add(actor=SYSTEM, body=board, partner=ihk, valid_from=START)
    schools_seat = services.body_seat_add(
        actor=SYSTEM, body=board, constituency_seat=schools, voting=False, valid_from=START
    )
    anna_m = services.membership_add(
        actor=SYSTEM, body=board, person=anna, role="member", seat=ihk_seat, valid_from=START
    )
    bernd_m = services.membership_add(
        actor=SYSTEM,
        body=board,
        person=bernd,
        role="substitute",
        substitute_for=anna_m,
        valid_from=D(2015, 1, 1),
        note="für Sitzungen ab 2015",
    )
    carla_m = services.membership_add(
        actor=SYSTEM, body=board, person=carla, role="member", seat=schools_seat, valid_from=START
    )
    chair = services.office_assign(actor=SYSTEM, membership=anna_m, kind="chair", valid_from=START)
    deputy = services.office_assign(
        actor=SYSTEM, membership=carla_m, kind="deputy", valid_from=START
    )
    services.membership_end(actor=SYSTEM, membership=carla_m, valid_to=LAST_DAY)
    guest = services.membership_add(
        actor=SYSTEM,
        body=board,
        person=erik,
        role="guest",
        valid_from=D(2016, 3, 1),
        valid_to=D(2016, 3, 31),
    )
    services.membership_add(
        actor=SYSTEM, body=board, person=kim, role="moderator", valid_from=START
    )
    gone = services.membership_add(
        actor=SYSTEM, body=board, person=erik, role="guest", valid_from=D(2017, 1, 1)
    )
    Membership.all_objects.filter(pk=gone.pk).update(
        deleted_at=datetime.datetime(2017, 2, 1, tzinfo=datetime.UTC)
    )
    return {
        "board": board,
        "group": group,
        "ihk_seat": ihk_seat,
        "schools_seat": schools_seat,
        "anna": anna,
        "anna_m": anna_m,
        "bernd_m": bernd_m,
        "carla_m": carla_m,
        "chair": chair,
        "deputy": deputy,
        "guest": guest,
        "gone": gone,
        "ihk": ihk,
        "schools": schools,
    }


@pytest.fixture
def bodies(network, make_user):
    return add_bodies(network, make_user("anna@example.org", name="Anna Alt"))


@pytest.fixture
def foreign_file(db, make_user):
    """The export of a network with bodies from another installation: built and exported
    inside a transaction that is rolled back, so this installation has never seen it."""
    with transaction.atomic():
        network = network_services.network_create(
            actor=SYSTEM, slug="harz", name="Netzwerk Harz", valid_from=D(2013, 5, 29)
        )
        add_bodies(network, make_user("anna.alt@example.org", name="Anna Alt"))
        text = dumps(export_network(network))
        transaction.set_rollback(True)
    assert not Network.all_objects.filter(slug="harz").exists()
    return text


# --- export ----------------------------------------------------------------------------------


def test_export_has_the_bodies_part_with_references_by_public_id(network, bodies):
    # when
    data = json.loads(dumps(export_network(network)))
    # then
    assert list(data["parts"]) == ["bodies", "meetings", "networks", "settings", "topics"]
    assert {key: len(records) for key, records in part(data).items()} == {
        "bodies": 2,
        "body_seats": 2,
        "memberships": 6,
        "offices": 2,
    }
    for key in COLLECTIONS:
        ids = [r["public_id"] for r in part(data)[key]]
        assert ids == sorted(ids), f"{key} is sorted by public id"
    board = next(b for b in part(data)["bodies"] if b["name"] == "Beirat")
    assert {k: v for k, v in board.items() if k not in ("created", "modified")} == {
        "public_id": str(bodies["board"].public_id),
        "name": "Beirat",
        "short_name": "",
        "kind": "advisory_board",
        "topic_area": "",
        "description": "Bringt die Sicht der Institutionen ein.",
        "invitation_period_days": 14,
        "quorum_rule": "majority",
        "quorum_minimum": None,
        "valid_from": "2014-01-01",
        "valid_to": None,
        "version": 1,
        "deleted_at": None,
    }
    seat = next(
        s for s in part(data)["body_seats"] if s["public_id"] == str(bodies["ihk_seat"].public_id)
    )
    assert (seat["body"], seat["partner"], seat["constituency_seat"], seat["voting"]) == (
        str(bodies["board"].public_id),
        str(bodies["ihk"].public_id),
        None,
        True,
    )
    bernd = next(
        m for m in part(data)["memberships"] if m["public_id"] == str(bodies["bernd_m"].public_id)
    )
    assert (bernd["role"], bernd["seat"], bernd["substitute_for"], bernd["note"]) == (
        "substitute",
        str(bodies["ihk_seat"].public_id),
        str(bodies["anna_m"].public_id),
        "für Sitzungen ab 2015",
    )
    deputy = next(
        o for o in part(data)["offices"] if o["public_id"] == str(bodies["deputy"].public_id)
    )
    assert (deputy["membership"], deputy["kind"], deputy["valid_to"]) == (
        str(bodies["carla_m"].public_id),
        "deputy",
        "2016-10-31",
    )
    gone = next(
        m for m in part(data)["memberships"] if m["public_id"] == str(bodies["gone"].public_id)
    )
    assert gone["deleted_at"] is not None
    assert "id" not in board and "network" not in board


def test_a_network_without_bodies_exports_an_empty_part(network):
    # when
    data = export_network(network)
    # then
    assert part(data) == {key: [] for key in COLLECTIONS}


# --- round trips -----------------------------------------------------------------------------


def test_export_import_replace_export_is_byte_identical(network, bodies):
    # given
    first = dumps(export_network(network))
    # when
    imported = import_network(json.loads(first), replace=True)
    # then
    assert dumps(export_network(imported)) == first
    assert Membership.objects.get(
        public_id=bodies["bernd_m"].public_id
    ).substitute_for.public_id == (bodies["anna_m"].public_id)


def test_a_network_with_bodies_moves_to_another_installation(foreign_file):
    # when
    network = import_network(json.loads(foreign_file))
    # then: the same bytes, and the records are linked as before
    assert dumps(export_network(network)) == foreign_file
    board = Body.objects.get(network=network, name="Beirat")
    assert sorted(
        (str(m.person), m.role, str(m.seat) if m.seat else None, str(m.substitute_for or ""))
        for m in board.memberships.all()
    ) == [
        ("Anna Alt", "member", "Industrie und Handelskammer Osterode", ""),
        ("Bernd Berger", "substitute", "Industrie und Handelskammer Osterode", "Anna Alt – Beirat"),
        ("Carla Clausen", "member", "Allgemeinbildende Schulen", ""),
        ("Erik Experte", "guest", None, ""),
        ("Kim Koordinata", "moderator", None, ""),
    ]
    assert Membership.all_objects.filter(network=network, deleted_at__isnull=False).count() == 1
    assert sorted(str(o) for o in Office.objects.filter(network=network)) == [
        "Stellvertretung (Vorsitz): Carla Clausen",
        "Vorsitz: Anna Alt",
    ]
    anna = Membership.objects.get(network=network, person__first_name="Anna")
    assert anna.person.user.email == "anna.alt@example.org"


def test_a_substitute_created_before_the_member_is_written_after_it(foreign_file):
    """Memberships are written in the order they were created; a substitute that refers to
    a member created later (an edited file) is written after that member all the same."""
    # given
    data = json.loads(foreign_file)
    substitute = next(m for m in part(data)["memberships"] if m["role"] == "substitute")
    substitute["created"] = "2000-01-01T00:00:00+01:00"
    # when
    network = import_network(data)
    # then
    bernd = Membership.objects.get(public_id=substitute["public_id"])
    assert (bernd.network_id, str(bernd.substitute_for.person)) == (network.pk, "Anna Alt")


def test_a_file_without_the_bodies_part_still_imports(foreign_file):
    """A file written before the bodies existed (or by an installation without them)."""
    # given
    data = json.loads(foreign_file)
    del data["parts"]["bodies"]
    # when
    network = import_network(data)
    # then
    assert not Body.all_objects.filter(network=network).exists()
    assert part(export_network(network)) == {key: [] for key in COLLECTIONS}


# --- refusals --------------------------------------------------------------------------------


def test_a_membership_referring_to_an_unknown_person_is_refused(foreign_file):
    # given
    data = json.loads(foreign_file)
    unknown = str(uuid.UUID(int=7))
    index = index_of(
        data,
        "memberships",
        next(m["public_id"] for m in part(data)["memberships"] if m["role"] == "moderator"),
    )
    part(data)["memberships"][index]["person"] = unknown
    # when / then
    assert refused(data) == [
        f"{where(data, 'memberships', index)}: „person“ verweist auf die unbekannte öffentliche "
        f"ID {unknown}"
    ]


def test_a_reference_to_a_record_of_another_kind_is_refused(foreign_file):
    # given: an office held through a body instead of a membership
    data = json.loads(foreign_file)
    board_index = next(i for i, b in enumerate(part(data)["bodies"]) if b["name"] == "Beirat")
    board_id = part(data)["bodies"][board_index]["public_id"]
    part(data)["offices"][0]["membership"] = board_id
    # when / then
    assert refused(data) == [
        f"{where(data, 'offices', 0)}: „membership“ verweist auf {board_id}, das ist aber "
        f"kein(e) Mitgliedschaft, sondern {where(data, 'bodies', board_index)}"
    ]


def test_the_database_rules_of_seats_and_memberships_are_checked_before_writing(foreign_file):
    # given: a seat for both a partner and a constituency; a guest named as substitute
    # without a member; a member without a seat
    data = json.loads(foreign_file)
    seats = part(data)["body_seats"]
    partner_seat = next(i for i, s in enumerate(seats) if s["partner"])
    other_seat = 1 - partner_seat
    seats[partner_seat]["constituency_seat"] = seats[other_seat]["constituency_seat"]
    memberships = part(data)["memberships"]
    moderator = next(i for i, m in enumerate(memberships) if m["role"] == "moderator")
    memberships[moderator]["role"] = "substitute"
    # when
    messages = refused(data)
    # then
    assert len(messages) == 3
    assert messages[0].startswith(f"{where(data, 'body_seats', partner_seat)}: ")
    assert "bodies_bodyseat_for_partner_or_constituency" in messages[0]
    assert messages[1].startswith(f"{where(data, 'memberships', moderator)}: ")
    assert "bodies_membership_member_has_seat" in messages[1]
    assert messages[2].startswith(f"{where(data, 'memberships', moderator)}: ")
    assert "bodies_membership_substitute_names_member" in messages[2]


def test_memberships_that_stand_in_for_each_other_in_a_circle_are_refused(foreign_file):
    # given: the member stands in for her own substitute
    data = json.loads(foreign_file)
    memberships = part(data)["memberships"]
    substitute = next(i for i, m in enumerate(memberships) if m["role"] == "substitute")
    member = index_of(data, "memberships", memberships[substitute]["substitute_for"])
    memberships[member]["substitute_for"] = memberships[substitute]["public_id"]
    # when / then
    assert sorted(refused(copy.deepcopy(data))) == sorted(
        f"{where(data, 'memberships', i)}: „substitute_for“ verweist im Kreis auf sich selbst "
        "zurück"
        for i in (member, substitute)
    )


def test_a_membership_that_stands_in_for_itself_is_refused(foreign_file):
    # given
    data = json.loads(foreign_file)
    memberships = part(data)["memberships"]
    substitute = next(i for i, m in enumerate(memberships) if m["role"] == "substitute")
    memberships[substitute]["substitute_for"] = memberships[substitute]["public_id"]
    # when / then
    assert refused(data) == [
        f"{where(data, 'memberships', substitute)}: „substitute_for“ verweist im Kreis auf "
        "sich selbst zurück"
    ]


def test_an_unknown_collection_or_a_collection_that_is_no_list_is_refused(foreign_file):
    # given
    data = json.loads(foreign_file)
    part(data)["meetings"] = []
    part(data)["offices"] = {}
    # when / then
    assert refused(data) == [
        "unbekannte Sammlung „meetings“ (bekannt: bodies, body_seats, memberships, offices)",
        "offices: muss eine Liste sein",
    ]


def test_a_seat_id_used_by_another_network_is_refused(network, bodies, foreign_file):
    # given: the file's seat carries the public id of a seat of this installation's network
    data = json.loads(foreign_file)
    seat = part(data)["body_seats"][0]
    old_id = seat["public_id"]
    seat["public_id"] = str(bodies["ihk_seat"].public_id)
    for m in part(data)["memberships"]:
        if m["seat"] == old_id:
            m["seat"] = seat["public_id"]
    # when / then
    assert refused(data) == [
        f"{where(data, 'body_seats', 0)}: die öffentliche ID gehört in dieser Installation schon "
        "zu einem Datensatz des Netzwerks „osterode“"
    ]
    assert BodySeat.objects.get(public_id=bodies["ihk_seat"].public_id).network_id == network.pk
