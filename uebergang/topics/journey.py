"""The journey of a topic as one state machine: which action leads from which state to
which. docs/topics.md shows the same table; `tests/test_journey.py` reads it from there and
checks every allowed and every refused move against this one.

A paused topic keeps its state; while paused, only "resume" (and "withdraw") are possible.
Which of the two ways on from the advisory board's recommendation a network takes is its
setting `topics.final_decision`: "recommend" (the decision board decides) or
"recommend_final" (the recommendation ends the journey)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from uebergang.core.errors import DomainError

from .models import Topic, TopicState

OPEN = "open"
EDIT = "edit"
REFER_ADVISORY = "refer_advisory"
STATEMENT = "statement"
REFER_WORKING = "refer_working_group"
SKIP_WORKING = "skip_working_groups"
RESULT = "result"
RETURN_ADVISORY = "return_advisory"
RECOMMEND = "recommend"
RECOMMEND_FINAL = "recommend_final"
DECIDE = "decide"
SEND_BACK = "send_back"
PAUSE = "pause"
RESUME = "resume"
WITHDRAW = "withdraw"

ACTION_LABELS = {
    OPEN: _("Thema einbringen"),
    EDIT: _("Thema bearbeiten"),
    REFER_ADVISORY: _("an den Beirat weitergeben"),
    STATEMENT: _("Stellungnahme abgeben"),
    REFER_WORKING: _("an ein Arbeitsgremium weitergeben"),
    SKIP_WORKING: _("ohne Arbeitsgremium zur Empfehlung"),
    RESULT: _("Ergebnis eintragen"),
    RETURN_ADVISORY: _("Ergebnisse an den Beirat zurückgeben"),
    RECOMMEND: _("Empfehlung eintragen und dem Entscheidungsgremium vorlegen"),
    RECOMMEND_FINAL: _("Empfehlung eintragen und abschließen"),
    DECIDE: _("Entscheidung eintragen"),
    SEND_BACK: _("zur weiteren Bearbeitung zurückgeben"),
    PAUSE: _("pausieren"),
    RESUME: _("fortsetzen"),
    WITHDRAW: _("zurückziehen"),
}

NEW = ""  # the state before a topic exists
B, S, W = TopicState.BOARD, TopicState.STATEMENTS, TopicState.WITHDRAWN
G, R = TopicState.WORKING, TopicState.RECOMMENDATION
D, E = TopicState.DECISION, TopicState.DECIDED

# (state, action) -> state after it. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (NEW, OPEN): B,
    (B, EDIT): B,
    (B, REFER_ADVISORY): S,
    (S, STATEMENT): S,
    (S, REFER_WORKING): G,
    (G, REFER_WORKING): G,
    (S, SKIP_WORKING): R,
    (G, RESULT): G,
    (G, RETURN_ADVISORY): R,
    (R, RECOMMEND): D,
    (R, RECOMMEND_FINAL): E,
    (D, DECIDE): E,
    (D, SEND_BACK): B,
    (B, PAUSE): B,
    (S, PAUSE): S,
    (G, PAUSE): G,
    (R, PAUSE): R,
    (D, PAUSE): D,
    (B, RESUME): B,
    (S, RESUME): S,
    (G, RESUME): G,
    (R, RESUME): R,
    (D, RESUME): D,
    (B, WITHDRAW): W,
    (S, WITHDRAW): W,
    (G, WITHDRAW): W,
    (R, WITHDRAW): W,
    (D, WITHDRAW): W,
}

# What a paused topic still allows; what only a paused one allows.
WHILE_PAUSED = {RESUME, WITHDRAW}
ONLY_PAUSED = {RESUME}


def possible(state: str, paused: bool) -> list[str]:
    """The actions possible from this state, in the order of ACTION_LABELS."""
    return [
        action
        for action in ACTION_LABELS
        if (state, action) in TRANSITIONS
        and (action in WHILE_PAUSED if paused else action not in ONLY_PAUSED)
    ]


def move(topic: Topic | None, action: str) -> str:
    """The state after `action`, or a refusal that names what is possible from here."""
    state = topic.state if topic is not None else NEW
    paused = topic is not None and topic.paused_at is not None
    if action in possible(state, paused):
        return TRANSITIONS[(state, action)]
    options = possible(state, paused)
    here = _("pausiert") if paused else (topic.state_label if topic is not None else "")
    message = gettext("„%(action)s“ ist im Stand „%(state)s“ nicht möglich.") % {
        "action": ACTION_LABELS.get(action, action),
        "state": here,
    }
    if options:
        message += " " + gettext("Möglich ist: %(options)s.") % {
            "options": ", ".join(str(ACTION_LABELS[o]) for o in options)
        }
    else:
        message += " " + gettext("Das Thema ist abgeschlossen.")
    raise DomainError(message, code="invalid_transition")
