"""Template helpers of the meetings app, shared by the HTML pages and the PDFs:

- `entries|get_item:item.id`: a dictionary lookup by a variable key (the minutes entry of an
  agenda item);
- `{% visible_corrections minutes items entries as corrections %}`: the recorded corrections
  of approved minutes that belong to the shown agenda items (or to the opening and closing),
  each with `section` (what was corrected) and `field_label` set; nothing of a non-public item
  leaks into a public copy.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or None when the key is missing (or the mapping is None)."""
    if not mapping:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


def field_labels() -> dict[str, str]:
    return {
        "opening": _("Eröffnung und Formalien"),
        "closing": _("Sonstiges und Schluss"),
        "discussion": _("Beratung"),
        "decisions": _("Ergebnisse und Beschlüsse"),  # corrections before decision records
        "decision": _("Beschluss"),
    }


@register.simple_tag
def visible_corrections(minutes: Any, items: Any, entries: Any) -> list[Any]:
    """Corrections of the opening/closing and of the entries of the given agenda items, in
    the order they were made (uses the prefetched `minutes.corrections.all`: no query when
    `selectors.meeting_detail` loaded the minutes)."""
    if minutes is None:
        return []
    entries = entries or {}
    item_of_entry = {}
    items_by_id = {item.id: item for item in items or []}
    for item in items or []:
        entry = entries.get(item.id)
        if entry is not None:
            item_of_entry[entry.pk] = item
    labels = field_labels()
    shown = []
    for correction in minutes.corrections.all():
        if correction.decision_id is not None:
            decision = correction.decision
            item = items_by_id.get(decision.agenda_item_id) if decision else None
            if item is None:
                continue  # a decision on an agenda item not shown (non-public)
            correction.section = _("TOP %(number)s: %(title)s") % {
                "number": item.position,
                "title": item.title,
            }
            correction.field_label = _("Beschluss %(reference)s") % {
                "reference": decision.reference
            }
            shown.append(correction)
            continue
        if correction.entry_id is None:
            correction.section = labels.get(correction.field, correction.field)
        elif correction.entry_id in item_of_entry:
            item = item_of_entry[correction.entry_id]
            correction.section = _("TOP %(number)s: %(title)s") % {
                "number": item.position,
                "title": item.title,
            }
        else:
            continue  # an entry of an agenda item not shown (non-public)
        correction.field_label = labels.get(correction.field, correction.field)
        shown.append(correction)
    return shown
