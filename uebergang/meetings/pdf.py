"""PDFs of a meeting's invitation and minutes, built with WeasyPrint from the same content
templates as the meeting page (`meetings/_agenda.html`, `meetings/_minutes_text.html`).

The minutes are written as PDF/A-3b for archiving (the invitation too: it costs nothing),
tagged (headings, lists, tables in a structure tree) for screen readers.
Fonts: KERN's Fira Sans from the static files (`make assets` copies them to
`uebergang/static/vendor/kern/`); WeasyPrint embeds every font it uses (a subset), which
PDF/A requires. Without the vendor files the default sans-serif font of the system is used
and embedded just the same.

These functions check no permission: the calling view or task decides who may have the PDF
(and asks for `public_only=True` for the information copies to constituency institutions).
The data is loaded by `selectors.meeting_detail`: a fixed number of queries, whatever the
number of agenda items.
"""

from __future__ import annotations

import atexit
import functools
import re
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uebergang.core.errors import DomainError
from uebergang.networks import selectors as network_selectors

from . import ics, selectors
from .models import Meeting, MinutesState, Reply

PDF_VARIANT = "pdf/a-3b"
FONT_CSS = "vendor/kern/fonts/fira-sans.css"
# Only the faces the PDFs use: each face WeasyPrint registers is a file it reads.
FONT_WEIGHTS = {"400", "700"}
PDF_LANGUAGE = "de"

_FACE = re.compile(r"@font-face\s*{[^}]*}", re.S)
_WEIGHT = re.compile(r"font-weight\s*:\s*(\d+)")
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


@functools.cache
def font_css() -> str:
    """The @font-face rules of KERN's Fira Sans (regular and bold, upright and italic) with
    absolute file URLs, or "" when the vendor files are missing. Looked up once per process."""
    found = finders.find(FONT_CSS)
    if not found:
        return ""
    path = Path(found)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    faces = []
    for face in _FACE.findall(text):
        weight = _WEIGHT.search(face)
        if weight is None or weight.group(1) not in FONT_WEIGHTS:
            continue
        url = _URL.search(face)
        if url is None:
            continue
        font_file = (path.parent / url.group(1)).resolve()
        if not font_file.is_file():
            continue
        faces.append(_URL.sub(lambda _m, f=font_file: f'url("{f.as_uri()}")', face))
    return "\n".join(faces)


_fonts = threading.local()
# Release the main thread's fonts while the interpreter is whole (WeasyPrint's clean-up of a
# font configuration fails noisily during the final teardown).
atexit.register(lambda: _fonts.__dict__.pop("setup", None))


def _font_setup() -> tuple[Any, list[Any]]:
    """WeasyPrint's font configuration with the @font-face rules registered, kept per thread
    (registering decompresses the WOFF2 files: about two seconds, once instead of every
    time; a FontConfiguration is not shared between threads)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    css = font_css()
    cached = getattr(_fonts, "setup", None)
    if cached is None or cached[0] != css:
        font_config = FontConfiguration()
        sheets = [CSS(string=css, font_config=font_config)] if css else []
        cached = _fonts.setup = (css, font_config, sheets)
    return cached[1], cached[2]


def _render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    font_config, stylesheets = _font_setup()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=stylesheets,
        font_config=font_config,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,  # tagged PDF (structure tree): readable with a screen reader
    )


def _load(meeting: Meeting, public_only: bool) -> selectors.MeetingDetail:
    meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)
    return selectors.meeting_detail(meeting=meeting, public_only=public_only)


def _frame(detail: selectors.MeetingDetail, title: str, *, draft: bool) -> dict:
    meeting = detail.meeting
    logo = network_selectors.logo_image(meeting.network)
    return {
        "meeting": meeting,
        "network": meeting.network,
        # the letterhead's logo, inside the PDF (a data: URI: WeasyPrint fetches nothing)
        "logo_uri": logo.data_uri if logo is not None else "",
        "document_title": title,
        "generated_at": timezone.localtime(),
        "draft": draft,
        # Translators: page footer of the PDFs: "Seite 2 von 5"
        "page_word": _("Seite"),
        "of_word": _("von"),
        "items": detail.items,
        "heading_level": 2,
    }


def invitation_pdf(meeting: Meeting, *, public_only: bool = False) -> bytes:
    """The invitation with agenda and list of documents; `public_only` leaves out the
    non-public agenda items and their documents."""
    with translation.override(PDF_LANGUAGE), timezone.override(settings.TIME_ZONE):
        detail = _load(meeting, public_only)
        meeting = detail.meeting
        shown = {item.pk for item in detail.items}
        documents = [
            d
            for d in detail.documents
            if d.agenda_item_id is None or (not public_only or d.agenda_item_id in shown)
        ]
        title = _("Einladung: %(title)s (%(body)s, %(day)s)") % {
            "title": meeting.title,
            "body": meeting.body.name,
            "day": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
        }
        context = _frame(detail, title, draft=False)
        context.update(
            {
                "public_only": public_only,
                "documents": documents,
                "reply_until": _reply_until(meeting),
                "meeting_url": ics.meeting_url(meeting, meeting.network.slug),
            }
        )
        return _render_pdf("meetings/pdf/invitation.html", context)


def minutes_pdf(meeting: Meeting, *, public_only: bool = False) -> bytes:
    """The minutes as PDF/A-3b: meeting data, who was present, quorum, the text per agenda
    item with decisions and tasks, approval and corrections; marked ENTWURF on every page
    until approved. `public_only` leaves out the non-public items and their entries."""
    with translation.override(PDF_LANGUAGE), timezone.override(settings.TIME_ZONE):
        detail = _load(meeting, public_only)
        meeting = detail.meeting
        if detail.minutes is None:
            raise DomainError(
                _("Für diese Sitzung gibt es noch kein Protokoll."), code="no_minutes"
            )
        shown = {item.pk for item in detail.items}
        title = _("Protokoll: %(title)s (%(body)s, %(day)s)") % {
            "title": meeting.title,
            "body": meeting.body.name,
            "day": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
        }
        context = _frame(detail, title, draft=detail.minutes.state != MinutesState.APPROVED)
        context.update(
            {
                "public_only": public_only,
                "minutes": detail.minutes,
                "entries": {k: v for k, v in detail.entries.items() if k in shown},
                "decisions": detail.decisions,
                "attendances": sorted(detail.attendances, key=_person_key),
                "quorum": detail.quorum,
                **_absent(detail),
                "chair": _chair(meeting),
            }
        )
        return _render_pdf("meetings/pdf/minutes.html", context)


def _reply_until(meeting: Meeting) -> Any:
    """The day the network asks for the answers by (setting "Antwortfrist"), or None."""
    import datetime

    from uebergang.core.netsettings import get_setting

    from .network_settings import REPLY_DEADLINE

    days = get_setting(meeting.network, REPLY_DEADLINE)
    return meeting.day - datetime.timedelta(days=days) if days else None


def _absent(detail: selectors.MeetingDetail) -> dict[str, list]:
    """The invitees who were not there: excused (they declined or sent their substitute)
    and absent (no answer, or they had said they would come)."""
    present = {a.person_id for a in detail.attendances}
    excused, absent = [], []
    for invitation in sorted(detail.invitations, key=lambda i: i.name.casefold()):
        if invitation.person_id in present:
            continue
        if invitation.reply in (Reply.DECLINE, Reply.SUBSTITUTE):
            excused.append(invitation)
        else:
            absent.append(invitation)
    return {"excused": excused, "absent": absent}


def _chair(meeting: Meeting) -> Any:
    """Who held the chair of the body on the meeting's day (for the signature line)."""
    from uebergang.bodies.models import Office, OfficeKind

    office = (
        Office.objects.valid_on(meeting.day)
        .filter(membership__body_id=meeting.body_id, kind=OfficeKind.CHAIR)
        .select_related("membership__person")
        .order_by("valid_from", "pk")
        .first()
    )
    return office.membership.person if office else None


def _person_key(attendance: Any) -> tuple[str, str]:
    person = attendance.person
    return (_ascii(person.last_name).casefold(), _ascii(person.first_name).casefold())


def file_name(meeting: Meeting, kind: str) -> str:
    """A download name such as `Protokoll-2026-11-26-Beirat.pdf` (ASCII, no spaces); `kind`
    is "invitation" or "minutes" (also "einladung", "protokoll")."""
    kinds = {"invitation": _("Einladung"), "minutes": _("Protokoll")}
    kinds |= {"einladung": kinds["invitation"], "protokoll": kinds["minutes"]}
    stem = kinds.get(kind.lower(), kind)
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    name = _ascii(re.sub(r"[\W_]+", "-", meeting.body.name))
    body = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40].strip("-")
    return f"{_ascii(stem)}-{day}-{body or 'Sitzung'}.pdf"


def _ascii(text: str) -> str:
    import unicodedata

    text = str(text)
    for a, b in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
        ("ß", "ss"),
    ):
        text = text.replace(a, b)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def document_pdf(meeting: Meeting, template: str, title: str, context: dict) -> bytes:
    """A PDF for `meeting` in the frame of the meeting PDFs (letterhead, logo, footer), for
    later apps that add a document of their own to a meeting (topics: the statements and
    the content handed over). `template` extends "meetings/pdf/base.html"."""
    meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)
    logo = network_selectors.logo_image(meeting.network)
    return _render_pdf(
        template,
        {
            "meeting": meeting,
            "network": meeting.network,
            "logo_uri": logo.data_uri if logo is not None else "",
            "document_title": title,
            "generated_at": timezone.localtime(),
            "draft": False,
            "page_word": _("Seite"),
            "of_word": _("von"),
            **context,
        },
    )
