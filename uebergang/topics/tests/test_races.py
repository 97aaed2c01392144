"""Two people move the same topic at the same moment. On PostgreSQL the services lock the
topic's row and check the version and the journey under the lock, so exactly one move wins
and the other is refused with a clear error; nothing is handed over twice. Runs in CI's
PostgreSQL pass (method: `uebergang/core/tests/test_races.py`)."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from uebergang.core.errors import Conflict, DomainError
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.core.tests.test_races import race, split
from uebergang.topics import services
from uebergang.topics.models import Referral, Statement, Topic, TopicState
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

PAUSE = 0.3


def _slow_lock(monkeypatch) -> None:
    real = services.lock

    def lock_and_pause(obj: Any) -> Any:
        locked = real(obj)
        time.sleep(PAUSE)
        return locked

    monkeypatch.setattr(services, "lock", lock_and_pause)


def _due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=21)


def test_two_hand_overs_at_once_one_wins(network, make_user, monkeypatch):
    world = make_topic_world(network, make_user)
    topic = open_topic(world)
    version = topic.version
    _slow_lock(monkeypatch)

    def hand_over():
        return services.topic_refer_to_advisory_board(
            actor=SYSTEM,
            topic=Topic.objects.get(pk=topic.pk),
            expected_version=version,
            due_date=_due(),
        )

    wins, losses = split(race(hand_over, hand_over))
    assert len(wins) == 1 and len(losses) == 1
    assert isinstance(losses[0], Conflict)
    assert Referral.objects.filter(topic=topic).count() == 1
    assert Topic.objects.get(pk=topic.pk).state == TopicState.STATEMENTS
    assert HistoryEvent.objects.filter(object_type="topics.referral").count() == 1


def test_two_hand_overs_without_a_version_one_is_refused_by_the_journey(
    network, make_user, monkeypatch
):
    world = make_topic_world(network, make_user)
    topic = open_topic(world)
    _slow_lock(monkeypatch)

    def hand_over():
        return refer(world, Topic.objects.get(pk=topic.pk), due=_due())

    wins, losses = split(race(hand_over, hand_over))
    assert len(wins) == 1 and len(losses) == 1
    assert isinstance(losses[0], DomainError)
    assert losses[0].code == "invalid_transition"
    assert Referral.objects.filter(topic=topic).count() == 1


def test_two_first_statements_for_one_seat_one_wins(network, make_user, monkeypatch):
    world = make_topic_world(network, make_user)
    topic = open_topic(world)
    refer(world, topic, due=_due())
    _slow_lock(monkeypatch)

    def write(text: str):
        return lambda: services.statement_save(
            actor=SYSTEM, topic=Topic.objects.get(pk=topic.pk), seat=world.ihk_seat, text=text
        )

    wins, losses = split(race(write("Erste"), write("Zweite")))
    assert len(wins) == 1 and len(losses) == 1
    assert isinstance(losses[0], Conflict)
    assert Statement.objects.filter(seat=world.ihk_seat).count() == 1
    assert Statement.objects.get().text == wins[0].text


def test_a_withdrawal_and_a_statement_at_once(network, make_user, monkeypatch):
    world = make_topic_world(network, make_user)
    topic = open_topic(world)
    refer(world, topic, due=_due())
    _slow_lock(monkeypatch)

    def withdraw():
        return services.topic_withdraw(
            actor=SYSTEM, topic=Topic.objects.get(pk=topic.pk), expected_version=None, note="Ende"
        )

    def statement():
        return services.statement_save(
            actor=SYSTEM, topic=Topic.objects.get(pk=topic.pk), seat=world.ihk_seat, text="Spät"
        )

    outcomes = race(withdraw, statement)
    # the withdrawal always goes through; the statement either came first or is refused
    assert outcomes[0][0] == "ok"
    assert Topic.objects.get(pk=topic.pk).state == TopicState.WITHDRAWN
    if outcomes[1][0] == "error":
        assert outcomes[1][1].code == "invalid_transition"
        assert not Statement.objects.exists()
    else:
        assert Statement.objects.count() == 1


def test_two_decisions_at_once_one_wins(network, make_user, monkeypatch):
    world = make_topic_world(network, make_user)
    topic = open_topic(world)
    refer(world, topic, due=_due())
    services.topic_skip_working_groups(
        actor=SYSTEM, topic=Topic.objects.get(pk=topic.pk), expected_version=None, note="Klar."
    )
    services.topic_recommend(
        actor=SYSTEM,
        topic=Topic.objects.get(pk=topic.pk),
        expected_version=None,
        recommendation="Einführen.",
    )
    version = Topic.objects.get(pk=topic.pk).version
    _slow_lock(monkeypatch)

    def decide(outcome: str):
        return lambda: services.topic_decide(
            actor=SYSTEM,
            topic=Topic.objects.get(pk=topic.pk),
            expected_version=version,
            outcome=outcome,
            text="Noch einmal beraten." if outcome == "sent_back" else "",
        )

    wins, losses = split(race(decide("adopted"), decide("sent_back")))
    assert len(wins) == 1 and len(losses) == 1
    assert isinstance(losses[0], Conflict)
    decided = Referral.objects.get(topic=topic, role="decision")
    fresh = Topic.objects.get(pk=topic.pk)
    assert decided.outcome in ("adopted", "sent_back")
    assert (fresh.state, fresh.round) == (
        ("decided", 1) if decided.outcome == "adopted" else ("board", 2)
    )
