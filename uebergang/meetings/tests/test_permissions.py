"""Who may do what with meetings and network days: every managing service refuses a member
(403), the coordination office of another network and a signed-in stranger, changing
nothing; the view rules follow the bodies people sit in; one network never reaches
another's records."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from uebergang.bodies import services as body_services
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.permissions import SYSTEM, can
from uebergang.meetings import services
from uebergang.meetings.rules import MEETING_VIEW, NETWORKDAYS_MANAGE, NETWORKDAYS_VIEW
from uebergang.networks.tests.factories import make_partner, make_person

from .factories import (
    days_from_today,
    link_user,
    make_board,
    make_body,
    make_held_meeting,
    make_invited_meeting,
    make_meeting,
    make_network_day,
    upload,
)
from .test_services import refused

NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."


@pytest.fixture
def world(network, settings, tmp_path):
    """One of everything, ready for each service to be called on."""
    settings.MEDIA_ROOT = tmp_path
    w = make_board(network)
    w.planned = make_meeting(w.body)
    w.invited = make_invited_meeting(w, day=days_from_today(20))
    w.item = w.planned.agenda_items.first()
    w.held = make_held_meeting(w)
    w.minutes = services.minutes_save(
        actor=SYSTEM,
        meeting=w.held,
        expected_version=None,
        opening="Eröffnung",
        entries={w.held.agenda_items.first().pk: {"discussion": "Aussprache"}},
    )
    w.entry = w.minutes.entries.get()
    w.task = services.task_add(actor=SYSTEM, entry=w.entry, description="X", owner_text="Y")
    w.decision = services.decision_add(
        actor=SYSTEM, item=w.entry.agenda_item, data={"wording": "Zustimmung"}
    )
    w.later = make_held_meeting(w, day=days_from_today(-5))
    w.document = services.document_add(actor=SYSTEM, meeting=w.planned, upload=upload("a.pdf"))
    w.invitation = w.invited.invitations.get(person=w.carla)
    w.day = make_network_day(network)
    w.past_day = make_network_day(network, day=days_from_today(-3))
    w.ihk_person = make_person(network, "Ida", "Imme", organisation=w.ihk)
    w.registration = services.registration_add(
        actor=SYSTEM, day=w.day, partner=w.ihk, name="Ida Imme"
    )
    return w


@pytest.fixture
def foreign_member(make_user, other_network):
    """A member (not the office) of another network."""
    from uebergang.accounts.services import network_role_grant

    user = make_user("mitglied.anderswo@example.org", name="Amir Anderswo")
    network_role_grant(actor=SYSTEM, network=other_network, user=user, role="member")
    return user


def _calls(w: SimpleNamespace) -> dict:
    """Each managing service, called as `actor` on the world's records."""
    return {
        "meeting_create": lambda a: services.meeting_create(
            actor=a,
            body=w.body,
            data={"title": "X", "starts_at": w.planned.starts_at, "ends_at": w.planned.ends_at},
        ),
        "meeting_update": lambda a: services.meeting_update(
            actor=a, meeting=w.planned, expected_version=None, data={"place": "X"}
        ),
        "meeting_cancel": lambda a: services.meeting_cancel(actor=a, meeting=w.planned),
        "meeting_invite": lambda a: services.meeting_invite(actor=a, meeting=w.planned),
        "invitation_preview": lambda a: services.invitation_preview(actor=a, meeting=w.planned),
        "agenda_item_add": lambda a: services.agenda_item_add(
            actor=a, meeting=w.planned, data={"title": "X"}
        ),
        "agenda_item_update": lambda a: services.agenda_item_update(
            actor=a, item=w.item, expected_version=None, data={"title": "X"}
        ),
        "agenda_item_move": lambda a: services.agenda_item_move(actor=a, item=w.item, position=2),
        "agenda_item_remove": lambda a: services.agenda_item_remove(actor=a, item=w.item),
        "document_add": lambda a: services.document_add(
            actor=a, meeting=w.planned, upload=upload("b.pdf")
        ),
        "document_remove": lambda a: services.document_remove(actor=a, document=w.document),
        "invitation_resend": lambda a: services.invitation_resend(actor=a, invitation=w.invitation),
        "invitation_reply": lambda a: services.invitation_reply(
            actor=a, invitation=w.invitation, reply="attend"
        ),
        "invitation_substitute_once": lambda a: services.invitation_substitute_once(
            actor=a, invitation=w.invitation, person=w.ihk_person
        ),
        "attendance_record": lambda a: services.attendance_record(
            actor=a, meeting=w.held, people=[w.anna]
        ),
        "minutes_save": lambda a: services.minutes_save(
            actor=a, meeting=w.held, expected_version=None, opening="X"
        ),
        "minutes_circulate": lambda a: services.minutes_circulate(actor=a, minutes=w.minutes),
        "minutes_approve": lambda a: services.minutes_approve(
            actor=a, minutes=w.minutes, approved_in=w.later
        ),
        "minutes_correct": lambda a: services.minutes_correct(
            actor=a, minutes=w.minutes, field="opening", text="Y", reason="Z"
        ),
        "decision_add": lambda a: services.decision_add(
            actor=a, item=w.entry.agenda_item, data={"wording": "X"}
        ),
        "decision_update": lambda a: services.decision_update(
            actor=a, decision=w.decision, data={"wording": "Y"}, expected_version=None
        ),
        "decision_remove": lambda a: services.decision_remove(actor=a, decision=w.decision),
        "task_add": lambda a: services.task_add(
            actor=a, entry=w.entry, description="X", owner_text="Y"
        ),
        "task_set_done": lambda a: services.task_set_done(actor=a, task=w.task, done=True),
        "network_day_create": lambda a: make_network_day(w.network, actor=a),
        "network_day_update": lambda a: services.network_day_update(
            actor=a, day=w.day, expected_version=None, data={"place": "X"}
        ),
        "network_day_invite": lambda a: services.network_day_invite(actor=a, day=w.day),
        "network_day_cancel": lambda a: services.network_day_cancel(actor=a, day=w.day),
        "network_day_attendance": lambda a: services.network_day_attendance(
            actor=a, day=w.past_day, attended=[]
        ),
        "registration_add_for_another": lambda a: services.registration_add(
            actor=a, day=w.day, person=w.ihk_person
        ),
        "registration_cancel_of_another": lambda a: services.registration_cancel(
            actor=a, registration=w.registration
        ),
    }


SERVICES = list(_calls(SimpleNamespace()).keys())

# Write services that are not the coordination office's alone: a person acts for
# themselves (rules "invitation.reply", "networkday.register", "calendarfeed.revoke" in
# meetings/rules.py; the refusals for others' records are tested in test_services.py and
# test_calendar_views.py, and above with the "_for_another"/"_of_another" calls). And
# helpers that write nothing.
OWN_OR_OFFICE = {
    "invitation_reply",
    "registration_add",
    "registration_cancel",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "task_follow_up",  # the office, the person or institution responsible (test_follow_up.py)
}
NOT_WRITES = {"invitation_is_late", "can_reply", "check_upload"}


def test_the_table_covers_every_service():
    import inspect

    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_")
    }
    covered = {name.removesuffix("_for_another").removesuffix("_of_another") for name in SERVICES}
    assert public - NOT_WRITES == covered | set(OWN_OR_OFFICE)


@pytest.mark.parametrize("service", SERVICES)
def test_managing_services_refuse_everyone_but_the_coordination_office(
    world, service, member, outsider, foreign_member, stranger
):
    link_user(world.anna, member)  # even a member of the body may not manage it
    for actor in (member, outsider, foreign_member, stranger):
        error = refused(lambda a=actor: _calls(world)[service](a), PermissionDenied)
        assert (error.status, error.code, error.message) == (403, "forbidden", NO_RIGHT)


@pytest.mark.parametrize("service", SERVICES)
def test_the_coordination_office_may(world, service, coordinator):
    """The same calls as the coordination office pass the permission check (they may still
    refuse for a domain reason, never with 403)."""
    try:
        _calls(world)[service](coordinator)
    except PermissionDenied:  # pragma: no cover - the failure case
        pytest.fail(f"{service} refused the coordination office")
    except DomainError:
        pass


# --- view rules ------------------------------------------------------------------------------


def test_meeting_view_follows_the_bodies_people_sit_in(
    network, coordinator, member, outsider, stranger, make_user
):
    from uebergang.accounts.services import network_role_grant

    board = make_board(network)
    meeting = make_meeting(board.body)
    other_body = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    other_meeting = make_meeting(other_body)
    link_user(board.carla, member)
    guest_user = make_user("gast@example.org", name="Gerda Gast")
    network_role_grant(actor=SYSTEM, network=network, user=guest_user, role="member")
    link_user(board.dora, guest_user)

    assert can(coordinator, network, MEETING_VIEW, meeting)
    assert can(coordinator, network, MEETING_VIEW, other_meeting)
    assert can(member, network, MEETING_VIEW, meeting)
    assert not can(member, network, MEETING_VIEW, other_meeting)
    assert can(guest_user, network, MEETING_VIEW, meeting)
    assert not can(outsider, network, MEETING_VIEW, meeting)
    assert not can(stranger, network, MEETING_VIEW, meeting)

    # a guest expert's access ends with the guest period
    body_services.membership_end(
        actor=SYSTEM, membership=board.dora_m, valid_to=days_from_today(-1)
    )
    guest_user.__dict__.pop("_uebergang_roles", None)
    assert not can(guest_user, network, MEETING_VIEW, meeting)


def test_network_day_rules(network, coordinator, member, outsider, stranger):
    assert can(member, network, NETWORKDAYS_VIEW)
    assert not can(member, network, NETWORKDAYS_MANAGE)
    assert can(coordinator, network, NETWORKDAYS_MANAGE)
    for actor in (outsider, stranger):
        assert not can(actor, network, NETWORKDAYS_VIEW)


# --- one network never reaches another's records ----------------------------------------------


def test_the_office_of_another_network_reaches_nothing_here(network, outsider, other_network):
    board = make_board(network)
    meeting = make_meeting(board.body)
    refused(
        lambda: services.agenda_item_add(actor=outsider, meeting=meeting, data={"title": "X"}),
        PermissionDenied,
    )
    refused(
        lambda: services.calendar_feed_create(actor=outsider, network=network, body=board.body),
        PermissionDenied,
    )
    # its own network, but our records given to it
    foreign_body = make_body(other_network, "Beirat Anderswo")
    error = refused(
        lambda: services.calendar_feed_create(
            actor=outsider, network=other_network, body=board.body
        )
    )
    assert error.code == "wrong_network"
    day = make_network_day(other_network)
    error = refused(
        lambda: services.registration_add(
            actor=outsider, day=day, partner=board.ihk, name="Ida Imme"
        )
    )
    assert error.code == "wrong_network"
    foreign_meeting = make_meeting(foreign_body, day=days_from_today(-2))
    error = refused(
        lambda: services.attendance_record(
            actor=outsider, meeting=foreign_meeting, people=[board.anna]
        )
    )
    assert error.code == "wrong_network"
    other_partner = make_partner(other_network, "IHK Anderswo", kind="chamber")
    assert other_partner.network_id != network.pk
