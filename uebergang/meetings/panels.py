"""What meetings shows on other apps' pages (`core.panels`): a body's next and last
meetings on the body's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from uebergang.bodies.models import Body
from uebergang.core.panels import register_panel

from . import selectors

BODY_MEETINGS = 5


def body_meetings(request: HttpRequest, body: Any) -> str:
    def rows(upcoming: bool) -> list:
        return list(
            selectors.meeting_list(
                network=request.network,  # type: ignore[attr-defined]
                access=request.access,  # type: ignore[attr-defined]
                body=body,
                upcoming=upcoming,
            )[:BODY_MEETINGS]
        )

    return render_to_string(
        "meetings/_body_meetings.html",
        {
            "body": body,
            "upcoming": rows(True),
            "past": rows(False),
            "can_manage": request.access.is_coordination,  # type: ignore[attr-defined]
        },
        request=request,
    )


register_panel(Body, "meetings", 10, body_meetings, depends=("meetings.meeting",))
