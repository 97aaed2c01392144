"""The page behind a personal reply link (`/antwort/<token>/`): no sign-in, no session.

It shows only the meeting's basic facts and the person's own answer, with the answer of the
link preselected. Opening it (GET) changes nothing – mail scanners open every link of a
mail; one press of the button (POST, with CSRF) saves through
`services.invitation_reply(link=…)`, which checks the link again under its locks. After the
save the page is loaded again (post/redirect/get) with the saved answer selected and a
success message that takes the focus."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from uebergang.core.errors import Conflict, DomainError
from uebergang.core.web import add_domain_error

from . import delivery, ics, reply_links, services
from .forms_links import LinkReplyForm
from .models import MeetingState, Reply

SAVED = "gespeichert"


def _closed(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "meetings/links/closed.html", {"error": error}, status=error.status)


@never_cache
def reply_link(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        link, invitation = reply_links.load(token)
    except DomainError as error:
        return _closed(request, error)
    meeting = invitation.meeting
    substitutes = reply_links.current_substitutes(invitation, meeting)
    answerable = meeting.state == MeetingState.INVITED
    initial_reply = reply_links.answer_from(request.GET.get("antwort"))
    if initial_reply == Reply.SUBSTITUTE and not substitutes:
        initial_reply = None
    if request.GET.get(SAVED) or not initial_reply:
        initial_reply = invitation.reply if invitation.reply != Reply.NONE else None
    initial = {
        "reply": initial_reply,
        "note": invitation.reply_note,
        "version": invitation.version,
        "substitute": str(invitation.substitute.public_id) if invitation.substitute_id else "",
    }
    posted = request.POST if request.method == "POST" else None
    form = LinkReplyForm(posted, initial=initial, substitutes=substitutes)
    conflict = False
    status = 200
    if posted is not None and answerable and form.is_valid():
        try:
            services.invitation_reply(
                actor=reply_links.as_actor(invitation),
                invitation=invitation,
                reply=form.cleaned_data["reply"],
                note=form.cleaned_data.get("note", ""),
                substitute=form.chosen_substitute(),
                expected_version=form.cleaned_data.get("version"),
                link=link,
            )
        except Conflict as error:
            conflict = True
            add_domain_error(form, error)
            invitation.refresh_from_db()
            status = 409
        except DomainError as error:
            if isinstance(error, reply_links.LinkClosed | reply_links.LinkInvalid):
                return _closed(request, error)
            add_domain_error(form, error)
            status = 422
        else:
            return redirect(f"{request.path}?{SAVED}=1")
    elif posted is not None:
        status = 422
    if conflict:  # the current state beside the person's input, with the new version
        form.data = form.data.copy()
        form.data["version"] = str(invitation.version)
    saved = ""
    if request.GET.get(SAVED) and invitation.reply != Reply.NONE:
        saved = _("Ihre Antwort ist gespeichert: %(reply)s.") % {"reply": invitation.reply_label}
    return render(
        request,
        "meetings/links/reply.html",
        {
            "token": token,
            "meeting": meeting,
            "body": meeting.body,
            "network": meeting.network,
            "invitation": invitation,
            "form": form,
            "substitutes": substitutes,
            "answerable": answerable,
            "conflict": conflict,
            "saved": saved,
            "when": delivery._when(meeting.starts_at, meeting.ends_at),
            "location": ics.location(meeting.place, meeting.online_url),
            "sender": ics.organizer_name(meeting.network),
        },
        status=status,
    )
