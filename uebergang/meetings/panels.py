"""What meetings shows on other apps' pages (`core.panels`): a body's next and last
meetings on the body's page."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from uebergang.bodies.models import Body
from uebergang.core.navigation import record_url
from uebergang.core.panels import register_panel
from uebergang.core.prepared import prepared

from .models import Meeting

BODY_MEETINGS = 5


@prepared
def _next_of_body(network_id: int, body_id: int, now: datetime.datetime) -> Any:
    return Meeting.objects.filter(
        network_id=network_id, body_id=body_id, ends_at__gte=now
    ).order_by("starts_at", "pk")[:BODY_MEETINGS]


@prepared
def _last_of_body(network_id: int, body_id: int, now: datetime.datetime) -> Any:
    return Meeting.objects.filter(network_id=network_id, body_id=body_id, ends_at__lt=now).order_by(
        "-starts_at", "-pk"
    )[:BODY_MEETINGS]


def body_meetings(request: HttpRequest, body: Any) -> str:
    """The body's next and last meetings (as `selectors.meeting_list` for one body)."""
    values = {"network_id": request.network.pk, "body_id": body.pk, "now": timezone.now()}  # type: ignore[attr-defined]
    upcoming, past = list(_next_of_body(**values)), list(_last_of_body(**values))
    for meeting in (*upcoming, *past):
        meeting.url = record_url("meetings:meeting_detail", request.network.slug, meeting.public_id)  # type: ignore[attr-defined]
    return render_to_string(
        "meetings/_body_meetings.html",
        {
            "body": body,
            "upcoming": upcoming,
            "past": past,
            "can_manage": request.access.is_coordination,  # type: ignore[attr-defined]
        },
        request=request,
    )


register_panel(Body, "meetings", 10, body_meetings, depends=("meetings.meeting",))
