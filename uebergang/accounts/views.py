"""Mein Konto: the signed-in person's account (networks and roles, calendar subscriptions,
password) and their own API tokens: create (the secret is shown once), list, revoke."""

import datetime

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from uebergang.core.errors import DomainError
from uebergang.core.models import NetworkRole
from uebergang.core.web import add_domain_error

from . import services
from .forms import PasswordChangeForm, TokenForm
from .models import ApiToken

NEW_TOKEN_KEY = "new_api_token"


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    # Shown once: the new secret travels to the next page view in the session and is
    # removed there (post/redirect/get, so that reloading creates no second token).
    secret = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data.get("expires_on")
        expires = (
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
            if day
            else None
        )
        try:
            token, secret = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"], expires_at=expires
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Der Schlüssel „%(name)s“ ist erzeugt.") % {"name": token.name}
            )
            request.session[NEW_TOKEN_KEY] = secret
            return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "secret": secret,
            "breadcrumbs": _account_crumbs(_("API-Schlüssel")),
            "tokens": list(ApiToken.objects.filter(user=request.user)),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, tid) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=request.user, public_id=tid)
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Der Schlüssel „%(name)s“ ist widerrufen.") % {"name": token.name}
        )
    return redirect("accounts:tokens")


def _account_crumbs(label: str | None = None) -> list:
    crumbs = [(_("Mein Konto"), reverse("accounts:account") if label else None)]
    return crumbs + [(label, None)] if label else crumbs


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """What belongs to the person, not to a network: who they are, their networks and roles
    (each with the calendar subscriptions there), their API keys and their password."""
    roles = list(
        NetworkRole.objects.filter(user=request.user)
        .select_related("network")
        .order_by("network__name", "pk")
    )
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    active_tokens = sum(1 for t in tokens if t.is_active)
    return render(
        request,
        "accounts/account.html",
        {"roles": roles, "active_tokens": active_tokens, "breadcrumbs": _account_crumbs()},
    )


@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            update_session_auth_hash(request, user)  # stay signed in on this device
            messages.success(request, _("Ihr Passwort ist geändert."))
            return redirect("accounts:account")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Passwort ändern"),
            "submit": _("Passwort ändern"),
            "cancel_url": reverse("accounts:account"),
            "breadcrumbs": _account_crumbs(_("Passwort ändern")),
        },
    )
