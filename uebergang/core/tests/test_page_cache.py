"""Pages are cached under the network's data version: a change of the data (which always
leaves a history record) shows at once; a repeated request runs no domain queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from uebergang.networks import services

LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "page-cache-test",
    }
}


@pytest.fixture
def page_cache(settings):
    settings.CACHES = LOCMEM
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_page_is_served_from_the_cache_without_domain_queries(
    page_cache, coordinator_client, network, coordinator
):
    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "Agentur für Arbeit", "valid_from": datetime.date(2013, 5, 29)},
    )
    coordinator_client.get("/n/osterode/partner/")

    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get("/n/osterode/partner/")

    assert "Agentur für Arbeit" in response.content.decode()
    tables = sorted(
        {
            q["sql"].split(" FROM ")[1].split()[0].strip('"')
            for q in queries.captured_queries
            if " FROM " in q["sql"]
        }
    )
    assert tables == ["accounts_user", "core_networkrole", "django_session"]


def test_a_change_shows_at_once(page_cache, coordinator_client, network, coordinator):
    coordinator_client.get("/n/osterode/partner/")

    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "JobCenter", "valid_from": datetime.date(2013, 5, 29)},
    )
    response = coordinator_client.get("/n/osterode/partner/")

    assert "JobCenter" in response.content.decode()


def test_the_cache_is_kept_apart_per_role(page_cache, client, network, coordinator, member):
    client.force_login(coordinator)
    assert "Partner anlegen" in client.get("/n/osterode/partner/").content.decode()

    client.force_login(member)
    assert "Partner anlegen" not in client.get("/n/osterode/partner/").content.decode()


def test_the_cache_is_kept_apart_per_network(
    page_cache, client, network, other_network, coordinator, outsider
):
    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "Geheime Institution", "valid_from": datetime.date(2013, 5, 29)},
    )
    client.force_login(coordinator)
    client.get("/n/osterode/partner/")

    client.force_login(outsider)
    body = client.get("/n/anderswo/partner/").content.decode()

    assert "Geheime Institution" not in body


def test_form_pages_are_never_cached(page_cache, coordinator_client):
    body = coordinator_client.get("/n/osterode/partner/neu/").content.decode()

    assert 'name="csrfmiddlewaretoken"' in body
    assert cache._cache == {}


def _token(user):
    from uebergang.accounts.services import api_token_create

    return api_token_create(actor=user, name="Cache")[1]


def test_an_api_list_is_served_from_the_cache_and_renewed_by_a_change(
    page_cache, client, network, coordinator, django_assert_num_queries
):
    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "Agentur für Arbeit", "valid_from": datetime.date(2013, 5, 29)},
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(coordinator)}"}
    first = client.get("/api/v1/networks/osterode/partners", **auth).json()

    # Only the token with its user and the role with its network are read.
    with django_assert_num_queries(2):
        again = client.get("/api/v1/networks/osterode/partners", **auth).json()
    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "JobCenter", "valid_from": datetime.date(2013, 5, 29)},
    )
    after_change = client.get("/api/v1/networks/osterode/partners", **auth).json()

    assert again == first
    assert [p["name"] for p in first["items"]] == ["Agentur für Arbeit"]
    assert [p["name"] for p in after_change["items"]] == ["Agentur für Arbeit", "JobCenter"]


def test_the_api_cache_is_kept_apart_per_network(
    page_cache, client, network, other_network, coordinator, outsider
):
    services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "Geheime Institution", "valid_from": datetime.date(2013, 5, 29)},
    )
    client.get(
        "/api/v1/networks/osterode/partners", HTTP_AUTHORIZATION=f"Bearer {_token(coordinator)}"
    )

    body = client.get(
        "/api/v1/networks/anderswo/partners", HTTP_AUTHORIZATION=f"Bearer {_token(outsider)}"
    ).content.decode()

    assert "Geheime Institution" not in body
