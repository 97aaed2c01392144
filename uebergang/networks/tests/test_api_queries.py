"""The number of database queries of every list endpoint of the API does not grow with its
data: each is asked for with 5 and with 200 records and must need exactly the same number.

Every request signs in with a personal API token: 1 query for the token with its user, then
1 for the role with its network (2 in all; /me/tokens needs only the first); the rest is
the endpoint's own, noted at each number. The token's
`last_used_at` is fresh, so it is not written during the count.

The rows are written directly (bulk), so that the numbers depend on nothing but the
endpoint."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from uebergang.accounts.models import ApiToken
from uebergang.accounts.services import api_token_create
from uebergang.core.models import HistoryAction, HistoryEvent
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    PartnerKind,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

SIZES = [5, 200]
SIGNED = datetime.date(2013, 5, 29)
BASE = "/api/v1/networks/osterode"


@pytest.fixture
def signed_in(coordinator):
    """A client and the coordination office's token, already used (no write of last_used_at)."""
    _token, secret = api_token_create(actor=coordinator, name="Zählung")
    ApiToken.objects.filter(user=coordinator).update(last_used_at=timezone.now())
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    return lambda path, **query: client.get(path, query, **headers)


def build(network, n: int) -> dict:
    """`n` partners (each with its name row, a person on its staff who represents it on behalf
    of the next partner, a seat it is assigned to and that person holds), `n` successions
    from ended partners, and `n` history events of the network."""
    partners = Partner.objects.bulk_create(
        Partner(
            network=network,
            name=f"Institution {i:04d}",
            short_name=f"I{i}",
            kind=PartnerKind.SCHOOL_GENERAL,
            valid_from=SIGNED,
        )
        for i in range(n)
    )
    PartnerName.objects.bulk_create(
        PartnerName(network=network, partner=p, name=p.name, valid_from=SIGNED) for p in partners
    )
    people = Person.objects.bulk_create(
        Person(
            network=network,
            first_name=f"Vorname{i:04d}",
            last_name=f"Nachname{i:04d}",
            organisation=partners[i],
        )
        for i in range(n)
    )
    Representation.objects.bulk_create(
        Representation(
            network=network,
            partner=partners[i],
            person=people[i],
            institution=partners[(i + 1) % n],
            function="Schulleitung",
            valid_from=SIGNED,
        )
        for i in range(n)
    )
    seats = ConstituencySeat.objects.bulk_create(
        ConstituencySeat(network=network, name=f"Sammelvertretung {i:04d}", valid_from=SIGNED)
        for i in range(n)
    )
    SeatAssignment.objects.bulk_create(
        SeatAssignment(network=network, seat=seats[i], partner=partners[i], valid_from=SIGNED)
        for i in range(n)
    )
    SeatHolding.objects.bulk_create(
        SeatHolding(network=network, seat=seats[i], person=people[i], valid_from=SIGNED)
        for i in range(n)
    )
    former = Partner.objects.bulk_create(
        Partner(
            network=network,
            name=f"Vorgänger {i:04d}",
            valid_from=SIGNED,
            valid_to=datetime.date(2016, 10, 31),
            end_reason="succession",
        )
        for i in range(n)
    )
    Succession.objects.bulk_create(
        Succession(
            network=network,
            predecessor=former[i],
            successor=partners[i],
            date=datetime.date(2016, 11, 1),
        )
        for i in range(n)
    )
    HistoryEvent.objects.bulk_create(
        HistoryEvent(
            network=network,
            actor_name="System",
            action=HistoryAction.UPDATE,
            object_type="networks.partner",
            object_id=p.public_id,
            object_repr=p.name,
            changes={"phone": ["", "1"]},
        )
        for p in partners
    )
    return {"partners": partners, "people": people, "seats": seats}


def many_for_one_partner(network, n: int) -> Partner:
    """One partner with `n` representations (each by another institution and person) and `n`
    history events hanging on it."""
    partner = Partner.objects.create(
        network=network, name="Landkreis Osterode am Harz", valid_from=SIGNED
    )
    others = Partner.objects.bulk_create(
        Partner(network=network, name=f"Schule {i:04d}", valid_from=SIGNED) for i in range(n)
    )
    people = Person.objects.bulk_create(
        Person(
            network=network,
            first_name="Vorname",
            last_name=f"Nachname{i:04d}",
            organisation=others[i],
        )
        for i in range(n)
    )
    reps = Representation.objects.bulk_create(
        Representation(
            network=network,
            partner=partner,
            institution=others[i],
            person=people[i],
            valid_from=SIGNED + datetime.timedelta(days=i),
        )
        for i in range(n)
    )
    HistoryEvent.objects.bulk_create(
        HistoryEvent(
            network=network,
            actor_name="System",
            action=HistoryAction.CREATE,
            object_type="networks.representation",
            object_id=r.public_id,
            object_repr=str(r.pk),
            parent_type="networks.partner",
            parent_id=partner.public_id,
        )
        for r in reps
    )
    return partner


def one_seat_with_many(network, n: int) -> ConstituencySeat:
    """One seat with `n` assignments and `n` holders one after the other."""
    seat = ConstituencySeat.objects.create(
        network=network, name="Allgemeinbildende Schulen", valid_from=SIGNED
    )
    partners = Partner.objects.bulk_create(
        Partner(network=network, name=f"Schule {i:04d}", valid_from=SIGNED) for i in range(n)
    )
    people = Person.objects.bulk_create(
        Person(network=network, first_name="Vorname", last_name=f"Nachname{i:04d}")
        for i in range(n)
    )
    SeatAssignment.objects.bulk_create(
        SeatAssignment(network=network, seat=seat, partner=p, valid_from=SIGNED) for p in partners
    )
    day = datetime.timedelta(days=1)
    SeatHolding.objects.bulk_create(
        SeatHolding(
            network=network,
            seat=seat,
            person=people[i],
            valid_from=SIGNED + i * day,
            valid_to=SIGNED + i * day,
        )
        for i in range(n)
    )
    return seat


# --- the lists of the network ----------------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_partner_list(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(f"{BASE}/partners", limit=200)
    # then
    assert response.status_code == 200
    assert response.json()["count"] == n
    assert len(response.json()["items"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_partner_list_filtered_on_a_past_day(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(
            f"{BASE}/partners",
            limit=200,
            q="Institution",
            as_of="2015-01-01",
            kind="school_general",
            is_party="true",
            status="all",
        )
    # then
    assert response.json()["count"] == n
    assert response.json()["items"][0]["name"] == "Institution 0000"


@pytest.mark.parametrize("n", SIZES)
def test_person_list(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(f"{BASE}/people", limit=200)
    # then
    assert response.json()["count"] == n
    assert response.json()["items"][0]["organisation_name"] == "Institution 0000"


@pytest.mark.parametrize("n", SIZES)
def test_seat_list(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(5):  # 2 + seats + assignments + holders
        response = signed_in(f"{BASE}/seats")
    # then
    seats = response.json()
    assert len(seats) == n
    assert [a["partner_name"] for a in seats[0]["assignments"]] == ["Institution 0000"]
    assert [h["person_name"] for h in seats[0]["holders"]] == ["Vorname0000 Nachname0000"]


@pytest.mark.parametrize("n", SIZES)
def test_seat_detail_with_all_its_periods(signed_in, network, django_assert_num_queries, n):
    # given
    seat = one_seat_with_many(network, n)
    # when
    with django_assert_num_queries(5):  # 2 + seat + assignments + holders
        response = signed_in(f"{BASE}/seats/{seat.public_id}")
    # then
    assert (len(response.json()["assignments"]), len(response.json()["holders"])) == (n, n)


@pytest.mark.parametrize("n", SIZES)
def test_succession_list(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(3):  # 2 + successions with both partners
        response = signed_in(f"{BASE}/successions")
    # then
    assert len(response.json()) == n
    assert (response.json()[0]["predecessor_name"], response.json()[0]["successor_name"]) == (
        "Vorgänger 0000",
        "Institution 0000",
    )


@pytest.mark.parametrize("n", SIZES)
def test_representations_of_a_partner(signed_in, network, django_assert_num_queries, n):
    # given
    partner = many_for_one_partner(network, n)
    # when
    with django_assert_num_queries(4):  # 2 + partner + representations
        response = signed_in(f"{BASE}/partners/{partner.public_id}/representations")
    # then
    reps = response.json()
    assert len(reps) == n
    assert (reps[0]["institution_name"], reps[0]["person_name"]) == (
        "Schule 0000",
        "Vorname Nachname0000",
    )


@pytest.mark.parametrize("n", SIZES)
def test_network_history(signed_in, network, django_assert_num_queries, n):
    # given
    build(network, n)
    # when
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(f"{BASE}/history", limit=200)
    # then
    assert response.json()["count"] == HistoryEvent.objects.filter(network=network).count()
    assert len(response.json()["items"]) == min(200, response.json()["count"])


@pytest.mark.parametrize("n", SIZES)
def test_record_history(signed_in, network, django_assert_num_queries, n):
    # given
    partner = many_for_one_partner(network, n)
    # when
    with django_assert_num_queries(5):  # 2 + partner + count + page
        response = signed_in(f"{BASE}/partners/{partner.public_id}/history", limit=200)
    # then
    assert response.json()["count"] == n
    assert len(response.json()["items"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_my_tokens(signed_in, coordinator, django_assert_num_queries, n):
    # given
    ApiToken.objects.bulk_create(
        ApiToken(user=coordinator, name=f"Schlüssel {i:04d}", prefix=f"{i:08x}", key_hash="0" * 64)
        for i in range(n)
    )
    # when
    with django_assert_num_queries(2):  # token + list
        response = signed_in("/api/v1/me/tokens")
    # then
    assert len(response.json()) == n + 1
