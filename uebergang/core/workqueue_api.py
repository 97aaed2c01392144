"""The personal work queue in the JSON API (`core.workqueue`): what the person asking has to
do in the network, by when, and where. Only `core`: the items come from the providers the
apps register."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from .api import READ_ERRORS, network_access
from .workqueue import collect

router = Router(tags=["Aufgaben"])


class WorkRecordOut(Schema):
    kind: str = Field(description="Art des Datensatzes, z. B. `meeting`, `task`, `network_day`")
    id: UUID = Field(description="öffentliche ID des Datensatzes")
    label: str = Field(description="Bezeichnung, z. B. „Sitzung des Beirats (12.03.2027)“")


class WorkItemOut(Schema):
    code: str = Field(description="Art der Aufgabe, z. B. `meetings.invitation_reply`")
    provider: str = Field(description="der Lieferant der Aufgabe, z. B. `meetings.my_tasks`")
    audience: Literal["person", "office"] = Field(
        description="`person`: die eigene Aufgabe; `office`: eine der Koordinierungsstelle"
    )
    severity: Literal["danger", "warning", "info"] = Field(
        description="`danger`: überfällig oder fehlgeschlagen; `warning`: bald fällig oder "
        "gefährdet; `info`: zur Erinnerung"
    )
    title: str = Field(description="was zu tun ist (in der Sprache der Anfrage)")
    note: str = Field(description="ein kurzer Zusatz, leer wenn keiner")
    record: WorkRecordOut
    due: datetime.datetime | datetime.date | None = Field(
        description="fällig bis: Zeitpunkt (ISO 8601 mit Zeitzone) oder Tag; null wenn ohne Frist"
    )
    due_day: datetime.date | None = Field(description="der Tag der Fälligkeit (Ortszeit)")
    overdue: bool = Field(description="der Tag der Fälligkeit ist vorbei")
    url: str = Field(description="die Seite, auf der die Aufgabe erledigt wird")


class WorkQueueOut(Schema):
    count: int = Field(description="Zahl der Aufgaben")
    today: datetime.date = Field(description="der Tag, für den die Liste gilt")
    items: list[WorkItemOut]


@router.get(
    "/networks/{network}/queue",
    response={200: WorkQueueOut, **READ_ERRORS},
    summary="Meine Aufgaben",
    description="Was die anfragende Person in diesem Netzwerk zu tun hat, nach Fälligkeit "
    "sortiert; die Koordinierungsstelle erhält auch die Aufgaben der Koordinierungsstelle. "
    "Nie zwischengespeichert: die Liste gilt nur für diese Person.",
)
def work_queue(request: HttpRequest, network: str) -> Any:
    _net, access = network_access(request, network)
    today = timezone.localdate()
    items = collect(access, today)
    return {
        "count": len(items),
        "today": today,
        "items": [
            {
                "code": item.code,
                "provider": item.provider,
                "audience": item.audience,
                "severity": item.severity,
                "title": item.title,
                "note": item.note,
                "record": {
                    "kind": item.record_kind,
                    "id": item.record_id,
                    "label": item.record_label,
                },
                "due": timezone.localtime(item.due)
                if isinstance(item.due, datetime.datetime)
                else item.due,
                "due_day": item.due_day,
                "overdue": item.overdue_on(today),
                "url": request.build_absolute_uri(item.url),
            }
            for item in items
        ],
    }
