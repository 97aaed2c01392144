"""The person's calendar feeds (create – the address is shown once –, list, revoke) and the
feed itself: `/kalender/<token>.ics`, read by calendar programs without signing in."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from uebergang.bodies.rules import BODY_VIEW
from uebergang.core import cachegen
from uebergang.core.errors import DomainError
from uebergang.core.permissions import NETWORK_VIEW, can
from uebergang.core.web import PAGE_CACHE_SECONDS, add_domain_error, get_in_network, network_view

from . import selectors, services
from .forms_networkday import FeedForm
from .models import CalendarFeed

NEW_FEED_KEY = "new_calendar_feed"
# A feed is polled every few minutes by every subscribed calendar: record the use at most
# once an hour instead of writing on every request.
LAST_USED_EVERY = datetime.timedelta(hours=1)


def feed_address(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_feed", args=[token]))


@never_cache
@network_view(NETWORK_VIEW)
def feed_list(request: HttpRequest) -> HttpResponse:
    network = request.network
    form = FeedForm(request.POST or None)
    form.fields["body"].queryset = selectors.visible_bodies(
        network=network, access=request.access
    ).order_by("name")
    # Shown once: the new address travels to the next page view in the session and is
    # removed there (post/redirect/get, so that reloading creates no second feed).
    token = request.session.pop(NEW_FEED_KEY, None) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        try:
            feed, token = services.calendar_feed_create(
                actor=request.user,
                network=network,
                body=form.cleaned_data.get("body"),
                name=form.cleaned_data.get("name", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Das Kalenderabo „%(name)s“ ist angelegt.") % {"name": feed.name}
            )
            request.session[NEW_FEED_KEY] = token
            return redirect("calendar:feed_list", network=network.slug)
    feeds = list(
        CalendarFeed.objects.filter(network=network, user=request.user).select_related("body")
    )
    return render(
        request,
        "meetings/calendar_feeds.html",
        {
            "section": "calendar",
            "form": form,
            "address": (address := feed_address(request, token) if token else None),
            # the same address for calendar programs that register the webcal: scheme
            "webcal": "webcal://" + address.split("://", 1)[1] if address else None,
            "feeds": feeds,
            "breadcrumbs": [
                (network.name, reverse("networks:start", args=[network.slug])),
                (_("Kalenderabos"), None),
            ],
        },
    )


@network_view(NETWORK_VIEW)
def feed_revoke(request: HttpRequest, pid: Any) -> HttpResponse:
    feed = get_in_network(CalendarFeed, request, pid, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.calendar_feed_revoke(actor=request.user, feed=feed)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Das Kalenderabo „%(name)s“ ist widerrufen.") % {"name": feed.name}
        )
    return redirect("calendar:feed_list", network=request.network.slug)


# What a feed shows: the meetings (title, time, place, state) of the bodies the person may
# see, which follow from memberships and the person's account.
FEED_DEPENDS = (
    "core.network",
    "networks.person",
    "bodies.body",
    "bodies.membership",
    "meetings.meeting",
    "meetings.calendarfeed",
)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of one feed. No sign-in: the secret token is the key. Unknown, revoked,
    of a deactivated user, or of someone who may no longer see the body: 404, revealing
    nothing. The file is cached under the generations of what it shows (`FEED_DEPENDS`,
    `core.cachegen`), so a poll costs a few queries whatever the number of meetings."""
    if not token or len(token) > 100:
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("network", "user", "body")
        .filter(
            token_hash=CalendarFeed.hash(token),
            revoked_at__isnull=True,
            user__is_active=True,
            network__deleted_at__isnull=True,
        )
        .first()
    )
    if feed is None:
        raise Http404
    network, user, body = feed.network, feed.user, feed.body
    if body is not None:
        if body.deleted_at is not None or not can(user, network, BODY_VIEW, body):
            raise Http404
    elif not can(user, network, NETWORK_VIEW):
        raise Http404
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    generations = cachegen.key_part(network, FEED_DEPENDS)
    raw = f"{feed.pk}:{generations}:{timezone.localdate().isoformat()}"
    key = "calendar-feed:" + hashlib.sha256(raw.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        from . import ics

        meetings = selectors.feed_meetings(network=network, body=body, user=user)
        for meeting in meetings:
            meeting.network = network  # the feed reads the slug: no query per meeting
        content = ics.feed(meetings, f"{network.name}: {feed.name}")
        cache.set(key, content, PAGE_CACHE_SECONDS)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
