from django.urls import path

from uebergang.core.tabular import download_paths

from . import views_export
from . import views_networkday as views

app_name = "networkdays"

urlpatterns = [
    path("netzwerktage/", views.networkday_list, name="networkday_list"),
    path("netzwerktage/neu/", views.networkday_create, name="networkday_create"),
    path("netzwerktage/<uuid:pid>/", views.networkday_detail, name="networkday_detail"),
    path("netzwerktage/<uuid:pid>/bearbeiten/", views.networkday_edit, name="networkday_edit"),
    path("netzwerktage/<uuid:pid>/einladen/", views.networkday_invite, name="networkday_invite"),
    path("netzwerktage/<uuid:pid>/absagen/", views.networkday_cancel, name="networkday_cancel"),
    path("netzwerktage/<uuid:pid>/anmelden/", views.registration_add, name="registration_add"),
    path(
        "netzwerktage/<uuid:pid>/teilnahme/",
        views.networkday_attendance,
        name="networkday_attendance",
    ),
    path(
        "netzwerktage/anmeldung/<uuid:pid>/abmelden/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("teilnahme/", views.participation, name="participation"),
    *download_paths("teilnahme/export", views_export.participation_export, "participation_export"),
    *download_paths(
        "netzwerktage/<uuid:pid>/anmeldungen",
        views_export.registration_export,
        "registration_export",
    ),
]
