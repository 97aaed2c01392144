"""Who reads the history of accounts (see `core.visibility`): a user's and an API key's
events belong to no network; no network's history shows them, and their values are
personal."""

from __future__ import annotations

from uebergang.core.permissions import NETWORK_MANAGE
from uebergang.core.visibility import register_history_kind

register_history_kind(
    "accounts.user",
    permission=NETWORK_MANAGE,
    visible=lambda access: False,
    public={"id", "public_id", "is_superuser", "is_active", "is_staff"},
    personal={"password", "last_login", "email", "display_name", "date_joined"},
)
register_history_kind(
    "accounts.apitoken",
    permission=NETWORK_MANAGE,
    visible=lambda access: False,
    public={"id", "public_id", "created", "expires_at", "revoked_at"},
    personal={"user", "name", "prefix", "key_hash", "last_used_at"},
)
