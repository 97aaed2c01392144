"""Two people edit the same record: both loaded version 1; the first save wins, the second gets
a clear conflict (409, code "conflict") and overwrites nothing."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from uebergang.core.concurrency import check_version, save_versioned
from uebergang.core.errors import Conflict
from uebergang.core.models import HistoryEvent, Network
from uebergang.networks import services
from uebergang.networks.models import Partner, Person
from uebergang.networks.tests.factories import make_partner, make_person, make_seat, row_counts

CONFLICT = (
    "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
    "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
)


def test_check_version_passes_the_loaded_version_and_no_version(network):
    # when / then: nothing raised
    check_version(network, 1)
    check_version(network, None)


def test_check_version_refuses_another_version(network):
    # when
    with pytest.raises(Conflict) as exc:
        check_version(network, 7)
    # then
    assert (exc.value.message, exc.value.code, exc.value.status, exc.value.details) == (
        CONFLICT,
        "conflict",
        409,
        {"current_version": 1},
    )
    assert exc.value.as_dict() == {
        "code": "conflict",
        "message": CONFLICT,
        "details": {"current_version": 1},
    }


def test_save_versioned_second_copy_loses(network):
    # given: two copies loaded at version 1
    first = Partner.objects.get(pk=make_partner(network, "IHK").pk)
    second = Partner.objects.get(pk=first.pk)
    first.phone, second.phone = "0551 1", "0551 2"
    # when
    save_versioned(first, expected_version=1, fields=["phone"])
    with pytest.raises(Conflict) as exc:
        save_versioned(second, expected_version=1, fields=["phone"])
    # then
    assert (exc.value.code, exc.value.details) == ("conflict", {"current_version": 2})
    stored = Partner.objects.get(pk=first.pk)
    assert (stored.phone, stored.version, first.version) == ("0551 1", 2, 2)


def test_save_versioned_without_expected_version_uses_the_loaded_one(network):
    # given
    first = Partner.objects.get(pk=make_partner(network, "IHK").pk)
    second = Partner.objects.get(pk=first.pk)
    first.phone, second.phone = "0551 1", "0551 2"
    save_versioned(first, expected_version=None, fields=["phone"])
    # when
    with pytest.raises(Conflict):
        save_versioned(second, expected_version=None, fields=["phone"])
    # then
    assert Partner.objects.get(pk=first.pk).phone == "0551 1"


@pytest.mark.parametrize("kind", ["partner", "person", "seat", "network"])
def test_two_edits_of_the_same_version_the_second_is_refused(coordinator, network, kind):
    # given: both loaded version 1
    record = {
        "partner": lambda: make_partner(network, "IHK"),
        "person": lambda: make_person(network, "Max", "Mustermann"),
        "seat": lambda: make_seat(network, "Kammern"),
        "network": lambda: network,
    }[kind]()
    update, field = {
        "partner": (
            lambda v, d: services.partner_update(
                actor=coordinator, partner=record, expected_version=v, data=d
            ),
            "phone",
        ),
        "person": (
            lambda v, d: services.person_update(
                actor=coordinator, person=record, expected_version=v, data=d
            ),
            "phone",
        ),
        "seat": (
            lambda v, d: services.seat_update(
                actor=coordinator, seat=record, expected_version=v, data=d
            ),
            "description",
        ),
        "network": (
            lambda v, d: services.network_update(
                actor=coordinator, network=record, expected_version=v, data=d
            ),
            "description",
        ),
    }[kind]
    update(1, {field: "erste Änderung"})
    before = row_counts()
    # when
    with pytest.raises(Conflict) as exc:
        update(1, {field: "zweite Änderung"})
    # then
    assert (exc.value.code, exc.value.status, exc.value.message) == ("conflict", 409, CONFLICT)
    stored = type(record).all_objects.get(pk=record.pk)
    assert (getattr(stored, field), stored.version) == ("erste Änderung", 2)
    assert row_counts() == before


def test_the_conflict_is_checked_before_anything_is_written(coordinator, network):
    # given
    ihk = make_partner(network, "IHK")
    services.partner_update(
        actor=coordinator, partner=ihk, expected_version=1, data={"name": "IHK Osterode"}
    )
    events = HistoryEvent.objects.count()
    # when
    with pytest.raises(Conflict):
        services.partner_update(
            actor=coordinator, partner=ihk, expected_version=1, data={"name": "IHK Hannover"}
        )
    # then: neither the partner nor its name row changed
    assert list(ihk.names.values_list("name", flat=True)) == ["IHK Osterode"]
    assert HistoryEvent.objects.count() == events


def test_the_second_post_shows_the_conflict_and_the_current_state(client, coordinator, network):
    # given: two browsers loaded the person's form at version 1
    person = make_person(network, "Max", "Mustermann", function="Beratung")
    client.force_login(coordinator)
    path = reverse("networks:person_edit", args=[network.slug, person.public_id])
    loaded = {
        "first_name": "Max",
        "last_name": "Mustermann",
        "function": "Beratung",
        "version": "1",
    }
    assert client.get(path).status_code == 200
    first = client.post(path, {**loaded, "function": "Ausbildungsberatung"})
    events = HistoryEvent.objects.count()
    # when
    second = client.post(path, {**loaded, "function": "Berufsberatung", "phone": "0551 2"})
    # then
    assert (first.status_code, second.status_code) == (302, 200)
    body = html.unescape(second.content.decode())
    assert CONFLICT in body
    assert "Inzwischen gespeicherter Stand" in body
    rows = re.findall(
        r'<th class="kern-table__cell" scope="row">(.*?)</th><td class="kern-table__cell">(.*?)</td>'
        r'<td class="kern-table__cell">(.*?)</td>',
        body,
    )
    assert rows == [
        ("Funktion", "Ausbildungsberatung", "Berufsberatung"),
        ("Telefon", "–", "0551 2"),
    ]
    assert 'name="version" value="2"' in body
    stored = Person.objects.get(pk=person.pk)
    assert (stored.function, stored.phone, stored.version) == ("Ausbildungsberatung", "", 2)
    assert HistoryEvent.objects.count() == events


def test_the_second_post_of_the_network_details_keeps_the_first(client, coordinator, network):
    # given
    client.force_login(coordinator)
    path = reverse("networks:network_edit", args=[network.slug])
    loaded = {
        "region": "Landkreis Osterode am Harz",
        "coordination_office": "Koordinierungsstelle Bildung-Beruf",
        "version": "1",
    }
    client.post(path, {**loaded, "region": "Landkreis Göttingen"})
    # when
    response = client.post(path, {**loaded, "email": "ks@example.org"})
    # then
    assert CONFLICT in html.unescape(response.content.decode())
    stored = Network.objects.get(pk=network.pk)
    assert (stored.region, stored.email, stored.version) == ("Landkreis Göttingen", "", 2)
