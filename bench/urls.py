from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from .views import bare_fifty_rows

urlpatterns = [path("bench/bare-50/", bare_fifty_rows), *app_urlpatterns]
