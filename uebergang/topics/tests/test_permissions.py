"""Who may do what with topics, per role, through the services (the pages and the API ask
the same rules): allowed moves work, refused ones raise and change nothing. The rules of
the app are all covered here (`test_every_rule_of_the_app_is_tested`)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from uebergang.core.errors import PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import access_for, can, registered_permissions
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_person
from uebergang.topics import rules, services
from uebergang.topics.models import Referral, Statement, Topic
from uebergang.topics.tests.factories import _account, make_topic_world, open_topic, refer

START = datetime.date(2014, 1, 1)
DUE = datetime.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user, coordinator, member, outsider):
    w = make_topic_world(network, make_user)
    w.office, w.nobody, w.outsider = coordinator, member, outsider
    # the IHK's representative (not on the seat) and the schools seat's holder
    w.rita = make_person(network, "Rita", "Repräsentantin")
    network_services.representation_create(
        actor=w.office, partner=w.ihk, person=w.rita, valid_from=START
    )
    w.u_rita = _account(w, make_user, w.rita, "rita@example.org")
    w.hugo = make_person(network, "Hugo", "Halter")
    network_services.seat_holding_create(
        actor=w.office, seat=w.schools, person=w.hugo, valid_from=START
    )
    w.u_hugo = _account(w, make_user, w.hugo, "hugo@example.org")
    return w


def snapshot() -> list:
    rows = []
    for model in (Topic, Referral, Statement):
        rows += [(model.__name__, r.pk, r.version) for r in model.all_objects.order_by("pk")]
    return [*rows, HistoryEvent.objects.count()]


def user(world, who):
    return {
        "office": world.office,
        "board member": world.u_dieter,
        "advisory member": world.u_anna,
        "representative": world.u_rita,
        "seat holder": world.u_hugo,
        "member in no body": world.nobody,
        "other network": world.outsider,
    }[who]


ROLES = [
    "office",
    "board member",
    "advisory member",
    "representative",
    "seat holder",
    "member in no body",
    "other network",
]

# (action, roles allowed)
OPEN = {"office", "board member"}
EDIT = {"office", "board member"}  # the board member opened the topic
MANAGE = {"office"}
IHK_STATEMENT = {"office", "advisory member", "representative"}
SCHOOLS_STATEMENT = {"office", "seat holder"}


def _attempt(world, who, action, topic):
    actor = user(world, who)
    if action == "open":
        return services.topic_open(actor=actor, network=world.network, data={"title": "Neu"})
    if action == "edit":
        return services.topic_update(
            actor=actor, topic=topic, expected_version=None, data={"reason": "Bedarf"}
        )
    if action == "refer":
        return services.topic_refer_to_advisory_board(
            actor=actor, topic=topic, expected_version=None, due_date=DUE
        )
    if action == "pause":
        return services.topic_pause(actor=actor, topic=topic, expected_version=None)
    if action == "withdraw":
        return services.topic_withdraw(
            actor=actor, topic=topic, expected_version=None, note="Erledigt"
        )
    seat = world.ihk_seat if action == "ihk statement" else world.schools_seat
    return services.statement_save(actor=actor, topic=topic, seat=seat, text="Unsere Sicht")


ALLOWED = {
    "open": OPEN,
    "edit": EDIT,
    "refer": MANAGE,
    "pause": MANAGE,
    "withdraw": MANAGE,
    "ihk statement": IHK_STATEMENT,
    "schools statement": SCHOOLS_STATEMENT,
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_each_role_may_do_what_its_rule_says(world, who, action):
    topic = open_topic(world)
    if action.endswith("statement"):
        refer(world, topic, due=DUE)
    before = snapshot()
    if who in ALLOWED[action]:
        assert _attempt(world, who, action, topic) is not None
        assert snapshot() != before
    else:
        with pytest.raises(PermissionDenied):
            _attempt(world, who, action, topic)
        assert snapshot() == before


VIEW_BEFORE = {"office", "board member"}
# Anna sits in the advisory board; Rita and Hugo speak for seats in it
VIEW_AFTER = {"office", "board member", "advisory member", "representative", "seat holder"}


@pytest.mark.parametrize("who", ROLES)
def test_who_sees_the_topic_before_and_after_the_hand_over(world, who):
    topic = open_topic(world)
    secret = open_topic(world, "Vertraulich", confidential=True)
    actor = user(world, who)

    def sees(t):
        access = access_for(actor, world.network)
        return can(access, world.network, rules.TOPIC_VIEW, t)

    assert sees(topic) is (who in VIEW_BEFORE)
    assert sees(secret) is (who in VIEW_BEFORE)
    refer(world, topic, due=DUE)
    refer(world, secret, due=DUE)
    assert sees(Topic.objects.get(pk=topic.pk)) is (who in VIEW_AFTER)
    # a confidential topic: only the body it waits with (and the office)
    assert sees(Topic.objects.get(pk=secret.pk)) is (
        who in {"office", "advisory member", "representative", "seat holder"}
    )


def test_every_rule_of_the_app_is_tested():
    names = {name for name in registered_permissions() if name.startswith("topic")}
    assert names == {
        "topics.list",
        "topic.view",
        "topic.open",
        "topic.edit",
        "topic.manage",
        "topic.statement",
        "topic.result",
    }
