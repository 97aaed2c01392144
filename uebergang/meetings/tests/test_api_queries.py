"""The number of database queries of every list endpoint of the meetings API does not grow
with its data: each is asked for with 5 and with 200 rows and must need exactly the same
number.

Every request signs in with a personal API token: 1 query for the token with its user, then
1 for the role with its network (2 in all); the rest is the endpoint's own, noted at each
number. The rows are written directly (bulk), so that the numbers depend on nothing but the
endpoint."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from uebergang.accounts.models import ApiToken
from uebergang.accounts.services import api_token_create
from uebergang.bodies import services as body_services
from uebergang.core.permissions import SYSTEM
from uebergang.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Document,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    NetworkDay,
    Registration,
)
from uebergang.networks.models import Partner, Person

from .factories import BERLIN, link_user, make_body

SIZES = [5, 200]
BASE = "/api/v1/networks/osterode"


def _client(user):
    _token, secret = api_token_create(actor=user, name="Zählung")
    ApiToken.objects.filter(user=user).update(last_used_at=timezone.now())
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    return lambda path, **query: client.get(path, query, **headers)


@pytest.fixture
def signed_in(coordinator):
    """The coordination office's client, its token already used (no write of last_used_at)."""
    return _client(coordinator)


def start(i: int) -> datetime.datetime:
    return datetime.datetime(2020, 1, 1, 16, tzinfo=BERLIN) + datetime.timedelta(days=i)


def meetings(body, n: int) -> list[Meeting]:
    """`n` meetings of `body`, each with two agenda items."""
    rows = Meeting.objects.bulk_create(
        Meeting(
            network=body.network,
            body=body,
            title=f"Sitzung {i:04d}",
            starts_at=start(i),
            ends_at=start(i) + datetime.timedelta(hours=2),
            state=MeetingState.HELD,
        )
        for i in range(n)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(network=body.network, meeting=m, position=p, title=f"TOP {p}")
        for m in rows
        for p in (1, 2)
    )
    return rows


def partners_and_people(network, n: int) -> tuple[list[Partner], list[Person]]:
    partners = Partner.objects.bulk_create(
        Partner(network=network, name=f"Institution {i:04d}", valid_from=datetime.date(2014, 1, 1))
        for i in range(n)
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
    return partners, people


@pytest.mark.parametrize("n", SIZES)
def test_meeting_list(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    meetings(body, n)
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(f"{BASE}/meetings", limit=200)
    assert response.json()["count"] == n
    assert response.json()["items"][0]["item_count"] == 2


@pytest.mark.parametrize("n", SIZES)
def test_meeting_list_of_a_member(network, member, django_assert_num_queries, n):
    body = make_body(network)
    meetings(body, n)
    _partners, people = partners_and_people(network, 1)
    body_services.membership_add(
        actor=SYSTEM,
        body=body,
        person=link_user(people[0], member),
        role="guest",
        valid_from=datetime.date(2014, 1, 1),
    )
    get = _client(member)
    with django_assert_num_queries(4):  # 2 + count + page (own bodies as a subquery)
        response = get(f"{BASE}/meetings", limit=200, upcoming="false")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_body_meeting_list(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    meetings(body, n)
    with django_assert_num_queries(5):  # 2 + body + count + page
        response = signed_in(f"{BASE}/bodies/{body.public_id}/meetings", limit=200)
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_invitation_list(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    (meeting,) = meetings(body, 1)
    partners, people = partners_and_people(network, n)
    Invitation.objects.bulk_create(
        Invitation(
            network=network,
            meeting=meeting,
            person=people[i],
            partner=partners[i],
            name=str(people[i]),
        )
        for i in range(n)
    )
    with django_assert_num_queries(5):  # 2 + meeting + count + page
        response = signed_in(f"{BASE}/meetings/{meeting.public_id}/invitations", limit=200)
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_document_list(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    (meeting,) = meetings(body, 1)
    item = meeting.agenda_items.first()
    Document.objects.bulk_create(
        Document(
            network=network,
            meeting=meeting,
            agenda_item=item if i % 2 else None,
            title=f"Vorlage {i:04d}",
            file=f"documents/2020/01/{i:04d}.pdf",
            file_name=f"vorlage-{i}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
        )
        for i in range(n)
    )
    with django_assert_num_queries(5):  # 2 + meeting + count + page
        response = signed_in(f"{BASE}/meetings/{meeting.public_id}/documents", limit=200)
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_network_day_list(signed_in, network, django_assert_num_queries, n):
    NetworkDay.objects.bulk_create(
        NetworkDay(
            network=network,
            title=f"Netzwerktag {i:04d}",
            starts_at=start(i),
            ends_at=start(i) + datetime.timedelta(hours=6),
        )
        for i in range(n)
    )
    with django_assert_num_queries(4):  # 2 + count + page
        response = signed_in(f"{BASE}/network-days", limit=200)
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_registration_list(signed_in, network, django_assert_num_queries, n):
    day = NetworkDay.objects.create(
        network=network, title="Netzwerktag", starts_at=start(0), ends_at=start(1)
    )
    partners, people = partners_and_people(network, n)
    Registration.objects.bulk_create(
        Registration(
            network=network,
            network_day=day,
            partner=partners[i],
            person=people[i],
            name=str(people[i]),
        )
        for i in range(n)
    )
    with django_assert_num_queries(5):  # 2 + day + count + page
        response = signed_in(f"{BASE}/network-days/{day.public_id}/registrations", limit=200)
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_participation(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    (meeting,) = meetings(body, 1)
    partners, people = partners_and_people(network, n)
    Attendance.objects.bulk_create(
        Attendance(network=network, meeting=meeting, person=people[i], partner=partners[i])
        for i in range(n)
    )
    day = NetworkDay.objects.create(
        network=network, title="Netzwerktag", starts_at=start(0), ends_at=start(1)
    )
    Registration.objects.bulk_create(
        Registration(
            network=network,
            network_day=day,
            partner=partners[i],
            person=people[i],
            name=str(people[i]),
            attended=True,
        )
        for i in range(n)
    )
    # 2 + meetings attended + network days + partners + what they could have attended
    # (meetings through own and constituency seats, network days held)
    with django_assert_num_queries(8):
        response = signed_in(f"{BASE}/participation", limit=200)
    data = response.json()
    assert data["count"] == n
    assert data["items"][0]["years"] == [
        {
            "year": 2020,
            "advisory_board": 1,
            "advisory_board_of": 1,
            "advisory_board_rate": 100,
            "working_group": 0,
            "working_group_of": 0,
            "working_group_rate": None,
            "network_day": 1,
            "network_day_of": 1,
            "network_day_rate": 100,
        }
    ]


def _decisions(body, meeting, n: int) -> None:
    items = list(meeting.agenda_items.all())
    Decision.objects.bulk_create(
        Decision(
            network=body.network,
            agenda_item=items[i % len(items)],
            body=body,
            year=2020,
            number=i + 1,
            wording=f"Beschluss {i:04d}",
            outcome="adopted",
            unanimous=True,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", SIZES)
def test_decision_list(signed_in, network, django_assert_num_queries, n):
    body = make_body(network)
    (meeting,) = meetings(body, 1)
    _decisions(body, meeting, n)
    with django_assert_num_queries(4):  # 2 + meeting + decisions (body, item, meeting joined)
        response = signed_in(f"{BASE}/meetings/{meeting.public_id}/decisions")
    assert len(response.json()) == n


@pytest.mark.parametrize("n", SIZES)
def test_decision_list_of_a_member(network, member, django_assert_num_queries, n):
    body = make_body(network)
    (meeting,) = meetings(body, 1)
    _decisions(body, meeting, n)
    _partners, people = partners_and_people(network, 1)
    body_services.membership_add(
        actor=SYSTEM,
        body=body,
        person=link_user(people[0], member),
        role="guest",
        valid_from=datetime.date(2014, 1, 1),
    )
    Minutes.objects.create(network=network, meeting=meeting, state="circulated")
    get = _client(member)
    # 2 + meeting + may the member see it (bodies sat in) + minutes circulated + decisions
    with django_assert_num_queries(6):
        response = get(f"{BASE}/meetings/{meeting.public_id}/decisions")
    assert len(response.json()) == n
