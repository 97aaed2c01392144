"""Pages of the meetings: the list, a meeting's page (agenda, documents, invitations with
replies and delivery, attendance, minutes with tasks and corrections), the coordination
office's forms, the document download and the PDFs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uebergang.bodies.models import Body
from uebergang.core.errors import Conflict, DomainError
from uebergang.core.history import present_events
from uebergang.core.permissions import NETWORK_VIEW, can
from uebergang.core.selectors import recent_history_for
from uebergang.core.web import (
    add_domain_error,
    asks_first_page,
    attachment,
    first_page,
    form_page,
    get_in_network,
    lazy,
    network_view,
    page_cache,
    paginate,
    query_without,
)
from uebergang.meetings.rules import MEETING_VIEW, MEETINGS_MANAGE
from uebergang.networks import selectors as network_selectors

from . import agenda_sources, cache_scopes, forms, selectors, services, steps
from .models import (
    ActionItem,
    AgendaItem,
    Decision,
    DecisionOutcome,
    Document,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    MinutesEntry,
    MinutesState,
)


def _url(name: str, request: HttpRequest, *args: Any) -> str:
    return reverse(f"meetings:{name}", args=[request.network.slug, *args])


def _crumbs(request: HttpRequest, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (request.network.name, reverse("networks:start", args=[request.network.slug])),
        (_("Sitzungen"), _url("meeting_list", request)),
        *items,
    ]


def _meeting_crumbs(
    request: HttpRequest, meeting: Meeting, label: str
) -> list[tuple[str, str | None]]:
    return _crumbs(
        request, (str(meeting), _url("meeting_detail", request, meeting.public_id)), (label, None)
    )


def _meeting_for(request: HttpRequest, pid: Any) -> Meeting:
    """A meeting of the network the person may see (else 404 / 403)."""
    meeting = get_in_network(Meeting, request, pid, related=("body",))
    if not can(request.access, request.network, MEETING_VIEW, meeting):
        raise PermissionDenied
    return meeting


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one: it shows the "required" errors)."""
    return request.POST if request.method == "POST" else None


def _detail(request: HttpRequest, meeting: Meeting) -> str:
    return _url("meeting_detail", request, meeting.public_id)


def _step_url(request: HttpRequest, meeting: Meeting, step: str) -> str:
    return steps.step_url(request.network.slug, meeting, step)


def _time_errors(error: DomainError) -> DomainError:
    """The services name `starts_at`/`ends_at`; the form has date, start and end."""
    mapping = {"starts_at": "start", "ends_at": "end"}
    if not any(k in mapping for k in error.field_errors):
        return error
    fields = {mapping.get(k, k): v for k, v in error.field_errors.items()}
    return type(error)(error.message, code=error.code, field_errors=fields, details=error.details)


def _with_time_errors(call: Any) -> Any:
    try:
        return call()
    except DomainError as error:
        raise _time_errors(error) from error


# --- list ------------------------------------------------------------------------------------


@network_view(NETWORK_VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    network, access = request.network, request.access
    bodies = selectors.visible_bodies(network=network, access=access).order_by("name", "pk")
    filters = forms.MeetingFilterForm(request.GET or None)
    filters.fields["gremium"].queryset = bodies
    body = year = None
    if filters.is_valid():
        body = filters.cleaned_data.get("gremium")
        year = filters.cleaned_data.get("jahr")
    past = request.GET.get("zeit") == "vergangen"

    usual = access.is_coordination and not (body or year or past) and asks_first_page(request)

    def rows() -> Any:
        if usual:  # the office's usual view: its first page from prepared queries
            return first_page(*selectors.office_meeting_first_page(network=network))
        return paginate(
            request,
            selectors.meeting_list(
                network=network,
                access=access,
                body=body,
                year=year,
                upcoming=not past,
                for_display=True,
            ),
        )

    return render(
        request,
        "meetings/meeting_list.html",
        {
            "section": "meetings",
            "page": lazy(rows),
            "bodies": lazy(
                lambda: selectors.office_bodies(network=network) if usual else list(bodies)
            ),
            "body": body,
            "year": year,
            "past": past,
            "query": query_without(request, "seite"),
            "tab_query": query_without(request, "seite", "zeit"),
            "breadcrumbs": [
                (network.name, reverse("networks:start", args=[network.slug])),
                (_("Sitzungen"), None),
            ],
            "can_manage": access.is_coordination,
            **page_cache(request),
        },
    )


# --- plan and change -------------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    bodies = Body.objects.filter(network=request.network, valid_to__isnull=True).order_by(
        "name", "pk"
    )
    initial: dict[str, Any] = {"date": timezone.localdate()}
    chosen = request.GET.get("gremium")
    if chosen:
        initial["body"] = bodies.filter(public_id=chosen).first() if _is_uuid(chosen) else None
    form = forms.MeetingForm(_posted(request), with_body=True, initial=initial)
    form.fields["body"].queryset = bodies
    return form_page(
        request,
        form=form,
        title=_("Sitzung planen"),
        section="meetings",
        breadcrumbs=_crumbs(request, (_("Sitzung planen"), None)),
        submit=_("Sitzung planen"),
        action=lambda d: _with_time_errors(
            lambda: services.meeting_create(
                actor=request.user, body=d["body"], data=form.meeting_data()
            )
        ),
        success=lambda m: _detail(request, m),
        message=lambda m: _("Die Sitzung „%(title)s“ ist geplant.") % {"title": m.title},
        cancel_url=_url("meeting_list", request),
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@network_view(MEETINGS_MANAGE)
def meeting_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    detail = _detail(request, meeting)
    form = forms.MeetingForm(_posted(request), initial=forms.MeetingForm.initial_for(meeting))
    return form_page(
        request,
        form=form,
        title=_("Sitzung bearbeiten: %(title)s") % {"title": meeting.title},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Bearbeiten")),
        submit=_("Speichern"),
        action=lambda d: _with_time_errors(
            lambda: services.meeting_update(
                actor=request.user,
                meeting=meeting,
                expected_version=d.get("version"),
                data=form.meeting_data(),
            )
        ),
        success=lambda m: detail,
        message=lambda m: (
            _("Die Änderungen sind gespeichert; die Eingeladenen erhalten eine Aktualisierung.")
            if m.state == MeetingState.INVITED
            else _("Die Änderungen sind gespeichert.")
        ),
        cancel_url=detail,
        current=meeting,
        intro=_("Zeiten in deutscher Zeit (Europe/Berlin)."),
    )


@network_view(MEETINGS_MANAGE)
def meeting_cancel(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    detail = _detail(request, meeting)
    return form_page(
        request,
        form=forms.CancelForm(_posted(request)),
        title=_("Sitzung absagen: %(title)s") % {"title": meeting},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Absagen")),
        submit=_("Sitzung absagen"),
        action=lambda d: services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=d.get("reason", "")
        ),
        success=lambda m: detail,
        message=lambda m: _("Die Sitzung ist abgesagt."),
        cancel_url=detail,
        intro=_("Wer schon eingeladen ist, erhält eine Absage für den Kalender."),
    )


# --- the meeting's page ----------------------------------------------------------------------


@network_view(NETWORK_VIEW)
def meeting_step(request: HttpRequest, pid: Any, step: str) -> HttpResponse:
    """One step of the meeting's page (`meetings.steps`; the first is the agenda with its
    documents at each item): the head with the state's actions and the steps' navigation,
    then the step's own part; only that part's queries run (the parts are read lazily)."""
    meeting = _meeting_for(request, pid)
    access = request.access
    manage = access.is_coordination
    slug = request.network.slug
    d = selectors.meeting_detail(meeting=meeting, user=request.user)
    return render(
        request,
        f"meetings/{steps.STEP[step].template}",
        {
            "section": "meetings",
            "meeting": meeting,
            "body": meeting.body,
            "d": d,
            "step": step,
            "steps": steps.step_links(slug, meeting, step),
            "actions": steps.actions(slug, meeting, manage=manage),
            "can_manage": manage,
            "is_open": meeting.state in services.OPEN_STATES,
            "reply_form": lazy(lambda: _own_reply_form(d.own_invitation, meeting=meeting)),
            "breadcrumbs": _crumbs(request, (str(meeting), None)),
            "events": lazy(lambda: _history(meeting, access)),
            # Per person: the reply form and the own invitation differ; the day, and so the
            # actions, are in the key (`core.web.page_cache`). Kept while nothing of this
            # meeting changes (`meetings.cache_scopes`) and no record of another kind.
            **page_cache(
                request,
                meeting.pk,
                meeting.ends_at < timezone.now(),
                scope=(cache_scopes.MEETING, meeting.pk),
            ),
        },
    )


def _own_reply_form(
    invitation: Invitation | None, data: Any = None, meeting: Meeting | None = None
) -> forms.ReplyForm:
    """The reply form with the saved answer (and substitute) selected; the substitute answer
    only when the member has a substitute on the meeting's day (one query)."""
    from .reply_links import current_substitutes

    if invitation is None:
        return forms.ReplyForm(data)
    saved = invitation.reply if invitation.reply != "none" else None
    substitutes = current_substitutes(invitation, meeting or invitation.meeting)
    chosen = next((m for m in substitutes if m.pk == invitation.substitute_id), None)
    return forms.ReplyForm(
        data,
        substitutes=substitutes,
        initial={
            "reply": saved,
            "note": invitation.reply_note,
            "substitute": str(chosen.public_id) if chosen else None,
        },
    )


def _history(meeting: Meeting, access: Any) -> list:
    """The meeting's last events as far as the person may see them; members do not see the
    minutes' drafts in them (`meetings.history_rules`: the minutes section shows the text
    once it is circulated)."""
    return present_events(recent_history_for(actor=access, obj=meeting))


# --- agenda ----------------------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def agenda_item_add(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    detail = _detail(request, meeting)
    if request.method == "POST" and request.POST.get("quelle"):
        return _agenda_from_source(request, meeting, detail)
    offered = [
        (source, choices)
        for source in agenda_sources.agenda_sources()
        if (choices := list(source.choices(meeting)))
    ]
    before = (
        render_to_string("meetings/_agenda_sources.html", {"offered": offered}, request=request)
        if offered
        else ""
    )
    return form_page(
        request,
        form=forms.AgendaItemForm(_posted(request), initial={"public": True}),
        title=_("Tagesordnungspunkt hinzufügen"),
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Tagesordnungspunkt")),
        submit=_("Hinzufügen"),
        action=lambda d: services.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda i: detail,
        message=lambda i: (
            _("TOP %(n)s „%(title)s“ ist hinzugefügt.") % {"n": i.position, "title": i.title}
        ),
        cancel_url=detail,
        before=before,
    )


def _agenda_from_source(request: HttpRequest, meeting: Meeting, detail: str) -> HttpResponse:
    """An agenda item from another app's record (`agenda_sources`): its `add` makes it."""
    source = agenda_sources.agenda_source(request.POST.get("quelle", ""))
    value = request.POST.get("wert", "").strip()
    if source is None or value not in {v for v, _label in source.choices(meeting)}:
        messages.error(request, _("Bitte wählen Sie einen der angebotenen Einträge."))
        return redirect(
            reverse("meetings:agenda_item_add", args=[request.network.slug, meeting.public_id])
        )  # type: ignore[attr-defined]
    try:
        item = source.add(actor=request.user, meeting=meeting, value=value)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(
            reverse("meetings:agenda_item_add", args=[request.network.slug, meeting.public_id])
        )  # type: ignore[attr-defined]
    messages.success(
        request,
        _("TOP %(n)s „%(title)s“ ist hinzugefügt.") % {"n": item.position, "title": item.title},
    )
    return redirect(detail)


@network_view(MEETINGS_MANAGE)
def agenda_item_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    item = get_in_network(AgendaItem, request, pid)
    meeting = item.meeting
    detail = _detail(request, meeting)
    return form_page(
        request,
        form=forms.AgendaItemForm(_posted(request), initial=forms.AgendaItemForm.initial_for(item)),
        title=_("TOP %(n)s bearbeiten") % {"n": item.position},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Tagesordnungspunkt")),
        submit=_("Speichern"),
        action=lambda d: services.agenda_item_update(
            actor=request.user,
            item=item,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda i: detail,
        message=lambda i: _("Der Tagesordnungspunkt ist gespeichert."),
        cancel_url=detail,
        current=item,
    )


def _post_action(request: HttpRequest, call: Any, success: str, message: str) -> HttpResponse:
    """A button that posts: run the service, report success or its error, go back."""
    if request.method != "POST":  # after the record's lookup: another network's gets 404
        return HttpResponseNotAllowed(["POST"])
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(success)


@network_view(MEETINGS_MANAGE)
def agenda_item_up(request: HttpRequest, pid: Any) -> HttpResponse:
    item = get_in_network(AgendaItem, request, pid)
    return _post_action(
        request,
        lambda: services.agenda_item_move(
            actor=request.user, item=item, position=max(item.position - 1, 1)
        ),
        _detail(request, item.meeting),
        _("„%(title)s“ ist nach oben verschoben.") % {"title": item.title},
    )


@network_view(MEETINGS_MANAGE)
def agenda_item_down(request: HttpRequest, pid: Any) -> HttpResponse:
    item = get_in_network(AgendaItem, request, pid)
    count = item.meeting.agenda_items.count()
    return _post_action(
        request,
        lambda: services.agenda_item_move(
            actor=request.user, item=item, position=min(item.position + 1, count)
        ),
        _detail(request, item.meeting),
        _("„%(title)s“ ist nach unten verschoben.") % {"title": item.title},
    )


@network_view(MEETINGS_MANAGE)
def agenda_item_delete(request: HttpRequest, pid: Any) -> HttpResponse:
    item = get_in_network(AgendaItem, request, pid)
    return _post_action(
        request,
        lambda: services.agenda_item_remove(actor=request.user, item=item),
        _detail(request, item.meeting),
        _("„%(title)s“ ist von der Tagesordnung genommen.") % {"title": item.title},
    )


# --- documents -------------------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def document_upload(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    detail = _detail(request, meeting)
    form = forms.DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    form.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")
    form.fields["agenda_item"].label_from_instance = str
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            doc = services.document_add(
                actor=request.user,
                meeting=meeting,
                upload=d["file"],
                title=d.get("title", ""),
                agenda_item=d.get("agenda_item"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Die Unterlage „%(title)s“ ist hochgeladen.") % {"title": doc.title}
            )
            return redirect(detail)
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "multipart": True,
            "title": _("Unterlage hochladen"),
            "intro": _(
                "Die Datei wird außerhalb des Webservers gespeichert; herunterladen "
                "können sie nur die Mitglieder des Gremiums und die Koordinierungsstelle."
            ),
            "section": "meetings",
            "breadcrumbs": _meeting_crumbs(request, meeting, _("Unterlage hochladen")),
            "submit": _("Hochladen"),
            "cancel_url": detail,
        },
    )


@network_view(NETWORK_VIEW)
def document_download(request: HttpRequest, pid: Any) -> HttpResponse:
    document = get_in_network(Document, request, pid)
    meeting = document.meeting
    if not can(request.access, request.network, MEETING_VIEW, meeting):
        raise PermissionDenied
    return attachment(document, Http404)


@network_view(MEETINGS_MANAGE)
def document_remove(request: HttpRequest, pid: Any) -> HttpResponse:
    document = get_in_network(Document, request, pid)
    return _post_action(
        request,
        lambda: services.document_remove(actor=request.user, document=document),
        _detail(request, document.meeting),
        _("Die Unterlage „%(title)s“ ist entfernt.") % {"title": document.title},
    )


# --- invitation and replies ------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def meeting_invite(request: HttpRequest, pid: Any) -> HttpResponse:
    """A confirmation page listing the recipients (and the warning when the invitation
    period is not kept); the POST sends."""
    meeting = get_in_network(Meeting, request, pid)
    detail = _detail(request, meeting)
    error = None
    cover_text = meeting.cover_text
    if request.method == "POST":
        cover_text = request.POST.get("cover_text", "")
        try:
            result = services.meeting_invite(
                actor=request.user, meeting=meeting, cover_text=cover_text
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _(
                    "Die Einladung geht an %(n)s Empfänger/innen; den Stand der Zustellung "
                    "sehen Sie unten."
                )
                % {"n": result.sent},
            )
            if result.late:
                messages.warning(
                    request,
                    _("Die Einladungsfrist von %(days)s Tagen ist nicht eingehalten.")
                    % {"days": result.period_days},
                )
            return redirect(_step_url(request, meeting, "einladung"))
    preview = services.invitation_preview(actor=request.user, meeting=meeting)
    return render(
        request,
        "meetings/meeting_invite.html",
        {
            "section": "meetings",
            "meeting": meeting,
            # an update names who gets it for the first time, and what changed
            "members": preview.members,
            "partners": preview.partners,
            "since": preview.since,
            "late": preview.late,
            "period_days": preview.period_days,
            "update": preview.update,
            "has_agenda": preview.has_agenda,
            "cover_text": cover_text,
            "cover_text_max": services.COVER_TEXT_MAX,
            "error": error,
            "breadcrumbs": _meeting_crumbs(request, meeting, _("Einladung versenden")),
            "cancel_url": _step_url(request, meeting, "einladung") if preview.update else detail,
        },
    )


@network_view(MEETINGS_MANAGE)
def invitation_resend(request: HttpRequest, pid: Any) -> HttpResponse:
    invitation = get_in_network(Invitation, request, pid)
    return _post_action(
        request,
        lambda: services.invitation_resend(actor=request.user, invitation=invitation),
        _step_url(request, invitation.meeting, "einladung"),
        _("Die Einladung an %(name)s wird erneut gesendet.") % {"name": invitation.name},
    )


@network_view(NETWORK_VIEW)
def invitation_reply(request: HttpRequest, pid: Any) -> HttpResponse:
    """The invitee's own answer (the form on the meeting's page posts here), or the
    coordination office's record of someone's answer."""
    invitation = get_in_network(Invitation, request, pid)
    meeting = invitation.meeting
    if not can(request.access, request.network, MEETING_VIEW, meeting):
        raise PermissionDenied
    if not services.can_reply(request.user, invitation):
        raise PermissionDenied
    detail = _detail(request, meeting)
    form = _own_reply_form(invitation, _posted(request), meeting=meeting)
    own = invitation.person_id and invitation.person.user_id == request.user.pk
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_reply(
                actor=request.user,
                invitation=invitation,
                reply=form.cleaned_data["reply"],
                note=form.cleaned_data.get("note", ""),
                substitute=form.chosen_substitute(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            invitation.refresh_from_db()
            saved = _("Die Antwort ist gespeichert: %(reply)s.") % {"reply": invitation.reply_label}
            if own and request.htmx:  # the form on the meeting's page: swap its section
                return _reply_section(request, invitation, _own_reply_form(invitation), saved)
            messages.success(request, saved)
            return redirect(detail if own else _step_url(request, meeting, "einladung"))
    if own and request.htmx and request.method == "POST":
        return _reply_section(request, invitation, form, "")
    return render(
        request,
        "meetings/reply.html",
        {
            "section": "meetings",
            "meeting": meeting,
            "invitation": invitation,
            "form": form,
            "own": own,
            "breadcrumbs": _meeting_crumbs(request, meeting, _("Antwort")),
            "cancel_url": detail if own else _step_url(request, meeting, "einladung"),
        },
    )


@network_view(MEETINGS_MANAGE)
def invitation_substitute(request: HttpRequest, pid: Any) -> HttpResponse:
    """The coordination office names a one-off substitute for a member, for this meeting."""
    invitation = get_in_network(Invitation, request, pid)
    meeting = invitation.meeting
    back = _step_url(request, meeting, "einladung")
    form = forms.SubstituteOnceForm(_posted(request))
    form.fields["person"].queryset = network_selectors.person_choices(network=request.network)
    return form_page(
        request,
        form=form,
        title=_("Vertretung für %(name)s benennen") % {"name": invitation.name},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Vertretung")),
        submit=_("Vertretung benennen"),
        action=lambda d: services.invitation_substitute_once(
            actor=request.user, invitation=invitation, person=d["person"], note=d.get("note", "")
        ),
        success=lambda i: back,
        message=lambda i: (
            _("%(person)s vertritt %(name)s in dieser Sitzung und erhält eine Einladung.")
            % {"person": i.substitute_person, "name": invitation.name}
        ),
        cancel_url=back,
        intro=_(
            "Für diese eine Sitzung: Die Antwort von %(name)s wird „schickt Vertreter/in“, und "
            "die benannte Person vertritt den Sitz bei Anwesenheit und Beschlussfähigkeit."
        )
        % {"name": invitation.name},
    )


def _reply_section(
    request: HttpRequest, invitation: Invitation, form: forms.ReplyForm, saved: str
) -> HttpResponse:
    """The "Ihre Antwort" section of the meeting's page (htmx swaps it in place)."""
    return render(
        request,
        "meetings/_reply_section.html",
        {"own": invitation, "reply_form": form, "saved": saved, "meeting": invitation.meeting},
    )


# --- attendance ------------------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def attendance(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    candidates = selectors.attendance_candidates(meeting)
    people: dict[str, Any] = {}
    rows = []
    for membership in candidates:
        key = membership.person.public_id.hex
        if key not in people:
            people[key] = membership.person
            rows.append((key, membership))
    # one-off substitutes named by the office stand in for a member this once
    for standing in selectors.one_off_substitutes(meeting):
        key = standing.substitute_person.public_id.hex
        if key not in people:
            people[key] = standing.substitute_person
            rows.append(
                (
                    key,
                    SimpleNamespace(
                        person=standing.substitute_person,
                        role_label=_("einmalige Vertretung für %(name)s") % {"name": standing.name},
                        seat=standing.membership.seat if standing.membership_id else None,
                    ),
                )
            )
    present = {a.person.public_id.hex for a in meeting.attendances.select_related("person")}
    form = forms.AttendanceForm(
        _posted(request), initial={"present": sorted(present), "version": meeting.version}
    )
    form.fields["present"].choices = [(key, str(m.person)) for key, m in rows]
    if request.method == "POST" and form.is_valid():
        chosen = [people[k] for k in form.cleaned_data["present"]]
        try:
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                people=chosen,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            add_domain_error(form, error)
            if isinstance(error, Conflict):  # show the current list; saving again replaces it
                fresh = Meeting.objects.get(pk=meeting.pk)
                data = form.data.copy()
                data["version"] = str(fresh.version)
                form.data = data
        else:
            messages.success(
                request,
                _("Die Anwesenheit ist erfasst: %(n)s Personen.") % {"n": len(chosen)},
            )
            return redirect(_step_url(request, meeting, "anwesenheit"))
    chosen_keys = set(form["present"].value() or [])
    return render(
        request,
        "meetings/attendance.html",
        {
            "section": "meetings",
            "meeting": meeting,
            "form": form,
            "rows": [(key, m, key in chosen_keys) for key, m in rows],
            "quorum": selectors.quorum(meeting),
            "breadcrumbs": _meeting_crumbs(request, meeting, _("Anwesenheit erfassen")),
            "cancel_url": _step_url(request, meeting, "anwesenheit"),
        },
    )


# --- minutes ---------------------------------------------------------------------------------


def _minutes_initial(minutes: Minutes | None, entries: dict[int, MinutesEntry], items) -> dict:
    initial: dict[str, Any] = {
        "opening": minutes.opening if minutes else "",
        "closing": minutes.closing if minutes else "",
        "version": minutes.version if minutes else 0,
    }
    for item in items:
        entry = entries.get(item.pk)
        initial[f"discussion_{item.public_id.hex}"] = entry.discussion if entry else ""
    return initial


def _minutes_conflict(form: forms.MinutesForm, meeting: Meeting) -> list[tuple[str, str, str]]:
    """(field, the stored text, the person's own input) wherever they differ."""
    fresh = selectors.meeting_detail(meeting=meeting)
    stored = _minutes_initial(fresh.minutes, fresh.entries, form.items)
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        theirs = stored.get(name, "") or ""
        mine = (form.cleaned_data.get(name) or "").strip()
        if theirs.strip() != mine:
            rows.append((str(field.label), theirs, mine))
    data = form.data.copy()
    data["version"] = str(fresh.minutes.version if fresh.minutes else 0)
    form.data = data
    return rows


@network_view(MEETINGS_MANAGE)
def minutes_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    d = selectors.meeting_detail(meeting=meeting)
    form = forms.MinutesForm(
        _posted(request),
        items=d.items,
        initial=_minutes_initial(d.minutes, d.entries, d.items),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.minutes_save(
                actor=request.user,
                meeting=meeting,
                expected_version=data.get("version"),
                opening=data.get("opening", ""),
                closing=data.get("closing", ""),
                entries=form.entries(),
            )
        except Conflict:
            form.add_error(
                None,
                _(
                    "Jemand anderes hat das Protokoll gespeichert, während Sie es bearbeitet "
                    "haben. Ihr Text ist nicht verloren: er steht unten im Formular. Daneben "
                    "sehen Sie den inzwischen gespeicherten Text; übernehmen Sie, was gilt, "
                    "und speichern Sie erneut."
                ),
            )
            conflict = _minutes_conflict(form, meeting)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Das Protokoll ist gespeichert."))
            return redirect(_step_url(request, meeting, "protokoll"))
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "section": "meetings",
            "meeting": meeting,
            "form": form,
            "conflict": conflict,
            "breadcrumbs": _meeting_crumbs(request, meeting, _("Protokoll schreiben")),
            "cancel_url": _step_url(request, meeting, "protokoll"),
        },
    )


def _minutes_of(meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    return minutes


@network_view(MEETINGS_MANAGE)
def minutes_circulate(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    minutes = _minutes_of(meeting)
    return _post_action(
        request,
        lambda: services.minutes_circulate(actor=request.user, minutes=minutes),
        _step_url(request, meeting, "protokoll"),
        _("Das Protokoll ist zur Abstimmung an die Mitglieder versandt."),
    )


@network_view(MEETINGS_MANAGE)
def minutes_approve(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    minutes = _minutes_of(meeting)
    form = forms.ApproveForm(_posted(request))
    form.fields["approved_in"].queryset = selectors.approving_meetings(meeting)
    return form_page(
        request,
        form=form,
        title=_("Protokoll genehmigen: %(meeting)s") % {"meeting": meeting},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Genehmigen")),
        submit=_("Genehmigen"),
        action=lambda d: services.minutes_approve(
            actor=request.user, minutes=minutes, approved_in=d["approved_in"]
        ),
        success=lambda m: _step_url(request, meeting, "protokoll"),
        message=lambda m: (
            _("Das Protokoll ist genehmigt (in der Sitzung %(meeting)s).")
            % {"meeting": m.approved_in}
        ),
        cancel_url=_step_url(request, meeting, "protokoll"),
        intro=_(
            "Genehmigt wird in einer späteren Sitzung desselben Gremiums, die stattgefunden "
            "hat oder heute stattfindet. Danach ändert sich das Protokoll nur noch durch eine "
            "Berichtigung."
        ),
    )


@network_view(MEETINGS_MANAGE)
def minutes_correct(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = get_in_network(Meeting, request, pid)
    minutes = _minutes_of(meeting)
    entries = {
        e.public_id.hex: e
        for e in MinutesEntry.objects.filter(minutes=minutes).select_related("agenda_item")
    }
    form = forms.CorrectionForm(_posted(request), initial={"version": minutes.version})
    form.fields["entry"].choices = [("", "–")] + sorted(
        ((k, str(e.agenda_item)) for k, e in entries.items()),
        key=lambda kv: kv[1],
    )
    return form_page(
        request,
        form=form,
        title=_("Protokoll berichtigen: %(meeting)s") % {"meeting": meeting},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Berichtigung")),
        submit=_("Berichtigung speichern"),
        action=lambda d: services.minutes_correct(
            actor=request.user,
            minutes=minutes,
            field=d["field"],
            text=d.get("text", ""),
            reason=d["reason"],
            entry=entries.get(d.get("entry") or ""),
            expected_version=d.get("version"),
        ),
        success=lambda c: _step_url(request, meeting, "protokoll"),
        message=lambda c: _("Die Berichtigung ist gespeichert."),
        cancel_url=_step_url(request, meeting, "protokoll"),
        current=minutes,
        intro=_(
            "Das genehmigte Protokoll ändert sich nur durch eine Berichtigung: der alte und "
            "der neue Text und die Begründung bleiben sichtbar."
        ),
    )


# --- decisions -------------------------------------------------------------------------------

DECISION_INTRO = gettext_lazy(
    "Die Nummer vergibt das System: das Kürzel des Gremiums, das Jahr der Sitzung und die "
    "nächste freie Zahl. Stimmen tragen Sie ein, wo gezählt wurde; „einstimmig“ heißt: "
    "keine Nein-Stimme."
)


def _minutes_approved(meeting: Meeting) -> bool:
    return Minutes.objects.filter(meeting=meeting, state=MinutesState.APPROVED).exists()


@network_view(MEETINGS_MANAGE)
def decision_add(request: HttpRequest, pid: Any) -> HttpResponse:
    item = get_in_network(AgendaItem, request, pid, related=("meeting__body",))
    meeting = item.meeting
    form = forms.DecisionForm(_posted(request), initial={"outcome": DecisionOutcome.ADOPTED})
    back = _step_url(request, meeting, "protokoll")
    return form_page(
        request,
        form=form,
        title=_("Beschluss zu %(item)s") % {"item": item},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Beschluss")),
        submit=_("Beschluss eintragen"),
        action=lambda d: services.decision_add(
            actor=request.user, item=item, data=form.data_for_service()
        ),
        success=lambda decision: f"{back}#beschluss-{decision.public_id}",
        message=lambda decision: (
            _("Der Beschluss %(reference)s ist eingetragen.") % {"reference": decision.reference}
        ),
        cancel_url=back,
        intro=DECISION_INTRO,
    )


@network_view(MEETINGS_MANAGE)
def decision_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    decision = get_in_network(
        Decision, request, pid, related=("agenda_item__meeting__body", "body")
    )
    meeting = decision.agenda_item.meeting
    correction = _minutes_approved(meeting)
    form = forms.DecisionForm(
        _posted(request),
        correction=correction,
        initial={
            "wording": decision.wording,
            "outcome": decision.outcome,
            "unanimous": decision.unanimous,
            "votes_yes": decision.votes_yes,
            "votes_no": decision.votes_no,
            "votes_abstain": decision.votes_abstain,
            "version": decision.version,
        },
    )
    back = _step_url(request, meeting, "protokoll")
    return form_page(
        request,
        form=form,
        title=(
            _("Beschluss %(reference)s berichtigen")
            if correction
            else _("Beschluss %(reference)s bearbeiten")
        )
        % {"reference": decision.reference},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, decision.reference),
        submit=_("Berichtigung speichern") if correction else _("Beschluss speichern"),
        action=lambda d: services.decision_update(
            actor=request.user,
            decision=decision,
            data=form.data_for_service(),
            expected_version=d.get("version"),
            reason=d.get("reason", ""),
        ),
        success=lambda dec: f"{back}#beschluss-{dec.public_id}",
        message=lambda dec: (
            (
                _("Die Berichtigung des Beschlusses %(reference)s ist gespeichert.")
                if correction
                else _("Der Beschluss %(reference)s ist gespeichert.")
            )
            % {"reference": dec.reference}
        ),
        cancel_url=back,
        current=decision,
        intro=(
            _(
                "Das Protokoll ist genehmigt: Die Änderung wird als Berichtigung mit altem und "
                "neuem Stand und Ihrer Begründung beim Protokoll gezeigt."
            )
            if correction
            else DECISION_INTRO
        ),
    )


@network_view(MEETINGS_MANAGE)
def decision_remove(request: HttpRequest, pid: Any) -> HttpResponse:
    decision = get_in_network(Decision, request, pid, related=("agenda_item__meeting", "body"))
    reference = decision.reference
    return _post_action(
        request,
        lambda: services.decision_remove(actor=request.user, decision=decision),
        _step_url(request, decision.agenda_item.meeting, "protokoll"),
        _("Der Beschluss %(reference)s ist entfernt.") % {"reference": reference},
    )


# --- tasks -----------------------------------------------------------------------------------


@network_view(MEETINGS_MANAGE)
def task_add(request: HttpRequest, pid: Any) -> HttpResponse:
    entry = get_in_network(MinutesEntry, request, pid)
    meeting = entry.minutes.meeting
    form = forms.TaskForm(_posted(request))
    form.fields["owner"].queryset = network_selectors.person_choices(network=request.network)
    form.fields["partner"].queryset = network_selectors.partner_choices(network=request.network)
    decisions = Decision.objects.filter(agenda_item=entry.agenda_item).select_related("body")
    if decisions:
        form.fields["decision"].queryset = decisions
    else:
        del form.fields["decision"]
    return form_page(
        request,
        form=form,
        title=_("Aufgabe zu %(item)s") % {"item": entry.agenda_item},
        section="meetings",
        breadcrumbs=_meeting_crumbs(request, meeting, _("Aufgabe")),
        submit=_("Aufgabe hinzufügen"),
        action=lambda d: services.task_add(
            actor=request.user,
            entry=entry,
            description=d["description"],
            owner=d.get("owner"),
            owner_text=d.get("owner_text", ""),
            partner=d.get("partner"),
            due=d.get("due"),
            decision=d.get("decision"),
        ),
        success=lambda t: _step_url(request, meeting, "protokoll"),
        message=lambda t: _("Die Aufgabe ist eingetragen."),
        cancel_url=_step_url(request, meeting, "protokoll"),
    )


@network_view(MEETINGS_MANAGE)
def task_done(request: HttpRequest, pid: Any) -> HttpResponse:
    task = get_in_network(ActionItem, request, pid)
    done = request.POST.get("done") != "0"
    return _post_action(
        request,
        lambda: services.task_set_done(actor=request.user, task=task, done=done),
        _step_url(request, task.entry.minutes.meeting, "protokoll"),
        _("Die Aufgabe ist als erledigt markiert.") if done else _("Die Aufgabe ist wieder offen."),
    )


# --- PDFs ------------------------------------------------------------------------------------


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@network_view(NETWORK_VIEW)
def invitation_pdf(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = _meeting_for(request, pid)
    from uebergang.meetings import pdf

    return _pdf(pdf.invitation_pdf(meeting), pdf.file_name(meeting, "invitation"))


@network_view(NETWORK_VIEW)
def meeting_ics(request: HttpRequest, pid: Any) -> HttpResponse:
    """*In meinen Kalender*: the meeting as a calendar file (METHOD:PUBLISH, the UID and
    SEQUENCE of the invitations, so a later update replaces it), for whoever may see it."""
    meeting = _meeting_for(request, pid)
    from uebergang.meetings import ics

    meeting.network = request.network  # (no query for it)
    response = HttpResponse(
        ics.feed([meeting], name=str(meeting)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="sitzung-{}.ics"'.format(
        meeting.starts_at.strftime("%Y-%m-%d")
    )
    return response


@network_view(NETWORK_VIEW)
def minutes_pdf(request: HttpRequest, pid: Any) -> HttpResponse:
    meeting = _meeting_for(request, pid)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    if not request.access.is_coordination and minutes.state == MinutesState.DRAFT:
        raise Http404  # the draft is the coordination office's
    from uebergang.meetings import pdf

    return _pdf(pdf.minutes_pdf(meeting), pdf.file_name(meeting, "minutes"))
