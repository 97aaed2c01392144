"""Taking it to Excel and paper in a real browser: the coordination office downloads the
partner list as an Excel file, then on a meeting's page the invitees as CSV and the
attendance list to sign as PDF, and opens each file. Every page visited is checked with
axe-core (`assert_accessible`)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from pypdf import PdfReader

from uebergang.meetings.tests.factories import make_board, make_invited_meeting

pytestmark = pytest.mark.browser


def downloaded(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def test_office_takes_partners_and_a_meeting_to_excel_and_paper(
    page, live_server, coordinator, network, sign_in, assert_accessible
):
    # given: the advisory board with its people, invited to a meeting
    board = make_board(network)
    meeting = make_invited_meeting(board, title="Sitzung des Beirats")
    sign_in(page, "koordination@example.org")

    # The partner list: download it as an Excel file.
    page.goto(f"{live_server.url}/n/osterode/partner/")
    assert_accessible(page)
    name, data = downloaded(page, page.get_by_role("link", name="Als Excel-Datei (XLSX)"))
    assert name.startswith("Partner-") and name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Name"
    names = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert "Industrie- und Handelskammer Osterode" in names
    assert "Agentur für Arbeit Göttingen" in names

    # The meeting's step "Einladung und Antworten": the invitees as CSV for German Excel.
    page.goto(f"{live_server.url}/n/osterode/sitzungen/{meeting.public_id}/")
    page.get_by_role("navigation", name="Abschnitte der Sitzung").get_by_role(
        "link", name="Einladung und Antworten"
    ).click()
    assert_accessible(page)
    name, data = downloaded(page, page.get_by_role("link", name="Als CSV"))
    assert name == f"Eingeladene-Beirat-{meeting.day:%Y-%m-%d}.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    anna = next(r for r in rows if r["Empfänger/in"] == "Anna Alt")
    assert (anna["E-Mail"], anna["Antwort"]) == ("anna.alt@example.org", "keine Antwort")

    # …and the attendance list to print.
    link = page.get_by_role("link", name="Anwesenheitsliste zum Unterschreiben (PDF)")
    name, data = downloaded(page, link)
    assert name == f"Anwesenheitsliste-{meeting.day:%Y-%m-%d}-Beirat.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Anna Alt" in text
    assert "Unterschrift" in text
