"""Mein Konto: the person's own page (networks with roles and their calendar subscriptions,
API keys, password), the password change on the page and in the API (the current password
is required, the installation's rules apply, nothing changes on bad input, the history notes
the change without any value), and the header's link to it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from uebergang.accounts.services import api_token_create, password_change
from uebergang.core.errors import DomainError
from uebergang.core.models import HistoryEvent

PAGE = "/konto/"
PASSWORD_PAGE = "/konto/passwort-aendern/"
API = "/api/v1/me/password"
OLD = "Harzer-Kaese-2026!"  # set by the fixture below


@pytest.fixture
def member_with_password(member):
    member.set_password(OLD)
    member.save()
    return member


def test_the_page_shows_the_networks_with_role_and_calendar_and_the_access_links(
    member_client, member, network, other_network
):
    from uebergang.accounts.services import network_role_grant
    from uebergang.core.permissions import SYSTEM

    network_role_grant(actor=SYSTEM, network=other_network, user=member, role="coordination")
    page = member_client.get(PAGE).content.decode()
    assert "Mein Konto" in page and member.email in page
    assert "Übergang Schule–Beruf Osterode am Harz</a> – Mitglied" in page
    assert "Netzwerk Anderswo</a> – Koordinierungsstelle" in page
    from django.urls import reverse

    for slug in ("osterode", "anderswo"):
        assert f'href="{reverse("calendar:feed_list", args=[slug])}"' in page
    assert 'href="/konto/api-schluessel/"' in page
    assert 'href="/konto/passwort-aendern/"' in page


def test_the_header_links_to_mein_konto_not_to_the_api_keys(member_client, network):
    page = member_client.get(f"/n/{network.slug}/").content.decode()
    assert '<a class="kern-link kern-link--small" href="/konto/">Mein Konto</a>' in page
    assert ">API-Schlüssel</a>" not in page


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


@pytest.mark.parametrize("extra", [0, 4])
def test_the_page_needs_the_same_queries_however_many_networks(
    member_client, member, extra, django_assert_num_queries
):
    from uebergang.accounts.services import network_role_grant
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import network_create

    for n in range(extra):
        net = network_create(
            actor=SYSTEM,
            slug=f"netz{n}",
            name=f"Netz {n}",
            valid_from="2020-01-01",
            region=f"Kreis {n}",
        )
        network_role_grant(actor=SYSTEM, network=net, user=member, role="member")
    with django_assert_num_queries(4):
        assert member_client.get(PAGE).status_code == 200


def test_the_password_is_changed_on_the_page_and_the_person_stays_signed_in(
    client, member_with_password
):
    client.force_login(member_with_password)
    response = client.post(
        PASSWORD_PAGE,
        {
            "old_password": OLD,
            "new_password": "Okertalsperre-1956",
            "new_password_again": "Okertalsperre-1956",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == PAGE
    assert "Ihr Passwort ist geändert." in response.content.decode()
    assert client.get(PAGE).status_code == 200  # still signed in
    member_with_password.refresh_from_db()
    assert member_with_password.check_password("Okertalsperre-1956")
    event = HistoryEvent.objects.filter(object_type="accounts.user").latest("id")
    assert event.message == "Passwort geändert"
    assert "Okertalsperre" not in json.dumps(event.changes) and event.changes == {}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "falsch", "new_password": "Okertalsperre-1956"},
            "old_password",
            "Das bisherige Passwort stimmt nicht.",
        ),
        (
            {"old_password": OLD, "new_password": "Okertalsperre-1956", "again": "anders"},
            "new_password_again",
            "Die beiden neuen Passwörter stimmen nicht überein.",
        ),
        ({"old_password": OLD, "new_password": "kurz"}, "new_password", "zu kurz"),
        ({"old_password": OLD, "new_password": ""}, "new_password", "zwingend erforderlich"),
    ],
)
def test_bad_input_is_explained_at_its_field_and_changes_nothing(
    client, member_with_password, data, field, message
):
    client.force_login(member_with_password)
    posted = {
        "old_password": data["old_password"],
        "new_password": data["new_password"],
        "new_password_again": data.get("again", data["new_password"]),
    }
    before = HistoryEvent.objects.count()
    response = client.post(PASSWORD_PAGE, posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}-error"' in page and message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    member_with_password.refresh_from_db()
    assert member_with_password.check_password(OLD)
    assert HistoryEvent.objects.count() == before


def test_the_service_refuses_without_an_account(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError) as error:
        password_change(actor=AnonymousUser(), old_password="x", new_password="y")
    assert error.value.code == "unauthenticated"


# --- the API ---------------------------------------------------------------------------------


def _api(user):
    _token, secret = api_token_create(actor=user, name="Tests")
    client = Client(raise_request_exception=False)
    return client, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, headers, body):
    return client.post(API, json.dumps(body), content_type="application/json", **headers)


def test_the_api_changes_the_password(member_with_password):
    client, headers = _api(member_with_password)
    response = _post(client, headers, {"old_password": OLD, "new_password": "Okertalsperre-1956"})
    assert response.status_code == 200 and response.json() == {"changed": True}
    member_with_password.refresh_from_db()
    assert member_with_password.check_password("Okertalsperre-1956")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"old_password": "falsch", "new_password": "Okertalsperre-1956"}, 422, "old_password"),
        ({"old_password": OLD, "new_password": "1234567890"}, 422, "new_password"),
        ({"old_password": OLD}, 422, None),
        ({"old_password": 5, "new_password": ["x"]}, 422, None),
        ("kein JSON", 422, None),
    ],
)
def test_the_api_refuses_bad_input_in_the_documented_shape(
    member_with_password, body, status, field
):
    client, headers = _api(member_with_password)
    if isinstance(body, str):
        response = client.post(API, body, content_type="application/json", **headers)
    else:
        response = _post(client, headers, body)
    assert response.status_code == status
    data = response.json()
    assert set(data) == {"code", "message", "field_errors", "details"}
    if field:
        assert field in data["field_errors"]
    member_with_password.refresh_from_db()
    assert member_with_password.check_password(OLD)


def test_the_api_needs_a_signed_in_caller():
    response = Client().post(API, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
