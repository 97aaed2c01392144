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

import html
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def table_region(*, label: str = "", labelledby: str = "", classes: str = "") -> str:
    if bool(label) == bool(labelledby):
        raise template.TemplateSyntaxError("table_region takes either label or labelledby")
    name = ("aria-labelledby", labelledby) if labelledby else ("aria-label", label)
    css = " ".join(part for part in ("kern-table-responsive", classes) if part)
    return format_html('<div class="{}" role="group" tabindex="0" {}="{}">', css, name[0], name[1])


def escape(value: Any) -> str:
    """`conditional_escape` for the row tags below, without Django's lazy-text wrapper: a
    value with `__html__` (safe text) as it is, anything else as text, HTML-escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def csrf_input(context: Any) -> str:
    """What `{% csrf_token %}` writes, for tags that write forms of table rows."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


@register.simple_tag
def history_rows(events: list[dict]) -> SafeString:
    """The body rows of the history table (`core/_history.html`) for the events of
    `core.history.present_events`, written in one go: a history page is a long list, and
    the same rows through the template's loop cost a variable look-up per cell."""
    esc = escape
    uhr = esc(gettext("Uhr"))
    out = []
    for e in events:
        message = e["message"]
        changes = "".join(
            '<div><span class="kern-body--bold">'
            f"{esc(c['field'])}:</span> <del>{esc(c['before'])}</del> → "
            f"<ins>{esc(c['after'])}</ins></div>"
            for c in e["changes"]
        )
        out.append(
            '<tr class="kern-table__row">\n'
            f'    <td class="kern-table__cell">{localtime(e["at"]):%d.%m.%Y, %H:%M}'
            f" {uhr}</td>\n"
            f'    <td class="kern-table__cell">{esc(e["actor"])}</td>\n'
            f'    <td class="kern-table__cell">{esc(e["type"])} „{esc(e["object"])}“ '
            f"{esc(e['action'])}"
            + (f'<br><span class="muted">{esc(message)}</span>' if message else "")
            + "</td>\n"
            f'    <td class="kern-table__cell diff">{changes}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def workqueue_rows(rows: list) -> SafeString:
    """The body rows of a work queue's table (`core/_workqueue.html`) for the rows of
    `core.workqueue.present`, written in one go (a queue is on every start page)."""
    esc = escape
    no_due = esc(gettext("ohne Frist"))
    out = []
    for row in rows:
        item = row.item
        if not item.due:
            due = f'<span class="muted">{no_due}</span>'
        elif item.due_has_time:
            due = f"{localtime(item.due):%d.%m.%Y, %H:%M}"
        else:
            due = f"{item.due:%d.%m.%Y}"
        if row.badge:
            due += (
                f' <span class="kern-badge kern-badge--{esc(row.badge)} kern-badge--small">'
                f'<span class="kern-label">{esc(row.badge_label)}</span></span>'
            )
        label = esc(item.record_label)
        note = (
            f'<br><span class="kern-body kern-body--small">{esc(item.note)}</span>'
            if item.note
            else ""
        )
        out.append(
            f'<tr class="kern-table__row" data-code="{esc(item.code)}">\n'
            f'    <td class="kern-table__cell">{due}</td>\n'
            f'    <td class="kern-table__cell"><a class="kern-link" href="{esc(item.url)}">'
            f'{esc(item.title)}<span class="kern-sr-only"> – {label}</span></a>{note}</td>\n'
            f'    <td class="kern-table__cell">{label}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
