"""The meeting's page in steps (Tagesordnung, Einladung und Antworten, Anwesenheit,
Protokoll, Verlauf), each with its own URL, and the actions that fit the meeting's state.

A step renders only what it shows (`selectors.MeetingDetail` reads a part when first asked),
so each step costs only its own queries. The actions are decided here, from the meeting's
state, the day and the person's role, not in the template; the services refuse whatever is
not offered (an attendance on approved minutes, an invitation to a cancelled meeting)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Meeting, MeetingState

OPEN = (MeetingState.PLANNED, MeetingState.INVITED)


@dataclass(frozen=True)
class Step:
    key: str
    label: Any
    url_name: str
    path: str  # below the meeting's address
    template: str


STEPS = (
    Step("tagesordnung", _("Tagesordnung"), "meeting_detail", "", "meeting_detail.html"),
    Step(
        "einladung",
        _("Einladung und Antworten"),
        "meeting_invitations",
        "einladung/",
        "meeting_invitations.html",
    ),
    Step(
        "anwesenheit",
        _("Anwesenheit"),
        "meeting_attendance",
        "anwesenheit/",
        "meeting_attendance.html",
    ),
    Step("protokoll", _("Protokoll"), "meeting_minutes", "protokoll/", "meeting_minutes.html"),
    Step("verlauf", _("Verlauf"), "meeting_history", "verlauf/", "meeting_history.html"),
)
STEP = {s.key: s for s in STEPS}
STEP_URL = {s.key: s.url_name for s in STEPS}


def step_paths(view: Any) -> list[Any]:
    """The URL patterns of the steps, one view for all (it gets `step`)."""
    from django.urls import path

    return [path(f"<uuid:pid>/{s.path}", view, {"step": s.key}, name=s.url_name) for s in STEPS]


@dataclass(frozen=True)
class StepLink:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    style: str = "secondary"  # primary | secondary | tertiary | link
    download: bool = False
    hint: str = ""  # read by screen readers after the label


def step_url(slug: str, meeting: Meeting, key: str) -> str:
    return reverse(f"meetings:{STEP_URL[key]}", args=[slug, meeting.public_id])


def step_links(slug: str, meeting: Meeting, current: str) -> list[StepLink]:
    return [StepLink(str(s.label), step_url(slug, meeting, s.key), s.key == current) for s in STEPS]


def actions(slug: str, meeting: Meeting, *, manage: bool) -> list[Action]:
    """What the person can do with the meeting now, the next step first and as the one
    primary button: send the invitation; record who came; write the minutes; and once the
    minutes are approved, their PDF."""

    def url(name: str) -> str:
        return reverse(f"meetings:{name}", args=[slug, meeting.public_id])

    state = meeting.state
    if state == MeetingState.CANCELLED:
        return []
    now = timezone.now()
    ended = meeting.ends_at < now
    day_reached = meeting.day <= timezone.localdate()
    approved = state == MeetingState.MINUTES_APPROVED
    found: list[Action] = []
    if approved:
        found.append(Action(str(_("Protokoll als PDF (PDF/A)")), url("minutes_pdf"), "primary"))
    if manage:
        if state == MeetingState.PLANNED:
            found.append(Action(str(_("Einladung versenden")), url("meeting_invite"), "primary"))
        attend = day_reached and not approved
        if attend:
            style = "primary" if state == MeetingState.INVITED else "secondary"
            found.append(Action(str(_("Anwesenheit erfassen")), url("attendance"), style))
        if meeting.has_taken_place and not approved:
            style = "primary" if state == MeetingState.HELD else "secondary"
            found.append(Action(str(_("Protokoll schreiben")), url("minutes_edit"), style))
        if state == MeetingState.INVITED and not ended:
            style = "secondary" if day_reached else "primary"
            found.append(
                Action(str(_("Aktualisierte Einladung versenden")), url("meeting_invite"), style)
            )
        if state in OPEN:
            found.append(Action(str(_("Bearbeiten")), url("meeting_edit"), "secondary"))
            if not ended:
                found.append(Action(str(_("Absagen")), url("meeting_cancel"), "tertiary"))
    if not meeting.has_taken_place:
        found.append(Action(str(_("Einladung als PDF")), url("invitation_pdf"), "link"))
    if not ended:
        found.append(
            Action(
                str(_("In meinen Kalender")),
                url("meeting_ics"),
                "link",
                download=True,
                hint=str(_("Kalenderdatei")),
            )
        )
    if manage and not approved:
        found.append(
            Action(
                str(_("Anwesenheitsliste zum Unterschreiben (PDF)")),
                url("attendance_list_pdf"),
                "link",
            )
        )
    primaries = [a for a in found if a.style == "primary"]
    return [*primaries, *(a for a in found if a.style != "primary")]
