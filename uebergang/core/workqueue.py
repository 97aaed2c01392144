"""The personal work queue: what a person has to do in a network, and by when.

Every app plugs in with providers in its own `workqueue.py` (found through the app registry by
`CoreConfig.ready()`, so `core` imports no domain app):

    from uebergang.core.workqueue import WorkItem, provider

    @provider("meetings.invitation_replies")
    def invitation_replies(access, today):
        ...
        yield WorkItem(code="meetings.invitation_reply", title=_("Auf die Einladung antworten"),
                       record_kind="meeting", record_id=m.public_id, record_label=str(m),
                       due=m.starts_at, url=...)

A provider is a function `(access, today) -> iterable of WorkItem`: it decides itself whether
the access concerns it (an office provider yields nothing for a member) and needs a fixed
number of queries, however many items it finds. `collect(access, today)` asks every provider
and sorts the items by due date.

Providers of one app that pick from the same rows (the meetings ahead, say: invitations due,
replies missing, quorum at risk) read them once per `collect` through `shared(key, load)`:
every query is a round trip, and on PostgreSQL the round trips were most of the start page's
time."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

# How pressing an item is: "danger" (overdue, failed), "warning" (soon, at risk), "info" (a
# reminder, nothing to decide). The page shows it as a KERN badge of that colour.
DANGER = "danger"
WARNING = "warning"
INFO = "info"
SEVERITIES = (DANGER, WARNING, INFO)

# Whose duty an item is: the person's own, or the coordination office's.
PERSON = "person"
OFFICE = "office"
AUDIENCES = (PERSON, OFFICE)


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what (German), for which record, by when, and where it is done."""

    code: str  # what kind of duty, e.g. "meetings.invitation_reply"
    title: str  # what to do, e.g. "Auf die Einladung antworten"
    record_kind: str  # e.g. "meeting", "task", "network_day"
    record_id: Any  # the record's public id
    record_label: str  # e.g. "Sitzung des Beirats (12.03.2027)"
    url: str  # where it is done
    due: datetime.date | datetime.datetime | None = None
    severity: str = INFO
    audience: str = PERSON
    note: str = ""  # a short detail, e.g. "2 von 3 Sitzen zugesagt"
    provider: str = ""  # filled in by `collect`

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")

    @property
    def due_day(self) -> datetime.date | None:
        """The local day the item is due (for a datetime, its day in the local time zone)."""
        if isinstance(self.due, datetime.datetime):
            return timezone.localtime(self.due).date()
        return self.due

    @property
    def due_has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)

    def overdue_on(self, today: datetime.date) -> bool:
        day = self.due_day
        return day is not None and day < today


Provider = Callable[[Any, datetime.date], Iterable[WorkItem]]


class Registry:
    """Providers by name; registering a name twice is an error (two apps would otherwise
    silently replace each other's duties)."""

    def __init__(self) -> None:
        self._providers: dict[str, Provider] = {}

    def register(self, name: str, func: Provider) -> Provider:
        if name in self._providers:
            raise ValueError(f"work queue provider {name!r} is already registered")
        self._providers[name] = func
        return func

    def provider(self, name: str) -> Callable[[Provider], Provider]:
        """Decorator form of `register`."""
        return lambda func: self.register(name, func)

    def names(self) -> list[str]:
        return sorted(self._providers)

    def collect(self, access: Any, today: datetime.date | None = None) -> list[WorkItem]:
        """Every item of every provider for this access, sorted: by due day and time (items
        without a due date last), then by severity, then by what and for which record."""
        today = today or timezone.localdate()
        token = _shared.set({})
        try:
            items = [
                replace(item, provider=name)
                for name in self.names()
                for item in self._providers[name](access, today)
            ]
        finally:
            _shared.reset(token)
        return sorted(items, key=_sort_key)


# What providers read alike during one `collect` (`shared`); None outside of it.
_shared: ContextVar[dict[str, Any] | None] = ContextVar("workqueue_shared", default=None)


def shared(key: str, load: Callable[[], Any]) -> Any:
    """`load()`, run once per `collect` for `key` (one access, one day): providers that pick
    from the same rows share one query. Outside `collect` (a provider called alone) it is
    run every time. Kept for that one call only, never across requests; `key` starts with
    the app's label, e.g. "meetings.ahead"."""
    memo = _shared.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def _sort_key(item: WorkItem) -> tuple:
    due = item.due
    if due is None:
        when: tuple = (1, datetime.date.max, datetime.time.max)
    elif isinstance(due, datetime.datetime):
        local = timezone.localtime(due)
        when = (0, local.date(), local.time())
    else:  # a day: due by its end
        when = (0, due, datetime.time.max)
    return (*when, SEVERITIES.index(item.severity), item.title, item.record_label)


def moment(today: datetime.date) -> datetime.datetime:
    """ "Now" for a queue asked for `today`: the current time on the current day, else the
    start of that day (so tests and previews can pass any day)."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


registry = Registry()
register = registry.register
provider = registry.provider
collect = registry.collect


def split(items: Iterable[WorkItem]) -> dict[str, list[WorkItem]]:
    """The items by audience: {"person": [...], "office": [...]}, each in queue order."""
    groups: dict[str, list[WorkItem]] = {PERSON: [], OFFICE: []}
    for item in items:
        groups[item.audience].append(item)
    return groups


@dataclass(frozen=True)
class Row:
    """An item as the page shows it: with its badge (colour and text) for `today`."""

    item: WorkItem
    overdue: bool
    badge: str  # a KERN badge colour, or "" for none
    badge_label: str


def present(items: Iterable[WorkItem], today: datetime.date) -> list[Row]:
    from django.utils.translation import gettext as _

    rows = []
    for item in items:
        overdue = item.overdue_on(today)
        if overdue:
            badge, label = DANGER, _("überfällig")
        elif item.severity == DANGER:
            badge, label = DANGER, _("dringend")
        elif item.severity == WARNING:
            badge, label = WARNING, _("bald erledigen")
        else:
            badge, label = "", ""
        rows.append(Row(item=item, overdue=overdue, badge=badge, badge_label=label))
    return rows
