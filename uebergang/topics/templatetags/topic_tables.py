"""`{% topic_rows page.object_list base %}`: the body rows of the topics list, written in one
go (through the template's loop each row cost a dozen variable look-ups; the list shows up
to 50 rows). `base` is the list's URL; each topic's page is below it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from uebergang.core.templatetags.tables import escape

register = template.Library()


def _badge(kind: str, label: str) -> str:
    return (
        f' <span class="kern-badge kern-badge--{kind}"><span class="kern-label">{label}'
        "</span></span>"
    )


@register.simple_tag
def topic_rows(topics: list, base: str) -> SafeString:
    esc = escape
    confidential = _badge("info", esc(gettext("vertraulich")))
    paused = _badge("warning", esc(gettext("pausiert")))
    base = esc(base)
    out = []
    for t in topics:
        area = f'<br><span class="muted">{esc(t.topic_area_label)}</span>' if t.topic_area else ""
        outcome = f": {esc(t.outcome_label)}" if t.outcome else ""
        if t.round > 1:
            outcome += f" ({esc(gettext('Runde %(n)s') % {'n': t.round})})"
        out.append(
            '<tr class="kern-table__row">\n'
            f'    <td class="kern-table__cell"><a class="kern-link" href="{base}{t.public_id}/">'
            f"{esc(t.title)}</a>{area}{confidential if t.confidential else ''}</td>\n"
            f'    <td class="kern-table__cell">{esc(t.state_label)}'
            f"{outcome}{paused if t.paused_at else ''}</td>\n"
            f'    <td class="kern-table__cell">{esc(t.body.name)}</td>\n'
            f'    <td class="kern-table__cell">{date_format(t.state_since, "d.m.Y")}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _waits_with(r: Any) -> str:
    """The body a board row waits with; while working groups work on the topic, the first
    whose result is missing and how many more there are."""
    if r.state != "working" or not r.board_group:
        return r.body__name
    more = r.board_mandates - 1
    if more > 0:
        return ngettext(
            "%(body)s und %(n)s weiteres Arbeitsgremium",
            "%(body)s und %(n)s weitere Arbeitsgremien",
            more,
        ) % {"body": r.board_group, "n": more}
    return r.board_group


@register.simple_tag
def board_rows(rows: list, base: str) -> SafeString:
    """The office's board: one row per open topic (`selectors.BoardRow`)."""
    esc = escape
    paused = _badge("warning", esc(gettext("pausiert")))
    late = _badge("danger", esc(gettext("überfällig")))
    base = esc(base)
    out = []
    for r in rows:
        days = ngettext("%(n)s Tag", "%(n)s Tagen", r.days) % {"n": r.days}
        due = date_format(r.board_due, "d.m.Y") if r.board_due else "–"
        if r.past_due:
            due += " " + late
        todo = []
        if r.missing:
            todo.append(
                ngettext("%(n)s Stellungnahme fehlt", "%(n)s Stellungnahmen fehlen", r.missing)
                % {"n": r.missing}
            )
        if r.board_late:
            todo.append(
                ngettext(
                    "%(n)s Arbeitsauftrag überfällig",
                    "%(n)s Arbeitsaufträge überfällig",
                    r.board_late,
                )
                % {"n": r.board_late}
            )
        elif r.board_mandates:
            todo.append(
                ngettext(
                    "%(n)s Ergebnis ausstehend", "%(n)s Ergebnisse ausstehend", r.board_mandates
                )
                % {"n": r.board_mandates}
            )
        out.append(
            '<tr class="kern-table__row">\n'
            f'    <td class="kern-table__cell"><a class="kern-link" href="{base}{r.public_id}/">'
            f'{esc(r.title)}</a><br><span class="muted">{esc(r.state_label)}</span>'
            f"{paused if r.paused else ''}</td>\n"
            f'    <td class="kern-table__cell">{esc(_waits_with(r))}</td>\n'
            f'    <td class="kern-table__cell">{date_format(r.state_since, "d.m.Y")} '
            f"({esc(days)})</td>\n"
            f'    <td class="kern-table__cell">{due}</td>\n'
            f'    <td class="kern-table__cell">{esc(" · ".join(todo)) or "–"}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
