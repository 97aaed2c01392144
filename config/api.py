"""The JSON API under /api/v1/: one router per app, OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs. Conventions: docs/api.md."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from uebergang.core.api import AUTH
from uebergang.core.errors import DomainError

api = NinjaAPI(
    title="uebergang API",
    version="1",
    description=(
        "Die JSON-Schnittstelle von uebergang: alles, was eine Person auf der Website tun kann. "
        "Anmeldung mit einem persönlichen API-Schlüssel (`Authorization: Bearer …`) oder der "
        "Browser-Sitzung. Konventionen: docs/api.md."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


GERMAN_MESSAGES = {
    "missing": "Dieses Feld fehlt.",
    "date_parsing": "Bitte ein Datum im Format JJJJ-MM-TT angeben.",
    "date_from_datetime_parsing": "Bitte ein Datum im Format JJJJ-MM-TT angeben.",
    "date_type": "Bitte ein Datum im Format JJJJ-MM-TT angeben.",
    "datetime_parsing": "Bitte Datum und Uhrzeit nach ISO 8601 mit Zeitzone angeben.",
    "datetime_from_date_parsing": "Bitte Datum und Uhrzeit nach ISO 8601 mit Zeitzone angeben.",
    "int_parsing": "Bitte eine ganze Zahl angeben.",
    "int_type": "Bitte eine ganze Zahl angeben.",
    "bool_parsing": "Bitte true oder false angeben.",
    "bool_type": "Bitte true oder false angeben.",
    "string_type": "Bitte einen Text angeben.",
    "uuid_parsing": "Bitte eine gültige ID (UUID) angeben.",
    "uuid_type": "Bitte eine gültige ID (UUID) angeben.",
    "literal_error": "Ungültiger Wert; erlaubt: {expected}.",
    "json_invalid": "Der Inhalt ist kein gültiges JSON.",
    "timezone_aware": "Bitte Datum und Uhrzeit nach ISO 8601 mit Zeitzone angeben.",
    "string_too_long": "Höchstens {max_length} Zeichen.",
    "model_attributes_type": "Bitte ein JSON-Objekt senden.",
    "dict_type": "Bitte ein JSON-Objekt senden.",
}


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        parts = list(err.get("loc", []))
        if parts and parts[0] in ("file", "form"):  # multipart: the source, then the field
            parts = parts[1:]
        loc = [
            str(part)
            for part in parts
            if part not in ("body", "query", "path", "payload", "filters")
        ]
        template = GERMAN_MESSAGES.get(err.get("type", ""))
        ctx = dict(err.get("ctx") or {})
        if isinstance(ctx.get("expected"), str):  # pydantic lists choices as "'a', 'b' or 'c'"
            head, sep, last = ctx["expected"].rpartition(" or ")
            ctx["expected"] = f"{head} oder {last}" if sep else last
        message = template.format(**ctx) if template else err.get("msg", "ungültig")
        fields.setdefault(".".join(loc) or "__all__", []).append(message)
    return _error(request, 422, "invalid", "Die Eingabe ist ungültig.", field_errors=fields)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthenticated",
        "Bitte melden Sie sich an oder senden Sie einen gültigen API-Schlüssel.",
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Nicht gefunden.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        message = "Der Inhalt ist kein gültiges JSON."
        return _error(request, 422, "invalid", message, field_errors={"__all__": [message]})
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(
            request, 403, "forbidden", "Die Sitzung braucht das CSRF-Token (Kopfzeile X-CSRFToken)."
        )
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict"}.get(
        exc.status_code, "error"
    )
    return _error(request, exc.status_code, code, str(exc))


api.add_router("/", "uebergang.accounts.api.router")
api.add_router("/", "uebergang.networks.api.router")
api.add_router("/", "uebergang.bodies.api.router")
api.add_router("/", "uebergang.meetings.api.router")
