"""The number of database queries of the bodies' pages does not grow with their data: each
page is asked for with 5 and with 60 records (bodies, seats, members with substitutes and
offices, guest experts, history events) and must need exactly the same number of queries.

The numbers: 3 for every network page (session, user, network with the role), plus the page's
own: the list 1 (the bodies with their counts); the detail page 7 (the body, its memberships
with people and seats, their offices, the seats of the day, the history, the next and the
last meetings), and 1 more for a member (do they sit in the body?)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.core import history
from uebergang.core.permissions import SYSTEM
from uebergang.networks.tests.factories import PartnerFactory, PersonFactory, SeatFactory

D = datetime.date
START = D(2014, 1, 1)
SIZES = [5, 60]


def get(client, network, name, *args, query=""):
    return client.get(reverse(f"bodies:{name}", args=[network.slug, *args]) + query)


def build_body(network, n: int, *, name: str = "Beirat", person=None) -> Body:
    """A body with `n` seats (every other one for a constituency seat), each with a member
    and a substitute, a former member on each seat (until 2015), `n` guest experts, a chair
    and a deputy chair, and a history event for every seat. With `person`, that person is
    the first member."""
    body = Body.objects.create(network=network, name=name, kind="advisory_board", valid_from=START)
    history.record_create(actor=SYSTEM, obj=body)
    members = []
    for i in range(n):
        if i % 2:
            seat = BodySeat.objects.create(
                network=network,
                body=body,
                constituency_seat=SeatFactory(network=network, name=f"{name} Sammel {i:04d}"),
                valid_from=START,
            )
        else:
            seat = BodySeat.objects.create(
                network=network,
                body=body,
                partner=PartnerFactory(network=network, name=f"{name} Partner {i:04d}"),
                valid_from=START,
            )
        history.record_create(actor=SYSTEM, obj=seat, parent=body)
        Membership.objects.create(
            network=network,
            body=body,
            seat=seat,
            person=PersonFactory(network=network),
            role="member",
            valid_from=START,
            valid_to=D(2015, 12, 31),
        )
        member = Membership.objects.create(
            network=network,
            body=body,
            seat=seat,
            person=person if person is not None and i == 0 else PersonFactory(network=network),
            role="member",
            valid_from=D(2016, 1, 1),
        )
        members.append(member)
        Membership.objects.create(
            network=network,
            body=body,
            seat=seat,
            person=PersonFactory(network=network),
            role="substitute",
            substitute_for=member,
            valid_from=D(2016, 1, 1),
        )
        Membership.objects.create(
            network=network,
            body=body,
            person=PersonFactory(network=network),
            role="guest",
            valid_from=START,
        )
    Office.objects.create(network=network, membership=members[0], kind="chair", valid_from=START)
    Office.objects.create(
        network=network, membership=members[1], kind="deputy", valid_from=D(2016, 1, 1)
    )
    return body


def build_bodies(network, n: int, *, person=None) -> list[Body]:
    """`n` bodies with two seats each (`person` sits in every one)."""
    return [build_body(network, 2, name=f"Gremium {i:04d}", person=person) for i in range(n)]


@pytest.mark.parametrize("n", SIZES)
def test_body_list(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_bodies(network, n)
    # when
    with django_assert_num_queries(4):
        response = get(coordinator_client, network, "body_list")
    # then
    assert response.status_code == 200
    bodies = response.context["bodies"]
    assert len(bodies) == n
    assert (bodies[0].seat_count, bodies[0].member_count) == (2, 2)


@pytest.mark.parametrize("n", SIZES)
def test_body_list_on_a_past_date(coordinator_client, network, django_assert_num_queries, n):
    # given
    build_bodies(network, n)
    # when
    with django_assert_num_queries(4):
        response = get(coordinator_client, network, "body_list", query="?stichtag=2015-06-30")
    # then
    assert len(response.context["bodies"]) == n
    assert (response.context["bodies"][0].member_count) == 2


@pytest.mark.parametrize("n", SIZES)
def test_body_list_of_a_member(client, member, network, django_assert_num_queries, n):
    # given
    build_bodies(network, n, person=PersonFactory(network=network, user=member))
    client.force_login(member)
    # when
    with django_assert_num_queries(4):
        response = get(client, network, "body_list")
    # then
    assert len(response.context["bodies"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_body_detail(coordinator_client, network, django_assert_num_queries, n):
    # given
    body = build_body(network, n)
    # when
    with django_assert_num_queries(10):  # +1: the topics panel
        response = get(coordinator_client, network, "body_detail", body.public_id)
    # then
    assert response.status_code == 200
    d = response.context["d"]
    assert (len(d.seats), len(d.guests), len(d.offices), len(d.memberships)) == (
        n,
        n,
        2,
        4 * n,
    )
    assert all(len(row.members) == 1 and len(row.substitutes) == 1 for row in d.seats)


@pytest.mark.parametrize("n", SIZES)
def test_body_history(coordinator_client, network, django_assert_num_queries, n):
    # given
    body = build_body(network, n)
    # when
    with django_assert_num_queries(QUERIES_BODY_HISTORY):
        response = get(coordinator_client, network, "body_history", body.public_id)
    # then: the first page of the events of the body and what hangs on it
    assert response.status_code == 200
    assert len(response.context["events"]) == min(n + 1, 50)


QUERIES_BODY_HISTORY = 6


@pytest.mark.parametrize("n", SIZES)
def test_body_detail_on_a_past_date(coordinator_client, network, django_assert_num_queries, n):
    # given
    body = build_body(network, n)
    # when
    with django_assert_num_queries(10):  # +1: the topics panel
        response = get(
            coordinator_client, network, "body_detail", body.public_id, query="?stichtag=2015-06-30"
        )
    # then
    d = response.context["d"]
    assert (len(d.seats), len(d.guests), len(d.offices)) == (n, n, 1)
    assert all(len(row.members) == 1 and row.substitutes == [] for row in d.seats)


@pytest.mark.parametrize("n", SIZES)
def test_body_detail_of_a_member(client, member, network, django_assert_num_queries, n):
    # given
    body = build_body(network, n, person=PersonFactory(network=network, user=member))
    client.force_login(member)
    # when
    with django_assert_num_queries(11):  # +1: the topics panel
        response = get(client, network, "body_detail", body.public_id)
    # then
    assert response.status_code == 200
    assert len(response.context["d"].seats) == n
