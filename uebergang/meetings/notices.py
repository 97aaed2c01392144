"""Telling a substitute that they are the one who comes: when a member answers "Mein/e
Vertreter/in kommt" and names (or has only) one substitute, that person gets a short e-mail
through the task queue, after the reply's transaction commits. The substitute already has
their own invitation (with the agenda and calendar file); this mail only says that they are
expected. The outcome is a history record on the member's invitation.

A one-off substitute named by the office who is no longer needed (the member answered
themselves, or someone else was named) is told so by the same kind of mail; the outcome is
recorded on their own invitation."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from uebergang.core import history
from uebergang.core.models import HistoryAction
from uebergang.core.permissions import SYSTEM

from . import delivery, ics
from .models import Invitation, Reply

logger = logging.getLogger(__name__)


def enqueue_substitute_notice(invitation_id: int) -> None:
    transaction.on_commit(lambda: send_substitute_notice.enqueue(invitation_id))


def substitute_mail(invitation: Invitation) -> delivery.Mail:
    meeting = invitation.meeting
    substitute = invitation.substitute.person
    context = _context(meeting, invitation.person, substitute, invitation.reply_note)
    subject = _("Vertreter/in: %(body)s – %(title)s am %(day)s") % {
        "body": meeting.body.name,
        "title": meeting.title,
        "day": f"{delivery._local(meeting.starts_at):%d.%m.%Y}",
    }
    return delivery.Mail(
        subject=subject,
        text=render_to_string("meetings/links/substitute_notice.txt", context),
        html=render_to_string("meetings/links/substitute_notice.html", context),
        to=substitute.email,
        network=meeting.network,
    )


def enqueue_stand_down_notice(invitation_id: int, member: str) -> None:
    transaction.on_commit(lambda: send_stand_down_notice.enqueue(invitation_id, member))


def _context(meeting: Any, member: Any, substitute: Any, note: str) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "body": meeting.body,
        "member": member,
        "substitute": substitute,
        "note": note,
        "when": delivery._when(meeting.starts_at, meeting.ends_at),
        "location": ics.location(meeting.place, meeting.online_url),
        "url": ics.meeting_url(meeting),
        "sender": ics.organizer_name(meeting.network),
    }


def stand_down_mail(invitation: Invitation, member: str) -> delivery.Mail:
    """To a one-off substitute: they need not come for `member` after all."""
    meeting = invitation.meeting
    context = {**_context(meeting, member, invitation.person, ""), "stand_down": True}
    subject = _("Vertretung nicht mehr nötig: %(body)s – %(title)s am %(day)s") % {
        "body": meeting.body.name,
        "title": meeting.title,
        "day": f"{delivery._local(meeting.starts_at):%d.%m.%Y}",
    }
    return delivery.Mail(
        subject=subject,
        text=render_to_string("meetings/links/substitute_notice.txt", context),
        html=render_to_string("meetings/links/substitute_notice.html", context),
        to=invitation.person.email,
        network=meeting.network,
    )


@task()
def send_stand_down_notice(invitation_id: int, member: str) -> str:
    """One try; the outcome is recorded on the stood-down substitute's invitation."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = (
            Invitation.objects.select_related(
                "meeting", "meeting__body", "meeting__network", "person"
            )
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.person is None or not invitation.person.email:
            return delivery.SKIPPED
        address = invitation.person.email
        try:
            error = delivery._send(stand_down_mail(invitation, member))
        except Exception as exc:  # a broken template must not pass silently
            logger.exception("stand-down notice for invitation %s failed", invitation_id)
            error = exc
        if error is None:
            message = _("%(name)s per E-Mail an %(email)s mitgeteilt: Vertretung nicht mehr nötig.")
        else:
            message = _("Mitteilung an %(name)s (%(email)s) fehlgeschlagen.")
        history.record(
            actor=SYSTEM,
            action=HistoryAction.OTHER,
            obj=invitation,
            parent=invitation.meeting,
            message=message % {"name": invitation.person, "email": address},
        )
        return delivery.SENT if error is None else delivery.FAILED


@task()
def send_substitute_notice(invitation_id: int) -> str:
    """One try; the outcome (handed over or not) is recorded on the invitation."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = (
            Invitation.objects.select_related(
                "meeting", "meeting__body", "meeting__network", "person", "substitute__person"
            )
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.reply != Reply.SUBSTITUTE
            or invitation.substitute is None
            or not invitation.substitute.person.email
        ):
            return delivery.SKIPPED
        address = invitation.substitute.person.email
        try:
            error = delivery._send(substitute_mail(invitation))
        except Exception as exc:  # a broken template must not pass silently
            logger.exception("substitute notice for invitation %s failed", invitation_id)
            error = exc
        if error is None:
            message = _("Vertreter/in %(name)s per E-Mail an %(email)s benachrichtigt.")
        else:
            message = _("Benachrichtigung von Vertreter/in %(name)s an %(email)s fehlgeschlagen.")
        history.record(
            actor=SYSTEM,
            action=HistoryAction.OTHER,
            obj=invitation,
            parent=invitation.meeting,
            message=message % {"name": invitation.substitute.person, "email": address},
        )
        return delivery.SENT if error is None else delivery.FAILED
