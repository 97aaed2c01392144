"""What every HTML view shares: the network from the URL, the access check, translating a
`DomainError` into form errors, the reference date (`?stichtag=`) and pagination."""

from __future__ import annotations

import datetime
import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy

from uebergang.core.permissions import NETWORK_VIEW

from . import cachegen
from .errors import Conflict, DomainError
from .forms import KernForm
from .permissions import can, member_access
from .prepared import run_prepared

PAGE_SIZE = 50


def network_view(permission: str = NETWORK_VIEW) -> Callable:
    """Resolve `network` (the slug) into `request.network` and check `permission`.

    Someone with no role in the network gets 404 (the network's existence is not revealed);
    a member without the permission gets 403."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, network: str, *args: Any, **kwargs: Any) -> HttpResponse:
            access = member_access(request.user, network)
            if access is None:
                raise Http404
            net = access.network
            request.network = net  # type: ignore[attr-defined]
            request.access = access  # type: ignore[attr-defined]
            if not can(access, net, permission):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_in_network(
    model: type[models.Model],
    request: HttpRequest,
    public_id: Any,
    *,
    related: tuple[str, ...] = (),
    **filters: Any,
) -> Any:
    """A record of the request's network by its public id, else 404; `related` foreign keys
    are loaded with it.

    For reads, the record is cached under the generations of its kind and of its `related`
    records' kinds (`core.cachegen`), so a cached page needs no query for it."""
    network = request.network  # type: ignore[attr-defined]
    key = None
    if request.method in ("GET", "HEAD") and not filters:
        labels = {model._meta.label_lower, *(_label_of(model, path) for path in related)}
        raw = (
            f"{model._meta.label_lower}:{network.pk}:{cachegen.key_part(network, labels)}"
            f":{public_id}:{','.join(related)}"
        )
        key = "record:" + hashlib.sha256(raw.encode()).hexdigest()
        obj = cache.get(key)
        if obj is not None:
            return obj
    if isinstance(public_id, uuid.UUID) and not filters:
        obj = next(
            iter(
                run_prepared(
                    ("get_in_network", model, related),
                    functools.partial(_record_query, model, related),
                    network_id=network.pk,
                    public_id=public_id,
                )
            ),
            None,
        )
        if obj is None:
            raise Http404
    else:
        qs = model.objects.filter(network=network, **filters)  # type: ignore[attr-defined]
        if related:
            qs = qs.select_related(*related)
        obj = get_object_or_404(qs, public_id=public_id)
    if key is not None:
        cache.set(key, obj, PAGE_CACHE_SECONDS)
    return obj


def _record_query(
    model: type[models.Model], related: tuple[str, ...], network_id: int, public_id: uuid.UUID
) -> Any:
    qs = model.objects.filter(network_id=network_id, public_id=public_id)  # type: ignore[attr-defined]
    if related:
        qs = qs.select_related(*related)
    return qs.order_by()[:1]


def _label_of(model: type[models.Model], path: str) -> str:
    """The label of the model at the end of a `select_related` path ("body__network")."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model._meta.label_lower


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a domain error next to the fields it names, else above the form."""
    placed = False
    for field, field_messages in error.field_errors.items():
        if field in form.fields:
            for message in field_messages:
                form.add_error(field, message)
            placed = True
    if not placed or not error.field_errors:
        form.add_error(None, error.message)


def as_of_date(request: HttpRequest) -> datetime.date | None:
    """The reference date `?stichtag=YYYY-MM-DD` (None = today)."""
    value = request.GET.get("stichtag", "").strip()
    day = parse_date(value) if value else None
    return day if day and day != timezone.localdate() else None


PAGE_CACHE_SECONDS = 3600


def page_cache(
    request: HttpRequest,
    *parts: Any,
    shared_by_role: bool = False,
    depends: Iterable[str] | None = None,
    scope: tuple[str, Any] | None = None,
) -> dict[str, Any]:
    """Context that caches the page's main content (see base.html) under a key that changes
    whenever a record of a kind the page shows changes (`depends`: model labels, see
    `core.cachegen`; None = any change in the network, or with `scope`, a record's page,
    any change of that record's scope and of every kind outside it), and with the day, the language, the person and the query (and anything else it
    depends on, in `parts`). Per person by default: a page with a history block, an own
    reply or an own registration differs from person to person. `shared_by_role=True`
    declares that the content is the same for everyone with the same role, and shares the
    cached copy among them. Forms are fine – the CSRF token is filled in per response
    (`core.templatetags.page_cache`)."""
    network = request.network  # type: ignore[attr-defined]
    key = ":".join(
        str(p)
        for p in (
            request.resolver_match.view_name if request.resolver_match else request.path,
            network.pk,
            cachegen.key_part(network, depends, scope),
            timezone.localdate().isoformat(),
            request.LANGUAGE_CODE,  # type: ignore[attr-defined]
            request.access.role,  # type: ignore[attr-defined]
            "role" if shared_by_role else f"person {request.user.pk}",
            request.GET.urlencode(),
            bool(request.htmx),  # type: ignore[attr-defined]
            *parts,
        )
    )
    return {"page_cache_key": key, "page_cache_seconds": PAGE_CACHE_SECONDS}


def paginate(request: HttpRequest, qs: Any, per_page: int = PAGE_SIZE) -> Page:
    paginator = Paginator(qs, per_page)
    return paginator.get_page(request.GET.get("seite"))


def asks_first_page(request: HttpRequest) -> bool:
    """No page number, or the first: what `first_page` can answer."""
    return request.GET.get("seite", "").strip() in ("", "1")


class _FirstRows:
    """A list's first rows and its length: what a paginator needs for the first page."""

    def __init__(self, rows: list, count: int):
        self.rows, self.count = rows, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or (index.start or 0) != 0:
            raise IndexError("only the first page is known")
        return self.rows[: index.stop]


def first_page(rows: list, count: int, per_page: int = PAGE_SIZE) -> Page:
    """The first page of a list of `count` rows of which `rows` are the first `per_page`
    (read by a prepared query): the same `Page` as `paginate` gives for page 1."""
    return Paginator(_FirstRows(rows, count), per_page).page(1)


def query_without(request: HttpRequest, *keys: str) -> str:
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


def lazy(compute: Callable[[], Any]) -> Any:
    """A value computed only when a template uses it, so that a cached page skips its
    queries."""
    return SimpleLazyObject(compute)


def history_page(
    request: HttpRequest,
    events: Callable[[], Any],
    *,
    title: str,
    section: str,
    breadcrumbs: list,
    cache_parts: tuple = (),
    first: Callable[[], tuple[list, int] | None] | None = None,
) -> HttpResponse:
    """A page of history events (`core/history.html`), paginated: `events` gives the
    queryset of what the reader may see, read only when the page is not cached (the page
    cache depends on every change in the network: any record may add to a history).
    `first`, if given, may answer the first page as (rows, count) from prepared queries, or
    give None to leave it to `events`."""
    from .history import present_events

    def read() -> Page:
        known = first() if first is not None and asks_first_page(request) else None
        return first_page(*known) if known is not None else paginate(request, events())

    page = lazy(read)
    return render(
        request,
        "core/history.html",
        {
            "section": section,
            "title": title,
            "breadcrumbs": breadcrumbs,
            "events": lazy(lambda: present_events(list(page.object_list))),
            "page": page,
            "query": query_without(request, "seite"),
            **page_cache(request, *cache_parts),
        },
    )


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    section: str,
    breadcrumbs: list,
    submit: str,
    action: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    message: Callable[[Any], str],
    cancel_url: str,
    current: Any = None,
    intro: str = "",
    multipart: bool = False,
    before: str = "",
) -> HttpResponse:
    """Show `form`; on a valid POST call `action` (a service) and redirect, or show its
    domain error next to the fields. A version conflict shows the current state.
    `multipart`: the form sends a file. `before`: HTML (already escaped, e.g. rendered
    from a template) shown above the form."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            obj = action(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            if isinstance(error, Conflict) and current is not None:
                fresh = type(current).objects.get(pk=current.pk)
                conflict = conflict_rows(form, fresh)
                data = form.data.copy()
                data["version"] = str(fresh.version)
                form.data = data
        else:
            messages.success(request, message(obj))
            return redirect(success(obj))
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": title,
            "section": section,
            "breadcrumbs": breadcrumbs,
            "submit": submit,
            "cancel_url": cancel_url,
            "conflict": conflict,
            "intro": intro,
            "multipart": multipart,
            "before": before,
        },
    )


class EndForm(KernForm):
    valid_to = forms.DateField(label=gettext_lazy("Letzter Tag"))


def end_form_page(
    request: HttpRequest,
    *,
    end: Callable[..., Any],
    title: str,
    section: str,
    breadcrumbs: list,
    submit: str,
    success_url: str,
    message: str | Callable[[Any], str],
    intro: str = "",
    form: Any = None,
) -> HttpResponse:
    """The page that ends a dated record: a form asking for the last day (today unless the
    person changes it; `form` may ask for more), `end` (the service with the record and the
    actor bound) called with the form's fields as keywords, then back to `success_url`
    (also the cancel link) with `message`."""
    if form is None:
        form = EndForm(request.POST or None, initial={"valid_to": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=title,
        section=section,
        breadcrumbs=breadcrumbs,
        submit=submit,
        action=lambda data: end(**data),
        success=lambda obj: success_url,
        message=lambda obj: message if isinstance(message, str) else message(obj),
        cancel_url=success_url,
        intro=intro,
    )


def conflict_rows(form: Any, fresh: Any) -> list[tuple[str, Any, Any]]:
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(fresh, name):
            continue
        theirs = getattr(fresh, name)
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if str(theirs or "") != str(mine or ""):
            rows.append((field.label, theirs, mine))
    return rows


def attachment(doc: Any, missing: Callable[[], Exception]) -> FileResponse:
    """A stored file (`doc.file` with `file_name` and `content_type`) as a download, never
    sniffed nor cached on the way; `missing()` is raised when the file is not in storage."""
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise missing() from error
    response = FileResponse(
        handle, as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
