"""`{% record_panels obj %}`: the panels other apps show on this record's page
(`core.panels`)."""

from django import template

from uebergang.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, obj):
    return render_panels(context["request"], obj)
