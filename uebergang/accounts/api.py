"""The signed-in account and its personal API tokens."""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from uebergang.core.api import ERRORS, READ_ERRORS
from uebergang.core.errors import NotFound
from uebergang.core.models import NetworkRole

from . import schemas as s
from . import services
from .models import ApiToken

router = Router(tags=["Konto"])


@router.get(
    "/me",
    response={200: s.MeOut, **READ_ERRORS},
    summary="Das angemeldete Konto und seine Netzwerke",
)
def me(request: HttpRequest):
    roles = (
        NetworkRole.objects.filter(user=request.user)
        .select_related("network")
        .order_by("network__name")
    )
    return {
        "email": request.user.email,
        "display_name": request.user.display_name,
        "networks": [
            {"slug": r.network.slug, "name": r.network.name, "role": r.role} for r in roles
        ],
    }


@router.get(
    "/me/tokens", response={200: list[s.TokenOut], **READ_ERRORS}, summary="Meine API-Schlüssel"
)
def token_list(request: HttpRequest):
    return list(ApiToken.objects.filter(user=request.user))


@router.post(
    "/me/tokens", response={201: s.TokenCreatedOut, **ERRORS}, summary="API-Schlüssel erzeugen"
)
def token_create(request: HttpRequest, body: s.TokenIn):
    token, secret = services.api_token_create(
        actor=request.user, name=body.name, expires_at=body.expires_at
    )
    token.token = secret  # type: ignore[attr-defined]
    return 201, token


@router.post(
    "/me/tokens/{tid}/revoke",
    response={200: s.TokenOut, **ERRORS},
    summary="API-Schlüssel widerrufen",
)
def token_revoke(request: HttpRequest, tid: UUID):
    token = ApiToken.objects.filter(user=request.user, public_id=tid).first()
    if token is None:
        raise NotFound("Diesen Schlüssel gibt es nicht.")
    return services.api_token_revoke(actor=request.user, token=token)


@router.post(
    "/me/password",
    response={200: s.PasswordChangedOut, **ERRORS},
    summary="Eigenes Passwort ändern",
)
def password_change(request: HttpRequest, body: s.PasswordIn):
    """Mit dem bisherigen Passwort; ein ungenügendes neues Passwort ergibt 422 mit der
    Meldung am Feld `new_password`. Die API-Schlüssel bleiben gültig."""
    services.password_change(
        actor=request.user, old_password=body.old_password, new_password=body.new_password
    )
    return {"changed": True}
