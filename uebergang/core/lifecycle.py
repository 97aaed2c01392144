"""Explicit hooks between apps that must not import each other the other way round: when a
partner ends (leaves, is dissolved or succeeded), later apps end what hangs on it (its seats
in bodies, …). The service that ends the partner calls `partner_ended` inside its
transaction, with the acting user; each app registers its handler in `AppConfig.ready()`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

PartnerEnded = Callable[..., None]
_PARTNER_ENDED: list[PartnerEnded] = []


def on_partner_ended(handler: PartnerEnded) -> PartnerEnded:
    _PARTNER_ENDED.append(handler)
    return handler


def partner_ended(*, actor: Any, partner: Any, last_day: datetime.date) -> None:
    for handler in _PARTNER_ENDED:
        handler(actor=actor, partner=partner, last_day=last_day)


MinutesApproved = Callable[..., None]
_MINUTES_APPROVED: list[MinutesApproved] = []


def on_minutes_approved(handler: MinutesApproved) -> MinutesApproved:
    _MINUTES_APPROVED.append(handler)
    return handler


def minutes_approved(*, actor: Any, meeting: Any) -> None:
    """The minutes of `meeting` are approved (inside the approval's transaction): what was
    decided there is final, so later apps take it over (topics: the body's outcome)."""
    for handler in _MINUTES_APPROVED:
        handler(actor=actor, meeting=meeting)
