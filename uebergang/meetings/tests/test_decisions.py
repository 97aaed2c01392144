"""Decisions (Beschlüsse) as records of their own: numbering per body and year, outcome and
votes, the minutes' states (draft: edit and remove; approved: only a recorded correction),
tasks that carry a decision out, the history, the texts of the time before (migration and
old exchange files), and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from uebergang.core.errors import Conflict, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.meetings import services
from uebergang.meetings.decision_texts import is_unanimous, outcome_of
from uebergang.meetings.exchange import _decisions_from_entry_texts
from uebergang.meetings.models import Decision, Meeting, MinutesCorrection

from .factories import days_from_today, make_board, make_body, make_held_meeting, make_meeting
from .test_services import refused, reload, state

D = datetime.date


def _first_item(meeting):
    return meeting.agenda_items.order_by("position").first()


def _year(meeting) -> int:
    return timezone.localtime(meeting.starts_at).year


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def held(board, coordinator):
    """A meeting held on a fixed past day, with draft minutes."""
    board.meeting = make_held_meeting(board, day=D(2025, 3, 4))
    board.minutes = services.minutes_save(
        actor=coordinator, meeting=board.meeting, expected_version=None, opening="Eröffnung"
    )
    board.item = _first_item(board.meeting)
    return board


def _add(actor, item, **data):
    return services.decision_add(actor=actor, item=item, data={"wording": "Zustimmung", **data})


# --- numbering -------------------------------------------------------------------------------


def test_numbers_run_per_body_and_year(held, coordinator, network):
    later = make_held_meeting(held, day=D(2025, 6, 3))
    next_year = make_held_meeting(held, day=D(2026, 1, 13))
    other_body = make_body(network, "Arbeitsgremium Elternarbeit", kind="working_group")

    first = _add(coordinator, held.item)
    second = _add(coordinator, held.item, wording="Zweiter Beschluss")
    third = _add(coordinator, _first_item(later))
    january = _add(coordinator, _first_item(next_year))
    other_meeting = make_meeting(other_body, day=D(2025, 6, 3))
    Meeting.objects.filter(pk=other_meeting.pk).update(state="held")
    other = _add(coordinator, _first_item(other_meeting))

    prefix = held.body.reference_prefix
    assert [d.reference for d in (first, second, third, january)] == [
        f"{prefix} 2025/01",
        f"{prefix} 2025/02",
        f"{prefix} 2025/03",
        f"{prefix} 2026/01",
    ]
    assert other.reference == "AE 2025/01"


def test_the_prefix_is_the_short_name_or_follows_the_kind(network):
    assert make_body(network, "Beirat Übergang", kind="advisory_board").reference_prefix == "BR"
    assert make_body(network, "Steuerung", kind="decision_board").reference_prefix == "EG"
    assert (
        make_body(network, "Berufsorientierung abstimmen", kind="working_group").reference_prefix
        == "BA"
    )
    named = make_body(network, "Elternarbeit", kind="working_group")
    named.short_name = "AG EA"
    assert named.reference_prefix == "AG EA"


def test_a_number_is_not_given_twice(held, coordinator):
    first = _add(coordinator, held.item)
    # a second writer who read the same highest number is stopped by the database
    clash = Decision(
        network=first.network,
        agenda_item=first.agenda_item,
        body=first.body,
        year=first.year,
        number=first.number,
        wording="Doppelt",
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()


# --- outcome and votes -----------------------------------------------------------------------


def test_outcome_votes_and_history(held, coordinator):
    decision = _add(
        coordinator, held.item, wording=" Der Beirat empfiehlt. ", votes_yes=7, votes_abstain=2
    )
    decision = reload(decision)
    assert (decision.wording, decision.outcome) == ("Der Beirat empfiehlt.", "adopted")
    assert (decision.votes_yes, decision.votes_no, decision.votes_abstain) == (7, 0, 2)
    assert decision.votes_label == "Ja 7 · Nein 0 · Enthaltung 2"
    event = HistoryEvent.objects.filter(object_id=decision.public_id).get()
    assert (event.action, event.actor_name) == ("create", "Kim Koordinata")
    assert event.changes["wording"] == [None, "Der Beirat empfiehlt."]
    assert event.changes["number"] == [None, 1]
    unanimous = _add(coordinator, held.item, outcome="rejected", unanimous=True)
    assert (unanimous.outcome_label, unanimous.votes_label) == ("abgelehnt", "einstimmig")
    noted = _add(coordinator, held.item, outcome="noted")
    assert (noted.outcome_label, noted.votes_label) == ("zur Kenntnis genommen", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"wording": "  "}, "wording", "Bitte geben Sie den Wortlaut des Beschlusses an."),
        ({"outcome": "maybe"}, "outcome", "Bitte wählen Sie ein Ergebnis."),
        ({"votes_yes": -1}, "votes_yes", "Bitte eine ganze Zahl von 0 bis 9999."),
        ({"votes_no": "3"}, "votes_no", "Bitte eine ganze Zahl von 0 bis 9999."),
        ({"votes_abstain": True}, "votes_abstain", "Bitte eine ganze Zahl von 0 bis 9999."),
        (
            {"unanimous": True, "votes_no": 1},
            "votes_no",
            "Einstimmig heißt: keine Nein-Stimme. Bitte prüfen Sie die Zahlen.",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(held, coordinator, data, field, message):
    before = state()
    error = refused(lambda: _add(coordinator, held.item, **data))
    assert error.field_errors == {field: [message]}
    assert state() == before


def test_no_decision_before_the_meeting_took_place(board, coordinator):
    planned = make_meeting(board.body, day=days_from_today(30))
    before = state()
    error = refused(lambda: _add(coordinator, _first_item(planned)))
    assert error.code == "not_held"
    assert state() == before


def test_a_decision_on_a_held_meeting_without_minutes_starts_the_draft(board, coordinator):
    meeting = make_held_meeting(board, day=D(2025, 3, 4))
    _add(coordinator, _first_item(meeting))
    assert reload(meeting).state == "minutes_drafted"
    assert meeting.minutes.state == "draft"


# --- draft: change and remove ----------------------------------------------------------------


def test_change_in_the_draft_is_an_edit_with_history(held, coordinator):
    decision = _add(coordinator, held.item, unanimous=True)
    changed = services.decision_update(
        actor=coordinator,
        decision=decision,
        data={"outcome": "postponed", "unanimous": False},
        expected_version=decision.version,
    )
    assert (changed.outcome, changed.unanimous) == ("postponed", False)
    event = HistoryEvent.objects.filter(object_id=decision.public_id, action="update").get()
    assert event.changes == {"outcome": ["adopted", "postponed"], "unanimous": [True, False]}
    assert event.message == ""
    assert not MinutesCorrection.objects.exists()
    # nothing to change: no new version, no history
    same = services.decision_update(
        actor=coordinator, decision=changed, data={"outcome": "postponed"}, expected_version=None
    )
    assert same.version == changed.version


def test_a_stale_version_is_refused(held, coordinator):
    decision = _add(coordinator, held.item)
    services.decision_update(
        actor=coordinator, decision=decision, data={"wording": "A"}, expected_version=1
    )
    before = state()
    refused(
        lambda: services.decision_update(
            actor=coordinator, decision=decision, data={"wording": "B"}, expected_version=1
        ),
        Conflict,
    )
    assert state() == before
    assert reload(decision).wording == "A"


def test_remove_in_the_draft_keeps_the_task_and_records_it(held, coordinator):
    decision = _add(coordinator, held.item, wording="Messe im Frühjahr")
    entry = services.minutes_save(
        actor=coordinator,
        meeting=held.meeting,
        expected_version=reload(held.minutes).version,
        entries={held.item.pk: {"discussion": "Aussprache"}},
    ).entries.get()
    task = services.task_add(
        actor=coordinator, entry=entry, description="Einladen", owner_text="KS", decision=decision
    )
    services.decision_remove(actor=coordinator, decision=decision)
    assert not Decision.objects.exists()
    assert reload(task).decision is None
    event = HistoryEvent.objects.filter(object_id=decision.public_id, action="delete").get()
    assert event.changes == {"wording": ["Messe im Frühjahr", None], "number": [1, None]}
    error = refused(lambda: services.decision_remove(actor=coordinator, decision=decision))
    assert error.code == "gone"


def test_a_task_takes_only_a_decision_of_its_own_item(held, coordinator):
    second = held.meeting.agenda_items.order_by("position")[1]
    elsewhere = _add(coordinator, second)
    entry = services.minutes_save(
        actor=coordinator,
        meeting=held.meeting,
        expected_version=reload(held.minutes).version,
        entries={held.item.pk: {"discussion": "Aussprache"}},
    ).entries.get()
    error = refused(
        lambda: services.task_add(
            actor=coordinator, entry=entry, description="X", owner_text="Y", decision=elsewhere
        )
    )
    assert error.field_errors == {
        "decision": ["Der Beschluss gehört zu einem anderen Tagesordnungspunkt."]
    }


# --- approved: only a correction -------------------------------------------------------------


@pytest.fixture
def approved(held, coordinator):
    held.decision = _add(coordinator, held.item, wording="Die Messe findet statt.", unanimous=True)
    services.minutes_circulate(actor=coordinator, minutes=held.minutes)
    later = make_held_meeting(held, day=D(2025, 6, 3))
    services.minutes_approve(actor=coordinator, minutes=reload(held.minutes), approved_in=later)
    return held


def test_after_approval_a_change_is_a_correction_with_reason(approved, coordinator):
    decision = approved.decision
    before = state()
    error = refused(
        lambda: services.decision_update(
            actor=coordinator, decision=decision, data={"wording": "X"}, expected_version=None
        )
    )
    assert error.field_errors == {
        "reason": ["Das Protokoll ist genehmigt: Bitte begründen Sie die Berichtigung."]
    }
    error = refused(
        lambda: services.decision_update(
            actor=coordinator,
            decision=decision,
            data={"unanimous": True},
            expected_version=None,
            reason="nichts",
        )
    )
    assert error.field_errors == {"wording": ["Der Beschluss ist unverändert."]}
    assert state() == before
    minutes_version = reload(approved.minutes).version
    services.decision_update(
        actor=coordinator,
        decision=decision,
        data={"unanimous": False, "votes_yes": 8, "votes_no": 1},
        expected_version=decision.version,
        reason=" Nachgezählt ",
    )
    correction = MinutesCorrection.objects.get()
    assert (correction.decision, correction.field, correction.reason) == (
        decision,
        "decision",
        "Nachgezählt",
    )
    assert correction.before == "Die Messe findet statt.\nErgebnis: angenommen (einstimmig)"
    assert correction.after == (
        "Die Messe findet statt.\nErgebnis: angenommen (Ja 8 · Nein 1 · Enthaltung 0)"
    )
    assert reload(approved.minutes).version == minutes_version + 1
    event = HistoryEvent.objects.filter(object_id=decision.public_id, action="update").get()
    assert event.message == "Berichtigung: Nachgezählt"


def test_after_approval_no_new_decision_and_no_removal(approved, coordinator):
    before = state()
    assert refused(lambda: _add(coordinator, approved.item)).code == "approved"
    assert (
        refused(
            lambda: services.decision_remove(actor=coordinator, decision=approved.decision)
        ).code
        == "approved"
    )
    assert state() == before


# --- who may ---------------------------------------------------------------------------------


def test_members_may_not_record_change_or_remove(held, coordinator, member):
    decision = _add(coordinator, held.item)
    before = state()
    for call in (
        lambda: _add(member, held.item),
        lambda: services.decision_update(
            actor=member, decision=decision, data={"wording": "X"}, expected_version=None
        ),
        lambda: services.decision_remove(actor=member, decision=decision),
    ):
        refused(call, PermissionDenied)
    assert state() == before


# --- the texts of the time before ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "outcome", "unanimous"),
    [
        ("Einstimmig beschlossen.", "adopted", True),
        ("Der Antrag wird mit 3 Stimmen abgelehnt.", "rejected", False),
        ("Vertagt auf die nächste Sitzung.", "postponed", False),
        ("Der Beirat nimmt den Bericht zur Kenntnis.", "noted", False),
    ],
)
def test_outcome_from_the_old_texts(text, outcome, unanimous):
    assert (outcome_of(text), is_unanimous(text)) == (outcome, unanimous)


def test_an_old_exchange_file_brings_its_decision_texts_as_records():
    body = "b-1"
    lists = {
        "meetings": [
            {"public_id": "m-2", "body": body, "starts_at": "2025-06-03T14:00:00+02:00"},
            {"public_id": "m-1", "body": body, "starts_at": "2025-03-04T14:00:00+01:00"},
        ],
        "agenda_items": [
            {"public_id": "i-2", "meeting": "m-2", "position": 1},
            {"public_id": "i-1", "meeting": "m-1", "position": 2},
        ],
        "minutes_entries": [
            {"public_id": "e-2", "agenda_item": "i-2", "decisions": "Einstimmig angenommen."},
            {"public_id": "e-1", "agenda_item": "i-1", "decisions": "Zur Kenntnis genommen."},
            {"public_id": "e-3", "agenda_item": "i-1", "decisions": ""},
            {"public_id": "e-4", "agenda_item": "unknown", "decisions": "bleibt"},
        ],
        "decisions": [],
    }
    _decisions_from_entry_texts(lists)
    made = [
        (d["agenda_item"], d["year"], d["number"], d["outcome"], d["unanimous"])
        for d in lists["decisions"]
    ]
    assert made == [("i-1", 2025, 1, "noted", False), ("i-2", 2025, 2, "adopted", True)]
    assert [e.get("decisions") for e in lists["minutes_entries"]] == [None, None, None, "bleibt"]
