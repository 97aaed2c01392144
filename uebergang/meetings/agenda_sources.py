"""Where an agenda item can come from besides the blank form: later apps offer records of
theirs for a meeting's agenda (topics: the topics that are with the meeting's body), without
`meetings` knowing them. The page "Tagesordnungspunkt hinzufügen" shows each source that has
something to offer as a choice and a button; the source's `add` makes the item (and links it
on its side)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AgendaSource:
    key: str  # the form's value of `quelle` (plain ASCII)
    label: Any  # lazy text: the choice's label ("Thema")
    submit: Any  # lazy text: the button
    choices: Callable[[Any], Sequence[tuple[str, str]]]  # meeting → (value, label)
    add: Callable[..., Any]  # (actor=, meeting=, value=) → the new AgendaItem
    order: int = 100


_SOURCES: dict[str, AgendaSource] = {}


def register_agenda_source(spec: AgendaSource) -> None:
    if spec.key in _SOURCES:
        raise ValueError(f"agenda source {spec.key!r} registered twice")
    _SOURCES[spec.key] = spec


def agenda_sources() -> list[AgendaSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def agenda_source(key: str) -> AgendaSource | None:
    return _SOURCES.get(key)
