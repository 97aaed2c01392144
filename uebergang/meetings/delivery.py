"""Sending invitations and minutes by e-mail through the task queue.

The services call the `enqueue_*` functions inside their transaction; the tasks are enqueued
only after it commits (`transaction.on_commit`), one task per recipient, with Django's tasks
framework (production: django_tasks_db's DatabaseBackend and `manage.py db_worker`; tests: the
ImmediateBackend, which runs a task at once).

A task loads the invitation, renders the e-mail (plain text and HTML with the agenda, plus the
calendar file as `text/calendar; method=…` alternative and as `invite.ics` attachment, the form
Outlook, Thunderbird and the web mailers accept), sends it through Django's mail API and
records the outcome on the invitation row (`delivery`, `sent_at`, `delivered_sequence`,
`attempts`, `last_error`) and in the history. An SMTP or network error is retried: with a
backend that can defer tasks after a delay (INVITATION_RETRY_DELAYS), otherwise at once, until
INVITATION_MAX_ATTEMPTS; then the delivery is "failed" (the coordination office can resend).

No database transaction is held while talking to the mail server (SQLite locks the whole
database for writers). A task that runs again for a version already delivered does nothing;
two workers running the same task at the very same moment could both send (at least once).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
from dataclasses import dataclass, field
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uebergang.core import cachegen, history
from uebergang.core.models import HistoryAction
from uebergang.core.permissions import SYSTEM
from uebergang.networks import selectors as network_selectors

from . import ics, reply_links
from .models import (
    Delivery,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingState,
    Minutes,
    NetworkDayInvitation,
    NetworkDayState,
)

logger = logging.getLogger(__name__)

# What counts as "the mail server did not take it": worth another try later.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)

SENT, FAILED, RETRY, SKIPPED, NO_ADDRESS = "sent", "failed", "retry", "skipped", "no_address"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "INVITATION_MAX_ATTEMPTS", 5)))


def retry_delay(attempts: int) -> datetime.timedelta:
    delays = tuple(getattr(settings, "INVITATION_RETRY_DELAYS", (60, 300, 1800, 7200))) or (60,)
    return datetime.timedelta(seconds=delays[min(attempts, len(delays)) - 1])


def short_error(exc: BaseException) -> str:
    """The error's class and first line, shortened: no traceback, no connection details
    beyond what the mail server answered."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300].rstrip(": ")


# --- the e-mail ------------------------------------------------------------------------------


class CalendarEmail(EmailMultiAlternatives):
    """Plain text, HTML and – when `calendar` is given – the calendar file as a third
    alternative `text/calendar; method=<method>` (what mail programs show as an appointment
    to add to the calendar) and again as attachment `invite.ics` (for those that do not)."""

    def __init__(
        self,
        *args: Any,
        calendar: bytes | None = None,
        method: str = "",
        related: list[InlineImage] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.calendar = calendar
        self.calendar_method = method
        self.related = list(related or [])
        if calendar is not None:
            self.attach("invite.ics", calendar, "application/ics")

    def _add_bodies(self, msg):  # type: ignore[no-untyped-def]
        msg = super()._add_bodies(msg) or msg
        if self.related:
            # The HTML part becomes multipart/related: the HTML and the images it shows by
            # `cid:` (the letterhead's logo), inline, so mail programs need not fetch them.
            html = next((p for p in msg.walk() if p.get_content_type() == "text/html"), None)
            if html is not None:
                for image in self.related:
                    maintype, subtype = image.mimetype.split("/", 1)
                    html.add_related(
                        image.content,
                        maintype=maintype,
                        subtype=subtype,
                        cid=f"<{image.cid}>",
                        disposition="inline",
                        filename=image.filename,
                    )
        if self.calendar is not None:
            if msg.get_content_type() != "multipart/alternative":
                msg.make_alternative()
            # As bytes in base64: the CRLF line ends RFC 5545 asks for stay as they are.
            msg.add_alternative(
                bytes(self.calendar),
                maintype="text",
                subtype="calendar",
                cte="base64",
                params={"charset": "utf-8", "method": self.calendar_method},
            )
        return msg


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows as `<img src="cid:{cid}">`."""

    cid: str
    content: bytes
    mimetype: str
    filename: str


def logo_image(network: Any) -> InlineImage | None:
    """The network's logo for the letterhead of its e-mails, or None (no logo)."""
    logo = network_selectors.logo_image(network)
    if logo is None:
        return None
    return InlineImage(
        cid=f"logo-{logo.sha256[:16]}@uebergang",
        content=logo.data,
        mimetype=logo.content_type,
        filename=f"logo.{'png' if logo.subtype == 'png' else 'jpg'}",
    )


@dataclass
class Mail:
    subject: str
    text: str
    html: str
    to: str
    network: Any
    calendar: bytes | None = None
    method: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    related: list[InlineImage] = field(default_factory=list)

    def build(self) -> CalendarEmail:
        reply_to = [self.network.email] if getattr(self.network, "email", "") else []
        headers = {}
        if self.calendar is not None and self.method in ("REQUEST", "CANCEL"):
            headers["Content-Class"] = "urn:content-classes:calendarmessage"
        message = CalendarEmail(
            subject=self.subject,
            body=self.text,
            from_email=formataddr((ics.organizer_name(self.network), ics.sender_address())),
            to=[self.to],
            reply_to=reply_to,
            headers=headers,
            calendar=self.calendar,
            method=self.method,
            related=self.related,
        )
        message.attach_alternative(self.html, "text/html")
        for name, content, mimetype in self.attachments:
            message.attach(name, content, mimetype)
        return message


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_to_string(f"meetings/email/{template}.txt", context)
    html = render_to_string(f"meetings/email/{template}.html", context)
    return text, html


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, ics.BERLIN)


def _when(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start, end = _local(starts_at), _local(ends_at)
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": f"{start:%d.%m.%Y}",
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return f"{start:%d.%m.%Y %H:%M} – {end:%d.%m.%Y %H:%M}"


def meeting_subject(meeting: Meeting, *, cancelled: bool, updated: bool) -> str:
    """ "Einladung: Beirat – Sitzung am 05.03.2027", "Aktualisierte Einladung: …",
    "Absage: …"."""
    if cancelled:
        prefix = _("Absage")
    elif updated:
        prefix = _("Aktualisierte Einladung")
    else:
        prefix = _("Einladung")
    return _("%(prefix)s: %(body)s – %(title)s am %(day)s") % {
        "prefix": prefix,
        "body": meeting.body.name,
        "title": meeting.title,
        "day": f"{_local(meeting.starts_at):%d.%m.%Y}",
    }


def _agenda(meeting: Meeting, *, public_only: bool) -> list[Any]:
    items = meeting.agenda_items.all()
    if public_only:
        items = items.filter(public=True)
    return list(items.order_by("position", "pk"))


def _meeting(meeting_id: int) -> Meeting:
    return Meeting.all_objects.select_related("body", "network").get(pk=meeting_id)


def invitation_mail(invitation: Invitation, meeting: Meeting) -> Mail:
    """The e-mail for one recipient of the meeting's invitation, in its current version."""
    information = invitation.kind == InvitationKind.INFORMATION
    cancelled = meeting.state == MeetingState.CANCELLED
    updated = meeting.sequence > 0 and invitation.delivered_sequence >= 0
    items = _agenda(meeting, public_only=information)
    url = ics.meeting_url(meeting, meeting.network.slug)
    calendar = ics.meeting_request(meeting, invitation, items=items)
    method = ics.invitation_method(cancelled, information)
    logo = logo_image(meeting.network)
    context = {
        "network": meeting.network,
        "meeting": meeting,
        "body": meeting.body,
        "invitation": invitation,
        "information": information,
        "cancelled": cancelled,
        "updated": updated,
        "items": items,
        "url": url,
        "when": _when(meeting.starts_at, meeting.ends_at),
        "location": ics.location(meeting.place),
        "online_url": meeting.online_url,
        "sender": ics.organizer_name(meeting.network),
        "reply_links": reply_links.links_for(invitation, meeting),
        # the letterhead: the network (with its logo), its coordination office, the day of
        # the sending
        "logo_cid": logo.cid if logo is not None else "",
        "today": timezone.localdate(),
        "cover_text": "" if cancelled else meeting.cover_text,
    }
    text, html = _render("invitation", context)
    return Mail(
        subject=meeting_subject(meeting, cancelled=cancelled, updated=updated),
        text=text,
        html=html,
        to=invitation.email,
        network=meeting.network,
        calendar=calendar,
        method=method,
        related=[logo] if logo is not None else [],
    )


def network_day_mail(invitation: NetworkDayInvitation) -> Mail:
    day = invitation.network_day
    cancelled = day.state == NetworkDayState.CANCELLED
    updated = day.sequence > 0 and invitation.delivered_sequence >= 0
    if cancelled:
        prefix = _("Absage")
    elif updated:
        prefix = _("Aktualisierte Einladung")
    else:
        prefix = _("Einladung")
    subject = _("%(prefix)s: %(title)s am %(day)s") % {
        "prefix": prefix,
        "title": day.title,
        "day": f"{_local(day.starts_at):%d.%m.%Y}",
    }
    context = {
        "network": day.network,
        "day": day,
        "invitation": invitation,
        "cancelled": cancelled,
        "updated": updated,
        "url": ics.network_day_url(day),
        "when": _when(day.starts_at, day.ends_at),
        "sender": ics.organizer_name(day.network),
    }
    text, html = _render("network_day_invitation", context)
    return Mail(
        subject=subject,
        text=text,
        html=html,
        to=invitation.email,
        network=day.network,
        calendar=ics.network_day_request(day, invitation),
        method=ics.network_day_method(cancelled),
    )


# Rendering the minutes takes about a second; the tasks of one sending run one after the
# other in the same worker, so the PDF is kept for a few minutes per version of the minutes.
PDF_CACHE_SECONDS = 300
_pdf_cache: dict[tuple, tuple[float, bytes]] = {}


def _minutes_pdf(meeting: Meeting, *, public_only: bool) -> bytes | None:
    """The minutes as PDF when the PDF module is there (and works); the mail goes out
    without attachment otherwise."""
    try:
        from . import pdf
    except ImportError:
        return None
    render = getattr(pdf, "minutes_pdf", None)
    if render is None:
        return None
    minutes = Minutes.objects.filter(meeting=meeting).values_list("version", "state").first()
    key = (render, meeting.public_id, public_only, minutes)
    now = time.monotonic()
    cached = _pdf_cache.get(key)
    if cached is not None and now - cached[0] < PDF_CACHE_SECONDS:
        return cached[1]
    try:
        data = render(meeting, public_only=public_only)
    except Exception:  # a PDF problem must not stop the minutes from going out
        logger.exception("minutes PDF for meeting %s failed", meeting.pk)
        return None
    for old in [k for k, (at, _data) in _pdf_cache.items() if now - at >= PDF_CACHE_SECONDS]:
        del _pdf_cache[old]
    if len(_pdf_cache) >= 8:
        _pdf_cache.clear()
    _pdf_cache[key] = (now, data)
    return data


def _pdf_name(meeting: Meeting) -> str:
    try:
        from . import pdf

        return pdf.file_name(meeting, "protokoll")
    except Exception:
        return f"Protokoll-{_local(meeting.starts_at):%Y-%m-%d}.pdf"


def minutes_mail(invitation: Invitation, meeting: Meeting, stage: str) -> Mail:
    information = invitation.kind == InvitationKind.INFORMATION
    approved = stage == "approved"
    prefix = _("Genehmigtes Protokoll") if approved else _("Protokollentwurf")
    subject = _("%(prefix)s: %(body)s – %(title)s am %(day)s") % {
        "prefix": prefix,
        "body": meeting.body.name,
        "title": meeting.title,
        "day": f"{_local(meeting.starts_at):%d.%m.%Y}",
    }
    context = {
        "network": meeting.network,
        "meeting": meeting,
        "body": meeting.body,
        "invitation": invitation,
        "information": information,
        "approved": approved,
        "items": _agenda(meeting, public_only=information),
        "url": ics.meeting_url(meeting, meeting.network.slug),
        "when": _when(meeting.starts_at, meeting.ends_at),
        "sender": ics.organizer_name(meeting.network),
    }
    text, html = _render("minutes", context)
    mail = Mail(subject=subject, text=text, html=html, to=invitation.email, network=meeting.network)
    pdf_bytes = _minutes_pdf(meeting, public_only=information)
    if pdf_bytes:
        mail.attachments.append((_pdf_name(meeting), pdf_bytes, "application/pdf"))
    return mail


# --- recording the outcome -------------------------------------------------------------------


def _record(invitation: Any, parent: Any, old: str, new: str, message: str) -> None:
    history.record(
        actor=SYSTEM,
        action=HistoryAction.OTHER,
        obj=invitation,
        parent=parent,
        changes={"delivery": [old, new]},
        message=message,
    )


@dataclass
class Attempt:
    """What a delivery task needs between its three steps (read, send, record)."""

    mail: Mail | None
    sequence: int
    outcome: str = ""


def _send(mail: Mail) -> BaseException | None:
    try:
        mail.build().send()
    except TRANSIENT_ERRORS as exc:
        return exc
    return None


def _finish(model: type, pk: int, sequence: int, error: BaseException | None, parent_of) -> str:
    """Write the outcome of one sending attempt onto the row and into the history."""
    with transaction.atomic():
        invitation = model.all_objects.select_for_update().filter(pk=pk).first()
        if invitation is None:
            return SKIPPED
        parent = parent_of(invitation)
        old = invitation.delivery
        if error is None:
            invitation.delivery = Delivery.SENT
            invitation.sent_at = timezone.now()
            invitation.delivered_sequence = max(invitation.delivered_sequence, sequence)
            invitation.last_error = ""
            invitation.sending_since = None
            invitation.save(
                update_fields=[
                    "delivery",
                    "sent_at",
                    "delivered_sequence",
                    "last_error",
                    "sending_since",
                ]
            )
            _record(
                invitation,
                parent,
                old,
                Delivery.SENT,
                _("E-Mail an %(email)s versendet.")
                % {"email": invitation.email, "sequence": sequence},
            )
            return SENT
        invitation.attempts += 1
        invitation.last_error = short_error(error)
        invitation.sending_since = None
        if invitation.attempts < max_attempts():
            invitation.save(update_fields=["attempts", "last_error", "sending_since"])
            # the state shown on cached pages
            cachegen.changed(invitation.network, [invitation._meta.label_lower], [invitation])
            return RETRY
        invitation.delivery = Delivery.FAILED
        invitation.save(update_fields=["delivery", "attempts", "last_error", "sending_since"])
        _record(
            invitation,
            parent,
            old,
            Delivery.FAILED,
            _("Zustellung an %(email)s nach %(n)s Versuchen fehlgeschlagen: %(error)s")
            % {"email": invitation.email, "n": invitation.attempts, "error": invitation.last_error},
        )
        return FAILED


def _give_up(model: type, pk: int, exc: BaseException, parent_of) -> str:
    """An error that another try will not cure (e.g. a broken template): failed at once."""
    logger.exception("delivery of %s %s failed", model.__name__, pk)
    with transaction.atomic():
        invitation = model.all_objects.select_for_update().filter(pk=pk).first()
        if invitation is None:
            return SKIPPED
        old = invitation.delivery
        invitation.delivery = Delivery.FAILED
        invitation.attempts += 1
        invitation.last_error = short_error(exc)
        invitation.sending_since = None
        invitation.save(update_fields=["delivery", "attempts", "last_error", "sending_since"])
        _record(invitation, parent_of(invitation), old, Delivery.FAILED, invitation.last_error)
    return FAILED


# A claim older than this counts as left behind by a worker that died while sending.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def _claimed_elsewhere(invitation: Any) -> bool:
    """Claim the row for this worker (inside the caller's row lock); False if another worker
    is sending it right now, so the same e-mail never goes out twice at once."""
    now = timezone.now()
    if invitation.sending_since is not None and invitation.sending_since > now - CLAIM_TIMEOUT:
        return True
    type(invitation).all_objects.filter(pk=invitation.pk).update(sending_since=now)
    return False


def _prepare_invitation(pk: int) -> Attempt:
    with transaction.atomic():
        invitation = Invitation.all_objects.select_for_update().filter(pk=pk).first()
        if invitation is None or invitation.deleted_at is not None:
            return Attempt(None, -1, SKIPPED)
        meeting = _meeting(invitation.meeting_id)
        if not invitation.email or invitation.delivery == Delivery.NO_ADDRESS:
            return Attempt(None, meeting.sequence, NO_ADDRESS)
        if (
            invitation.delivery == Delivery.SENT
            and invitation.delivered_sequence >= meeting.sequence
        ):
            return Attempt(None, meeting.sequence, SKIPPED)  # ran before: nothing to do
        if meeting.state not in (MeetingState.INVITED, MeetingState.CANCELLED):
            if invitation.delivery == Delivery.PENDING and meeting.has_taken_place:
                # Too late to be of use: say so instead of "wird versendet" for ever.
                invitation.delivery = Delivery.FAILED
                invitation.last_error = _("Nicht mehr versandt: die Sitzung hat stattgefunden.")
                invitation.save(update_fields=["delivery", "last_error"])
                _record(
                    invitation, meeting, Delivery.PENDING, Delivery.FAILED, invitation.last_error
                )
                return Attempt(None, meeting.sequence, FAILED)
            return Attempt(None, meeting.sequence, SKIPPED)  # never invited
        if _claimed_elsewhere(invitation):
            return Attempt(None, meeting.sequence, SKIPPED)
        return Attempt(invitation_mail(invitation, meeting), meeting.sequence)


def _prepare_network_day(pk: int) -> Attempt:
    with transaction.atomic():
        invitation = NetworkDayInvitation.all_objects.select_for_update().filter(pk=pk).first()
        if invitation is None or invitation.deleted_at is not None:
            return Attempt(None, -1, SKIPPED)
        day = invitation.network_day
        if not invitation.email or invitation.delivery == Delivery.NO_ADDRESS:
            return Attempt(None, day.sequence, NO_ADDRESS)
        if invitation.delivery == Delivery.SENT and invitation.delivered_sequence >= day.sequence:
            return Attempt(None, day.sequence, SKIPPED)
        if day.state not in (NetworkDayState.INVITED, NetworkDayState.CANCELLED):
            return Attempt(None, day.sequence, SKIPPED)
        if _claimed_elsewhere(invitation):
            return Attempt(None, day.sequence, SKIPPED)
        return Attempt(network_day_mail(invitation), day.sequence)


def _deliver(task_obj: Any, model: type, pk: int, prepare, parent_of) -> str:
    """Prepare, send, record; on a transient error retry later (deferring backend) or at
    once (ImmediateBackend and other backends that cannot defer), up to the maximum."""
    while True:
        try:
            attempt = prepare(pk)
        except Exception as exc:
            return _give_up(model, pk, exc, parent_of)
        if attempt.mail is None:
            return attempt.outcome
        outcome = _finish(model, pk, attempt.sequence, _send(attempt.mail), parent_of)
        if outcome != RETRY:
            return outcome
        if task_obj.get_backend().supports_defer:
            attempts = model.all_objects.filter(pk=pk).values_list("attempts", flat=True).first()
            run_after = timezone.now() + retry_delay(attempts or 1)
            task_obj.using(run_after=run_after).enqueue(pk)
            return RETRY


# --- tasks -----------------------------------------------------------------------------------


@task()
def send_invitation(invitation_id: int) -> str:
    """Send one meeting invitation (PUBLISH, update or CANCEL) in the meeting's current
    version."""
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver(
            send_invitation,
            Invitation,
            invitation_id,
            _prepare_invitation,
            lambda inv: Meeting.all_objects.get(pk=inv.meeting_id),
        )


@task()
def send_network_day_invitation(invitation_id: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver(
            send_network_day_invitation,
            NetworkDayInvitation,
            invitation_id,
            _prepare_network_day,
            lambda inv: inv.network_day,
        )


@task()
def send_minutes(meeting_id: int, stage: str, invitation_id: int, attempt: int = 1) -> str:
    """Send the circulated draft or the approved minutes to one recipient. Only the history
    keeps track (one record per recipient when sent or given up)."""
    with translation.override(settings.LANGUAGE_CODE):
        invitation = Invitation.objects.filter(pk=invitation_id).first()
        if invitation is None or not invitation.email:
            return SKIPPED
        meeting = _meeting(meeting_id)
        label = "approved_minutes" if stage == "approved" else "draft_minutes"
        while True:
            try:
                mail = minutes_mail(invitation, meeting, stage)
            except Exception as exc:
                logger.exception("minutes mail for invitation %s failed", invitation_id)
                error: BaseException | None = exc
                final = True
            else:
                error = _send(mail)
                final = error is None or attempt >= max_attempts()
            if error is None:
                history.record(
                    actor=SYSTEM,
                    action=HistoryAction.OTHER,
                    obj=invitation,
                    parent=meeting,
                    changes={label: [None, Delivery.SENT]},
                    message=_("Protokoll an %(email)s übergeben.") % {"email": invitation.email},
                )
                return SENT
            if final:
                history.record(
                    actor=SYSTEM,
                    action=HistoryAction.OTHER,
                    obj=invitation,
                    parent=meeting,
                    changes={label: [None, Delivery.FAILED]},
                    message=_("Protokoll an %(email)s nicht zugestellt: %(error)s")
                    % {"email": invitation.email, "error": short_error(error)},
                )
                return FAILED
            if send_minutes.get_backend().supports_defer:
                send_minutes.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                    meeting_id, stage, invitation_id, attempt + 1
                )
                return RETRY
            attempt += 1


# --- called by the services ------------------------------------------------------------------


def _enqueue_each(task_obj: Any, ids: list[int]) -> None:
    for pk in ids:
        task_obj.enqueue(pk)


def enqueue_invitations(invitation_ids: list[int]) -> None:
    """After commit: one task per meeting invitation (PUBLISH, update or CANCEL). Rows
    without an address are not sent (they stay "no_address")."""
    ids = list(
        Invitation.objects.filter(pk__in=list(invitation_ids))
        .exclude(email="")
        .exclude(delivery=Delivery.NO_ADDRESS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: _enqueue_each(send_invitation, ids))


def enqueue_network_day_invitations(invitation_ids: list[int]) -> None:
    """After commit: one task per network-day invitation."""
    ids = list(
        NetworkDayInvitation.objects.filter(pk__in=list(invitation_ids))
        .exclude(email="")
        .exclude(delivery=Delivery.NO_ADDRESS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: _enqueue_each(send_network_day_invitation, ids))


def minutes_recipients(meeting_id: int, stage: str) -> list[int]:
    """Circulated draft: the invitees. Approved minutes: the invitees and, for information,
    the institutions of the constituency seats."""
    kinds = [InvitationKind.INVITEE]
    if stage == "approved":
        kinds.append(InvitationKind.INFORMATION)
    return list(
        Invitation.objects.filter(meeting_id=meeting_id, kind__in=kinds)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def enqueue_minutes(meeting_id: int, stage: str) -> None:
    """Draft minutes circulated ("circulated") or approved ("approved"): one task per
    recipient, after commit (the services call this from their own on_commit hook; then it
    runs at once)."""
    if stage not in ("circulated", "approved"):
        raise ValueError(f"unknown minutes stage {stage!r}")
    ids = minutes_recipients(meeting_id, stage)

    def run() -> None:
        for pk in ids:
            send_minutes.enqueue(meeting_id, stage, pk)

    if ids:
        transaction.on_commit(run)
