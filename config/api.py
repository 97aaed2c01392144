"""The JSON API under /api/v1/: one router per app, OpenAPI at /api/v1/openapi.json, docs at
/api/v1/docs. Conventions: docs/api.md."""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from uebergang.core.api import AUTH
from uebergang.core.apidocs import ApiDocs
from uebergang.core.errors import DomainError, error_body, status_error

NUL_MESSAGE = "Der Text darf kein NUL-Zeichen (\\u0000) enthalten."
SURROGATE_MESSAGE = "Der Text enthält ein halbes UTF-16-Ersatzzeichen (kein gültiges Zeichen)."
NOT_AN_OBJECT_MESSAGE = "Der Inhalt muss ein JSON-Objekt sein ({…})."


class BadText(Exception):  # noqa: N818 (a refusal, not a failure)
    """A text of the request contains U+0000 (which PostgreSQL cannot store or compare) or
    a lone surrogate (not a character; it cannot be encoded at all): location → message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL_MESSAGE
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE
    return None


def _bad_texts(data: Any, path: tuple[str, ...] = ()) -> dict[str, str]:
    if isinstance(data, str):
        problem = _text_problem(data)
        return {".".join(path) or "__all__": problem} if problem else {}
    found: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found.update(_bad_texts(value, (*path, str(key))))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.update(_bad_texts(value, (*path, str(i))))
    return found


class ApiParser(Parser):
    """JSON bodies, query strings and form fields as ninja reads them, refusing texts that
    cannot be stored (see `BadText`)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            # every body of this API is an object; ninja would read a string's attributes
            # as its fields (`"text"` became a topic titled "Text" through `str.title`)
            raise BadText({"__all__": NOT_AN_OBJECT_MESSAGE})
        if problems := _bad_texts(data):
            raise BadText(problems)
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        if problems := _bad_texts(result):
            raise BadText(problems)
        return result


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
    docs=ApiDocs(),  # a server-rendered, accessible page instead of Swagger UI
    parser=ApiParser(),
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, error_body(code, message, **extra), status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(
        request,
        exc.status,
        exc.code,
        exc.message,
        field_errors=exc.field_errors,
        details=exc.details,
    )


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
    "model_type": "Bitte ein JSON-Objekt senden.",
    "list_type": "Bitte eine Liste angeben.",
    "int_from_float": "Bitte eine ganze Zahl angeben.",
    "datetime_type": "Bitte Datum und Uhrzeit nach ISO 8601 mit Zeitzone angeben.",
    "date_from_datetime_inexact": "Bitte ein Datum im Format JJJJ-MM-TT angeben.",
    "uuid_version": "Bitte eine gültige ID (UUID) angeben.",
    "greater_than_equal": "Mindestens {ge}.",
    "greater_than": "Größer als {gt}.",
    "less_than_equal": "Höchstens {le}.",
    "less_than": "Kleiner als {lt}.",
    "string_too_short": "Mindestens {min_length} Zeichen.",
    "string_pattern_mismatch": "Das Format stimmt nicht.",
    "too_long": "Höchstens {max_length} Einträge.",
    "string_unicode": "Bitte einen Text in UTF-8 senden.",
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


@api.exception_handler(BadText)
def bad_text(request: HttpRequest, exc: BadText) -> HttpResponse:
    fields = {location: [message] for location, message in exc.problems.items()}
    return _error(request, 422, "invalid", "Die Eingabe ist ungültig.", field_errors=fields)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, BadText):  # ninja wraps every failure to read the body
        return bad_text(request, exc.__cause__)
    if exc.status_code == 400:
        message = "Der Inhalt ist kein gültiges JSON."
        return _error(request, 422, "invalid", message, field_errors={"__all__": [message]})
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(
            request, 403, "forbidden", "Die Sitzung braucht das CSRF-Token (Kopfzeile X-CSRFToken)."
        )
    body = status_error(exc.status_code)
    return _error(request, exc.status_code, body["code"], str(exc) or body["message"])


@api.exception_handler(MultiPartParserError)
def multipart_error(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    message = "Der Inhalt ist kein gültiges multipart/form-data."
    return _error(request, 422, "invalid", message, field_errors={"__all__": [message]})


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    body = status_error(413)
    return _error(request, 413, body["code"], body["message"])


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def too_many_fields(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = "Zu viele Felder oder Dateien in einer Anfrage."
    return _error(request, 422, "invalid", message, field_errors={"__all__": [message]})


api.add_router("/", "uebergang.accounts.api.router")
api.add_router("/", "uebergang.networks.api.router")
api.add_router("/", "uebergang.bodies.api.router")
api.add_router("/", "uebergang.meetings.api.router")
api.add_router("/", "uebergang.meetings.api_links.router")
api.add_router("/", "uebergang.topics.api.router")
api.add_router("/", "uebergang.core.workqueue_api.router")
api.add_router("/", "uebergang.core.netsettings_api.router")
