"""The Excel downloads in the JSON API (`…/download?format=xlsx|csv`): the same tables as the
pages' links (`*/exports.py`), for the same people: partners and people for every member
(with what they may see), a meeting's invitees and participation for the coordination
office only, registrations of a network day as on its page. Bad input gets the documented
error shape."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client

from uebergang.accounts.services import api_token_create
from uebergang.meetings.tests.factories import make_board, make_invited_meeting, make_network_day

BASE = "/api/v1/networks/osterode"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def api(user):
    _token, secret = api_token_create(actor=user, name="Tests")
    client = Client(raise_request_exception=False)
    return lambda path, **q: client.get(BASE + path, q, HTTP_AUTHORIZATION=f"Bearer {secret}")


def xlsx_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def world(network):
    board = make_board(network)
    meeting = make_invited_meeting(board)
    day = make_network_day(network)
    return board, meeting, day


def paths(world) -> dict[str, str]:
    _board, meeting, day = world
    return {
        "partners": "/partners/download",
        "people": "/memberships/download",
        "invitees": f"/meetings/{meeting.public_id}/invitees/download",
        "registrations": f"/network-days/{day.public_id}/registrations/download",
        "participation": "/participation/download",
    }


@pytest.mark.parametrize(
    "name", ["partners", "people", "invitees", "registrations", "participation"]
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_office_downloads_each_table_as_xlsx_and_csv(world, coordinator, name, fmt):
    get = api(coordinator)
    response = get(paths(world)[name], format=fmt)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(XLSX if fmt == "xlsx" else "text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    rows = xlsx_rows(response) if fmt == "xlsx" else csv_rows(response)
    if name == "invitees":
        assert "Anna Alt" in {r["Empfänger/in"] for r in rows}
    if name == "partners":
        assert "Industrie- und Handelskammer Osterode" in {r["Name"] for r in rows}


def test_the_default_format_is_xlsx(world, coordinator):
    response = api(coordinator)("/partners/download")
    assert response["Content-Type"] == XLSX


def test_a_member_gets_what_the_pages_give_and_is_refused_the_rest(world, member):
    get = api(member)
    p = paths(world)
    assert get(p["partners"]).status_code == 200
    assert get(p["people"]).status_code == 200
    assert get(p["registrations"]).status_code == 200
    for office_only in ("invitees", "participation"):
        response = get(p[office_only])
        assert response.status_code == 403
        assert set(response.json()) == {"code", "message", "field_errors", "details"}


def test_people_for_a_member_carry_no_addresses(world, member):
    rows = xlsx_rows(api(member)("/memberships/download"))
    assert rows and not any("@" in str(v) for r in rows for v in r.values() if v)


@pytest.mark.parametrize(
    ("path_name", "query"),
    [
        ("partners", {"format": "pdf"}),
        ("partners", {"as_of": "gestern"}),
        ("participation", {"year": "1200"}),
        ("invitees", {"format": ""}),
    ],
)
def test_bad_input_gets_422_in_the_documented_shape(world, coordinator, path_name, query):
    response = api(coordinator)(paths(world)[path_name], **query)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "field_errors", "details"}


def test_unknown_records_and_other_networks_are_refused(world, coordinator, outsider):
    get = api(coordinator)
    missing = get("/meetings/00000000-0000-0000-0000-000000000000/invitees/download")
    assert missing.status_code == 404 and "message" in missing.json()
    other = api(outsider)
    for path in paths(world).values():
        assert other(path).status_code in (403, 404)


def test_without_a_key_the_answer_is_401(world):
    response = Client().get(BASE + "/partners/download")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
