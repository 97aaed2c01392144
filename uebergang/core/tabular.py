"""Tables for Excel and LibreOffice: one `Table` (a title, German column headers, rows of
plain values) written as CSV or as XLSX, and the download response for either.

CSV is what German Excel opens with a double click: UTF-8 with a byte order mark (else
umlauts break), `;` between fields (the comma is the decimal sign), CRLF line ends. XLSX is
written with openpyxl: the format is a zipped set of XML parts with styles and shared
strings, which is a library's job, not ours; it keeps real dates (shown as TT.MM.JJJJ),
numbers and a bold, frozen header row with filters.

Values: `None` is empty, `True`/`False` are "ja"/"nein", dates are German dates
(`31.12.2026`), aware datetimes are local time (`31.12.2026 16:00`), numbers stay numbers.

Control characters that XML cannot hold (pasted from elsewhere) are left out of XLSX cells.

Formula injection: a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by a spreadsheet (OWASP "CSV injection"). In CSV such a text gets
a leading apostrophe (`'=SUMME(A1)`), which Excel and LibreOffice show as text. In XLSX the
cell is stored as text, never as a formula, and carries Excel's quote prefix (the
apostrophe Excel itself sets when one types `'=…`): it shows as written ("+49 5522 …")
and stays text when edited.

Nothing here reads the database or checks a permission: the callers' selectors do."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)

CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d.%m.%Y"
DATETIME_FORMAT = "%d.%m.%Y %H:%M"
XLSX_DATE_FORMAT = "DD.MM.YYYY"
XLSX_DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


@dataclass
class Table:
    """What a download holds: `title` names the sheet, `headers` the columns (German,
    translated), `rows` the values in the same order."""

    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_START)


def neutralise(text: str) -> str:
    """The text with a leading apostrophe if a spreadsheet would read it as a formula."""
    return "'" + text if is_dangerous(text) else text


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def cell_text(value: Any) -> str:
    """A value as CSV text: German dates, "ja"/"nein", neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM, `;`-separated, every field quoted only where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in table.headers])
    for row in table.rows:
        writer.writerow([cell_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of `[]:*?/\\` in a sheet's name."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'")[:31].strip()
    return cleaned or "Tabelle"


def to_xlsx(table: Table) -> bytes:
    """One sheet: bold frozen header row with filters, dates as dates, text never a
    formula, columns about as wide as their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.title)
    widths = [len(str(h)) for h in table.headers]
    bold = Font(bold=True)
    for col, header in enumerate(table.headers, start=1):
        _set_text(sheet.cell(row=1, column=col), str(header)).font = bold
    for r, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            shown = _set_value(cell, value)
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], min(len(shown), 60))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width + 2
    sheet.freeze_panes = "A2"
    if table.headers:
        sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _set_text(cell: Any, text: str) -> Any:
    # XML 1.0 has no place for most control characters (openpyxl refuses them): a text
    # pasted with one still exports, without it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    if is_dangerous(text):
        cell.quotePrefix = True
    return cell


def _set_value(cell: Any, value: Any) -> str:
    """Write `value` into the cell with its type; return roughly what is shown (width)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = _("ja") if value else _("nein")
        _set_text(cell, text)
        return text
    if isinstance(value, datetime.datetime):
        local = _local(value)
        cell.value = local.replace(tzinfo=None)
        cell.number_format = XLSX_DATETIME_FORMAT
        return local.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = XLSX_DATE_FORMAT
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int | float):
        cell.value = value
        return str(value)
    text = str(value)
    _set_text(cell, text)
    return text


def render(table: Table, fmt: str) -> bytes:
    if fmt == CSV:
        return to_csv(table)
    if fmt == XLSX:
        return to_xlsx(table)
    raise ValueError(f"unknown format {fmt!r}")


def file_name(stem: str, fmt: str, day: datetime.date | None = None) -> str:
    """`Partner-2026-12-01.xlsx`: ASCII, no spaces (umlauts spelt out)."""
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        stem = stem.replace(a, b)
    stem = stem.replace("ß", "ss")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")[:60].strip("-") or "Export"
    day = day or timezone.localdate()
    return f"{stem}-{day:%Y-%m-%d}.{fmt}"


def download_paths(route: str, view: Any, name: str) -> list[Any]:
    """`route.csv` and `route.xlsx` for one download view (it gets `fmt`), named
    `name_csv` and `name_xlsx`: fixed suffixes, so no URL parameter to fill."""
    from django.urls import path

    return [path(f"{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in FORMATS]


def response(
    table: Table, fmt: str, stem: str, *, day: datetime.date | None = None
) -> HttpResponse:
    """The file as a download, named by `stem` and `day` (default today); never cached (the
    content depends on who asks)."""
    data = render(table, fmt)
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{file_name(stem, fmt, day)}"'
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


# --- in the JSON API --------------------------------------------------------------------------

# The `format` of a download route (`?format=xlsx`, the default, or `?format=csv`).
API_FORMATS = ("xlsx", "csv")


def api_download_openapi(what: str) -> dict:
    """The OpenAPI description of a download route's 200 answer: the file, as XLSX or CSV."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": f"{what} als Datei (Anhang): XLSX oder CSV (UTF-8 mit BOM, `;`)",
                "content": {CONTENT_TYPES[XLSX]: binary, "text/csv": binary},
            }
        }
    }
