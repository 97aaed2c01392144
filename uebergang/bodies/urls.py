from django.urls import path

from uebergang.core.tabular import download_paths

from . import views, views_export

app_name = "bodies"

urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("neu/", views.body_create, name="body_create"),
    *download_paths("personen/export", views_export.people_export, "people_export"),
    path("<uuid:pid>/", views.body_detail, name="body_detail"),
    path("<uuid:pid>/verlauf/", views.body_history, name="body_history"),
    path("<uuid:pid>/bearbeiten/", views.body_edit, name="body_edit"),
    path("<uuid:pid>/aufloesen/", views.body_dissolve, name="body_dissolve"),
    path("<uuid:pid>/sitz/", views.seat_add, name="seat_add"),
    path("<uuid:pid>/person/", views.membership_add, name="membership_add"),
    path("<uuid:pid>/amt/", views.office_assign, name="office_assign"),
    path("sitz/<uuid:pid>/beenden/", views.seat_end, name="seat_end"),
    path("mitgliedschaft/<uuid:pid>/beenden/", views.membership_end, name="membership_end"),
    path("amt/<uuid:pid>/beenden/", views.office_end, name="office_end"),
]
