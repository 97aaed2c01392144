"""Every write of the network registry (and of accounts): what it changes, what it records in
the history, and what it refuses (with its German message, changing nothing)."""

from __future__ import annotations

import datetime

import pytest

from uebergang.accounts import services as account_services
from uebergang.accounts.models import User
from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent, NetworkName, NetworkRole
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import (
    Partner,
    SeatAssignment,
    SeatHolding,
    Succession,
)

from .factories import (
    SIGNED,
    events_for,
    make_partner,
    make_person,
    make_representative,
    make_seat,
    person_for,
    row_counts,
)

D = datetime.date
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
MERGER = D(2016, 11, 1)
LAST_DAY = D(2016, 10, 31)


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


# --- network_create --------------------------------------------------------------------------


def test_network_create_by_the_system_creates_network_name_and_history(db):
    # when
    network = services.network_create(
        actor=SYSTEM,
        slug="goettingen",
        name="Netzwerk Göttingen",
        valid_from=D(2016, 11, 1),
        region="Landkreis Göttingen",
    )
    # then
    network = reload(network)
    assert (network.slug, network.name, network.region, network.valid_from, network.version) == (
        "goettingen",
        "Netzwerk Göttingen",
        "Landkreis Göttingen",
        D(2016, 11, 1),
        1,
    )
    assert list(
        NetworkName.objects.filter(network=network).values_list("name", "valid_from", "valid_to")
    ) == [("Netzwerk Göttingen", D(2016, 11, 1), None)]
    [event] = events_for(network)
    assert (
        event.action,
        event.actor_id,
        event.actor_name,
        event.network_id,
        event.object_type,
    ) == ("create", None, "System", network.pk, "core.network")
    assert event.changes == {
        "slug": [None, "goettingen"],
        "name": [None, "Netzwerk Göttingen"],
        "valid_from": [None, "2016-11-01"],
        "region": [None, "Landkreis Göttingen"],
        "coordination_office": [None, "Koordinierungsstelle Bildung-Beruf"],
    }


def test_network_create_by_a_platform_administrator_records_them(make_user):
    # given
    admin = make_user("admin@example.org", name="Ada Admin", superuser=True)
    # when
    network = services.network_create(
        actor=admin, slug="neu", name="Neues Netz", valid_from=D(2020, 1, 1)
    )
    # then
    [event] = events_for(network)
    assert (event.actor_id, event.actor_name) == (admin.pk, "Ada Admin")


def test_network_create_refuses_a_coordination_office(coordinator, network):
    # given
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.network_create(
            actor=coordinator, slug="neu", name="Neues Netz", valid_from=D(2020, 1, 1)
        )
    # then
    assert exc.value.message == "Nur die Plattform-Administration kann Netzwerke anlegen."
    assert exc.value.code == "forbidden"
    assert exc.value.status == 403
    assert row_counts() == before


def test_network_create_refuses_an_inactive_administrator(make_user):
    # given
    admin = make_user("admin@example.org", superuser=True)
    admin.is_active = False
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.network_create(
            actor=admin, slug="neu", name="Neues Netz", valid_from=D(2020, 1, 1)
        )
    # then
    assert exc.value.message == "Nur die Plattform-Administration kann Netzwerke anlegen."
    assert row_counts() == before


def test_network_create_refuses_a_taken_slug(network):
    # given
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.network_create(
            actor=SYSTEM, slug="osterode", name="Noch eins", valid_from=D(2020, 1, 1)
        )
    # then
    assert exc.value.field_errors == {"slug": ["Der Kurzname „osterode“ ist schon vergeben."]}
    assert row_counts() == before


def test_network_create_refuses_an_empty_name(db):
    # given
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.network_create(actor=SYSTEM, slug="leer", name="   ", valid_from=D(2020, 1, 1))
    # then
    assert exc.value.field_errors == {"name": ["Bitte geben Sie einen Namen an."]}
    assert row_counts() == before


# --- network_update / network_rename ---------------------------------------------------------


def test_network_update_by_the_coordination_office_changes_details_and_records_them(
    coordinator, network
):
    # when
    services.network_update(
        actor=coordinator,
        network=network,
        expected_version=1,
        data={
            "region": "Landkreis Göttingen",
            "email": "ks@example.org",
            "name": "ignoriert",
            "slug": "ignoriert",
        },
    )
    # then
    network = reload(network)
    assert (network.region, network.email, network.name, network.slug, network.version) == (
        "Landkreis Göttingen",
        "ks@example.org",
        "Übergang Schule–Beruf Osterode am Harz",
        "osterode",
        2,
    )
    event = events_for(network)[-1]
    assert (event.action, event.actor_id, event.actor_name) == (
        "update",
        coordinator.pk,
        "Kim Koordinata",
    )
    assert event.changes == {
        "email": ["", "ks@example.org"],
        "region": ["Landkreis Osterode am Harz", "Landkreis Göttingen"],
    }


def test_network_update_refuses_a_member(member, network):
    # given
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.network_update(
            actor=member, network=network, expected_version=1, data={"region": "X"}
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert reload(network).region == "Landkreis Osterode am Harz"
    assert row_counts() == before


def test_network_update_refuses_a_stale_version(coordinator, network):
    # given
    services.network_update(
        actor=coordinator, network=network, expected_version=1, data={"region": "Erste"}
    )
    before = row_counts()
    # when
    with pytest.raises(Conflict) as exc:
        services.network_update(
            actor=coordinator, network=network, expected_version=1, data={"region": "Zweite"}
        )
    # then
    assert exc.value.code == "conflict"
    assert exc.value.details == {"current_version": 2}
    assert reload(network).region == "Erste"
    assert row_counts() == before


def test_network_rename_keeps_the_old_name_for_earlier_dates(coordinator, network):
    # when
    services.network_rename(
        actor=coordinator,
        network=network,
        name="Übergangsnetz Göttingen",
        valid_from=D(2016, 11, 1),
    )
    # then
    network = reload(network)
    assert network.name == "Übergangsnetz Göttingen"
    assert list(
        network.names.order_by("valid_from").values_list("name", "valid_from", "valid_to")
    ) == [
        ("Übergang Schule–Beruf Osterode am Harz", D(2013, 5, 29), D(2016, 10, 31)),
        ("Übergangsnetz Göttingen", D(2016, 11, 1), None),
    ]
    event = events_for(network)[-1]
    assert (event.action, event.actor_id, event.message) == (
        "rename",
        coordinator.pk,
        "Neuer Name ab 01.11.2016",
    )
    assert event.changes == {
        "name": ["Übergang Schule–Beruf Osterode am Harz", "Übergangsnetz Göttingen"]
    }


@pytest.mark.parametrize(
    ("name", "valid_from", "field", "message"),
    [
        ("", D(2016, 11, 1), "name", "Bitte geben Sie den neuen Namen an."),
        (
            "Übergang Schule–Beruf Osterode am Harz",
            D(2016, 11, 1),
            "name",
            "Der neue Name ist derselbe wie der bisherige.",
        ),
        (
            "Neu",
            D(2013, 5, 29),
            "valid_from",
            "Der neue Name muss nach dem Beginn des bisherigen Namens (29.05.2013) gelten.",
        ),
        (
            "Neu",
            D(2999, 1, 1),
            "valid_from",
            "Eine Umbenennung wird ab ihrem Stichtag erfasst; das Datum darf nicht in der Zukunft liegen.",
        ),
    ],
)
def test_network_rename_refuses_bad_input(coordinator, network, name, valid_from, field, message):
    # given
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.network_rename(
            actor=coordinator, network=network, name=name, valid_from=valid_from
        )
    # then
    assert exc.value.field_errors == {field: [message]}
    assert reload(network).name == "Übergang Schule–Beruf Osterode am Harz"
    assert row_counts() == before


def test_network_rename_refuses_a_member(member, network):
    # given
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.network_rename(
            actor=member, network=network, name="Neu", valid_from=D(2016, 11, 1)
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


# --- partner_create --------------------------------------------------------------------------


def test_partner_create_writes_partner_its_name_and_history(coordinator, network):
    # when
    partner = services.partner_create(
        actor=coordinator,
        network=network,
        data={
            "name": "  Handwerkskammer Hildesheim ",
            "short_name": "HWK",
            "kind": "chamber",
            "is_party": True,
            "valid_from": SIGNED,
            "email": "info@hwk.example",
            "ignored": "x",
        },
    )
    # then
    partner = reload(partner)
    assert (
        partner.network_id,
        partner.name,
        partner.short_name,
        partner.kind,
        partner.is_party,
        partner.valid_from,
        partner.valid_to,
        partner.email,
    ) == (
        network.pk,
        "Handwerkskammer Hildesheim",
        "HWK",
        "chamber",
        True,
        SIGNED,
        None,
        "info@hwk.example",
    )
    assert list(partner.names.values_list("name", "valid_from", "valid_to")) == [
        ("Handwerkskammer Hildesheim", SIGNED, None)
    ]
    [event] = events_for(partner)
    assert (
        event.action,
        event.actor_id,
        event.actor_name,
        event.network_id,
        event.object_type,
        event.object_repr,
    ) == (
        "create",
        coordinator.pk,
        "Kim Koordinata",
        network.pk,
        "networks.partner",
        "Handwerkskammer Hildesheim",
    )
    assert event.changes == {
        "name": [None, "Handwerkskammer Hildesheim"],
        "short_name": [None, "HWK"],
        "kind": [None, "chamber"],
        "is_party": [None, True],
        "valid_from": [None, "2013-05-29"],
        "email": [None, "info@hwk.example"],
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Bitte geben Sie einen Namen an."),
        ({"name": "   "}, "name", "Bitte geben Sie einen Namen an."),
        (
            {"name": "Neue Schule", "valid_from": None},
            "valid_from",
            "Bitte geben Sie an, ab wann dies gilt.",
        ),
        (
            {"name": "Neue Schule", "kind": "spaceship"},
            "kind",
            "Bitte wählen Sie eine gültige Art.",
        ),
        (
            {"name": "agentur für arbeit"},
            "name",
            "Einen aktiven Partner mit diesem Namen gibt es schon.",
        ),
    ],
)
def test_partner_create_refuses_bad_input(coordinator, network, data, field, message):
    # given
    make_partner(network, "Agentur für Arbeit")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_create(
            actor=coordinator, network=network, data={"valid_from": SIGNED, **data}
        )
    # then
    assert exc.value.field_errors == {field: [message]}
    assert exc.value.message == message
    assert row_counts() == before


def test_partner_create_allows_the_name_of_an_ended_partner(coordinator, network):
    # given
    old = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=old, valid_to=LAST_DAY)
    # when
    new = services.partner_create(
        actor=coordinator, network=network, data={"name": "Kreistag", "valid_from": MERGER}
    )
    # then
    assert list(
        Partner.objects.filter(network=network, name="Kreistag")
        .order_by("valid_from")
        .values_list("pk", flat=True)
    ) == [old.pk, new.pk]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_partner_create_refuses_members_and_other_networks(request, network, who):
    # given
    actor = request.getfixturevalue(who)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_create(
            actor=actor, network=network, data={"name": "Neu", "valid_from": SIGNED}
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


# --- partner_update --------------------------------------------------------------------------


def test_partner_update_by_the_coordination_office_corrects_all_details(coordinator, network):
    # given
    partner = make_partner(network, "Agentur fur Arbeit", kind="other")
    # when
    services.partner_update(
        actor=coordinator,
        partner=partner,
        expected_version=1,
        data={
            "name": "Agentur für Arbeit",
            "kind": "employment_agency",
            "valid_from": D(2013, 6, 1),
            "phone": "05522 1234",
        },
    )
    # then
    partner = reload(partner)
    assert (partner.name, partner.kind, partner.valid_from, partner.phone, partner.version) == (
        "Agentur für Arbeit",
        "employment_agency",
        D(2013, 6, 1),
        "05522 1234",
        2,
    )
    # a correction corrects the name row, it does not add one
    assert list(partner.names.values_list("name", "valid_from", "valid_to")) == [
        ("Agentur für Arbeit", D(2013, 6, 1), None)
    ]
    event = events_for(partner)[-1]
    assert (event.action, event.actor_id) == ("update", coordinator.pk)
    assert event.changes == {
        "kind": ["other", "employment_agency"],
        "name": ["Agentur fur Arbeit", "Agentur für Arbeit"],
        "phone": ["", "05522 1234"],
        "valid_from": ["2013-05-29", "2013-06-01"],
    }


def test_partner_update_records_nothing_when_nothing_changed(coordinator, network):
    # given
    partner = make_partner(network, "Agentur für Arbeit")
    before = HistoryEvent.objects.count()
    # when
    services.partner_update(
        actor=coordinator, partner=partner, expected_version=1, data={"name": "Agentur für Arbeit"}
    )
    # then
    assert HistoryEvent.objects.count() == before


def test_partner_update_by_a_representative_changes_contact_details(network, member):
    # given
    partner = make_partner(network, "Industrie und Handelskammer")
    make_representative(network, partner, member)
    # when
    services.partner_update(
        actor=member,
        partner=partner,
        expected_version=1,
        data={
            "address": "Bahnhofstraße 1\n37520 Osterode",
            "email": "info@ihk.example",
            "phone": "05522 9999",
            "website": "https://ihk.example",
        },
    )
    # then
    partner = reload(partner)
    assert (partner.address, partner.email, partner.phone, partner.website) == (
        "Bahnhofstraße 1\n37520 Osterode",
        "info@ihk.example",
        "05522 9999",
        "https://ihk.example",
    )
    event = events_for(partner)[-1]
    assert (event.action, event.actor_id, event.actor_name) == (
        "update",
        member.pk,
        "Mika Mitglied",
    )
    assert event.changes == {
        "address": ["", "Bahnhofstraße 1\n37520 Osterode"],
        "email": ["", "info@ihk.example"],
        "phone": ["", "05522 9999"],
        "website": ["", "https://ihk.example"],
    }


@pytest.mark.parametrize(
    "data",
    [
        {"name": "IHK Südniedersachsen"},
        {"phone": "05522 9999", "name": "IHK Südniedersachsen"},
        {"kind": "association"},
        {"is_party": False},
        {"valid_from": D(2014, 1, 1)},
        {"short_name": "IHK"},
        {"description": "Neu"},
    ],
)
def test_partner_update_by_a_representative_refuses_other_fields(network, member, data):
    # given
    partner = make_partner(network, "Industrie und Handelskammer", kind="chamber")
    make_representative(network, partner, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_update(actor=member, partner=partner, expected_version=1, data=data)
    # then
    assert exc.value.message == NO_RIGHT
    partner = reload(partner)
    assert (partner.name, partner.kind, partner.phone, partner.short_name, partner.version) == (
        "Industrie und Handelskammer",
        "chamber",
        "",
        "",
        1,
    )
    assert row_counts() == before


def test_partner_update_refuses_a_member_who_does_not_represent_the_partner(network, member):
    # given
    partner = make_partner(network, "Industrie und Handelskammer")
    other = make_partner(network, "Handwerkskammer")
    make_representative(network, other, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_update(
            actor=member, partner=partner, expected_version=1, data={"phone": "123"}
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert reload(partner).phone == ""
    assert row_counts() == before


def test_partner_update_refuses_a_representative_whose_representation_ended(network, member):
    # given
    partner = make_partner(network, "Industrie und Handelskammer")
    make_representative(network, partner, member, valid_to=D(2015, 12, 31))
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_update(
            actor=member, partner=partner, expected_version=1, data={"phone": "123"}
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert reload(partner).phone == ""
    assert row_counts() == before


def test_partner_update_allows_staff_of_the_representing_institution(network, member):
    # given: Gemeinde Bad Grund represents the towns; the member works for Bad Grund
    towns = make_partner(network, "Gemeinden- und Samtgemeinden", kind="group")
    bad_grund = make_partner(
        network, "Gemeinde Bad Grund (Harz)", kind="municipality", is_party=False
    )
    services.representation_create(
        actor=SYSTEM, partner=towns, institution=bad_grund, valid_from=SIGNED
    )
    person = person_for(network, member)
    services.person_update(
        actor=SYSTEM, person=person, expected_version=None, data={"organisation": bad_grund}
    )
    # when
    services.partner_update(
        actor=member, partner=towns, expected_version=1, data={"phone": "05327 1234"}
    )
    # then
    assert reload(towns).phone == "05327 1234"


def test_partner_update_refuses_a_representative_without_role_in_the_network(network, stranger):
    # given: the person is linked to an account that has no role in the network
    partner = make_partner(network, "Industrie und Handelskammer")
    make_representative(network, partner, stranger)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_update(
            actor=stranger, partner=partner, expected_version=1, data={"phone": "123"}
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


def test_partner_update_refuses_a_duplicate_active_name(coordinator, network):
    # given
    make_partner(network, "Agentur für Arbeit")
    partner = make_partner(network, "Jobcenter")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_update(
            actor=coordinator,
            partner=partner,
            expected_version=1,
            data={"name": "Agentur für Arbeit"},
        )
    # then
    assert exc.value.field_errors == {
        "name": ["Einen aktiven Partner mit diesem Namen gibt es schon."]
    }
    assert reload(partner).name == "Jobcenter"
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": " "}, "name", "Bitte geben Sie einen Namen an."),
        ({"kind": "spaceship"}, "kind", "Bitte wählen Sie eine gültige Art."),
        ({"valid_from": None}, "valid_from", "Bitte geben Sie an, ab wann dies gilt."),
    ],
)
def test_partner_update_refuses_bad_input(coordinator, network, data, field, message):
    # given
    partner = make_partner(network, "Jobcenter")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_update(actor=coordinator, partner=partner, expected_version=1, data=data)
    # then
    assert exc.value.field_errors == {field: [message]}
    partner = reload(partner)
    assert (partner.name, partner.valid_from, partner.version) == ("Jobcenter", SIGNED, 1)
    assert row_counts() == before


def test_partner_update_refuses_a_start_after_the_end(coordinator, network):
    # given
    partner = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=partner, valid_to=LAST_DAY)
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_update(
            actor=coordinator,
            partner=partner,
            expected_version=2,
            data={"valid_from": D(2017, 1, 1)},
        )
    # then
    assert exc.value.field_errors == {
        "valid_to": ["Das Ende (31.10.2016) liegt vor dem Beginn (01.01.2017)."]
    }
    assert reload(partner).valid_from == SIGNED
    assert row_counts() == before


# --- partner_rename --------------------------------------------------------------------------


def test_partner_rename_opens_a_new_name_and_keeps_the_old_one(coordinator, network):
    # given
    partner = make_partner(network, "Industrie und Handelskammer Osterode am Harz")
    # when
    services.partner_rename(
        actor=coordinator,
        partner=partner,
        name="IHK Hannover, Geschäftsstelle Osterode",
        valid_from=D(2018, 1, 1),
    )
    # then
    partner = reload(partner)
    assert (partner.name, partner.version) == ("IHK Hannover, Geschäftsstelle Osterode", 2)
    assert list(partner.names.values_list("name", "valid_from", "valid_to")) == [
        ("Industrie und Handelskammer Osterode am Harz", SIGNED, D(2017, 12, 31)),
        ("IHK Hannover, Geschäftsstelle Osterode", D(2018, 1, 1), None),
    ]
    event = events_for(partner)[-1]
    assert (event.action, event.actor_id, event.message) == (
        "rename",
        coordinator.pk,
        "Neuer Name ab 01.01.2018",
    )
    assert event.changes == {
        "name": [
            "Industrie und Handelskammer Osterode am Harz",
            "IHK Hannover, Geschäftsstelle Osterode",
        ]
    }


@pytest.mark.parametrize(
    ("name", "valid_from", "field", "message"),
    [
        (" ", D(2018, 1, 1), "name", "Bitte geben Sie den neuen Namen an."),
        ("Jobcenter", D(2018, 1, 1), "name", "Der neue Name ist derselbe wie der bisherige."),
        (
            "Jobcenter Göttingen",
            D(2012, 1, 1),
            "valid_from",
            "Der neue Name muss nach dem Beginn des bisherigen Namens (29.05.2013) gelten.",
        ),
        (
            "Jobcenter Göttingen",
            D(2999, 1, 1),
            "valid_from",
            "Eine Umbenennung wird ab ihrem Stichtag erfasst; das Datum darf nicht in der Zukunft liegen.",
        ),
        (
            "agentur für arbeit",
            D(2018, 1, 1),
            "name",
            "Einen aktiven Partner mit diesem Namen gibt es schon.",
        ),
    ],
)
def test_partner_rename_refuses_bad_input(coordinator, network, name, valid_from, field, message):
    # given
    make_partner(network, "Agentur für Arbeit")
    partner = make_partner(network, "Jobcenter")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_rename(
            actor=coordinator, partner=partner, name=name, valid_from=valid_from
        )
    # then
    assert exc.value.field_errors == {field: [message]}
    assert reload(partner).name == "Jobcenter"
    assert row_counts() == before


def test_partner_rename_refuses_an_ended_partner(coordinator, network):
    # given
    partner = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=partner, valid_to=LAST_DAY)
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_rename(
            actor=coordinator, partner=partner, name="Kreistag neu", valid_from=D(2015, 1, 1)
        )
    # then
    assert (exc.value.code, exc.value.message) == (
        "ended",
        "Ein beendeter Partner kann nicht umbenannt werden.",
    )
    assert reload(partner).name == "Kreistag"
    assert row_counts() == before


def test_partner_rename_refuses_a_member(network, member):
    # given
    partner = make_partner(network, "Jobcenter")
    make_representative(network, partner, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_rename(
            actor=member, partner=partner, name="Jobcenter Göttingen", valid_from=D(2018, 1, 1)
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


# --- partner_end -----------------------------------------------------------------------------


def test_partner_end_ends_the_partner_its_representations_assignments_and_name(
    coordinator, network
):
    # given
    partner = make_partner(network, "Kreistag", kind="council")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, function="Vorsitzende/r", valid_from=SIGNED
    )
    seat = make_seat(network, "Kommunen")
    assignment = services.seat_assign(actor=SYSTEM, seat=seat, partner=partner, valid_from=SIGNED)
    # when
    services.partner_end(
        actor=coordinator, partner=partner, valid_to=LAST_DAY, reason="dissolved", note="Fusion"
    )
    # then
    partner = reload(partner)
    assert (partner.valid_to, partner.end_reason, partner.end_note) == (
        LAST_DAY,
        "dissolved",
        "Fusion",
    )
    assert reload(rep).valid_to == LAST_DAY
    assert reload(assignment).valid_to == LAST_DAY
    assert list(partner.names.values_list("valid_to", flat=True)) == [LAST_DAY]
    event = events_for(partner)[-1]
    assert (event.action, event.actor_id) == ("end", coordinator.pk)
    assert event.changes == {
        "end_note": ["", "Fusion"],
        "end_reason": ["", "dissolved"],
        "valid_to": [None, "2016-10-31"],
    }
    [rep_event] = [e for e in events_for(rep) if e.action == "end"]
    assert (rep_event.actor_id, rep_event.parent_id, rep_event.changes) == (
        coordinator.pk,
        partner.public_id,
        {"valid_to": [None, "2016-10-31"]},
    )
    [seat_event] = [e for e in events_for(assignment) if e.action == "unassign"]
    assert (seat_event.actor_id, seat_event.parent_id, seat_event.changes) == (
        coordinator.pk,
        seat.public_id,
        {"valid_to": [None, "2016-10-31"]},
    )


def test_partner_end_leaves_ended_representations_alone(coordinator, network):
    # given
    partner = make_partner(network, "Kreistag")
    old = services.representation_create(
        actor=SYSTEM, partner=partner, function="Alt", valid_from=SIGNED, valid_to=D(2014, 12, 31)
    )
    # when
    services.partner_end(actor=coordinator, partner=partner, valid_to=LAST_DAY)
    # then
    assert reload(old).valid_to == D(2014, 12, 31)
    assert reload(partner).end_reason == "left"


@pytest.mark.parametrize(
    ("valid_to", "reason", "field", "message"),
    [
        (None, "left", "valid_to", "Bitte geben Sie den letzten Tag an."),
        (
            D(2012, 12, 31),
            "left",
            "valid_to",
            "Das Ende (31.12.2012) liegt vor dem Beginn (29.05.2013).",
        ),
        (LAST_DAY, "forgotten", "reason", "Bitte wählen Sie einen gültigen Grund."),
    ],
)
def test_partner_end_refuses_bad_input(coordinator, network, valid_to, reason, field, message):
    # given
    partner = make_partner(network, "Kreistag")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, function="Vorsitz", valid_from=SIGNED
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_end(actor=coordinator, partner=partner, valid_to=valid_to, reason=reason)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert (reload(partner).valid_to, reload(rep).valid_to) == (None, None)
    assert row_counts() == before


def test_partner_end_refuses_an_ended_partner(coordinator, network):
    # given
    partner = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=partner, valid_to=LAST_DAY)
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_end(actor=coordinator, partner=partner, valid_to=D(2017, 1, 1))
    # then
    assert (exc.value.code, exc.value.message) == (
        "ended",
        "Dieser Partner ist bereits zum 31.10.2016 beendet.",
    )
    assert reload(partner).valid_to == LAST_DAY
    assert row_counts() == before


def test_partner_end_refuses_a_member(network, member):
    # given
    partner = make_partner(network, "Kreistag")
    make_representative(network, partner, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_end(actor=member, partner=partner, valid_to=LAST_DAY)
    # then
    assert exc.value.message == NO_RIGHT
    assert reload(partner).valid_to is None
    assert row_counts() == before


# --- partner_record_succession ---------------------------------------------------------------


def test_succession_to_an_existing_partner_ends_the_predecessor_and_takes_over_seats(
    coordinator, network
):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    goettingen = make_partner(
        network, "Landkreis Göttingen", kind="county", valid_from=D(2010, 1, 1)
    )
    rep = services.representation_create(
        actor=SYSTEM, partner=osterode, function="Erster Kreisrat", valid_from=SIGNED
    )
    seat = make_seat(network, "Kommunen")
    old_assignment = services.seat_assign(
        actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED
    )
    # when
    succession = services.partner_record_succession(
        actor=coordinator, predecessor=osterode, successor=goettingen, date=MERGER, note="Fusion"
    )
    # then
    returned, succession = succession, reload(succession)
    assert (
        succession.predecessor_id,
        succession.successor_id,
        succession.date,
        succession.note,
        succession.network_id,
    ) == (osterode.pk, goettingen.pk, MERGER, "Fusion", network.pk)
    osterode = reload(osterode)
    assert (osterode.valid_to, osterode.end_reason, osterode.end_note) == (
        LAST_DAY,
        "succession",
        "Nachfolger: Landkreis Göttingen",
    )
    assert reload(rep).valid_to == LAST_DAY
    assert reload(old_assignment).valid_to == LAST_DAY
    assert list(
        seat.assignments.order_by("valid_from").values_list(
            "partner__name", "valid_from", "valid_to"
        )
    ) == [
        ("Landkreis Osterode am Harz", SIGNED, LAST_DAY),
        ("Landkreis Göttingen", MERGER, None),
    ]
    [event] = events_for(succession)
    assert (event.action, event.actor_id, event.parent_type, event.parent_id, event.message) == (
        "succession",
        coordinator.pk,
        "networks.partner",
        osterode.public_id,
        "Fusion",
    )
    assert event.changes == {
        "successor": [None, "Landkreis Göttingen"],
        "date": [None, "2016-11-01"],
    }
    successor_events = [e for e in events_for(goettingen) if e.action == "succession"]
    assert [(e.actor_id, e.message) for e in successor_events] == [
        (coordinator.pk, "Nachfolger von Landkreis Osterode am Harz ab 01.11.2016")
    ]
    assert [e.action for e in events_for(osterode)] == ["create", "assign", "unassign", "end"]
    # the returned record tells the new state (the pages show the predecessor's last day)
    assert (returned.predecessor.valid_to, returned.predecessor.end_reason) == (
        LAST_DAY,
        "succession",
    )


def test_succession_creates_a_new_successor(coordinator, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county", is_party=True)
    # when
    succession = services.partner_record_succession(
        actor=coordinator,
        predecessor=osterode,
        successor_data={"name": "Landkreis Göttingen"},
        date=MERGER,
    )
    # then
    successor = reload(succession.successor)
    assert (
        successor.name,
        successor.kind,
        successor.is_party,
        successor.valid_from,
        successor.valid_to,
    ) == ("Landkreis Göttingen", "county", True, MERGER, None)
    assert [e.action for e in events_for(successor)] == ["create", "succession"]
    assert events_for(successor)[0].actor_id == coordinator.pk


def test_succession_without_taking_over_seats(coordinator, network):
    # given
    old = make_partner(network, "Alte Schule")
    seat = make_seat(network, "Schulen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=old, valid_from=SIGNED)
    # when
    succession = services.partner_record_succession(
        actor=coordinator,
        predecessor=old,
        successor_data={"name": "Neue Schule"},
        date=MERGER,
        take_over_seats=False,
    )
    # then
    assert list(seat.assignments.values_list("partner__name", "valid_to")) == [
        ("Alte Schule", LAST_DAY)
    ]
    assert SeatAssignment.objects.filter(partner=succession.successor).count() == 0


def test_succession_does_not_assign_a_successor_twice(coordinator, network):
    # given
    old = make_partner(network, "Alte Schule")
    new = make_partner(network, "Neue Schule")
    seat = make_seat(network, "Schulen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=old, valid_from=SIGNED)
    services.seat_assign(actor=SYSTEM, seat=seat, partner=new, valid_from=SIGNED)
    # when
    services.partner_record_succession(
        actor=coordinator, predecessor=old, successor=new, date=MERGER
    )
    # then
    assert list(seat.assignments.filter(partner=new).values_list("valid_from", "valid_to")) == [
        (SIGNED, None)
    ]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("self", "successor", "Ein Partner kann nicht sein eigener Nachfolger sein."),
        (
            "neither",
            "successor",
            "Bitte wählen Sie einen Nachfolger oder legen Sie einen neuen an.",
        ),
        ("both", "successor", "Bitte wählen Sie einen Nachfolger oder legen Sie einen neuen an."),
        ("no_date", "date", "Bitte geben Sie an, ab wann die Nachfolge gilt."),
        (
            "too_early",
            "date",
            "Die Nachfolge muss nach dem Beginn von Landkreis Osterode am Harz (29.05.2013) liegen.",
        ),
        (
            "ended_successor",
            "successor",
            "Landkreis Göttingen ist am 01.11.2016 kein aktiver Partner und kann dann nicht Nachfolger sein.",
        ),
        ("empty_new_name", "new_successor_name", "Bitte geben Sie einen Namen an."),
        (
            "duplicate_new_name",
            "new_successor_name",
            "Einen aktiven Partner mit diesem Namen gibt es schon.",
        ),
    ],
)
def test_succession_refuses_bad_input(coordinator, network, case, field, message):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen")
    rep = services.representation_create(
        actor=SYSTEM, partner=osterode, function="Kreisrat", valid_from=SIGNED
    )
    if case == "ended_successor":
        services.partner_end(actor=SYSTEM, partner=goettingen, valid_to=D(2015, 12, 31))
    kwargs = {
        "self": {"successor": osterode, "date": MERGER},
        "neither": {"date": MERGER},
        "both": {"successor": goettingen, "successor_data": {"name": "Neu"}, "date": MERGER},
        "no_date": {"successor": goettingen, "date": None},
        "too_early": {"successor": goettingen, "date": SIGNED},
        "ended_successor": {"successor": reload(goettingen), "date": MERGER},
        "empty_new_name": {"successor_data": {"name": ""}, "date": MERGER},
        "duplicate_new_name": {"successor_data": {"name": "Landkreis Göttingen"}, "date": MERGER},
    }[case]
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_record_succession(actor=coordinator, predecessor=osterode, **kwargs)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert (reload(osterode).valid_to, reload(rep).valid_to) == (None, None)
    assert row_counts() == before


def test_succession_refuses_a_successor_that_starts_after_the_date(coordinator, network):
    # given: Göttingen is recorded as a partner only from 2017 on
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen", valid_from=D(2017, 1, 1))
    before = row_counts()
    # when: it would carry on from 2016-11-01, leaving a gap
    with pytest.raises(DomainError) as exc:
        services.partner_record_succession(
            actor=coordinator, predecessor=osterode, successor=goettingen, date=MERGER
        )
    # then
    assert list(exc.value.field_errors) == ["successor"]
    assert reload(osterode).valid_to is None
    assert row_counts() == before


def test_succession_refuses_an_ended_predecessor(coordinator, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen")
    services.partner_end(actor=SYSTEM, partner=osterode, valid_to=D(2015, 12, 31))
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_record_succession(
            actor=coordinator, predecessor=osterode, successor=goettingen, date=MERGER
        )
    # then
    assert (exc.value.code, exc.value.message) == (
        "ended",
        "Landkreis Osterode am Harz ist bereits zum 31.12.2015 beendet.",
    )
    assert row_counts() == before


def test_succession_refuses_a_successor_of_another_network(coordinator, network, other_network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    elsewhere = make_partner(other_network, "Landkreis Anderswo")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.partner_record_succession(
            actor=coordinator, predecessor=osterode, successor=elsewhere, date=MERGER
        )
    # then
    assert (exc.value.code, exc.value.message) == (
        "wrong_network",
        "Der gewählte Datensatz gehört nicht zu diesem Netzwerk.",
    )
    assert reload(osterode).valid_to is None
    assert row_counts() == before


def test_succession_refuses_a_member(network, member):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen")
    make_representative(network, osterode, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_record_succession(
            actor=member, predecessor=osterode, successor=goettingen, date=MERGER
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert Succession.objects.count() == 0
    assert row_counts() == before


# --- representations -------------------------------------------------------------------------


def test_representation_create_by_person_institution_or_function(coordinator, network):
    # given
    party = make_partner(network, "Berufsbildende Schulen", kind="group")
    bbs1 = make_partner(network, "BBS I Osterode", is_party=False)
    person = make_person(network, "Jonas", "Ipsum")
    # when
    by_institution = services.representation_create(
        actor=coordinator,
        partner=party,
        institution=bbs1,
        function="Schulleitung",
        valid_from=SIGNED,
    )
    by_person = services.representation_create(
        actor=coordinator,
        partner=party,
        person=person,
        valid_from=SIGNED,
        valid_to=D(2020, 7, 31),
        note="bis Ruhestand",
    )
    by_function = services.representation_create(
        actor=coordinator, partner=party, function="  Koordination ", valid_from=SIGNED
    )
    # then
    rows = list(
        party.representations.order_by("id").values_list(
            "institution__name", "person__last_name", "function", "valid_from", "valid_to", "note"
        )
    )
    assert rows == [
        ("BBS I Osterode", None, "Schulleitung", SIGNED, None, ""),
        (None, "Ipsum", "", SIGNED, D(2020, 7, 31), "bis Ruhestand"),
        (None, None, "Koordination", SIGNED, None, ""),
    ]
    [event] = events_for(by_person)
    assert (
        event.action,
        event.actor_id,
        event.parent_type,
        event.parent_id,
        event.object_type,
    ) == ("create", coordinator.pk, "networks.partner", party.public_id, "networks.representation")
    assert event.changes == {
        "partner": [None, "Berufsbildende Schulen"],
        "person": [None, "Jonas Ipsum"],
        "valid_from": [None, "2013-05-29"],
        "valid_to": [None, "2020-07-31"],
        "note": [None, "bis Ruhestand"],
    }
    assert [e.action for e in events_for(by_institution)] == ["create"]
    assert [e.action for e in events_for(by_function)] == ["create"]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("nobody", "function", "Institution, Person oder Funktion angeben."),
        ("itself", "institution", "Ein Partner kann sich nicht selbst vertreten."),
        (
            "ends_before_start",
            "valid_to",
            "Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014).",
        ),
        ("no_start", "valid_from", "Bitte geben Sie an, ab wann dies gilt."),
        (
            "before_partner",
            "valid_from",
            "„Vertreten durch“ muss in die Zeit fallen, in der Jobcenter Partner ist.",
        ),
    ],
)
def test_representation_create_refuses_bad_input(coordinator, network, case, field, message):
    # given
    partner = make_partner(network, "Jobcenter")
    kwargs = {
        "nobody": {"valid_from": SIGNED, "function": "  "},
        "itself": {"valid_from": SIGNED, "institution": partner},
        "ends_before_start": {
            "valid_from": D(2014, 1, 1),
            "valid_to": D(2013, 12, 31),
            "function": "Leitung",
        },
        "no_start": {"valid_from": None, "function": "Leitung"},
        "before_partner": {"valid_from": D(2012, 1, 1), "function": "Leitung"},
    }[case]
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.representation_create(actor=coordinator, partner=partner, **kwargs)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert row_counts() == before


def test_representation_create_refuses_nobody_with_a_full_message(coordinator, network):
    # given
    partner = make_partner(network, "Jobcenter")
    # when
    with pytest.raises(DomainError) as exc:
        services.representation_create(actor=coordinator, partner=partner, valid_from=SIGNED)
    # then
    assert exc.value.message == (
        "Bitte geben Sie an, durch wen der Partner vertreten wird: eine Institution, eine Person oder eine Funktion."
    )


def test_representation_create_refuses_a_person_of_another_network(
    coordinator, network, other_network
):
    # given
    partner = make_partner(network, "Jobcenter")
    foreign = make_person(other_network, "Fritzi", "Fremd")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.representation_create(
            actor=coordinator, partner=partner, person=foreign, valid_from=SIGNED
        )
    # then
    assert (exc.value.code, exc.value.message) == (
        "wrong_network",
        "Der gewählte Datensatz gehört nicht zu diesem Netzwerk.",
    )
    assert row_counts() == before


def test_representation_create_refuses_a_member(network, member):
    # given
    partner = make_partner(network, "Jobcenter")
    make_representative(network, partner, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.representation_create(
            actor=member, partner=partner, function="Leitung", valid_from=SIGNED
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


def test_representation_end_ends_and_records(coordinator, network):
    # given
    partner = make_partner(network, "Jobcenter")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, function="Leitung", valid_from=SIGNED
    )
    # when
    services.representation_end(actor=coordinator, representation=rep, valid_to=D(2019, 6, 30))
    # then
    rep = reload(rep)
    assert (rep.valid_to, rep.version) == (D(2019, 6, 30), 2)
    event = events_for(rep)[-1]
    assert (event.action, event.actor_id, event.parent_id, event.changes) == (
        "end",
        coordinator.pk,
        partner.public_id,
        {"valid_to": [None, "2019-06-30"]},
    )


def test_representation_end_refuses_an_end_before_the_start(coordinator, network):
    # given
    partner = make_partner(network, "Jobcenter")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, function="Leitung", valid_from=D(2015, 1, 1)
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.representation_end(actor=coordinator, representation=rep, valid_to=D(2014, 12, 31))
    # then
    assert exc.value.field_errors == {
        "valid_to": ["Das Ende (31.12.2014) liegt vor dem Beginn (01.01.2015)."]
    }
    assert reload(rep).valid_to is None
    assert row_counts() == before


def test_representation_end_refuses_an_ended_representation(coordinator, network):
    # given
    partner = make_partner(network, "Jobcenter")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, function="Leitung", valid_from=SIGNED, valid_to=D(2015, 1, 1)
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.representation_end(actor=coordinator, representation=rep, valid_to=D(2019, 1, 1))
    # then
    assert (exc.value.code, exc.value.message) == (
        "ended",
        "Dieses „vertreten durch“ ist bereits beendet.",
    )
    assert reload(rep).valid_to == D(2015, 1, 1)
    assert row_counts() == before


def test_representation_end_refuses_a_member(network, member):
    # given
    partner = make_partner(network, "Jobcenter")
    rep = make_representative(network, partner, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.representation_end(actor=member, representation=rep, valid_to=D(2019, 1, 1))
    # then
    assert exc.value.message == NO_RIGHT
    assert reload(rep).valid_to is None
    assert row_counts() == before


# --- people ----------------------------------------------------------------------------------


def test_person_create_and_update_record_history(coordinator, network):
    # given
    ihk = make_partner(network, "IHK")
    # when
    person = services.person_create(
        actor=coordinator,
        network=network,
        data={
            "title": "Dr.",
            "first_name": " Max ",
            "last_name": "Mustermann",
            "organisation": ihk,
            "email": "max@ihk.example",
            "user": "ignored",
        },
    )
    services.person_update(
        actor=coordinator,
        person=person,
        expected_version=1,
        data={
            "function": "Ausbildungsberatung",
            "organisation": None,
            "phone": "0551 1",
        },
    )
    # then
    person = reload(person)
    assert (
        person.title,
        person.first_name,
        person.last_name,
        person.function,
        person.organisation_id,
        person.email,
        person.phone,
        person.user_id,
        person.version,
    ) == (
        "Dr.",
        "Max",
        "Mustermann",
        "Ausbildungsberatung",
        None,
        "max@ihk.example",
        "0551 1",
        None,
        2,
    )
    created, updated = events_for(person)
    assert (created.action, created.actor_id, created.object_repr) == (
        "create",
        coordinator.pk,
        "Dr. Max Mustermann",
    )
    assert created.changes == {
        "title": [None, "Dr."],
        "first_name": [None, "Max"],
        "last_name": [None, "Mustermann"],
        "organisation": [None, "IHK"],
        "email": [None, "max@ihk.example"],
    }
    assert (updated.action, updated.actor_id) == ("update", coordinator.pk)
    assert updated.changes == {
        "function": ["", "Ausbildungsberatung"],
        "organisation": ["IHK", None],
        "phone": ["", "0551 1"],
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"first_name": "", "last_name": "Muster"},
            "first_name",
            "Bitte geben Sie einen Vornamen an.",
        ),
        ({"last_name": "Muster"}, "first_name", "Bitte geben Sie einen Vornamen an."),
        (
            {"first_name": "Max", "last_name": "  "},
            "last_name",
            "Bitte geben Sie einen Nachnamen an.",
        ),
        ({"first_name": "Max"}, "last_name", "Bitte geben Sie einen Nachnamen an."),
    ],
)
def test_person_create_refuses_missing_names(coordinator, network, data, field, message):
    # given
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=coordinator, network=network, data=data)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert row_counts() == before


def test_person_create_refuses_an_organisation_of_another_network(
    coordinator, network, other_network
):
    # given
    foreign = make_partner(other_network, "Fremde Schule")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=coordinator,
            network=network,
            data={"first_name": "Max", "last_name": "Muster", "organisation": foreign},
        )
    # then
    assert exc.value.code == "wrong_network"
    assert row_counts() == before


def test_person_update_refuses_an_empty_name(coordinator, network):
    # given
    person = make_person(network, "Max", "Mustermann")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.person_update(
            actor=coordinator, person=person, expected_version=1, data={"last_name": ""}
        )
    # then
    assert exc.value.field_errors == {"last_name": ["Bitte geben Sie einen Nachnamen an."]}
    assert reload(person).last_name == "Mustermann"
    assert row_counts() == before


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_person_create_and_update_refuse_members_and_other_networks(request, network, who):
    # given
    actor = request.getfixturevalue(who)
    person = make_person(network, "Max", "Mustermann")
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as created:
        services.person_create(
            actor=actor, network=network, data={"first_name": "A", "last_name": "B"}
        )
    with pytest.raises(PermissionDenied) as updated:
        services.person_update(
            actor=actor, person=person, expected_version=1, data={"last_name": "Anders"}
        )
    # then
    assert (created.value.message, updated.value.message) == (NO_RIGHT, NO_RIGHT)
    assert reload(person).last_name == "Mustermann"
    assert row_counts() == before


# --- constituency seats ----------------------------------------------------------------------


def test_seat_create_and_update_record_history(coordinator, network):
    # when
    seat = services.seat_create(
        actor=coordinator,
        network=network,
        data={
            "name": " Kammern ",
            "description": "Spricht für die Kammern.",
            "valid_from": SIGNED,
        },
    )
    services.seat_update(
        actor=coordinator,
        seat=seat,
        expected_version=1,
        data={
            "name": "Kammern und Verbände",
            "valid_from": D(2014, 1, 1),
        },
    )
    # then
    seat = reload(seat)
    assert (seat.name, seat.description, seat.valid_from, seat.version) == (
        "Kammern und Verbände",
        "Spricht für die Kammern.",
        D(2014, 1, 1),
        2,
    )
    created, updated = events_for(seat)
    assert (created.action, created.actor_id, created.changes) == (
        "create",
        coordinator.pk,
        {
            "name": [None, "Kammern"],
            "description": [None, "Spricht für die Kammern."],
            "valid_from": [None, "2013-05-29"],
        },
    )
    assert (updated.action, updated.actor_id, updated.changes) == (
        "update",
        coordinator.pk,
        {
            "name": ["Kammern", "Kammern und Verbände"],
            "valid_from": ["2013-05-29", "2014-01-01"],
        },
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "valid_from": SIGNED}, "name", "Bitte geben Sie einen Namen an."),
        ({"name": "Verbände"}, "valid_from", "Bitte geben Sie an, ab wann dies gilt."),
        (
            {"name": "kammern", "valid_from": SIGNED},
            "name",
            "Eine Sammelvertretung mit diesem Namen gibt es schon.",
        ),
    ],
)
def test_seat_create_refuses_bad_input(coordinator, network, data, field, message):
    # given
    make_seat(network, "Kammern")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_create(actor=coordinator, network=network, data=data)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": " "}, "name", "Bitte geben Sie einen Namen an."),
        ({"valid_from": None}, "valid_from", "Bitte geben Sie an, ab wann dies gilt."),
    ],
)
def test_seat_update_refuses_bad_input(coordinator, network, data, field, message):
    # given
    seat = make_seat(network, "Kammern")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_update(actor=coordinator, seat=seat, expected_version=1, data=data)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert (reload(seat).name, reload(seat).valid_from) == ("Kammern", SIGNED)
    assert row_counts() == before


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_seat_create_and_update_refuse_members_and_other_networks(request, network, who):
    # given
    actor = request.getfixturevalue(who)
    seat = make_seat(network, "Kammern")
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as created:
        services.seat_create(
            actor=actor, network=network, data={"name": "Verbände", "valid_from": SIGNED}
        )
    with pytest.raises(PermissionDenied) as updated:
        services.seat_update(actor=actor, seat=seat, expected_version=1, data={"name": "Anders"})
    # then
    assert (created.value.message, updated.value.message) == (NO_RIGHT, NO_RIGHT)
    assert reload(seat).name == "Kammern"
    assert row_counts() == before


def test_seat_end_ends_the_seat_its_assignments_and_holdings(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    ihk = make_partner(network, "IHK")
    assignment = services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    earlier = services.seat_assign(
        actor=SYSTEM,
        seat=seat,
        partner=make_partner(network, "HWK"),
        valid_from=SIGNED,
        valid_to=D(2015, 12, 31),
    )
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=make_person(network, "Max", "Muster"), valid_from=SIGNED
    )
    # when
    returned = services.seat_end(actor=coordinator, seat=seat, valid_to=D(2019, 12, 31))
    # then
    seat = reload(seat)
    assert (seat.valid_to, seat.version, returned.valid_to) == (D(2019, 12, 31), 2, D(2019, 12, 31))
    assert (reload(assignment).valid_to, reload(earlier).valid_to, reload(holding).valid_to) == (
        D(2019, 12, 31),
        D(2015, 12, 31),
        D(2019, 12, 31),
    )
    event = events_for(seat)[-1]
    assert (event.action, event.actor_id, event.changes) == (
        "end",
        coordinator.pk,
        {"valid_to": [None, "2019-12-31"]},
    )
    assert [(e.action, e.actor_id) for e in events_for(assignment)][-1] == (
        "unassign",
        coordinator.pk,
    )
    assert [(e.action, e.actor_id) for e in events_for(holding)][-1] == ("end", coordinator.pk)


@pytest.mark.parametrize(
    ("valid_to", "field", "message"),
    [
        (None, "valid_to", "Bitte geben Sie den letzten Tag an."),
        (D(2012, 12, 31), "valid_to", "Das Ende (31.12.2012) liegt vor dem Beginn (29.05.2013)."),
    ],
)
def test_seat_end_refuses_bad_input(coordinator, network, valid_to, field, message):
    # given
    seat = make_seat(network, "Kammern")
    assignment = services.seat_assign(
        actor=SYSTEM, seat=seat, partner=make_partner(network, "IHK"), valid_from=SIGNED
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_end(actor=coordinator, seat=seat, valid_to=valid_to)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert (reload(seat).valid_to, reload(assignment).valid_to) == (None, None)
    assert row_counts() == before


def test_seat_end_refuses_an_ended_seat_and_a_member(coordinator, network, member):
    # given
    seat = make_seat(network, "Kammern")
    other = make_seat(network, "Verbände")
    services.seat_end(actor=SYSTEM, seat=seat, valid_to=D(2015, 12, 31))
    before = row_counts()
    # when
    with pytest.raises(DomainError) as ended:
        services.seat_end(actor=coordinator, seat=seat, valid_to=D(2019, 12, 31))
    with pytest.raises(PermissionDenied) as refused:
        services.seat_end(actor=member, seat=other, valid_to=D(2019, 12, 31))
    # then
    assert (ended.value.code, ended.value.message) == (
        "ended",
        "Diese Sammelvertretung ist bereits beendet.",
    )
    assert refused.value.message == NO_RIGHT
    assert (reload(seat).valid_to, reload(other).valid_to) == (D(2015, 12, 31), None)
    assert row_counts() == before


def test_seat_assign_refuses_an_ended_seat(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    services.seat_end(actor=SYSTEM, seat=seat, valid_to=D(2015, 12, 31))
    ihk = make_partner(network, "IHK")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_assign(
            actor=coordinator, seat=reload(seat), partner=ihk, valid_from=D(2016, 1, 1)
        )
    # then
    assert exc.value.field_errors == {
        "valid_from": ["Die Sammelvertretung besteht an diesem Tag nicht."]
    }
    assert row_counts() == before


def test_seat_assign_and_unassign_record_history(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    ihk = make_partner(network, "IHK", is_party=False)
    # when
    assignment = services.seat_assign(
        actor=coordinator, seat=seat, partner=ihk, valid_from=D(2014, 1, 1)
    )
    services.seat_unassign(actor=coordinator, assignment=assignment, valid_to=D(2018, 12, 31))
    # then
    assignment = reload(assignment)
    assert (
        assignment.seat_id,
        assignment.partner_id,
        assignment.valid_from,
        assignment.valid_to,
    ) == (seat.pk, ihk.pk, D(2014, 1, 1), D(2018, 12, 31))
    assigned, unassigned = events_for(assignment)
    assert (assigned.action, assigned.actor_id, assigned.parent_id, assigned.changes) == (
        "assign",
        coordinator.pk,
        seat.public_id,
        {"partner": [None, "IHK"], "valid_from": [None, "2014-01-01"]},
    )
    assert (unassigned.action, unassigned.actor_id, unassigned.parent_id, unassigned.changes) == (
        "unassign",
        coordinator.pk,
        seat.public_id,
        {"valid_to": [None, "2018-12-31"]},
    )
    assigned_event, unassigned_event = events_for(ihk)[-2:]
    assert (assigned_event.action, assigned_event.message) == (
        "assign",
        "der Sammelvertretung „Kammern“ zugeordnet ab 01.01.2014",
    )
    assert (unassigned_event.action, unassigned_event.message) == (
        "unassign",
        "Zuordnung zur Sammelvertretung „Kammern“ beendet zum 31.12.2018",
    )


def test_seat_assign_allows_a_new_period_after_the_old_one(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    ihk = make_partner(network, "IHK")
    services.seat_assign(
        actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED, valid_to=D(2015, 12, 31)
    )
    # when
    services.seat_assign(actor=coordinator, seat=seat, partner=ihk, valid_from=D(2016, 1, 1))
    # then
    assert list(seat.assignments.order_by("valid_from").values_list("valid_from", "valid_to")) == [
        (SIGNED, D(2015, 12, 31)),
        (D(2016, 1, 1), None),
    ]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        (
            "overlap",
            "partner",
            "IHK ist dieser Sammelvertretung in diesem Zeitraum bereits zugeordnet.",
        ),
        (
            "overlap_closed",
            "partner",
            "IHK ist dieser Sammelvertretung in diesem Zeitraum bereits zugeordnet.",
        ),
        ("ended_partner", "partner", "Kreistag ist am 01.01.2017 kein aktiver Partner."),
        ("before_partner", "partner", "IHK ist am 01.01.2012 kein aktiver Partner."),
        ("seat_not_yet", "valid_from", "Die Sammelvertretung besteht an diesem Tag nicht."),
        (
            "ends_before_start",
            "valid_to",
            "Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014).",
        ),
        ("no_start", "valid_from", "Bitte geben Sie an, ab wann dies gilt."),
    ],
)
def test_seat_assign_refuses_bad_input(coordinator, network, case, field, message):
    # given
    seat = make_seat(network, "Kammern", valid_from=D(2013, 6, 1))
    ihk = make_partner(network, "IHK")
    kreistag = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY)
    services.seat_assign(
        actor=SYSTEM, seat=seat, partner=ihk, valid_from=D(2014, 1, 1), valid_to=D(2015, 12, 31)
    )
    kwargs = {
        "overlap": {"partner": ihk, "valid_from": D(2015, 6, 1)},
        "overlap_closed": {"partner": ihk, "valid_from": D(2013, 7, 1), "valid_to": D(2014, 1, 1)},
        "ended_partner": {"partner": reload(kreistag), "valid_from": D(2017, 1, 1)},
        "before_partner": {"partner": ihk, "valid_from": D(2012, 1, 1)},
        "seat_not_yet": {"partner": ihk, "valid_from": D(2013, 5, 30), "valid_to": D(2013, 5, 31)},
        "ends_before_start": {
            "partner": ihk,
            "valid_from": D(2014, 1, 1),
            "valid_to": D(2013, 12, 31),
        },
        "no_start": {"partner": ihk, "valid_from": None},
    }[case]
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_assign(actor=coordinator, seat=seat, **kwargs)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert row_counts() == before


def test_seat_assign_refuses_an_open_assignment_that_outlives_an_ended_partner(
    coordinator, network
):
    # given: the Kreistag ended on 2016-10-31
    seat = make_seat(network, "Kommunen")
    kreistag = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY)
    kreistag = reload(kreistag)
    before = row_counts()
    # when: an assignment from 2016-06-01 without end would still hold today
    with pytest.raises(DomainError) as exc:
        services.seat_assign(
            actor=coordinator, seat=seat, partner=kreistag, valid_from=D(2016, 6, 1)
        )
    # then
    assert exc.value.field_errors  # names the field (partner or valid_to)
    assert "Kreistag" in exc.value.message
    assert SeatAssignment.objects.filter(partner=kreistag).count() == 0
    assert row_counts() == before


def test_seat_assign_refuses_a_partner_of_another_network(coordinator, network, other_network):
    # given
    seat = make_seat(network, "Kammern")
    foreign = make_partner(other_network, "Fremde Kammer")
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_assign(actor=coordinator, seat=seat, partner=foreign, valid_from=SIGNED)
    # then
    assert exc.value.code == "wrong_network"
    assert row_counts() == before


def test_seat_assign_and_unassign_refuse_a_member(network, member):
    # given
    seat = make_seat(network, "Kammern")
    ihk = make_partner(network, "IHK")
    hwk = make_partner(network, "HWK")
    assignment = services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as assigned:
        services.seat_assign(actor=member, seat=seat, partner=hwk, valid_from=SIGNED)
    with pytest.raises(PermissionDenied) as unassigned:
        services.seat_unassign(actor=member, assignment=assignment, valid_to=D(2019, 1, 1))
    # then
    assert (assigned.value.message, unassigned.value.message) == (NO_RIGHT, NO_RIGHT)
    assert reload(assignment).valid_to is None
    assert row_counts() == before


def test_seat_unassign_refuses_bad_input(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    ihk = make_partner(network, "IHK")
    open_one = services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=D(2015, 1, 1))
    closed = services.seat_assign(
        actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED, valid_to=D(2014, 12, 31)
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as too_early:
        services.seat_unassign(actor=coordinator, assignment=open_one, valid_to=D(2014, 12, 31))
    with pytest.raises(DomainError) as ended:
        services.seat_unassign(actor=coordinator, assignment=closed, valid_to=D(2019, 1, 1))
    # then
    assert too_early.value.field_errors == {
        "valid_to": ["Das Ende (31.12.2014) liegt vor dem Beginn (01.01.2015)."]
    }
    assert (ended.value.code, ended.value.message) == (
        "ended",
        "Diese Zuordnung ist bereits beendet.",
    )
    assert (reload(open_one).valid_to, reload(closed).valid_to) == (None, D(2014, 12, 31))
    assert row_counts() == before


def test_seat_holding_create_and_end_record_history(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    # when
    holding = services.seat_holding_create(
        actor=coordinator, seat=seat, person=max_, valid_from=D(2014, 1, 1)
    )
    services.seat_holding_end(actor=coordinator, holding=holding, valid_to=D(2019, 12, 31))
    # then
    holding = reload(holding)
    assert (holding.seat_id, holding.person_id, holding.valid_from, holding.valid_to) == (
        seat.pk,
        max_.pk,
        D(2014, 1, 1),
        D(2019, 12, 31),
    )
    created, ended = events_for(holding)
    assert (created.action, created.actor_id, created.parent_id, created.changes) == (
        "create",
        coordinator.pk,
        seat.public_id,
        {
            "seat": [None, "Kammern"],
            "person": [None, "Max Mustermann"],
            "valid_from": [None, "2014-01-01"],
        },
    )
    assert (ended.action, ended.actor_id, ended.parent_id, ended.changes) == (
        "end",
        coordinator.pk,
        seat.public_id,
        {"valid_to": [None, "2019-12-31"]},
    )


def test_seat_holding_create_refuses_an_overlap(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    erika = make_person(network, "Erika", "Musterfrau")
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=max_, valid_from=SIGNED)
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_holding_create(
            actor=coordinator, seat=seat, person=erika, valid_from=D(2020, 1, 1)
        )
    # then
    assert exc.value.field_errors == {
        "valid_from": [
            "Für diesen Zeitraum ist bereits eine Person eingetragen; beenden Sie zuerst deren Zeit."
        ]
    }
    assert row_counts() == before


def test_seat_holding_create_follows_an_ended_holding(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    erika = make_person(network, "Erika", "Musterfrau")
    first = services.seat_holding_create(actor=SYSTEM, seat=seat, person=max_, valid_from=SIGNED)
    services.seat_holding_end(actor=SYSTEM, holding=first, valid_to=D(2019, 12, 31))
    # when
    services.seat_holding_create(
        actor=coordinator, seat=seat, person=erika, valid_from=D(2020, 1, 1)
    )
    # then
    assert list(
        seat.holdings.order_by("valid_from").values_list(
            "person__last_name", "valid_from", "valid_to"
        )
    ) == [("Mustermann", SIGNED, D(2019, 12, 31)), ("Musterfrau", D(2020, 1, 1), None)]


def test_seat_holding_refuses_bad_input(coordinator, network, other_network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    foreign = make_person(other_network, "Fritzi", "Fremd")
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=max_, valid_from=D(2015, 1, 1)
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as wrong_network:
        services.seat_holding_create(
            actor=coordinator, seat=seat, person=foreign, valid_from=SIGNED, valid_to=D(2014, 1, 1)
        )
    with pytest.raises(DomainError) as backwards:
        services.seat_holding_create(
            actor=coordinator,
            seat=seat,
            person=max_,
            valid_from=D(2014, 1, 1),
            valid_to=D(2013, 12, 31),
        )
    with pytest.raises(DomainError) as end_too_early:
        services.seat_holding_end(actor=coordinator, holding=holding, valid_to=D(2014, 12, 31))
    # then
    assert wrong_network.value.code == "wrong_network"
    assert backwards.value.field_errors == {
        "valid_to": ["Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014)."]
    }
    assert end_too_early.value.field_errors == {
        "valid_to": ["Das Ende (31.12.2014) liegt vor dem Beginn (01.01.2015)."]
    }
    assert reload(holding).valid_to is None
    assert row_counts() == before


def test_seat_holding_end_refuses_an_ended_holding(coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=max_, valid_from=SIGNED, valid_to=D(2015, 1, 1)
    )
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        services.seat_holding_end(actor=coordinator, holding=holding, valid_to=D(2019, 1, 1))
    # then
    assert (exc.value.code, exc.value.message) == ("ended", "Diese Zeit ist bereits beendet.")
    assert row_counts() == before


def test_seat_holdings_refuse_a_member(network, member):
    # given
    seat = make_seat(network, "Kammern")
    person = person_for(network, member)
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=person, valid_from=SIGNED
    )
    other_seat = make_seat(network, "Verbände")
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as created:
        services.seat_holding_create(
            actor=member, seat=other_seat, person=person, valid_from=SIGNED
        )
    with pytest.raises(PermissionDenied) as ended:
        services.seat_holding_end(actor=member, holding=holding, valid_to=D(2019, 1, 1))
    # then
    assert (created.value.message, ended.value.message) == (NO_RIGHT, NO_RIGHT)
    assert reload(holding).valid_to is None
    assert row_counts() == before
    assert SeatHolding.objects.count() == 1


# --- accounts --------------------------------------------------------------------------------


def test_user_create_by_the_system_creates_an_account_and_records_it(db):
    # when
    user = account_services.user_create(
        actor=SYSTEM,
        email="  Neu@Example.ORG ",
        password="Ein-langes-Passwort-42",
        display_name="Nele Neu",
    )
    # then
    user = User.objects.get(pk=user.pk)
    assert (user.email, user.display_name, user.is_superuser, user.is_staff, user.is_active) == (
        "neu@example.org",
        "Nele Neu",
        False,
        False,
        True,
    )
    assert user.check_password("Ein-langes-Passwort-42")
    [event] = HistoryEvent.objects.filter(object_type="accounts.user")
    assert (event.action, event.actor_id, event.actor_name, event.network_id) == (
        "create",
        None,
        "System",
        None,
    )
    assert event.changes["email"] == [None, "neu@example.org"]
    assert "password" not in event.changes
    assert user.password not in str(event.changes)


def test_user_create_refuses_a_non_administrator(coordinator):
    # given
    users = User.objects.count()
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        account_services.user_create(
            actor=coordinator, email="neu@example.org", password="Ein-langes-Passwort-42"
        )
    # then
    assert exc.value.message == "Nur die Plattform-Administration kann Konten anlegen."
    assert exc.value.status == 403
    assert User.objects.count() == users
    assert row_counts() == before


@pytest.mark.parametrize(
    ("email", "password", "field", "message"),
    [
        ("", "Ein-langes-Passwort-42", "email", "Bitte geben Sie eine E-Mail-Adresse an."),
        (
            "KOORDINATION@example.org",
            "Ein-langes-Passwort-42",
            "email",
            "Ein Konto mit dieser E-Mail-Adresse gibt es schon.",
        ),
        (
            "neu@example.org",
            "kurz",
            "password",
            "Dieses Passwort ist zu kurz. Es muss mindestens 10 Zeichen enthalten.",
        ),
    ],
)
def test_user_create_refuses_bad_input(coordinator, email, password, field, message):
    # given
    users = User.objects.count()
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        account_services.user_create(actor=SYSTEM, email=email, password=password)
    # then
    assert exc.value.field_errors == {field: [message]}
    assert User.objects.count() == users
    assert row_counts() == before


def test_network_role_grant_gives_and_changes_a_role_with_history(coordinator, network, stranger):
    # when
    granted = account_services.network_role_grant(
        actor=coordinator, network=network, user=stranger, role="member"
    )
    changed = account_services.network_role_grant(
        actor=coordinator, network=network, user=stranger, role="coordination"
    )
    # then
    assert granted.pk == changed.pk
    assert list(
        NetworkRole.objects.filter(network=network, user=stranger).values_list("role", flat=True)
    ) == ["coordination"]
    first, second = events_for(granted)
    assert (first.action, first.actor_id, first.network_id, first.changes, first.message) == (
        "role",
        coordinator.pk,
        network.pk,
        {"role": [None, "member"]},
        "Nora Niemand",
    )
    assert (second.action, second.actor_id, second.changes) == (
        "role",
        coordinator.pk,
        {"role": ["member", "coordination"]},
    )


def test_network_role_grant_of_the_same_role_changes_nothing(coordinator, network, member):
    # given
    before = row_counts()
    # when
    role = account_services.network_role_grant(
        actor=coordinator, network=network, user=member, role="member"
    )
    # then
    assert role.role == "member"
    assert row_counts() == before


def test_network_role_grant_refuses_an_unknown_role(coordinator, network, stranger):
    # given
    before = row_counts()
    # when
    with pytest.raises(DomainError) as exc:
        account_services.network_role_grant(
            actor=coordinator, network=network, user=stranger, role="king"
        )
    # then
    assert exc.value.field_errors == {"role": ["Bitte wählen Sie eine gültige Rolle."]}
    assert NetworkRole.objects.filter(user=stranger).count() == 0
    assert row_counts() == before


@pytest.mark.parametrize("who", ["member", "outsider", "stranger"])
def test_network_role_grant_refuses_members_and_others(request, network, make_user, who):
    # given
    actor = request.getfixturevalue(who)
    newcomer = make_user("neu@example.org")
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        account_services.network_role_grant(
            actor=actor, network=network, user=newcomer, role="coordination"
        )
    # then
    assert exc.value.message == NO_RIGHT
    assert NetworkRole.objects.filter(user=newcomer).count() == 0
    assert row_counts() == before


def test_network_role_grant_refuses_a_member_promoting_themself(network, member):
    # given
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied):
        account_services.network_role_grant(
            actor=member, network=network, user=member, role="coordination"
        )
    # then
    assert NetworkRole.objects.get(user=member).role == "member"
    assert row_counts() == before
