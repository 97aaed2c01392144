"""The number of database queries of a page does not grow with its data: each page is asked
for with 5 and with 200 records (partners each with a representative and a seat assignment,
people, seats with institutions and a holder, history events) and must need exactly the same
number of queries.

The numbers: 4 for every network page (session, user, network, role), plus the page's own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uebergang.networks.models import ConstituencySeat, Partner, Person

from .factories import (
    PartnerFactory,
    PersonFactory,
    RepresentationFactory,
    SeatAssignmentFactory,
    build_registry,
)

SIZES = [5, 200]


def get(client, network, name, *args, query=""):
    return client.get(reverse(f"networks:{name}", args=[network.slug, *args]) + query)


@pytest.mark.parametrize("n", SIZES)
def test_partner_list(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(6):
        response = get(coordinator_client, network, "partner_list")
    # then
    assert response.status_code == 200
    assert response.context["page"].paginator.count == n
    assert "Nachname0000" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_partner_list_on_a_past_date(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(6):
        response = get(
            coordinator_client, network, "partner_list", query="?stichtag=2014-01-01&q=Institution"
        )
    # then
    assert response.context["page"].paginator.count == n


@pytest.mark.parametrize("n", SIZES)
def test_person_list(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(5):
        response = get(coordinator_client, network, "person_list")
    # then
    assert response.context["page"].paginator.count == n
    assert "Institution 0000" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_seat_list(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(6):
        response = get(coordinator_client, network, "seat_list")
    # then
    assert len(response.context["seats"]) == n
    assert "Es spricht: Vorname0000 Nachname0000" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_seat_list_on_a_past_date(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(6):
        response = get(coordinator_client, network, "seat_list", query="?stichtag=2014-01-01")
    # then
    assert len(response.context["seats"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_network_history(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when
    with django_assert_num_queries(5):
        response = get(coordinator_client, network, "history")
    # then
    # (the network's creation and the coordination office's role are two more events)
    assert response.context["page"].paginator.count == n + 2
    assert len(response.context["events"]) == min(n + 2, 50)


@pytest.mark.parametrize("n", SIZES)
def test_network_start(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    # when (+6: the work queue's providers, see meetings/tests/test_workqueue.py, without
    # the quorum's as no meeting is invited; the parties with their representations are one
    # query, the seats with their number of institutions another)
    with django_assert_num_queries(12):
        response = get(coordinator_client, network, "start")
    # then
    assert len(response.context["partners"]) == n
    assert len(response.context["seats"]) == n
    assert all(seat.institutions == 1 for seat in response.context["seats"])


@pytest.mark.parametrize("n", SIZES)
def test_dashboard(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_registry(network, n)
    PartnerFactory.create_batch(n, network=network)  # parties without a representative
    # when (+6: the work queue's providers, see meetings/tests/test_workqueue.py, without
    # the quorum's as no meeting is invited; the overview's counters are one query)
    with django_assert_num_queries(12):
        response = get(coordinator_client, network, "dashboard")
    # then
    assert response.context["overview"]["counts"]["parties"] == 2 * n
    assert len(response.context["without_rep"]) == min(n, 20)
    assert len(response.context["recent"]) == min(n + 2, 15)


@pytest.fixture
def crowded(network):
    """`n` records hanging on one partner, one seat, one person."""

    def build(n):
        build_registry(network, 1)
        partner = Partner.objects.get(network=network)
        seat = ConstituencySeat.objects.get(network=network)
        person = Person.objects.get(network=network)
        for i in range(n):
            other = PartnerFactory(network=network, name=f"Schule {i:04d}", is_party=False)
            RepresentationFactory(
                network=network, partner=other, institution=partner, person=person
            )
            RepresentationFactory(
                network=network, partner=partner, person=PersonFactory(network=network)
            )
            SeatAssignmentFactory(network=network, seat=seat, partner=other)
            PersonFactory(network=network, organisation=partner)
        return partner, seat, person

    return build


@pytest.mark.parametrize("n", SIZES)
def test_partner_detail(coordinator_client, network, crowded, django_assert_num_queries, n):
    # given
    partner, _seat, _person = crowded(n)
    # when
    with django_assert_num_queries(12):
        response = get(coordinator_client, network, "partner_detail", partner.public_id)
    # then
    assert len(response.context["d"].representations) == n + 1
    assert len(response.context["d"].represents) == n
    assert len(response.context["d"].staff) == n + 1


@pytest.mark.parametrize("n", SIZES)
def test_seat_detail(coordinator_client, network, crowded, django_assert_num_queries, n):
    # given
    _partner, seat, _person = crowded(n)
    # when
    with django_assert_num_queries(7):
        response = get(coordinator_client, network, "seat_detail", seat.public_id)
    # then
    assert len(response.context["assignments"]) == n + 1


@pytest.mark.parametrize("n", SIZES)
def test_person_detail(coordinator_client, network, crowded, django_assert_num_queries, n):
    # given
    _partner, _seat, person = crowded(n)
    # when
    with django_assert_num_queries(8):
        response = get(coordinator_client, network, "person_detail", person.public_id)
    # then
    assert len(response.context["representations"]) == n + 1
