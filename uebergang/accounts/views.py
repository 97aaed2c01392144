"""The person's own API tokens: create (the secret is shown once), list, revoke."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from uebergang.core.errors import DomainError
from uebergang.core.web import add_domain_error

from . import services
from .forms import TokenForm
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
            "tokens": list(ApiToken.objects.filter(user=request.user)),
            "breadcrumbs": [(_("API-Schlüssel"), None)],
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
