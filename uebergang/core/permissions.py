"""One way to ask "may they?".

`authorize(actor, network, permission, obj)` answers for every service. A permission is a
rule over the actor's role in the network plus relations (represents this party, holds this
seat, sits in this body, …). `core` defines the roles; domain apps register their rules and
relations in their `AppConfig.ready()`, so `core` depends on no domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .errors import PermissionDenied
from .models import Network, NetworkRole, Role
from .prepared import first_value, prepared


@dataclass
class Access:
    """What one actor is in one network; rules receive it."""

    user: Any
    network: Network
    role: str | None
    _relations: dict[tuple[str, Any], bool] = field(default_factory=dict)
    _scopes: dict[str, Any] = field(default_factory=dict)

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def is_coordination(self) -> bool:
        return self.role == Role.COORDINATION

    @property
    def signed_in(self) -> bool:
        """An account (with a database id): only an account stands in a relation."""
        return getattr(self.user, "pk", None) is not None

    def related(self, relation: str, obj: Any = None) -> bool:
        """Does the actor stand in `relation` to `obj` (e.g. "represents", a partner)?"""
        key = (relation, getattr(obj, "pk", obj))
        if key not in self._relations:
            resolver = _RELATIONS.get(relation)
            if resolver is None:
                raise KeyError(f"unknown relation {relation!r}")
            if not self.signed_in:
                self._relations[key] = False
            elif _REGISTERED[relation][0] is None:  # derived from the scope: built once
                records = self.scope(relation)
                self._relations[key] = isinstance(obj, records.model) and (
                    records.filter(pk=obj.pk).exists()
                )
            else:
                self._relations[key] = bool(resolver(self.user, self.network, obj))
        return self._relations[key]

    def scope(self, relation: str) -> Any:
        """The records the actor stands in `relation` to, as a queryset (for selectors and
        subqueries: the same answer as `related`, for many records at once). Relations get
        a signed-in user; for anyone else the scope is empty."""
        scope = _SCOPES.get(relation)
        if scope is None:
            raise KeyError(f"relation {relation!r} has no scope")
        if not self.signed_in:
            return scope(None, self.network).none()
        # Built once per access (a request): the history's visibility filter asks for the
        # same scope once per kind. Each caller gets its own copy, never evaluated rows.
        if relation not in self._scopes:
            self._scopes[relation] = scope(self.user, self.network)
        return self._scopes[relation].all()


class Permission(str):
    """A permission's name, made only by `register_rule`: services, views and rules name
    it by its constant (e.g. `bodies.rules.BODY_VIEW`), so a misspelt permission is an
    ImportError at start-up and `can` refuses a plain string."""

    __slots__ = ()


Rule = Callable[[Access, Any], bool]
Relation = Callable[[Any, Network, Any], bool]
Scope = Callable[[Any, Network], Any]

_RULES: dict[str, Rule] = {}
_PERMISSIONS: dict[str, Permission] = {}
_RELATIONS: dict[str, Relation] = {}
_SCOPES: dict[str, Scope] = {}
_REGISTERED: dict[str, tuple[Relation | None, Scope | None]] = {}


def register_rule(name: str, rule: Rule) -> Permission:
    """Name a permission and its rule, and give back the constant that names it; a name is
    registered once (a second rule under the same name would silently replace the first)."""
    if name in _RULES and _RULES[name] is not rule:
        raise ValueError(f"permission {name!r} is registered twice")
    _RULES[name] = rule
    permission = _PERMISSIONS.setdefault(name, Permission(name))
    return permission


def registered_permissions() -> dict[str, Permission]:
    """Every registered permission by name (for completeness tests and the docs)."""
    return dict(_PERMISSIONS)


def register_relation(
    name: str, resolver: Relation | None = None, *, scope: Scope | None = None
) -> None:
    """Name a relation ("sits_in_body", "own_invitation", …). With `scope` (user, network →
    the queryset of records in that relation), the yes/no for one record is derived from it
    unless a `resolver` is given, so a selector and a rule never answer differently. Both
    are asked only for a signed-in user (`Access.related`, `Access.scope`)."""
    if resolver is None and scope is None:
        raise ValueError(f"relation {name!r} needs a resolver or a scope")
    known = _REGISTERED.get(name)
    if known is not None and known != (resolver, scope):
        raise ValueError(f"relation {name!r} is registered twice")
    _REGISTERED[name] = (resolver, scope)
    _RELATIONS[name] = resolver or _resolver_from(scope)
    if scope is not None:
        _SCOPES[name] = scope


def _resolver_from(scope: Scope) -> Relation:
    def resolver(user: Any, network: Network, obj: Any) -> bool:
        records = scope(user, network)
        return isinstance(obj, records.model) and records.filter(pk=obj.pk).exists()

    return resolver


# Rules every app can build on.
NETWORK_VIEW = register_rule("network.view", lambda access, obj: access.is_member)
NETWORK_MANAGE = register_rule("network.manage", lambda access, obj: access.is_coordination)


def role_of(user: Any, network: Network) -> str | None:
    """The user's role in the network (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_uebergang_roles", {})
    if network.pk not in cache:
        cache[network.pk] = (
            NetworkRole.objects.filter(network=network, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[network.pk]


@prepared
def _role_in_network(user_id: int, slug: str) -> Any:
    return (
        NetworkRole.objects.select_related("network")
        .filter(user_id=user_id, network__slug=slug, network__deleted_at__isnull=True)
        .order_by("pk")[:1]
    )


def member_access(user: Any, slug: str) -> Access | None:
    """The user's access to the network with this slug, in one query; None when the user has
    no role there (or the network does not exist – the caller cannot tell, on purpose)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    role = first_value(_role_in_network(user_id=user.pk, slug=slug), None)
    if role is None:
        return None
    user.__dict__.setdefault("_uebergang_roles", {})[role.network.pk] = role.role
    return Access(user=user, network=role.network, role=role.role)


def access_for(user: Any, network: Network) -> Access:
    """The actor's access to the network. The system actor (imports, the demo, the worker)
    acts as the coordination office of every network and stands in no relation."""
    if user is SYSTEM:
        return Access(user=user, network=network, role=Role.COORDINATION)
    return Access(user=user, network=network, role=role_of(user, network))


class SystemActor:
    """The actor of management commands (import, demo loading): may do everything; the
    history names it "System"."""

    pk = None
    is_superuser = True
    is_authenticated = True
    is_active = True
    display_name = "System"

    def __str__(self) -> str:
        return self.display_name


SYSTEM = SystemActor()


def can(actor: Any, network: Network, permission: Permission, obj: Any = None) -> bool:
    """Does the rule of `permission` allow the actor (a user, the system actor or an
    `Access`) in the network, for `obj`? The system actor has no shortcut here: its access
    is the coordination office's (`access_for`), so it passes exactly the office's rules."""
    if not isinstance(permission, Permission):
        raise TypeError(f"name a permission by its constant, not by the string {permission!r}")
    rule = _RULES[permission]
    access = actor if isinstance(actor, Access) else access_for(actor, network)
    return bool(rule(access, obj))


def authorize(actor: Any, network: Network, permission: Permission, obj: Any = None) -> None:
    """Raise `PermissionDenied` (a `DomainError`) unless the actor may."""
    if not can(actor, network, permission, obj):
        raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."))


def forget_roles(user: Any) -> None:
    user.__dict__.pop("_uebergang_roles", None)
