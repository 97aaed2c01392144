from django.urls import path

from . import views_calendar as views

app_name = "calendar"

urlpatterns = [
    path("", views.feed_list, name="feed_list"),
    path("<uuid:pid>/widerrufen/", views.feed_revoke, name="feed_revoke"),
]
