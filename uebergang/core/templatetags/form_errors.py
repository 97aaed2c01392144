"""`{{ form|error_links }}`: the entries of a form's error summary (core/_error_summary.html),
one per error of a visible field, each with the id of the field to link to."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def error_links(form: Any) -> list[tuple[str, str, str]]:
    """(anchor id, field label, error) for each error of a visible field, in form order.
    A radio or checkbox group links to its group (Django gives the first input no label id)."""
    links = []
    for field in form.visible_fields():
        for error in field.errors:
            links.append((field.id_for_label or field.auto_id, str(field.label), str(error)))
    return links
