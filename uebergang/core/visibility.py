"""Who reads which events of the history.

Every kind of record the services record history for (a model label such as
"meetings.invitation") is registered here by its own app (`<app>/history_rules.py`, imported
in `AppConfig.ready()`), so `core` depends on no domain app. A registration says

- which permission guards the record's page and which object it is asked about (`guard`),
  for documentation and for the tests that compare the scope with the permission;
- `visible`: the events of this kind the actor may see, as a filter on `HistoryEvent`
  (usually "the record, or its parent, is among the records the actor may see", written as a
  subquery so that a history list is one query however many events it holds), or True/False
  for every/no record of the network;
- which recorded fields are personal data (`personal`) and which are not (`public`): every
  field `core.history.snapshot` records must be one of the two (a test checks it). Personal
  values – and every value of a field that is in neither list – are shown only to the
  coordination office and to the person they concern (`concerns`), others read
  "(vertraulich)". `personal_message` says the event's note may hold personal data (an
  e-mail address in a delivery note).

A kind nobody registered cannot be recorded (`history.record` refuses), so a new app's
events never appear unfiltered. The coordination office reads everything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _

from uebergang.core.permissions import NETWORK_MANAGE, NETWORK_VIEW

from .permissions import SYSTEM, Access, access_for, can

#: What others read instead of a personal value.
MASK = _("(vertraulich)")

Scope = Callable[[Access], "Q | bool"]


@dataclass(frozen=True)
class HistoryKind:
    label: str
    permission: str
    guard: Callable[[Any], Any]
    visible: Scope
    personal: frozenset[str]
    public: frozenset[str]
    concerns: Callable[[Access], Q] | None
    personal_message: bool

    def is_public(self, name: str) -> bool:
        return name in self.public


_KINDS: dict[str, HistoryKind] = {}


def _self(obj: Any) -> Any:
    return obj


def register_history_kind(
    label: str,
    *,
    permission: str,
    guard: Callable[[Any], Any] = _self,
    visible: Scope | None = None,
    personal: set[str] | frozenset[str] = frozenset(),
    public: set[str] | frozenset[str] = frozenset(),
    concerns: Callable[[Access], Q] | None = None,
    personal_message: bool = False,
) -> None:
    """Declare who reads the history of one kind of record (see the module's docstring).
    Without `visible` the permission is asked once without an object: every record or
    none (right for rules that depend on the role only)."""
    overlap = set(personal) & set(public)
    if overlap:
        raise ValueError(f"{label}: {sorted(overlap)} both personal and public")
    _KINDS[label] = HistoryKind(
        label=label,
        permission=permission,
        guard=guard,
        visible=visible or (lambda access: can(access, access.network, permission)),
        personal=frozenset(personal),
        public=frozenset(public),
        concerns=concerns,
        personal_message=personal_message,
    )


def kinds() -> dict[str, HistoryKind]:
    return dict(_KINDS)


def kind_of(label: str) -> HistoryKind:
    try:
        return _KINDS[label]
    except KeyError:
        raise LookupError(
            f"history of {label!r} is not registered: call "
            "core.visibility.register_history_kind from the app's history_rules.py"
        ) from None


def is_registered(label: str) -> bool:
    return label in _KINDS


# --- scopes the apps build their rules from ----------------------------------------------------


def objects_in(qs: QuerySet) -> Q:
    """Events about one of these records."""
    return Q(object_id__in=qs.values("public_id"))


def parents_in(label: str, qs: QuerySet) -> Q:
    """Events whose parent record is one of these (`label`: the parent's model label)."""
    return Q(parent_type=label, parent_id__in=qs.values("public_id"))


# --- reading ---------------------------------------------------------------------------------


def reader(actor: Any, network: Any) -> Access | None:
    """The actor's access to the network (None: the system, which reads everything)."""
    if actor is SYSTEM:
        return None
    return actor if isinstance(actor, Access) else access_for(actor, network)


def _sees_everything(access: Access | None) -> bool:
    return access is None or access.is_coordination


def _scope(kind: HistoryKind, access: Access) -> Q | None:
    allowed = kind.visible(access)
    if allowed is True:
        return Q(object_type=kind.label)
    if allowed is False:
        return None
    return Q(object_type=kind.label) & allowed


def _kinds(only: Any) -> list[HistoryKind]:
    return list(_KINDS.values()) if only is None else [_KINDS[k] for k in only if k in _KINDS]


def visible_filter(access: Access, only: Any = None) -> Q | None:
    """One filter on `HistoryEvent` for the events a (non-coordination) actor may see; None
    when there is none. `only`: the kinds (labels) the events can be of, when the caller
    knows (a filter per kind costs time to build, and the database to run)."""
    scopes = [q for kind in _kinds(only) if (q := _scope(kind, access)) is not None]
    if not scopes:
        return None
    combined = scopes[0]
    for q in scopes[1:]:
        combined |= q
    return combined


def _own_filter(access: Access, only: Any = None) -> Q | None:
    owns = [
        Q(object_type=kind.label) & kind.concerns(access)
        for kind in _kinds(only)
        if kind.concerns is not None and access.user is not None
    ]
    if not owns:
        return None
    combined = owns[0]
    for q in owns[1:]:
        combined |= q
    return combined


class MaskedEvents(ModelIterable):
    """Events as read by one person: personal values they may not read are masked (the
    query marks each row with `personal_shown`)."""

    def __iter__(self):
        for event in super().__iter__():
            if not getattr(event, "personal_shown", False):
                mask(event)
            yield event


def mask(event: Any) -> Any:
    """Replace the personal values of one event (in place, never saved)."""
    kind = _KINDS.get(event.object_type)
    event.changes = {
        name: [
            value if value in (None, "") or (kind and kind.is_public(name)) else str(MASK)
            for value in pair
        ]
        for name, pair in (event.changes or {}).items()
    }
    if event.message and (kind is None or kind.personal_message):
        event.message = str(MASK)
    event.personal_shown = False
    return event


def sees_everything(actor: Any, network: Any) -> bool:
    """Does the actor read every event of the network unmasked (the office, the system)?"""
    return network is not None and _sees_everything(reader(actor, network))


def unmasked(qs: QuerySet) -> QuerySet:
    """`qs` (of HistoryEvent) as a reader who sees everything reads it (`sees_everything`):
    whole, every personal value shown. For prepared queries of the office's lists."""
    return qs.annotate(personal_shown=Value(True, output_field=BooleanField()))


def for_reader(qs: QuerySet, actor: Any, network: Any, only: Any = None) -> QuerySet:
    """`qs` (of HistoryEvent) cut to what the actor may see, personal values masked; `only`:
    the kinds of events `qs` can hold, if known (see `visible_filter`)."""
    if network is None and actor is not SYSTEM:  # a user's or a key's own record
        return qs.none()
    access = reader(actor, network)
    if _sees_everything(access):
        return unmasked(qs)
    assert access is not None
    if not access.is_member:
        return qs.none()
    scope = visible_filter(access, only)
    if scope is None:
        return qs.none()
    own = _own_filter(access, only)
    shown = (
        Case(When(own, then=Value(True)), default=Value(False), output_field=BooleanField())
        if own is not None
        else Value(False, output_field=BooleanField())
    )
    qs = qs.filter(scope).annotate(personal_shown=shown)
    # Every way of reading the queryset (slices, pages, the API) yields masked events; Django
    # keeps the iterable class through filter, order_by and slicing.
    qs._iterable_class = MaskedEvents
    return qs


# --- the kinds of core itself -------------------------------------------------------------------

register_history_kind(
    "core.network",
    permission=NETWORK_VIEW,
    public={
        "valid_from",
        "valid_to",
        "slug",
        "name",
        "region",
        "description",
        "coordination_office",
        "email",  # the coordination office's address
    },
)
# Roles are granted and read by the coordination office (the note names the person).
register_history_kind(
    "core.networkrole",
    permission=NETWORK_MANAGE,
    public={"role"},
    personal={"user"},
    personal_message=True,
)
