"""API of meetings (agenda, documents, invitations and replies, attendance, minutes with
tasks and corrections), network days with registrations, participation over the years and
calendar feeds. The coordination office writes; members read the meetings of the bodies
they sit in, answer their own invitations, register themselves for a network day and
subscribe to calendar feeds."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from uebergang.bodies.models import Body, Membership
from uebergang.bodies.rules import BODY_VIEW
from uebergang.core import tabular
from uebergang.core.api import (
    ERRORS,
    MAX_YEAR,
    MIN_YEAR,
    READ_ERRORS,
    ErrorOut,
    Page,
    Paging,
    cached_json,
    current_on_conflict,
    get_or_404,
    network_access,
    page_of,
    patch_data,
    ref_or_422,
)
from uebergang.core.errors import DomainError, NotFound, PermissionDenied
from uebergang.core.permissions import NETWORK_MANAGE, Access, can
from uebergang.core.web import attachment
from uebergang.meetings.rules import MEETING_VIEW, NETWORKDAYS_VIEW
from uebergang.networks.models import Partner, Person

from . import exports, selectors, services
from . import schemas as s
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Decision,
    Document,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    MinutesCorrection,
    MinutesEntry,
    MinutesState,
    NetworkDay,
    Registration,
    TaskStatus,
)

router = Router(tags=["Sitzungen"])
N = "/networks/{network}"
M = f"{N}/meetings"
NO_MEETING = gettext_lazy(
    "Diese Sitzung sehen nur die Mitglieder des Gremiums und die Koordinierungsstelle."
)
DELETED = {200: s.DeletedOut, **ERRORS}


def _get(qs: QuerySet, net: Any, public_id: Any) -> Any:
    """`get_or_404` for a queryset with its related rows."""
    obj = qs.filter(network=net, public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(kind)s nicht gefunden.") % {"kind": qs.model._meta.verbose_name})
    return obj


def _visible_meeting(access: Access, net: Any, mid: UUID) -> Meeting:
    meeting = _get(Meeting.objects.select_related("body"), net, mid)
    if not can(access, net, MEETING_VIEW, meeting):
        raise PermissionDenied(NO_MEETING)
    return meeting


def _own_part(access: Access, request: HttpRequest) -> Any:
    """The cache key part of a read whose answer depends on who asks."""
    return "" if access.is_coordination else request.user.pk


# --- meetings --------------------------------------------------------------------------------


Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


class MeetingFilters(Paging):
    upcoming: bool | None = None
    state: Literal[("", *MeetingState.values)] = ""  # type: ignore[valid-type]
    year: Year | None = Field(None, description=f"Kalenderjahr, {MIN_YEAR} bis {MAX_YEAR}")


class ParticipationFilters(Paging):
    year: Year | None = Field(
        None, description=f"nur dieses Kalenderjahr, {MIN_YEAR} bis {MAX_YEAR}"
    )


class MeetingListFilters(MeetingFilters):
    body: UUID | None = None


def _meeting_page(request, access, net, body, filters: MeetingFilters):
    def compute() -> dict:
        qs = selectors.meeting_list(
            network=net,
            access=access,
            body=body,
            upcoming=filters.upcoming,
            state=filters.state or None,
            year=filters.year,
        )
        return page_of(qs, limit=filters.limit, offset=filters.offset)

    # `upcoming` depends on the hour, not only on the data.
    hour = timezone.now().strftime("%Y%m%d%H") if filters.upcoming is not None else ""
    return cached_json(
        request, access, Page[s.MeetingListOut], compute, _own_part(access, request), hour
    )


def _visible_body(access: Access, net: Any, body: Body) -> Body:
    if not can(access, net, BODY_VIEW, body):
        raise PermissionDenied(
            _("Dieses Gremium sehen nur seine Mitglieder und die Koordinierungsstelle.")
        )
    return body


@router.get(M, response={200: Page[s.MeetingListOut], **READ_ERRORS}, summary="Sitzungen")
def meeting_list(request: HttpRequest, network: str, filters: Query[MeetingListFilters]):
    """Die Koordinierungsstelle sieht alle Sitzungen, ein Mitglied die der Gremien, in denen
    es sitzt. `upcoming=true`: noch nicht beendete, die nächste zuerst; `false`: vergangene,
    die letzte zuerst."""
    net, access = network_access(request, network)
    body = None
    if filters.body is not None:
        body = _visible_body(access, net, ref_or_422(Body, net, filters.body, "body"))
    return _meeting_page(request, access, net, body, filters)


@router.get(
    f"{N}/bodies/{{bid}}/meetings",
    response={200: Page[s.MeetingListOut], 403: ErrorOut, **READ_ERRORS},
    summary="Sitzungen eines Gremiums",
)
def body_meeting_list(
    request: HttpRequest, network: str, bid: UUID, filters: Query[MeetingFilters]
):
    net, access = network_access(request, network)
    body = _visible_body(access, net, get_or_404(Body, net, bid))
    return _meeting_page(request, access, net, body, filters)


@router.post(M, response={201: s.MeetingOut, **ERRORS}, summary="Sitzung anlegen")
def meeting_create(request: HttpRequest, network: str, body: s.MeetingIn):
    """Zeiten nach ISO 8601 mit Zeitzone, z. B. `2026-12-03T16:00:00+01:00`."""
    net, _access = network_access(request, network)
    data = body.dict()
    target = ref_or_422(Body, net, data.pop("body"), "body")
    return 201, services.meeting_create(actor=request.user, body=target, data=data)


@router.get(
    f"{M}/{{mid}}",
    response={200: s.MeetingDetailOut, 403: ErrorOut, **READ_ERRORS},
    summary="Eine Sitzung mit Tagesordnung, Unterlagen, Protokollstand und Beschlussfähigkeit",
)
def meeting_get(request: HttpRequest, network: str, mid: UUID):
    net, access = network_access(request, network)
    meeting = _visible_meeting(access, net, mid)
    meeting.detail = selectors.meeting_detail(meeting=meeting, user=request.user)
    return meeting


@router.patch(
    f"{M}/{{mid}}", response={200: s.MeetingUpdatedOut, **ERRORS}, summary="Sitzung ändern"
)
def meeting_update(request: HttpRequest, network: str, mid: UUID, body: s.MeetingPatch):
    """Ist schon eingeladen, erhalten die Eingeladenen bei geänderter Zeit, Ort oder Titel
    eine aktualisierte Einladung (`update_sent`)."""
    net, _access = network_access(request, network)
    obj = _get(Meeting.objects.select_related("body"), net, mid)
    data = patch_data(body)
    sequence = obj.sequence
    with current_on_conflict(
        s.MeetingOut, lambda: Meeting.objects.select_related("body").get(pk=obj.pk)
    ):
        meeting = services.meeting_update(
            actor=request.user, meeting=obj, expected_version=body.version, data=data
        )
    meeting.update_sent = meeting.sequence > sequence
    return meeting


@router.post(
    f"{M}/{{mid}}/cancel", response={200: s.MeetingOut, **ERRORS}, summary="Sitzung absagen"
)
def meeting_cancel(request: HttpRequest, network: str, mid: UUID, body: s.CancelIn):
    """War schon eingeladen, erhalten alle eine Absage (`METHOD:CANCEL`)."""
    net, _access = network_access(request, network)
    return services.meeting_cancel(
        actor=request.user,
        meeting=_get(Meeting.objects.select_related("body"), net, mid),
        reason=body.reason,
    )


# --- agenda ----------------------------------------------------------------------------------


@router.post(
    f"{M}/{{mid}}/agenda-items",
    response={201: s.AgendaItemOut, **ERRORS},
    summary="Tagesordnungspunkt anfügen",
)
def agenda_item_add(request: HttpRequest, network: str, mid: UUID, body: s.AgendaItemIn):
    net, _access = network_access(request, network)
    return 201, services.agenda_item_add(
        actor=request.user, meeting=get_or_404(Meeting, net, mid), data=body.dict()
    )


@router.patch(
    f"{N}/agenda-items/{{aid}}",
    response={200: s.AgendaItemOut, **ERRORS},
    summary="Tagesordnungspunkt ändern",
)
def agenda_item_update(request: HttpRequest, network: str, aid: UUID, body: s.AgendaItemPatch):
    net, _access = network_access(request, network)
    obj = _get(AgendaItem.objects.select_related("meeting"), net, aid)
    data = patch_data(body)
    with current_on_conflict(
        s.AgendaItemOut, lambda: AgendaItem.objects.select_related("meeting").get(pk=obj.pk)
    ):
        return services.agenda_item_update(
            actor=request.user, item=obj, expected_version=body.version, data=data
        )


@router.post(
    f"{N}/agenda-items/{{aid}}/move",
    response={200: s.AgendaItemOut, **ERRORS},
    summary="Tagesordnungspunkt verschieben",
)
def agenda_item_move(request: HttpRequest, network: str, aid: UUID, body: s.MoveIn):
    net, _access = network_access(request, network)
    return services.agenda_item_move(
        actor=request.user,
        item=_get(AgendaItem.objects.select_related("meeting"), net, aid),
        position=body.position,
    )


@router.delete(f"{N}/agenda-items/{{aid}}", response=DELETED, summary="Tagesordnungspunkt löschen")
def agenda_item_remove(request: HttpRequest, network: str, aid: UUID):
    """Die Unterlagen des Punkts bleiben bei der Sitzung; die anderen Punkte rücken auf."""
    net, _access = network_access(request, network)
    item = _get(AgendaItem.objects.select_related("meeting"), net, aid)
    services.agenda_item_remove(actor=request.user, item=item)
    return {"id": item.public_id, "deleted": True}


# --- documents -------------------------------------------------------------------------------


@router.get(
    f"{M}/{{mid}}/documents",
    response={200: Page[s.DocumentOut], 403: ErrorOut, **READ_ERRORS},
    summary="Unterlagen einer Sitzung (Angaben, ohne Inhalt)",
)
def document_list(request: HttpRequest, network: str, mid: UUID, paging: Query[Paging]):
    net, access = network_access(request, network)
    meeting = _visible_meeting(access, net, mid)
    return cached_json(
        request,
        access,
        Page[s.DocumentOut],
        lambda: page_of(
            meeting.documents.select_related("meeting", "agenda_item").order_by("title", "pk"),
            limit=paging.limit,
            offset=paging.offset,
        ),
    )


@router.post(
    f"{M}/{{mid}}/documents",
    response={201: s.DocumentOut, **ERRORS},
    summary="Unterlage hochladen (PDF, Office)",
)
def document_upload(
    request: HttpRequest,
    network: str,
    mid: UUID,
    file: File[UploadedFile],
    title: Form[str] = "",
    agenda_item: Form[UUID | None] = None,
):
    """`multipart/form-data` mit `file`, optional `title` und `agenda_item` (ID des
    Tagesordnungspunkts). Erlaubt sind PDF- und Office-Dateien bis zur eingestellten Größe;
    der Inhalt muss zur Endung passen."""
    net, _access = network_access(request, network)
    meeting = get_or_404(Meeting, net, mid)
    return 201, services.document_add(
        actor=request.user,
        meeting=meeting,
        upload=file,
        title=title,
        agenda_item=ref_or_422(AgendaItem, net, agenda_item, "agenda_item"),
    )


@router.get(
    f"{N}/documents/{{did}}/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Unterlage herunterladen",
    openapi_extra={
        "responses": {
            200: {
                "description": "die Datei (als Anhang)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def document_download(request: HttpRequest, network: str, did: UUID):
    """Nur für die, die die Sitzung sehen dürfen."""
    net, access = network_access(request, network)
    doc = _get(Document.objects.select_related("meeting__body"), net, did)
    if not can(access, net, MEETING_VIEW, doc.meeting):
        raise PermissionDenied(NO_MEETING)
    return attachment(doc, lambda: NotFound(_("Die Datei ist nicht mehr vorhanden.")))


@router.delete(f"{N}/documents/{{did}}", response=DELETED, summary="Unterlage löschen")
def document_remove(request: HttpRequest, network: str, did: UUID):
    net, _access = network_access(request, network)
    document = _get(Document.objects.select_related("meeting"), net, did)
    services.document_remove(actor=request.user, document=document)
    return {"id": document.public_id, "deleted": True}


# --- invitations -----------------------------------------------------------------------------


@router.get(
    f"{M}/{{mid}}/invite",
    response={200: s.InvitationPreviewOut, **ERRORS},
    summary="Vorschau der (aktualisierten) Einladung: Empfänger/innen und Änderungen",
)
def meeting_invite_preview(request: HttpRequest, network: str, mid: UUID):
    """Was der Versand täte, ohne etwas zu versenden: an wen die Einladung ginge (wer sie zum
    ersten Mal erhält) und, ist schon eingeladen, was sich seit dem letzten Versand an
    Sitzung, Tagesordnung und Unterlagen geändert hat. Nur für die Koordinierungsstelle."""
    net, _access = network_access(request, network)
    meeting = _get(Meeting.objects.select_related("body"), net, mid)
    preview = services.invitation_preview(actor=request.user, meeting=meeting)
    since = preview.since
    return {
        "update": preview.update,
        "late": preview.late,
        "period_days": preview.period_days,
        "has_agenda": preview.has_agenda,
        "last_sent_at": since.sent_at if since else None,
        "changes": [
            {
                "at": e["at"],
                **{k: str(e[k]) for k in ("actor", "type", "object", "action")},
                "changes": [
                    {k: "" if c[k] is None else str(c[k]) for k in ("field", "before", "after")}
                    for c in e["changes"]
                ],
            }
            for e in (since.events if since else [])
        ],
        "recipients": [
            {
                "name": str(m.person),
                "kind": "person",
                "first_time": first,
                "has_email": bool(m.person.email),
            }
            for m, first in preview.members
        ]
        + [
            {"name": p.name, "kind": "institution", "first_time": first, "has_email": bool(p.email)}
            for p, first in preview.partners
        ],
    }


@router.post(
    f"{M}/{{mid}}/invite",
    response={200: s.InviteOut, **ERRORS},
    summary="Einladung versenden (oder aktualisierte Einladung)",
)
def meeting_invite(request: HttpRequest, network: str, mid: UUID, body: s.InviteIn):
    """Alle Mitglieder, Vertreter/innen, Gäste und die Moderation erhalten die Einladung per
    E-Mail mit Kalenderanhang; die Institutionen der Sammelvertretungen zur Information.
    `late` meldet, dass die Einladungsfrist des Gremiums nicht eingehalten wurde. Der Inhalt
    ist `{}` oder setzt mit `cover_text` das Anschreiben dieses Versands."""
    net, _access = network_access(request, network)
    result = services.meeting_invite(
        actor=request.user,
        meeting=_get(Meeting.objects.select_related("body"), net, mid),
        cover_text=body.cover_text,
    )
    return {
        "meeting": result.meeting,
        "sent": result.sent,
        "late": result.late,
        "period_days": result.period_days,
    }


@router.get(
    f"{M}/{{mid}}/invitations",
    response={200: Page[s.InvitationOut], 403: ErrorOut, **READ_ERRORS},
    summary="Einladungen mit Antwort und Zustellung",
)
def invitation_list(request: HttpRequest, network: str, mid: UUID, paging: Query[Paging]):
    """Die Koordinierungsstelle sieht alle Einladungen, ein Mitglied nur die eigene."""
    net, access = network_access(request, network)
    meeting = _visible_meeting(access, net, mid)

    def compute() -> dict:
        qs = meeting.invitations.select_related(
            "meeting", "person", "partner", "substitute__person", "substitute_person"
        ).order_by("kind", "name", "pk")
        if not access.is_coordination:
            qs = qs.filter(person__user=request.user)
        return page_of(qs, limit=paging.limit, offset=paging.offset)

    return cached_json(request, access, Page[s.InvitationOut], compute, _own_part(access, request))


def _invitation(net: Any, iid: UUID) -> Invitation:
    return _get(
        Invitation.objects.select_related(
            "meeting", "person", "partner", "membership", "substitute__person", "substitute_person"
        ),
        net,
        iid,
    )


@router.post(
    f"{N}/invitations/{{iid}}/reply",
    response={200: s.InvitationOut, **ERRORS},
    summary="Auf eine Einladung antworten",
)
def invitation_reply(request: HttpRequest, network: str, iid: UUID, body: s.ReplyIn):
    """Die eingeladene Person selbst, oder die Koordinierungsstelle für sie: `attend`,
    `decline` oder `substitute` (der/die Vertreter/in kommt)."""
    net, _access = network_access(request, network)
    substitute = (
        ref_or_422(Membership, net, body.substitute, "substitute") if body.substitute else None
    )
    return services.invitation_reply(
        actor=request.user,
        invitation=_invitation(net, iid),
        reply=body.reply,
        note=body.note,
        substitute=substitute,
    )


@router.post(
    f"{N}/invitations/{{iid}}/substitute",
    response={200: s.InvitationOut, **ERRORS},
    summary="Einmalige Vertretung für ein Mitglied benennen",
)
def invitation_substitute(request: HttpRequest, network: str, iid: UUID, body: s.SubstituteOnceIn):
    """Nur die Koordinierungsstelle: für diese eine Sitzung vertritt `person` das Mitglied
    (Antwort „schickt Vertreter/in“); die Person erhält eine eigene Einladung."""
    net, _access = network_access(request, network)
    return services.invitation_substitute_once(
        actor=request.user,
        invitation=_invitation(net, iid),
        person=ref_or_422(Person, net, body.person, "person"),
        note=body.note,
    )


@router.post(
    f"{N}/invitations/{{iid}}/resend",
    response={200: s.InvitationOut, **ERRORS},
    summary="Einladung erneut zustellen",
)
def invitation_resend(request: HttpRequest, network: str, iid: UUID):
    net, _access = network_access(request, network)
    return services.invitation_resend(actor=request.user, invitation=_invitation(net, iid))


# --- attendance ------------------------------------------------------------------------------


def _attendance(meeting: Meeting) -> dict[str, Any]:
    meeting = Meeting.objects.select_related("body").get(pk=meeting.pk)
    present = list(
        meeting.attendances.select_related("person", "seat", "partner").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )
    candidates = selectors.attendance_candidates(meeting)
    return {
        "meeting_version": meeting.version,
        "present": present,
        "candidates": [
            {
                "person": m.person.public_id,
                "person_name": str(m.person),
                "membership": m.public_id,
                "role": m.role,
                "role_label": m.role_label,
            }
            for m in candidates
        ],
        "quorum": selectors.quorum(meeting, attendances=present),
    }


@router.get(
    f"{M}/{{mid}}/attendance",
    response={200: s.AttendanceOut, 403: ErrorOut, **READ_ERRORS},
    summary="Anwesenheit und Beschlussfähigkeit",
)
def attendance_get(request: HttpRequest, network: str, mid: UUID):
    net, access = network_access(request, network)
    return _attendance(_visible_meeting(access, net, mid))


@router.put(
    f"{M}/{{mid}}/attendance",
    response={200: s.AttendanceOut, **ERRORS},
    summary="Anwesenheit erfassen (ersetzt die Liste)",
)
def attendance_put(request: HttpRequest, network: str, mid: UUID, body: s.AttendanceIn):
    """Ab dem Sitzungstag; die Sitzung gilt dann als durchgeführt."""
    net, _access = network_access(request, network)
    obj = _get(Meeting.objects.select_related("body"), net, mid)
    people = [ref_or_422(Person, net, pid, "people") for pid in dict.fromkeys(body.people)]
    with current_on_conflict(s.AttendanceOut, lambda: _attendance(obj)):
        meeting = services.attendance_record(
            actor=request.user, meeting=obj, people=people, expected_version=body.version
        )
    return _attendance(meeting)


# --- minutes ---------------------------------------------------------------------------------


def _decisions_of(meeting: Meeting) -> list[Decision]:
    return list(
        Decision.objects.filter(agenda_item__meeting=meeting)
        .select_related("body", "agenda_item__meeting")
        .order_by("year", "number", "pk")
    )


def _minutes_of(meeting: Meeting) -> Minutes | None:
    minutes = (
        Minutes.objects.filter(meeting=meeting)
        .select_related("meeting", "approved_in")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=MinutesEntry.objects.select_related("agenda_item").prefetch_related(
                    Prefetch(
                        "tasks",
                        queryset=ActionItem.objects.select_related("owner", "partner", "decision"),
                    )
                ),
            ),
            Prefetch(
                "corrections",
                queryset=MinutesCorrection.objects.select_related("entry", "decision"),
            ),
        )
        .first()
    )
    if minutes is not None:
        minutes.decision_list = _decisions_of(meeting)
    return minutes


@router.get(
    f"{M}/{{mid}}/minutes",
    response={200: s.MinutesOut, 403: ErrorOut, **READ_ERRORS},
    summary="Das Protokoll einer Sitzung",
)
def minutes_get(request: HttpRequest, network: str, mid: UUID):
    """Den Entwurf sieht nur die Koordinierungsstelle; versandte und genehmigte Protokolle
    alle, die die Sitzung sehen."""
    net, access = network_access(request, network)
    meeting = _visible_meeting(access, net, mid)
    minutes = _minutes_of(meeting)
    if minutes is None or (minutes.state == MinutesState.DRAFT and not access.is_coordination):
        raise NotFound(_("Zu dieser Sitzung gibt es noch kein Protokoll."))
    return minutes


@router.put(
    f"{M}/{{mid}}/minutes",
    response={200: s.MinutesOut, **ERRORS},
    summary="Protokoll schreiben (Entwurf)",
)
def minutes_put(request: HttpRequest, network: str, mid: UUID, body: s.MinutesIn):
    """`version`: die gelesene Version (beim ersten Entwurf null oder 0). Hat jemand anderes
    inzwischen gespeichert, antwortet die API mit 409 und dem aktuellen Text in
    `details.current`; nichts geht verloren."""
    net, _access = network_access(request, network)
    meeting = _get(Meeting.objects.select_related("body"), net, mid)
    entries: dict[Any, dict[str, str]] = {}
    for i, entry in enumerate(body.entries):
        texts = entry.dict(exclude_unset=True, exclude={"agenda_item"})
        texts = {k: v for k, v in texts.items() if v is not None}
        key = str(entry.agenda_item)
        if key in entries:
            raise DomainError.for_field(
                f"entries.{i}.agenda_item", _("Jeder Tagesordnungspunkt nur einmal, bitte.")
            )
        entries[key] = texts
    with current_on_conflict(s.MinutesOut, lambda: _minutes_of(meeting)):
        services.minutes_save(
            actor=request.user,
            meeting=meeting,
            expected_version=body.version,
            opening=body.opening,
            closing=body.closing,
            entries=entries,
        )
    return _minutes_of(meeting)


def _minutes_or_404(net: Any, mid: UUID) -> Minutes:
    meeting = get_or_404(Meeting, net, mid)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting").first()
    if minutes is None:
        raise NotFound(_("Zu dieser Sitzung gibt es noch kein Protokoll."))
    return minutes


@router.post(
    f"{M}/{{mid}}/minutes/circulate",
    response={200: s.MinutesOut, **ERRORS},
    summary="Protokollentwurf an die Mitglieder versenden",
)
def minutes_circulate(request: HttpRequest, network: str, mid: UUID):
    net, _access = network_access(request, network)
    minutes = _minutes_or_404(net, mid)
    services.minutes_circulate(actor=request.user, minutes=minutes)
    return _minutes_of(minutes.meeting)


@router.post(
    f"{M}/{{mid}}/minutes/approve",
    response={200: s.MinutesOut, **ERRORS},
    summary="Protokoll genehmigen",
)
def minutes_approve(request: HttpRequest, network: str, mid: UUID, body: s.ApproveIn):
    """Genehmigt in einer späteren Sitzung desselben Gremiums; danach ändert sich der Text
    nur noch durch eine Berichtigung."""
    net, _access = network_access(request, network)
    minutes = _minutes_or_404(net, mid)
    approved_in = ref_or_422(Meeting, net, body.approved_in, "approved_in")
    services.minutes_approve(actor=request.user, minutes=minutes, approved_in=approved_in)
    return _minutes_of(minutes.meeting)


@router.post(
    f"{M}/{{mid}}/minutes/corrections",
    response={201: s.CorrectionOut, **ERRORS},
    summary="Genehmigtes Protokoll berichtigen",
)
def minutes_correct(request: HttpRequest, network: str, mid: UUID, body: s.CorrectionIn):
    """`field`: `opening`, `closing` oder – mit `entry` – `discussion`. Alter und neuer Text
    und die Begründung bleiben sichtbar. Einen Beschluss berichtigt `PATCH …/decisions/{id}`
    mit `reason`."""
    net, _access = network_access(request, network)
    minutes = _minutes_or_404(net, mid)
    entry = ref_or_422(MinutesEntry, net, body.entry, "entry")
    with current_on_conflict(s.MinutesOut, lambda: _minutes_of(minutes.meeting)):
        correction = services.minutes_correct(
            actor=request.user,
            minutes=minutes,
            field=body.field,
            text=body.text,
            reason=body.reason,
            entry=entry,
            expected_version=body.version,
        )
    return 201, correction


@router.post(
    f"{N}/minutes-entries/{{eid}}/tasks",
    response={201: s.TaskOut, **ERRORS},
    summary="Aufgabe zum Protokollabschnitt",
)
def task_add(request: HttpRequest, network: str, eid: UUID, body: s.TaskIn):
    """Zuständig ist eine Person (`owner`) oder, frei beschrieben, `owner_text`."""
    net, _access = network_access(request, network)
    entry = _get(MinutesEntry.objects.select_related("minutes__meeting"), net, eid)
    return 201, services.task_add(
        actor=request.user,
        entry=entry,
        description=body.description,
        owner=ref_or_422(Person, net, body.owner, "owner"),
        owner_text=body.owner_text,
        partner=ref_or_422(Partner, net, body.partner, "partner"),
        due=body.due,
        decision=ref_or_422(Decision, net, body.decision, "decision"),
    )


# --- decisions -------------------------------------------------------------------------------

PUBLISHED_MINUTES = (MinutesState.CIRCULATED, MinutesState.APPROVED)


def _decisions_shown(access: Access, meeting_id: int) -> bool:
    """Decisions are read as their minutes are: drafts by the coordination office only."""
    if access.is_coordination:
        return True
    return Minutes.objects.filter(meeting_id=meeting_id, state__in=PUBLISHED_MINUTES).exists()


@router.get(
    f"{M}/{{mid}}/decisions",
    response={200: list[s.DecisionOut], 403: ErrorOut, **READ_ERRORS},
    summary="Die Beschlüsse einer Sitzung",
)
def decision_list(request: HttpRequest, network: str, mid: UUID):
    """Nach Nummer. Solange das Protokoll ein Entwurf ist, sieht sie nur die
    Koordinierungsstelle; sonst alle, die die Sitzung sehen."""
    net, access = network_access(request, network)
    meeting = _visible_meeting(access, net, mid)
    if not _decisions_shown(access, meeting.pk):
        return []
    return _decisions_of(meeting)


def _decision(net: Any, did: UUID) -> Decision:
    return _get(Decision.objects.select_related("body", "agenda_item__meeting__body"), net, did)


@router.get(
    f"{N}/decisions/{{did}}",
    response={200: s.DecisionOut, 403: ErrorOut, **READ_ERRORS},
    summary="Ein Beschluss",
)
def decision_get(request: HttpRequest, network: str, did: UUID):
    net, access = network_access(request, network)
    decision = _decision(net, did)
    meeting = decision.agenda_item.meeting
    if not can(access, net, MEETING_VIEW, meeting):
        raise PermissionDenied(NO_MEETING)
    if not _decisions_shown(access, meeting.pk):
        raise NotFound(_("Diesen Beschluss gibt es nicht."))
    return decision


@router.post(
    f"{N}/agenda-items/{{aid}}/decisions",
    response={201: s.DecisionOut, **ERRORS},
    summary="Beschluss zum Tagesordnungspunkt eintragen",
)
def decision_add(request: HttpRequest, network: str, aid: UUID, body: s.DecisionIn):
    """Nach der Sitzung, solange das Protokoll nicht genehmigt ist. Die Nummer vergibt das
    System (Kürzel des Gremiums, Jahr der Sitzung, nächste Zahl); fehlt ein Protokoll, wird
    es als Entwurf angelegt."""
    net, _access = network_access(request, network)
    item = _get(AgendaItem.objects.select_related("meeting__body"), net, aid)
    decision = services.decision_add(actor=request.user, item=item, data=body.dict())
    return 201, _decision(net, decision.public_id)


@router.patch(
    f"{N}/decisions/{{did}}",
    response={200: s.DecisionOut, **ERRORS},
    summary="Beschluss ändern oder berichtigen",
)
def decision_update(request: HttpRequest, network: str, did: UUID, body: s.DecisionPatch):
    """Im Entwurf eine Änderung; nach der Genehmigung eine Berichtigung, die `reason` braucht
    und mit altem und neuem Stand beim Protokoll steht."""
    net, _access = network_access(request, network)
    decision = _decision(net, did)
    data = patch_data(body)
    reason = data.pop("reason", "")
    with current_on_conflict(s.DecisionOut, lambda: _decision(net, did)):
        services.decision_update(
            actor=request.user,
            decision=decision,
            data=data,
            expected_version=body.version,
            reason=reason,
        )
    return _decision(net, did)


@router.delete(f"{N}/decisions/{{did}}", response=DELETED, summary="Beschluss entfernen")
def decision_remove(request: HttpRequest, network: str, did: UUID):
    """Nur solange das Protokoll nicht genehmigt ist."""
    net, _access = network_access(request, network)
    decision = _decision(net, did)
    services.decision_remove(actor=request.user, decision=decision)
    return {"id": decision.public_id, "deleted": True}


_TASKS = ActionItem.objects.select_related(
    "owner", "partner", "decision", "entry__minutes__meeting"
)


def _visible_task(access: Access, net: Any, tid: UUID) -> ActionItem:
    """A task is read by those who follow it up and by those who read its minutes."""
    task = _get(_TASKS, net, tid)
    if not selectors.task_readable(access, task):
        raise PermissionDenied(
            _(
                "Diese Aufgabe sehen die Koordinierungsstelle, wer zuständig ist, und die Mitglieder des Gremiums, sobald das Protokoll versandt ist."
            )
        )
    return task


@router.get(
    f"{N}/tasks/{{tid}}",
    response={200: s.TaskDetailOut, 403: ErrorOut, **READ_ERRORS},
    summary="Eine Aufgabe mit ihrem Verlauf",
)
def task_get(request: HttpRequest, network: str, tid: UUID):
    net, access = network_access(request, network)
    return _visible_task(access, net, tid)


@router.patch(
    f"{N}/tasks/{{tid}}",
    response={200: s.TaskOut, **ERRORS},
    summary="Stand einer Aufgabe eintragen",
)
def task_update(request: HttpRequest, network: str, tid: UUID, body: s.TaskPatch):
    """Die Koordinierungsstelle, die zuständige Person oder Vertretungen der zuständigen
    Institution tragen den Stand ein (`status`, oder kurz `done`), mit Vermerk (`note`;
    nötig, wenn die Aufgabe entfällt oder der Stand gleich bleibt). Jeder Wechsel bleibt mit
    Tag und Vermerk im Verlauf. Mit `version` wird eine inzwischen gespeicherte Änderung
    als Konflikt (409) abgewiesen."""
    net, _access = network_access(request, network)
    task = _get(_TASKS, net, tid)
    status = body.status
    if status is None and body.done is not None:
        status = TaskStatus.DONE if body.done else TaskStatus.OPEN
    return services.task_follow_up(
        actor=request.user,
        task=task,
        status=status or "",
        note=body.note,
        expected_version=body.version,
    )


class FollowUpFilters(Paging):
    body: UUID | None = Field(None, description="nur Beschlüsse dieses Gremiums")
    year: Year | None = Field(None, description=f"Jahr des Beschlusses, {MIN_YEAR} bis {MAX_YEAR}")
    partner: UUID | None = Field(None, description="nur Beschlüsse mit Aufgaben dieser Institution")
    stand: Literal[("", *selectors.FOLLOW_UP_STANDS)] = Field(  # type: ignore[valid-type]
        "",
        description="`offen`: mit offenen Aufgaben, `ueberfaellig`: mit überfälligen, "
        "`erledigt`: alle Aufgaben erledigt oder entfallen",
    )


@router.get(
    f"{N}/decisions",
    response={200: Page[s.FollowUpDecisionOut], **READ_ERRORS},
    summary="Beschlüsse und ihre Umsetzung",
)
def follow_up_list(request: HttpRequest, network: str, filters: Query[FollowUpFilters]):
    """Was die Gremien beschlossen haben und was daraus geworden ist: die Beschlüsse, die
    letzte Sitzung zuerst, jeder mit seinen Aufgaben, ihrem Stand und ihrer Ampel. Ein
    Mitglied sieht die Beschlüsse seiner Gremien, sobald das Protokoll versandt ist.
    Weitere Filter bringen andere Teile mit, z. B. `themenkomplex` (Buchstabe a–j)."""
    net, access = network_access(request, network)
    body = None
    if filters.body is not None:
        body = _visible_body(access, net, ref_or_422(Body, net, filters.body, "body"))
    qs = selectors.follow_up_list(
        network=net,
        access=access,
        today=timezone.localdate(),
        body=body,
        year=filters.year,
        partner=ref_or_422(Partner, net, filters.partner, "partner"),
        stand=filters.stand,
        extra={key: str(value) for key, value in request.GET.items()},
    )
    return page_of(qs, limit=filters.limit, offset=filters.offset)


# --- network days ----------------------------------------------------------------------------

D = f"{N}/network-days"


@router.get(D, response={200: Page[s.NetworkDayListOut], **READ_ERRORS}, summary="Netzwerktage")
def network_day_list(request: HttpRequest, network: str, paging: Query[Paging]):
    net, access = network_access(request, network, NETWORKDAYS_VIEW)
    return cached_json(
        request,
        access,
        Page[s.NetworkDayListOut],
        lambda: page_of(
            selectors.network_day_list(network=net), limit=paging.limit, offset=paging.offset
        ),
    )


@router.post(D, response={201: s.NetworkDayOut, **ERRORS}, summary="Netzwerktag anlegen")
def network_day_create(request: HttpRequest, network: str, body: s.NetworkDayIn):
    net, _access = network_access(request, network)
    return 201, services.network_day_create(actor=request.user, network=net, data=body.dict())


def _network_day(net: Any, nid: UUID) -> NetworkDay:
    day = selectors.network_day_list(network=net).filter(public_id=nid).first()
    if day is None:
        raise NotFound(_("Netzwerktag nicht gefunden."))
    return day


@router.get(
    f"{D}/{{nid}}", response={200: s.NetworkDayDetailOut, **READ_ERRORS}, summary="Ein Netzwerktag"
)
def network_day_get(request: HttpRequest, network: str, nid: UUID):
    net, access = network_access(request, network, NETWORKDAYS_VIEW)
    day = _network_day(net, nid)
    day.invitations_all = (
        list(day.invitations.select_related("partner").order_by("name", "pk"))
        if access.is_coordination
        else []
    )
    return day


@router.patch(
    f"{D}/{{nid}}", response={200: s.NetworkDayOut, **ERRORS}, summary="Netzwerktag ändern"
)
def network_day_update(request: HttpRequest, network: str, nid: UUID, body: s.NetworkDayPatch):
    net, _access = network_access(request, network)
    obj = get_or_404(NetworkDay, net, nid)
    data = patch_data(body)
    with current_on_conflict(s.NetworkDayOut, lambda: NetworkDay.objects.get(pk=obj.pk)):
        return services.network_day_update(
            actor=request.user, day=obj, expected_version=body.version, data=data
        )


@router.post(
    f"{D}/{{nid}}/invite",
    response={200: s.NetworkDayInviteOut, **ERRORS},
    summary="Alle Partnerinstitutionen einladen",
)
def network_day_invite(request: HttpRequest, network: str, nid: UUID):
    net, _access = network_access(request, network)
    day = get_or_404(NetworkDay, net, nid)
    sent = services.network_day_invite(actor=request.user, day=day)
    return {"network_day": NetworkDay.objects.get(pk=day.pk), "sent": sent}


@router.post(
    f"{D}/{{nid}}/cancel", response={200: s.NetworkDayOut, **ERRORS}, summary="Netzwerktag absagen"
)
def network_day_cancel(request: HttpRequest, network: str, nid: UUID):
    net, _access = network_access(request, network)
    return services.network_day_cancel(actor=request.user, day=get_or_404(NetworkDay, net, nid))


@router.get(
    f"{D}/{{nid}}/registrations",
    response={200: Page[s.RegistrationOut], **READ_ERRORS},
    summary="Anmeldungen zum Netzwerktag",
)
def registration_list(request: HttpRequest, network: str, nid: UUID, paging: Query[Paging]):
    """Die Koordinierungsstelle sieht alle Anmeldungen, ein Mitglied die eigenen."""
    net, access = network_access(request, network, NETWORKDAYS_VIEW)
    day = get_or_404(NetworkDay, net, nid)

    def compute() -> dict:
        qs = day.registrations.select_related("network_day", "partner", "person").order_by(
            "partner__name", "name", "pk"
        )
        if not access.is_coordination:
            qs = qs.filter(person__user=request.user)
        return page_of(qs, limit=paging.limit, offset=paging.offset)

    return cached_json(
        request, access, Page[s.RegistrationOut], compute, _own_part(access, request)
    )


@router.post(
    f"{D}/{{nid}}/registrations",
    response={201: s.RegistrationOut, **ERRORS},
    summary="Zum Netzwerktag anmelden",
)
def registration_add(request: HttpRequest, network: str, nid: UUID, body: s.RegistrationIn):
    """Ein Mitglied meldet sich selbst an (`person` = die eigene Person); die
    Koordinierungsstelle meldet jede Person an, aus dem Register oder mit Namen."""
    net, _access = network_access(request, network, NETWORKDAYS_VIEW)
    return 201, services.registration_add(
        actor=request.user,
        day=get_or_404(NetworkDay, net, nid),
        partner=ref_or_422(Partner, net, body.partner, "partner"),
        person=ref_or_422(Person, net, body.person, "person"),
        name=body.name,
        email=body.email,
        note=body.note,
    )


@router.delete(f"{N}/registrations/{{rid}}", response=DELETED, summary="Anmeldung zurückziehen")
def registration_cancel(request: HttpRequest, network: str, rid: UUID):
    net, _access = network_access(request, network, NETWORKDAYS_VIEW)
    registration = _get(Registration.objects.select_related("network_day", "person"), net, rid)
    services.registration_cancel(actor=request.user, registration=registration)
    return {"id": registration.public_id, "deleted": True}


@router.put(
    f"{D}/{{nid}}/attendance",
    response={200: s.NetworkDayOut, **ERRORS},
    summary="Teilnahme am Netzwerktag erfassen",
)
def network_day_attendance(
    request: HttpRequest, network: str, nid: UUID, body: s.NetworkDayAttendanceIn
):
    """Die genannten Anmeldungen sind gekommen, die anderen nicht; der Netzwerktag gilt als
    durchgeführt."""
    net, _access = network_access(request, network)
    day = get_or_404(NetworkDay, net, nid)
    regs = [
        ref_or_422(Registration, net, rid, "registrations")
        for rid in dict.fromkeys(body.registrations)
    ]
    if any(r.network_day_id != day.pk for r in regs):
        raise DomainError.for_field(
            "registrations", _("Eine Anmeldung gehört zu einem anderen Netzwerktag.")
        )
    return services.network_day_attendance(actor=request.user, day=day, attended=regs)


# --- participation ---------------------------------------------------------------------------


@router.get(
    f"{N}/participation",
    response={200: Page[s.ParticipationOut], 403: ErrorOut, **READ_ERRORS},
    summary="Beteiligung je Institution und Jahr",
)
def participation(request: HttpRequest, network: str, filters: Query[ParticipationFilters]):
    """Je Partnerinstitution und Jahr: Beiratssitzungen und Sitzungen von Arbeitsgremien, in
    denen jemand für sie anwesend war, und Netzwerktage mit Teilnahme (Grundlage IV). Nur für
    die Koordinierungsstelle (wie die Seite „Beteiligung“)."""
    net, access = network_access(request, network, NETWORK_MANAGE)

    def compute() -> dict:
        year = filters.year
        years, rows = selectors.participation(network=net, years=[year] if year else None)
        items = [
            {
                "partner": row.partner_public_id,
                "partner_name": row.partner_name,
                "is_party": row.is_party,
                "years": [{"year": y, **row.by_year[y]} for y in years],
            }
            for row in rows
        ]
        return page_of(items, limit=filters.limit, offset=filters.offset)

    return cached_json(request, access, Page[s.ParticipationOut], compute)


# --- calendar feeds --------------------------------------------------------------------------


@router.get(
    f"{N}/calendar-feeds",
    response={200: list[s.CalendarFeedOut], **READ_ERRORS},
    summary="Eigene Kalenderabos",
)
def calendar_feed_list(request: HttpRequest, network: str):
    net, _access = network_access(request, network)
    return list(
        CalendarFeed.objects.filter(network=net, user=request.user)
        .select_related("body")
        .order_by("-created", "pk")
    )


@router.post(
    f"{N}/calendar-feeds",
    response={201: s.CalendarFeedCreatedOut, **ERRORS},
    summary="Kalenderabo anlegen",
)
def calendar_feed_create(request: HttpRequest, network: str, body: s.CalendarFeedIn):
    """Für ein Gremium (`body`) oder, ohne, für alle eigenen Sitzungen. Die Antwort enthält
    die geheime Adresse (`url`) – nur dieses eine Mal."""
    net, _access = network_access(request, network)
    feed, token = services.calendar_feed_create(
        actor=request.user,
        network=net,
        body=ref_or_422(Body, net, body.body, "body"),
        name=body.name,
    )
    feed.url = request.build_absolute_uri("/kalender/" + token + ".ics")
    return 201, feed


@router.post(
    f"{N}/calendar-feeds/{{fid}}/revoke",
    response={200: s.CalendarFeedOut, **ERRORS},
    summary="Kalenderabo widerrufen",
)
def calendar_feed_revoke(request: HttpRequest, network: str, fid: UUID):
    net, _access = network_access(request, network)
    feed = _get(CalendarFeed.objects.select_related("body"), net, fid)
    return services.calendar_feed_revoke(actor=request.user, feed=feed)


# --- downloads for Excel ---------------------------------------------------------------------


class DownloadFormat(Schema):
    format: Literal[tabular.API_FORMATS] = "xlsx"  # type: ignore[valid-type]


class ParticipationDownload(DownloadFormat):
    year: Year | None = Field(None, description=f"Kalenderjahr, {MIN_YEAR} bis {MAX_YEAR}")


@router.get(
    f"{M}/{{mid}}/invitees/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Eingeladene mit Antworten und Anwesenheit herunterladen (XLSX oder CSV)",
    openapi_extra=tabular.api_download_openapi("Die Eingeladenen der Sitzung"),
)
def invitee_download(request: HttpRequest, network: str, mid: UUID, filters: Query[DownloadFormat]):
    """Nur für die Koordinierungsstelle (wie auf der Seite der Sitzung)."""
    net, access = network_access(request, network)
    meeting = _get(Meeting.objects.select_related("body"), net, mid)
    table = exports.invitee_table(actor=access, network=net, meeting=meeting)
    stem = _("Eingeladene %(body)s") % {"body": meeting.body.name}
    return tabular.response(table, filters.format, stem, day=meeting.day)


@router.get(
    f"{D}/{{nid}}/registrations/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Anmeldungen zum Netzwerktag herunterladen (XLSX oder CSV)",
    openapi_extra=tabular.api_download_openapi("Die Anmeldungen zum Netzwerktag"),
)
def registration_download(
    request: HttpRequest, network: str, nid: UUID, filters: Query[DownloadFormat]
):
    """Mitglieder erhalten die Anmeldungen, die sie auf der Seite sehen."""
    net, access = network_access(request, network, NETWORKDAYS_VIEW)
    day = _network_day(net, nid)
    table = exports.registration_table(actor=access, network=net, day=day)
    return tabular.response(table, filters.format, _("Anmeldungen Netzwerktag"), day=day.day)


@router.get(
    f"{N}/participation/download",
    response={403: ErrorOut, **READ_ERRORS},
    summary="Teilnahme je Institution und Jahr herunterladen (XLSX oder CSV)",
    openapi_extra=tabular.api_download_openapi("Die Teilnahme je Institution und Jahr"),
)
def participation_download(
    request: HttpRequest, network: str, filters: Query[ParticipationDownload]
):
    """Nur für die Koordinierungsstelle (wie die Seite „Teilnahme“)."""
    net, access = network_access(request, network, NETWORK_MANAGE)
    table = exports.participation_table(actor=access, network=net, year=filters.year)
    year = filters.year
    stem = _("Teilnahme %(year)s") % {"year": year} if year else _("Teilnahme")
    return tabular.response(table, filters.format, stem)
