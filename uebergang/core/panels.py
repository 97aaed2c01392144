"""Plug-in point for a record's page: an app shows its part of another app's record (the
meetings of a body, later the topics of a meeting) without that app importing it.

An app registers a panel for a model in its own `panels.py` (found through the app registry,
`CoreConfig.ready`); the record's template renders them all with
`{% record_panels obj %}` (`core.templatetags.panels`). A panel is a function
`(request, obj) -> str` that returns its rendered HTML, or "" to show nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[HttpRequest, Any], str]


@dataclass(frozen=True)
class RegisteredPanel:
    name: str
    order: int
    render: Panel
    depends: tuple[str, ...] = ()


_PANELS: dict[str, dict[str, RegisteredPanel]] = {}


def register_panel(
    model: type[models.Model],
    name: str,
    order: int,
    render: Panel,
    depends: tuple[str, ...] = (),
) -> None:
    """Show `render(request, obj)` on the page of every `model` record, by `order`.
    `depends`: the kinds of records (model labels) the panel shows, which the page's cache
    key then carries (`core.cachegen`)."""
    panels = _PANELS.setdefault(model._meta.label_lower, {})
    if name in panels and panels[name].render is not render:
        raise ValueError(f"panel {name!r} for {model._meta.label_lower} is registered twice")
    panels[name] = RegisteredPanel(name, order, render, tuple(depends))


def panel_depends(model: type[models.Model]) -> tuple[str, ...]:
    """What the panels on `model`'s page show (for the page's `depends`)."""
    return tuple(label for panel in panels_for(model) for label in panel.depends)


def panels_for(model: type[models.Model]) -> list[RegisteredPanel]:
    return sorted(
        _PANELS.get(model._meta.label_lower, {}).values(), key=lambda p: (p.order, p.name)
    )


def render_panels(request: HttpRequest, obj: models.Model) -> SafeString:
    return mark_safe(  # noqa: S308 (each panel renders through a template)
        "".join(panel.render(request, obj) for panel in panels_for(type(obj)))
    )
