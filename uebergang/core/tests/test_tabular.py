"""CSV and XLSX downloads: German Excel opens the CSV (BOM, `;`), dates are German dates,
XLSX keeps real dates and numbers, and no cell is ever a formula."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest

from uebergang.core import tabular

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DANGEROUS = ["=SUMME(A1:A9)", "+49 5522 1234", "-1+1", "@cmd", "\tTab", "\rWagenrücklauf"]


def table(*rows):
    return tabular.Table(
        title="Partner",
        headers=["Name", "seit", "Anzahl", "aktiv", "zuletzt"],
        rows=list(rows),
    )


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_csv_is_utf8_with_bom_semicolons_and_german_values():
    data = tabular.to_csv(
        table(
            ["Jugendwerkstatt Süd; Außenstelle", datetime.date(2013, 5, 29), 3, True, None],
            [
                "IHK",
                None,
                0,
                False,
                datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC),
            ],
        )
    )

    assert data.startswith(b"\xef\xbb\xbfName;seit;Anzahl;aktiv;zuletzt\r\n")
    assert read_csv(data) == [
        ["Name", "seit", "Anzahl", "aktiv", "zuletzt"],
        ["Jugendwerkstatt Süd; Außenstelle", "29.05.2013", "3", "ja", ""],
        ["IHK", "", "0", "nein", "01.12.2026 16:00"],
    ]


def test_xlsx_keeps_dates_numbers_and_a_bold_frozen_header():
    data = tabular.to_xlsx(
        table(
            ["Agentur für Arbeit", datetime.date(2013, 5, 29), 3, True, None],
            ["IHK", None, 0, False, datetime.datetime(2026, 12, 1, 16, 30, tzinfo=BERLIN)],
        )
    )
    sheet = read_xlsx(data)

    assert sheet.title == "Partner"
    assert [c.value for c in sheet[1]] == ["Name", "seit", "Anzahl", "aktiv", "zuletzt"]
    assert sheet["A1"].font.bold is True
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert [c.value for c in sheet[2]] == [
        "Agentur für Arbeit",
        datetime.datetime(2013, 5, 29, 0, 0),
        3,
        "ja",
        None,
    ]
    assert sheet["B2"].number_format == "DD.MM.YYYY"
    assert sheet["E3"].value == datetime.datetime(2026, 12, 1, 16, 30)
    assert sheet["E3"].number_format == "DD.MM.YYYY HH:MM"


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_what_a_spreadsheet_would_run(text):
    rows = read_csv(tabular.to_csv(table([text, None, 1, True, None])))

    assert rows[1][0] == "'" + text


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_stores_such_text_as_text_with_the_quote_prefix(text):
    sheet = read_xlsx(tabular.to_xlsx(table([text, None, 1, True, None])))

    assert sheet["A2"].value == text.replace("\r", "\n")  # XML reads a lone CR as LF
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix is True


def test_harmless_text_and_headers_are_left_alone():
    data = tabular.to_xlsx(
        tabular.Table(title="a/b:c[1]", headers=["=Kopf", "B"], rows=[["Schule 1-2", "x"]])
    )
    sheet = read_xlsx(data)

    assert sheet.title == "a b c 1"
    assert sheet["A1"].value == "=Kopf"
    assert sheet["A1"].data_type == "s"
    assert sheet["A2"].value == "Schule 1-2"
    assert sheet["A2"].quotePrefix is False
    assert read_csv(tabular.to_csv(tabular.Table("x", ["=Kopf"], [["Schule 1-2"]]))) == [
        ["'=Kopf"],
        ["Schule 1-2"],
    ]


def test_no_formula_reaches_the_xlsx_file():
    data = tabular.to_xlsx(table(*[[t, None, 1, True, t] for t in DANGEROUS]))

    with io.BytesIO(data) as raw:
        import zipfile

        sheet_xml = zipfile.ZipFile(raw).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_download_response(settings):
    response = tabular.response(table(["IHK", None, 1, True, None]), "xlsx", "Partner Übersicht")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="Partner-Uebersicht-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response["Cache-Control"] == "private, no-store"
    assert tabular.file_name("Anmeldungen Straße", "csv", datetime.date(2026, 12, 1)) == (
        "Anmeldungen-Strasse-2026-12-01.csv"
    )
    with pytest.raises(ValueError):
        tabular.render(table(), "ods")


def test_xlsx_leaves_out_control_characters_xml_cannot_hold():
    table = tabular.Table(title="T", headers=["Name"], rows=[["Anna\x00\x07 Alt\x1b"]])
    sheet = openpyxl.load_workbook(io.BytesIO(tabular.to_xlsx(table))).active
    assert sheet["A2"].value == "Anna Alt"
