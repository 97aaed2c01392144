"""`{% partner_rows_html partners base day %}`: the body rows of the partner list
(networks/partner_list.html) for the rows of `networks.selectors.partner_rows`, written in one
go: the list is the registry's longest page. `base` is the partner list's URL (each
partner's page is below it), `day` the "Stand am" day as `Y-m-d` or empty."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from uebergang.core.templatetags.tables import escape

register = template.Library()


@register.simple_tag
def partner_rows_html(partners: list, base: str, day: str) -> SafeString:
    esc = escape
    involved = (
        ' <span class="kern-badge kern-badge--info kern-badge--small"><span class="kern-label">'
        f"{esc(gettext('beteiligte Institution'))}</span></span>"
    )
    query = f"?stichtag={esc(day)}" if day else ""
    base = esc(base)
    out = []
    for p in partners:
        reps = esc(p.reps_text) if p.reps_text else '<span class="muted">–</span>'
        out.append(
            '<tr class="kern-table__row">\n'
            f'    <td class="kern-table__cell"><a class="kern-link" href="{base}{p.public_id}/'
            f'{query}">{esc(p.name_then)}</a>{"" if p.is_party else involved}</td>\n'
            f'    <td class="kern-table__cell">{esc(p.kind_label)}</td>\n'
            f'    <td class="kern-table__cell">{reps}</td>\n'
            f'    <td class="kern-table__cell">{esc(p.period)}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
