"""What every API router shares: authentication (session or personal token), the
structured error format, the network from the path, limit/offset pagination and the input
types with bounds (dates, texts that may be cleared, fields that may be left out but not
sent as null).

Core imports no domain app: the personal API token is checked by the function the accounts
app registers with `register_token_authenticator` (in its AppConfig.ready)."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import AfterValidator, AwareDatetime, Field, TypeAdapter
from pydantic_core import PydanticCustomError

from uebergang.core.permissions import NETWORK_VIEW

from . import cachegen
from .errors import Conflict, DomainError, NotFound, PermissionDenied
from .models import Network
from .permissions import Access, can, member_access

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000
# Versions, positions and other counters: within a 32-bit integer column.
MAX_INT = 2_147_483_647
# Dates and times the API accepts (further out, date arithmetic and time zones overflow).
MIN_YEAR = 1900
MAX_YEAR = 2999

_token_authenticator: Callable[[str], Any] | None = None


def register_token_authenticator(authenticate: Callable[[str], Any]) -> None:
    """`authenticate(raw_token)` returns the active user behind a personal API token or None.
    Registered by the accounts app (core imports no domain app)."""
    global _token_authenticator
    _token_authenticator = authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ueb_…` – a personal API token."""

    openapi_description = "Persönlicher API-Schlüssel (auf der Seite „API-Schlüssel“ erzeugt)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if _token_authenticator is None or "\x00" in token:
            return None
        user = _token_authenticator(token)
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
    """Every error under /api/ has this shape, with all four keys (null where there is
    nothing to say)."""

    code: str = Field(
        description="maschinenlesbarer Code, z. B. `invalid`, `forbidden`, `not_found`, `conflict`"
    )
    message: str = Field(description="verständliche Meldung (Deutsch)")
    field_errors: dict[str, list[str]] | None = Field(description="Meldungen je Feld (null: keine)")
    details: dict[str, Any] | None = Field(
        description="weitere Angaben, z. B. der aktuelle Stand bei 409 (null: keine)"
    )


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}

T = TypeVar("T")


class Page(Schema, Generic[T]):  # noqa: UP046 (pydantic generic model)
    count: int = Field(description="Gesamtzahl der Treffer")
    limit: int
    offset: int
    items: list[T]


class Paging(Schema):
    """`limit` and `offset` of a list: out-of-range values are clamped, never refused."""

    limit: int = Field(
        DEFAULT_LIMIT,
        description=f"Einträge je Seite, 1 bis {MAX_LIMIT} (Werte darüber gelten als "
        f"{MAX_LIMIT}, darunter als 1)",
    )
    offset: int = Field(
        0,
        description=f"so viele Einträge überspringen, 0 bis {MAX_OFFSET} (negative Werte "
        f"gelten als 0, größere als {MAX_OFFSET})",
    )


def page_of(qs: QuerySet | list, *, limit: int, offset: int) -> dict[str, Any]:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": list(qs[offset : offset + limit]),
    }


def network_access(
    request: HttpRequest, slug: str, permission: str = NETWORK_VIEW
) -> tuple[Network, Access]:
    """The network by slug for a member of it; 404 for anyone else (its existence is not
    revealed), 403 for a member without `permission`."""
    access = None if "\x00" in slug else member_access(request.user, slug)
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


# --- input types -------------------------------------------------------------------------------


def _within_years(value: Any) -> Any:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "year_range",
            "Bitte ein Datum zwischen {min_year} und {max_year} angeben.",
            {"min_year": MIN_YEAR, "max_year": MAX_YEAR},
        )
    return value


def _empty_for_null(value: str | None) -> str:
    return "" if value is None else value


Day = Annotated[
    datetime.date,
    AfterValidator(_within_years),
    Field(description=f"ISO 8601 (JJJJ-MM-TT), Jahr {MIN_YEAR} bis {MAX_YEAR}"),
]
"""A date in the range the registry can compute with."""

Moment = Annotated[
    datetime.datetime,
    AfterValidator(_within_years),
    Field(description=f"ISO 8601 mit Zeitzone, Jahr {MIN_YEAR} bis {MAX_YEAR}"),
]
"""A point in time in the range the registry can compute with."""

AwareMoment = Annotated[
    AwareDatetime,
    AfterValidator(_within_years),
    Field(description=f"ISO 8601 mit Zeitzone, Jahr {MIN_YEAR} bis {MAX_YEAR}"),
]
"""A point in time that must name its time zone."""

Version = Annotated[
    int,
    Field(ge=0, le=MAX_INT, description="die Version, die Sie gelesen haben; veraltet → 409"),
]

ClearableText = Annotated[str | None, AfterValidator(_empty_for_null)]
"""A text field of a PATCH that may be cleared: null means the same as ""."""


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def omittable(**kwargs: Any) -> Any:
    """A PATCH field that may be left out but, when sent, not be null (e.g. a name): the
    OpenAPI schema names it optional and not nullable, an explicit null gets 422."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


def clearable(**kwargs: Any) -> Any:
    """A `ClearableText` PATCH field: may be left out, sent as null or "" to clear it."""
    description = kwargs.pop("description", "")
    hint = 'null oder "" leert das Feld'
    return Field(None, description=f"{description}; {hint}" if description else hint, **kwargs)


_ADAPTERS: dict[Any, TypeAdapter] = {}
API_CACHE_SECONDS = 3600


def cached_json(
    request: HttpRequest,
    access: Access,
    schema: Any,
    compute: Any,
    *parts: Any,
    shared_by_role: bool = False,
    depends: Any = None,
) -> HttpResponse:
    """The JSON of a read, cached under the generations of the kinds of records it shows
    (`depends`, model labels; None = any change in the network; see `core.cachegen`), the day, the language, the person (or, with
    `shared_by_role=True`, only the role: the answer is the same for everyone with it) and
    the query – as the web pages are (`core.web.page_cache`). `compute` runs only on a
    miss."""
    network = access.network
    raw = ":".join(
        str(p)
        for p in (
            request.path,
            request.GET.urlencode(),
            network.pk,
            cachegen.key_part(network, depends),
            timezone.localdate().isoformat(),
            get_language(),
            access.role,
            "role" if shared_by_role else f"person {getattr(access.user, 'pk', None)}",
            *parts,
        )
    )
    key = "api:" + hashlib.sha256(raw.encode()).hexdigest()
    body = cache.get(key)
    request.page_cache_state = "miss" if body is None else "hit"  # type: ignore[attr-defined]
    if body is None:
        adapter = _ADAPTERS.get(schema)
        if adapter is None:
            adapter = _ADAPTERS[schema] = TypeAdapter(schema)
        body = adapter.dump_json(adapter.validate_python(compute()))
        cache.set(key, body, API_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def patch_data(body: Any) -> dict[str, Any]:
    """The fields a PATCH/PUT body sets (without its `version`): only these change."""
    return {k: v for k, v in body.dict(exclude_unset=True).items() if k != "version"}


@contextlib.contextmanager
def current_on_conflict(schema: Any, load: Callable[[], Any]) -> Iterator[None]:
    """A version conflict (409) answers with the record as it is now, in the endpoint's
    schema (`details.current`), so an API client can merge and retry."""
    try:
        yield
    except Conflict as exc:
        current = load()
        if current is not None:
            exc.details["current"] = schema.from_orm(current).dict()
        raise
