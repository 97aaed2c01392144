"""Tags of the frame of every page (base.html):

- `{% asset "css/app.css" %}`: the URL of a static file, as `{% static %}` gives it, looked up
  once per process and path (the file names of a deployment's manifest do not change while
  it runs; it is no network data);
- `{% nav_items nav_menu section %}`: the entries of the main menu, the current one marked
  with `aria-current="page"`, written in one go."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from .tables import escape

register = template.Library()


@lru_cache(maxsize=256)
def _asset(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_assets(*, setting: str, **kwargs: Any) -> None:
    if setting in ("STATIC_URL", "STORAGES", "STATICFILES_STORAGE"):
        _asset.cache_clear()


@register.simple_tag
def asset(path: str) -> str:
    return _asset(path)


@register.simple_tag
def nav_items(menu: list[dict[str, Any]], section: str) -> SafeString:
    esc = escape
    return mark_safe(  # noqa: S308 (every value is escaped)
        "".join(
            f'<li><a class="kern-link" href="{esc(entry["url"])}"'
            f"{' aria-current="page"' if section == entry['section'] else ''}>"
            f"{esc(entry['label'])}</a></li>\n        "
            for entry in menu
        )
    )
