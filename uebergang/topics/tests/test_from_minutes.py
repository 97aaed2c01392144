"""A decision on a topic's agenda item becomes the body's outcome on the topic once the
minutes are approved: the advisory board's decision is its recommendation (the topic goes
to the decision board), the decision board's decision ends the journey. Only where it is
unambiguous; otherwise the topic waits for the office."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import Meeting, MinutesEntry
from uebergang.topics import services
from uebergang.topics.models import Referral, Topic
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=BERLIN)


def meeting_of(body, month: int, day: int, title: str):
    return meeting_services.meeting_create(
        actor=SYSTEM,
        body=body,
        data={"title": title, "starts_at": at(month, day, 16), "ends_at": at(month, day, 18)},
    )


@pytest.fixture
def world(network, make_user):
    with time_machine.travel(at(3, 2), tick=False):
        w = make_topic_world(network, make_user)
        w.topic = open_topic(w)
        refer(w, w.topic, due=datetime.date(2026, 3, 30))
        services.topic_skip_working_groups(
            actor=SYSTEM, topic=fresh(w), expected_version=None, note="Keine AG nötig."
        )
        w.beirat_march = meeting_of(w.body, 3, 20, "Beirat im März")
        w.beirat_april = meeting_of(w.body, 4, 17, "Beirat im April")
        w.board_april = meeting_of(w.board, 4, 10, "Entscheidungsgremium im April")
        w.board_may = meeting_of(w.board, 5, 8, "Entscheidungsgremium im Mai")
    return w


def fresh(world) -> Topic:
    return Topic.objects.select_related("network", "body", "origin").get(pk=world.topic.pk)


def decide_in(meeting, link, people, *decisions) -> None:
    """The meeting is held: attendance, minutes with the decisions on the topic's item,
    circulated."""
    meeting_services.attendance_record(actor=SYSTEM, meeting=meeting, people=people)
    minutes = meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        entries={link.agenda_item.pk: {"discussion": "Aussprache"}},
    )
    for wording, outcome in decisions:
        meeting_services.decision_add(
            actor=SYSTEM, item=link.agenda_item, data={"wording": wording, "outcome": outcome}
        )
    meeting_services.minutes_circulate(actor=SYSTEM, minutes=minutes)


def approve(meeting, later, people) -> None:
    """The minutes are approved at `later`, held (as the factories hold a meeting)."""
    Meeting.objects.filter(pk=later.pk).update(state="held")
    later = Meeting.objects.get(pk=later.pk)
    meeting_services.minutes_approve(
        actor=SYSTEM,
        minutes=MinutesEntry.objects.filter(minutes__meeting=meeting).first().minutes,
        approved_in=later,
    )


def test_the_recommendation_and_the_decision_come_from_approved_minutes(world):
    with time_machine.travel(at(3, 3), tick=False):
        link = services.topic_put_on_agenda(
            actor=SYSTEM, topic=fresh(world), meeting=world.beirat_march
        )
    with time_machine.travel(at(3, 21), tick=False):
        decide_in(
            world.beirat_march, link, [world.anna], ("Der Beirat empfiehlt den Bogen.", "adopted")
        )
        assert fresh(world).state == "recommendation"  # provisional until approved
    with time_machine.travel(at(4, 18), tick=False):
        approve(world.beirat_march, world.beirat_april, [world.anna])
    topic = fresh(world)
    assert (topic.state, topic.body) == ("decision", world.board)
    recommendation = Referral.objects.get(topic=topic, role="recommendation")
    assert recommendation.result == "Der Beirat empfiehlt den Bogen."
    handed = Referral.objects.get(topic=topic, role="decision")
    assert "Beschluss BR 2026/01" in handed.note
    assert HistoryEvent.objects.filter(object_id=topic.public_id, actor_name="System").exists()

    # the decision board's decision in May, approved a meeting later
    with time_machine.travel(at(4, 19), tick=False):
        board_june = meeting_of(world.board, 6, 5, "Entscheidungsgremium im Juni")
        link = services.topic_put_on_agenda(
            actor=SYSTEM, topic=fresh(world), meeting=world.board_may
        )
    with time_machine.travel(at(5, 9), tick=False):
        decide_in(world.board_may, link, [world.dieter], ("Der Bogen wird eingeführt.", "adopted"))
    with time_machine.travel(at(6, 6), tick=False):
        approve(world.board_may, board_june, [world.dieter])
    topic = fresh(world)
    assert (topic.state, topic.outcome) == ("decided", "adopted")
    decision = Referral.objects.get(topic=topic, role="decision")
    assert decision.result.startswith("Der Bogen wird eingeführt.")
    assert decision.outcome == "adopted"


@pytest.mark.parametrize(
    "decisions",
    [
        [("Vertagt auf die nächste Sitzung.", "postponed")],
        [("Erster Teil.", "adopted"), ("Zweiter Teil.", "adopted")],
    ],
    ids=["postponed", "two decisions"],
)
def test_nothing_is_taken_over_where_it_is_not_clear(world, decisions):
    with time_machine.travel(at(3, 3), tick=False):
        link = services.topic_put_on_agenda(
            actor=SYSTEM, topic=fresh(world), meeting=world.beirat_march
        )
    with time_machine.travel(at(3, 21), tick=False):
        decide_in(world.beirat_march, link, [world.anna], *decisions)
    with time_machine.travel(at(4, 18), tick=False):
        approve(world.beirat_march, world.beirat_april, [world.anna])
    assert fresh(world).state == "recommendation"


def test_a_paused_topic_waits(world):
    with time_machine.travel(at(3, 3), tick=False):
        link = services.topic_put_on_agenda(
            actor=SYSTEM, topic=fresh(world), meeting=world.beirat_march
        )
        services.topic_pause(actor=SYSTEM, topic=fresh(world), expected_version=None, note="Halt.")
    with time_machine.travel(at(3, 21), tick=False):
        decide_in(world.beirat_march, link, [world.anna], ("Empfohlen.", "adopted"))
    with time_machine.travel(at(4, 18), tick=False):
        approve(world.beirat_march, world.beirat_april, [world.anna])
    topic = fresh(world)
    assert topic.state == "recommendation" and topic.paused_at is not None
