"""Every error under /api/ is JSON in the documented shape (`ErrorOut`: code, message,
field_errors, details – all four keys, null where there is nothing): also for unknown
addresses, wrong methods, bodies that cannot be read, what Django refuses itself and internal
errors. And the inputs that used to answer 500: an explicit null in a PATCH, offsets, years,
versions and dates out of range."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from uebergang.accounts.services import api_token_create
from uebergang.core import api as core_api
from uebergang.meetings.tests.factories import make_body, make_meeting
from uebergang.networks import selectors
from uebergang.networks.models import ConstituencySeat, Partner, Person
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

BASE = "/api/v1/networks/osterode"
ERROR_KEYS = ["code", "message", "field_errors", "details"]
INVALID = "Die Eingabe ist ungültig."


class Api:
    """A script with a personal API token (CSRF is enforced, as for any client)."""

    def __init__(self, user: Any) -> None:
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='T')[1]}"}

    def get(self, path: str, **query: Any):
        return self.client.get(path, query, **self.headers)

    def send(self, method: str, path: str, body: Any, content_type: str = "application/json"):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, default=str)
        return getattr(self.client, method)(path, data, content_type=content_type, **self.headers)


@pytest.fixture
def api(coordinator) -> Api:
    return Api(coordinator)


def error(response, status: int) -> dict[str, Any]:
    """The error body, after checking status, JSON and that all four keys are there."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert list(body) == ERROR_KEYS, body
    assert isinstance(body["code"], str) and body["message"]
    return body


# --- the shape everywhere under /api/ ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gibt-es-nicht",
        "/api/v1/networks/osterode/partners/",  # a trailing slash
        "/api/v1/networks/osterode/partners/x/y/z",
        "/api/v2/networks",
        "/api/",
    ],
)
def test_an_unknown_address_under_api_is_a_json_404(api, network, path):
    # when an address that is not in the API is asked for
    response = api.get(path)
    # then 404 in the error format, not Django's HTML page
    assert error(response, 404) == {
        "code": "not_found",
        "message": "Diese Adresse gibt es in der API nicht.",
        "field_errors": None,
        "details": None,
    }


def test_an_unknown_address_outside_the_api_stays_an_html_page(client, db):
    # when a page that does not exist is asked for
    response = client.get("/gibt-es-nicht/")
    # then the web UI's answer (HTML), untouched
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(api, network):
    # when the list of partners is deleted (not an operation of the API)
    response = api.send("delete", f"{BASE}/partners", {})
    # then 405 in the error format, with Allow and the allowed methods in the details
    body = error(response, 405)
    assert body["code"] == "method_not_allowed"
    assert sorted(body["details"]["allowed"]) == ["GET", "POST"]
    assert sorted(m.strip() for m in response["Allow"].split(",")) == ["GET", "POST"]


def test_a_body_that_is_not_json_is_422(api, network):
    # when the body of a POST is not JSON
    response = api.send("post", f"{BASE}/partners", "name=Landkreis")
    # then 422 naming the whole body
    message = "Der Inhalt ist kein gültiges JSON."
    assert error(response, 422) == {
        "code": "invalid",
        "message": message,
        "field_errors": {"__all__": [message]},
        "details": None,
    }


@pytest.mark.parametrize("body", ['"Landkreis"', "[1, 2]", "null", "42", "true"])
def test_a_json_body_that_is_no_object_is_422(api, network, body):
    # when the body is JSON but not an object (a string was once read attribute by
    # attribute: str.title() became a title)
    before = Partner.objects.count()
    response = api.send("post", f"{BASE}/partners", body)
    # then 422 naming the whole body, nothing created
    assert error(response, 422) == {
        "code": "invalid",
        "message": "Die Eingabe ist ungültig.",
        "field_errors": {"__all__": ["Der Inhalt muss ein JSON-Objekt sein ({…})."]},
        "details": None,
    }
    assert Partner.objects.count() == before


def test_a_malformed_multipart_body_is_422(api, network, settings, tmp_path):
    # given a meeting
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(make_body(network))
    url = f"{BASE}/meetings/{meeting.public_id}/documents"
    # when the upload is multipart without a boundary, and with a broken one
    no_boundary = api.send("post", url, b"--x\r\n", content_type="multipart/form-data")
    broken = api.send(
        "post",
        url,
        b'--b\r\nContent-Disposition: form-data; name="file"\r\n',
        content_type="multipart/form-data; boundary=b",
    )
    # then 422 in the error format, and nothing stored
    for response in (no_boundary, broken):
        body = error(response, 422)
        assert body["code"] == "invalid"
    assert meeting.documents.count() == 0


def test_a_session_write_without_the_csrf_token_is_a_json_403(network, coordinator):
    # given the browser session, without the CSRF token
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(coordinator)
    # when it writes
    response = client.post(
        f"{BASE}/partners",
        json.dumps({"name": "IHK", "valid_from": "2014-01-01"}),
        content_type="application/json",
    )
    # then 403 in the error format
    assert error(response, 403) == {
        "code": "forbidden",
        "message": "Die Sitzung braucht das CSRF-Token (Kopfzeile X-CSRFToken).",
        "field_errors": None,
        "details": None,
    }
    assert not Partner.objects.exists()


def test_an_internal_error_is_a_json_500(api, network, monkeypatch):
    # given a read that fails inside
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(selectors, "person_list", broken)
    # when it is called
    response = api.get(f"{BASE}/people")
    # then 500 in the error format, without the internals
    body = error(response, 500)
    assert body["code"] == "server_error"
    assert "kaputt" not in response.content.decode()


def test_with_debug_an_internal_error_keeps_its_traceback_in_the_details(
    api, network, monkeypatch, settings
):
    # given a development server (DEBUG) and a read that fails inside
    settings.DEBUG = True

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(selectors, "person_list", broken)
    # when it is called
    response = api.get(f"{BASE}/people")
    # then still the error format, with the traceback for the developer
    body = error(response, 500)
    assert "RuntimeError: kaputt" in body["details"]["debug"]


def test_the_errors_the_api_raised_before_carry_all_keys(client, network):
    # when a request without a token is made
    response = client.get(f"{BASE}/partners")
    # then 401 with field_errors and details null
    assert error(response, 401) == {
        "code": "unauthenticated",
        "message": "Bitte melden Sie sich an oder senden Sie einen gültigen API-Schlüssel.",
        "field_errors": None,
        "details": None,
    }


# --- null in a PATCH ------------------------------------------------------------------------------


def test_null_clears_a_partners_texts_and_is_refused_for_its_name(api, network):
    # given a partner with a short name and a phone number
    partner = make_partner(network, "Landkreis Osterode am Harz", short_name="LK OHA", phone="1")
    url = f"{BASE}/partners/{partner.public_id}"
    # when the name is sent as null
    refused = api.send("patch", url, {"version": 1, "name": None})
    # then 422 naming it, nothing changed
    assert error(refused, 422)["field_errors"] == {"name": ["Bitte einen Text angeben."]}
    # when short name and phone are sent as null
    cleared = api.send("patch", url, {"version": 1, "short_name": None, "phone": None})
    # then they are cleared
    assert cleared.status_code == 200, cleared.content
    partner = Partner.objects.get(pk=partner.pk)
    assert (partner.name, partner.short_name, partner.phone) == (
        "Landkreis Osterode am Harz",
        "",
        "",
    )


@pytest.mark.parametrize("field", ["kind", "valid_from", "is_party"])
def test_null_is_refused_for_the_partners_kind_start_and_party(api, network, field):
    # given a partner
    partner = make_partner(network, "Landkreis Osterode am Harz")
    # when the field is sent as null
    response = api.send(
        "patch", f"{BASE}/partners/{partner.public_id}", {"version": 1, field: None}
    )
    # then 422 naming the field
    assert list(error(response, 422)["field_errors"]) == [field]
    assert Partner.objects.get(pk=partner.pk).version == 1


def test_null_clears_a_persons_organisation_and_texts_and_is_refused_for_the_names(api, network):
    # given a person of an organisation, with an e-mail address
    county = make_partner(network, "Landkreis Osterode am Harz")
    person = make_person(network, "Petra", "Pfiffig", organisation=county, email="p@example.org")
    url = f"{BASE}/people/{person.public_id}"
    # when the last name is null
    refused = api.send("patch", url, {"version": person.version, "last_name": None})
    # then 422
    assert list(error(refused, 422)["field_errors"]) == ["last_name"]
    # when organisation and e-mail are null
    version = Person.objects.get(pk=person.pk).version
    cleared = api.send("patch", url, {"version": version, "organisation": None, "email": None})
    # then both are cleared
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["organisation"], cleared.json()["email"]) == (None, "")


def test_null_clears_a_seats_description_and_is_refused_for_its_name(api, network):
    # given a constituency seat with a description
    seat = make_seat(network, "Allgemeinbildende Schulen", description="alle")
    url = f"{BASE}/seats/{seat.public_id}"
    # when
    refused = api.send("patch", url, {"version": 1, "name": None})
    cleared = api.send("patch", url, {"version": 1, "description": None})
    # then
    assert list(error(refused, 422)["field_errors"]) == ["name"]
    assert cleared.status_code == 200, cleared.content
    assert ConstituencySeat.objects.get(pk=seat.pk).description == ""


def test_null_clears_a_bodys_texts_and_minimum_and_is_refused_for_its_name_and_rule(api, network):
    # given a body with a topic area
    body = make_body(network, topic_area="Berufsorientierung")
    url = f"{BASE}/bodies/{body.public_id}"
    # when name, kind, rule or period are null
    for field in ("name", "kind", "quorum_rule", "invitation_period_days", "valid_from"):
        response = api.send("patch", url, {"version": 1, field: None})
        # then 422 naming the field
        assert list(error(response, 422)["field_errors"]) == [field]
    # when topic area and minimum are null
    cleared = api.send("patch", url, {"version": 1, "topic_area": None, "quorum_minimum": None})
    # then cleared
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["topic_area"], cleared.json()["quorum_minimum"]) == ("", None)


def test_null_in_a_meetings_patch_clears_the_place_and_is_refused_for_the_time(api, network):
    # given a meeting
    meeting = make_meeting(make_body(network))
    url = f"{BASE}/meetings/{meeting.public_id}"
    # when
    refused = api.send("patch", url, {"version": meeting.version, "starts_at": None})
    cleared = api.send("patch", url, {"version": meeting.version, "place": None})
    # then
    assert list(error(refused, 422)["field_errors"]) == ["starts_at"]
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["place"] == ""


def test_the_schema_says_which_patch_fields_may_be_null(client, db):
    # given the OpenAPI schema
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    partner = schemas["PartnerPatch"]["properties"]
    # then the name is optional and not nullable, the short name nullable
    assert partner["name"]["type"] == "string"
    assert "default" not in partner["name"]
    assert {"type": "null"} in partner["short_name"]["anyOf"]
    assert schemas["PartnerPatch"]["required"] == ["version"]


# --- numbers and dates out of range ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "limit", "offset"),
    [
        ({"offset": "99999999999999999999"}, 50, 1_000_000_000),
        ({"offset": "-1"}, 50, 0),
        ({"limit": "99999999999999999999"}, 200, 0),
        ({"limit": "-99999999999999999999"}, 1, 0),
    ],
)
def test_limit_and_offset_out_of_range_are_clamped(api, network, query, limit, offset):
    # given a partner
    make_partner(network, "Landkreis Osterode am Harz")
    # when the list is read with a huge or negative limit or offset
    response = api.get(f"{BASE}/partners", **query)
    # then 200, with the bounds applied
    assert response.status_code == 200, response.content
    page = response.json()
    assert (page["limit"], page["offset"]) == (limit, offset)


@pytest.mark.parametrize(
    "path",
    ["/people", "/meetings", "/network-days", "/participation", "/history"],
)
def test_every_paged_list_survives_a_huge_offset(api, network, path):
    # when a list is read far beyond its end
    response = api.get(BASE + path, offset="99999999999999999999")
    # then 200 and nothing
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


@pytest.mark.parametrize("year", ["-1", "0", "1899", "3000", "99999999999999999999"])
@pytest.mark.parametrize("path", ["/meetings", "/participation"])
def test_a_year_out_of_range_is_422(api, network, path, year):
    # when meetings or participation are asked for a year out of range
    response = api.get(BASE + path, year=year)
    # then 422 naming the year
    assert list(error(response, 422)["field_errors"]) == ["year"]


@pytest.mark.parametrize("as_of", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_date_out_of_range_is_422(api, network, as_of):
    # when a list is read as of a day out of range
    response = api.get(f"{BASE}/partners", as_of=as_of)
    # then 422 naming the date
    assert error(response, 422)["field_errors"] == {
        "as_of": ["Bitte ein Datum zwischen 1900 und 2999 angeben."]
    }


def test_a_time_out_of_range_is_422(api, network):
    # when a meeting is to start in the year 9999, an hour before the end of time in UTC
    body = make_body(network)
    response = api.send(
        "post",
        f"{BASE}/meetings",
        {
            "body": str(body.public_id),
            "title": "Sitzung",
            "starts_at": "9999-12-31T23:00:00-05:00",
            "ends_at": "9999-12-31T23:30:00-05:00",
        },
    )
    # then 422 naming both
    assert sorted(error(response, 422)["field_errors"]) == ["ends_at", "starts_at"]


@pytest.mark.parametrize("version", [-1, 2**31, 99999999999999999999])
def test_a_version_out_of_range_is_422(api, network, version):
    # given a partner
    partner = make_partner(network, "Landkreis Osterode am Harz")
    # when a PATCH sends a version no record can have
    response = api.send(
        "patch", f"{BASE}/partners/{partner.public_id}", {"version": version, "phone": "1"}
    )
    # then 422 naming the version
    assert list(error(response, 422)["field_errors"]) == ["version"]


def test_an_agenda_position_out_of_range_is_422(api, network):
    # given an agenda item
    meeting = make_meeting(make_body(network))
    item = meeting.agenda_items.first()
    # when it is moved to a position no agenda has
    response = api.send(
        "post", f"{BASE}/agenda-items/{item.public_id}/move", {"position": 99999999999999999999}
    )
    # then 422 naming the position
    assert list(error(response, 422)["field_errors"]) == ["position"]


def test_a_token_expiry_out_of_range_is_422(api, network):
    # when a token is to expire in the year 9999
    response = api.send(
        "post", "/api/v1/me/tokens", {"name": "Lang", "expires_at": "9999-12-31T23:00:00-05:00"}
    )
    # then 422
    assert list(error(response, 422)["field_errors"]) == ["expires_at"]


# --- layering -------------------------------------------------------------------------------------


def test_core_api_imports_no_domain_app():
    # given the imports of core.api
    source = Path(core_api.__file__).read_text()
    imported = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    # then none is of a domain app
    domain = ("uebergang.accounts", "uebergang.networks", "uebergang.bodies", "uebergang.meetings")
    assert [name for name in imported if name.startswith(domain)] == []


def test_the_token_authenticator_is_registered_by_the_accounts_app():
    # then the function core.api checks tokens with is the accounts app's
    from uebergang.accounts.services import api_token_authenticate

    assert core_api._token_authenticator is api_token_authenticate


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/partners", {"name": "IHK\x00", "valid_from": "2014-01-01"}),
        ("post", "/people", {"first_name": "A\x00", "last_name": "B"}),
        ("post", "/seats", {"name": "Schulen", "description": "\x00", "valid_from": "2014-01-01"}),
    ],
)
def test_a_text_with_a_nul_character_is_422(api, network, method, path, body):
    # when a text contains the NUL character (which PostgreSQL cannot store)
    response = api.send(method, BASE + path, body)
    # then 422 naming the field
    field = next(k for k, v in body.items() if "\x00" in v)
    assert error(response, 422)["field_errors"] == {
        field: ["Der Text darf kein NUL-Zeichen (\\u0000) enthalten."]
    }


def test_a_query_with_a_nul_character_is_422(api, network):
    # when a filter contains the NUL character
    response = api.get(f"{BASE}/partners", q="IHK\x00")
    # then 422 naming it
    assert list(error(response, 422)["field_errors"]) == ["q"]


def test_a_path_or_token_with_a_nul_character_is_404_or_401(api, network):
    # when the network's slug in the path contains NUL
    in_path = api.client.get("/api/v1/networks/oster%00ode/partners", **api.headers)
    # and when a token contains NUL
    in_token = api.client.get(f"{BASE}/partners", HTTP_AUTHORIZATION="Bearer ueb_ab\x00cd_x")
    # then 404 and 401, in the error format
    assert error(in_path, 404)["code"] == "not_found"
    assert error(in_token, 401)["code"] == "unauthenticated"


def test_an_upload_with_a_nul_character_in_the_title_or_file_name_is_422(
    api, network, settings, tmp_path
):
    # given a meeting
    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(make_body(network))
    url = f"{BASE}/meetings/{meeting.public_id}/documents"
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"

    def multipart(title: str, file_name: str) -> bytes:
        return (
            b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            + title.encode()
            + b'\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="'
            + file_name.encode()
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + pdf
            + b"\r\n--b--\r\n"
        )

    # when the title, or the file name, contains NUL
    responses = [
        api.send("post", url, multipart(title, name), "multipart/form-data; boundary=b")
        for title, name in (("Vor\x00lage", "vorlage.pdf"), ("Vorlage", "vor\x00lage.pdf"))
    ]
    # then 422 (or the file name is cleaned) – never 500
    assert error(responses[0], 422)["field_errors"] == {
        "title": ["Der Text darf kein NUL-Zeichen (\\u0000) enthalten."]
    }
    assert responses[1].status_code in (201, 422), responses[1].content
    if responses[1].status_code == 201:
        assert "\x00" not in responses[1].json()["file_name"]


def test_a_text_with_a_lone_surrogate_is_422(api, network):
    # when a JSON text contains half of a UTF-16 surrogate pair (not a character)
    response = api.send(
        "post", f"{BASE}/partners", '{"name": "IHK \\ud800", "valid_from": "2014-01-01"}'
    )
    # then 422 naming the field
    assert list(error(response, 422)["field_errors"]) == ["name"]
    assert not Partner.objects.exists()
