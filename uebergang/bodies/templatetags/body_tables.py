"""`{% seat_rows d.seats slug can_manage %}`: the rows of the body page's seats table (see
`seat_rows`).

`{% membership_rows memberships person_list %}`: the body rows of the body page's table
"Wer saß wann im Gremium" (bodies/body_detail.html), written in one go. The table lists
every membership the body ever had and grows with the years; through the template's loop
each row cost a dozen variable look-ups. `person_list` is the people list's URL (the
`nav` of the page), each person's page is below it."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from uebergang.core.navigation import record_url
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


@register.simple_tag
def seat_rows(rows: list, slug: str, can_manage: bool) -> SafeString:
    """The body rows of the body page's table "Sitze und Mitglieder": per seat its member,
    the substitutes and its vote, for the coordination office with the links to end a
    membership or the seat. Written in one go like `membership_rows`: the template's nested
    loops cost a dozen look-ups per person."""
    esc = escape
    end = esc(gettext("beenden"))
    collective = esc(gettext("Sammelvertretung"))
    vacant = esc(gettext("unbesetzt"))
    votes, advises = esc(gettext("ja")), esc(gettext("beratend"))
    end_seat = esc(gettext("Sitz beenden"))

    def people(memberships: list, empty: str) -> str:
        if not memberships:
            return empty
        parts = []
        for m in memberships:
            name = esc(m.person)
            if can_manage and not m.valid_to:
                href = esc(record_url("bodies:membership_end", slug, m.public_id))
                parts.append(
                    f'{name} · <a class="kern-link" href="{href}">{end}'
                    f'<span class="kern-sr-only">: {name}</span></a>'
                )
            else:
                parts.append(name)
        return "<br>".join(parts)

    nobody = f'<span class="muted">{vacant}</span>'
    out = []
    for row in rows:
        seat = row.seat
        if seat.partner_id:
            name = esc(seat.partner.name)
        else:
            name = (
                f"{esc(seat.constituency_seat.name)} "
                '<span class="kern-badge kern-badge--info kern-badge--small">'
                f'<span class="kern-label">{collective}</span></span>'
            )
        actions = ""
        if can_manage:
            link = ""
            if not seat.valid_to:
                href = esc(record_url("bodies:seat_end", slug, seat.public_id))
                link = (
                    f'<a class="kern-link" href="{href}">{end_seat}'
                    f'<span class="kern-sr-only">: {esc(seat)}</span></a>'
                )
            actions = f'<td class="kern-table__cell">{link}</td>'
        out.append(
            '<tr class="kern-table__row">\n'
            f'      <th class="kern-table__cell" scope="row">{name}</th>\n'
            f'      <td class="kern-table__cell">'
            f"{people(row.members, nobody)}</td>\n"
            f'      <td class="kern-table__cell">{people(row.substitutes, "–")}</td>\n'
            f'      <td class="kern-table__cell">{votes if seat.voting else advises}</td>\n'
            f"      {actions}\n"
            "    </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
