"""The JSON API of the network registry, endpoint by endpoint, as the coordination office
with a personal API token (`Authorization: Bearer …`): what each answers, what it changes,
what it records in the history, and how it refuses bad input (422 with a German message that
names the field), stale versions (409 with the current state) and records of another network.
The permission matrix of every route is in `uebergang/core/tests/test_api_routes.py`."""

from __future__ import annotations

import datetime
import json
from typing import Any
from unittest.mock import ANY

import pytest
from django.test import Client

from uebergang.accounts.services import api_token_create
from uebergang.core.models import HistoryEvent, Network
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    PartnerName,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

from .factories import make_partner, make_person, make_seat, person_for, row_counts

D = datetime.date
SIGNED = D(2013, 5, 29)
MERGER = D(2016, 11, 1)
BASE = "/api/v1/networks/osterode"
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
STALE = (
    "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
    "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
)
INVALID = "Die Eingabe ist ungültig."
MISSING = "Dieses Feld fehlt."
BAD_DATE = "Bitte ein Datum im Format JJJJ-MM-TT angeben."


class Api:
    """A client that signs every request with the user's personal API token."""

    def __init__(self, user: Any) -> None:
        _token, secret = api_token_create(actor=user, name="Tests")
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)  # as a script
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, **query: Any):
        return self.client.get(BASE + path, query, **self.headers)

    def post(self, path: str, body: Any):
        return self.client.post(
            BASE + path, _json(body), content_type="application/json", **self.headers
        )

    def patch(self, path: str, body: Any):
        return self.client.patch(
            BASE + path, _json(body), content_type="application/json", **self.headers
        )


def _json(body: Any) -> str:
    return body if isinstance(body, str) else json.dumps(body, default=str)


@pytest.fixture
def api(coordinator) -> Api:
    return Api(coordinator)


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


def history_count() -> int:
    return HistoryEvent.objects.count()


def names(response) -> list[str]:
    data = response.json()
    return [item["name"] for item in (data["items"] if isinstance(data, dict) else data)]


def partner_out(partner: Partner, **over: Any) -> dict[str, Any]:
    """The API's view of a partner as stored (name as today)."""
    partner = reload(partner)
    return {
        "id": str(partner.public_id),
        "name": partner.name,
        "current_name": partner.name,
        "short_name": partner.short_name,
        "kind": partner.kind,
        "kind_label": str(partner.kind_label),
        "is_party": partner.is_party,
        "description": partner.description,
        "address": partner.address,
        "email": partner.email,
        "phone": partner.phone,
        "website": partner.website,
        "valid_from": partner.valid_from.isoformat(),
        "valid_to": partner.valid_to.isoformat() if partner.valid_to else None,
        "end_reason": partner.end_reason,
        "end_note": partner.end_note,
        "version": partner.version,
        "created": ANY,
        "modified": ANY,
        **over,
    }


@pytest.fixture
def county(network):
    return make_partner(network, "Landkreis Osterode am Harz", kind="county", short_name="LK OHA")


@pytest.fixture
def school(network):
    return make_partner(network, "BBS II Osterode", kind="school_vocational", is_party=False)


@pytest.fixture
def petra(network, county):
    return make_person(
        network,
        "Petra",
        "Pauli",
        organisation=county,
        function="Fachdienstleitung Jugend",
        email="petra.pauli@example.org",
    )


@pytest.fixture
def seat(network):
    return make_seat(network, "Allgemeinbildende Schulen", description="alle Oberschulen")


@pytest.fixture
def elsewhere(other_network):
    """Records of network B, to be refused as references in network A."""
    return {
        "partner": make_partner(other_network, "Landkreis Anderswo"),
        "person": make_person(other_network, "Otto", "Anderswo"),
    }


# --- the network -------------------------------------------------------------------------------


def test_network_get(api, network):
    # when
    response = api.get("")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "slug": "osterode",
        "name": "Übergang Schule–Beruf Osterode am Harz",
        "name_on": "Übergang Schule–Beruf Osterode am Harz",
        "region": "Landkreis Osterode am Harz",
        "description": "",
        "coordination_office": "Koordinierungsstelle Bildung-Beruf",
        "email": "",
        "valid_from": "2013-05-29",
        "valid_to": None,
        "version": 1,
        "names": [
            {
                "name": "Übergang Schule–Beruf Osterode am Harz",
                "valid_from": "2013-05-29",
                "valid_to": None,
            }
        ],
    }


def test_network_get_as_of_reads_the_name_of_that_day(api, network):
    # given the network renamed with the county merger
    services.network_rename(
        actor=SYSTEM, network=network, name="Übergang Schule–Beruf Göttingen", valid_from=MERGER
    )
    # when
    before = api.get("", as_of="2016-10-31").json()
    after = api.get("", as_of="2017-01-01").json()
    # then
    assert (before["name_on"], before["name"]) == (
        "Übergang Schule–Beruf Osterode am Harz",
        "Übergang Schule–Beruf Göttingen",
    )
    assert (after["name_on"], after["name"]) == (
        "Übergang Schule–Beruf Göttingen",
        "Übergang Schule–Beruf Göttingen",
    )
    assert after["version"] == 2
    assert after["names"] == [
        {
            "name": "Übergang Schule–Beruf Osterode am Harz",
            "valid_from": "2013-05-29",
            "valid_to": "2016-10-31",
        },
        {"name": "Übergang Schule–Beruf Göttingen", "valid_from": "2016-11-01", "valid_to": None},
    ]


def test_network_get_with_a_bad_as_of_is_422(api, network):
    # when
    response = api.get("", as_of="31.10.2016")
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": INVALID,
        "field_errors": {"as_of": [BAD_DATE]},
        "details": None,
    }


def test_an_unknown_network_is_404(api, network):
    # when
    response = api.client.get("/api/v1/networks/gibt-es-nicht/partners", **api.headers)
    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Dieses Netzwerk gibt es nicht.",
        "field_errors": None,
        "details": None,
    }


# --- partners: create, read, correct -----------------------------------------------------------


def test_partner_create(api, network, coordinator):
    # given
    body = {
        "name": "Handwerkskammer Hildesheim-Südniedersachsen",
        "kind": "chamber",
        "valid_from": "2013-05-29",
        "is_party": True,
        "short_name": "HWK",
        "description": "Kammer des Handwerks",
        "address": "Braunschweiger Str. 53, 31134 Hildesheim",
        "email": "info@hwk-hildesheim.de",
        "phone": "05121 162-0",
        "website": "https://www.hwk-hildesheim.de",
    }
    # when
    response = api.post("/partners", body)
    # then
    assert response.status_code == 201
    partner = Partner.objects.get(
        network=network, name="Handwerkskammer Hildesheim-Südniedersachsen"
    )
    assert response.json() == partner_out(partner)
    assert response.json()["kind_label"] == "Kammer"
    assert response.json()["version"] == 1
    assert list(partner.names.values_list("name", "valid_from", "valid_to")) == [
        ("Handwerkskammer Hildesheim-Südniedersachsen", SIGNED, None)
    ]
    event = HistoryEvent.objects.get(object_id=partner.public_id)
    assert (event.action, event.actor, event.actor_name, event.network) == (
        "create",
        coordinator,
        "Kim Koordinata",
        network,
    )
    assert event.changes["name"] == [None, "Handwerkskammer Hildesheim-Südniedersachsen"]
    assert event.changes["kind"] == [None, "chamber"]


def test_partner_create_with_only_the_required_fields_takes_the_defaults(api, network):
    # when
    response = api.post(
        "/partners", {"name": "Jugendwerkstatt Herzberg", "valid_from": "2014-02-01"}
    )
    # then
    assert response.status_code == 201
    data = response.json()
    assert (
        data["kind"],
        data["kind_label"],
        data["is_party"],
        data["short_name"],
        data["valid_to"],
    ) == ("other", "Sonstige", True, "", None)


def test_partner_create_without_fields_names_each_missing_field(api, network):
    # when
    response = api.post("/partners", {})
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": INVALID,
        "field_errors": {"name": [MISSING], "valid_from": [MISSING]},
        "details": None,
    }
    assert Partner.objects.count() == 0


def test_partner_create_with_a_bad_date_and_kind_names_both_fields_in_german(api, network):
    # when
    response = api.post("/partners", {"name": "X", "valid_from": "29.05.2013", "kind": "bank"})
    # then
    assert response.status_code == 422
    errors = response.json()["field_errors"]
    assert errors["valid_from"] == [BAD_DATE]
    assert errors["kind"] == [
        "Ungültiger Wert; erlaubt: 'county', 'council', 'municipality', 'school_general', "
        "'school_vocational', 'employment_agency', 'job_centre', 'chamber', 'association', "
        "'union', 'state_authority', 'group' oder 'other'."
    ]
    assert set(errors) == {"valid_from", "kind"}


def test_partner_create_with_a_blank_name_is_refused_by_the_service(api, network):
    # given
    before = row_counts()
    # when
    response = api.post("/partners", {"name": "   ", "valid_from": "2013-05-29"})
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": "Bitte geben Sie einen Namen an.",
        "field_errors": {"name": ["Bitte geben Sie einen Namen an."]},
        "details": None,
    }
    assert row_counts() == before


def test_partner_create_with_the_name_of_an_active_partner_is_422(api, county):
    # when
    response = api.post(
        "/partners", {"name": "landkreis osterode am harz", "valid_from": "2020-01-01"}
    )
    # then
    assert response.status_code == 422
    assert response.json()["field_errors"] == {
        "name": ["Einen aktiven Partner mit diesem Namen gibt es schon."]
    }


def test_a_body_that_is_no_json_is_422_in_the_error_format(api, network):
    # when
    response = api.post("/partners", "{name: kaputt")
    # then: bad input is 422 with the German message the API has for it
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert "Der Inhalt ist kein gültiges JSON." in json.dumps(body, ensure_ascii=False)


def test_partner_create_with_an_invalid_email_or_website_is_422(api, network):
    # when: the same rules as on the website (the model fields are an e-mail and a URL)
    response = api.post(
        "/partners",
        {
            "name": "Jugendwerkstatt Herzberg",
            "valid_from": "2014-02-01",
            "email": "keine-adresse",
            "website": "kein link",
        },
    )
    # then
    assert response.status_code == 422, response.content
    assert set(response.json()["field_errors"]) == {"email", "website"}
    assert not Partner.objects.filter(name="Jugendwerkstatt Herzberg").exists()


def test_partner_create_with_a_name_longer_than_200_characters_is_422(api, network):
    # when
    response = api.post("/partners", {"name": "X" * 201, "valid_from": "2014-02-01"})
    # then: refused with the field named (not stored cut or failing with a 500 on PostgreSQL)
    assert response.status_code == 422, response.content[:300]
    assert list(response.json()["field_errors"]) == ["name"]
    assert Partner.objects.count() == 0


def test_partner_get(api, county):
    # when
    response = api.get(f"/partners/{county.public_id}")
    # then
    assert response.status_code == 200
    assert response.json() == partner_out(county)
    assert response.json()["short_name"] == "LK OHA"


def test_partner_get_as_of_shows_the_name_of_that_day(api, county):
    # given
    services.partner_rename(
        actor=SYSTEM, partner=county, name="Landkreis Göttingen", valid_from=MERGER
    )
    # when
    then = api.get(f"/partners/{county.public_id}", as_of="2015-06-30").json()
    now = api.get(f"/partners/{county.public_id}").json()
    # then
    assert (then["name"], then["current_name"]) == (
        "Landkreis Osterode am Harz",
        "Landkreis Göttingen",
    )
    assert (now["name"], now["current_name"]) == ("Landkreis Göttingen", "Landkreis Göttingen")


def test_partner_get_unknown_or_malformed_id(api, network):
    # when
    unknown = api.get("/partners/00000000-0000-0000-0000-000000000000")
    malformed = api.get("/partners/nicht-eine-id")
    # then
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "not_found",
        "message": "Partner nicht gefunden.",
        "field_errors": None,
        "details": None,
    }
    assert malformed.status_code == 422
    assert malformed.json() == {
        "code": "invalid",
        "message": INVALID,
        "field_errors": {"pid": ["Bitte eine gültige ID (UUID) angeben."]},
        "details": None,
    }


def test_partner_patch_changes_only_the_fields_sent(api, county, coordinator):
    # when
    response = api.patch(
        f"/partners/{county.public_id}",
        {"version": 1, "description": "Träger der Jugendhilfe", "phone": "05522 960-0"},
    )
    # then
    assert response.status_code == 200
    county = reload(county)
    assert response.json() == partner_out(county)
    assert (county.description, county.phone, county.name, county.short_name, county.version) == (
        "Träger der Jugendhilfe",
        "05522 960-0",
        "Landkreis Osterode am Harz",
        "LK OHA",
        2,
    )
    event = HistoryEvent.objects.filter(object_id=county.public_id).latest("id")
    assert (event.action, event.actor_name) == ("update", "Kim Koordinata")
    assert event.changes == {
        "description": ["", "Träger der Jugendhilfe"],
        "phone": ["", "05522 960-0"],
    }


def test_partner_patch_of_the_name_corrects_the_current_name(api, county):
    # when
    response = api.patch(
        f"/partners/{county.public_id}", {"version": 1, "name": "Landkreis Osterode a. Harz"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["name"] == "Landkreis Osterode a. Harz"
    assert list(reload(county).names.values_list("name", flat=True)) == [
        "Landkreis Osterode a. Harz"
    ]


def test_partner_patch_without_version_is_422(api, county):
    # when
    response = api.patch(f"/partners/{county.public_id}", {"description": "ohne Version"})
    # then
    assert response.status_code == 422
    assert response.json()["field_errors"] == {"version": [MISSING]}
    assert reload(county).description == ""


def test_partner_patch_with_a_stale_version_is_409_with_the_current_state(api, county):
    # given someone else saved in between
    services.partner_update(
        actor=SYSTEM, partner=county, expected_version=1, data={"phone": "05522 1"}
    )
    before = row_counts()
    # when
    response = api.patch(f"/partners/{county.public_id}", {"version": 1, "name": "Landkreis Harz"})
    # then
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["message"]) == ("conflict", STALE)
    assert body["details"]["current"] == {**partner_out(county), "created": ANY, "modified": ANY}
    assert (body["details"]["current"]["version"], body["details"]["current"]["phone"]) == (
        2,
        "05522 1",
    )
    county = reload(county)
    assert (county.name, county.version) == ("Landkreis Osterode am Harz", 2)
    assert row_counts() == before


# --- partners: rename, end, succession -----------------------------------------------------------


def test_partner_rename(api, county):
    # when
    response = api.post(
        f"/partners/{county.public_id}/rename",
        {"name": "Landkreis Göttingen", "valid_from": "2016-11-01"},
    )
    # then
    assert response.status_code == 200
    assert response.json() == partner_out(
        county, name="Landkreis Göttingen", current_name="Landkreis Göttingen"
    )
    assert list(
        reload(county).names.order_by("valid_from").values_list("name", "valid_from", "valid_to")
    ) == [
        ("Landkreis Osterode am Harz", SIGNED, D(2016, 10, 31)),
        ("Landkreis Göttingen", MERGER, None),
    ]
    event = HistoryEvent.objects.filter(object_id=county.public_id).latest("id")
    assert (event.action, event.changes, event.message) == (
        "rename",
        {"name": ["Landkreis Osterode am Harz", "Landkreis Göttingen"]},
        "Neuer Name ab 01.11.2016",
    )


def test_partner_rename_into_the_future_is_422(api, county):
    # given
    next_year = D.today().replace(year=D.today().year + 1, month=1, day=1)
    # when
    response = api.post(
        f"/partners/{county.public_id}/rename",
        {"name": "Landkreis Harz", "valid_from": next_year.isoformat()},
    )
    # then
    assert response.status_code == 422
    message = "Eine Umbenennung wird ab ihrem Stichtag erfasst; das Datum darf nicht in der Zukunft liegen."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"valid_from": [message]},
        "details": None,
    }
    assert reload(county).name == "Landkreis Osterode am Harz"


def test_partner_end(api, county, petra):
    # given an open representation
    rep = services.representation_create(
        actor=SYSTEM, partner=county, person=petra, valid_from=D(2014, 1, 1)
    )
    # when
    response = api.post(
        f"/partners/{county.public_id}/end",
        {"valid_to": "2016-10-31", "reason": "dissolved", "note": "Fusion"},
    )
    # then
    assert response.status_code == 200
    assert response.json() == partner_out(county)
    data = response.json()
    assert (data["valid_to"], data["end_reason"], data["end_note"]) == (
        "2016-10-31",
        "dissolved",
        "Fusion",
    )
    assert reload(rep).valid_to == D(2016, 10, 31)


def test_partner_end_twice_is_422_ended(api, county):
    # given
    api.post(f"/partners/{county.public_id}/end", {"valid_to": "2016-10-31"})
    # when
    response = api.post(f"/partners/{county.public_id}/end", {"valid_to": "2017-10-31"})
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "ended",
        "message": "Dieser Partner ist bereits zum 31.10.2016 beendet.",
        "field_errors": None,
        "details": None,
    }


def test_partner_end_with_an_unknown_reason_is_422(api, county):
    # when
    response = api.post(
        f"/partners/{county.public_id}/end", {"valid_to": "2016-10-31", "reason": "succession"}
    )
    # then
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["reason"]
    assert reload(county).valid_to is None


def test_succession_to_an_existing_partner_takes_over_the_seats(api, network, county, seat):
    # given
    successor = make_partner(network, "Landkreis Göttingen", kind="county", valid_from=MERGER)
    services.seat_assign(actor=SYSTEM, seat=seat, partner=county, valid_from=SIGNED)
    # when
    response = api.post(
        f"/partners/{county.public_id}/succession",
        {
            "date": "2016-11-01",
            "successor": str(successor.public_id),
            "note": "Fusion der Landkreise",
        },
    )
    # then
    assert response.status_code == 201
    succession = Succession.objects.get()
    assert response.json() == {
        "id": str(succession.public_id),
        "predecessor": str(county.public_id),
        "predecessor_name": "Landkreis Osterode am Harz",
        "successor": str(successor.public_id),
        "successor_name": "Landkreis Göttingen",
        "date": "2016-11-01",
        "note": "Fusion der Landkreise",
    }
    county = reload(county)
    assert (county.valid_to, county.end_reason) == (D(2016, 10, 31), "succession")
    assert list(
        SeatAssignment.objects.filter(seat=seat)
        .order_by("valid_from")
        .values_list("partner__name", "valid_from", "valid_to")
    ) == [
        ("Landkreis Osterode am Harz", SIGNED, D(2016, 10, 31)),
        ("Landkreis Göttingen", MERGER, None),
    ]


def test_succession_to_a_new_partner_creates_it(api, network, county):
    # when
    response = api.post(
        f"/partners/{county.public_id}/succession",
        {
            "date": "2016-11-01",
            "new_successor_name": "Landkreis Göttingen",
            "take_over_seats": False,
        },
    )
    # then
    assert response.status_code == 201
    successor = Partner.objects.get(network=network, name="Landkreis Göttingen")
    assert (successor.kind, successor.is_party, successor.valid_from) == ("county", True, MERGER)
    assert response.json()["successor"] == str(successor.public_id)
    assert response.json()["successor_name"] == "Landkreis Göttingen"
    assert reload(county).valid_to == D(2016, 10, 31)


def test_succession_list(api, network, county):
    # given
    api.post(
        f"/partners/{county.public_id}/succession",
        {"date": "2016-11-01", "new_successor_name": "Landkreis Göttingen"},
    )
    # when
    response = api.get("/successions")
    # then
    assert response.status_code == 200
    assert [(s["predecessor_name"], s["successor_name"], s["date"]) for s in response.json()] == [
        ("Landkreis Osterode am Harz", "Landkreis Göttingen", "2016-11-01")
    ]


def test_succession_with_both_an_existing_and_a_new_successor_is_422(api, county, school):
    # given
    before = row_counts()
    # when
    response = api.post(
        f"/partners/{county.public_id}/succession",
        {
            "date": "2016-11-01",
            "successor": str(school.public_id),
            "new_successor_name": "Landkreis Göttingen",
        },
    )
    # then
    assert response.status_code == 422
    message = "Bitte entweder einen bestehenden oder einen neuen Nachfolger angeben, nicht beides."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"successor": [message]},
        "details": None,
    }
    assert row_counts() == before


def test_succession_without_any_successor_names_the_successor_field(api, county):
    # given
    before = row_counts()
    # when
    response = api.post(f"/partners/{county.public_id}/succession", {"date": "2016-11-01"})
    # then: the error names a field of the request (there is no field "name" in it)
    assert response.status_code == 422
    message = "Bitte wählen Sie einen Nachfolger oder legen Sie einen neuen an."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"successor": [message]},
        "details": None,
    }
    assert row_counts() == before


def test_succession_to_a_partner_of_another_network_is_422_naming_the_field(api, county, elsewhere):
    # given
    before = row_counts()
    other = elsewhere["partner"]
    # when
    response = api.post(
        f"/partners/{county.public_id}/succession",
        {"date": "2016-11-01", "successor": str(other.public_id)},
    )
    # then
    assert response.status_code == 422
    message = f"Partner {other.public_id} gibt es in diesem Netzwerk nicht."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"successor": [message]},
        "details": None,
    }
    assert "Landkreis Anderswo" not in response.content.decode()
    assert row_counts() == before


# --- representations ---------------------------------------------------------------------------


def test_representation_create(api, county, school, petra):
    # when
    response = api.post(
        f"/partners/{county.public_id}/representations",
        {
            "institution": str(school.public_id),
            "person": str(petra.public_id),
            "function": "Schulleitung",
            "valid_from": "2014-08-01",
            "note": "für die Schulen",
        },
    )
    # then
    assert response.status_code == 201
    rep = Representation.objects.get()
    assert response.json() == {
        "id": str(rep.public_id),
        "partner": str(county.public_id),
        "institution": str(school.public_id),
        "institution_name": "BBS II Osterode",
        "person": str(petra.public_id),
        "person_name": "Petra Pauli",
        "function": "Schulleitung",
        "valid_from": "2014-08-01",
        "valid_to": None,
        "note": "für die Schulen",
        "version": 1,
    }
    event = HistoryEvent.objects.filter(object_id=rep.public_id).get()
    assert (event.action, event.parent_type, event.parent_id) == (
        "create",
        "networks.partner",
        county.public_id,
    )


def test_representation_create_by_nobody_is_422(api, county):
    # when
    response = api.post(
        f"/partners/{county.public_id}/representations", {"valid_from": "2014-08-01"}
    )
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": "Bitte geben Sie an, durch wen der Partner vertreten wird: eine Institution, eine Person oder eine Funktion.",
        "field_errors": {"function": ["Institution, Person oder Funktion angeben."]},
        "details": None,
    }
    assert Representation.objects.count() == 0


@pytest.mark.parametrize("field,kind", [("person", "person"), ("institution", "partner")])
def test_representation_by_a_record_of_another_network_is_422_naming_the_field(
    api, county, elsewhere, field, kind
):
    # given
    other = elsewhere[kind]
    before = row_counts()
    # when
    response = api.post(
        f"/partners/{county.public_id}/representations",
        {field: str(other.public_id), "valid_from": "2014-08-01"},
    )
    # then
    assert response.status_code == 422
    label = {"person": "Person", "partner": "Partner"}[kind]
    message = f"{label} {other.public_id} gibt es in diesem Netzwerk nicht."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {field: [message]},
        "details": None,
    }
    assert row_counts() == before


def test_representation_list_and_as_of(api, county, petra):
    # given one ended and one current representation
    services.representation_create(
        actor=SYSTEM,
        partner=county,
        function="Landrat",
        valid_from=SIGNED,
        valid_to=D(2014, 10, 31),
    )
    services.representation_create(
        actor=SYSTEM, partner=county, person=petra, valid_from=D(2014, 11, 1)
    )
    # when
    everything = api.get(f"/partners/{county.public_id}/representations")
    then = api.get(f"/partners/{county.public_id}/representations", as_of="2014-01-01")
    # then
    assert everything.status_code == 200
    assert [(r["function"], r["person_name"], r["valid_to"]) for r in everything.json()] == [
        ("Landrat", None, "2014-10-31"),
        ("", "Petra Pauli", None),
    ]
    assert [r["function"] for r in then.json()] == ["Landrat"]


def test_representation_end(api, county, petra):
    # given
    rep = services.representation_create(
        actor=SYSTEM, partner=county, person=petra, valid_from=D(2014, 11, 1)
    )
    # when
    response = api.post(f"/representations/{rep.public_id}/end", {"valid_to": "2019-07-31"})
    again = api.post(f"/representations/{rep.public_id}/end", {"valid_to": "2019-08-31"})
    # then
    assert response.status_code == 200
    assert (response.json()["valid_to"], response.json()["version"]) == ("2019-07-31", 2)
    assert reload(rep).valid_to == D(2019, 7, 31)
    assert again.status_code == 422
    assert again.json() == {
        "code": "ended",
        "message": "Dieses „vertreten durch“ ist bereits beendet.",
        "field_errors": None,
        "details": None,
    }


def test_representation_end_before_its_start_is_422(api, county, petra):
    # given
    rep = services.representation_create(
        actor=SYSTEM, partner=county, person=petra, valid_from=D(2014, 11, 1)
    )
    # when
    response = api.post(f"/representations/{rep.public_id}/end", {"valid_to": "2014-10-01"})
    # then
    assert response.status_code == 422
    message = "Das Ende (01.10.2014) liegt vor dem Beginn (01.11.2014)."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"valid_to": [message]},
        "details": None,
    }
    assert reload(rep).valid_to is None


# --- people ------------------------------------------------------------------------------------


def test_person_create(api, network, county):
    # when
    response = api.post(
        "/people",
        {
            "first_name": "Jana",
            "last_name": "Jansen",
            "title": "Dr.",
            "function": "Berufsberatung",
            "organisation": str(county.public_id),
            "email": "jana.jansen@example.org",
            "phone": "0551 1",
            "note": "neu",
        },
    )
    # then
    assert response.status_code == 201
    person = Person.objects.get(last_name="Jansen")
    assert response.json() == {
        "id": str(person.public_id),
        "title": "Dr.",
        "first_name": "Jana",
        "last_name": "Jansen",
        "function": "Berufsberatung",
        "organisation": str(county.public_id),
        "organisation_name": "Landkreis Osterode am Harz",
        "email": "jana.jansen@example.org",
        "phone": "0551 1",
        "note": "neu",
        "has_account": False,
        "version": 1,
    }
    assert HistoryEvent.objects.filter(object_id=person.public_id, action="create").count() == 1


def test_person_create_without_last_name(api, network):
    # when
    missing = api.post("/people", {"first_name": "Jana"})
    blank = api.post("/people", {"first_name": "Jana", "last_name": " "})
    # then
    assert missing.status_code == 422
    assert missing.json()["field_errors"] == {"last_name": [MISSING]}
    assert blank.status_code == 422
    assert blank.json()["field_errors"] == {"last_name": ["Bitte geben Sie einen Nachnamen an."]}
    assert Person.objects.count() == 0


def test_person_create_in_an_organisation_of_another_network_is_422(api, network, elsewhere):
    # given
    other = elsewhere["partner"]
    # when
    response = api.post(
        "/people",
        {"first_name": "Jana", "last_name": "Jansen", "organisation": str(other.public_id)},
    )
    # then
    assert response.status_code == 422
    message = f"Partner {other.public_id} gibt es in diesem Netzwerk nicht."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"organisation": [message]},
        "details": None,
    }
    assert not Person.objects.filter(last_name="Jansen").exists()


def test_person_get(api, petra):
    # when
    response = api.get(f"/people/{petra.public_id}")
    # then
    assert response.status_code == 200
    assert (
        response.json()["first_name"],
        response.json()["organisation_name"],
        response.json()["version"],
    ) == ("Petra", "Landkreis Osterode am Harz", 1)


def test_person_patch(api, petra, school):
    # when
    response = api.patch(
        f"/people/{petra.public_id}",
        {"version": 1, "function": "Schulleitung", "organisation": str(school.public_id)},
    )
    # then
    assert response.status_code == 200
    data = response.json()
    assert (data["function"], data["organisation_name"], data["email"], data["version"]) == (
        "Schulleitung",
        "BBS II Osterode",
        "petra.pauli@example.org",
        2,
    )
    event = HistoryEvent.objects.filter(object_id=petra.public_id).latest("id")
    assert event.changes == {
        "function": ["Fachdienstleitung Jugend", "Schulleitung"],
        "organisation": ["Landkreis Osterode am Harz", "BBS II Osterode"],
    }


def test_person_patch_can_clear_the_organisation(api, petra):
    # when
    response = api.patch(f"/people/{petra.public_id}", {"version": 1, "organisation": None})
    # then
    assert response.status_code == 200
    assert (response.json()["organisation"], response.json()["organisation_name"]) == (None, None)
    assert reload(petra).organisation is None


def test_person_patch_with_an_organisation_of_another_network_is_422(api, petra, elsewhere):
    # when
    response = api.patch(
        f"/people/{petra.public_id}",
        {"version": 1, "organisation": str(elsewhere["partner"].public_id)},
    )
    # then
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["organisation"]
    assert reload(petra).organisation.name == "Landkreis Osterode am Harz"


def test_person_patch_with_a_stale_version_is_409_with_the_current_state(api, petra):
    # given
    services.person_update(
        actor=SYSTEM, person=petra, expected_version=1, data={"phone": "05522 2"}
    )
    history = history_count()
    # when
    response = api.patch(f"/people/{petra.public_id}", {"version": 1, "function": "Leitung"})
    # then
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["message"]) == ("conflict", STALE)
    assert body["details"]["current"] == {
        "id": str(petra.public_id),
        "title": "",
        "first_name": "Petra",
        "last_name": "Pauli",
        "function": "Fachdienstleitung Jugend",
        "organisation": str(petra.organisation.public_id),
        "organisation_name": "Landkreis Osterode am Harz",
        "email": "petra.pauli@example.org",
        "phone": "05522 2",
        "note": "",
        "has_account": False,
        "version": 2,
    }
    assert (reload(petra).function, reload(petra).version) == ("Fachdienstleitung Jugend", 2)
    assert history_count() == history


# --- constituency seats --------------------------------------------------------------------------


def test_seat_create_get_and_patch(api, network):
    # when
    created = api.post("/seats", {"name": "Berufsbildende Schulen", "valid_from": "2013-05-29"})
    sid = created.json()["id"]
    got = api.get(f"/seats/{sid}")
    patched = api.patch(f"/seats/{sid}", {"version": 1, "description": "BBS I und II"})
    # then
    assert created.status_code == 201
    assert created.json() == {
        "id": sid,
        "name": "Berufsbildende Schulen",
        "description": "",
        "valid_from": "2013-05-29",
        "valid_to": None,
        "version": 1,
    }
    assert got.status_code == 200
    assert got.json() == {**created.json(), "assignments": [], "holders": []}
    assert patched.status_code == 200
    assert patched.json() == {**created.json(), "description": "BBS I und II", "version": 2}


def test_seat_create_with_a_taken_name_is_422(api, seat):
    # when
    response = api.post("/seats", {"name": "allgemeinbildende schulen", "valid_from": "2013-05-29"})
    # then
    assert response.status_code == 422
    assert response.json()["field_errors"] == {
        "name": ["Eine Sammelvertretung mit diesem Namen gibt es schon."]
    }


def test_seat_patch_with_a_stale_version_is_409_with_the_current_state(api, seat):
    # given
    services.seat_update(actor=SYSTEM, seat=seat, expected_version=1, data={"name": "Oberschulen"})
    history = history_count()
    # when
    response = api.patch(f"/seats/{seat.public_id}", {"version": 1, "description": "veraltet"})
    # then
    assert response.status_code == 409
    assert response.json()["details"]["current"] == {
        "id": str(seat.public_id),
        "name": "Oberschulen",
        "description": "alle Oberschulen",
        "valid_from": "2013-05-29",
        "valid_to": None,
        "version": 2,
    }
    assert reload(seat).description == "alle Oberschulen"
    assert history_count() == history


def test_seat_assign_and_unassign(api, seat, school):
    # when
    assigned = api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(school.public_id), "valid_from": "2014-08-01"},
    )
    aid = assigned.json()["id"]
    ended = api.post(f"/assignments/{aid}/end", {"valid_to": "2018-07-31"})
    # then
    assert assigned.status_code == 201
    assert assigned.json() == {
        "id": aid,
        "seat": str(seat.public_id),
        "partner": str(school.public_id),
        "partner_name": "BBS II Osterode",
        "valid_from": "2014-08-01",
        "valid_to": None,
    }
    assert ended.status_code == 200
    assert ended.json() == {**assigned.json(), "valid_to": "2018-07-31"}
    assert [e.action for e in HistoryEvent.objects.filter(object_id=aid).order_by("id")] == [
        "assign",
        "unassign",
    ]


def test_seat_assign_twice_is_422(api, seat, school):
    # given
    api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(school.public_id), "valid_from": "2014-08-01"},
    )
    # when
    response = api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(school.public_id), "valid_from": "2015-08-01"},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field_errors"] == {
        "partner": [
            "BBS II Osterode ist dieser Sammelvertretung in diesem Zeitraum bereits zugeordnet."
        ]
    }


def test_seat_assign_a_partner_of_another_network_is_422_naming_the_field(api, seat, elsewhere):
    # given
    other = elsewhere["partner"]
    before = row_counts()
    # when
    response = api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(other.public_id), "valid_from": "2014-08-01"},
    )
    # then
    assert response.status_code == 422
    message = f"Partner {other.public_id} gibt es in diesem Netzwerk nicht."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"partner": [message]},
        "details": None,
    }
    assert row_counts() == before


def test_seat_holders_create_and_end(api, seat, petra):
    # when
    created = api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(petra.public_id), "valid_from": "2014-08-01"},
    )
    hid = created.json()["id"]
    ended = api.post(f"/holders/{hid}/end", {"valid_to": "2019-07-31"})
    # then
    assert created.status_code == 201
    assert created.json() == {
        "id": hid,
        "seat": str(seat.public_id),
        "person": str(petra.public_id),
        "person_name": "Petra Pauli",
        "valid_from": "2014-08-01",
        "valid_to": None,
    }
    assert ended.status_code == 200
    assert ended.json() == {**created.json(), "valid_to": "2019-07-31"}
    assert SeatHolding.objects.get(public_id=hid).valid_to == D(2019, 7, 31)


def test_seat_holder_of_another_network_is_422_naming_the_field(api, seat, elsewhere):
    # given
    other = elsewhere["person"]
    before = row_counts()
    # when
    response = api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(other.public_id), "valid_from": "2014-08-01"},
    )
    # then
    assert response.status_code == 422
    message = f"Person {other.public_id} gibt es in diesem Netzwerk nicht."
    assert response.json() == {
        "code": "invalid",
        "message": message,
        "field_errors": {"person": [message]},
        "details": None,
    }
    assert row_counts() == before


def test_seat_holder_for_an_occupied_period_is_422(api, seat, petra, network):
    # given
    api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(petra.public_id), "valid_from": "2014-08-01"},
    )
    other = make_person(network, "Karl", "Krause")
    # when
    response = api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(other.public_id), "valid_from": "2016-08-01"},
    )
    # then
    assert response.status_code == 422
    assert response.json()["field_errors"] == {
        "valid_from": [
            "Für diesen Zeitraum ist bereits eine Person eingetragen; beenden Sie zuerst deren Zeit."
        ]
    }


def test_seat_end_ends_its_assignments_and_holders(api, seat, school, petra):
    # given
    services.seat_assign(actor=SYSTEM, seat=seat, partner=school, valid_from=D(2014, 8, 1))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=petra, valid_from=D(2014, 8, 1))
    # when
    response = api.post(f"/seats/{seat.public_id}/end", {"valid_to": "2020-07-31"})
    # then
    assert response.status_code == 200
    assert response.json()["valid_to"] == "2020-07-31"
    assert list(SeatAssignment.objects.values_list("valid_to", flat=True)) == [D(2020, 7, 31)]
    assert list(SeatHolding.objects.values_list("valid_to", flat=True)) == [D(2020, 7, 31)]


def test_seat_list_as_of_shows_the_facts_of_that_day(api, seat, school, petra, network):
    # given an assignment that ended and one that began later
    other = make_partner(network, "Oberschule Bad Lauterberg", kind="school_general")
    services.seat_assign(
        actor=SYSTEM, seat=seat, partner=school, valid_from=D(2014, 8, 1), valid_to=D(2016, 7, 31)
    )
    services.seat_assign(actor=SYSTEM, seat=seat, partner=other, valid_from=D(2016, 8, 1))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=petra, valid_from=D(2014, 8, 1))
    # when
    then = api.get("/seats", as_of="2015-01-01").json()
    now = api.get("/seats").json()
    # then
    assert [[a["partner_name"] for a in s["assignments"]] for s in then] == [["BBS II Osterode"]]
    assert [[a["partner_name"] for a in s["assignments"]] for s in now] == [
        ["Oberschule Bad Lauterberg"]
    ]
    assert [[h["person_name"] for h in s["holders"]] for s in now] == [["Petra Pauli"]]
    detail = api.get(f"/seats/{seat.public_id}").json()
    assert [a["partner_name"] for a in detail["assignments"]] == [
        "BBS II Osterode",
        "Oberschule Bad Lauterberg",
    ]


# --- the partner list: filters and pages ----------------------------------------------------------


@pytest.fixture
def partners(network, county, school):
    """Active today: Agentur (since 2018), BBS II (no party), Handwerkskammer, Landkreis
    (renamed to Landkreis Göttingen 2016-11-01); former: Jugendwerkstatt (until 2015)."""
    make_partner(network, "Handwerkskammer Hildesheim", kind="chamber")
    make_partner(
        network, "Agentur für Arbeit Göttingen", kind="employment_agency", valid_from=D(2018, 1, 1)
    )
    former = make_partner(network, "Jugendwerkstatt Herzberg", kind="other")
    services.partner_end(actor=SYSTEM, partner=former, valid_to=D(2015, 12, 31))
    services.partner_rename(
        actor=SYSTEM, partner=county, name="Landkreis Göttingen", valid_from=MERGER
    )


def test_partner_list_by_default_shows_the_partners_active_today(api, partners):
    # when
    response = api.get("/partners")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (4, 50, 0)
    assert names(response) == [
        "Agentur für Arbeit Göttingen",
        "BBS II Osterode",
        "Handwerkskammer Hildesheim",
        "Landkreis Göttingen",
    ]


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"status": "former"}, ["Jugendwerkstatt Herzberg"]),
        (
            {"status": "all"},
            [
                "Agentur für Arbeit Göttingen",
                "BBS II Osterode",
                "Handwerkskammer Hildesheim",
                "Jugendwerkstatt Herzberg",
                "Landkreis Göttingen",
            ],
        ),
        ({"kind": "county"}, ["Landkreis Göttingen"]),
        ({"kind": "chamber", "status": "all"}, ["Handwerkskammer Hildesheim"]),
        ({"is_party": "false"}, ["BBS II Osterode"]),
        (
            {"is_party": "true"},
            ["Agentur für Arbeit Göttingen", "Handwerkskammer Hildesheim", "Landkreis Göttingen"],
        ),
        ({"q": "goettingen"}, []),
        ({"q": "Göttingen"}, ["Agentur für Arbeit Göttingen", "Landkreis Göttingen"]),
        ({"q": "LK OHA"}, ["Landkreis Göttingen"]),
        (
            {"q": "Osterode"},
            ["BBS II Osterode", "Landkreis Göttingen"],
        ),  # a former name finds it too
        ({"q": "herzberg"}, []),
        ({"q": "herzberg", "status": "all"}, ["Jugendwerkstatt Herzberg"]),
        (
            {"as_of": "2015-06-30"},
            [
                "BBS II Osterode",
                "Handwerkskammer Hildesheim",
                "Jugendwerkstatt Herzberg",
                "Landkreis Osterode am Harz",
            ],
        ),
        ({"as_of": "2015-06-30", "status": "former"}, []),
        ({"as_of": "2017-01-01", "status": "former"}, ["Jugendwerkstatt Herzberg"]),
        (
            {"as_of": "2015-06-30", "status": "all"},
            [
                "BBS II Osterode",
                "Handwerkskammer Hildesheim",
                "Jugendwerkstatt Herzberg",
                "Landkreis Osterode am Harz",
            ],
        ),
    ],
)
def test_partner_list_filters(api, partners, query, expected):
    # when
    response = api.get("/partners", **query)
    # then
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


def test_partner_list_as_of_shows_the_name_then_and_now(api, partners, county):
    # when
    items = api.get("/partners", as_of="2015-06-30", kind="county").json()["items"]
    # then
    assert [(p["name"], p["current_name"]) for p in items] == [
        ("Landkreis Osterode am Harz", "Landkreis Göttingen")
    ]


@pytest.mark.parametrize(
    "query,field,message",
    [
        ({"as_of": "30.06.2015"}, "as_of", BAD_DATE),
        ({"is_party": "vielleicht"}, "is_party", "Bitte true oder false angeben."),
        ({"limit": "viele"}, "limit", "Bitte eine ganze Zahl angeben."),
        ({"offset": "1.5"}, "offset", "Bitte eine ganze Zahl angeben."),
    ],
)
def test_partner_list_with_bad_filters_is_422_naming_the_filter(
    api, partners, query, field, message
):
    # when
    response = api.get("/partners", **query)
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": INVALID,
        "field_errors": {field: [message]},
        "details": None,
    }


@pytest.mark.parametrize(
    "query,field", [({"status": "ehemalig"}, "status"), ({"kind": "bank"}, "kind")]
)
def test_partner_list_with_an_unknown_status_or_kind_is_422(api, partners, query, field):
    # when
    response = api.get("/partners", **query)
    # then: not silently all (or no) partners
    assert response.status_code == 422, response.json()
    assert list(response.json()["field_errors"]) == [field]


def test_partner_list_pages(api, network):
    # given seven partners
    for i in range(7):
        make_partner(network, f"Schule {i}", kind="school_general")
    # when
    page = api.get("/partners", limit=3, offset=3).json()
    last = api.get("/partners", limit=3, offset=6).json()
    beyond = api.get("/partners", limit=3, offset=30).json()
    # then
    assert (page["count"], page["limit"], page["offset"]) == (7, 3, 3)
    assert [p["name"] for p in page["items"]] == ["Schule 3", "Schule 4", "Schule 5"]
    assert [p["name"] for p in last["items"]] == ["Schule 6"]
    assert (beyond["count"], beyond["items"]) == (7, [])


def test_partner_list_limit_is_capped_at_200_and_bounds_are_clamped(api, network):
    # given 205 partners
    Partner.objects.bulk_create(
        Partner(network=network, name=f"Institution {i:03d}", valid_from=SIGNED) for i in range(205)
    )
    # when
    capped = api.get("/partners", limit=500).json()
    smallest = api.get("/partners", limit=0, offset=-5).json()
    # then
    assert (capped["count"], capped["limit"], capped["offset"], len(capped["items"])) == (
        205,
        200,
        0,
        200,
    )
    assert capped["items"][-1]["name"] == "Institution 199"
    assert (smallest["limit"], smallest["offset"], [p["name"] for p in smallest["items"]]) == (
        1,
        0,
        ["Institution 000"],
    )


def test_person_list_search_and_pages(api, network, county, petra):
    # given
    make_person(network, "Karl", "Krause", function="Berufsberatung")
    make_person(network, "Anna", "Albers")
    # when
    everyone = api.get("/people").json()
    found = api.get("/people", q="osterode").json()
    page = api.get("/people", limit=1, offset=1).json()
    # then
    assert [p["last_name"] for p in everyone["items"]] == ["Albers", "Krause", "Pauli"]
    assert [p["last_name"] for p in found["items"]] == ["Pauli"]
    assert (page["count"], [p["last_name"] for p in page["items"]]) == (3, ["Krause"])


# --- history -------------------------------------------------------------------------------------


def test_network_history_shows_the_changes_before_and_after(api, network, county, coordinator):
    # given
    api.patch(
        f"/partners/{county.public_id}", {"version": 1, "description": "Träger der Jugendhilfe"}
    )
    # when
    response = api.get("/history", limit=2)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == HistoryEvent.objects.filter(network=network).count()
    assert (body["limit"], body["offset"]) == (2, 0)
    assert body["items"][0] == {
        "at": ANY,
        "actor": "Kim Koordinata",
        "action": "update",
        "object_type": "networks.partner",
        "object_id": str(county.public_id),
        "object_repr": "Landkreis Osterode am Harz",
        "parent_type": "",
        "parent_id": None,
        "changes": {"description": ["", "Träger der Jugendhilfe"]},
        "message": "",
    }
    created = body["items"][1]
    assert (created["action"], created["actor"], created["object_id"]) == (
        "create",
        "System",
        str(county.public_id),
    )
    assert created["changes"]["name"] == [None, "Landkreis Osterode am Harz"]


def test_network_history_holds_no_event_of_another_network(api, network, elsewhere):
    # when
    items = api.get("/history", limit=200).json()["items"]
    # then
    assert "Landkreis Anderswo" not in json.dumps(items, ensure_ascii=False)
    assert {i["object_id"] for i in items} == set(
        str(x)
        for x in HistoryEvent.objects.filter(network=network).values_list("object_id", flat=True)
    )


def test_partner_history_includes_the_records_that_hang_on_it(api, county, petra):
    # given
    rep = api.post(
        f"/partners/{county.public_id}/representations",
        {"person": str(petra.public_id), "valid_from": "2014-08-01"},
    ).json()
    api.post(f"/representations/{rep['id']}/end", {"valid_to": "2019-07-31"})
    # when
    response = api.get(f"/partners/{county.public_id}/history")
    # then
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["action"], i["object_type"], i["parent_type"]) for i in items] == [
        ("end", "networks.representation", "networks.partner"),
        ("create", "networks.representation", "networks.partner"),
        ("create", "networks.partner", ""),
    ]
    assert items[0]["changes"] == {"valid_to": [None, "2019-07-31"]}
    assert response.json()["count"] == 3


def test_person_and_seat_history(api, seat, petra, school):
    # given
    api.patch(f"/people/{petra.public_id}", {"version": 1, "phone": "05522 3"})
    api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(school.public_id), "valid_from": "2014-08-01"},
    )
    api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(petra.public_id), "valid_from": "2014-08-01"},
    )
    # when
    person_items = api.get(f"/people/{petra.public_id}/history").json()["items"]
    seat_items = api.get(f"/seats/{seat.public_id}/history").json()["items"]
    # then
    assert [(i["action"], i["changes"]) for i in person_items][0] == (
        "update",
        {"phone": ["", "05522 3"]},
    )
    assert [(i["action"], i["object_type"]) for i in seat_items] == [
        ("create", "networks.seatholding"),
        ("assign", "networks.seatassignment"),
        ("create", "networks.constituencyseat"),
    ]


def test_record_history_of_an_unknown_kind_or_of_a_record_of_another_kind_is_404(api, county):
    # when
    unknown = api.get(f"/gremien/{county.public_id}/history")
    wrong = api.get(f"/people/{county.public_id}/history")
    # then
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "not_found",
        "message": "Unbekannte Art von Datensatz.",
        "field_errors": None,
        "details": None,
    }
    assert wrong.status_code == 404
    assert wrong.json() == {
        "code": "not_found",
        "message": "Person nicht gefunden.",
        "field_errors": None,
        "details": None,
    }


def test_history_pages(api, county):
    # given four more events of the partner
    for phone in ("1", "2", "3", "4"):
        version = reload(county).version
        api.patch(f"/partners/{county.public_id}", {"version": version, "phone": phone})
    # when
    page = api.get(f"/partners/{county.public_id}/history", limit=2, offset=1).json()
    # then
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [i["changes"] for i in page["items"]] == [{"phone": ["2", "3"]}, {"phone": ["1", "2"]}]


# --- a representative member ----------------------------------------------------------------------


@pytest.fixture
def representative(network, county, member):
    """The member's Person represents the county today."""
    person = person_for(network, member)
    services.representation_create(
        actor=SYSTEM, partner=county, person=person, function="Jugendamt", valid_from=SIGNED
    )
    return Api(member)


def test_a_representative_may_correct_the_contact_details(representative, county, member):
    # given
    contact = {
        "address": "Herzberger Str. 5, 37520 Osterode",
        "email": "info@landkreis-osterode.de",
        "phone": "05522 960-0",
        "website": "https://www.landkreis-osterode.de",
    }
    # when
    response = representative.patch(f"/partners/{county.public_id}", {"version": 1, **contact})
    # then
    assert response.status_code == 200
    county = reload(county)
    assert (county.address, county.email, county.phone, county.website, county.version) == (
        *contact.values(),
        2,
    )
    event = HistoryEvent.objects.filter(object_id=county.public_id).latest("id")
    assert (event.action, event.actor, event.actor_name) == ("update", member, "Mika Mitglied")


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Landkreis Harz"},
        {"short_name": "OHA"},
        {"kind": "council"},
        {"email": "x@example.org", "name": "Landkreis Harz"},
    ],
)
def test_a_representative_may_not_change_anything_but_the_contact_details(
    representative, county, change
):
    # given
    before = row_counts()
    # when
    response = representative.patch(f"/partners/{county.public_id}", {"version": 1, **change})
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": NO_RIGHT,
        "field_errors": None,
        "details": None,
    }
    county = reload(county)
    assert (county.name, county.short_name, county.kind, county.email, county.version) == (
        "Landkreis Osterode am Harz",
        "LK OHA",
        "county",
        "",
        1,
    )
    assert row_counts() == before


def test_a_representative_may_not_correct_another_partner(representative, school):
    # when
    response = representative.patch(
        f"/partners/{school.public_id}", {"version": 1, "phone": "05522 4"}
    )
    # then
    assert response.status_code == 403
    assert reload(school).phone == ""


def test_staff_of_a_representing_institution_may_correct_the_contact_details(
    network, county, school, member
):
    # given the member works at the school, which represents the county
    person = person_for(network, member)
    services.person_update(
        actor=SYSTEM, person=person, expected_version=person.version, data={"organisation": school}
    )
    services.representation_create(
        actor=SYSTEM, partner=county, institution=school, valid_from=SIGNED
    )
    # when
    response = Api(member).patch(
        f"/partners/{county.public_id}", {"version": 1, "phone": "05522 5"}
    )
    # then
    assert response.status_code == 200
    assert reload(county).phone == "05522 5"


def test_a_former_representative_may_not_correct_the_contact_details(network, county, member):
    # given a representation that ended
    person = person_for(network, member)
    services.representation_create(
        actor=SYSTEM, partner=county, person=person, valid_from=SIGNED, valid_to=D(2019, 12, 31)
    )
    # when
    response = Api(member).patch(
        f"/partners/{county.public_id}", {"version": 1, "phone": "05522 6"}
    )
    # then
    assert response.status_code == 403
    assert reload(county).phone == ""


def test_a_member_who_represents_nobody_may_not_correct_the_contact_details(member, county):
    # when
    response = Api(member).patch(
        f"/partners/{county.public_id}", {"version": 1, "phone": "05522 7"}
    )
    # then
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": NO_RIGHT,
        "field_errors": None,
        "details": None,
    }
    assert reload(county).phone == ""


# --- the whole state stays consistent --------------------------------------------------------------


def test_the_api_writes_nothing_in_another_network(
    api, network, other_network, elsewhere, county, petra, seat, school
):
    # given the state of network B
    def state_of_b():
        return {
            "partners": list(
                Partner.objects.filter(network=other_network).values_list("name", "version")
            ),
            "names": PartnerName.objects.filter(network=other_network).count(),
            "people": list(
                Person.objects.filter(network=other_network).values_list("last_name", "version")
            ),
            "seats": ConstituencySeat.objects.filter(network=other_network).count(),
            "history": HistoryEvent.objects.filter(network=other_network).count(),
            "network": Network.objects.filter(pk=other_network.pk)
            .values_list("name", "version")
            .get(),
        }

    before = state_of_b()
    # when the coordination office of A works through the API
    api.post("/partners", {"name": "Landkreis Anderswo", "valid_from": "2020-01-01"})
    api.patch(f"/partners/{county.public_id}", {"version": 1, "phone": "1"})
    api.post(
        f"/seats/{seat.public_id}/assignments",
        {"partner": str(school.public_id), "valid_from": "2014-08-01"},
    )
    api.post(
        f"/seats/{seat.public_id}/holders",
        {"person": str(petra.public_id), "valid_from": "2014-08-01"},
    )
    # then B is untouched
    assert state_of_b() == before
