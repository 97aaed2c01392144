import datetime

from ninja import Schema
from pydantic import Field

from uebergang.core.api import AwareMoment, RecordOut


class MeOut(Schema):
    email: str
    display_name: str
    networks: list[dict[str, str]] = Field(description="Netzwerke mit Rolle: slug, name, role")


class TokenOut(RecordOut):
    name: str
    prefix: str
    created: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.is_active


class TokenIn(Schema):
    name: str
    expires_at: AwareMoment | None = Field(None, description="ISO 8601 mit Zeitzone")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="der Schlüssel – wird nur dieses eine Mal angezeigt")


class PasswordIn(Schema):
    old_password: str = Field(max_length=4096, description="das bisherige Passwort")
    new_password: str = Field(
        max_length=4096,
        description="das neue; es muss die Passwortregeln der Installation erfüllen",
    )


class PasswordChangedOut(Schema):
    changed: bool = Field(description="immer true: das Passwort ist geändert")
