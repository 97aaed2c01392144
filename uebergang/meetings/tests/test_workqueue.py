"""The work queue's providers of meetings and the network day (`meetings/workqueue.py`): given
the data, the exact items; who sees which (a member only their own, never the office's; other
networks nothing); the start page, the office's overview and the API; and query counts that
do not grow with the data (5 and 200 items).

Every date is relative to `timezone.localdate()`; `today` is passed explicitly."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from uebergang.accounts.models import ApiToken
from uebergang.accounts.services import api_token_create
from uebergang.core import workqueue
from uebergang.core.permissions import SYSTEM, member_access
from uebergang.core.workqueue import DANGER, INFO, OFFICE, WARNING, WorkItem
from uebergang.meetings import services
from uebergang.meetings import workqueue as providers
from uebergang.meetings.models import (
    ActionItem,
    Delivery,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingState,
    Minutes,
    MinutesEntry,
    NetworkDay,
    NetworkDayInvitation,
    Reply,
)

from .factories import (
    at,
    days_from_today,
    link_user,
    make_board,
    make_held_meeting,
    make_invited_meeting,
    make_meeting,
    make_network_day,
)

pytestmark = pytest.mark.clock

SLUG = "osterode"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def anna(board, member):
    """The member's person: Anna Alt, member of the board on the IHK seat."""
    return link_user(board.anna, member)


@pytest.fixture
def bernd_user(make_user, network, board):
    """Another member: Bernd Berger, Anna's substitute."""
    from uebergang.accounts.services import network_role_grant

    user = make_user("bernd@example.org", name="Bernd Berger")
    network_role_grant(actor=SYSTEM, network=network, user=user, role="member")
    link_user(board.bernd, user)
    return user


def access_of(user):
    return member_access(user, SLUG)


def items_of(provider, user, today) -> list[WorkItem]:
    return list(provider(access_of(user), today))


def url(name: str, *args) -> str:
    return reverse(name, args=[SLUG, *args])


def invitation_of(meeting, person) -> Invitation:
    return Invitation.objects.get(meeting=meeting, person=person)


def reply(meeting, person, answer: str) -> None:
    services.invitation_reply(actor=SYSTEM, invitation=invitation_of(meeting, person), reply=answer)


def minutes_entry(board, meeting) -> MinutesEntry:
    """The minutes of a held meeting with one entry (for its first agenda item)."""
    item = meeting.agenda_items.order_by("position").first()
    services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        entries={item.public_id: {"discussion": "Bericht"}},
    )
    return MinutesEntry.objects.get(minutes__meeting=meeting)


def add_task(entry, description: str, owner=None, due=None, owner_text: str = "") -> ActionItem:
    return services.task_add(
        actor=SYSTEM,
        entry=entry,
        description=description,
        owner=owner,
        owner_text=owner_text,
        due=due,
    )


# --- for a person: invitations without reply -------------------------------------------------


def test_an_unanswered_invitation_to_a_meeting_ahead_is_a_reply_item(board, anna, member, today):
    # given
    meeting = make_invited_meeting(board, day=days_from_today(10))
    # when
    items = items_of(providers.invitation_replies, member, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.invitation_reply",
            title="Auf die Einladung antworten",
            record_kind="meeting",
            record_id=meeting.public_id,
            record_label=str(meeting),
            url=url("meetings:invitation_reply", invitation_of(meeting, anna).public_id),
            due=meeting.starts_at,
            severity=INFO,
            note="Ihre Antwort: noch keine",
        )
    ]


def test_a_reply_due_within_three_days_is_a_warning(board, anna, member, today):
    # given
    make_invited_meeting(board, day=days_from_today(3))
    # when
    items = items_of(providers.invitation_replies, member, today)
    # then
    assert [i.severity for i in items] == [WARNING]


def test_the_network_s_reply_deadline_is_the_reply_item_s_due_day(
    board, anna, member, network, today
):
    # given: answers are due a week before each meeting
    from uebergang.core.netsettings import network_settings_update

    network_settings_update(
        actor=SYSTEM,
        network=network,
        values={"meetings.reply_deadline_days": 7},
        expected=None,
    )
    make_invited_meeting(board, day=days_from_today(9))
    # when
    items = items_of(providers.invitation_replies, member, today)
    # then: due in two days, so it warns already
    assert [(i.due, i.severity, i.note) for i in items] == [
        (
            days_from_today(2),
            WARNING,
            "Ihre Antwort: noch keine; Antwortfrist der Koordinierungsstelle",
        )
    ]


def test_answered_past_and_other_peoples_invitations_are_no_reply_items(
    board, anna, member, bernd_user, today
):
    # given: answered, over, not yet invited, cancelled – and Bernd's own invitation
    answered = make_invited_meeting(board, day=days_from_today(10), title="Beantwortet")
    reply(answered, anna, Reply.DECLINE)
    make_invited_meeting(board, day=days_from_today(-2), title="Vorbei")
    make_meeting(board.body, day=days_from_today(12), title="Nur geplant")
    cancelled = make_invited_meeting(board, day=days_from_today(14), title="Abgesagt")
    services.meeting_cancel(actor=SYSTEM, meeting=cancelled, reason="Krankheit")
    # when
    mine = items_of(providers.invitation_replies, member, today)
    bernds = items_of(providers.invitation_replies, bernd_user, today)
    # then
    assert mine == []
    assert [i.url for i in bernds] == [
        url("meetings:invitation_reply", invitation_of(answered, board.bernd).public_id)
    ]


def test_no_reply_item_once_the_person_left_the_body(board, anna, member, today):
    # given: Anna's membership ended yesterday (she may no longer see the meeting)
    from uebergang.bodies import services as body_services

    make_invited_meeting(board, day=days_from_today(10))
    body_services.membership_end(
        actor=SYSTEM, membership=board.anna_m, valid_to=today - datetime.timedelta(days=1)
    )
    # when
    items = items_of(providers.invitation_replies, member, today)
    # then
    assert items == []


# --- for a person: next meetings, tasks, network day -----------------------------------------


def test_my_next_meetings_are_those_i_attend(board, anna, member, today):
    # given
    attend = make_invited_meeting(board, day=days_from_today(5), title="Zugesagt")
    reply(attend, anna, Reply.ATTEND)
    declined = make_invited_meeting(board, day=days_from_today(6), title="Abgesagt")
    reply(declined, anna, Reply.DECLINE)
    # when
    items = items_of(providers.next_meetings, member, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.next_meeting",
            title="An der Sitzung teilnehmen",
            record_kind="meeting",
            record_id=attend.public_id,
            record_label=str(attend),
            url=url("meetings:meeting_detail", attend.public_id),
            due=attend.starts_at,
            severity=INFO,
            note="Ihre Antwort: nimmt teil · Kreishaus Osterode, Raum 101",
        )
    ]


def test_my_next_meetings_are_at_most_five(board, anna, member, today):
    # given
    meetings = [
        make_invited_meeting(board, day=days_from_today(d), title=f"Sitzung {d}")
        for d in range(2, 9)
    ]
    for meeting in meetings:
        reply(meeting, anna, Reply.ATTEND)
    # when
    items = items_of(providers.next_meetings, member, today)
    # then
    assert [i.record_id for i in items] == [m.public_id for m in meetings[:5]]


def test_my_open_tasks_from_the_minutes(board, anna, member, today):
    # given
    meeting = make_held_meeting(board)
    entry = minutes_entry(board, meeting)
    late = add_task(
        entry, "Liste der Praktikumsplätze schicken", anna, today - datetime.timedelta(1)
    )
    later = add_task(entry, "Termin mit der IHK abstimmen", anna, today + datetime.timedelta(9))
    undated = add_task(entry, "Flyer entwerfen", anna)
    done = add_task(entry, "Raum buchen", anna, today)
    services.task_set_done(actor=SYSTEM, task=done, done=True)
    add_task(entry, "Protokoll gegenlesen", board.emil, today)
    add_task(entry, "Presse informieren", owner_text="Pressestelle")
    # when
    items = items_of(providers.my_tasks, member, today)
    # then
    note = f"aus: {meeting}"
    assert items == [
        WorkItem(
            code="meetings.task",
            title="Aufgabe aus dem Protokoll erledigen",
            record_kind="task",
            record_id=task.public_id,
            record_label=task.description,
            url=url("meetings:task_detail", task.public_id),
            due=task.due,
            severity=severity,
            note=note,
        )
        # overdue: red; due within 14 days and not in progress: at risk; later: info
        for task, severity in ((late, DANGER), (later, WARNING), (undated, INFO))
    ]


def test_an_open_network_day_i_am_not_registered_for(network, anna, member, today):
    # given
    day = make_network_day(network, registration_until=days_from_today(20))
    # when
    items = items_of(providers.network_day_registration, member, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.network_day_registration",
            title="Zum Netzwerktag anmelden",
            record_kind="network_day",
            record_id=day.public_id,
            record_label=str(day),
            url=url("networkdays:registration_add", day.public_id),
            due=days_from_today(20),
            severity=INFO,
        )
    ]


def test_no_network_day_item_when_registered_past_the_deadline_or_unlisted(
    network, board, anna, member, make_user, today
):
    # given
    registered = make_network_day(network, title="Angemeldet", day=days_from_today(40))
    services.registration_add(actor=SYSTEM, day=registered, partner=board.ihk, person=anna)
    make_network_day(network, title="Frist vorbei", registration_until=days_from_today(-1))
    make_network_day(network, title="Vorbei", day=days_from_today(-5))
    soon = make_network_day(network, title="Bald", registration_until=days_from_today(2))
    # a member without a person in the directory cannot register themselves
    from uebergang.accounts.services import network_role_grant

    unlisted = make_user("ohne@example.org")
    network_role_grant(actor=SYSTEM, network=network, user=unlisted, role="member")
    # when
    mine = items_of(providers.network_day_registration, member, today)
    theirs = items_of(providers.network_day_registration, unlisted, today)
    # then
    assert [(i.record_id, i.due, i.severity) for i in mine] == [
        (soon.public_id, days_from_today(2), WARNING)
    ]
    assert theirs == []


# --- for the coordination office -------------------------------------------------------------


def test_minutes_to_write_circulate_and_approve(board, coordinator, today):
    # given
    to_write = make_held_meeting(board, day=days_from_today(-30), title="Ohne Protokoll")
    to_circulate = make_held_meeting(board, day=days_from_today(-20), title="Entwurf")
    minutes_entry(board, to_circulate)
    to_approve = make_held_meeting(board, day=days_from_today(-10), title="Versandt")
    minutes_entry(board, to_approve)
    services.minutes_circulate(actor=SYSTEM, minutes=Minutes.objects.get(meeting=to_approve))
    # when
    items = items_of(providers.minutes_to_do, coordinator, today)
    # then
    assert [(i.code, i.title, i.record_id, i.url, i.audience) for i in items] == [
        (
            "meetings.minutes_write",
            "Protokoll schreiben",
            to_write.public_id,
            url("meetings:minutes_edit", to_write.public_id),
            OFFICE,
        ),
        (
            "meetings.minutes_circulate",
            "Protokoll versenden",
            to_circulate.public_id,
            url("meetings:meeting_minutes", to_circulate.public_id),
            OFFICE,
        ),
        (
            "meetings.minutes_approve",
            "Protokoll genehmigen lassen",
            to_approve.public_id,
            url("meetings:minutes_approve", to_approve.public_id),
            OFFICE,
        ),
    ]
    assert {(i.due, i.severity) for i in items} == {(None, INFO)}


def test_approved_minutes_are_no_item(board, coordinator, today):
    # given
    first = make_held_meeting(board, day=days_from_today(-30), title="Erste")
    minutes_entry(board, first)
    minutes = Minutes.objects.get(meeting=first)
    services.minutes_circulate(actor=SYSTEM, minutes=minutes)
    second = make_held_meeting(board, day=days_from_today(-1), title="Zweite")
    services.minutes_approve(actor=SYSTEM, minutes=minutes, approved_in=second)
    # when
    items = items_of(providers.minutes_to_do, coordinator, today)
    # then: only the second meeting's minutes are still to be written
    assert [(i.code, i.record_id) for i in items] == [("meetings.minutes_write", second.public_id)]


def test_failed_deliveries_of_meetings_and_network_days_ahead(network, board, coordinator, today):
    # given
    meeting = make_invited_meeting(board, day=days_from_today(8))
    Invitation.objects.filter(meeting=meeting, person__in=[board.anna, board.carla]).update(
        delivery=Delivery.FAILED
    )
    past = make_invited_meeting(board, day=days_from_today(-8), title="Vorbei")
    Invitation.objects.filter(meeting=past).update(delivery=Delivery.FAILED)
    day = make_network_day(network)
    services.network_day_invite(actor=SYSTEM, day=day)
    NetworkDayInvitation.objects.filter(network_day=day, partner=board.ihk).update(
        delivery=Delivery.FAILED
    )
    # when
    items = items_of(providers.failed_deliveries, coordinator, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.delivery_failed",
            title="Einladung erneut senden",
            record_kind="meeting",
            record_id=meeting.public_id,
            record_label=str(meeting),
            url=url("meetings:meeting_invitations", meeting.public_id),
            due=meeting.starts_at,
            severity=DANGER,
            audience=OFFICE,
            note="2 Einladungen nicht zugestellt",
        ),
        WorkItem(
            code="meetings.network_day_delivery_failed",
            title="Einladung zum Netzwerktag prüfen",
            record_kind="network_day",
            record_id=day.public_id,
            record_label=str(day),
            url=url("networkdays:networkday_detail", day.public_id),
            due=day.starts_at,
            severity=DANGER,
            audience=OFFICE,
            note="1 Einladung nicht zugestellt",
        ),
    ]


def test_invitations_due_inside_the_invitation_period(board, coordinator, today):
    # given: the board invites 14 days ahead
    overdue = make_meeting(board.body, day=days_from_today(10), title="Frist vorbei")
    due_today = make_meeting(board.body, day=days_from_today(14), title="Frist heute")
    make_meeting(board.body, day=days_from_today(15), title="Noch Zeit")
    make_invited_meeting(board, day=days_from_today(12), title="Schon eingeladen")
    # when
    items = items_of(providers.invitations_due, coordinator, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.invitation_due",
            title="Einladung versenden",
            record_kind="meeting",
            record_id=m.public_id,
            record_label=str(m),
            url=url("meetings:meeting_invite", m.public_id),
            due=due,
            severity=severity,
            audience=OFFICE,
            note="Einladungsfrist: 14 Tage",
        )
        for m, due, severity in (
            (overdue, days_from_today(-4), DANGER),
            (due_today, today, WARNING),
        )
    ]


def test_quorum_at_risk_from_the_replies(board, coordinator, today):
    # given: 3 voting seats, majority → 2 needed
    at_risk = make_invited_meeting(board, day=days_from_today(10), title="Gefährdet")
    reply(at_risk, board.anna, Reply.ATTEND)
    reply(at_risk, board.gustav, Reply.ATTEND)  # a seat without a vote
    safe = make_invited_meeting(board, day=days_from_today(11), title="Gesichert")
    reply(safe, board.anna, Reply.SUBSTITUTE)
    reply(safe, board.carla, Reply.ATTEND)
    # when
    items = items_of(providers.quorum_at_risk, coordinator, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.quorum_at_risk",
            title="Beschlussfähigkeit gefährdet",
            record_kind="meeting",
            record_id=at_risk.public_id,
            record_label=str(at_risk),
            url=url("meetings:meeting_invitations", at_risk.public_id),
            due=at_risk.starts_at,
            severity=WARNING,
            audience=OFFICE,
            note="1 von 2 nötigen stimmberechtigten Sitzen zugesagt",
        )
    ]


def test_no_quorum_item_for_a_body_without_a_quorum_rule(network, coordinator, today):
    # given
    board = make_board(network, name="Arbeitskreis", kind="working_group", quorum_rule="none")
    make_invited_meeting(board, day=days_from_today(10))
    # when
    items = items_of(providers.quorum_at_risk, coordinator, today)
    # then
    assert items == []


def test_overdue_tasks_of_anyone(board, coordinator, today):
    # given
    meeting = make_held_meeting(board)
    entry = minutes_entry(board, meeting)
    late = add_task(entry, "Liste schicken", board.anna, today - datetime.timedelta(days=3))
    text_owner = add_task(
        entry, "Presse informieren", owner_text="Pressestelle", due=today - datetime.timedelta(1)
    )
    add_task(entry, "Heute fällig", board.emil, today)
    done = add_task(entry, "Erledigt", board.emil, today - datetime.timedelta(days=5))
    services.task_set_done(actor=SYSTEM, task=done, done=True)
    # when
    items = items_of(providers.overdue_tasks, coordinator, today)
    # then
    assert [(i.code, i.record_id, i.due, i.severity, i.audience, i.note) for i in items] == [
        (
            "meetings.task_overdue",
            late.public_id,
            late.due,
            DANGER,
            OFFICE,
            "zuständig: Anna Alt",
        ),
        (
            "meetings.task_overdue",
            text_owner.public_id,
            text_owner.due,
            DANGER,
            OFFICE,
            "zuständig: Pressestelle",
        ),
    ]


def test_an_office_person_gets_their_own_tasks_and_everyone_s_overdue_ones_in_one_query(
    board, coordinator, today, django_assert_num_queries
):
    # given: the office's user is Emil in the registry and owns a task
    link_user(board.emil, coordinator)
    meeting = make_held_meeting(board)
    entry = minutes_entry(board, meeting)
    mine = add_task(entry, "Raum buchen", board.emil, today + datetime.timedelta(days=2))
    my_late = add_task(entry, "Protokoll gegenlesen", board.emil, today - datetime.timedelta(1))
    late = add_task(entry, "Liste schicken", board.anna, today - datetime.timedelta(days=3))
    add_task(entry, "Später", board.anna, today + datetime.timedelta(days=3))
    registry = workqueue.Registry()
    registry.register("meetings.my_tasks", providers.my_tasks)
    registry.register("meetings.overdue_tasks", providers.overdue_tasks)
    access = access_of(coordinator)
    # when
    with django_assert_num_queries(1):
        items = registry.collect(access, today)
    # then
    assert sorted((i.code, i.record_id) for i in items) == sorted(
        [
            ("meetings.task", my_late.public_id),
            ("meetings.task", mine.public_id),
            ("meetings.task_overdue", late.public_id),
            ("meetings.task_overdue", my_late.public_id),
        ]
    )


def test_replies_missing_in_the_seven_days_before_a_meeting(board, coordinator, today):
    # given: 7 people are invited to each meeting
    soon = make_invited_meeting(board, day=days_from_today(7), title="In einer Woche")
    reply(soon, board.anna, Reply.ATTEND)
    make_invited_meeting(board, day=days_from_today(8), title="In acht Tagen")
    complete = make_invited_meeting(board, day=days_from_today(2), title="Alle geantwortet")
    for name in ("anna", "bernd", "carla", "emil", "gustav", "dora", "frieda"):
        reply(complete, getattr(board, name), Reply.ATTEND)
    # when
    items = items_of(providers.replies_missing, coordinator, today)
    # then
    assert items == [
        WorkItem(
            code="meetings.replies_missing",
            title="Fehlende Antworten nachfragen",
            record_kind="meeting",
            record_id=soon.public_id,
            record_label=str(soon),
            url=url("meetings:meeting_invitations", soon.public_id),
            due=soon.starts_at,
            severity=WARNING,
            audience=OFFICE,
            note="6 Antworten fehlen",
        )
    ]


# --- who sees what ---------------------------------------------------------------------------


@pytest.fixture
def busy(network, board, anna, today):
    """Something for everyone: an invitation without replies soon (Anna's and Bernd's), a
    task for Anna and one for Bernd, both overdue, minutes to write, a planned meeting due
    for invitation."""
    meeting = make_invited_meeting(board, day=days_from_today(5), title="Bald")
    held = make_held_meeting(board, day=days_from_today(-40), title="Gehalten")
    entry = minutes_entry(board, held)
    add_task(entry, "Annas Aufgabe", board.anna, today - datetime.timedelta(days=1))
    add_task(entry, "Bernds Aufgabe", board.bernd, today - datetime.timedelta(days=1))
    make_held_meeting(board, day=days_from_today(-10), title="Ohne Protokoll")
    make_meeting(board.body, day=days_from_today(9), title="Zu planen")
    return meeting


def test_a_member_sees_only_their_own_items(busy, member, bernd_user, anna, today):
    # when
    mine = workqueue.collect(access_of(member), today)
    bernds = workqueue.collect(access_of(bernd_user), today)
    # then
    assert [(i.code, i.record_label) for i in mine] == [
        ("meetings.task", "Annas Aufgabe"),
        ("meetings.invitation_reply", str(busy)),
    ]
    assert [(i.code, i.record_label) for i in bernds] == [
        ("meetings.task", "Bernds Aufgabe"),
        ("meetings.invitation_reply", str(busy)),
    ]
    assert {i.audience for i in mine + bernds} == {"person"}
    assert [i.provider for i in mine] == ["meetings.my_tasks", "meetings.invitation_replies"]


def test_the_office_sees_its_items(busy, coordinator, today):
    # when
    items = workqueue.collect(access_of(coordinator), today)
    # then
    codes = [(i.code, i.record_label) for i in items]
    assert codes == [
        ("meetings.invitation_due", str(Meeting.objects.get(title="Zu planen"))),
        ("meetings.task_overdue", "Annas Aufgabe"),
        ("meetings.task_overdue", "Bernds Aufgabe"),
        ("meetings.quorum_at_risk", str(busy)),
        ("meetings.replies_missing", str(busy)),
        # without a due date: by what is to be done
        ("meetings.minutes_write", str(Meeting.objects.get(title="Ohne Protokoll"))),
        ("meetings.minutes_circulate", str(Meeting.objects.get(title="Gehalten"))),
    ]
    assert {i.audience for i in items} == {OFFICE}


def test_the_start_page_shows_my_tasks_first(busy, member_client, anna):
    # when
    response = member_client.get(url("networks:start"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    reply_url = url("meetings:invitation_reply", invitation_of(busy, anna).public_id)
    assert body.index('id="h-aufgaben">Meine Aufgaben</h2>') < body.index(
        'id="h-netzwerk">Über das Netzwerk</h2>'
    )
    assert f'<a class="kern-link" href="{reply_url}">Auf die Einladung antworten' in body
    assert "Annas Aufgabe" in body
    assert "Bernds Aufgabe" not in body
    assert "Protokoll schreiben" not in body
    assert [r.item.code for r in response.context["own_rows"]] == [
        "meetings.task",
        "meetings.invitation_reply",
    ]
    assert response.context["office_rows"] == []


def test_the_start_page_says_so_when_there_is_nothing_to_do(network, member_client):
    # when
    response = member_client.get(url("networks:start"))
    # then
    assert "Sie haben gerade nichts zu erledigen." in response.content.decode()


def test_the_office_start_page_points_to_its_overview(busy, coordinator_client):
    # when
    response = coordinator_client.get(url("networks:start"))
    # then
    assert "7 Aufgaben der Koordinierungsstelle in der Übersicht" in response.content.decode()


def test_the_overview_is_the_office_queue_with_the_counters(busy, coordinator_client):
    # when
    response = coordinator_client.get(url("networks:dashboard"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aufgaben der Koordinierungsstelle</h2>" in body
    assert "Protokoll schreiben" in body
    assert "Überfällige Aufgabe nachhalten" in body
    assert "aktive Kooperationspartner" in body
    assert len(response.context["office_rows"]) == 7
    assert [r.badge for r in response.context["office_rows"][:2]] == [DANGER, DANGER]


def test_a_member_cannot_open_the_overview(busy, member_client):
    assert member_client.get(url("networks:dashboard")).status_code == 403


def test_another_networks_user_gets_404(busy, client, outsider, stranger):
    for user in (outsider, stranger):
        client.force_login(user)
        assert client.get(url("networks:start")).status_code == 404
        response = client.get(f"/api/v1/networks/{SLUG}/queue")
        assert response.status_code == 404
        error = response.json()
        assert (error["code"], error["message"]) == ("not_found", "Dieses Netzwerk gibt es nicht.")


# --- the API ---------------------------------------------------------------------------------


def test_the_api_returns_my_queue(busy, member_client, anna, today):
    # when
    response = member_client.get(f"/api/v1/networks/{SLUG}/queue")
    # then
    assert response.status_code == 200
    reply_url = url("meetings:invitation_reply", invitation_of(busy, anna).public_id)
    task = ActionItem.objects.get(description="Annas Aufgabe")
    held = Meeting.objects.get(title="Gehalten")
    yesterday = today - datetime.timedelta(days=1)
    assert response.json() == {
        "count": 2,
        "today": today.isoformat(),
        "items": [
            {
                "code": "meetings.task",
                "provider": "meetings.my_tasks",
                "audience": "person",
                "severity": "danger",
                "title": "Aufgabe aus dem Protokoll erledigen",
                "note": f"aus: {held}",
                "record": {"kind": "task", "id": str(task.public_id), "label": "Annas Aufgabe"},
                "due": yesterday.isoformat(),
                "due_day": yesterday.isoformat(),
                "overdue": True,
                "url": "http://testserver" + url("meetings:task_detail", task.public_id),
            },
            {
                "code": "meetings.invitation_reply",
                "provider": "meetings.invitation_replies",
                "audience": "person",
                "severity": "info",
                "title": "Auf die Einladung antworten",
                "note": "Ihre Antwort: noch keine",
                "record": {"kind": "meeting", "id": str(busy.public_id), "label": str(busy)},
                "due": timezone.localtime(busy.starts_at).isoformat(),
                "due_day": days_from_today(5).isoformat(),
                "overdue": False,
                "url": "http://testserver" + reply_url,
            },
        ],
    }


def test_the_api_gives_the_office_its_items(busy, coordinator_client):
    # when
    response = coordinator_client.get(f"/api/v1/networks/{SLUG}/queue")
    # then
    data = response.json()
    assert data["count"] == 7
    assert {i["audience"] for i in data["items"]} == {"office"}


def test_the_api_needs_a_sign_in(busy, client):
    response = client.get(f"/api/v1/networks/{SLUG}/queue")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_queue_is_documented_in_openapi():
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="")
    operation = schema["paths"]["/networks/{network}/queue"]["get"]
    assert operation["summary"] == "Meine Aufgaben"
    assert set(operation["responses"]) == {200, 401, 404, 422}
    assert operation["responses"][404]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert "WorkItemOut" in schema["components"]["schemas"]


# --- queries do not grow with the data -------------------------------------------------------

SIZES = [5, 200]
# The page as in networks/tests/test_queries.py (start 6, overview 6: session, user, network
# and role, then the page's own lists; the start page's parties with their representations
# are one query, its seats another; the overview's counters are one), plus the queue: 5 for
# a member, 7 for the office (see the `collect` counts below).
START_QUERIES = 6 + 5
DASHBOARD_QUERIES = 6 + 7


def crowd(board, n: int) -> None:
    """`n` items of every kind, written in bulk: invited meetings in 2 days (Anna has not
    answered, Emil's invitation failed: reply items, failed deliveries, quorum at risk,
    replies missing), held meetings without minutes, planned meetings due for invitation,
    tasks of Anna overdue, network days open for registration."""
    network, body = board.network, board.body
    now = timezone.now()
    soon = at(days_from_today(2), 10)
    invited = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            body=body,
            title=f"Eingeladen {i:04d}",
            starts_at=soon + datetime.timedelta(minutes=i),
            ends_at=soon + datetime.timedelta(minutes=i, hours=2),
            state=MeetingState.INVITED,
            invited_at=now,
        )
        for i in range(n)
    )
    Invitation.objects.bulk_create(
        Invitation(
            network=network,
            meeting=m,
            kind=InvitationKind.INVITEE,
            person=membership.person,
            membership=membership,
            name=str(membership.person),
            email=membership.person.email,
            delivery=delivery,
        )
        for m in invited
        for membership, delivery in (
            (board.anna_m, Delivery.SENT),
            (board.emil_m, Delivery.FAILED),
        )
    )
    past = at(days_from_today(-3), 10)
    held = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            body=body,
            title=f"Gehalten {i:04d}",
            starts_at=past - datetime.timedelta(days=i),
            ends_at=past - datetime.timedelta(days=i) + datetime.timedelta(hours=2),
            state=MeetingState.HELD,
        )
        for i in range(n)
    )
    planned = at(days_from_today(5), 10)
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            body=body,
            title=f"Geplant {i:04d}",
            starts_at=planned + datetime.timedelta(minutes=i),
            ends_at=planned + datetime.timedelta(minutes=i, hours=2),
        )
        for i in range(n)
    )
    minutes = Minutes.objects.create(network=network, meeting=held[0])
    Meeting.objects.filter(pk=held[0].pk).update(state=MeetingState.MINUTES_DRAFTED)
    item = held[0].agenda_items.create(network=network, position=1, title="Berichte")
    entry = MinutesEntry.objects.create(network=network, minutes=minutes, agenda_item=item)
    ActionItem.objects.bulk_create(
        ActionItem(
            network=network,
            entry=entry,
            description=f"Aufgabe {i:04d}",
            owner=board.anna,
            due=days_from_today(-1 - i),
        )
        for i in range(n)
    )
    day = at(days_from_today(30), 9)
    NetworkDay.objects.bulk_create(
        NetworkDay(
            network=network,
            title=f"Netzwerktag {i:04d}",
            starts_at=day + datetime.timedelta(days=i),
            ends_at=day + datetime.timedelta(days=i, hours=6),
        )
        for i in range(n)
    )


def _token_client(user):
    _token, secret = api_token_create(actor=user, name="Zählung")
    ApiToken.objects.filter(user=user).update(last_used_at=timezone.now())
    client = Client()
    return lambda path: client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize("n", SIZES)
def test_collecting_needs_the_same_queries_for_a_member(
    board, anna, member, django_assert_num_queries, n, today
):
    # given
    crowd(board, n)
    access = access_of(member)
    # when: the invitations ahead (reply items and next meetings pick from them) with the
    # network's settings (2), tasks, network days (1 each), the topics' statements due (1)
    with django_assert_num_queries(5):
        items = workqueue.collect(access, today)
    # then
    codes = [i.code for i in items]
    assert codes.count("meetings.invitation_reply") == n
    assert codes.count("meetings.task") == n
    assert codes.count("meetings.network_day_registration") == n
    assert len(items) == 3 * n


@pytest.mark.parametrize("n", SIZES)
def test_collecting_needs_the_same_queries_for_the_office(
    board, coordinator, django_assert_num_queries, n, today
):
    # given
    crowd(board, n)
    access = access_of(coordinator)
    # when: the invitations ahead with the settings (2, nothing for the office's user), the
    # tasks (the person's and the overdue ones together, 1), the network days ahead (for
    # registration and failed deliveries, 1), the meetings the office's providers share 1
    # (minutes, failed deliveries, invitations due, quorum, replies missing), quorum 1 more
    # (the seats the invitations promise and the voting seats together), the topics (1: the
    # statements due and the topics waiting with the office together)
    with django_assert_num_queries(7):
        items = workqueue.collect(access, today)
    # then
    codes = [i.code for i in items]
    for code, count in (
        ("meetings.minutes_write", n - 1),
        ("meetings.minutes_circulate", 1),
        ("meetings.delivery_failed", n),
        ("meetings.invitation_due", n),
        ("meetings.quorum_at_risk", n),
        ("meetings.task_overdue", n),
        ("meetings.replies_missing", n),
    ):
        assert codes.count(code) == count, code
    assert len(items) == 6 * n


@pytest.mark.parametrize("n", SIZES)
def test_the_start_page_needs_the_same_queries(
    board, anna, member_client, django_assert_num_queries, n
):
    # given
    crowd(board, n)
    # when
    with django_assert_num_queries(START_QUERIES):
        response = member_client.get(url("networks:start"))
    # then
    assert len(response.context["own_rows"]) == 3 * n


@pytest.mark.parametrize("n", SIZES)
def test_the_overview_needs_the_same_queries(
    board, coordinator_client, django_assert_num_queries, n
):
    # given
    crowd(board, n)
    # when
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = coordinator_client.get(url("networks:dashboard"))
    # then
    assert len(response.context["office_rows"]) == 6 * n


@pytest.mark.parametrize("n", SIZES)
def test_the_api_needs_the_same_queries_for_a_member(
    board, anna, member, django_assert_num_queries, n
):
    # given
    crowd(board, n)
    get = _token_client(member)
    # when: the token with its user, the role with its network (2); the queue (5)
    with django_assert_num_queries(7):
        response = get(f"/api/v1/networks/{SLUG}/queue")
    # then
    assert response.json()["count"] == 3 * n


@pytest.mark.parametrize("n", SIZES)
def test_the_api_needs_the_same_queries_for_the_office(
    board, coordinator, django_assert_num_queries, n
):
    # given
    crowd(board, n)
    get = _token_client(coordinator)
    # when: the token with its user, the role with its network (2); the queue (7)
    with django_assert_num_queries(9):
        response = get(f"/api/v1/networks/{SLUG}/queue")
    # then
    assert response.json()["count"] == 6 * n
