"""The journey's table in docs/topics.md is the state machine: every move it lists is
allowed, every other (state, action) refused with a message naming what is possible."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from uebergang.core.errors import DomainError
from uebergang.topics import journey
from uebergang.topics.models import TopicState

DOC = Path(__file__).resolve().parents[3] / "docs" / "topics.md"


def documented() -> dict[tuple[str, str], str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] in journey.ACTION_LABELS:
            state = "" if cells[0] == "–" else cells[0]
            rows[(state, cells[1])] = cells[2]
    return rows


def test_the_documented_table_is_the_machine():
    assert documented() == journey.TRANSITIONS


STATES = ["", *TopicState.values]


def topic(state: str, paused: bool):
    if state == "":
        return None
    return SimpleNamespace(state=state, paused_at="x" if paused else None, state_label=state)


@pytest.mark.parametrize(
    ("state", "action", "paused"),
    list(itertools.product(STATES, list(journey.ACTION_LABELS), [False, True])),
)
def test_every_move_is_allowed_or_refused_as_the_table_says(state, action, paused):
    if state == "" and paused:
        pytest.skip("a topic that does not exist is not paused")
    allowed = (state, action) in journey.TRANSITIONS and (
        action in journey.WHILE_PAUSED if paused else action not in journey.ONLY_PAUSED
    )
    if allowed:
        assert journey.move(topic(state, paused), action) == journey.TRANSITIONS[(state, action)]
    else:
        with pytest.raises(DomainError) as error:
            journey.move(topic(state, paused), action)
        assert error.value.code == "invalid_transition"
        options = journey.possible(state, paused)
        if options:
            named = re.findall(r"Möglich ist: (.*)\.$", error.value.message)[0]
            assert named == ", ".join(str(journey.ACTION_LABELS[o]) for o in options)
        else:
            assert error.value.message.endswith("Das Thema ist abgeschlossen.")
