"""Template helpers of the meetings app, shared by the HTML pages and the PDFs:

- `entries|get_item:item.id`: a dictionary lookup by a variable key (the minutes entry of an
  agenda item);
- `{% visible_corrections minutes items entries as corrections %}`: the recorded corrections
  of approved minutes that belong to the shown agenda items (or to the opening and closing),
  each with `section` (what was corrected) and `field_label` set; nothing of a non-public item
  leaks into a public copy;
- `{% agenda_items items h linked %}`: the items of `meetings/_agenda.html`'s list, written in
  one go (a meeting's agenda is the longest part of its first step; through the template's
  loop every item cost a hundred variable look-ups);
- `{% meeting_rows meetings %}`: the rows of the meeting list;
- `{% agenda_manage_rows items %}`, `{% document_manage_rows documents %}`: the rows of the
  office's tables on that step (edit, move and remove each item; remove each document).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from uebergang.core.reversing import fast_reverse
from uebergang.core.templatetags.tables import csrf_input, escape

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


@register.simple_tag(takes_context=True)
def agenda_items(context: Any, items: list, h: Any, linked: bool) -> SafeString:
    """The `<li>` of each agenda item (title, marker, presenter, documents, description),
    the same HTML as the loop it replaces; `h` is the level of each item's heading."""
    esc = escape
    not_public = esc(_("nicht öffentlich"))
    presenter_label, documents_label = esc(_("Berichterstattung")), esc(_("Unterlagen"))
    slug = context["request"].network.slug if linked else ""
    out = []
    for item in items:
        marker = "" if item.public else f' <span class="meetings-marker">({not_public})</span>'
        documents = item.documents.all()
        details = ""
        if item.presenter or documents:
            presenter = (
                f"<dt>{presenter_label}</dt><dd>{esc(item.presenter)}</dd>"
                if item.presenter
                else ""
            )
            docs = ""
            if documents:
                entries = []
                for d in documents:
                    if linked:
                        url = fast_reverse(
                            "meetings:document_download",
                            kwargs={"network": slug, "pid": d.public_id},
                        )
                        entries.append(
                            f'<li><a class="kern-link" href="{esc(url)}" download>'
                            f'{esc(d.title)}</a> <span class="muted">({esc(d.file_name)}, '
                            f"{esc(filesizeformat(d.size))})</span></li>"
                        )
                    else:
                        entries.append(f"<li>{esc(d.title)}</li>")
                docs = (
                    f'<dt>{documents_label}</dt><dd><ul class="kern-list">{"".join(entries)}'
                    "</ul></dd>"
                )
            details = (
                '\n      <dl class="meetings-agenda__details">\n'
                f"        {presenter}\n        {docs}\n      </dl>\n      "
            )
        description = (
            '<div class="meetings-agenda__description">'
            f"{linebreaks(item.description, autoescape=True)}</div>"
            if item.description
            else ""
        )
        out.append(
            f'\n    <li class="meetings-agenda__item" value="{esc(item.position)}">\n'
            f'      <h{esc(h)} class="meetings-agenda__title">{esc(item.number_label)} '
            f"{esc(item.title)}{marker}</h{esc(h)}>\n"
            f"      {details}\n      {description}\n    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _post_button(url: str, csrf: str, label: str, hidden: str) -> str:
    return (
        f'<form class="inline-form" method="post" action="{escape(url)}">{csrf}'
        '<button class="kern-btn kern-btn--tertiary kern-btn--x-small" type="submit">'
        f'<span class="kern-label">{label}<span class="kern-sr-only">: {hidden}</span></span>'
        "</button></form>"
    )


@register.simple_tag(takes_context=True)
def agenda_manage_rows(context: Any, items: list) -> SafeString:
    """The rows of the table "Tagesordnung bearbeiten" (meetings/meeting_detail.html)."""
    esc = escape
    slug = context["request"].network.slug
    csrf = csrf_input(context)
    yes, no, edit = esc(_("ja")), esc(_("nein")), esc(_("bearbeiten"))
    up, down, remove = esc(_("nach oben")), esc(_("nach unten")), esc(_("entfernen"))
    out = []
    last = len(items) - 1
    for i, item in enumerate(items):
        kwargs = {"network": slug, "pid": item.public_id}
        name = esc(item)
        edit_url = esc(fast_reverse("meetings:agenda_item_edit", kwargs=kwargs))
        move_up = (
            _post_button(fast_reverse("meetings:agenda_item_up", kwargs=kwargs), csrf, up, name)
            if i
            else ""
        )
        move_down = (
            _post_button(fast_reverse("meetings:agenda_item_down", kwargs=kwargs), csrf, down, name)
            if i < last
            else ""
        )
        delete = _post_button(
            fast_reverse("meetings:agenda_item_delete", kwargs=kwargs), csrf, remove, name
        )
        out.append(
            '<tr class="kern-table__row">\n'
            f'      <td class="kern-table__cell">{esc(item.position)}</td>\n'
            f'      <th class="kern-table__cell" scope="row">{esc(item.title)}</th>\n'
            f'      <td class="kern-table__cell">{yes if item.public else no}</td>\n'
            '      <td class="kern-table__cell"><div class="actions">\n'
            f'        <a class="kern-link" href="{edit_url}">{edit}'
            f'<span class="kern-sr-only">: {name}</span></a>\n'
            f"        {move_up}\n        {move_down}\n        {delete}\n"
            "      </div></td>\n"
            "    </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


@register.simple_tag(takes_context=True)
def document_manage_rows(context: Any, documents: list) -> SafeString:
    """The rows of the office's table of a meeting's documents (meetings/meeting_detail.html)."""
    esc = escape
    slug = context["request"].network.slug
    csrf = csrf_input(context)
    remove = esc(_("entfernen"))
    out = []
    for doc in documents:
        kwargs = {"network": slug, "pid": doc.public_id}
        title = esc(doc.title)
        item = esc(doc.agenda_item.position) if doc.agenda_item_id else "–"
        delete = _post_button(
            fast_reverse("meetings:document_remove", kwargs=kwargs), csrf, remove, title
        )
        out.append(
            '<tr class="kern-table__row">\n'
            '      <td class="kern-table__cell"><a class="kern-link" href="'
            f'{esc(fast_reverse("meetings:document_download", kwargs=kwargs))}" download>'
            f"{title}</a></td>\n"
            f'      <td class="kern-table__cell">{item}</td>\n'
            f'      <td class="kern-table__cell">{esc(doc.file_name)} '
            f"({esc(filesizeformat(doc.size))})</td>\n"
            f'      <td class="kern-table__cell">{delete}</td>\n'
            "    </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


@register.simple_tag(takes_context=True)
def meeting_rows(context: Any, meetings: list) -> SafeString:
    """The rows of the meeting list (meetings/meeting_list.html): day and time, the meeting
    as a link, its body, its state and its number of agenda items."""
    esc = escape
    slug = context["request"].network.slug
    out = []
    for m in meetings:
        url = fast_reverse("meetings:meeting_detail", kwargs={"network": slug, "pid": m.public_id})
        out.append(
            '<tr class="kern-table__row">\n'
            f'    <td class="kern-table__cell">{timezone.localtime(m.starts_at):%d.%m.%Y %H:%M}'
            "</td>\n"
            f'    <td class="kern-table__cell"><a class="kern-link" href="{esc(url)}">'
            f"{esc(m.title)}</a></td>\n"
            f'    <td class="kern-table__cell">{esc(m.body.name)}</td>\n'
            f'    <td class="kern-table__cell">{esc(m.state_label)}</td>\n'
            '    <td class="kern-table__cell kern-table__cell--numeric">'
            f"{esc(m.item_count)}</td>\n"
            "  </tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


_TASK_BADGE = {"done": "success", "dropped": "info", "in_progress": "info", "open": "warning"}
_LIGHT_BADGE = {"overdue": "danger", "at_risk": "warning"}
_OUTCOME_BADGE = {"adopted": "success", "rejected": "danger"}


def _badge(kind: str, label: Any) -> str:
    return (
        f'<span class="kern-badge kern-badge--{kind} kern-badge--small">'
        f'<span class="kern-label">{escape(label)}</span></span>'
    )


def task_badges_html(status: str, status_label: Any, light: str) -> str:
    """The status of a task and its traffic light as badges (meetings/_task_badges.html)."""
    from uebergang.meetings.models import TASK_LIGHT_LABELS

    out = _badge(_TASK_BADGE.get(status, "info"), status_label)
    if light:
        out += " " + _badge(_LIGHT_BADGE[light], TASK_LIGHT_LABELS[light])
    return out


@register.simple_tag(takes_context=True)
def follow_up_rows(context: Any, decisions: list, today: Any) -> SafeString:
    """The decisions of the follow-up list (meetings/follow_up_list.html, rows of
    `selectors.FollowUpRow`), each with its outcome, "vorläufig" until the minutes are
    approved, the meeting it was taken in, its wording and its tasks with status and
    traffic light."""
    from django.utils.text import Truncator

    from uebergang.core.models import choice_label
    from uebergang.meetings.models import TaskStatus, task_light
    from uebergang.meetings.selectors import task_row_owner

    slug = context["request"].network.slug
    provisional = _badge("info", _("vorläufig"))
    no_tasks = escape(_("Keine Aufgaben zu diesem Beschluss."))
    # one reverse per kind of address; the rows only put their id in
    marker = "00000000-0000-0000-0000-000000000000"
    minutes_at = fast_reverse("meetings:meeting_minutes", kwargs={"network": slug, "pid": marker})
    task_at = fast_reverse("meetings:task_detail", kwargs={"network": slug, "pid": marker})
    status_labels = {value: choice_label(TaskStatus, value) for value in TaskStatus.values}
    out = []
    for d in decisions:
        minutes_url = minutes_at.replace(marker, str(d.meeting_pid))
        day = timezone.localtime(d.meeting_starts)
        head = _badge(_OUTCOME_BADGE.get(d.outcome, "info"), d.outcome_label)
        if d.minutes_state != "approved":
            head += " " + provisional
        tasks = []
        for t in d.tasks:
            url = task_at.replace(marker, str(t.public_id))
            due = ", " + escape(_("bis %(day)s") % {"day": f"{t.due:%d.%m.%Y}"}) if t.due else ""
            badges = task_badges_html(
                t.status, status_labels.get(t.status, t.status), task_light(t.status, t.due, today)
            )
            tasks.append(
                f'<li><a class="kern-link" href="{escape(url)}">{escape(t.description)}</a>'
                f" – {escape(task_row_owner(t))}{due} {badges}</li>"
            )
        task_html = (
            f'<ul class="kern-list">{"".join(tasks)}</ul>'
            if tasks
            else f'<p class="kern-body muted">{no_tasks}</p>'
        )
        out.append(
            f'<li id="beschluss-{d.public_id}">'
            f'<h3 class="kern-heading-small">{escape(d.reference)} · {escape(d.body_name)}</h3>'
            f'<p class="kern-body">{head} <a class="kern-link" '
            f'href="{escape(minutes_url)}#beschluss-{d.public_id}">{day:%d.%m.%Y}: '
            f"{escape(d.item_title)}</a></p>"
            f'<p class="kern-body">{escape(Truncator(d.wording).words(40))}</p>'
            f"{task_html}</li>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)
