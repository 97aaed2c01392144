"""The work queue's registry (`core.workqueue`): providers by name, no name twice, items sorted
by due date, the badges the page shows. Fake providers and accesses: core knows no domain app
(the providers of meetings have their own tests in meetings/tests/test_workqueue.py)."""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from uebergang.core import workqueue
from uebergang.core.workqueue import DANGER, INFO, OFFICE, WARNING, Registry, WorkItem

pytestmark = pytest.mark.clock

TODAY = datetime.date(2030, 3, 14)
ACCESS = SimpleNamespace(user=None, network=None, role="member")


def item(title: str, due=None, severity: str = INFO, **kwargs) -> WorkItem:
    return WorkItem(
        code="test.thing",
        title=title,
        record_kind="thing",
        record_id=uuid.UUID(int=1),
        record_label=kwargs.pop("label", "Ding"),
        url="/ding/",
        due=due,
        severity=severity,
        **kwargs,
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_registering_a_name_twice_is_an_error():
    # given
    registry = Registry()
    registry.register("test.a", lambda access, today: [])
    # when / then
    with pytest.raises(ValueError, match="'test.a' is already registered"):
        registry.register("test.a", lambda access, today: [])
    assert registry.names() == ["test.a"]


def test_the_decorator_registers_under_the_name():
    # given
    registry = Registry()

    @registry.provider("test.b")
    def provide(access, today):
        return [item("Tun")]

    # then
    assert registry.names() == ["test.b"]
    assert provide(ACCESS, TODAY) == [item("Tun")]


def test_collect_asks_every_provider_with_access_and_day_and_names_the_provider():
    # given
    registry = Registry()
    seen = []

    def first(access, today):
        seen.append((access, today))
        yield item("Erstens", TODAY)

    registry.register("test.first", first)
    registry.register("test.second", lambda access, today: [item("Zweitens", TODAY)])
    # when
    items = registry.collect(ACCESS, TODAY)
    # then
    assert seen == [(ACCESS, TODAY)]
    assert [(i.title, i.provider) for i in items] == [
        ("Erstens", "test.first"),
        ("Zweitens", "test.second"),
    ]


def test_collect_sorts_by_due_then_severity_then_title():
    # given: a day counts as due at its end, so a time on the same day comes first
    registry = Registry()
    tomorrow = TODAY + datetime.timedelta(days=1)
    registry.register(
        "test.mixed",
        lambda access, today: [
            item("Ohne Frist"),
            item("Morgen", tomorrow),
            item("Heute, Tag", TODAY),
            item("Heute, 10 Uhr", at(TODAY, 10)),
            item("Heute, Tag, dringend", TODAY, DANGER),
            item("Heute, 9 Uhr", at(TODAY, 9)),
        ],
    )
    # when
    items = registry.collect(ACCESS, TODAY)
    # then
    assert [i.title for i in items] == [
        "Heute, 9 Uhr",
        "Heute, 10 Uhr",
        "Heute, Tag, dringend",
        "Heute, Tag",
        "Morgen",
        "Ohne Frist",
    ]


def test_collect_defaults_to_the_local_day():
    # given
    registry = Registry()
    days = []
    registry.register("test.day", lambda access, today: days.append(today) or [])
    # when
    registry.collect(ACCESS)
    # then
    assert days == [timezone.localdate()]


def test_providers_share_what_they_read_once_per_collect():
    # given: two providers that pick from the same rows
    registry = Registry()
    loads = []

    def rows():
        loads.append(1)
        return [item("A"), item("B")]

    registry.register("test.first", lambda access, today: workqueue.shared("test.rows", rows)[:1])
    registry.register("test.second", lambda access, today: workqueue.shared("test.rows", rows)[1:])
    # when
    first = registry.collect(ACCESS, TODAY)
    second = registry.collect(ACCESS, TODAY)
    # then: read once per collect, never kept from one collect to the next
    assert [i.title for i in first] == ["A", "B"] == [i.title for i in second]
    assert len(loads) == 2


def test_shared_outside_collect_reads_every_time():
    # given
    loads = []
    # when
    workqueue.shared("test.rows", lambda: loads.append(1))
    workqueue.shared("test.rows", lambda: loads.append(1))
    # then
    assert len(loads) == 2


def test_a_failing_provider_leaves_nothing_shared_behind():
    # given
    registry = Registry()

    def broken(access, today):
        workqueue.shared("test.rows", lambda: [item("alt")])
        raise RuntimeError("kaputt")

    registry.register("test.broken", broken)
    # when
    with pytest.raises(RuntimeError):
        registry.collect(ACCESS, TODAY)
    # then: the next call outside collect reads afresh
    assert workqueue.shared("test.rows", lambda: "neu") == "neu"


def test_an_item_checks_its_severity_and_audience():
    with pytest.raises(ValueError, match="unknown severity 'hoch'"):
        item("Tun", severity="hoch")
    with pytest.raises(ValueError, match="unknown audience 'alle'"):
        item("Tun", audience="alle")


def test_due_day_and_overdue():
    # given
    late_evening = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(23, 30)))
    # then
    assert item("a", late_evening).due_day == TODAY
    assert item("a", late_evening).due_has_time is True
    assert item("b", TODAY).due_has_time is False
    assert item("b", TODAY).overdue_on(TODAY) is False
    assert item("b", TODAY).overdue_on(TODAY + datetime.timedelta(days=1)) is True
    assert item("c").overdue_on(TODAY) is False


def test_present_gives_the_badges():
    # given
    yesterday = TODAY - datetime.timedelta(days=1)
    items = [
        item("überfällig", yesterday),
        item("dringend", TODAY, DANGER),
        item("bald", TODAY, WARNING),
        item("nur zur Info", TODAY),
    ]
    # when
    rows = workqueue.present(items, TODAY)
    # then
    assert [(r.overdue, r.badge, r.badge_label) for r in rows] == [
        (True, DANGER, "überfällig"),
        (False, DANGER, "dringend"),
        (False, WARNING, "bald erledigen"),
        (False, "", ""),
    ]


def test_split_by_audience_keeps_the_order():
    # given
    items = [item("a"), item("b", audience=OFFICE), item("c")]
    # when
    groups = workqueue.split(items)
    # then
    assert {k: [i.title for i in v] for k, v in groups.items()} == {
        "person": ["a", "c"],
        "office": ["b"],
    }


def test_moment_is_now_today_and_midnight_on_another_day():
    # given
    now = timezone.now()
    # then
    assert workqueue.moment(timezone.localdate()) >= now
    assert workqueue.moment(TODAY) == workqueue.start_of(TODAY)
    assert timezone.localtime(workqueue.start_of(TODAY)).time() == datetime.time(0, 0)


def test_the_apps_register_their_providers_at_start_up():
    # the registry is filled by CoreConfig.ready() through each app's `workqueue.py`
    assert [n for n in workqueue.registry.names() if n.startswith("meetings.")] == [
        "meetings.failed_deliveries",
        "meetings.invitation_replies",
        "meetings.invitations_due",
        "meetings.minutes",
        "meetings.my_tasks",
        "meetings.network_day_registration",
        "meetings.next_meetings",
        "meetings.overdue_tasks",
        "meetings.quorum_at_risk",
        "meetings.replies_missing",
    ]
