import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def freeze_loaded() -> None:
    """The objects of the loaded application (modules, URL patterns, views, API schemas:
    about 150,000) live as long as the process. Python's garbage collector would scan them
    all in each of its full collections, about 100 ms every few dozen requests on these
    machines: a tenth of the cold pages' time and most of their p99 (`bench/profile.py`, gc
    ms). Frozen (`gc.freeze`, meant for servers like this), its collections scan only what
    the requests create. Reversing a name imports the URL configuration and everything it
    names."""
    reverse("health")
    gc.collect()
    gc.freeze()


freeze_loaded()
