"""The coordination office's board of open topics: where each waits, for how long, its
deadline and what is overdue; filters by body, topic area and state; the page, its htmx
fragment and the API; only the office; a fixed number of queries at 20 and 200 topics."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uebergang.accounts.services import api_token_create
from uebergang.bodies.models import BodySeat
from uebergang.core.permissions import SYSTEM
from uebergang.topics import services
from uebergang.topics.models import Referral, ReferralRole, Statement, Topic, TopicState
from uebergang.topics.tests.factories import add_working_group, make_topic_world, open_topic, refer

DUE = datetime.date(2026, 3, 10)
LATER = datetime.date(2026, 4, 30)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    w = add_working_group(make_topic_world(network, make_user), make_user)
    w.new = open_topic(w, "Praktikumsbörse", topic_area="c")
    w.asked = open_topic(w, "Elternabende", topic_area="i")
    refer(w, w.asked, due=DUE)
    services.statement_save(
        actor=w.u_anna, topic=Topic.objects.get(pk=w.asked.pk), seat=w.ihk_seat, text="Ja."
    )
    w.working = open_topic(w, "Übergabebogen", topic_area="b")
    refer(w, w.working, due=DUE)
    services.topic_refer_to_working_group(
        actor=SYSTEM,
        topic=Topic.objects.get(pk=w.working.pk),
        expected_version=None,
        working_group=w.group,
        mandate="Entwurf.",
        due_date=DUE,
    )
    w.done = open_topic(w, "Erledigt")
    services.topic_withdraw(
        actor=SYSTEM, topic=Topic.objects.get(pk=w.done.pk), expected_version=None, note="Nein."
    )
    return w


def office_client(coordinator) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


def test_the_board_shows_where_each_open_topic_waits_and_what_is_overdue(world, coordinator):
    url = reverse("topics:topic_board", args=[world.network.slug])
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        page = office_client(coordinator).get(url).content.decode()
    assert "3 offene Themen" in page and "Erledigt" not in page
    # overdue first (the working group's mandate and the statements are past 10 March)
    assert page.index("Übergabebogen") < page.index("Praktikumsbörse")
    assert page.index("Elternabende") < page.index("Praktikumsbörse")
    seats = BodySeat.objects.filter(body=world.body, valid_to__isnull=True).count()
    assert f"{seats - 1} Stellungnahmen fehlen" in page
    assert "1 Arbeitsauftrag überfällig" in page
    assert "10.03.2026" in page and "überfällig" in page
    assert "(18 Tagen)" in page  # waiting since 2 March


def test_filters_by_body_area_and_state_and_the_htmx_fragment(world, coordinator):
    client = office_client(coordinator)
    url = reverse("topics:topic_board", args=[world.network.slug])
    page = client.get(url, {"gremium": str(world.group.public_id)}).content.decode()
    assert "1 offenes Thema" in page and "Übergabebogen" in page
    page = client.get(url, {"themenkomplex": "i"}).content.decode()
    assert "Elternabende" in page and "Übergabebogen" not in page
    page = client.get(url, {"stand": "entscheidungsgremium"}).content.decode()
    assert "Praktikumsbörse" in page and "Elternabende" not in page
    # nonsense is ignored, never a 500
    response = client.get(url, {"gremium": "kein-gremium", "stand": "x", "themenkomplex": "?"})
    assert response.status_code == 200 and "3 offene Themen" in response.content.decode()
    fragment = client.get(url, {"themenkomplex": "i"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text and "Elternabende" in text


def test_only_the_office_sees_the_board(world, coordinator):
    url = reverse("topics:topic_board", args=[world.network.slug])
    for user in (world.u_dieter, world.u_anna, world.u_wanda):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 403
        _t, secret = api_token_create(actor=user, name="T")
        response = Client().get(
            f"/api/v1/networks/{world.network.slug}/topics/board",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    lists = Client()
    lists.force_login(world.u_dieter)
    listed = lists.get(reverse("topics:topic_list", args=[world.network.slug])).content.decode()
    assert "Übersicht der Koordinierungsstelle" not in listed
    listed = office_client(coordinator).get(reverse("topics:topic_list", args=[world.network.slug]))
    assert "Übersicht der Koordinierungsstelle" in listed.content.decode()


def test_the_board_through_the_api(world, coordinator):
    _t, secret = api_token_create(actor=coordinator, name="T")
    api = Client(raise_request_exception=False)
    path = f"/api/v1/networks/{world.network.slug}/topics/board"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        body = api.get(path, **auth).json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["overdue"] is True
    by_title = {item["title"]: item for item in body["items"]}
    assert by_title["Übergabebogen"]["mandates_late"] == 1
    assert by_title["Elternabende"]["statements_given"] == 1
    assert by_title["Elternabende"]["past_due"] is True
    assert by_title["Praktikumsbörse"]["due_date"] is None
    assert by_title["Praktikumsbörse"]["overdue"] is False
    body = api.get(path, {"state": "working"}, **auth).json()
    assert [i["title"] for i in body["items"]] == ["Übergabebogen"]
    body = api.get(path, {"body": str(world.group.public_id)}, **auth).json()
    assert [i["title"] for i in body["items"]] == ["Übergabebogen"]
    for query in ({"state": "decided"}, {"body": "nope"}, {"topic_area": "z"}):
        response = api.get(path, query, **auth)
        assert response.status_code == 422, query
        assert set(response.json()) == {"code", "message", "field_errors", "details"}


def _more_topics(world, n: int) -> None:
    """n further open topics, every third with the advisory board and a statement."""
    for i in range(n):
        topic = open_topic(world, f"Thema {i}", topic_area="abcdefghij"[i % 10])
        if i % 3 == 0:
            refer(world, topic, due=DUE)
            services.statement_save(
                actor=world.u_anna,
                topic=Topic.objects.get(pk=topic.pk),
                seat=world.ihk_seat,
                text="Ja.",
            )


@pytest.mark.parametrize("kind", ["page", "api"])
def test_the_board_needs_the_same_queries_at_20_and_200_topics(world, coordinator, kind):
    client = office_client(coordinator)
    if kind == "page":
        url = reverse("topics:topic_board", args=[world.network.slug])
        headers = {}
    else:
        _t, secret = api_token_create(actor=coordinator, name="T")
        url = f"/api/v1/networks/{world.network.slug}/topics/board"
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        client = Client()

    def count() -> int:
        client.get(url, **headers)  # warm whatever a first request warms
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    _more_topics(world, 17)
    assert Topic.objects.filter(state__in=services_open()).count() == 20
    at_20 = count()
    _more_topics(world, 180)
    assert Topic.objects.filter(state__in=services_open()).count() == 200
    assert Statement.objects.count() > 60
    assert Referral.objects.filter(role=ReferralRole.STATEMENTS).count() > 60
    assert count() == at_20


def services_open() -> tuple:
    from uebergang.topics.selectors import OPEN_STATES

    return OPEN_STATES


def test_a_paused_topic_past_its_deadline_is_not_overdue(world, coordinator):
    services.topic_pause(
        actor=SYSTEM, topic=Topic.objects.get(pk=world.asked.pk), expected_version=None
    )
    url = reverse("topics:topic_board", args=[world.network.slug])
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        page = office_client(coordinator).get(url, {"stand": "stellungnahmen"}).content.decode()
    assert "pausiert" in page and "Elternabende" in page
    assert "kern-badge--danger" not in page
    assert Topic.objects.get(pk=world.asked.pk).state == TopicState.STATEMENTS
