"""The printable attendance list (Anwesenheitsliste) of a meeting: the people invited from
the body – members, their substitutes, guest experts, moderation – each with a field to
sign, and empty rows for others present. Built with WeasyPrint like the invitation and the
minutes (`meetings.pdf`: same frame, fonts, PDF/A-3b, tagged). Who may have it is asked by
`exports.attendance_sheet` (the coordination office)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from uebergang.core.models import Network

from . import exports
from .models import Meeting
from .pdf import PDF_LANGUAGE, _render_pdf, file_name

BLANK_ROWS = 5


def attendance_list_pdf(*, actor: Any, network: Network, meeting: Meeting) -> bytes:
    with translation.override(PDF_LANGUAGE), timezone.override(settings.TIME_ZONE):
        meeting = Meeting.objects.select_related("body", "network").get(pk=meeting.pk)
        sheet = exports.attendance_sheet(actor=actor, network=network, meeting=meeting)
        title = _("Anwesenheitsliste: %(title)s (%(body)s, %(day)s)") % {
            "title": meeting.title,
            "body": meeting.body.name,
            "day": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
        }
        context = {
            "meeting": meeting,
            "network": meeting.network,
            "document_title": title,
            "generated_at": timezone.localtime(),
            "draft": False,
            "page_word": _("Seite"),
            "of_word": _("von"),
            "groups": sheet["groups"],
            "blank_rows": range(BLANK_ROWS),
        }
        return _render_pdf("meetings/pdf/attendance.html", context)


def attendance_file_name(meeting: Meeting) -> str:
    return file_name(meeting, _("Anwesenheitsliste"))
