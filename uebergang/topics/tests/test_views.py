"""The topics' pages: who sees which topic, the journey through the forms, the work queue,
and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uebergang.core.permissions import SYSTEM, access_for
from uebergang.core.workqueue import collect
from uebergang.topics import services
from uebergang.topics.models import Statement, Topic, TopicState
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

DUE = datetime.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    return make_topic_world(network, make_user)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name, network, *args):
    return reverse(f"topics:{name}", args=[network.slug, *args])


def test_the_journey_through_the_forms(world, coordinator):
    office, dieter, anna = (
        client_for(coordinator),
        client_for(world.u_dieter),
        client_for(world.u_anna),
    )
    net = world.network
    # Dieter brings a topic in
    response = dieter.post(
        url("topic_open", net),
        {
            "board": world.board.public_id,
            "title": "Elternabende zur Berufsorientierung",
            "topic_area": "i",
        },
    )
    topic = Topic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("topic_detail", net, topic.public_id)
    # the office hands it over
    page = office.get(url("topic_detail", net, topic.public_id)).content.decode()
    assert "An den Beirat weitergeben" in page
    response = office.post(
        url("topic_refer", net, topic.public_id),
        {
            "advisory_board": world.body.public_id,
            "due_date": "2026-03-30",
            "version": topic.version,
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.state == TopicState.STATEMENTS
    # Anna sees her seat's statement to give, in the page and in her work queue
    page = anna.get(url("topic_detail", net, topic.public_id)).content.decode()
    assert "0 von 4 Sitzen haben Stellung genommen." in page
    link = url("statement_edit", net, topic.public_id) + f"?sitz={world.ihk_seat.public_id}"
    assert link in page
    assert f"?sitz={world.agentur_seat.public_id}" not in page
    items = collect(access_for(world.u_anna, net), datetime.date(2026, 3, 2))
    assert [(i.code, i.record_label, i.due) for i in items if i.code.startswith("topics.")] == [
        ("topics.statement", "Elternabende zur Berufsorientierung", DUE)
    ]
    # she gives it
    response = anna.post(link, {"text": "Die IHK bringt Ausbildungsbotschafter mit."})
    assert response.status_code == 302
    assert Statement.objects.get().author == world.anna
    page = anna.get(url("topic_detail", net, topic.public_id)).content.decode()
    assert "1 von 4 Sitzen haben Stellung genommen." in page
    assert "Ausbildungsbotschafter" in page
    items = collect(access_for(world.u_anna, net), datetime.date(2026, 3, 2))
    assert [i for i in items if i.code.startswith("topics.")] == []
    # an empty statement is refused with a message, nothing changes
    response = anna.post(link, {"text": " ", "version": Statement.objects.get().version})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    # after the deadline the office is told
    items = collect(access_for(coordinator, net), datetime.date(2026, 4, 1))
    assert [(i.code, i.note) for i in items if i.code.startswith("topics.")] == [
        ("topics.statements_late", "1 Stellungnahmen liegen vor")
    ]


def test_who_sees_which_topic(world, coordinator, make_user, member):
    net = world.network
    topic = open_topic(world)
    secret = open_topic(world, "Vertrauliches", confidential=True)
    # before the hand-over: the decision board's member and the office see both
    assert (
        client_for(world.u_dieter).get(url("topic_detail", net, topic.public_id)).status_code == 200
    )
    assert (
        client_for(world.u_anna).get(url("topic_detail", net, topic.public_id)).status_code == 403
    )
    refer(world, topic, due=DUE)
    refer(world, secret, due=DUE)
    anna = client_for(world.u_anna)
    dieter = client_for(world.u_dieter)
    # after: the advisory board sees both; the decision board still the open one, not the
    # confidential one that moved on
    assert anna.get(url("topic_detail", net, topic.public_id)).status_code == 200
    assert anna.get(url("topic_detail", net, secret.public_id)).status_code == 200
    assert dieter.get(url("topic_detail", net, topic.public_id)).status_code == 200
    assert dieter.get(url("topic_detail", net, secret.public_id)).status_code == 403
    listing = dieter.get(url("topic_list", net)).content.decode()
    assert "Gemeinsamer Übergabebogen" in listing and "Vertrauliches" not in listing
    # a member in no body sees none, and no statement form
    nobody = client_for(member)
    assert "Keine Themen." in nobody.get(url("topic_list", net)).content.decode()
    assert nobody.get(url("topic_detail", net, topic.public_id)).status_code == 403
    seat_form = url("statement_edit", net, topic.public_id) + f"?sitz={world.ihk_seat.public_id}"
    assert nobody.get(seat_form).status_code == 403
    assert client_for(world.u_carla).get(seat_form).status_code == 403
    # the history of the topic follows the same rule
    hist = url("topic_history", net, secret.public_id)
    assert dieter.get(hist).status_code == 403
    assert anna.get(hist).status_code == 200
    assert client_for(coordinator).get(hist).status_code == 200


def test_another_network_sees_nothing(world, outsider):
    topic = open_topic(world)
    c = client_for(outsider)
    assert c.get(url("topic_detail", world.network, topic.public_id)).status_code == 404
    assert c.get(url("topic_list", world.network)).status_code == 404


def test_the_office_withdraws_with_a_reason(world, coordinator):
    topic = open_topic(world)
    office = client_for(coordinator)
    response = office.post(url("topic_withdraw", world.network, topic.public_id), {"note": ""})
    assert response.status_code == 200
    assert Topic.objects.get().state == TopicState.BOARD
    response = office.post(
        url("topic_withdraw", world.network, topic.public_id), {"note": "Erledigt."}
    )
    assert response.status_code == 302
    page = office.get(url("topic_detail", world.network, topic.public_id)).content.decode()
    assert "zurückgezogen: Erledigt." in page
    # a member may not
    dieter = client_for(world.u_dieter)
    assert dieter.get(url("topic_pause", world.network, topic.public_id)).status_code == 403


def _many(world, n):
    for i in range(n):
        topic = open_topic(world, f"Thema {i}")
        if i % 2:
            refer(world, topic, due=DUE)
            services.statement_save(
                actor=SYSTEM, topic=topic, seat=world.ihk_seat, text=f"Stellungnahme {i}"
            )


def _count(client, path, django_assert_max_num_queries, captured):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    captured.append(len(ctx.captured_queries))


@pytest.mark.parametrize("who", ["office", "member"])
def test_list_and_page_queries_do_not_grow_with_the_topics(world, coordinator, who, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    user = coordinator if who == "office" else world.u_anna
    c = client_for(user)
    counts = []
    for n in (5, 40):
        _many(world, n if not counts else n - 5)
        topic = Topic.objects.filter(state=TopicState.STATEMENTS).order_by("pk").last()
        _count(c, url("topic_list", world.network), None, counts)
        _count(c, url("topic_detail", world.network, topic.public_id), None, counts)
        _count(c, reverse("networks:start", args=[world.network.slug]), None, counts)
    assert counts[:3] == counts[3:]
    assert re.search("Thema", c.get(url("topic_list", world.network)).content.decode())


def test_the_body_page_lists_the_topics_that_wait_with_it(world, coordinator):
    net = world.network
    topic = open_topic(world, "Elternabende")
    secret = open_topic(world, "Vertraulich", confidential=True)
    refer(world, topic, due=DUE)
    body_page = reverse("bodies:body_detail", args=[net.slug, world.body.public_id])
    board_page = reverse("bodies:body_detail", args=[net.slug, world.board.public_id])
    office = client_for(coordinator).get(body_page).content.decode()
    assert "Themen in Arbeit" in office and "Elternabende" in office
    assert "Frist 30.03.2026" in office
    # the board still holds the confidential one: its member sees it there, not Anna
    dieter = client_for(world.u_dieter).get(board_page).content.decode()
    assert "Vertraulich" in dieter
    anna = client_for(world.u_anna).get(body_page).content.decode()
    assert "Elternabende" in anna and "Vertraulich" not in anna
    assert secret.body == world.board
