"""Pages are cached under the generations of what they show (`core.cachegen`): a change of
the data (which always leaves a history record) shows at once after its commit; a repeated
request runs no domain queries. The tests commit for real (`transactional_db`): the
generations are renewed after commit, never inside the write's transaction."""

import contextlib
import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from uebergang.networks import services


@contextlib.contextmanager
def tables_read():
    """The tables the statements run inside the block read from."""
    tables: set[str] = set()

    def wrapper(execute, sql, params, many, context):
        if " FROM " in sql:
            tables.add(sql.split(" FROM ")[1].split()[0].strip('"'))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield tables


LOCMEM = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "page-cache-test",
    }
}


@pytest.fixture
def page_cache(settings, transactional_db):
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

    with tables_read() as tables:
        response = coordinator_client.get("/n/osterode/partner/")

    assert "Agentur für Arbeit" in response.content.decode()
    # The session comes from the cache too (cached_db sessions).
    assert sorted(tables) == ["accounts_user", "core_networkrole"]


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
    assert not any(key.startswith(":1:page:") for key in cache._cache)


def test_a_cached_page_with_forms_gets_each_persons_own_csrf_token(
    page_cache, client, coordinator, make_user, network
):
    """The cached part holds a placeholder, never a person's token; every response gets
    the token of the person asking, and the form accepts it."""
    import re

    from django.test import Client

    from uebergang.core.models import NetworkRole, Role
    from uebergang.core.templatetags.page_cache import CSRF_PLACEHOLDER
    from uebergang.meetings.tests.factories import make_board, make_meeting

    board = make_board(network)
    meeting = make_meeting(board.body)
    url = f"/n/osterode/sitzungen/{meeting.public_id}/"
    other = make_user("zweite-koordination@example.org")
    NetworkRole.objects.create(network=network, user=other, role=Role.COORDINATION)

    tokens = []
    for user in (coordinator, other, coordinator):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        body = browser.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in body
        token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[0]
        tokens.append(token)
    pages = [v for k, v in cache._cache.items() if k.startswith(":1:page:")]
    assert pages and any(CSRF_PLACEHOLDER.encode() in p for p in pages)
    assert not any(t.encode() in p for p in pages for t in tokens)

    # The token filled into the cached page is accepted by a form of that page.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(other)
    body = browser.get(url).content.decode()
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[0]
    item = meeting.agenda_items.order_by("position").first()
    response = browser.post(
        f"/n/osterode/sitzungen/top/{item.public_id}/runter/",
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


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


def test_a_repeated_detail_page_needs_no_query_for_its_record_and_shows_changes(
    page_cache, coordinator_client, network, coordinator
):
    partner = services.partner_create(
        actor=coordinator,
        network=network,
        data={"name": "Agentur für Arbeit", "valid_from": datetime.date(2013, 5, 29)},
    )
    url = f"/n/osterode/partner/{partner.public_id}/"
    coordinator_client.get(url)

    with tables_read() as tables:
        coordinator_client.get(url)
    services.partner_rename(
        actor=coordinator,
        partner=partner,
        name="Bundesagentur für Arbeit",
        valid_from=datetime.date(2020, 1, 1),
    )
    body = coordinator_client.get(url).content.decode()

    assert sorted(tables) == ["accounts_user", "core_networkrole"]
    assert '<h1 class="kern-heading-large">Bundesagentur für Arbeit</h1>' in body
