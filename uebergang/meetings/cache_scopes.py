"""A meeting's page is cached per meeting (`core.cachegen.scope`): these kinds are what the
page shows of that meeting, so a change of one renews that meeting's page only. Each
resolver finds the meeting without a query (from the record's own column, or from a
related record already loaded); where it cannot, the change renews every meeting's page.
The page still depends on every other kind (people, partners, bodies, settings …), through
`cachegen.unscoped_kinds`."""

from __future__ import annotations

from typing import Any

from uebergang.core.cachegen import scope

MEETING = "meetings.meeting"


def _loaded(obj: Any, *path: str) -> Any:
    """The related record at `path` if already loaded (no query), else None."""
    for name in path:
        obj = obj._state.fields_cache.get(name) if obj is not None else None
    return obj


def _via_minutes(obj: Any) -> int | None:
    minutes = _loaded(obj, "minutes")
    return minutes.meeting_id if minutes is not None else None


def _via_agenda_item(obj: Any) -> int | None:
    item = _loaded(obj, "agenda_item")
    return item.meeting_id if item is not None else None


def _via_entry(obj: Any) -> int | None:
    minutes = _loaded(obj, "entry", "minutes")
    return minutes.meeting_id if minutes is not None else None


scope(MEETING, MEETING, lambda meeting: meeting.pk)
for kind in (
    "meetings.agendaitem",
    "meetings.document",
    "meetings.invitation",
    "meetings.attendance",
    "meetings.minutes",
):
    scope(kind, MEETING, lambda obj: obj.meeting_id)
scope("meetings.minutesentry", MEETING, _via_minutes)
scope("meetings.minutescorrection", MEETING, _via_minutes)
scope("meetings.decision", MEETING, _via_agenda_item)
scope("meetings.actionitem", MEETING, _via_entry)
