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
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.core.tests.test_races import race, split
from uebergang.meetings import services
from uebergang.meetings.models import (
    ActionItem,
    AgendaItem,
    Document,
    Meeting,
    Minutes,
    MinutesEntry,
    Registration,
)
from uebergang.networks.tests.factories import make_person

from .factories import (
    days_from_today,
    make_board,
    make_held_meeting,
    make_meeting,
    make_network_day,
    upload,
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


# --- removed twice at once: one removal, one history event ----------------------------------


def _deletes(obj: Any) -> int:
    return HistoryEvent.objects.filter(object_id=obj.public_id, action="delete").count()


def _removed_once(outcomes: list[tuple[str, Any]], message: str) -> None:
    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    assert (losses[0].message, losses[0].code) == (message, "deleted")


def test_a_document_removed_twice_at_once_is_removed_once(
    monkeypatch, network, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    board = make_board(network)
    meeting = make_meeting(board.body)
    doc = services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("a.pdf"))
    _slow_lock(monkeypatch)

    def remove() -> None:
        services.document_remove(actor=coordinator, document=Document.objects.get(pk=doc.pk))

    _removed_once(race(remove, remove), "Diese Unterlage ist bereits entfernt.")
    assert _deletes(doc) == 1
    assert Document.all_objects.get(pk=doc.pk).deleted_at is not None


def test_an_agenda_item_removed_twice_at_once_is_removed_once(monkeypatch, network, coordinator):
    board = make_board(network)
    meeting = make_meeting(board.body, items=("A", "B", "C"))
    item = meeting.agenda_items.get(title="A")
    _slow_lock(monkeypatch)

    def remove() -> None:
        services.agenda_item_remove(actor=coordinator, item=AgendaItem.objects.get(pk=item.pk))

    _removed_once(race(remove, remove), "Dieser Tagesordnungspunkt ist bereits entfernt.")
    assert _deletes(item) == 1
    assert list(meeting.agenda_items.order_by("position").values_list("title", "position")) == [
        ("B", 1),
        ("C", 2),
    ]


def test_a_registration_cancelled_twice_at_once_is_cancelled_once(
    monkeypatch, network, coordinator
):
    from uebergang.networks.tests.factories import make_partner

    person = make_person(network, "Olga", "Ohm")
    day = make_network_day(network, day=days_from_today(30))
    ihk = make_partner(network, "IHK Hannover", kind="chamber")
    reg = services.registration_add(actor=SYSTEM, day=day, partner=ihk, person=person)
    _slow_lock(monkeypatch)

    def cancel() -> None:
        services.registration_cancel(
            actor=coordinator, registration=Registration.objects.get(pk=reg.pk)
        )

    _removed_once(race(cancel, cancel), "Diese Anmeldung ist bereits storniert.")
    assert _deletes(reg) == 1
    assert Registration.objects.filter(network_day=day).count() == 0


# --- adding while the minutes are approved; saving while they are approved --------------------


def _drafted(network: Any) -> tuple[Any, Meeting, Minutes, Meeting]:
    board = make_board(network)
    meeting = make_held_meeting(board)
    first = meeting.agenda_items.order_by("position").first()
    minutes = services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        opening="Entwurf",
        entries={str(first.public_id): {"discussion": "Aussprache"}},
    )
    minutes = services.minutes_circulate(actor=SYSTEM, minutes=minutes)
    later = make_held_meeting(board, day=days_from_today(-10))
    return board, meeting, minutes, later


def test_a_task_added_while_the_minutes_are_approved_comes_before_or_is_refused(
    monkeypatch, network, coordinator
):
    _board, meeting, minutes, later = _drafted(network)
    entry = MinutesEntry.objects.get(minutes=minutes)
    _slow_lock(monkeypatch)

    def add() -> ActionItem:
        loaded = MinutesEntry.objects.select_related("minutes").get(pk=entry.pk)
        return services.task_add(actor=coordinator, entry=loaded, description="X", owner_text="Y")

    def approve() -> Minutes:
        return services.minutes_approve(
            actor=coordinator, minutes=Minutes.objects.get(pk=minutes.pk), approved_in=later
        )

    (task_kind, task), (approve_kind, approved) = race(add, approve)
    assert approve_kind == "ok", repr(approved)
    stored = Minutes.objects.get(pk=minutes.pk)
    assert stored.state == "approved"
    if task_kind == "ok":  # added before the approval, while the text could still change
        assert ActionItem.objects.get().created < stored.approved_at
    else:
        assert isinstance(task, DomainError) and task.code == "approved", repr(task)
        assert not ActionItem.objects.exists()


def test_minutes_saved_and_approved_at_once_do_not_deadlock(monkeypatch, network, coordinator):
    """minutes_save locks the meeting, then the minutes; so does minutes_approve (one lock
    order): both finish, the save either comes first or is refused."""
    _board, meeting, minutes, later = _drafted(network)
    loaded = minutes.version
    _slow_lock(monkeypatch)

    def save() -> Minutes:
        return services.minutes_save(
            actor=coordinator,
            meeting=Meeting.objects.get(pk=meeting.pk),
            expected_version=loaded,
            opening="Nachtrag",
        )

    def approve() -> Minutes:
        return services.minutes_approve(
            actor=coordinator, minutes=Minutes.objects.get(pk=minutes.pk), approved_in=later
        )

    (save_kind, saved), (approve_kind, approved) = race(save, approve)
    stored = Minutes.objects.get(pk=minutes.pk)
    if approve_kind == "ok":
        assert stored.state == "approved"
        if save_kind == "ok":
            assert stored.opening == "Nachtrag"
        else:  # the approval came first
            assert isinstance(saved, DomainError) and saved.code == "approved", repr(saved)
            assert stored.opening == "Entwurf"
    else:  # the save came first and made the approver's copy stale: never a deadlock
        assert save_kind == "ok", repr(saved)
        assert isinstance(approved, DomainError), repr(approved)
    assert Meeting.objects.get(pk=meeting.pk).state in ("minutes_drafted", "minutes_approved")
