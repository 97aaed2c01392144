"""Every registry an app plugs into refuses a second, different registration of a name."""

from __future__ import annotations

import pytest

from uebergang.core import demo, exchange, panels, permissions
from uebergang.core.permissions import NETWORK_VIEW
from uebergang.meetings.rules import INVITATION_REPLY


def test_a_permission_or_relation_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        permissions.register_rule(NETWORK_VIEW, lambda access, obj: True)
    with pytest.raises(ValueError, match="registered twice"):
        permissions.register_relation("represents", lambda user, network, obj: True)


def test_an_exchange_part_is_registered_once():
    exchange.registered_parts()
    with pytest.raises(ValueError, match="registered twice"):
        exchange.register_part("networks", 10, lambda n, c: {}, lambda s, c: None)


def test_a_demo_part_is_registered_once():
    names = [part.name for part in demo.demo_parts()]
    assert names == ["networks", "bodies", "meetings", "topics"]
    with pytest.raises(ValueError, match="registered twice"):
        demo.register_demo_part("networks", 10, lambda build: None)


def test_a_panel_is_registered_once():
    assert [p.name for p in panels.panels_for(_body_model())] == ["meetings", "topics"]
    with pytest.raises(ValueError, match="registered twice"):
        panels.register_panel(_body_model(), "meetings", 10, lambda request, obj: "")


def test_the_demo_story_moves_by_whole_weeks():
    import datetime

    assert demo.story_shift(demo.STORY_DAY) == datetime.timedelta(0)
    assert demo.story_shift(demo.STORY_DAY + datetime.timedelta(days=6)) == datetime.timedelta(0)
    assert demo.story_shift(demo.STORY_DAY + datetime.timedelta(days=400)) == datetime.timedelta(
        weeks=57
    )


def _body_model():
    from django.apps import apps

    return apps.get_model("bodies", "Body")


# --- relations answer for one record and, as a scope, for many -------------------------------


@pytest.fixture
def seated(network, member):
    from types import SimpleNamespace

    from uebergang.meetings.tests.factories import (
        link_user,
        make_board,
        make_body,
        make_invited_meeting,
    )

    board = make_board(network)
    other = SimpleNamespace(body=make_body(network, "Elternarbeit", "working_group"))
    link_user(board.anna, member)
    meeting = make_invited_meeting(board)
    return board, other, meeting


def test_sitting_in_a_body_as_a_yes_and_as_a_scope(seated, member, network):
    board, other, _meeting = seated
    access = permissions.access_for(member, network)
    assert list(access.scope("sits_in_body")) == [board.body]
    assert access.related("sits_in_body", board.body) is True
    assert access.related("sits_in_body", other.body) is False


def test_one_s_own_invitation_as_a_yes_and_as_a_scope(seated, member, network):
    from uebergang.meetings.models import Invitation

    board, _other, meeting = seated
    access = permissions.access_for(member, network)
    mine = Invitation.objects.get(meeting=meeting, person=board.anna)
    theirs = Invitation.objects.filter(meeting=meeting, kind="invitee").exclude(pk=mine.pk)
    assert list(access.scope("own_invitation")) == [mine]
    assert access.related("own_invitation", mine) is True
    assert [access.related("own_invitation", i) for i in theirs] == [False] * theirs.count()
    assert permissions.can(member, network, INVITATION_REPLY, mine) is True
    assert permissions.can(member, network, INVITATION_REPLY, theirs.first()) is False


def test_nobody_signed_in_stands_in_no_relation(network):
    from django.contrib.auth.models import AnonymousUser

    access = permissions.access_for(AnonymousUser(), network)
    assert list(access.scope("sits_in_body")) == []
    assert list(access.scope("own_invitation")) == []


def test_a_permission_is_named_by_its_constant_not_by_a_string(network):
    with pytest.raises(TypeError, match="constant"):
        permissions.can(permissions.SYSTEM, network, "network.view")
    assert permissions.registered_permissions()["network.view"] is NETWORK_VIEW


def test_the_system_actor_passes_the_offices_rules_and_stands_in_no_relation(network):
    access = permissions.access_for(permissions.SYSTEM, network)
    assert access.is_coordination and not access.signed_in
    assert permissions.can(permissions.SYSTEM, network, permissions.NETWORK_MANAGE)
    assert access.related("own_invitation", None) is False


def test_a_synthetic_part_is_registered_once():
    from uebergang.core import synthetic

    [part, *_] = synthetic.synthetic_parts()
    with pytest.raises(ValueError, match="registered twice"):
        synthetic.register_synthetic_part(part.name, part.order, lambda build: None)


def test_the_yes_of_sitting_in_a_body_is_the_answer_of_its_scope(network, other_network, member):
    """`sits_in_body` has its own prepared yes/no (bodies.rules.sits_in_body): it must agree
    with the scope for current, ended, future and guest memberships, a deleted person, and
    bodies of another network."""
    import datetime

    from django.utils import timezone

    from uebergang.bodies.models import Membership
    from uebergang.bodies.tests.factories import add_member, add_seat, make_board, make_body
    from uebergang.networks.models import Person
    from uebergang.networks.tests.factories import link_user, make_partner, make_person

    board = make_board(network)
    link_user(board.anna, member)
    today = timezone.localdate()
    ended = make_body(network, "Ehemalige AG", "working_group")
    future = make_body(network, "Künftige AG", "working_group")
    guest = make_body(network, "Gast-AG", "working_group")
    none = make_body(network, "Fremde AG", "working_group")
    yesterday = today - datetime.timedelta(days=1)
    add_member(ended, board.anna, seat=add_seat(ended, partner=board.ihk), valid_to=yesterday)
    tomorrow = today + datetime.timedelta(days=1)
    add_member(future, board.anna, seat=add_seat(future, partner=board.ihk), valid_from=tomorrow)
    add_member(guest, board.anna, "guest")
    foreign = make_body(other_network, "Beirat", "advisory_board")
    seat = add_seat(foreign, partner=make_partner(other_network, "IHK"))
    add_member(foreign, make_person(other_network, "Anna", "Alt"), seat=seat)
    bodies = [board.body, ended, future, guest, none, foreign]

    def answers():
        access = permissions.access_for(member, network)
        scope = set(access.scope("sits_in_body"))
        return [(b.name, access.related("sits_in_body", b), b in scope) for b in bodies]

    assert [yes for _, yes, _ in answers()] == [True, False, False, True, False, False]
    assert all(yes == in_scope for _, yes, in_scope in answers())
    Person.objects.filter(pk=board.anna.pk).update(deleted_at=timezone.now())
    assert all(not yes and not in_scope for _, yes, in_scope in answers())
    assert Membership.objects.filter(person=board.anna).count() == 4
