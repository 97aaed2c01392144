"""Two requests change the same meeting at the same moment. On PostgreSQL the services lock
the row (`SELECT … FOR UPDATE`) and check the version, so exactly one change wins and the
other is refused with a clear error (or, where both may pass, they queue up and neither is
lost). SQLite serialises writers anyway; these tests need real row locks and run in CI's
PostgreSQL pass (see `uebergang/core/tests/test_races.py` for the method)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from uebergang.core.errors import Conflict, DomainError
from uebergang.core.permissions import SYSTEM
from uebergang.core.tests.test_races import race, split
from uebergang.meetings import services
from uebergang.meetings.models import AgendaItem, Meeting, Minutes, Registration
from uebergang.networks.tests.factories import make_person

from .factories import (
    days_from_today,
    make_board,
    make_held_meeting,
    make_meeting,
    make_network_day,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

PAUSE = 0.3


def _slow_lock(monkeypatch) -> None:
    """Hold each row lock a moment longer, so the other thread surely waits for it."""
    real = services.lock

    def lock_and_pause(obj: Any) -> Any:
        locked = real(obj)
        time.sleep(PAUSE)
        return locked

    monkeypatch.setattr(services, "lock", lock_and_pause)


def test_two_saves_of_the_same_minutes_version_one_wins_no_text_lost(
    monkeypatch, network, coordinator
):
    board = make_board(network)
    meeting = make_held_meeting(board)
    minutes = services.minutes_save(
        actor=SYSTEM, meeting=meeting, expected_version=None, opening="Entwurf"
    )
    loaded = minutes.version
    _slow_lock(monkeypatch)

    def save(text: str) -> Callable[[], Minutes]:
        return lambda: services.minutes_save(
            actor=coordinator,
            meeting=Meeting.objects.get(pk=meeting.pk),
            expected_version=loaded,
            opening=text,
        )

    wins, losses = split(race(save("Fassung A"), save("Fassung B")))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], Conflict), repr(losses[0])
    stored = Minutes.objects.get(pk=minutes.pk)
    assert (stored.opening, stored.version) == (wins[0].opening, loaded + 1)


def test_two_updates_of_the_same_meeting_version_one_wins(monkeypatch, network, coordinator):
    board = make_board(network)
    meeting = make_meeting(board.body)
    _slow_lock(monkeypatch)

    def update(place: str) -> Callable[[], Meeting]:
        return lambda: services.meeting_update(
            actor=coordinator,
            meeting=Meeting.objects.get(pk=meeting.pk),
            expected_version=meeting.version,
            data={"place": place},
        )

    wins, losses = split(race(update("Rathaus"), update("Kreishaus")))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], Conflict), repr(losses[0])
    assert Meeting.objects.get(pk=meeting.pk).place == wins[0].place


def test_two_invitations_at_once_invite_each_person_once(monkeypatch, network, coordinator):
    board = make_board(network)
    meeting = make_meeting(board.body)
    _slow_lock(monkeypatch)

    def invite() -> Any:
        return services.meeting_invite(
            actor=coordinator, meeting=Meeting.objects.get(pk=meeting.pk)
        )

    wins, losses = split(race(invite, invite))
    assert losses == [], losses
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.state, stored.sequence) == ("invited", 1)  # the second is an update
    assert stored.invitations.count() == 9


def test_agenda_items_added_at_once_get_distinct_numbers(monkeypatch, network, coordinator):
    board = make_board(network)
    meeting = make_meeting(board.body, items=())
    _slow_lock(monkeypatch)

    def add(title: str) -> Callable[[], AgendaItem]:
        return lambda: services.agenda_item_add(
            actor=coordinator, meeting=Meeting.objects.get(pk=meeting.pk), data={"title": title}
        )

    wins, losses = split(race(add("A"), add("B"), add("C")))
    assert losses == [], losses
    assert sorted(meeting.agenda_items.values_list("position", flat=True)) == [1, 2, 3]


def test_the_same_person_registered_twice_at_once_is_registered_once(
    monkeypatch, network, coordinator
):
    person = make_person(network, "Olga", "Ohm")
    day = make_network_day(network, day=days_from_today(30))
    from uebergang.networks.tests.factories import make_partner

    ihk = make_partner(network, "IHK Hannover", kind="chamber")
    _slow_lock(monkeypatch)

    def register() -> Registration:
        return services.registration_add(actor=coordinator, day=day, partner=ihk, person=person)

    wins, losses = split(race(register, register))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    assert losses[0].field_errors == {"person": ["Diese Person ist bereits angemeldet."]}
    assert Registration.objects.filter(network_day=day).count() == 1
