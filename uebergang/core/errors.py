"""One domain error type. Its message is German (translatable) and meant for the person who
acted: the UI shows it next to the form, the API returns it as structured JSON."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused or invalid action. `code` is machine readable, `field_errors` map a field
    name to messages, `status` is the HTTP status the API answers with."""

    status = 422
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field_errors: dict[str, list[str]] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        self.details = details or {}

    @classmethod
    def for_field(cls, field: str, message: str, **kwargs: Any) -> DomainError:
        return cls(message, field_errors={field: [message]}, **kwargs)

    def as_dict(self) -> dict[str, Any]:
        """Code and message, with field errors and details where there are any (the API
        answers with all four keys: `core.api.error_body`)."""
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field_errors:
            data["field_errors"] = self.field_errors
        if self.details:
            data["details"] = self.details
        return data


def error_body(
    code: str,
    message: str,
    *,
    field_errors: dict[str, list[str]] | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON of an API error (`core.api.ErrorOut`): always all four keys, null where there
    is nothing to say."""
    return {
        "code": code,
        "message": str(message),
        "field_errors": field_errors or None,
        "details": details or None,
    }


# What the API answers when Django or the framework refuses a request before a view of the
# API could (unknown address, wrong method, a body it cannot read, an internal error):
# status → (code, message). See `core.middleware.ApiErrorMiddleware`.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Die Anfrage ist ungültig und kann nicht gelesen werden."),
    401: (
        "unauthenticated",
        "Bitte melden Sie sich an oder senden Sie einen gültigen API-Schlüssel.",
    ),
    403: ("forbidden", "Dafür fehlt Ihnen die Berechtigung."),
    404: ("not_found", "Diese Adresse gibt es in der API nicht."),
    405: ("method_not_allowed", "Diese Methode ist für diese Adresse nicht erlaubt."),
    406: ("not_acceptable", "Die API antwortet nur mit JSON."),
    409: ("conflict", "Der Datensatz wurde inzwischen geändert."),
    413: ("too_large", "Die Anfrage ist zu groß."),
    415: ("unsupported_media_type", "Dieses Format des Inhalts wird nicht unterstützt."),
    422: ("invalid", "Die Eingabe ist ungültig."),
    429: ("too_many_requests", "Zu viele Anfragen; bitte versuchen Sie es gleich noch einmal."),
    500: (
        "server_error",
        "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
    ),
    503: (
        "unavailable",
        "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.",
    ),
}


def status_error(status: int, **kwargs: Any) -> dict[str, Any]:
    """The error body for a bare HTTP status (see STATUS_ERRORS)."""
    default = (
        ("server_error", STATUS_ERRORS[500][1])
        if status >= 500
        else (
            "error",
            "Die Anfrage konnte nicht bearbeitet werden.",
        )
    )
    code, message = STATUS_ERRORS.get(status, default)
    return error_body(code, message, **kwargs)


class PermissionDenied(DomainError):
    status = 403
    default_code = "forbidden"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """Someone else saved the record since it was loaded (version mismatch)."""

    status = 409
    default_code = "conflict"
