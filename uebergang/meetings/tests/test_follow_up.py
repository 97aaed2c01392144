"""Following decisions up (Beschlussverfolgung): a task's status with a dated note on each
change, who may record it, traffic lights, the network's list of decisions and what became
of them (filters, visibility, a fixed number of queries), its pages and API, older files."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM, member_access
from uebergang.meetings import selectors, services
from uebergang.meetings.exchange import _status_from_done
from uebergang.meetings.models import ActionItem, MinutesEntry, TaskNote, task_light
from uebergang.networks.tests.factories import link_user, make_representative

from .factories import make_board, make_held_meeting

pytestmark = pytest.mark.clock

SLUG = "osterode"
D = datetime.date


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def board(network):
    return make_board(network)


def _minutes_with_decision(board, day, *, circulate=True):
    meeting = make_held_meeting(board, day=day)
    item = meeting.agenda_items.order_by("position").first()
    services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        entries={item.public_id: {"discussion": "Bericht"}},
    )
    decision = services.decision_add(
        actor=SYSTEM, item=item, data={"wording": "Der Beirat beschließt den Übergabebogen."}
    )
    entry = MinutesEntry.objects.get(minutes__meeting=meeting)
    if circulate:
        services.minutes_circulate(actor=SYSTEM, minutes=entry.minutes)
    return meeting, decision, entry


@pytest.fixture
def decided(board, today):
    """A decision of the board with two tasks: Anna's (due in 30 days) and one for the
    Agentur für Arbeit (overdue since yesterday)."""
    meeting, decision, entry = _minutes_with_decision(board, today - datetime.timedelta(days=20))
    board.meeting, board.decision, board.entry = meeting, decision, entry
    board.anna_task = services.task_add(
        actor=SYSTEM,
        entry=entry,
        description="Übergabebogen an die Schulen schicken",
        owner=board.anna,
        due=today + datetime.timedelta(days=30),
        decision=decision,
    )
    board.agentur_task = services.task_add(
        actor=SYSTEM,
        entry=entry,
        description="Beratungstermine anbieten",
        partner=board.agentur,
        due=today - datetime.timedelta(days=1),
        decision=decision,
    )
    return board


@pytest.fixture
def anna_user(decided, member):
    link_user(decided.anna, member)
    return member


@pytest.fixture
def agentur_rep(decided, make_user, network):
    from uebergang.accounts.services import network_role_grant

    user = make_user("rep@example.org", name="Rita Repräsentantin")
    network_role_grant(actor=SYSTEM, network=network, user=user, role="member")
    make_representative(network, decided.agentur, user)
    return user


@pytest.fixture
def other_member(decided, make_user, network):
    """Emil: a member of the board, responsible for neither task."""
    from uebergang.accounts.services import network_role_grant

    user = make_user("emil@example.org", name="Emil Eich")
    network_role_grant(actor=SYSTEM, network=network, user=user, role="member")
    link_user(decided.emil, user)
    return user


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


# --- the traffic light -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "days", "light"),
    [
        ("open", -1, "overdue"),
        ("in_progress", -1, "overdue"),
        ("done", -1, ""),
        ("dropped", -1, ""),
        ("open", 0, "at_risk"),
        ("open", 14, "at_risk"),
        ("open", 15, ""),
        ("in_progress", 3, ""),
        ("open", None, ""),
    ],
)
def test_the_traffic_light(status, days, light):
    today = D(2026, 3, 1)
    due = None if days is None else today + datetime.timedelta(days=days)
    assert task_light(status, due, today) == light


# --- recording the status --------------------------------------------------------------------


def test_a_status_change_leaves_a_dated_note_and_a_history_record(decided, coordinator):
    task = services.task_follow_up(
        actor=coordinator,
        task=decided.anna_task,
        status="in_progress",
        note="Entwurf liegt bei den Schulleitungen.",
    )
    assert reload(task).status == "in_progress"
    note = TaskNote.objects.get(task=task)
    assert (note.status, note.note, note.written_by_name) == (
        "in_progress",
        "Entwurf liegt bei den Schulleitungen.",
        "Kim Koordinata",
    )
    event = HistoryEvent.objects.filter(object_id=task.public_id, action="update").get()
    assert event.changes == {"status": ["open", "in_progress"]}
    assert event.message == "Entwurf liegt bei den Schulleitungen."
    assert event.actor_name == "Kim Koordinata"


def test_the_same_status_needs_a_note_and_dropping_needs_a_reason(decided, coordinator):
    task = decided.anna_task
    with pytest.raises(DomainError) as same:
        services.task_follow_up(actor=coordinator, task=task, status="open")
    assert "schon „offen“" in same.value.field_errors["note"][0]
    with pytest.raises(DomainError) as dropped:
        services.task_follow_up(actor=coordinator, task=task, status="dropped", note="  ")
    assert dropped.value.field_errors == {
        "note": ["Bitte schreiben Sie, warum die Aufgabe entfällt."]
    }
    with pytest.raises(DomainError) as unknown:
        services.task_follow_up(actor=coordinator, task=task, status="finished")
    assert "Unbekannter Stand" in unknown.value.field_errors["status"][0]
    with pytest.raises(DomainError):
        services.task_follow_up(actor=coordinator, task=task, status="done", note="x" * 2001)
    # nothing changed
    assert reload(task).status == "open"
    assert not TaskNote.objects.exists()
    # a report of progress keeps the status and adds a note
    services.task_follow_up(actor=coordinator, task=task, status="open", note="Termin steht.")
    assert TaskNote.objects.get().note == "Termin steht."


def test_a_change_made_meanwhile_is_a_conflict(decided, coordinator):
    task = decided.anna_task
    seen = task.version
    services.task_follow_up(actor=coordinator, task=task, status="in_progress")
    with pytest.raises(Conflict):
        services.task_follow_up(
            actor=coordinator, task=reload(task), status="done", expected_version=seen
        )
    assert reload(task).status == "in_progress"
    assert TaskNote.objects.count() == 1


def test_followed_up_after_the_minutes_are_approved(decided, coordinator):
    later = make_held_meeting(decided, day=timezone.localdate() - datetime.timedelta(days=2))
    services.minutes_approve(actor=coordinator, minutes=decided.entry.minutes, approved_in=later)
    task = services.task_follow_up(actor=coordinator, task=decided.anna_task, status="done")
    assert reload(task).done is True


# --- who may -------------------------------------------------------------------------------


def test_the_responsible_person_follows_up_their_task_only(decided, anna_user):
    services.task_follow_up(actor=anna_user, task=decided.anna_task, status="in_progress")
    assert reload(decided.anna_task).status == "in_progress"
    assert TaskNote.objects.get().written_by == decided.anna
    with pytest.raises(PermissionDenied):
        services.task_follow_up(actor=anna_user, task=decided.agentur_task, status="done")


def test_the_institutions_representative_follows_up_its_task(decided, agentur_rep):
    services.task_follow_up(actor=agentur_rep, task=decided.agentur_task, status="done")
    assert reload(decided.agentur_task).status == "done"
    with pytest.raises(PermissionDenied):
        services.task_follow_up(actor=agentur_rep, task=decided.anna_task, status="done")


def test_other_members_outsiders_and_strangers_are_refused(
    decided, other_member, outsider, stranger
):
    for actor in (other_member, outsider, stranger):
        with pytest.raises(PermissionDenied):
            services.task_follow_up(actor=actor, task=decided.anna_task, status="done")
    assert reload(decided.anna_task).status == "open"
    assert not TaskNote.objects.exists()


# --- the list --------------------------------------------------------------------------------


def _listed(user, today, **filters):
    access = member_access(user, SLUG)
    return list(
        selectors.follow_up_list(network=access.network, access=access, today=today, **filters)
    )


def test_the_list_shows_each_decision_with_its_tasks_and_filters(
    decided, coordinator, network, today
):
    from .factories import make_body

    other = make_body(network, "Arbeitsgremium Elternarbeit", kind="working_group")
    year = decided.decision.year  # the year of its meeting, 20 days ago (not always today's)
    _, last_year, _ = _minutes_with_decision(decided, D(year - 1, 5, 5), circulate=False)
    rows = _listed(coordinator, today)
    assert [r.pk for r in rows] == [decided.decision.pk, last_year.pk]
    first = rows[0]
    assert [t.description for t in first.tasks.all()] == [
        "Beratungstermine anbieten",
        "Übergabebogen an die Schulen schicken",
    ]
    assert [t.light for t in first.tasks.all()] == ["overdue", ""]
    assert first.minutes_state == "circulated"
    assert [r.pk for r in _listed(coordinator, today, year=year - 1)] == [last_year.pk]
    assert [r.pk for r in _listed(coordinator, today, year=year)] == [decided.decision.pk]
    assert [r.pk for r in _listed(coordinator, today, partner=decided.agentur)] == [
        decided.decision.pk
    ]
    assert _listed(coordinator, today, partner=decided.ihk) == []
    assert _listed(coordinator, today, body=other) == []
    assert [r.pk for r in _listed(coordinator, today, stand="ueberfaellig")] == [
        decided.decision.pk
    ]
    assert _listed(coordinator, today, stand="erledigt") == []
    for task in (decided.anna_task, decided.agentur_task):
        services.task_follow_up(actor=coordinator, task=task, status="done")
    assert [r.pk for r in _listed(coordinator, today, stand="erledigt")] == [decided.decision.pk]
    assert _listed(coordinator, today, stand="offen") == []


def test_members_see_their_bodies_decisions_once_the_minutes_are_circulated(
    decided, other_member, outsider, today, network
):
    _, draft, _ = _minutes_with_decision(
        decided, today - datetime.timedelta(days=3), circulate=False
    )
    assert [r.pk for r in _listed(other_member, today)] == [decided.decision.pk]
    # not a member of the body: nothing
    from uebergang.accounts.services import network_role_grant

    network_role_grant(actor=SYSTEM, network=network, user=outsider, role="member")
    assert _listed(outsider, today) == []


@pytest.mark.parametrize("n", [20, 200])
def test_the_list_needs_the_same_queries_for_20_and_200_decisions(
    n, board, coordinator_client, today
):
    meeting = make_held_meeting(board, day=today - datetime.timedelta(days=30))
    item = meeting.agenda_items.order_by("position").first()
    services.minutes_save(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=None,
        entries={item.public_id: {"discussion": "Bericht"}},
    )
    entry = MinutesEntry.objects.get(minutes__meeting=meeting)
    from uebergang.meetings.models import Decision

    decisions = Decision.objects.bulk_create(
        Decision(
            network=board.network,
            agenda_item=item,
            body=meeting.body,
            year=2026,
            number=i + 1,
            wording=f"Beschluss {i}",
        )
        for i in range(n)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            network=board.network,
            entry=entry,
            decision=d,
            description=f"Aufgabe {i}",
            owner=board.anna if i % 2 else None,
            partner=board.agentur if i % 3 else None,
            owner_text="" if i % 2 else "Koordinierungsstelle",
            due=today + datetime.timedelta(days=i % 40 - 10),
        )
        for i, d in enumerate(decisions)
    )
    url = reverse("meetings:follow_up", args=[SLUG])
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"Beschluss 0" in response.content or b"Beschluss 1" in response.content
    with CaptureQueriesContext(connection) as filtered:
        response = coordinator_client.get(url, {"jahr": 2026, "stand": "offen", "seite": 2})
    assert response.status_code == 200
    QUERIES.setdefault("filtered", set()).add(len(filtered))
    with CaptureQueriesContext(connection) as api_queries:
        api = coordinator_client.get(f"/api/v1/networks/{SLUG}/decisions?limit=50")
    assert api.status_code == 200
    assert api.json()["count"] == n
    QUERIES.setdefault("page", set()).add(len(queries))
    QUERIES.setdefault("api", set()).add(len(api_queries))
    if n == 200:
        assert len(QUERIES["page"]) == 1, QUERIES
        assert len(QUERIES["api"]) == 1, QUERIES
        assert len(QUERIES["filtered"]) == 1, QUERIES


QUERIES: dict[str, set[int]] = {}


# --- pages -----------------------------------------------------------------------------------


def test_the_pages_of_the_list_and_of_a_task(decided, coordinator_client):
    page = coordinator_client.get(reverse("meetings:follow_up", args=[SLUG]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Beschlüsse und ihre Umsetzung" in text
    assert "Beratungstermine anbieten" in text and "überfällig" in text
    assert decided.decision.reference in text
    url = reverse("meetings:task_detail", args=[SLUG, decided.anna_task.public_id])
    detail = coordinator_client.get(url)
    assert detail.status_code == 200
    assert "Stand eintragen" in detail.content.decode()
    posted = coordinator_client.post(
        url,
        {"status": "in_progress", "note": "Läuft.", "version": decided.anna_task.version},
        follow=True,
    )
    assert "Der Stand der Aufgabe ist eingetragen: in Arbeit." in posted.content.decode()
    assert "Läuft." in posted.content.decode()
    # a stale form: a conflict, nothing overwritten
    stale = coordinator_client.post(
        url, {"status": "done", "note": "", "version": decided.anna_task.version}
    )
    assert stale.status_code == 200
    assert "Jemand anderes hat den Stand inzwischen geändert." in stale.content.decode()
    assert reload(decided.anna_task).status == "in_progress"
    # bad input: a clear message, nothing changed
    bad = coordinator_client.post(url, {"status": "dropped", "note": ""})
    assert "Bitte schreiben Sie, warum die Aufgabe entfällt." in bad.content.decode()
    assert reload(decided.anna_task).status == "in_progress"


def test_a_task_page_for_those_who_may_not_see_it(decided, client, other_member, outsider):
    url = reverse("meetings:task_detail", args=[SLUG, decided.anna_task.public_id])
    client.force_login(other_member)  # a member of the body: reads, cannot record
    page = client.get(url)
    assert page.status_code == 200
    assert "Stand eintragen" not in page.content.decode()
    assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(outsider)  # another network's member: no such page
    assert client.get(url).status_code == 404


# --- API -------------------------------------------------------------------------------------


def test_the_api_reads_and_records_the_status(decided, coordinator_client, anna_user):
    from django.test import Client

    client = Client()
    base = f"/api/v1/networks/{SLUG}"
    listed = coordinator_client.get(f"{base}/decisions?stand=ueberfaellig").json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert row["reference"] == decided.decision.reference
    assert row["provisional"] is True
    assert [(t["status"], t["light"]) for t in row["tasks"]] == [("open", "overdue"), ("open", "")]
    task_url = f"{base}/tasks/{decided.anna_task.public_id}"
    client.force_login(anna_user)
    changed = client.patch(
        task_url,
        json.dumps(
            {"status": "in_progress", "note": "Angefangen", "version": decided.anna_task.version}
        ),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["status"] == "in_progress"
    detail = client.get(task_url).json()
    assert [(n["status"], n["note"]) for n in detail["notes"]] == [("in_progress", "Angefangen")]
    # stale version: 409 in the documented shape
    stale = client.patch(
        task_url,
        json.dumps({"status": "done", "version": decided.anna_task.version}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    # someone else's task: 403; malformed: 422; the older `done`
    other = f"{base}/tasks/{decided.agentur_task.public_id}"
    refused = client.patch(other, json.dumps({"done": True}), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    for body in ("{", json.dumps({"status": "finished"}), json.dumps({"note": 5}), json.dumps({})):
        bad = coordinator_client.patch(other, body, content_type="application/json")
        assert bad.status_code in (400, 422), body
        assert set(bad.json()) >= {"code", "message"}
    done = coordinator_client.patch(
        other, json.dumps({"done": True}), content_type="application/json"
    )
    assert done.json()["status"] == "done"
    assert coordinator_client.get(f"{base}/decisions?year=abc").status_code == 422


# --- older files -----------------------------------------------------------------------------


def test_an_older_files_done_becomes_a_status():
    lists = {
        "action_items": [
            {"public_id": "a", "done": True},
            {"public_id": "b", "done": False},
            {"public_id": "c", "status": "in_progress"},
        ]
    }
    _status_from_done(lists)
    assert [t.get("status") for t in lists["action_items"]] == ["done", "open", "in_progress"]
    assert all("done" not in t for t in lists["action_items"])


# --- the data migration ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_done_into_a_status(board, today):
    """Tasks from before the follow-up: `done` true → "erledigt", false → "offen"."""
    from django.db.migrations.executor import MigrationExecutor

    meeting, decision, entry = _minutes_with_decision(board, today - datetime.timedelta(days=9))
    done = services.task_add(actor=SYSTEM, entry=entry, description="Erledigt", owner_text="X")
    services.task_add(actor=SYSTEM, entry=entry, description="Offen", owner_text="X")
    services.task_follow_up(actor=SYSTEM, task=done, status="done")
    before = [("meetings", "0009_remove_minutesentry_decisions")]
    after = [("meetings", "0010_task_follow_up")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("meetings", "ActionItem")
        assert sorted(old._base_manager.values_list("description", "done")) == [
            ("Erledigt", True),
            ("Offen", False),
        ]
        old._base_manager.filter(description="Offen").update(done=False)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert sorted(ActionItem.all_objects.values_list("description", "status")) == [
        ("Erledigt", "done"),
        ("Offen", "open"),
    ]


# --- the work queue --------------------------------------------------------------------------


def test_the_institutions_representative_finds_its_tasks_in_the_queue(
    decided, agentur_rep, anna_user, today
):
    from uebergang.core import workqueue

    rep_items = [
        i
        for i in workqueue.collect(member_access(agentur_rep, SLUG), today)
        if i.code == "meetings.task"
    ]
    assert [(i.record_label, i.severity) for i in rep_items] == [
        ("Beratungstermine anbieten", "danger")
    ]
    assert "für Agentur für Arbeit Göttingen" in rep_items[0].note
    anna_items = [
        i
        for i in workqueue.collect(member_access(anna_user, SLUG), today)
        if i.code == "meetings.task"
    ]
    assert [i.record_label for i in anna_items] == ["Übergabebogen an die Schulen schicken"]
    services.task_follow_up(actor=SYSTEM, task=decided.agentur_task, status="done")
    assert not [
        i
        for i in workqueue.collect(member_access(agentur_rep, SLUG), today)
        if i.code == "meetings.task"
    ]


def test_the_office_sees_overdue_tasks_with_who_is_responsible(decided, coordinator, today):
    from uebergang.core import workqueue

    items = [
        i
        for i in workqueue.collect(member_access(coordinator, SLUG), today)
        if i.record_kind == "task"
    ]
    assert [(i.record_label, i.note) for i in items if i.audience == "office"] == [
        ("Beratungstermine anbieten", "zuständig: Agentur für Arbeit Göttingen")
    ]
