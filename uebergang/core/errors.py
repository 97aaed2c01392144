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
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field_errors:
            data["field_errors"] = self.field_errors
        if self.details:
            data["details"] = self.details
        return data


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
