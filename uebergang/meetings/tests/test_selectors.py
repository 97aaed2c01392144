"""Reads of the meetings app: who sees which meetings, the quorum (present and expected),
a meeting's page data, participation per institution and year, calendar feeds – each in a
number of queries that does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from uebergang.core.permissions import SYSTEM, access_for
from uebergang.meetings import selectors, services
from uebergang.meetings.models import AgendaItem, Meeting

from .factories import (
    at,
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

D = datetime.date


@pytest.fixture
def board(network):
    return make_board(network)


def _bulk_meetings(body, n: int, items: int = 2) -> None:
    """`n` meetings with `items` agenda items each, written directly (no history)."""
    for i in range(n):
        day = D(2020, 1, 1) + datetime.timedelta(days=7 * i)
        meeting = Meeting.objects.create(
            network=body.network,
            body=body,
            title=f"Sitzung {i:03d}",
            starts_at=at(day, 16),
            ends_at=at(day, 18),
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(network=body.network, meeting=meeting, position=p, title=f"TOP {p}")
            for p in range(1, items + 1)
        )


# --- meeting_list ----------------------------------------------------------------------------


def test_meeting_list_shows_a_member_only_the_bodies_they_sit_in(
    network, board, coordinator, member, stranger
):
    wg = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    own = make_meeting(board.body)
    other = make_meeting(wg)
    link_user(board.carla, member)

    def titles(user, **kwargs):
        return [
            m.pk
            for m in selectors.meeting_list(
                network=network, access=access_for(user, network), **kwargs
            )
        ]

    assert set(titles(coordinator)) == {own.pk, other.pk}
    assert titles(member) == [own.pk]
    assert titles(stranger) == []


def test_meeting_list_filters_and_counts_the_agenda(network, board, coordinator):
    access = access_for(coordinator, network)
    past = make_held_meeting(board, day=D(2024, 3, 5))
    soon = make_meeting(board.body, day=days_from_today(10), items=("A",))
    later = make_meeting(board.body, day=days_from_today(40), items=("A", "B", "C"))
    services.agenda_item_remove(actor=SYSTEM, item=later.agenda_items.get(title="B"))

    def pks(**kwargs):
        return [m.pk for m in selectors.meeting_list(network=network, access=access, **kwargs)]

    assert pks() == [later.pk, soon.pk, past.pk]
    assert pks(upcoming=True) == [soon.pk, later.pk]
    assert pks(upcoming=False) == [past.pk]
    assert pks(state="held") == [past.pk]
    assert pks(year=2024) == [past.pk]
    assert pks(body=board.body, state="planned") == [later.pk, soon.pk]
    counts = {m.pk: m.item_count for m in selectors.meeting_list(network=network, access=access)}
    assert counts == {past.pk: 2, soon.pk: 1, later.pk: 2}


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_meeting_list_takes_the_same_number_of_queries_at_5_and_200_meetings(
    network, board, who, request, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    link_user(board.carla, user)

    def run() -> int:
        access = access_for(user, network)
        access.role  # noqa: B018 – loaded
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.meeting_list(network=network, access=access))
            [(r.body.name, r.item_count) for r in rows]
        return len(ctx.captured_queries), len(rows)

    _bulk_meetings(board.body, 5)
    small = run()
    _bulk_meetings(board.body, 195)
    large = run()
    assert (small[1], large[1]) == (5, 200)
    assert small[0] == large[0] == 1


def test_the_offices_usual_meeting_list_is_the_first_page_of_the_general_one(
    network, board, coordinator
):
    """`office_meeting_first_page` (the office's list without filters, from prepared
    queries) gives the rows and the count `meeting_list` gives the office for page 1: the
    meetings not over yet, deleted meetings and agenda items left out."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    from uebergang.core.web import PAGE_SIZE

    _bulk_meetings(board.body, PAGE_SIZE + 30, items=3)
    gone = Meeting.objects.filter(network=network).order_by("starts_at")[12]
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])
    AgendaItem.objects.filter(meeting__title="Sitzung 020", position=1).update(
        deleted_at=timezone.now()
    )

    def shown(rows) -> list[tuple]:
        return [(m.pk, m.title, m.starts_at, m.state, m.body.name, m.item_count) for m in rows]

    with time_machine.travel(at(D(2020, 2, 20), 12), tick=False):
        rows, count = selectors.office_meeting_first_page(network=network)
        general = selectors.meeting_list(
            network=network,
            access=access_for(coordinator, network),
            upcoming=True,
            for_display=True,
        )
        page = Paginator(general, PAGE_SIZE).page(1)
    assert shown(rows) == shown(page.object_list)
    assert (
        count == page.paginator.count == PAGE_SIZE + 30 - 8 - 1
    )  # 8 over (weekly from 1 January), 1 deleted
    assert [m.item_count for m in rows if m.title == "Sitzung 020"] == [2]
    assert [b.pk for b in selectors.office_bodies(network=network)] == [
        b.pk
        for b in selectors.visible_bodies(
            network=network, access=access_for(coordinator, network)
        ).order_by("name", "pk")
    ]


# --- quorum ----------------------------------------------------------------------------------


def _reply(meeting, person, reply):
    inv = meeting.invitations.get(person=person)
    return services.invitation_reply(actor=SYSTEM, invitation=inv, reply=reply)


def test_quorum_by_majority_counts_each_voting_seat_once(network, board):
    meeting = make_invited_meeting(board, day=days_from_today(5))
    _reply(meeting, board.anna, "substitute")
    _reply(meeting, board.bernd, "attend")  # the substitute for the same seat
    _reply(meeting, board.gustav, "attend")  # a seat without vote
    _reply(meeting, board.emil, "decline")
    _reply(meeting, board.dora, "attend")  # a guest holds no seat
    q = selectors.quorum(meeting)
    assert (q.rule, q.voting_seats, q.needed, q.expected, q.present) == ("majority", 3, 2, 1, 0)
    assert (q.expected_reached, q.reached) == (False, False)
    _reply(meeting, board.carla, "attend")
    q = selectors.quorum(meeting)
    assert (q.expected, q.expected_reached) == (2, True)

    held = make_held_meeting(board, day=days_from_today(-3), present=("anna", "bernd", "gustav"))
    q = selectors.quorum(held)
    assert (q.present, q.reached) == (1, False)  # Anna and her substitute: one seat
    services.attendance_record(
        actor=SYSTEM, meeting=held, people=[board.bernd, board.carla, board.dora]
    )
    q = selectors.quorum(held)
    assert (q.present, q.reached) == (2, True)  # Bernd stands in for the IHK seat


def test_quorum_by_minimum_and_without_rule(network):
    minimum = make_board(network, quorum_rule="minimum", quorum_minimum=3)
    held = make_held_meeting(minimum, present=("anna", "carla", "gustav"))
    q = selectors.quorum(held)
    assert (q.needed, q.present, q.reached) == (3, 2, False)
    services.attendance_record(
        actor=SYSTEM, meeting=held, people=[minimum.anna, minimum.carla, minimum.emil]
    )
    assert selectors.quorum(held).reached is True


def test_quorum_without_rule_is_neither_reached_nor_missed(network):
    board = make_board(network, quorum_rule="none", kind="working_group", name="AG")
    q = selectors.quorum(make_held_meeting(board))
    assert (q.needed, q.reached, q.expected_reached, q.present) == (None, None, None, 2)


def test_quorum_needed_for_a_majority():
    from types import SimpleNamespace

    body = SimpleNamespace(quorum_rule="majority", quorum_minimum=None)
    assert [selectors.quorum_needed(body, n) for n in (1, 2, 3, 4, 7)] == [1, 2, 2, 3, 4]


# --- meeting_detail --------------------------------------------------------------------------


def test_meeting_detail_splits_invitations_and_finds_the_own_one(
    network, board, member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    link_user(board.carla, member)
    meeting = make_invited_meeting(board, items=("Öffentlich", "Personalien"))
    secret = meeting.agenda_items.get(title="Personalien")
    services.agenda_item_update(
        actor=SYSTEM, item=secret, expected_version=None, data={"public": False}
    )
    services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("a.pdf"), agenda_item=secret)
    services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("b.pdf"))
    detail = selectors.meeting_detail(meeting=meeting, user=member)
    assert [i.title for i in detail.items] == ["Öffentlich", "Personalien"]
    assert [d.file_name for d in detail.items[1].documents.all()] == ["a.pdf"]
    assert [d.file_name for d in detail.loose_documents] == ["b.pdf"]
    assert len(detail.invitations) == 7 and len(detail.information) == 2
    assert detail.own_invitation.person_id == board.carla.pk
    assert detail.minutes is None and detail.entries == {}
    public = selectors.meeting_detail(meeting=meeting, public_only=True)
    assert [i.title for i in public.items] == ["Öffentlich"]
    assert public.own_invitation is None


def test_meeting_detail_takes_the_same_number_of_queries_whatever_the_size(
    network, board, settings, tmp_path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path

    def build(n: int):
        meeting = make_held_meeting(
            board, day=days_from_today(-n), items=tuple(f"TOP {i}" for i in range(n))
        )
        items = list(meeting.agenda_items.all())
        for item in items:
            services.document_add(
                actor=SYSTEM, meeting=meeting, upload=upload(f"{item.pk}.pdf"), agenda_item=item
            )
        minutes = services.minutes_save(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=None,
            entries={item.pk: {"discussion": "D"} for item in items},
        )
        for entry in minutes.entries.all():
            services.task_add(actor=SYSTEM, entry=entry, description="T", owner=board.anna)
        return Meeting.objects.select_related("body").get(pk=meeting.pk)

    def count(meeting) -> int:
        with CaptureQueriesContext(connection) as ctx:
            d = selectors.meeting_detail(meeting=meeting)
            for item in d.items:
                list(item.documents.all())
            for entry in d.entries.values():
                [t.owner_name for t in entry.tasks.all()]
            [(a.person, a.seat, a.partner) for a in d.attendances]
            [(i.person, i.membership, i.partner) for i in d.invitations + d.information]
        return len(ctx.captured_queries)

    assert count(build(2)) == count(build(8))


# --- approving meetings, attendance candidates ------------------------------------------------


def test_approving_meetings_are_later_held_or_invited_ones_of_the_body(network, board):
    first = make_held_meeting(board, day=days_from_today(-60))
    held = make_held_meeting(board, day=days_from_today(-10))
    make_meeting(board.body, day=days_from_today(-5))  # planned: no
    today = make_invited_meeting(board, day=days_from_today(0))
    make_invited_meeting(board, day=days_from_today(1))  # tomorrow: the service refuses it
    make_invited_meeting(board, day=days_from_today(30))  # too far ahead
    cancelled = make_meeting(board.body, day=days_from_today(-3))
    services.meeting_cancel(actor=SYSTEM, meeting=cancelled)
    make_held_meeting(board, day=days_from_today(-90))  # earlier
    wg = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    make_meeting(wg, day=days_from_today(-2))
    assert [m.pk for m in selectors.approving_meetings(first)] == [held.pk, today.pk]


def test_attendance_candidates_are_the_people_in_the_body_on_the_day(board):
    from uebergang.bodies import services as body_services

    meeting = make_meeting(board.body, day=days_from_today(-2))
    body_services.membership_end(
        actor=SYSTEM, membership=board.emil_m, valid_to=days_from_today(-3)
    )
    names = [str(m.person) for m in selectors.attendance_candidates(meeting)]
    assert names == [
        "Anna Alt",
        "Bernd Berger",
        "Carla Clausen",
        "Dora Dietrich",
        "Frieda Funk",
        "Gustav Gans",
    ]


# --- network days and participation -----------------------------------------------------------


def test_network_day_list_counts_registrations_and_attendance(network, board):
    day = make_network_day(network, day=days_from_today(-2))
    regs = [
        services.registration_add(actor=SYSTEM, day=day, partner=board.ihk, name=n)
        for n in ("Olga Ohm", "Paul Pohl", "Quirin Quast")
    ]
    services.registration_cancel(actor=SYSTEM, registration=regs[2])
    services.network_day_attendance(actor=SYSTEM, day=day, attended=[regs[0]])
    make_network_day(network)
    rows = list(selectors.network_day_list(network=network))
    assert [(r.registration_count, r.attended_count) for r in rows] == [(0, 0), (2, 1)]
    assert [r.name for r in selectors.registrations_of(day)] == ["Olga Ohm", "Paul Pohl"]


def test_participation_per_institution_and_year(network, board):
    from uebergang.bodies import services as body_services

    ag = make_body(network, "Arbeitsgremium Berufsorientierung", "working_group")
    body_services.membership_add(
        actor=SYSTEM, body=ag, person=board.emil, role="guest", valid_from=D(2014, 1, 1)
    )
    # 2024: two advisory board meetings; IHK at both (once with Anna and Bernd together)
    make_held_meeting(board, day=D(2024, 3, 1), present=("anna", "bernd", "carla"))
    make_held_meeting(board, day=D(2024, 9, 1), present=("bernd",))
    # 2025: one; the Agentur at a working group meeting
    make_held_meeting(board, day=D(2025, 3, 1), present=("anna",))
    ag_meeting = make_meeting(ag, day=D(2025, 5, 1))
    services.attendance_record(actor=SYSTEM, meeting=ag_meeting, people=[board.emil])
    # network day 2025: the school came, the IHK registered but did not
    nday = make_network_day(network, day=D(2025, 6, 1))
    came = services.registration_add(actor=SYSTEM, day=nday, partner=board.school, name="Sina")
    services.registration_add(actor=SYSTEM, day=nday, partner=board.ihk, name="Ida")
    services.network_day_attendance(actor=SYSTEM, day=nday, attended=[came])

    years, rows = selectors.participation(network=network)
    assert years == [2025, 2024]
    # the times taken part (out of how many: test_participation.py)
    table = {
        r.partner_name: {
            y: {k: cell[k] for k in selectors.PARTICIPATION_KINDS} for y, cell in r.by_year.items()
        }
        for r in rows
    }
    zero = {"advisory_board": 0, "working_group": 0, "network_day": 0}
    assert table[board.ihk.name] == {
        2025: {**zero, "advisory_board": 1},
        2024: {**zero, "advisory_board": 2},
    }
    assert table[board.school.name] == {
        2025: {**zero, "network_day": 1},
        2024: {**zero, "advisory_board": 1},
    }
    assert table[board.agentur.name] == {2025: {**zero, "working_group": 1}, 2024: zero}
    assert table[board.jugend.name] == {2025: zero, 2024: zero}  # a party: shown with zeros
    assert board.school2.name not in table  # no party, never there
    years, rows = selectors.participation(network=network, years=[2024])
    assert years == [2024]


def test_participation_takes_the_same_number_of_queries_whatever_the_size(network, board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.participation(network=network)
        return len(ctx.captured_queries)

    make_held_meeting(board, day=D(2024, 3, 1))
    small = count()
    for year in (2021, 2022, 2023):
        make_held_meeting(board, day=D(year, 3, 1), present=("anna", "carla", "emil"))
    # attended meetings, network days, partners; what they could have attended (3)
    assert count() == small == 6


# --- calendar feeds --------------------------------------------------------------------------


def test_feed_meetings_of_a_body_and_of_a_person(network, board, member):
    link_user(board.carla, member)
    wg = make_body(network, "Arbeitsgremium Elternarbeit", "working_group")
    old = make_meeting(board.body, day=days_from_today(-500))
    recent = make_held_meeting(board, day=days_from_today(-30))
    soon = make_meeting(board.body, day=days_from_today(10))
    other = make_meeting(wg, day=days_from_today(12))
    assert [m.pk for m in selectors.feed_meetings(network=network, body=board.body)] == [
        recent.pk,
        soon.pk,
    ]
    mine = [m.pk for m in selectors.feed_meetings(network=network, user=member)]
    assert mine == [recent.pk, soon.pk]
    assert old.pk not in mine and other.pk not in mine
    assert [m.pk for m in selectors.feed_meetings(network=network, body=wg)] == [other.pk]


def test_feed_meetings_of_a_person_only_while_they_are_in_the_body(
    network, board, member, django_assert_num_queries
):
    from uebergang.bodies import services as body_services

    link_user(board.emil, member)
    before = make_held_meeting(board, day=days_from_today(-30))
    body_services.membership_end(
        actor=SYSTEM, membership=board.emil_m, valid_to=days_from_today(-1)
    )
    after = make_meeting(board.body, day=days_from_today(10))
    mine = [m.pk for m in selectors.feed_meetings(network=network, user=member)]
    assert mine == [before.pk]
    assert after.pk in [m.pk for m in selectors.feed_meetings(network=network, body=board.body)]
    with django_assert_num_queries(1):
        [m.body.name for m in selectors.feed_meetings(network=network, user=member)]
