"""The personal reply link in the JSON API: read and answer one invitation with the token of
the e-mail's link, without an account (`auth=None`: the signed token is the only
credential, and it opens nothing but this). Errors are the API's JSON shape: a token that is
not ours 404 `link_invalid` (422 if it has characters a token never has), one that stopped
working 410 (`link_expired`, `meeting_cancelled`, `membership_ended`), a stale `version`
409, bad input 422."""

from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import Field

from uebergang.core.api import ErrorOut
from uebergang.core.errors import DomainError

from . import reply_links, services
from .models import Invitation, MeetingState, Reply
from .schemas import ReplyLiteral

router = Router(tags=["Antwort über persönlichen Link"])
PATH = "/reply-links/{token}"
LINK_ERRORS: dict[int, Any] = {404: ErrorOut, 410: ErrorOut, 422: ErrorOut}
# What `django.core.signing` writes (URL-safe base64, ":" between the parts, "." before a
# compressed payload); anything else is refused with 422 before the signature is checked.
Token = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_.:-]+$",
        max_length=500,
        description="der Token aus dem persönlichen Link der Einladung",
    ),
]


class SubstituteOut(Schema):
    id: UUID = Field(description="Mitgliedschaft des Vertreters / der Vertreterin")
    name: str


class ReplyLinkOut(Schema):
    """The meeting's basic facts and the person's own answer – nothing else."""

    invitation: UUID
    version: int
    name: str = Field(description="die eingeladene Person")
    body: str
    meeting: UUID
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    state: str
    state_label: str
    answerable: bool = Field(description="ob jetzt geantwortet werden kann")
    reply: str
    reply_label: str
    reply_note: str
    replied_at: datetime.datetime | None
    substitute: UUID | None = Field(
        description="der/die Vertreter/in, der/die kommt (bei `substitute`)"
    )
    substitutes: list[SubstituteOut] = Field(
        description="die Vertreter/innen am Sitzungstag (leer: die Antwort `substitute` entfällt)"
    )
    expires_at: datetime.datetime = Field(description="bis dahin gilt der Link")


class ReplyLinkIn(Schema):
    reply: ReplyLiteral
    note: str = Field("", max_length=500)
    substitute: UUID | None = Field(
        None, description="bei `substitute` mit mehreren Vertreter/innen: wer kommt (Pflicht)"
    )
    version: int | None = Field(
        None, ge=0, le=2_000_000_000, description="die gelesene `version` (409, wenn veraltet)"
    )


def _out(link: reply_links.ReplyLink, invitation: Invitation, substitutes: list) -> dict:
    meeting = invitation.meeting
    return {
        "invitation": invitation.public_id,
        "version": invitation.version,
        "name": invitation.name,
        "body": meeting.body.name,
        "meeting": meeting.public_id,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "state": meeting.state,
        "state_label": meeting.state_label,
        "answerable": meeting.state == MeetingState.INVITED,
        "reply": invitation.reply,
        "reply_label": invitation.reply_label,
        "reply_note": invitation.reply_note,
        "replied_at": invitation.replied_at,
        "substitute": (
            invitation.substitute.public_id
            if invitation.substitute_id and invitation.reply == Reply.SUBSTITUTE
            else None
        ),
        "substitutes": [{"id": m.public_id, "name": str(m.person)} for m in substitutes],
        "expires_at": min(link.expires, meeting.ends_at),
    }


@router.get(
    PATH,
    auth=None,
    response={200: ReplyLinkOut, **LINK_ERRORS},
    summary="Einladung über den persönlichen Link lesen",
)
def reply_link_get(request: HttpRequest, token: Token):
    """Ohne Anmeldung: der Token aus dem Link der Einladungs-E-Mail (`/antwort/{token}/`)."""
    link, invitation = reply_links.load(token)
    substitutes = reply_links.current_substitutes(invitation, invitation.meeting)
    return _out(link, invitation, substitutes)


@router.post(
    PATH,
    auth=None,
    response={200: ReplyLinkOut, 409: ErrorOut, **LINK_ERRORS},
    summary="Über den persönlichen Link antworten",
)
def reply_link_post(request: HttpRequest, token: Token, body: ReplyLinkIn):
    """Ohne Anmeldung: `attend`, `decline` oder `substitute` (mit mehreren Vertreter/innen
    nennt `substitute` die Mitgliedschaft der Person, die kommt). Eine spätere Antwort
    ersetzt die frühere; der Verlauf vermerkt „über persönlichen Link“."""
    link, invitation = reply_links.load(token)
    substitutes = reply_links.current_substitutes(invitation, invitation.meeting)
    chosen = None
    if body.reply == Reply.SUBSTITUTE and body.substitute is not None:
        chosen = next((m for m in substitutes if m.public_id == body.substitute), None)
        if chosen is None:
            raise DomainError.for_field(
                "substitute", _("Diese Person vertritt Sie am Sitzungstag nicht.")
            )
    services.invitation_reply(
        actor=reply_links.as_actor(invitation),
        invitation=invitation,
        reply=body.reply,
        note=body.note,
        substitute=chosen,
        expected_version=body.version,
        link=link,
    )
    link, invitation = reply_links.load(token)
    return _out(link, invitation, substitutes)
