"""Accounts and roles in a network."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uebergang.core import history
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.models import HistoryAction, Network, NetworkRole, Role
from uebergang.core.permissions import NETWORK_MANAGE, authorize, forget_roles
from uebergang.core.validation import validate_fields

from .models import ApiToken, User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    email: str,
    password: str | None,
    display_name: str = "",
    is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    """Platform administrators (or the system) create accounts."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Nur die Plattform-Administration kann Konten anlegen."))
    email = (email or "").strip().lower()
    if not email:
        raise DomainError.for_field("email", _("Bitte geben Sie eine E-Mail-Adresse an."))
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError.for_field(
            "email", _("Ein Konto mit dieser E-Mail-Adresse gibt es schon.")
        )
    if password and check_password:
        try:
            validate_password(password, User(email=email, display_name=display_name))
        except ValidationError as exc:
            raise DomainError.for_field("password", " ".join(exc.messages)) from exc
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    history.record(
        actor=actor,
        action=HistoryAction.CREATE,
        obj=user,
        network=None,
        changes={
            "email": [None, user.email],
            "display_name": [None, user.display_name],
            "is_superuser": [None, user.is_superuser],
        },
    )
    return user


@transaction.atomic
def network_role_grant(*, actor: Any, network: Network, user: User, role: str) -> NetworkRole:
    """Give `user` a role in `network` (the coordination office, a platform administrator, or
    the system)."""
    if not getattr(actor, "is_superuser", False):
        authorize(actor, network, NETWORK_MANAGE)
    if role not in Role.values:
        raise DomainError.for_field("role", _("Bitte wählen Sie eine gültige Rolle."))
    existing = NetworkRole.objects.select_for_update().filter(network=network, user=user).first()
    if existing is not None:
        if existing.role == role:
            return existing
        before = history.snapshot(existing, ["role"])
        existing.role = role
        existing.save(update_fields=["role", "modified"])
        history.record_change(actor=actor, obj=existing, before=before, action=HistoryAction.ROLE)
        forget_roles(user)
        return existing
    granted = NetworkRole.objects.create(network=network, user=user, role=role)
    history.record(
        actor=actor,
        action=HistoryAction.ROLE,
        obj=granted,
        changes={"role": [None, role]},
        message=str(user),
    )
    forget_roles(user)
    return granted


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "ueb"


def _hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: Any, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor; returns the token row and the secret (shown once)."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        raise DomainError(_("Bitte melden Sie sich an."), code="unauthenticated")
    name = (name or "").strip()
    if not name:
        raise DomainError.for_field("name", _("Bitte geben Sie dem Schlüssel eine Bezeichnung."))
    validate_fields(ApiToken, {"name": name})
    if expires_at is not None and timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError.for_field("expires_at", _("Das Ablaufdatum muss in der Zukunft liegen."))
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, key_hash=_hash_key(secret), expires_at=expires_at
    )
    history.record(
        actor=actor,
        action=HistoryAction.CREATE,
        obj=token,
        network=None,
        changes={
            "name": [None, name],
            "expires_at": [None, expires_at.isoformat() if expires_at else None],
        },
    )
    return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.user_id != getattr(actor, "pk", None):
        raise DomainError(_("Diesen Schlüssel gibt es nicht."), code="not_found")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError(_("Dieser Schlüssel ist bereits widerrufen."), code="revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    history.record(
        actor=actor,
        action=HistoryAction.END,
        obj=token,
        network=None,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None (unknown, revoked, expired, inactive)."""
    try:
        label, prefix, secret = raw.split("_", 2)
    except ValueError:
        return None
    if label != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash_key(secret)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def password_change(*, actor: Any, old_password: str, new_password: str) -> User:
    """The signed-in person sets a new password, naming the current one. The new one must
    pass the installation's password rules (AUTH_PASSWORD_VALIDATORS). The history notes
    that the password changed, never a value."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        raise DomainError(_("Bitte melden Sie sich an."), code="unauthenticated")
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password or ""):
        raise DomainError.for_field(
            "old_password", _("Das bisherige Passwort stimmt nicht. Bitte geben Sie es erneut ein.")
        )
    try:
        validate_password(new_password or "", user=user)
    except ValidationError as error:
        raise DomainError.for_field("new_password", " ".join(error.messages)) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    history.record(
        actor=actor,
        action=HistoryAction.UPDATE,
        obj=user,
        network=None,
        changes={},
        message=_("Passwort geändert"),
    )
    return user
