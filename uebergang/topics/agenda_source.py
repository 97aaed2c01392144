"""Topics on the agenda form of a meeting (`meetings.agenda_sources`): the open topics that
are with the meeting's body (waiting with it, or with an open hand-over to it, as several
working groups at once) and not yet on this meeting's agenda."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from uebergang.meetings.agenda_sources import AgendaSource, register_agenda_source

from . import services
from .models import AgendaLink, Referral, Topic, TopicState


def _topics_for(meeting: Any) -> Any:
    open_to_body = Referral.objects.filter(
        topic=OuterRef("pk"), closed_at__isnull=True, to_body_id=meeting.body_id
    )
    on_this_meeting = AgendaLink.objects.filter(
        topic=OuterRef("pk"), agenda_item__meeting=meeting, agenda_item__deleted_at__isnull=True
    )
    return (
        Topic.objects.filter(network_id=meeting.network_id)
        .exclude(state__in=(TopicState.DECIDED, TopicState.WITHDRAWN))
        .filter(Q(body_id=meeting.body_id) | Exists(open_to_body))
        .exclude(Exists(on_this_meeting))
        .order_by("title", "pk")
    )


def _choices(meeting: Any) -> list[tuple[str, str]]:
    if meeting.has_taken_place or meeting.is_cancelled:
        return []
    return [
        (str(pid), title) for pid, title in _topics_for(meeting).values_list("public_id", "title")
    ]


def _add(*, actor: Any, meeting: Any, value: str) -> Any:
    topic = _topics_for(meeting).select_related("network").get(public_id=value)
    return services.topic_put_on_agenda(actor=actor, topic=topic, meeting=meeting).agenda_item


register_agenda_source(
    AgendaSource(
        key="thema",
        label=_("Thema"),
        submit=_("Thema auf die Tagesordnung setzen"),
        choices=_choices,
        add=_add,
        order=10,
    )
)
