"""The journey's writes: what they change and record, and what they refuse (changing
nothing)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.topics import services
from uebergang.topics.models import Referral, Statement, Topic, TopicState
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

TODAY = datetime.date(2026, 3, 2)
DUE = datetime.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    return make_topic_world(network, make_user)


def rows() -> list:
    found = []
    for model in (Topic, Referral, Statement):
        found += [(model.__name__, r.pk, r.version) for r in model.all_objects.order_by("pk")]
    return found + [HistoryEvent.objects.count()]


def test_a_member_of_the_decision_board_opens_a_topic(world):
    topic = open_topic(world, topic_area="b", reason="Die Schulen fragen danach.")
    assert topic.state == TopicState.BOARD
    assert topic.body == world.board == topic.origin
    assert topic.opened_by == world.dieter
    assert topic.on_behalf is False
    event = HistoryEvent.objects.get(object_id=topic.public_id)
    assert event.action == "create"
    assert event.actor == world.u_dieter
    assert event.changes["title"] == [None, "Gemeinsamer Übergabebogen"]


def test_the_office_opens_on_the_boards_behalf(world, coordinator):
    topic = services.topic_open(
        actor=coordinator, network=world.network, data={"title": "Elternabende"}
    )
    assert topic.on_behalf is True
    assert HistoryEvent.objects.get(object_id=topic.public_id).message == (
        "im Auftrag des Entscheidungsgremiums eingebracht"
    )


def test_a_member_outside_the_decision_board_may_not_open(world):
    before = rows()
    with pytest.raises(PermissionDenied):
        services.topic_open(actor=world.u_anna, network=world.network, data={"title": "X"})
    assert rows() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "T", "topic_area": "z"}, "topic_area"),
        ({"title": "x" * 201}, "title"),
        ({"title": "T", "description": "x" * 20_001}, "description"),
    ],
)
def test_bad_input_is_refused_with_a_message(world, data, field):
    before = rows()
    with pytest.raises(DomainError) as error:
        services.topic_open(actor=world.u_dieter, network=world.network, data=data)
    assert field in error.value.field_errors
    assert rows() == before


def test_the_hand_over_freezes_what_was_handed_over(world, coordinator):
    topic = open_topic(world)
    referral = services.topic_refer_to_advisory_board(
        actor=coordinator, topic=topic, expected_version=topic.version, due_date=DUE, note="Bitte"
    )
    topic.refresh_from_db()
    assert topic.state == TopicState.STATEMENTS and topic.body == world.body
    assert (referral.from_body, referral.to_body, referral.number) == (world.board, world.body, 1)
    assert referral.snapshot_title == "Gemeinsamer Übergabebogen"
    # when: the topic's text changes later (it cannot while with the board; directly here)
    Topic.objects.filter(pk=topic.pk).update(title="Neu", description="Anders")
    referral.refresh_from_db()
    # then
    assert (referral.snapshot_title, referral.snapshot_description) == (
        "Gemeinsamer Übergabebogen",
        "Ein Bogen für alle Schulen.",
    )
    kinds = list(
        HistoryEvent.objects.filter(parent_id=topic.public_id).values_list("object_type", flat=True)
    )
    assert kinds == ["topics.referral"]


def test_only_the_office_hands_over(world):
    topic = open_topic(world)
    before = rows()
    with pytest.raises(PermissionDenied):
        refer(world, topic, due=DUE, actor=world.u_dieter)
    assert rows() == before


def test_a_deadline_in_the_past_is_refused(world):
    topic = open_topic(world)
    before = rows()
    with pytest.raises(DomainError, match="nicht vor heute"):
        refer(world, topic, due=TODAY - datetime.timedelta(days=1))
    assert rows() == before


def test_a_stale_version_is_a_conflict(world, coordinator):
    topic = open_topic(world)
    stale = topic.version
    services.topic_update(
        actor=world.u_dieter, topic=topic, expected_version=stale, data={"reason": "Bedarf"}
    )
    before = rows()
    with pytest.raises(Conflict):
        services.topic_refer_to_advisory_board(
            actor=coordinator, topic=topic, expected_version=stale, due_date=DUE
        )
    assert rows() == before


def test_statements_one_per_seat_by_who_speaks_for_it(world, coordinator):
    topic = open_topic(world)
    refer(world, topic, due=DUE)
    # Anna sits on the IHK seat; Carla holds the schools seat as its member
    anna = services.statement_save(
        actor=world.u_anna, topic=topic, seat=world.ihk_seat, text="Die IHK unterstützt das."
    )
    assert anna.author == world.anna and anna.by_office is False
    # Anna may not write for the Agentur's seat
    before = rows()
    with pytest.raises(PermissionDenied):
        services.statement_save(
            actor=world.u_anna, topic=topic, seat=world.agentur_seat, text="Nein"
        )
    assert rows() == before
    # a second statement for the same seat without the version: conflict, nothing changed
    with pytest.raises(Conflict):
        services.statement_save(actor=world.u_anna, topic=topic, seat=world.ihk_seat, text="2")
    assert rows() == before
    # with the version, it changes
    changed = services.statement_save(
        actor=world.u_anna,
        topic=topic,
        seat=world.ihk_seat,
        text="Die IHK unterstützt das ausdrücklich.",
        expected_version=anna.version,
    )
    assert changed.version == anna.version + 1
    # the office records one on behalf
    office = services.statement_save(
        actor=coordinator, topic=topic, seat=world.agentur_seat, text="Per E-Mail erhalten."
    )
    assert office.by_office is True
    events = HistoryEvent.objects.filter(object_type="topics.statement")
    assert {e.parent_id for e in events} == {topic.public_id}
    assert [e.action for e in events.order_by("pk")] == ["create", "update", "create"]


def test_no_statement_before_the_hand_over_or_for_another_bodys_seat(world):
    topic = open_topic(world)
    before = rows()
    with pytest.raises(DomainError, match="Stellungnahme abgeben"):
        services.statement_save(actor=SYSTEM, topic=topic, seat=world.ihk_seat, text="Zu früh")
    refer(world, topic, due=DUE)
    before = rows()
    with pytest.raises(DomainError) as error:
        services.statement_save(actor=SYSTEM, topic=topic, seat=world.kreis_seat, text="X")
    assert "seat" in error.value.field_errors
    assert rows() == before


def test_pause_resume_and_withdraw(world, coordinator):
    topic = open_topic(world)
    refer(world, topic, due=DUE)
    topic = services.topic_pause(actor=coordinator, topic=topic, expected_version=None)
    assert topic.paused_at is not None
    with pytest.raises(DomainError, match="Möglich ist: fortsetzen, zurückziehen"):
        services.statement_save(actor=SYSTEM, topic=topic, seat=world.ihk_seat, text="X")
    topic = services.topic_resume(actor=coordinator, topic=topic, expected_version=None)
    assert topic.paused_at is None
    before = rows()
    with pytest.raises(DomainError, match="warum"):
        services.topic_withdraw(actor=coordinator, topic=topic, expected_version=None, note=" ")
    assert rows() == before
    topic = services.topic_withdraw(
        actor=coordinator, topic=topic, expected_version=None, note="Hat sich erledigt."
    )
    assert topic.state == TopicState.WITHDRAWN
    assert Referral.objects.get(topic=topic).closed_at is not None
    with pytest.raises(DomainError, match="abgeschlossen"):
        services.topic_resume(actor=coordinator, topic=topic, expected_version=None)


def test_only_the_opener_or_the_office_edits(world, coordinator):
    topic = open_topic(world)
    before = rows()
    with pytest.raises(PermissionDenied):
        services.topic_update(
            actor=world.u_anna, topic=topic, expected_version=None, data={"title": "X"}
        )
    assert rows() == before
    services.topic_update(
        actor=coordinator, topic=topic, expected_version=None, data={"title": "Y"}
    )
    assert Topic.objects.get(pk=topic.pk).title == "Y"
