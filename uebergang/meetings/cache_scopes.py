"""A meeting's page is cached per meeting (`core.cachegen.scope`): these kinds are what the
page shows of that meeting, so a change of one renews that meeting's page only. Each
resolver finds the meeting without a query (from the record's own column, or from a
related record already loaded); where it cannot, the change renews every meeting's page.
The page still depends on every other kind (people, partners, bodies, settings …), through
`cachegen.unscoped_kinds`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from uebergang.core.cachegen import scope

MEETING = "meetings.meeting"


def _via(*path: str) -> Callable[[Any], int | None]:
    """The meeting of the related record at `path` (e.g. "entry", "minutes"), if that record
    is already loaded (no query), else None."""

    def resolve(obj: Any) -> int | None:
        for name in path:
            obj = obj._state.fields_cache.get(name) if obj is not None else None
        return obj.meeting_id if obj is not None else None

    return resolve


scope(MEETING, MEETING, lambda meeting: meeting.pk)
for kind in (
    "meetings.agendaitem",
    "meetings.document",
    "meetings.invitation",
    "meetings.attendance",
    "meetings.minutes",
):
    scope(kind, MEETING, lambda obj: obj.meeting_id)
scope("meetings.minutesentry", MEETING, _via("minutes"))
scope("meetings.minutescorrection", MEETING, _via("minutes"))
scope("meetings.decision", MEETING, _via("agenda_item"))
scope("meetings.actionitem", MEETING, _via("entry", "minutes"))
