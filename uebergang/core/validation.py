"""Field checks every service applies to its input, so that the API refuses what the web
forms refuse (length, e-mail, URL …) with the same German messages."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def format_day(day: datetime.date) -> str:
    """A date as people read it in messages: 01.11.2016."""
    return date_format(day, "d.m.Y")


def check_period(valid_from: datetime.date | None, valid_to: datetime.date | None) -> None:
    """A dated fact needs a start, and its end may not lie before it."""
    if valid_from is None:
        raise DomainError.for_field("valid_from", _("Bitte geben Sie an, ab wann dies gilt."))
    if valid_to is not None and valid_to < valid_from:
        raise DomainError.for_field(
            "valid_to",
            _("Das Ende (%(end)s) liegt vor dem Beginn (%(start)s).")
            % {"end": format_day(valid_to), "start": format_day(valid_from)},
        )


def same_network(network: Any, *objs: Any) -> None:
    """Records given to a service must belong to the network it works in."""
    for obj in objs:
        if obj is not None and obj.network_id != network.pk:
            raise DomainError(
                _("Der gewählte Datensatz gehört nicht zu diesem Netzwerk."), code="wrong_network"
            )
