"""Personal reply links in invitation e-mails: answer without a password.

A link carries a token made with `django.core.signing` (HMAC with the SECRET_KEY, salted for
this purpose only): the public ids of the invitation, its meeting and the invited person, and
the end of the meeting as it stood when the mail was written. Nothing is stored; a token
proves only "this person may answer this invitation", and gives no other access (no session,
no sign-in).

A token stops working

* when it was changed (the signature does not match) – `LinkInvalid` (404);
* after the meeting's end (the end in the token or the meeting's current end, the earlier) –
  `LinkClosed` (410);
* when the meeting is cancelled, the invitation or the person removed, or the person's
  membership no longer covers the meeting's day – `LinkClosed` (410).

`check` is asked by `services.invitation_reply(link=…)` under the row locks, so the
service stays the one place that authorizes and records; `load` is the reading side (the
page and the API), with a fixed number of queries.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.bodies.models import Membership
from uebergang.core.errors import DomainError, NotFound
from uebergang.core.prepared import prepared

from .models import Invitation, InvitationKind, Meeting, MeetingState, Reply

SALT = "uebergang.meetings.reply-link"

# The answer a link preselects, by the word in its address (`?antwort=…`).
ANSWERS = {"teilnahme": Reply.ATTEND, "absage": Reply.DECLINE, "vertretung": Reply.SUBSTITUTE}
WORDS = {reply: word for word, reply in ANSWERS.items()}


class LinkInvalid(NotFound):
    """Not a token of ours (changed, cut off, made with another key)."""

    default_code = "link_invalid"


class LinkClosed(DomainError):
    """A genuine token that no longer works (meeting over or cancelled, membership ended)."""

    status = 410
    default_code = "link_closed"


def invalid() -> LinkInvalid:
    return LinkInvalid(
        _("Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer Einladung.")
    )


@dataclass(frozen=True)
class ReplyLink:
    """What a valid token says."""

    invitation: uuid.UUID
    meeting: uuid.UUID
    person: uuid.UUID
    expires: datetime.datetime


class LinkActor:
    """Who acts through a link: the invited person, without an account. The history names
    them; it is no user (no `pk`), stands in no relation and has no role anywhere."""

    pk = None
    is_authenticated = False
    is_active = False
    is_superuser = False

    def __init__(self, name: str) -> None:
        self.display_name = name

    def __str__(self) -> str:
        return self.display_name


def make_token(invitation: Invitation, meeting: Meeting) -> str:
    return signing.dumps(
        {
            "i": invitation.public_id.hex,
            "m": meeting.public_id.hex,
            "p": invitation.person.public_id.hex,
            "e": int(meeting.ends_at.timestamp()),
        },
        salt=SALT,
        compress=True,
    )


def read_token(token: str) -> ReplyLink:
    """The claims of a token; `LinkInvalid` for anything that is not one of ours."""
    try:
        data = signing.loads(token, salt=SALT)
        return ReplyLink(
            invitation=uuid.UUID(hex=data["i"]),
            meeting=uuid.UUID(hex=data["m"]),
            person=uuid.UUID(hex=data["p"]),
            expires=datetime.datetime.fromtimestamp(int(data["e"]), tz=datetime.UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError) as exc:
        raise invalid() from exc


def reply_url(invitation: Invitation, meeting: Meeting, reply: str | None = None) -> str:
    """The absolute address of the reply page, with `reply` preselected."""
    from . import ics

    path = reverse("reply_link", kwargs={"token": make_token(invitation, meeting)})
    if reply:
        path += "?" + urlencode({"antwort": WORDS[reply]})
    return ics.absolute(path)


@prepared
def _substitutes_on(membership_id: int, day: datetime.date) -> Any:
    return (
        Membership.objects.valid_on(day)
        .filter(substitute_for_id=membership_id, person__deleted_at__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def current_substitutes(invitation: Invitation, meeting: Meeting) -> list[Membership]:
    """The member's substitutes on the meeting's day (one query)."""
    if not invitation.membership_id:
        return []
    return list(_substitutes_on(membership_id=invitation.membership_id, day=meeting.day))


def check(link: ReplyLink, invitation: Invitation, meeting: Meeting) -> None:
    """Does the link (still) let its person answer this invitation? Raises otherwise.
    `invitation` needs `person` and `membership` loaded (or loadable)."""
    if (
        invitation.public_id != link.invitation
        or meeting.public_id != link.meeting
        or invitation.meeting_id != meeting.pk
        or invitation.kind != InvitationKind.INVITEE
        or invitation.person_id is None
        or invitation.person.public_id != link.person
    ):
        raise invalid()
    if invitation.deleted_at is not None or meeting.deleted_at is not None:
        raise invalid()
    now = timezone.now()
    if now >= min(link.expires, meeting.ends_at):
        raise LinkClosed(
            _("Die Sitzung ist vorbei; dieser Link gilt nicht mehr."), code="link_expired"
        )
    if meeting.state == MeetingState.CANCELLED:
        raise LinkClosed(
            _("Die Sitzung ist abgesagt; eine Antwort ist nicht mehr nötig."),
            code="meeting_cancelled",
        )
    membership = invitation.membership
    if (
        invitation.person.deleted_at is not None
        or membership is None
        or membership.deleted_at is not None
        or membership.valid_from > meeting.day
        or (membership.valid_to is not None and membership.valid_to < meeting.day)
    ):
        raise LinkClosed(
            _(
                "Ihre Mitgliedschaft in diesem Gremium umfasst den Sitzungstag nicht mehr; "
                "dieser Link gilt nicht mehr."
            ),
            code="membership_ended",
        )


def load(token: str) -> tuple[ReplyLink, Invitation]:
    """The invitation a token is for, with its meeting, body, network, person and membership
    (one query), checked (`check`)."""
    link = read_token(token)
    invitation = (
        Invitation.all_objects.select_related(
            "meeting", "meeting__body", "meeting__network", "person", "membership", "substitute"
        )
        .filter(public_id=link.invitation)
        .first()
    )
    if invitation is None:
        raise invalid()
    check(link, invitation, invitation.meeting)
    return link, invitation


def answer_from(word: str | None) -> str | None:
    return ANSWERS.get(word or "")


def as_actor(invitation: Invitation) -> Any:
    return LinkActor(str(invitation.person))


def links_for(invitation: Invitation, meeting: Meeting) -> list[tuple[str, str]]:
    """(label, address) of the personal links of an invitation e-mail: one per answer, the
    substitute's only when the member has a substitute on the meeting's day. None for a
    recipient for information, without a person, once the meeting is cancelled, or when
    the link would not work (membership ended)."""
    if (
        invitation.kind != InvitationKind.INVITEE
        or invitation.person_id is None
        or meeting.state != MeetingState.INVITED
    ):
        return []
    try:  # no links that would not work (membership ended, meeting over)
        check(read_token(make_token(invitation, meeting)), invitation, meeting)
    except DomainError:
        return []
    answers = [
        (Reply.ATTEND, _("Ich nehme teil")),
        (Reply.DECLINE, _("Ich sage ab")),
    ]
    if current_substitutes(invitation, meeting):
        answers.append((Reply.SUBSTITUTE, _("Mein/e Vertreter/in kommt")))
    return [(label, reply_url(invitation, meeting, reply)) for reply, label in answers]
