from django.contrib import admin
from django.urls import include, path

from config.api import api
from uebergang.core import views as core_views
from uebergang.meetings import views_calendar as meetings_calendar
from uebergang.meetings import views_links as meetings_links

urlpatterns = [
    path("", core_views.home, name="home"),
    path("gesundheit/", core_views.health, name="health"),
    path("konto/", include("uebergang.accounts.urls")),
    path("verwaltung/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("n/<slug:network>/gremien/", include("uebergang.bodies.urls")),
    path("n/<slug:network>/sitzungen/", include("uebergang.meetings.urls")),
    path("n/<slug:network>/themen/", include("uebergang.topics.urls")),
    path("kalender/<str:token>.ics", meetings_calendar.feed, name="calendar_feed"),
    path("antwort/<str:token>/", meetings_links.reply_link, name="reply_link"),
    path("n/<slug:network>/kalender/", include("uebergang.meetings.urls_calendar")),
    path(
        "n/<slug:network>/einstellungen/",
        core_views.network_settings,
        name="network_settings",
    ),
    path("n/<slug:network>/", include("uebergang.meetings.urls_networkday")),
    path("n/<slug:network>/", include("uebergang.networks.urls")),
]
