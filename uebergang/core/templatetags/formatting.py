"""`{{ text|formatted }}`: a formatted text as safe HTML (`core.formatting`)."""

from django import template

from uebergang.core.formatting import to_html

register = template.Library()


@register.filter
def formatted(text: str | None):
    return to_html(text)
