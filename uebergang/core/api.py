"""What every API router shares: authentication (session or personal token), the
structured error format, the network from the path, and limit/offset pagination."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import Field, TypeAdapter

from .errors import DomainError, NotFound, PermissionDenied
from .models import Network
from .permissions import Access, can, member_access

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ueb_…` – a personal API token."""

    openapi_description = "Persönlicher API-Schlüssel (auf der Seite „API-Schlüssel“ erzeugt)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from uebergang.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session (CSRF token required for writes)."""

    param_name = "sessionid"
    openapi_description = "Die Sitzung der Web-Oberfläche; Schreibzugriffe brauchen das CSRF-Token."

    def __call__(self, request: HttpRequest) -> Any:
        # Without a signed-in session there is nothing to protect with CSRF: answer 401,
        # not a CSRF refusal.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


AUTH = [TokenAuth(), SessionAuth(csrf=True)]


class RecordOut(Schema):
    """A record in the API, identified by its public id (never a database id)."""

    id: UUID

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class ErrorOut(Schema):
    code: str = Field(
        description="maschinenlesbarer Code, z. B. `invalid`, `forbidden`, `not_found`, `conflict`"
    )
    message: str = Field(description="verständliche Meldung (Deutsch)")
    field_errors: dict[str, list[str]] | None = Field(None, description="Meldungen je Feld")
    details: dict[str, Any] | None = Field(
        None, description="weitere Angaben, z. B. der aktuelle Stand bei 409"
    )


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}

T = TypeVar("T")


class Page(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    count: int = Field(description="Gesamtzahl der Treffer")
    limit: int
    offset: int
    items: list[T]


def page_of(qs: QuerySet | list, *, limit: int, offset: int) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


def network_access(
    request: HttpRequest, slug: str, permission: str = "network.view"
) -> tuple[Network, Access]:
    """The network by slug for a member of it; 404 for anyone else (its existence is not
    revealed), 403 for a member without `permission`."""
    access = member_access(request.user, slug)
    if access is None:
        raise NotFound("Dieses Netzwerk gibt es nicht.")
    network = access.network
    if not can(access, network, permission):
        raise PermissionDenied("Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk.")
    return network, access


def ref_or_422(model: Any, network: Network, public_id: Any, field: str) -> Any:
    """A record of the same network named in the request body, or a 422 naming the field
    (None stays None)."""
    if public_id is None:
        return None
    obj = model.objects.filter(network=network, public_id=public_id).first()
    if obj is None:
        raise DomainError.for_field(
            field, f"{model._meta.verbose_name} {public_id} gibt es in diesem Netzwerk nicht."
        )
    return obj


def get_or_404(model: Any, network: Network, public_id: Any, **filters: Any) -> Any:
    obj = model.objects.filter(network=network, public_id=public_id, **filters).first()
    if obj is None:
        raise NotFound(f"{model._meta.verbose_name} nicht gefunden.")
    return obj


def as_day(value: datetime.date | None) -> datetime.date | None:
    return value


_ADAPTERS: dict[Any, TypeAdapter] = {}
API_CACHE_SECONDS = 3600


def cached_json(
    request: HttpRequest, access: Access, schema: Any, compute: Any, *parts: Any
) -> HttpResponse:
    """The JSON of a read, cached under the network's data version (renewed by every change,
    see `core.history.bump_data_version`), the day, the language, the role and the query – as
    the web pages are (`core.web.page_cache`). `compute` runs only on a miss."""
    network = access.network
    raw = ":".join(
        str(p)
        for p in (
            request.path,
            request.GET.urlencode(),
            network.pk,
            network.data_version,
            timezone.localdate().isoformat(),
            get_language(),
            access.role,
            *parts,
        )
    )
    key = "api:" + hashlib.sha256(raw.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        adapter = _ADAPTERS.get(schema)
        if adapter is None:
            adapter = _ADAPTERS[schema] = TypeAdapter(schema)
        body = adapter.dump_json(adapter.validate_python(compute()))
        cache.set(key, body, API_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
