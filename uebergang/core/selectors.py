"""Reads of the history, always as someone: every list holds only the events the actor may
see, with the personal values they may not read masked (`core.visibility`). One query per
list, however many events it holds."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from . import visibility
from .models import HistoryEvent, Network
from .permissions import Access
from .prepared import first_value, network_count, prepared
from .web import PAGE_SIZE

RECENT = 20  # the events a record's page shows
RECENT_IN_NETWORK = 15  # the events the office's overview shows


def _network_of(actor: Any, obj: Any) -> Network | None:
    if isinstance(actor, Access):  # no query for the record's network
        return actor.network
    return obj if isinstance(obj, Network) else getattr(obj, "network", None)


def history_for(*, actor: Any, obj: Any, limit: int | None = 200) -> QuerySet[HistoryEvent]:
    """Events of the record itself and of the records that hang on it, newest first (all of
    them with limit=None), as far as the actor may see them."""
    label = obj._meta.label_lower
    network = _network_of(actor, obj)
    qs = HistoryEvent.objects.filter(
        Q(object_type=label, object_id=obj.public_id)
        | Q(parent_type=label, parent_id=obj.public_id)
    ).order_by("-at", "-id")
    only = None
    if not visibility.sees_everything(actor, network):
        # A record's events are of a few kinds: the filter is built for those only (one
        # small query instead of a filter over every kind, which costs more than it reads).
        only = set(qs.order_by().values_list("object_type", flat=True).distinct())
        if not only:
            return qs.none()
    qs = visibility.for_reader(qs, actor, network, only)
    return qs if limit is None else qs[:limit]


@prepared
def _recent_of_record(label: str, object_id: uuid.UUID) -> QuerySet[HistoryEvent]:
    """`history_for`'s query as the office reads it (everything, unmasked), first `RECENT`."""
    events = HistoryEvent.objects.filter(
        Q(object_type=label, object_id=object_id) | Q(parent_type=label, parent_id=object_id)
    )
    return visibility.unmasked(events.order_by("-at", "-id"))[:RECENT]


def recent_history_for(*, actor: Any, obj: Any) -> list[HistoryEvent]:
    """The newest `RECENT` events of `history_for`, as a record's page shows them: for a
    reader who sees everything one prepared query (`core.prepared`), else `history_for`'s."""
    if visibility.sees_everything(actor, _network_of(actor, obj)):
        return list(_recent_of_record(label=obj._meta.label_lower, object_id=obj.public_id))
    return list(history_for(actor=actor, obj=obj, limit=RECENT))


def network_history(*, actor: Any, network: Network) -> QuerySet[HistoryEvent]:
    """Every event of the network the actor may see (the pages and the API show the whole
    history to the coordination office only, see the rule "history.view")."""
    qs = HistoryEvent.objects.filter(network=network).order_by("-at", "-id")
    return visibility.for_reader(qs, actor, network)


@prepared
def _recent_in_network(network_id: int) -> QuerySet[HistoryEvent]:
    """`network_history`'s query as the office reads it, first `RECENT_IN_NETWORK`."""
    return _office_network_events(network_id)[:RECENT_IN_NETWORK]


def _office_network_events(network_id: int) -> QuerySet[HistoryEvent]:
    """`network_history`'s query as a reader who sees everything reads it."""
    events = HistoryEvent.objects.filter(network_id=network_id)
    return visibility.unmasked(events.order_by("-at", "-id"))


def recent_network_history(*, actor: Any, network: Network) -> list[HistoryEvent]:
    """The newest `RECENT_IN_NETWORK` events of `network_history` (the office's overview):
    for a reader who sees everything one prepared query, else `network_history`'s."""
    if visibility.sees_everything(actor, network):
        return list(_recent_in_network(network_id=network.pk))
    return list(network_history(actor=actor, network=network)[:RECENT_IN_NETWORK])


@prepared
def _network_history_first_page(network_id: int) -> QuerySet[HistoryEvent]:
    return _office_network_events(network_id)[:PAGE_SIZE]


@prepared
def _network_history_count(network_id: int) -> QuerySet:
    return network_count(HistoryEvent.objects.filter(network_id=network_id))


def network_history_first_page(*, actor: Any, network: Network) -> tuple[list, int] | None:
    """The history page's first page (rows and count) for a reader who sees everything, in
    two prepared queries; None for anyone else (their filter depends on who they are)."""
    if not visibility.sees_everything(actor, network):
        return None
    rows = list(_network_history_first_page(network_id=network.pk))
    return rows, first_value(_network_history_count(network_id=network.pk), 0)
