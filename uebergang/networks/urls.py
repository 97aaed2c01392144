from django.urls import path

from uebergang.core.tabular import download_paths

from . import views, views_export

app_name = "networks"

urlpatterns = [
    path("", views.start, name="start"),
    path("uebersicht/", views.dashboard, name="dashboard"),
    path("verlauf/", views.network_history, name="history"),
    path("verlauf/<slug:kind>/<uuid:pid>/", views.record_history, name="record_history"),
    path("angaben/", views.network_edit, name="network_edit"),
    path("umbenennen/", views.network_rename, name="network_rename"),
    path("angaben/logo/", views.network_logo, name="network_logo"),
    path("angaben/logo/bild/", views.network_logo_file, name="network_logo_file"),
    path("partner/", views.partner_list, name="partner_list"),
    path("partner/neu/", views.partner_create, name="partner_create"),
    *download_paths("partner/export", views_export.partner_export, "partner_export"),
    path("partner/<uuid:pid>/", views.partner_detail, name="partner_detail"),
    path("partner/<uuid:pid>/bearbeiten/", views.partner_edit, name="partner_edit"),
    path("partner/<uuid:pid>/umbenennen/", views.partner_rename, name="partner_rename"),
    path("partner/<uuid:pid>/beenden/", views.partner_end, name="partner_end"),
    path("partner/<uuid:pid>/nachfolge/", views.partner_succession, name="partner_succession"),
    path(
        "partner/<uuid:pid>/vertretung/neu/",
        views.representation_create,
        name="representation_create",
    ),
    path("vertretung/<uuid:pid>/beenden/", views.representation_end, name="representation_end"),
    path("personen/", views.person_list, name="person_list"),
    path("personen/neu/", views.person_create, name="person_create"),
    path("personen/<uuid:pid>/", views.person_detail, name="person_detail"),
    path("personen/<uuid:pid>/bearbeiten/", views.person_edit, name="person_edit"),
    path("sammelvertretungen/", views.seat_list, name="seat_list"),
    path("sammelvertretungen/neu/", views.seat_create, name="seat_create"),
    path("sammelvertretungen/<uuid:pid>/", views.seat_detail, name="seat_detail"),
    path("sammelvertretungen/<uuid:pid>/bearbeiten/", views.seat_edit, name="seat_edit"),
    path("sammelvertretungen/<uuid:pid>/beenden/", views.seat_end, name="seat_end"),
    path("sammelvertretungen/<uuid:pid>/zuordnen/", views.seat_assign, name="seat_assign"),
    path(
        "sammelvertretungen/<uuid:pid>/person/",
        views.seat_holding_create,
        name="seat_holding_create",
    ),
    path("zuordnung/<uuid:pid>/beenden/", views.seat_unassign, name="seat_unassign"),
    path("sitz-inhaber/<uuid:pid>/beenden/", views.seat_holding_end, name="seat_holding_end"),
]
