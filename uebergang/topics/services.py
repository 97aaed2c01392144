"""Every write to topics, hand-overs and statements. Each checks permission, asks the
journey (`journey.move`) whether the move is possible from here, locks the topic, checks the
version the person loaded, validates, writes and records the history (hand-overs and
statements under their topic)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.bodies.models import Body, BodyKind, BodySeat
from uebergang.core import history
from uebergang.core.concurrency import check_version, lock, lock_alive, save_versioned, unique_or
from uebergang.core.errors import Conflict, DomainError
from uebergang.core.models import HistoryAction, Network
from uebergang.core.netsettings import get_setting
from uebergang.core.permissions import access_for, authorize
from uebergang.core.validation import format_day, validate_fields
from uebergang.meetings.services import check_upload
from uebergang.networks.selectors import actor_name, person_of

from . import journey
from .models import (
    TOPIC_AREAS,
    AgendaLink,
    HandedDocument,
    Outcome,
    Referral,
    ReferralRole,
    Statement,
    Topic,
    TopicDocument,
    TopicState,
)
from .network_settings import FINAL_DECISION
from .rules import RESULT_GIVE, STATEMENT_GIVE, TOPIC_EDIT, TOPIC_MANAGE, TOPIC_OPEN

TOPIC_FIELDS = ("title", "description", "reason", "topic_area", "desired_date", "confidential")
MAX_TEXT = 20_000


def _text(data: dict[str, Any], key: str, *, required: str = "") -> str:
    value = str(data.get(key) or "").strip()
    if required and not value:
        raise DomainError.for_field(key, required)
    if len(value) > MAX_TEXT:
        raise DomainError.for_field(
            key,
            _("Höchstens %(n)s Zeichen, bitte kürzen Sie den Text.")
            % {"n": f"{MAX_TEXT:,}".replace(",", ".")},
        )
    return value


def _clean_topic(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in data:
        clean["title"] = " ".join(str(data.get("title") or "").split())
        if not clean["title"]:
            raise DomainError.for_field("title", _("Bitte geben Sie einen Titel an."))
    for key in ("description", "reason"):
        if key in data:
            clean[key] = _text(data, key)
    if "topic_area" in data:
        clean["topic_area"] = data.get("topic_area") or ""
        if clean["topic_area"] not in {"", *dict(TOPIC_AREAS)}:
            raise DomainError.for_field(
                "topic_area", _("Bitte wählen Sie einen Themenkomplex aus der Liste.")
            )
    if "desired_date" in data:
        clean["desired_date"] = data.get("desired_date") or None
    if "confidential" in data:
        clean["confidential"] = bool(data.get("confidential"))
    validate_fields(Topic, clean)
    return clean


def _active(body: Any, network: Network, kind: str, field: str, message: str) -> Body:
    if (
        not isinstance(body, Body)
        or body.network_id != network.pk
        or body.kind != kind
        or body.deleted_at is not None
        or not body.is_current
    ):
        raise DomainError.for_field(field, message)
    return body


def decision_boards(network: Network):
    return Body.objects.filter(
        network=network, kind=BodyKind.DECISION_BOARD, valid_to__isnull=True
    ).order_by("name")


def advisory_boards(network: Network):
    return Body.objects.filter(
        network=network, kind=BodyKind.ADVISORY_BOARD, valid_to__isnull=True
    ).order_by("name")


def _only(qs: Any) -> Any:
    rows = list(qs[:2])
    return rows[0] if len(rows) == 1 else None


# --- topics ----------------------------------------------------------------------------------


@transaction.atomic
def topic_open(*, actor: Any, network: Network, data: dict[str, Any]) -> Topic:
    """A member of the decision board brings in a topic, or the coordination office on the
    board's behalf (recorded as such). Without `board`, the network's only decision board."""
    board = data.get("board") or _only(decision_boards(network))
    if board is None:
        authorize(actor, network, TOPIC_OPEN)
        raise DomainError.for_field("board", _("Bitte wählen Sie das Entscheidungsgremium."))
    authorize(actor, network, TOPIC_OPEN, board)
    journey.move(None, journey.OPEN)
    _active(
        board,
        network,
        BodyKind.DECISION_BOARD,
        "board",
        _("Themen bringt ein bestehendes Entscheidungsgremium des Netzwerks ein."),
    )
    clean = _clean_topic({"title": "", **data})
    person = person_of(actor, network)
    access = access_for(actor, network)
    on_behalf = access.is_coordination and not access.related("sits_in_body", board)
    topic = Topic(
        network=network,
        state=TopicState.BOARD,
        state_since=timezone.now(),
        body=board,
        origin=board,
        opened_by=person,
        on_behalf=on_behalf,
        **clean,
    )
    topic.save()
    history.record_create(
        actor=actor,
        obj=topic,
        message=_("im Auftrag des Entscheidungsgremiums eingebracht") if on_behalf else "",
    )
    return topic


def _locked(topic: Topic, expected_version: int | None) -> Topic:
    fresh = lock(topic)
    check_version(fresh, expected_version)
    return fresh


@transaction.atomic
def topic_update(
    *, actor: Any, topic: Topic, expected_version: int | None, data: dict[str, Any]
) -> Topic:
    """Title, description, reason, topic area, desired date, confidentiality: while the
    topic is with the decision board (what was handed over stays as it was)."""
    authorize(actor, topic.network, TOPIC_EDIT, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.EDIT)
    clean = _clean_topic({k: v for k, v in data.items() if k in TOPIC_FIELDS})
    before = history.snapshot(topic, list(TOPIC_FIELDS))
    for key, value in clean.items():
        setattr(topic, key, value)
    save_versioned(topic, expected_version=topic.version, fields=list(clean))
    history.record_change(actor=actor, obj=topic, before=before)
    return topic


def _move(topic: Topic, *, state: str, body: Body | None = None) -> list[str]:
    fields = ["state", "state_since"]
    topic.state_since = timezone.now()
    topic.state = state
    if body is not None:
        topic.body = body
        fields.append("body")
    return fields


def _close_open_referrals(topic: Topic, now: datetime.datetime) -> None:
    Referral.objects.filter(topic=topic, closed_at__isnull=True).update(closed_at=now, modified=now)


@transaction.atomic
def topic_refer_to_advisory_board(
    *,
    actor: Any,
    topic: Topic,
    expected_version: int | None,
    advisory_board: Any = None,
    due_date: datetime.date | None,
    note: str = "",
) -> Referral:
    """The coordination office hands the topic to the advisory board: every seat may give
    one statement until `due_date`. What is handed over is frozen with the hand-over."""
    network = topic.network
    authorize(actor, network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.REFER_ADVISORY)
    board = advisory_board or _only(advisory_boards(network))
    _active(
        board,
        network,
        BodyKind.ADVISORY_BOARD,
        "advisory_board",
        _("Bitte wählen Sie einen bestehenden Beirat des Netzwerks."),
    )
    _check_due(due_date, _("Bitte geben Sie an, bis wann die Stellungnahmen vorliegen sollen."))
    referral = _hand_over(
        actor, topic, to_body=board, role=ReferralRole.STATEMENTS, due_date=due_date, note=note
    )
    _moved(actor, topic, TopicState.STATEMENTS, board)
    return referral


def _check_due(due_date: datetime.date | None, missing: str, *, required: bool = True) -> None:
    today = timezone.localdate()
    if due_date is None:
        if required:
            raise DomainError.for_field("due_date", missing)
        return
    if due_date < today:
        raise DomainError.for_field(
            "due_date",
            _("Die Frist darf nicht vor heute (%(day)s) liegen.") % {"day": format_day(today)},
        )


def _hand_over(
    actor: Any,
    topic: Topic,
    *,
    to_body: Body,
    role: str,
    due_date: datetime.date | None,
    note: str = "",
    mandate: str = "",
    from_body: Body | None = None,
    close: bool = True,
    results_of: list[int] | None = None,
) -> Referral:
    """A hand-over of the topic as it is now (its text frozen), recorded under the topic;
    `close` ends the hand-overs the topic's body worked on."""
    note = _text({"note": note}, "note")
    person = person_of(actor, topic.network)
    now = timezone.now()
    if close:
        _close_open_referrals(topic, now)
    referral = Referral(
        network=topic.network,
        topic=topic,
        number=Referral.objects.filter(topic=topic).count() + 1,
        from_body=from_body or topic.body,
        to_body=to_body,
        role=role,
        handed_at=now,
        handed_by=person,
        handed_by_name=actor_name(actor, person),
        due_date=due_date,
        note=note,
        mandate=mandate,
        snapshot_title=topic.title,
        snapshot_description=topic.description,
        snapshot_reason=topic.reason,
    )
    referral.save()
    history.record_create(actor=actor, obj=referral, parent=topic)
    _copy_documents(actor, topic, referral, results_of or [])
    return referral


def _copy_documents(actor: Any, topic: Topic, referral: Referral, results_of: list[int]) -> None:
    """Each file of the topic (and of the results of the mandates `results_of`, handed back
    with them), copied into the hand-over: its own stored file, with the SHA-256 of the
    bytes copied (what was handed over stays, whatever happens later)."""
    docs = TopicDocument.objects.filter(topic=topic).filter(
        Q(mandate__isnull=True) | Q(mandate_id__in=results_of)
    )
    for doc in docs.order_by("mandate_id", "title", "pk"):
        try:
            with doc.file.open("rb") as handle:
                data = handle.read()
        except OSError:
            raise DomainError(
                _("Die Datei „%(title)s“ fehlt im Speicher; bitte laden Sie sie neu hoch.")
                % {"title": doc.title},
                code="file_missing",
            ) from None
        copy = HandedDocument(
            network=topic.network,
            referral=referral,
            source=doc,
            title=doc.title,
            file_name=doc.file_name,
            content_type=doc.content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        copy.file.save(_stored_name(doc.file_name), ContentFile(data), save=False)
        copy.save()
        history.record_create(actor=actor, obj=copy, parent=topic)


def _stored_name(file_name: str) -> str:
    """A random name with the upload's extension: the original name is kept only as data."""
    dot = file_name.rfind(".")
    return f"{secrets.token_hex(16)}{file_name[dot:].lower() if dot >= 0 else ''}"


@transaction.atomic
def document_add(
    *, actor: Any, topic: Topic, upload: Any, title: str = "", expected_version: int | None = None
) -> TopicDocument:
    """A file of the topic (PDF or Office, checked as the meetings' documents are), while
    the topic is with the decision board: it goes with every later hand-over as a copy."""
    authorize(actor, topic.network, TOPIC_EDIT, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.EDIT)
    doc = _stored_document(topic, upload, title, None)
    history.record_create(actor=actor, obj=doc, parent=topic)
    save_versioned(topic, expected_version=topic.version, fields=[])
    return doc


def _open_mandate(referral: Referral) -> Referral:
    referral = lock(referral)
    if referral.role != ReferralRole.MANDATE or referral.closed_at is not None:
        raise DomainError.for_field(
            "referral", _("Ein Ergebnis gehört zu einem offenen Arbeitsauftrag.")
        )
    return referral


def _stored_document(topic: Topic, upload: Any, title: str, mandate: Referral | None):
    name, content_type = check_upload(upload)
    title = " ".join((title or "").split()) or name
    validate_fields(TopicDocument, {"title": title})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    doc = TopicDocument(
        network=topic.network,
        topic=topic,
        mandate=mandate,
        title=title,
        file_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
    )
    doc.file.save(_stored_name(name), upload, save=False)
    doc.save()
    return doc


@transaction.atomic
def result_document_add(
    *, actor: Any, referral: Referral, upload: Any, title: str = ""
) -> TopicDocument:
    """A file of a working group's result (by a member of the working group or the office),
    while its mandate is open; it goes back to the advisory board with the result."""
    topic = referral.topic
    authorize(actor, topic.network, RESULT_GIVE, referral)
    topic = lock(topic)
    journey.move(topic, journey.RESULT)
    referral = _open_mandate(referral)
    doc = _stored_document(topic, upload, title, referral)
    history.record_create(actor=actor, obj=doc, parent=topic)
    return doc


@transaction.atomic
def document_remove(*, actor: Any, document: TopicDocument) -> None:
    """Remove a file of the topic (while it is with the decision board); the copies handed
    over earlier stay as they were."""
    topic = document.topic
    if document.mandate_id is not None:
        authorize(actor, topic.network, RESULT_GIVE, document.mandate)
        topic = lock(topic)
        journey.move(topic, journey.RESULT)
        _open_mandate(document.mandate)
    else:
        authorize(actor, topic.network, TOPIC_EDIT, topic)
        topic = lock(topic)
        journey.move(topic, journey.EDIT)
    document = lock_alive(
        document,
        lambda: DomainError(_("Diese Unterlage ist bereits entfernt."), code="deleted"),
    )
    history.record(
        actor=actor,
        action=HistoryAction.DELETE,
        obj=document,
        parent=topic,
        changes={"title": [document.title, None]},
    )
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])  # the file stays: history may point at it
    save_versioned(topic, expected_version=topic.version, fields=[])


def _moved(actor: Any, topic: Topic, state: str, body: Body | None) -> None:
    before = history.snapshot(topic, ["state", "state_since", "body"])
    fields = _move(topic, state=state, body=body)
    save_versioned(topic, expected_version=topic.version, fields=fields)
    history.record_change(actor=actor, obj=topic, before=before)


def working_groups(network: Network):
    return Body.objects.filter(
        network=network, kind=BodyKind.WORKING_GROUP, valid_to__isnull=True
    ).order_by("name")


def _advisory_of(topic: Topic) -> Body:
    """The advisory board that gave its statements on the topic (its latest round): the
    working groups' mandates come from it and their results go back to it."""
    return (
        Referral.objects.filter(topic=topic, role=ReferralRole.STATEMENTS)
        .select_related("to_body")
        .order_by("-number")
        .first()
        .to_body
    )


def open_mandates(topic: Topic) -> list[Referral]:
    return list(
        Referral.objects.filter(
            topic=topic, role=ReferralRole.MANDATE, closed_at__isnull=True
        ).select_related("to_body")
    )


@transaction.atomic
def topic_refer_to_working_group(
    *,
    actor: Any,
    topic: Topic,
    expected_version: int | None,
    working_group: Any,
    mandate: str,
    due_date: datetime.date | None,
) -> Referral:
    """The coordination office passes the topic, with what the advisory board added, to a
    working group with a mandate and a due date (once per working group; several may work
    on it at once)."""
    network = topic.network
    authorize(actor, network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.REFER_WORKING)
    _active(
        working_group,
        network,
        BodyKind.WORKING_GROUP,
        "working_group",
        _("Bitte wählen Sie ein bestehendes Arbeitsgremium des Netzwerks."),
    )
    mandate = _text(
        {"mandate": mandate}, "mandate", required=_("Bitte beschreiben Sie den Arbeitsauftrag.")
    )
    _check_due(due_date, _("Bitte geben Sie an, bis wann das Ergebnis vorliegen soll."))
    current = open_mandates(topic) if topic.state == TopicState.WORKING else []
    if any(r.to_body_id == working_group.pk for r in current):
        raise DomainError.for_field(
            "working_group",
            _("Dieses Arbeitsgremium hat schon einen offenen Arbeitsauftrag zu diesem Thema."),
        )
    advisory = topic.body if topic.state == TopicState.STATEMENTS else _advisory_of(topic)
    referral = _hand_over(
        actor,
        topic,
        to_body=working_group,
        role=ReferralRole.MANDATE,
        due_date=due_date,
        mandate=mandate,
        from_body=advisory,
        close=topic.state == TopicState.STATEMENTS,
    )
    if topic.state == TopicState.STATEMENTS:
        _moved(actor, topic, TopicState.WORKING, working_group)
    else:
        save_versioned(topic, expected_version=topic.version, fields=[])
    return referral


@transaction.atomic
def topic_skip_working_groups(
    *, actor: Any, topic: Topic, expected_version: int | None, note: str
) -> Referral:
    """No working group is needed: the office records why, and the advisory board has the
    topic for its recommendation."""
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.SKIP_WORKING)
    note = _text(
        {"note": note},
        "note",
        required=_("Bitte geben Sie an, warum kein Arbeitsgremium nötig ist."),
    )
    board = topic.body
    referral = _hand_over(
        actor, topic, to_body=board, role=ReferralRole.RECOMMENDATION, due_date=None, note=note
    )
    _moved(actor, topic, TopicState.RECOMMENDATION, board)
    return referral


@transaction.atomic
def mandate_result(
    *, actor: Any, referral: Referral, result: str, expected_version: int | None = None
) -> Referral:
    """A working group returns its result on its mandate (entered by one of its members or
    by the office); changed with the version read, until the results go back."""
    topic = referral.topic
    authorize(actor, topic.network, RESULT_GIVE, referral)
    topic = lock(topic)
    journey.move(topic, journey.RESULT)
    referral = _open_mandate(referral)
    if referral.result_at is not None:
        if expected_version is None:
            raise Conflict(
                _(
                    "Für diesen Arbeitsauftrag ist schon ein Ergebnis eingetragen. Bitte laden "
                    "Sie die Seite neu und prüfen Sie es."
                ),
                details={"current_version": referral.version},
            )
        check_version(referral, expected_version)
    result = _text({"result": result}, "result", required=_("Bitte beschreiben Sie das Ergebnis."))
    person = person_of(actor, topic.network)
    before = history.snapshot(referral, ["result", "result_at", "result_by_name"])
    referral.result = result
    referral.result_at = timezone.now()
    referral.result_by_name = actor_name(actor, person)
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["result", "result_at", "result_by_name"],
    )
    history.record_change(actor=actor, obj=referral, before=before, parent=topic)
    return referral


@transaction.atomic
def topic_return_to_advisory_board(
    *,
    actor: Any,
    topic: Topic,
    expected_version: int | None,
    due_date: datetime.date | None = None,
    note: str = "",
) -> Referral:
    """Every working group has returned its result: the office hands the results back to
    the advisory board for its recommendation."""
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.RETURN_ADVISORY)
    mandates = open_mandates(topic)
    missing = [str(r.to_body) for r in mandates if r.result_at is None]
    if missing:
        raise DomainError(
            _("Es fehlt noch das Ergebnis von: %(bodies)s.") % {"bodies": ", ".join(missing)},
            code="results_missing",
        )
    _check_due(due_date, "", required=False)
    advisory = _advisory_of(topic)
    referral = _hand_over(
        actor,
        topic,
        to_body=advisory,
        role=ReferralRole.RECOMMENDATION,
        due_date=due_date,
        note=note,
        results_of=[r.pk for r in mandates],
    )
    _moved(actor, topic, TopicState.RECOMMENDATION, advisory)
    return referral


def final_decision(network: Network) -> bool:
    """Whether the decision board decides on each topic after the advisory board's
    recommendation (the network's setting), or the recommendation ends the journey."""
    return bool(get_setting(network, FINAL_DECISION))


def recommend_action(network: Network) -> str:
    return journey.RECOMMEND if final_decision(network) else journey.RECOMMEND_FINAL


def possible(topic: Topic, network: Network | None = None) -> list[str]:
    """What is possible from the topic's state in its network (`network`: the topic's, when
    the caller has it loaded): of the two ways on from the recommendation, only the one the
    network's setting takes."""
    other = (
        journey.RECOMMEND_FINAL if final_decision(network or topic.network) else journey.RECOMMEND
    )
    return [a for a in journey.possible(topic.state, topic.paused_at is not None) if a != other]


def _record_result(actor: Any, referral: Referral, text: str, outcome: str = "") -> None:
    """The receiving body's answer on its hand-over (recommendation, decision), which then
    ends: written once, never changed afterwards."""
    person = person_of(actor, referral.network)
    before = history.snapshot(referral, ["result", "result_at", "result_by_name", "outcome"])
    now = timezone.now()
    referral.result = text
    referral.result_at = now
    referral.result_by_name = actor_name(actor, person)
    referral.outcome = outcome
    referral.closed_at = now
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["result", "result_at", "result_by_name", "outcome", "closed_at"],
    )
    history.record_change(actor=actor, obj=referral, before=before, parent=referral.topic)


def _open_referral(topic: Topic, role: str) -> Referral:
    referral = (
        Referral.objects.select_for_update()
        .filter(topic=topic, to_body_id=topic.body_id, role=role, closed_at__isnull=True)
        .order_by("-number")
        .first()
    )
    if referral is None:  # a state the journey cannot reach; refused rather than guessed
        raise DomainError(_("Zu diesem Thema ist keine Weitergabe offen."), code="invalid_state")
    referral.topic = topic
    return referral


@transaction.atomic
def topic_recommend(
    *,
    actor: Any,
    topic: Topic,
    expected_version: int | None,
    recommendation: str,
    due_date: datetime.date | None = None,
    note: str = "",
) -> Topic:
    """The office records the advisory board's recommendation. Where the network wants the
    decision board's final decision, the topic is handed to it (with `due_date`, the
    meeting it should decide by); otherwise the recommendation ends the journey."""
    network = topic.network
    authorize(actor, network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    action = recommend_action(network)
    journey.move(topic, action)
    text = _text(
        {"recommendation": recommendation},
        "recommendation",
        required=_("Bitte geben Sie den Wortlaut der Empfehlung an."),
    )
    if action == journey.RECOMMEND:
        _check_due(due_date, "", required=False)
        note = _text({"note": note}, "note")
    referral = _open_referral(topic, ReferralRole.RECOMMENDATION)
    _record_result(actor, referral, text)
    if action == journey.RECOMMEND:
        _hand_over(
            actor,
            topic,
            to_body=topic.origin,
            role=ReferralRole.DECISION,
            due_date=due_date,
            note=note,
            close=False,
        )
        _moved(actor, topic, TopicState.DECISION, topic.origin)
        return topic
    before = history.snapshot(topic, ["state", "state_since", "outcome"])
    fields = _move(topic, state=TopicState.DECIDED)
    topic.outcome = Outcome.RECOMMENDED
    save_versioned(topic, expected_version=topic.version, fields=[*fields, "outcome"])
    history.record_change(actor=actor, obj=topic, before=before)
    return topic


DECISION_OUTCOMES = (Outcome.ADOPTED, Outcome.CHANGED, Outcome.REJECTED, Outcome.SENT_BACK)


@transaction.atomic
def topic_decide(
    *, actor: Any, topic: Topic, expected_version: int | None, outcome: str, text: str = ""
) -> Topic:
    """The office records the decision board's decision: adopted, adopted with changes or
    rejected ends the journey; sent back starts another round with the decision board, from
    which the office hands the topic to the advisory board again."""
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    if outcome not in DECISION_OUTCOMES:
        journey.move(topic, journey.DECIDE)
        raise DomainError.for_field(
            "outcome",
            _(
                "Bitte wählen Sie: beschlossen, mit Änderungen beschlossen, abgelehnt oder "
                "zur weiteren Bearbeitung zurückgegeben."
            ),
        )
    sent_back = outcome == Outcome.SENT_BACK
    journey.move(topic, journey.SEND_BACK if sent_back else journey.DECIDE)
    required = {
        Outcome.CHANGED: _("Bitte geben Sie den Beschluss mit seinen Änderungen an."),
        Outcome.SENT_BACK: _("Bitte geben Sie an, was noch zu bearbeiten ist."),
    }.get(outcome, "")
    text = _text({"text": text}, "text", required=required)
    referral = _open_referral(topic, ReferralRole.DECISION)
    _record_result(actor, referral, text, outcome)
    before = history.snapshot(topic, ["state", "state_since", "outcome", "round"])
    if sent_back:
        fields = _move(topic, state=TopicState.BOARD)
        topic.round += 1
        fields.append("round")
    else:
        fields = _move(topic, state=TopicState.DECIDED)
        topic.outcome = outcome
        fields.append("outcome")
    save_versioned(topic, expected_version=topic.version, fields=fields)
    history.record_change(actor=actor, obj=topic, before=before)
    return topic


@transaction.atomic
def topic_pause(*, actor: Any, topic: Topic, expected_version: int | None, note: str = "") -> Topic:
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.PAUSE)
    before = history.snapshot(topic, ["paused_at"])
    topic.paused_at = timezone.now()
    save_versioned(topic, expected_version=topic.version, fields=["paused_at"])
    history.record_change(
        actor=actor, obj=topic, before=before, message=_text({"note": note}, "note")[:500]
    )
    return topic


@transaction.atomic
def topic_resume(
    *, actor: Any, topic: Topic, expected_version: int | None, note: str = ""
) -> Topic:
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.RESUME)
    before = history.snapshot(topic, ["paused_at"])
    topic.paused_at = None
    save_versioned(topic, expected_version=topic.version, fields=["paused_at"])
    history.record_change(
        actor=actor, obj=topic, before=before, message=_text({"note": note}, "note")[:500]
    )
    return topic


@transaction.atomic
def topic_withdraw(*, actor: Any, topic: Topic, expected_version: int | None, note: str) -> Topic:
    """Withdraw the topic, with the reason; it stays readable with all it gathered."""
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    topic = _locked(topic, expected_version)
    journey.move(topic, journey.WITHDRAW)
    note = _text(
        {"note": note},
        "note",
        required=_("Bitte geben Sie an, warum das Thema zurückgezogen wird."),
    )
    if len(note) > 500:
        raise DomainError.for_field("note", _("Höchstens 500 Zeichen, bitte kürzen Sie den Text."))
    before = history.snapshot(topic, ["state", "state_since", "paused_at", "end_note"])
    fields = _move(topic, state=TopicState.WITHDRAWN)
    topic.paused_at = None
    topic.end_note = note
    _close_open_referrals(topic, topic.state_since)
    save_versioned(topic, expected_version=topic.version, fields=[*fields, "paused_at", "end_note"])
    history.record_change(actor=actor, obj=topic, before=before)
    return topic


# --- statements ------------------------------------------------------------------------------


def current_referral(topic: Topic) -> Referral | None:
    """The hand-over the body the topic waits with works on."""
    return (
        Referral.objects.filter(topic=topic, to_body_id=topic.body_id, closed_at__isnull=True)
        .order_by("-number")
        .first()
    )


STATEMENT_UNIQUE = "topics_statement_one_per_seat"


def _statement_taken() -> DomainError:
    return Conflict(
        _(
            "Für diesen Sitz hat gerade jemand anderes eine Stellungnahme gespeichert. Bitte laden "
            "Sie die Seite neu und prüfen Sie sie."
        )
    )


@transaction.atomic
def statement_save(
    *,
    actor: Any,
    topic: Topic,
    seat: Any,
    text: str,
    expected_version: int | None = None,
) -> Statement:
    """Give or change the seat's statement on the topic while the advisory board collects
    them. `expected_version` is the version of the statement the person changed (none for a
    new one)."""
    network = topic.network
    authorize(actor, network, STATEMENT_GIVE, seat)
    topic = lock(topic)
    journey.move(topic, journey.STATEMENT)
    referral = current_referral(topic)
    today = timezone.localdate()
    if (
        referral is None
        or not isinstance(seat, BodySeat)
        or seat.body_id != referral.to_body_id
        or not seat.is_valid_on(today)
    ):
        raise DomainError.for_field(
            "seat", _("Eine Stellungnahme gibt ein Sitz des Beirats, bei dem das Thema liegt.")
        )
    text = _text({"text": text}, "text", required=_("Bitte schreiben Sie die Stellungnahme."))
    access = access_for(actor, network)
    person = person_of(actor, network)
    existing = Statement.objects.select_for_update().filter(referral=referral, seat=seat).first()
    if existing is not None:
        if expected_version is None:
            raise _statement_taken()
        check_version(existing, expected_version)
        before = history.snapshot(existing, ["text", "author", "author_name", "by_office"])
        existing.text = text
        existing.author = person
        existing.author_name = actor_name(actor, person)
        existing.by_office = access.is_coordination
        existing.given_at = timezone.now()
        save_versioned(
            existing,
            expected_version=existing.version,
            fields=["text", "author", "author_name", "by_office", "given_at"],
        )
        history.record_change(actor=actor, obj=existing, before=before, parent=topic)
        return existing
    if expected_version is not None:
        raise DomainError.for_field(
            "version", _("Diese Stellungnahme gibt es nicht mehr; bitte laden Sie die Seite neu.")
        )
    statement = Statement(
        network=network,
        referral=referral,
        seat=seat,
        text=text,
        author=person,
        author_name=actor_name(actor, person),
        by_office=access.is_coordination,
        given_at=timezone.now(),
    )
    with unique_or(Statement, STATEMENT_UNIQUE, _statement_taken):
        statement.save()
    history.record_create(actor=actor, obj=statement, parent=topic)
    return statement


# --- topics on agendas -----------------------------------------------------------------------


def bodies_working_on(topic: Topic) -> set[int]:
    """The bodies the topic is with now: the one it waits with and every body with an open
    hand-over (several working groups at once)."""
    open_to = Referral.objects.filter(topic=topic, closed_at__isnull=True).values_list(
        "to_body_id", flat=True
    )
    return {topic.body_id, *open_to}


@transaction.atomic
def topic_put_on_agenda(*, actor: Any, topic: Topic, meeting: Any) -> AgendaLink:
    """The office puts the topic on the agenda of a coming meeting of a body it is with: a
    new agenda item with the topic's title, linked to the topic. The meeting shows the link
    (a panel); the topic lists the meetings where it was discussed."""
    from uebergang.meetings import services as meeting_services
    from uebergang.meetings.models import Meeting

    network = topic.network
    authorize(actor, network, TOPIC_MANAGE, topic)
    if topic.state in (TopicState.DECIDED, TopicState.WITHDRAWN):
        raise DomainError(
            _("Das Thema ist abgeschlossen; es kommt auf keine Tagesordnung mehr."),
            code="invalid_transition",
        )
    if (
        not isinstance(meeting, Meeting)
        or meeting.network_id != network.pk
        or meeting.body_id not in bodies_working_on(topic)
    ):
        raise DomainError.for_field(
            "meeting",
            _("Bitte wählen Sie eine Sitzung eines Gremiums, bei dem das Thema gerade liegt."),
        )
    if AgendaLink.objects.filter(
        topic=topic, agenda_item__meeting=meeting, agenda_item__deleted_at__isnull=True
    ).exists():
        raise DomainError.for_field(
            "meeting", _("Das Thema steht schon auf der Tagesordnung dieser Sitzung.")
        )
    item = meeting_services.agenda_item_add(
        actor=actor,
        meeting=meeting,
        data={
            "title": topic.title[:300],
            "description": topic.description,
            "public": not topic.confidential,
        },
    )
    link = AgendaLink.objects.create(network=network, topic=topic, agenda_item=item)
    history.record_create(actor=actor, obj=link, parent=topic)
    return link


@transaction.atomic
def topic_attach_papers(*, actor: Any, link: AgendaLink) -> Any:
    """The office adds the topic's papers to the meeting it is on: one PDF with the content
    last handed to the meeting's body (frozen with that hand-over, with its documents' names
    and SHA-256) and the statements given on the topic, as a document of the topic's agenda
    item – so the invitation lists it and the members find it with the meeting. Each call
    adds a new document ("Stand" of the day); a cancelled or past meeting is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone as tz

    from uebergang.meetings import pdf
    from uebergang.meetings import services as meeting_services

    topic = link.topic
    authorize(actor, topic.network, TOPIC_MANAGE, topic)
    item = link.agenda_item
    meeting = item.meeting
    if link.deleted_at is not None or item.deleted_at is not None:
        raise DomainError(_("Das Thema steht nicht mehr auf dieser Tagesordnung."), code="gone")
    if meeting.has_taken_place:
        raise DomainError(
            _("Die Sitzung hat schon stattgefunden; Unterlagen gehören vor die Sitzung."),
            code="meeting_closed",
        )
    referral = (
        Referral.objects.filter(topic=topic, to_body_id=meeting.body_id).order_by("-number").first()
    )
    statements = list(
        Statement.objects.filter(referral__topic=topic)
        .select_related("seat__partner", "seat__constituency_seat")
        .order_by("referral__number", "given_at", "pk")
    )
    handed = list(HandedDocument.objects.filter(referral=referral)) if referral else []
    day = tz.localdate()
    title = _("Stellungnahmen und Übergabe: %(title)s (Stand %(day)s)") % {
        "title": topic.title,
        "day": f"{day:%d.%m.%Y}",
    }
    content = pdf.document_pdf(
        meeting,
        "topics/pdf/meeting_papers.html",
        title,
        {"topic": topic, "referral": referral, "statements": statements, "handed": handed},
    )
    upload = SimpleUploadedFile(
        f"stellungnahmen-{day:%Y-%m-%d}.pdf", content, content_type="application/pdf"
    )
    return meeting_services.document_add(
        actor=actor, meeting=meeting, upload=upload, title=title[:200], agenda_item=item
    )
