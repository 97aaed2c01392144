"""What topics shows on other apps' pages (`core.panels`): on a body's page, the topics in
progress that wait with the body, each with what the body has to do next (statements by
their deadline); on a meeting's page, the topics on its agenda. A member sees those of them
they may see (`rules.member_topics`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from uebergang.bodies.models import Body
from uebergang.core.models import choice_label
from uebergang.core.navigation import record_url
from uebergang.core.panels import register_panel
from uebergang.core.prepared import prepared
from uebergang.meetings.models import Meeting

from .models import Referral, Topic, TopicState
from .rules import member_topics
from .selectors import OPEN_STATES

BODY_TOPICS = 10


def _waiting(qs: Any, body_id: int) -> Any:
    due = Referral.objects.filter(
        topic=OuterRef("pk"), to_body_id=body_id, closed_at__isnull=True
    ).order_by("-number")
    return (
        qs.filter(body_id=body_id, state__in=OPEN_STATES)
        .annotate(due=Subquery(due.values("due_date")[:1]))
        .order_by("-state_since", "-pk")[:BODY_TOPICS]
    )


@prepared
def _office_topics(network_id: int, body_id: int):
    return _waiting(Topic.objects.filter(network_id=network_id), body_id)


@prepared
def _member_topics(network_id: int, user_id: int, body_id: int, day: datetime.date):
    return _waiting(member_topics(network_id=network_id, user_id=user_id, day=day), body_id)


def body_topics(request: HttpRequest, body: Any) -> str:
    access = request.access  # type: ignore[attr-defined]
    if access.is_coordination:
        topics = list(_office_topics(network_id=access.network.pk, body_id=body.pk))
    elif access.signed_in:
        topics = list(
            _member_topics(
                network_id=access.network.pk,
                user_id=access.user.pk,
                body_id=body.pk,
                day=timezone.localdate(),
            )
        )
    else:
        topics = []
    if not topics:
        return ""
    for topic in topics:
        topic.url = record_url("topics:topic_detail", access.network.slug, topic.public_id)
    return render_to_string(
        "topics/_body_topics.html", {"body": body, "topics": topics}, request=request
    )


register_panel(
    Body,
    "topics",
    20,
    body_topics,
    depends=("topics.topic", "topics.referral", "topics.statement"),
)


# --- on a meeting's page: the topics on its agenda ------------------------------------------


def _agenda_topics(qs: Any, meeting_id: int) -> Any:
    return (
        qs.filter(
            agenda_links__agenda_item__meeting_id=meeting_id,
            agenda_links__agenda_item__deleted_at__isnull=True,
        )
        .annotate(
            item_position=F("agenda_links__agenda_item__position"),
            item_title=F("agenda_links__agenda_item__title"),
        )
        .order_by("item_position", "pk")
        .values_list("public_id", "title", "state", "item_position", "item_title", named=True)
    )


@prepared
def _office_agenda(network_id: int, meeting_id: int):
    return _agenda_topics(Topic.objects.filter(network_id=network_id), meeting_id)


@prepared
def _member_agenda(network_id: int, user_id: int, meeting_id: int, day: datetime.date):
    return _agenda_topics(
        member_topics(network_id=network_id, user_id=user_id, day=day), meeting_id
    )


def meeting_topics(request: HttpRequest, meeting: Any) -> str:
    """The topics on the meeting's agenda that the person may see, each with its agenda
    item and a link to the topic's journey."""
    access = request.access  # type: ignore[attr-defined]
    if access.is_coordination:
        rows = list(_office_agenda(network_id=access.network.pk, meeting_id=meeting.pk))
    elif access.signed_in and access.is_member:
        rows = list(
            _member_agenda(
                network_id=access.network.pk,
                user_id=access.user.pk,
                meeting_id=meeting.pk,
                day=timezone.localdate(),
            )
        )
    else:
        rows = []
    if not rows:
        return ""
    topics = [
        {
            "url": record_url("topics:topic_detail", access.network.slug, row.public_id),
            "title": row.title,
            "state_label": choice_label(TopicState, row.state),
            "position": row.item_position,
            "item_title": row.item_title,
        }
        for row in rows
    ]
    return render_to_string("topics/_meeting_topics.html", {"topics": topics}, request=request)


register_panel(
    Meeting,
    "topics",
    20,
    meeting_topics,
    depends=("topics.topic", "topics.agendalink"),
)
