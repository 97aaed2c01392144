"""Following decisions up: the network's list "Beschlüsse und ihre Umsetzung" and a task's
page, where those responsible record its progress (open, in progress, done, dropped) with a
dated note."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core.errors import Conflict, DomainError
from uebergang.core.permissions import NETWORK_VIEW, can
from uebergang.core.web import (
    add_domain_error,
    asks_first_page,
    first_page,
    get_in_network,
    lazy,
    network_view,
    paginate,
    query_without,
)
from uebergang.meetings.rules import TASK_FOLLOW_UP
from uebergang.networks.models import Partner

from . import forms, selectors, services, steps
from .decision_filters import decision_filters
from .models import ActionItem, TaskStatus


def _crumbs(request: HttpRequest, *rest: tuple[str, str | None]) -> list:
    network = request.network  # type: ignore[attr-defined]
    return [(network.name, reverse("networks:start", args=[network.slug])), *rest]


@network_view(NETWORK_VIEW)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    network, access = request.network, request.access  # type: ignore[attr-defined]
    today = timezone.localdate()
    bodies = selectors.visible_bodies(network=network, access=access).order_by("name", "pk")
    filters = forms.DecisionFilterForm(request.GET or None)
    filters.fields["gremium"].queryset = bodies
    filters.fields["institution"].queryset = Partner.objects.filter(network=network)
    chosen: dict[str, Any] = {}
    if request.GET and filters.is_valid():
        chosen = {k: v for k, v in filters.cleaned_data.items() if v not in (None, "")}
    extra = {spec.key: request.GET.get(spec.key, "").strip() for spec in decision_filters()}
    usual = (
        access.is_coordination
        and not chosen
        and not any(extra.values())
        and asks_first_page(request)
    )

    def rows() -> Any:
        if usual:  # the office's usual view: its first page from prepared queries
            return first_page(
                *selectors.follow_up_first_page(network=network), per_page=selectors.FOLLOW_UP_PAGE
            )
        page = paginate(
            request,
            selectors.follow_up_page_rows(
                selectors.follow_up_filtered(
                    network=network,
                    access=access,
                    today=today,
                    body=chosen.get("gremium"),
                    year=chosen.get("jahr"),
                    partner=chosen.get("institution"),
                    stand=chosen.get("stand", ""),
                    extra=extra,
                )
            ),
            per_page=selectors.FOLLOW_UP_PAGE,
        )
        page.object_list = selectors.follow_up_rows_with_tasks(page.object_list)
        return page

    plugged = [
        {
            "key": spec.key,
            "label": spec.label,
            "choices": list(spec.choices()),
            "value": extra[spec.key],
        }
        for spec in decision_filters()
    ]
    return render(
        request,
        "meetings/follow_up_list.html",
        {
            "section": "follow_up",
            "page": lazy(rows),
            "bodies": lazy(
                lambda: (
                    selectors.office_bodies(network=network)
                    if access.is_coordination
                    else list(bodies)
                )
            ),
            "partners": lazy(lambda: selectors.partner_names(network=network)),
            "years": lazy(lambda: selectors.follow_up_years(network=network)),
            "chosen": chosen,
            "plugged": plugged,
            "stands": [
                ("offen", _("mit offenen Aufgaben")),
                ("ueberfaellig", _("mit überfälligen Aufgaben")),
                ("erledigt", _("alle Aufgaben erledigt")),
            ],
            "today": today,
            "query": query_without(request, "seite"),
            "breadcrumbs": _crumbs(request, (_("Beschlüsse und ihre Umsetzung"), None)),
            "is_office": access.is_coordination,
        },
    )


@network_view(NETWORK_VIEW)
def task_detail(request: HttpRequest, pid: Any) -> HttpResponse:
    task = get_in_network(
        ActionItem,
        request,
        pid,
        related=("entry__minutes__meeting__body", "entry__agenda_item", "owner", "partner"),
    )
    if not selectors.task_readable(request.access, task):  # type: ignore[attr-defined]
        raise PermissionDenied
    access = request.access  # type: ignore[attr-defined]
    may_follow = can(access, request.network, TASK_FOLLOW_UP, task)  # type: ignore[attr-defined]
    meeting = task.entry.minutes.meeting
    url = reverse("meetings:task_detail", args=[request.network.slug, task.public_id])  # type: ignore[attr-defined]
    form = None
    conflict = False
    if may_follow:
        form = forms.TaskFollowUpForm(
            request.POST if request.method == "POST" else None,
            initial={"status": _next_status(task.status), "version": task.version},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                task = services.task_follow_up(
                    actor=request.user,
                    task=task,
                    status=d["status"],
                    note=d.get("note", ""),
                    expected_version=d.get("version"),
                )
            except DomainError as error:
                add_domain_error(form, error)
                if isinstance(error, Conflict):
                    conflict = True
                    task = ActionItem.objects.select_related(
                        "entry__minutes__meeting__body", "entry__agenda_item", "owner", "partner"
                    ).get(pk=task.pk)
                    data = form.data.copy()
                    data["version"] = str(task.version)
                    form.data = data
            else:
                messages.success(
                    request,
                    _("Der Stand der Aufgabe ist eingetragen: %(status)s.")
                    % {"status": task.status_label},
                )
                return redirect(url)
    elif request.method == "POST":
        raise PermissionDenied
    decision = task.decision if task.decision_id else None
    return render(
        request,
        "meetings/task_detail.html",
        {
            "section": "follow_up",
            "task": task,
            "decision": decision,
            "meeting": meeting,
            "meeting_url": steps.step_url(request.network.slug, meeting, "protokoll"),  # type: ignore[attr-defined]
            "notes": selectors.task_notes(task),
            "form": form,
            "conflict": conflict,
            "breadcrumbs": _crumbs(
                request,
                (
                    _("Beschlüsse und ihre Umsetzung"),
                    reverse("meetings:follow_up", args=[request.network.slug]),  # type: ignore[attr-defined]
                ),
                (_("Aufgabe"), None),
            ),
        },
    )


def _next_status(status: str) -> str:
    """What the form offers first: the step a task usually takes next."""
    return {TaskStatus.OPEN: TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS: TaskStatus.DONE}.get(
        status, status
    )
