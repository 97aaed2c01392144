"""API of the topics: the list, a topic with its hand-overs and statements, and every move
of the journey. Who may do what is the services' decision (`rules.py`)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router
from ninja import Schema as NinjaSchema
from ninja.files import UploadedFile

from uebergang.bodies.models import Body, BodySeat
from uebergang.core.api import (
    ERRORS,
    READ_ERRORS,
    ErrorOut,
    Page,
    Paging,
    current_on_conflict,
    get_or_404,
    network_access,
    page_of,
    patch_data,
    ref_or_422,
)
from uebergang.core.errors import NotFound, PermissionDenied
from uebergang.core.permissions import can
from uebergang.core.web import attachment
from uebergang.meetings.schemas import DocumentOut as MeetingDocumentOut

from . import schemas as s
from . import selectors, services
from .models import HandedDocument, Referral, Topic, TopicDocument
from .rules import TOPIC_MANAGE, TOPIC_VIEW, TOPICS_LIST

router = Router(tags=["Themen"])
N = "/networks/{network}/topics"


class TopicFilter(NinjaSchema):
    show: Literal["offen", "pausiert", "abgeschlossen", "alle"] = "offen"
    topic_area: s.AreaLiteral = ""  # type: ignore[valid-type]


def _topic(request, net, access, tid) -> Topic:
    topic = get_or_404(Topic, net, tid)
    if not can(access, net, TOPIC_VIEW, topic):
        raise PermissionDenied(
            "Dieses Thema sehen die Koordinierungsstelle und die Gremien, die es bearbeitet haben."
        )
    return topic


@router.get(N, response={200: Page[s.TopicOut], **READ_ERRORS}, summary="Themen")
def topic_list(
    request: HttpRequest, network: str, filters: Query[TopicFilter], paging: Query[Paging]
):
    """Die Themen, die Sie sehen dürfen, die zuletzt bewegten zuerst."""
    net, access = network_access(request, network, TOPICS_LIST)
    qs = selectors.topic_list(access=access, show=filters.show, topic_area=filters.topic_area)
    return page_of(qs, limit=paging.limit, offset=paging.offset)


class BoardFilter(NinjaSchema):
    body: UUID | None = None
    topic_area: s.AreaLiteral = ""  # type: ignore[valid-type]
    state: Literal["", "board", "statements", "working", "recommendation", "decision"] = ""


@router.get(
    f"{N}/board",
    response={200: Page[s.BoardRowOut], 403: ErrorOut, **READ_ERRORS},
    summary="Übersicht der offenen Themen (Koordinierungsstelle)",
)
def topic_board(
    request: HttpRequest, network: str, filters: Query[BoardFilter], paging: Query[Paging]
):
    """Wo jedes offene Thema liegt, seit wann, bis wann und was überfällig ist; überfällige
    zuerst, dann die am längsten wartenden. Nur für die Koordinierungsstelle."""
    net, access = network_access(request, network, TOPIC_MANAGE)
    body = ref_or_422(Body, net, filters.body, "body") if filters.body else None
    today = timezone.localdate()
    qs = selectors.office_board(
        network_id=net.pk,
        today=today,
        body_id=body.pk if body else None,
        topic_area=filters.topic_area,
        state=filters.state,
    )
    page = page_of(qs, limit=paging.limit, offset=paging.offset)
    page["items"] = [
        {
            "topic": r.public_id,
            "title": r.title,
            "state": r.state,
            "state_label": r.state_label,
            "paused": r.paused,
            "body": r.body__public_id,
            "body_name": r.body__name,
            "topic_area": r.topic_area,
            "waiting_since": r.state_since,
            "days_waiting": r.days,
            "due_date": r.board_due,
            "past_due": r.past_due,
            "statements_given": r.board_given,
            "statements_missing": r.missing,
            "mandates_open": r.board_mandates,
            "mandates_late": r.board_late,
            "overdue": r.overdue,
        }
        for r in selectors.board_rows(list(page["items"]), today)
    ]
    return page


@router.post(N, response={201: s.TopicOut, **ERRORS}, summary="Thema einbringen")
def topic_open(request: HttpRequest, network: str, body: s.TopicIn):
    net, _ = network_access(request, network)
    data = body.dict()
    data["board"] = ref_or_422(Body, net, body.board, "board")
    return 201, services.topic_open(actor=request.user, network=net, data=data)


@router.get(
    f"{N}/{{tid}}",
    response={200: s.TopicDetailOut, 403: ErrorOut, **READ_ERRORS},
    summary="Ein Thema mit seinen Weitergaben und Stellungnahmen",
)
def topic_get(request: HttpRequest, network: str, tid: UUID):
    net, access = network_access(request, network, TOPICS_LIST)
    topic = _topic(request, net, access, tid)
    detail = selectors.TopicDetail(topic=topic, access=access)
    topic.possible = services.possible(topic, net)
    topic.referral_list = detail.referrals
    topic.document_list = detail.documents
    topic.meeting_list = detail.meetings
    topic.seat_list = [
        {
            "seat": line.seat.public_id,
            "seat_name": line.label,
            "given": line.statement is not None,
            "may_write": line.may_write,
        }
        for line in detail.seat_lines
    ]
    return topic


def _reload(topic: Topic):
    return lambda: Topic.objects.select_related("body", "origin", "opened_by").get(pk=topic.pk)


@router.patch(f"{N}/{{tid}}", response={200: s.TopicOut, **ERRORS}, summary="Thema ändern")
def topic_update(request: HttpRequest, network: str, tid: UUID, body: s.TopicPatch):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return services.topic_update(
            actor=request.user, topic=topic, expected_version=body.version, data=patch_data(body)
        )


@router.post(
    f"{N}/{{tid}}/refer-advisory-board",
    response={201: s.ReferralOut, **ERRORS},
    summary="An den Beirat weitergeben",
)
def topic_refer(request: HttpRequest, network: str, tid: UUID, body: s.ReferIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return 201, services.topic_refer_to_advisory_board(
            actor=request.user,
            topic=topic,
            expected_version=body.version,
            advisory_board=ref_or_422(Body, net, body.advisory_board, "advisory_board"),
            due_date=body.due_date,
            note=body.note,
        )


@router.put(
    f"{N}/{{tid}}/body-seats/{{bsid}}/statement",
    response={200: s.StatementOut, **ERRORS},
    summary="Stellungnahme eines Sitzes abgeben oder ändern",
)
def statement_save(request: HttpRequest, network: str, tid: UUID, bsid: UUID, body: s.StatementIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    seat = get_or_404(BodySeat, net, bsid)
    return services.statement_save(
        actor=request.user, topic=topic, seat=seat, text=body.text, expected_version=body.version
    )


def _noted(request: HttpRequest, network: str, tid: UUID, body, service):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return service(
            actor=request.user, topic=topic, expected_version=body.version, note=body.note
        )


@router.post(f"{N}/{{tid}}/pause", response={200: s.TopicOut, **ERRORS}, summary="Thema pausieren")
def topic_pause(request: HttpRequest, network: str, tid: UUID, body: s.NoteIn):
    return _noted(request, network, tid, body, services.topic_pause)


@router.post(
    f"{N}/{{tid}}/resume", response={200: s.TopicOut, **ERRORS}, summary="Thema fortsetzen"
)
def topic_resume(request: HttpRequest, network: str, tid: UUID, body: s.NoteIn):
    return _noted(request, network, tid, body, services.topic_resume)


@router.post(
    f"{N}/{{tid}}/withdraw",
    response={200: s.TopicOut, **ERRORS},
    summary="Thema zurückziehen (mit Grund)",
)
def topic_withdraw(request: HttpRequest, network: str, tid: UUID, body: s.WithdrawIn):
    return _noted(request, network, tid, body, services.topic_withdraw)


@router.post(
    f"{N}/{{tid}}/refer-working-group",
    response={201: s.ReferralOut, **ERRORS},
    summary="An ein Arbeitsgremium weitergeben (mit Arbeitsauftrag)",
)
def topic_refer_working(request: HttpRequest, network: str, tid: UUID, body: s.ReferWorkingIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return 201, services.topic_refer_to_working_group(
            actor=request.user,
            topic=topic,
            expected_version=body.version,
            working_group=ref_or_422(Body, net, body.working_group, "working_group"),
            mandate=body.mandate,
            due_date=body.due_date,
        )


@router.post(
    f"{N}/{{tid}}/skip-working-groups",
    response={201: s.ReferralOut, **ERRORS},
    summary="Ohne Arbeitsgremium zur Empfehlung (mit Begründung)",
)
def topic_skip_working(request: HttpRequest, network: str, tid: UUID, body: s.ReasonIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return 201, services.topic_skip_working_groups(
            actor=request.user, topic=topic, expected_version=body.version, note=body.note
        )


@router.put(
    f"{N}/{{tid}}/referrals/{{rid}}/result",
    response={200: s.ReferralOut, **ERRORS},
    summary="Ergebnis eines Arbeitsauftrags eintragen oder ändern",
)
def mandate_result(request: HttpRequest, network: str, tid: UUID, rid: UUID, body: s.ResultIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    referral = get_or_404(Referral, net, rid, topic=topic)
    with current_on_conflict(s.ReferralOut, lambda: Referral.objects.get(pk=referral.pk)):
        return services.mandate_result(
            actor=request.user,
            referral=referral,
            result=body.result,
            expected_version=body.version,
        )


@router.post(
    f"{N}/{{tid}}/return-advisory-board",
    response={201: s.ReferralOut, **ERRORS},
    summary="Ergebnisse an den Beirat zurückgeben",
)
def topic_return(request: HttpRequest, network: str, tid: UUID, body: s.ReturnIn):
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return 201, services.topic_return_to_advisory_board(
            actor=request.user,
            topic=topic,
            expected_version=body.version,
            due_date=body.due_date,
            note=body.note,
        )


@router.post(
    f"{N}/{{tid}}/recommendation",
    response={200: s.TopicOut, **ERRORS},
    summary="Empfehlung des Beirats eintragen",
)
def topic_recommend(request: HttpRequest, network: str, tid: UUID, body: s.TopicRecommendationIn):
    """Legt das Thema dem Entscheidungsgremium vor oder schließt es ab, je nach der
    Einstellung `topics.final_decision` des Netzwerks."""
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return services.topic_recommend(
            actor=request.user,
            topic=topic,
            expected_version=body.version,
            recommendation=body.recommendation,
            due_date=body.due_date,
            note=body.note,
        )


@router.post(
    f"{N}/{{tid}}/decision",
    response={200: s.TopicOut, **ERRORS},
    summary="Entscheidung des Entscheidungsgremiums eintragen",
)
def topic_decide(request: HttpRequest, network: str, tid: UUID, body: s.TopicDecisionIn):
    """`sent_back` beginnt eine neue Runde beim Entscheidungsgremium; die anderen
    Entscheidungen schließen das Thema ab."""
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return services.topic_decide(
            actor=request.user,
            topic=topic,
            expected_version=body.version,
            outcome=body.outcome,
            text=body.text,
        )


# --- documents -------------------------------------------------------------------------------

FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "die Datei (als Anhang)",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


@router.post(
    f"{N}/{{tid}}/files",
    response={201: s.TopicDocumentOut, **ERRORS},
    summary="Unterlage zum Thema hochladen (PDF, Office)",
)
def document_upload(
    request: HttpRequest,
    network: str,
    tid: UUID,
    file: File[UploadedFile],
    title: Form[str] = "",
    version: Form[int | None] = None,
):
    """`multipart/form-data` mit `file`, optional `title` und `version` (des Themas).
    Solange das Thema beim Entscheidungsgremium liegt; jede spätere Weitergabe nimmt eine
    Kopie mit ihrem SHA-256 mit."""
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    with current_on_conflict(s.TopicOut, _reload(topic)):
        return 201, services.document_add(
            actor=request.user, topic=topic, upload=file, title=title, expected_version=version
        )


@router.post(
    f"{N}/{{tid}}/referrals/{{rid}}/files",
    response={201: s.TopicDocumentOut, **ERRORS},
    summary="Unterlage zum Ergebnis eines Arbeitsauftrags hochladen",
)
def result_document_upload(
    request: HttpRequest,
    network: str,
    tid: UUID,
    rid: UUID,
    file: File[UploadedFile],
    title: Form[str] = "",
):
    """`multipart/form-data` mit `file` und optional `title`; ein Mitglied des
    Arbeitsgremiums oder die Koordinierungsstelle, solange der Auftrag offen ist. Die Datei
    geht mit dem Ergebnis an den Beirat zurück (als Kopie mit SHA-256)."""
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    referral = get_or_404(Referral, net, rid, topic=topic)
    return 201, services.result_document_add(
        actor=request.user, referral=referral, upload=file, title=title
    )


@router.delete(
    f"{N}/{{tid}}/files/{{fid}}",
    response={200: s.TopicDocumentDeletedOut, **ERRORS},
    summary="Unterlage zum Thema entfernen",
)
def document_remove(request: HttpRequest, network: str, tid: UUID, fid: UUID):
    """Die Kopien in früheren Weitergaben bleiben, wie sie übergeben wurden."""
    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    document = get_or_404(TopicDocument, net, fid, topic=topic)
    services.document_remove(actor=request.user, document=document)
    return {"id": document.public_id, "deleted": True}


def _download(doc: Any):
    return attachment(doc, lambda: NotFound("Die Datei ist nicht mehr vorhanden."))


@router.get(
    f"{N}/{{tid}}/files/{{fid}}/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Unterlage zum Thema herunterladen",
    openapi_extra=FILE_RESPONSE,
)
def document_download(request: HttpRequest, network: str, tid: UUID, fid: UUID):
    """Für alle, die das Thema sehen."""
    net, access = network_access(request, network, TOPICS_LIST)
    topic = _topic(request, net, access, tid)
    return _download(get_or_404(TopicDocument, net, fid, topic=topic))


@router.get(
    f"{N}/{{tid}}/handed-files/{{fid}}/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Übergebene Kopie einer Unterlage herunterladen",
    openapi_extra=FILE_RESPONSE,
)
def handed_download(request: HttpRequest, network: str, tid: UUID, fid: UUID):
    """Die Datei, wie sie mit der Weitergabe übergeben wurde (ihr SHA-256 steht an der
    Weitergabe)."""
    net, access = network_access(request, network, TOPICS_LIST)
    topic = _topic(request, net, access, tid)
    return _download(get_or_404(HandedDocument, net, fid, referral__topic=topic))


@router.post(
    f"{N}/agenda-links/{{lid}}/papers",
    response={201: MeetingDocumentOut, **ERRORS},
    summary="Stellungnahmen und Übergabe der Sitzung beifügen",
)
def topic_attach_papers(request: HttpRequest, network: str, lid: UUID):
    """Fügt dem Tagesordnungspunkt des Themas (`lid`: die Verbindung aus `POST …/agenda`)
    eine PDF-Unterlage bei: der zuletzt an das Gremium der Sitzung übergebene Inhalt und die
    Stellungnahmen. Nur vor der Sitzung; jeder Aufruf legt eine neue Unterlage an."""
    from .models import AgendaLink

    net, _ = network_access(request, network)
    link = get_or_404(AgendaLink, net, lid)
    return 201, services.topic_attach_papers(actor=request.user, link=link)


@router.post(
    f"{N}/{{tid}}/agenda",
    response={201: s.AgendaLinkOut, **ERRORS},
    summary="Thema auf die Tagesordnung einer Sitzung setzen",
)
def topic_agenda(request: HttpRequest, network: str, tid: UUID, body: s.AgendaIn):
    """Legt in der Sitzung einen Tagesordnungspunkt mit dem Titel des Themas an und
    verbindet beide."""
    from uebergang.meetings.models import Meeting

    net, _ = network_access(request, network)
    topic = get_or_404(Topic, net, tid)
    meeting = ref_or_422(Meeting, net, body.meeting, "meeting")
    return 201, services.topic_put_on_agenda(actor=request.user, topic=topic, meeting=meeting)
