"""`{% membership_rows memberships person_list %}`: the body rows of the body page's table
"Wer saß wann im Gremium" (bodies/body_detail.html), written in one go. The table lists
every membership the body ever had and grows with the years; through the template's loop
each row cost a dozen variable look-ups. `person_list` is the people list's URL (the
`nav` of the page), each person's page is below it."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from uebergang.core.templatetags.tables import escape

register = template.Library()


@register.simple_tag
def membership_rows(memberships: list, person_list: str) -> SafeString:
    esc = escape
    today = gettext("heute")
    for_ = gettext("für")
    base = esc(person_list)
    out = []
    for m in memberships:
        role = esc(m.role_label)
        if m.substitute_for_id:
            role += f" ({esc(for_)} {esc(m.substitute_for.person)})"
        for o in m.offices.all():
            role += f"<br>{esc(o.kind_label)} {esc(o.period_text(today))}"
        seat = esc(m.seat) if m.seat_id else "–"
        out.append(
            '<tr class="kern-table__row">\n'
            f'      <td class="kern-table__cell"><a class="kern-link" href="{base}'
            f'{m.person.public_id}/">{esc(m.person)}</a></td>\n'
            f'      <td class="kern-table__cell">{role}</td>\n'
            f'      <td class="kern-table__cell">{seat}</td>\n'
            f'      <td class="kern-table__cell">{esc(m.period_text(today))}'
            "</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
