"""Pages of the topics: the list, a topic's page with its hand-overs and statements, and the
forms of the journey."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uebergang.bodies.models import BodySeat
from uebergang.core import cachegen
from uebergang.core.errors import DomainError
from uebergang.core.models import choice_label
from uebergang.core.permissions import can
from uebergang.core.selectors import history_for
from uebergang.core.web import (
    asks_first_page,
    attachment,
    first_page,
    form_page,
    get_in_network,
    history_page,
    lazy,
    network_view,
    page_cache,
    paginate,
    query_without,
)

from . import forms, journey, selectors, services
from .models import TOPIC_AREAS, AgendaLink, HandedDocument, Topic, TopicDocument, TopicState
from .rules import (
    RESULT_GIVE,
    STATEMENT_GIVE,
    TOPIC_EDIT,
    TOPIC_MANAGE,
    TOPIC_OPEN,
    TOPIC_VIEW,
    TOPICS_LIST,
)

SHOW = (
    ("offen", gettext_lazy("in Arbeit")),
    ("pausiert", gettext_lazy("pausiert")),
    ("abgeschlossen", gettext_lazy("abgeschlossen")),
    ("alle", gettext_lazy("alle")),
)


def topic_kinds() -> tuple[str, ...]:
    """What the topics' pages show: who sits where (visibility) and the topics."""
    return cachegen.kinds("core", "accounts", "networks", "bodies", "topics")


def _url(name: str, request: HttpRequest, *args: Any) -> str:
    return reverse(f"topics:{name}", args=[request.network.slug, *args])


def _crumbs(request: HttpRequest, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (request.network.name, reverse("networks:start", args=[request.network.slug])),
        (_("Themen"), _url("topic_list", request)),
        *items,
    ]


def _topic_for(request: HttpRequest, pid: Any) -> Topic:
    topic = get_in_network(Topic, request, pid, related=("body", "origin", "opened_by"))
    if not can(request.access, request.network, TOPIC_VIEW, topic):
        raise PermissionDenied
    return topic


def _topic_crumbs(request: HttpRequest, topic: Topic, last: str) -> list:
    return _crumbs(
        request, (topic.title, _url("topic_detail", request, topic.public_id)), (last, None)
    )


@network_view(TOPICS_LIST)
def topic_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("zeigen", "offen")
    show = show if show in dict(SHOW) else "offen"
    area = request.GET.get("themenkomplex", "")
    area = area if area in dict(TOPIC_AREAS) else ""

    def read():
        if show == "offen" and not area and asks_first_page(request):
            return first_page(*selectors.open_first_page(request.access))
        return paginate(
            request, selectors.topic_list(access=request.access, show=show, topic_area=area)
        )

    page = lazy(read)
    return render(
        request,
        "topics/topic_list.html",
        {
            "section": "topics",
            "page": page,
            "show": show,
            "show_choices": SHOW,
            "area": area,
            "area_choices": TOPIC_AREAS,
            "query": query_without(request, "seite"),
            "can_open": can(request.access, request.network, TOPIC_OPEN),
            "can_board": request.access.is_coordination,
            "breadcrumbs": [
                (request.network.name, reverse("networks:start", args=[request.network.slug])),
                (_("Themen"), None),
            ],
            **page_cache(request, depends=topic_kinds()),
        },
    )


@network_view(TOPIC_OPEN)
def topic_open(request: HttpRequest) -> HttpResponse:
    boards = services.decision_boards(request.network)
    if not request.access.is_coordination:
        boards = boards.filter(pk__in=request.access.scope("sits_in_body").values("pk"))
    form = forms.TopicOpenForm(request.POST or None, boards=boards)
    return form_page(
        request,
        form=form,
        title=_("Thema einbringen"),
        section="topics",
        breadcrumbs=_crumbs(request, (_("Neu"), None)),
        submit=_("Thema einbringen"),
        intro=_(
            "Das Entscheidungsgremium gibt Themen in das Netzwerk. Die Koordinierungsstelle gibt "
            "sie an den Beirat und die Arbeitsgremien weiter."
        ),
        action=lambda d: services.topic_open(
            actor=request.user,
            network=request.network,
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda t: _url("topic_detail", request, t.public_id),
        message=lambda t: _("Das Thema „%(title)s“ ist eingebracht.") % {"title": t.title},
        cancel_url=_url("topic_list", request),
    )


@network_view(TOPICS_LIST)
def topic_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _topic_for(request, pid)
    access = request.access
    possible = services.possible(topic, request.network)
    manage = can(access, request.network, TOPIC_MANAGE, topic)
    return render(
        request,
        "topics/topic_detail.html",
        {
            "section": "topics",
            "topic": topic,
            "d": lazy(lambda: selectors.TopicDetail(topic=topic, access=access)),
            "can_edit": journey.EDIT in possible
            and can(access, request.network, TOPIC_EDIT, topic),
            "can_refer": manage and journey.REFER_ADVISORY in possible,
            "can_refer_working": manage and journey.REFER_WORKING in possible,
            "can_skip": manage and journey.SKIP_WORKING in possible,
            "can_return": manage and journey.RETURN_ADVISORY in possible,
            "can_recommend": manage
            and (journey.RECOMMEND in possible or journey.RECOMMEND_FINAL in possible),
            "can_decide": manage and journey.DECIDE in possible,
            "can_pause": manage and journey.PAUSE in possible,
            "can_agenda": manage and topic.state not in ("decided", "withdrawn"),
            "can_resume": manage and journey.RESUME in possible,
            "can_withdraw": manage and journey.WITHDRAW in possible,
            "is_office": access.is_coordination,
            "breadcrumbs": _crumbs(request, (topic.title, None)),
            **page_cache(request, topic.pk, depends=topic_kinds()),
        },
    )


@network_view(TOPICS_LIST)
def topic_history(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _topic_for(request, pid)
    return history_page(
        request,
        lambda: history_for(actor=request.access, obj=topic, limit=None),
        title=_("Verlauf: %(title)s") % {"title": topic.title},
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Verlauf")),
        cache_parts=(topic.pk,),
    )


@network_view(TOPICS_LIST)
def topic_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _topic_for(request, pid)
    if not can(request.access, request.network, TOPIC_EDIT, topic):
        raise PermissionDenied
    form = forms.TopicForm(request.POST or None, instance=topic)
    return form_page(
        request,
        form=form,
        title=_("Thema bearbeiten"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Bearbeiten")),
        submit=_("Speichern"),
        action=lambda d: services.topic_update(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            data={k: v for k, v in d.items() if k != "version"},
        ),
        success=lambda t: _url("topic_detail", request, t.public_id),
        message=lambda t: _("Das Thema ist gespeichert."),
        cancel_url=_url("topic_detail", request, topic.public_id),
        current=topic,
    )


def _managed(request: HttpRequest, pid: Any) -> Topic:
    topic = _topic_for(request, pid)
    if not can(request.access, request.network, TOPIC_MANAGE, topic):
        raise PermissionDenied
    return topic


@network_view(TOPICS_LIST)
def topic_refer(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    form = forms.ReferAdvisoryForm(
        request.POST or None,
        boards=services.advisory_boards(request.network),
        initial={"version": topic.version},
    )
    return form_page(
        request,
        form=form,
        title=_("An den Beirat weitergeben"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("An den Beirat")),
        submit=_("Weitergeben"),
        intro=_(
            "Jeder Sitz des Beirats kann bis zur Frist eine Stellungnahme aus Sicht seiner "
            "Institution abgeben. Titel, Beschreibung und Anlass werden so weitergegeben, wie "
            "sie jetzt sind."
        ),
        action=lambda d: services.topic_refer_to_advisory_board(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            advisory_board=d["advisory_board"],
            due_date=d["due_date"],
            note=d.get("note", ""),
        ),
        success=lambda r: _url("topic_detail", request, topic.public_id),
        message=lambda r: _("Das Thema ist an „%(body)s“ weitergegeben.") % {"body": r.to_body},
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


def _note_page(request: HttpRequest, pid: Any, *, action: str) -> HttpResponse:
    topic = _managed(request, pid)
    withdraw = action == journey.WITHDRAW
    form_class = forms.WithdrawForm if withdraw else forms.NoteForm
    form = form_class(request.POST or None, initial={"version": topic.version})
    service = {
        journey.PAUSE: services.topic_pause,
        journey.RESUME: services.topic_resume,
        journey.WITHDRAW: services.topic_withdraw,
    }[action]
    titles = {
        journey.PAUSE: (_("Thema pausieren"), _("Pausieren"), _("Das Thema ist pausiert.")),
        journey.RESUME: (_("Thema fortsetzen"), _("Fortsetzen"), _("Das Thema geht weiter.")),
        journey.WITHDRAW: (
            _("Thema zurückziehen"),
            _("Zurückziehen"),
            _("Das Thema ist zurückgezogen."),
        ),
    }
    title, submit, done = titles[action]
    return form_page(
        request,
        form=form,
        title=title,
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, title),
        submit=submit,
        action=lambda d: service(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            note=d.get("note", ""),
        ),
        success=lambda t: _url("topic_detail", request, topic.public_id),
        message=lambda t: done,
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


@network_view(TOPICS_LIST)
def topic_pause(request: HttpRequest, pid: Any) -> HttpResponse:
    return _note_page(request, pid, action=journey.PAUSE)


@network_view(TOPICS_LIST)
def topic_resume(request: HttpRequest, pid: Any) -> HttpResponse:
    return _note_page(request, pid, action=journey.RESUME)


@network_view(TOPICS_LIST)
def topic_withdraw(request: HttpRequest, pid: Any) -> HttpResponse:
    return _note_page(request, pid, action=journey.WITHDRAW)


@network_view(TOPICS_LIST)
def statement_edit(request: HttpRequest, pid: Any) -> HttpResponse:
    """The statement of one seat (`?sitz=<seat's public id>`) on the topic."""
    topic = _topic_for(request, pid)
    try:
        seat = uuid.UUID(request.GET.get("sitz", ""))
    except ValueError:
        raise Http404 from None
    seat_obj = get_in_network(BodySeat, request, seat, related=("partner", "constituency_seat"))
    if not can(request.access, request.network, STATEMENT_GIVE, seat_obj):
        raise PermissionDenied
    referral = services.current_referral(topic)
    existing = selectors.statement_of(referral, seat_obj) if referral is not None else None
    form = forms.StatementForm(
        request.POST or None,
        initial={
            "text": existing.text if existing else "",
            "version": existing.version if existing else None,
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Stellungnahme: %(seat)s") % {"seat": seat_obj},
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Stellungnahme")),
        submit=_("Stellungnahme speichern"),
        intro=_("Zum Thema „%(title)s“.") % {"title": topic.title},
        action=lambda d: services.statement_save(
            actor=request.user,
            topic=topic,
            seat=seat_obj,
            text=d["text"],
            expected_version=d.get("version"),
        ),
        success=lambda s: _url("topic_detail", request, topic.public_id),
        message=lambda s: _("Die Stellungnahme ist gespeichert."),
        cancel_url=_url("topic_detail", request, topic.public_id),
        current=existing,
    )


@network_view(TOPICS_LIST)
def topic_refer_working(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    form = forms.ReferWorkingForm(
        request.POST or None,
        groups=services.working_groups(request.network),
        initial={"version": topic.version},
    )
    return form_page(
        request,
        form=form,
        title=_("An ein Arbeitsgremium weitergeben"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("An ein Arbeitsgremium")),
        submit=_("Weitergeben"),
        intro=_(
            "Das Arbeitsgremium bekommt das Thema mit den Stellungnahmen des Beirats und einem "
            "Arbeitsauftrag. Weitere Arbeitsgremien können Sie danach hinzunehmen."
        ),
        action=lambda d: services.topic_refer_to_working_group(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            working_group=d["working_group"],
            mandate=d["mandate"],
            due_date=d["due_date"],
        ),
        success=lambda r: _url("topic_detail", request, topic.public_id),
        message=lambda r: _("Das Thema ist an „%(body)s“ weitergegeben.") % {"body": r.to_body},
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


@network_view(TOPICS_LIST)
def topic_skip_working(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    form = forms.ReasonForm(request.POST or None, initial={"version": topic.version})
    return form_page(
        request,
        form=form,
        title=_("Ohne Arbeitsgremium zur Empfehlung"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Ohne Arbeitsgremium")),
        submit=_("Zur Empfehlung geben"),
        intro=_(
            "Der Beirat berät das Thema dann gleich zu seiner Empfehlung. Bitte begründen Sie, "
            "warum kein Arbeitsgremium nötig ist."
        ),
        action=lambda d: services.topic_skip_working_groups(
            actor=request.user, topic=topic, expected_version=d.get("version"), note=d["note"]
        ),
        success=lambda r: _url("topic_detail", request, topic.public_id),
        message=lambda r: _("Der Beirat hat das Thema zur Empfehlung."),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


@network_view(TOPICS_LIST)
def topic_return(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    form = forms.ReturnForm(request.POST or None, initial={"version": topic.version})
    return form_page(
        request,
        form=form,
        title=_("Ergebnisse an den Beirat zurückgeben"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("An den Beirat zurück")),
        submit=_("Zurückgeben"),
        intro=_("Der Beirat bekommt die Ergebnisse der Arbeitsgremien für seine Empfehlung."),
        action=lambda d: services.topic_return_to_advisory_board(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            due_date=d.get("due_date"),
            note=d.get("note", ""),
        ),
        success=lambda r: _url("topic_detail", request, topic.public_id),
        message=lambda r: (
            _("Die Ergebnisse sind an „%(body)s“ zurückgegeben.") % {"body": r.to_body}
        ),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


@network_view(TOPICS_LIST)
def mandate_result(request: HttpRequest, pid: Any) -> HttpResponse:
    """The result of one mandate (`?auftrag=<the hand-over's public id>`)."""
    topic = _topic_for(request, pid)
    try:
        mandate_id = uuid.UUID(request.GET.get("auftrag", ""))
    except ValueError:
        raise Http404 from None
    referral = selectors.mandate_of(topic, mandate_id)
    if referral is None:
        raise Http404
    if not can(request.access, request.network, RESULT_GIVE, referral):
        raise PermissionDenied
    form = forms.ResultForm(
        request.POST or None,
        initial={
            "result": referral.result,
            "version": referral.version if referral.result_at else None,
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Ergebnis: %(body)s") % {"body": referral.to_body},
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Ergebnis")),
        submit=_("Ergebnis speichern"),
        intro=_("Arbeitsauftrag: %(mandate)s") % {"mandate": referral.mandate},
        action=lambda d: services.mandate_result(
            actor=request.user,
            referral=referral,
            result=d["result"],
            expected_version=d.get("version"),
        ),
        success=lambda r: _url("topic_detail", request, topic.public_id),
        message=lambda r: _("Das Ergebnis ist gespeichert."),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


def _from_meeting(taken: Any) -> str:
    """The note on a form prefilled from the decision recorded in a meeting."""
    if not taken:
        return ""
    if taken["approved"]:
        return _("Vorausgefüllt mit dem Beschluss aus „%(meeting)s“.") % {
            "meeting": taken["meeting"]
        }
    return _(
        "Vorausgefüllt mit dem Beschluss aus „%(meeting)s“ (vorläufig: das Protokoll ist "
        "noch nicht genehmigt)."
    ) % {"meeting": taken["meeting"]}


@network_view(TOPICS_LIST)
def topic_recommend(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    final = services.final_decision(request.network)
    taken = selectors.meeting_decision(topic, topic.body_id)
    form = forms.RecommendForm(
        request.POST or None,
        final=final,
        initial={"version": topic.version, "recommendation": taken["wording"] if taken else ""},
    )
    return form_page(
        request,
        form=form,
        title=_("Empfehlung des Beirats eintragen"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Empfehlung")),
        submit=_("Dem Entscheidungsgremium vorlegen") if final else _("Eintragen und abschließen"),
        intro=" ".join(
            filter(
                None,
                [
                    _(
                        "Die Empfehlung geht mit dem Thema an „%(body)s“, das abschließend "
                        "entscheidet."
                    )
                    % {"body": topic.origin}
                    if final
                    else _("In diesem Netzwerk schließt die Empfehlung des Beirats das Thema ab."),
                    _from_meeting(taken),
                ],
            )
        ),
        action=lambda d: services.topic_recommend(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            recommendation=d["recommendation"],
            due_date=d.get("due_date"),
            note=d.get("note", ""),
        ),
        success=lambda t: _url("topic_detail", request, topic.public_id),
        message=lambda t: (
            _("Die Empfehlung ist eingetragen; das Thema liegt beim Entscheidungsgremium.")
            if t.state == "decision"
            else _("Die Empfehlung ist eingetragen; das Thema ist abgeschlossen.")
        ),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


@network_view(TOPICS_LIST)
def topic_decide(request: HttpRequest, pid: Any) -> HttpResponse:
    topic = _managed(request, pid)
    taken = selectors.meeting_decision(topic, topic.origin_id)
    outcome = (
        {"adopted": "adopted", "rejected": "rejected"}.get(taken["outcome"]) if taken else None
    )
    form = forms.DecisionForm(
        request.POST or None,
        initial={
            "version": topic.version,
            "outcome": outcome,
            "text": taken["wording"] if taken else "",
        },
    )
    return form_page(
        request,
        form=form,
        title=_("Entscheidung eintragen"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Entscheidung")),
        submit=_("Entscheidung eintragen"),
        intro=" ".join(
            filter(
                None,
                [
                    _(
                        "Wie „%(body)s“ über das Thema und die Empfehlung des Beirats entschieden hat."
                    )
                    % {"body": topic.origin},
                    _from_meeting(taken),
                ],
            )
        ),
        action=lambda d: services.topic_decide(
            actor=request.user,
            topic=topic,
            expected_version=d.get("version"),
            outcome=d["outcome"],
            text=d.get("text", ""),
        ),
        success=lambda t: _url("topic_detail", request, topic.public_id),
        message=lambda t: (
            _("Die Entscheidung ist eingetragen; Runde %(n)s beginnt beim Entscheidungsgremium.")
            % {"n": t.round}
            if t.state == "board"
            else _("Die Entscheidung ist eingetragen: %(outcome)s.") % {"outcome": t.outcome_label}
        ),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )


STATE_FILTERS = {
    "entscheidungsgremium": "board",
    "stellungnahmen": "statements",
    "arbeitsgremien": "working",
    "empfehlung": "recommendation",
    "entscheidung": "decision",
}


@network_view(TOPIC_MANAGE)
def topic_board(request: HttpRequest) -> HttpResponse:
    """The coordination office's board: where each open topic waits, for how long, and
    what is overdue, filtered by body, topic area and state. Without JavaScript a form;
    with htmx the same view answers with the results only."""
    network = request.network
    today = timezone.localdate()
    bodies = selectors.current_bodies(network.pk)
    chosen = request.GET.get("gremium", "")
    body = next((b for b in bodies if str(b.public_id) == chosen), None)
    area = request.GET.get("themenkomplex", "")
    area = area if area in dict(TOPIC_AREAS) else ""
    state = request.GET.get("stand", "")
    state = state if state in STATE_FILTERS else ""

    def read():
        if not (body or area or state) and asks_first_page(request):
            return first_page(*selectors.board_first_page(network.pk, today))
        qs = selectors.office_board(
            network_id=network.pk,
            today=today,
            body_id=body.pk if body else None,
            topic_area=area,
            state=STATE_FILTERS.get(state, ""),
        )
        return paginate(request, qs)

    page = lazy(read)
    context = {
        "section": "topics",
        "page": page,
        "rows": lazy(lambda: selectors.board_rows(list(page.object_list), today)),
        "bodies": bodies,
        "body": body,
        "area": area,
        "area_choices": TOPIC_AREAS,
        "state": state,
        "state_choices": [
            (key, choice_label(TopicState, value)) for key, value in STATE_FILTERS.items()
        ],
        "query": query_without(request, "seite"),
        "breadcrumbs": _crumbs(request, (_("Übersicht"), None)),
        **page_cache(request, depends=topic_kinds()),
    }
    template = "topics/topic_board.html#results" if request.htmx else "topics/topic_board.html"
    return render(request, template, context)


# --- the topic's documents and the copies handed over -------------------------------------


@network_view(TOPICS_LIST)
def document_upload(request: HttpRequest, pid: Any) -> HttpResponse:
    """A file of the topic, or with `?auftrag=<mandate>` a file of that working group's
    result."""
    topic = _topic_for(request, pid)
    mandate = None
    if "auftrag" in request.GET:
        try:
            mandate = selectors.mandate_of(topic, uuid.UUID(request.GET["auftrag"]))
        except ValueError:
            raise Http404 from None
        if mandate is None:
            raise Http404
        if not can(request.access, request.network, RESULT_GIVE, mandate):
            raise PermissionDenied
    elif not can(request.access, request.network, TOPIC_EDIT, topic):
        raise PermissionDenied
    form = forms.DocumentForm(
        request.POST or None,
        request.FILES if request.method == "POST" else None,
        initial={"version": topic.version},
    )
    return form_page(
        request,
        form=form,
        title=(
            _("Unterlage zum Ergebnis: %(body)s") % {"body": mandate.to_body}
            if mandate is not None
            else _("Unterlage zum Thema hochladen")
        ),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Unterlage")),
        submit=_("Hochladen"),
        intro=(
            _(
                "Die Unterlage gehört zum Ergebnis und geht mit ihm an den Beirat zurück, als "
                "Kopie mit ihrem Prüfwert (SHA-256)."
            )
            if mandate is not None
            else _(
                "Die Unterlage gehört zum Thema und geht mit jeder Weitergabe als Kopie mit, "
                "mit ihrem Prüfwert (SHA-256)."
            )
        ),
        action=lambda d: (
            services.result_document_add(
                actor=request.user, referral=mandate, upload=d["file"], title=d.get("title", "")
            )
            if mandate is not None
            else services.document_add(
                actor=request.user,
                topic=topic,
                upload=d["file"],
                title=d.get("title", ""),
                expected_version=d.get("version"),
            )
        ),
        success=lambda doc: _url("topic_detail", request, topic.public_id),
        message=lambda doc: _("Die Unterlage „%(title)s“ ist hochgeladen.") % {"title": doc.title},
        cancel_url=_url("topic_detail", request, topic.public_id),
        multipart=True,
    )


def _document_for(request: HttpRequest, model: Any, pid: Any) -> tuple[Any, Topic]:
    """The document (of a topic, or handed over) and its topic, for whoever sees the topic."""
    related = ("topic",) if model is TopicDocument else ("referral__topic",)
    doc = get_in_network(model, request, pid, related=related)
    topic = doc.topic if model is TopicDocument else doc.referral.topic
    if not can(request.access, request.network, TOPIC_VIEW, topic):
        raise PermissionDenied
    return doc, topic


@network_view(TOPICS_LIST)
def document_remove(request: HttpRequest, pid: Any) -> HttpResponse:
    doc, topic = _document_for(request, TopicDocument, pid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    may = (
        can(request.access, request.network, RESULT_GIVE, doc.mandate)
        if doc.mandate_id
        else can(request.access, request.network, TOPIC_EDIT, topic)
    )
    if not may:
        raise PermissionDenied
    try:
        services.document_remove(actor=request.user, document=doc)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Die Unterlage „%(title)s“ ist entfernt.") % {"title": doc.title}
        )
    return redirect(_url("topic_detail", request, topic.public_id))


@network_view(TOPICS_LIST)
def attach_papers(request: HttpRequest, pid: Any) -> HttpResponse:
    """The office adds the topic's statements and hand-over as a PDF to the meeting the
    agenda link `pid` puts it on."""
    link = get_in_network(AgendaLink, request, pid, related=("topic", "agenda_item__meeting__body"))
    topic = link.topic
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can(request.access, request.network, TOPIC_MANAGE, topic):
        raise PermissionDenied
    try:
        doc = services.topic_attach_papers(actor=request.user, link=link)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("„%(title)s“ ist der Sitzung „%(meeting)s“ beigefügt.")
            % {"title": doc.title, "meeting": link.agenda_item.meeting.title},
        )
    return redirect(_url("topic_detail", request, topic.public_id) + "#h-sitzungen")


@network_view(TOPICS_LIST)
def document_download(request: HttpRequest, pid: Any) -> HttpResponse:
    doc, _topic = _document_for(request, TopicDocument, pid)
    return attachment(doc, Http404)


@network_view(TOPICS_LIST)
def handed_download(request: HttpRequest, pid: Any) -> HttpResponse:
    doc, _topic = _document_for(request, HandedDocument, pid)
    return attachment(doc, Http404)


@network_view(TOPICS_LIST)
def topic_agenda(request: HttpRequest, pid: Any) -> HttpResponse:
    """Put the topic on the agenda of a coming meeting of a body it is with."""
    topic = _managed(request, pid)
    topic.network = request.network
    meetings = selectors.agenda_candidates(topic, services.bodies_working_on(topic))
    form = forms.AgendaForm(request.POST or None, meetings=meetings)
    return form_page(
        request,
        form=form,
        title=_("Auf die Tagesordnung setzen"),
        section="topics",
        breadcrumbs=_topic_crumbs(request, topic, _("Tagesordnung")),
        submit=_("Auf die Tagesordnung setzen"),
        intro=_(
            "Die Sitzung bekommt einen Tagesordnungspunkt mit dem Titel des Themas; die "
            "Sitzung und das Thema zeigen die Verbindung."
        ),
        action=lambda d: services.topic_put_on_agenda(
            actor=request.user, topic=topic, meeting=d["meeting"]
        ),
        success=lambda link: _url("topic_detail", request, topic.public_id),
        message=lambda link: (
            _("Das Thema steht auf der Tagesordnung von „%(meeting)s“.")
            % {"meeting": link.agenda_item.meeting.title}
        ),
        cancel_url=_url("topic_detail", request, topic.public_id),
    )
