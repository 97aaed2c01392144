"""Accounts and roles in a network."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uebergang.core import history
from uebergang.core.errors import DomainError
from uebergang.core.models import HistoryAction, Network, NetworkRole, Role
from uebergang.core.permissions import authorize, forget_roles

from .models import User


@transaction.atomic
def user_create(*, actor: Any, email: str, password: str | None, display_name: str = "",
                is_superuser: bool = False, check_password: bool = True) -> User:
    """Platform administrators (or the system) create accounts."""
    if not getattr(actor, "is_superuser", False):
        raise DomainError(_("Nur die Plattform-Administration kann Konten anlegen."), code="forbidden")
    email = (email or "").strip().lower()
    if not email:
        raise DomainError.for_field("email", _("Bitte geben Sie eine E-Mail-Adresse an."))
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError.for_field("email", _("Ein Konto mit dieser E-Mail-Adresse gibt es schon."))
    if password and check_password:
        try:
            validate_password(password, User(email=email, display_name=display_name))
        except ValidationError as exc:
            raise DomainError.for_field("password", " ".join(exc.messages)) from exc
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name,
        is_superuser=is_superuser, is_staff=is_superuser,
    )
    return user


@transaction.atomic
def network_role_grant(*, actor: Any, network: Network, user: User, role: str) -> NetworkRole:
    """Give `user` a role in `network` (the coordination office, a platform administrator, or
    the system)."""
    if not getattr(actor, "is_superuser", False):
        authorize(actor, network, "network.manage")
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
    history.record(actor=actor, action=HistoryAction.ROLE, obj=granted, changes={"role": [None, role]},
                   message=str(user))
    forget_roles(user)
    return granted
