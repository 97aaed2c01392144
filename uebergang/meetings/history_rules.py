"""Who reads the history of meetings and the network day (see `core.visibility`).

A meeting and everything on it (agenda, documents, invitations, attendance, tasks) follow
the meeting's page ("meeting.view": the bodies the member sits in); the minutes while drafted
only the coordination office (as on the meeting page). The network day is for every member,
its invitations for the coordination office. Replies, notes, e-mail addresses, delivery
errors and calendar keys are personal: shown to the coordination office and to the person."""

from __future__ import annotations

from django.db.models import QuerySet

from uebergang.bodies.history_rules import bodies_seen
from uebergang.core.permissions import Access
from uebergang.core.visibility import objects_in, parents_in, register_history_kind
from uebergang.meetings.rules import (
    CALENDARFEED_VIEW,
    MEETING_VIEW,
    MEETINGS_MANAGE,
    NETWORKDAYS_MANAGE,
    NETWORKDAYS_VIEW,
)

from .models import Attendance, Invitation, Meeting, Registration

MEETING = "meetings.meeting"


def meetings_seen(access: Access) -> QuerySet[Meeting]:
    return Meeting.all_objects.filter(network=access.network, body__in=bodies_seen(access))


def _on_seen_meetings(access: Access):
    return parents_in(MEETING, meetings_seen(access))


def _own_feeds(access: Access):
    return objects_in(access.scope("own_feed"))


register_history_kind(
    MEETING,
    permission=MEETING_VIEW,
    visible=lambda access: objects_in(meetings_seen(access)),
    public={
        "body",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "online_url",
        "description",
        "cover_text",  # the invitation's words, which every invitee receives
        "state",
        "sequence",
        "invited_at",
        "cancelled_at",
        "cancel_reason",
    },
)
register_history_kind(
    "meetings.agendaitem",
    permission=MEETING_VIEW,
    guard=lambda item: item.meeting,
    visible=_on_seen_meetings,
    public={"meeting", "position", "title", "description", "public", "presenter"},
)
register_history_kind(
    "meetings.document",
    permission=MEETING_VIEW,
    guard=lambda document: document.meeting,
    visible=_on_seen_meetings,
    public={"meeting", "agenda_item", "title", "file_name", "content_type", "size", "sha256"},
)
register_history_kind(
    "meetings.invitation",
    permission=MEETING_VIEW,
    guard=lambda invitation: invitation.meeting,
    visible=_on_seen_meetings,
    public={
        "meeting",
        "kind",
        "person",
        "membership",
        "partner",
        "name",
        "delivery",
        "delivered_sequence",
        "attempts",
        "sent_at",
        "draft_minutes",  # delivery state of the minutes mails (not a model field)
        "approved_minutes",
    },
    personal={
        "email",
        "reply",
        "replied_at",
        "reply_note",
        "substitute",
        "substitute_person",
        "last_error",
    },
    concerns=lambda access: objects_in(Invitation.all_objects.filter(person__user=access.user)),
    personal_message=True,  # delivery notes name the address
)
register_history_kind(
    "meetings.attendance",
    permission=MEETING_VIEW,
    guard=lambda attendance: attendance.meeting,
    visible=_on_seen_meetings,
    public={"meeting", "person", "membership", "seat", "partner"},
    personal={"note"},
    concerns=lambda access: objects_in(Attendance.all_objects.filter(person__user=access.user)),
)
register_history_kind(
    "meetings.minutes",
    permission=MEETINGS_MANAGE,
    guard=lambda minutes: minutes.meeting,
    public={
        "meeting",
        "state",
        "opening",
        "closing",
        "circulated_at",
        "approved_at",
        "approved_in",
    },
)
register_history_kind(
    "meetings.minutesentry",
    permission=MEETINGS_MANAGE,
    guard=lambda entry: entry.minutes.meeting,
    public={"minutes", "agenda_item", "discussion"},
)
register_history_kind(  # written into the minutes: while drafted, the office's; as the entries
    "meetings.decision",
    permission=MEETINGS_MANAGE,
    guard=lambda decision: decision.agenda_item.meeting,
    public={
        "agenda_item",
        "body",
        "year",
        "number",
        "wording",
        "outcome",
        "votes_yes",
        "votes_no",
        "votes_abstain",
        "unanimous",
    },
)
register_history_kind(
    "meetings.actionitem",
    permission=MEETING_VIEW,
    guard=lambda task: task.entry.minutes.meeting,
    visible=_on_seen_meetings,
    public={"entry", "decision", "description", "owner", "owner_text", "partner", "due", "status"},
)

register_history_kind(
    "meetings.networkday",
    permission=NETWORKDAYS_VIEW,
    public={
        "title",
        "starts_at",
        "ends_at",
        "place",
        "programme",
        "registration_until",
        "state",
        "sequence",
        "invited_at",
    },
)
register_history_kind(
    "meetings.networkdayinvitation",
    permission=NETWORKDAYS_MANAGE,
    guard=lambda invitation: invitation.network_day,
    public={
        "network_day",
        "partner",
        "name",
        "delivery",
        "delivered_sequence",
        "attempts",
        "sent_at",
    },
    personal={"email", "last_error"},
    personal_message=True,
)
register_history_kind(
    "meetings.registration",
    permission=NETWORKDAYS_VIEW,
    guard=lambda registration: registration.network_day,
    public={"network_day", "partner", "person", "name", "attended"},
    personal={"email", "note"},
    concerns=lambda access: objects_in(Registration.all_objects.filter(person__user=access.user)),
)
register_history_kind(
    "meetings.calendarfeed",
    permission=CALENDARFEED_VIEW,
    visible=_own_feeds,
    public={"body", "revoked_at"},
    personal={"user", "name", "prefix"},
    concerns=_own_feeds,
)
