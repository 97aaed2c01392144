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


def enqueue_stand_down_notice(invitation_id: int, member: str) -> None:
    transaction.on_commit(lambda: send_stand_down_notice.enqueue(invitation_id, member))


def _mail(
    meeting: Any, subject: str, *, member: Any, substitute: Any, note: str, stand_down: bool
) -> delivery.Mail:
    """The short mail to a substitute (`meetings/links/substitute_notice.*`); `subject`
    takes the body, the title and the day."""
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "member": member,
        "substitute": substitute,
        "note": note,
        "stand_down": stand_down,
        "when": delivery._when(meeting.starts_at, meeting.ends_at),
        "location": ics.location(meeting.place, meeting.online_url),
        "url": ics.meeting_url(meeting),
        "sender": ics.organizer_name(meeting.network),
    }
    return delivery.Mail(
        subject=subject
        % {
            "body": meeting.body.name,
            "title": meeting.title,
            "day": f"{delivery._local(meeting.starts_at):%d.%m.%Y}",
        },
        text=render_to_string("meetings/links/substitute_notice.txt", context),
        html=render_to_string("meetings/links/substitute_notice.html", context),
        to=substitute.email,
        network=meeting.network,
    )


def substitute_mail(invitation: Invitation) -> delivery.Mail:
    return _mail(
        invitation.meeting,
        _("Vertreter/in: %(body)s – %(title)s am %(day)s"),
        member=invitation.person,
        substitute=invitation.substitute.person,
        note=invitation.reply_note,
        stand_down=False,
    )


def stand_down_mail(invitation: Invitation, member: str) -> delivery.Mail:
    """To a one-off substitute: they need not come for `member` after all."""
    return _mail(
        invitation.meeting,
        _("Vertretung nicht mehr nötig: %(body)s – %(title)s am %(day)s"),
        member=member,
        substitute=invitation.person,
        note="",
        stand_down=True,
    )


def _send_and_record(
    invitation: Invitation, build: Any, person: Any, *, sent: str, failed: str
) -> str:
    """One try of the mail `build()` makes; the outcome is a history record on
    `invitation`, its message `sent` or `failed` with the person's name and address."""
    try:
        error = delivery._send(build())
    except Exception as exc:  # a broken template must not pass silently
        logger.exception("notice for invitation %s failed", invitation.pk)
        error = exc
    history.record(
        actor=SYSTEM,
        action=HistoryAction.OTHER,
        obj=invitation,
        parent=invitation.meeting,
        message=(sent if error is None else failed) % {"name": person, "email": person.email},
    )
    return delivery.SENT if error is None else delivery.FAILED


def _invitation(invitation_id: int, *related: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "meeting", "meeting__body", "meeting__network", "person", *related
        )
        .filter(pk=invitation_id)
        .first()
    )


@task()
def send_stand_down_notice(invitation_id: int, member: str) -> str:
    """One try; the outcome is recorded on the stood-down substitute's invitation."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = _invitation(invitation_id)
        if invitation is None or invitation.person is None or not invitation.person.email:
            return delivery.SKIPPED
        return _send_and_record(
            invitation,
            lambda: stand_down_mail(invitation, member),
            invitation.person,
            sent=_("%(name)s per E-Mail an %(email)s mitgeteilt: Vertretung nicht mehr nötig."),
            failed=_("Mitteilung an %(name)s (%(email)s) fehlgeschlagen."),
        )


@task()
def send_substitute_notice(invitation_id: int) -> str:
    """One try; the outcome (handed over or not) is recorded on the invitation."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = _invitation(invitation_id, "substitute__person")
        if (
            invitation is None
            or invitation.reply != Reply.SUBSTITUTE
            or invitation.substitute is None
            or not invitation.substitute.person.email
        ):
            return delivery.SKIPPED
        return _send_and_record(
            invitation,
            lambda: substitute_mail(invitation),
            invitation.substitute.person,
            sent=_("Vertreter/in %(name)s per E-Mail an %(email)s benachrichtigt."),
            failed=_("Benachrichtigung von Vertreter/in %(name)s an %(email)s fehlgeschlagen."),
        )
