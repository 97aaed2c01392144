"""Field checks every service applies to its input, so that the API refuses what the web
forms refuse (length, e-mail, URL …) with the same German messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from .errors import DomainError


def validate_fields(model: type[models.Model], data: dict[str, Any]) -> None:
    """Run the model fields' validators (max length, e-mail, URL …) on `data`; raise one
    `DomainError` naming every field that fails."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if value is None or field.is_relation:
            continue
        try:
            field.run_validators(value)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, field_errors=errors)
