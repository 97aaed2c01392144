"""When a meeting's minutes are approved, the decision taken on a topic's agenda item
becomes the body's outcome on the topic (`core.lifecycle.on_minutes_approved`): the advisory
board's decision is its recommendation, the decision board's its decision. Until then the
topic shows it as "vorläufig" and the office records the outcome by hand if it wishes.

Taken over only where it is unambiguous: the topic waits with that body for exactly this
step, is not paused, and the item carries one decision that says yes or no (adopted or
rejected; a postponement or a noting leaves the topic where it is)."""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _

from uebergang.core.errors import DomainError
from uebergang.core.lifecycle import on_minutes_approved
from uebergang.meetings.models import Decision, DecisionOutcome

from . import services
from .models import AgendaLink, Outcome, TopicState

log = logging.getLogger(__name__)


@on_minutes_approved
def take_over_decisions(*, actor: Any, meeting: Any) -> None:
    links = AgendaLink.objects.filter(
        agenda_item__meeting=meeting, agenda_item__deleted_at__isnull=True
    ).select_related("topic", "agenda_item")
    for link in links:
        topic = link.topic
        if topic.paused_at is not None or topic.body_id != meeting.body_id:
            continue
        decisions = list(
            Decision.objects.filter(agenda_item=link.agenda_item).select_related("body")
        )
        if len(decisions) != 1:
            continue
        decision = decisions[0]
        try:
            _take_over(actor, topic, decision)
        except DomainError as error:  # the office records it by hand
            log.info("topic %s: decision %s not taken over: %s", topic.pk, decision, error)


def _take_over(actor: Any, topic: Any, decision: Decision) -> None:
    source = _("Aus dem genehmigten Protokoll, Beschluss %(reference)s.") % {
        "reference": decision.reference
    }
    if topic.state == TopicState.RECOMMENDATION and decision.outcome == DecisionOutcome.ADOPTED:
        services.topic_recommend(
            actor=actor,
            topic=topic,
            expected_version=None,
            recommendation=decision.wording,
            note=source,
        )
    elif topic.state == TopicState.DECISION and decision.outcome in (
        DecisionOutcome.ADOPTED,
        DecisionOutcome.REJECTED,
    ):
        outcome = (
            Outcome.ADOPTED if decision.outcome == DecisionOutcome.ADOPTED else Outcome.REJECTED
        )
        services.topic_decide(
            actor=actor,
            topic=topic,
            expected_version=None,
            outcome=outcome,
            text=f"{decision.wording}\n\n{source}",
        )
