"""`{% table_region … %}`: the opening tag of every table's wrapper, so each is the same.

On a narrow screen a table that is still wider than the page scrolls inside its wrapper (the
page itself never scrolls sideways, WCAG 1.4.10). A scrolling box must be reachable with the
keyboard and have a name (axe `scrollable-region-focusable`), so the wrapper is a focusable,
named group (a group, not a region: twenty table landmarks would bury the page's own
sections, and a table's wrapper often shares its section's name)::

    {% load tables %}
    {% table_region labelledby="h-liste" %}<table class="kern-table">…</table></div>
    {% table_region label=_("Partner") classes="section" %}<table …>…</table></div>

`labelledby` names the id of the heading above the table, `label` is the name itself; the tag
writes only the opening `<div>`, the template closes it."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def table_region(*, label: str = "", labelledby: str = "", classes: str = "") -> str:
    if bool(label) == bool(labelledby):
        raise template.TemplateSyntaxError("table_region takes either label or labelledby")
    name = ("aria-labelledby", labelledby) if labelledby else ("aria-label", label)
    css = " ".join(part for part in ("kern-table-responsive", classes) if part)
    return format_html('<div class="{}" role="group" tabindex="0" {}="{}">', css, name[0], name[1])
