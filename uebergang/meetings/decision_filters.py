"""Filters that later apps add to the follow-up list ("Beschlüsse und ihre Umsetzung"),
without `meetings` knowing them: `topics` adds the topic area of a decision's topic. A
filter is a GET parameter with its choices and the condition on `Decision` it stands for;
the list stays one query over one model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class DecisionFilter:
    key: str  # the GET parameter (plain ASCII, German: "themenkomplex")
    label: Any  # lazy text
    choices: Callable[[], Sequence[tuple[str, Any]]]
    condition: Callable[[str], Q]  # on Decision
    order: int = 100


_FILTERS: dict[str, DecisionFilter] = {}


def register_decision_filter(spec: DecisionFilter) -> None:
    if spec.key in _FILTERS:
        raise ValueError(f"decision filter {spec.key!r} registered twice")
    _FILTERS[spec.key] = spec


def decision_filters() -> list[DecisionFilter]:
    return sorted(_FILTERS.values(), key=lambda f: (f.order, f.key))
