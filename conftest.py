"""Fixtures every test may use: two networks, users in each role, signed-in clients."""

from __future__ import annotations

import copy
import datetime
import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

# The browser tests' fixtures (Chromium, axe-core, signing in), for every app's journeys.
pytest_plugins = ["uebergang.testing.browser"]

# --- the clock -------------------------------------------------------------------------------
# "Today" comes from one place. UEBERGANG_CLOCK moves the whole run to another day, with the
# clock ticking on from there: "+400d" (days from now), or a day "2027-03-28" / a moment
# "2027-03-28T09:30" in Europe/Berlin. CI runs the suite once shifted and the tests marked
# `clock` (demo, export/import, work queue) on several days (.ci/run).
_traveller = None


def clock_target(value: str) -> datetime.datetime | None:
    """The moment UEBERGANG_CLOCK names (None for an empty value)."""
    import zoneinfo

    value = value.strip()
    if not value:
        return None
    now = datetime.datetime.now(datetime.UTC)
    if match := re.fullmatch(r"([+-]\d+)d", value):
        return now + datetime.timedelta(days=int(match.group(1)))
    moment = datetime.datetime.fromisoformat(value)
    if len(value) == 10:  # a day: at 10:00 there
        moment = moment.replace(hour=10)
    return moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))


def pytest_configure(config):
    global _traveller
    target = clock_target(os.environ.get("UEBERGANG_CLOCK", ""))
    if target is not None and _traveller is None:
        import time_machine

        _traveller = time_machine.travel(target, tick=True)
        _traveller.start()


def pytest_report_header(config):
    if _traveller is not None:
        return f"clock moved to {datetime.datetime.now().isoformat(timespec='minutes')}"
    return None


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


@pytest.fixture(autouse=True)
def _german():
    """Every test starts in German: a request in English (the language switch) leaves the
    thread's language active, which would leak into the next test's service messages."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


# --- the demo network, built once per session ----------------------------------------------


@pytest.fixture(scope="session")
def demo_export(django_db_setup, django_db_blocker):
    """The demo network as an exchange file, built once per test session (per xdist worker)
    with the services, inside a transaction that is rolled back."""
    from django.db import transaction

    from uebergang.core.exchange import export_network
    from uebergang.networks import demo

    with django_db_blocker.unblock(), transaction.atomic():
        data = export_network(demo.build_demo())
        transaction.set_rollback(True)
    return data


@pytest.fixture
def demo_data(demo_export):
    """A copy of the demo's exchange file to change freely."""
    return copy.deepcopy(demo_export)


@pytest.fixture
def demo_network(db, demo_export):
    """The demo network in the test database (imported from the session's build, with the
    demo password on its accounts): as `manage.py load_demo` leaves it, faster."""
    from uebergang.accounts.models import User
    from uebergang.core.exchange import import_network
    from uebergang.networks import demo

    network = import_network(copy.deepcopy(demo_export))
    for user in User.objects.filter(email__in=[demo.COORDINATION_EMAIL, demo.MEMBER_EMAIL]):
        user.set_password(demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return network


@pytest.fixture
def make_user(db):
    from uebergang.accounts.models import User

    def make(
        email: str,
        *,
        password: str = "Geheim-Passwort-2026",
        name: str = "",
        superuser: bool = False,
    ):
        return User.objects.create_user(
            email=email,
            password=password,
            display_name=name,
            is_superuser=superuser,
            is_staff=superuser,
        )

    return make


@pytest.fixture
def network(db):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import network_create

    return network_create(
        actor=SYSTEM,
        slug="osterode",
        name="Übergang Schule–Beruf Osterode am Harz",
        valid_from=datetime.date(2013, 5, 29),
        region="Landkreis Osterode am Harz",
    )


@pytest.fixture
def other_network(db):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import network_create

    return network_create(
        actor=SYSTEM,
        slug="anderswo",
        name="Netzwerk Anderswo",
        valid_from=datetime.date(2015, 1, 1),
        region="Landkreis Anderswo",
    )


def _grant(network, user, role):
    from uebergang.accounts.services import network_role_grant
    from uebergang.core.permissions import SYSTEM

    network_role_grant(actor=SYSTEM, network=network, user=user, role=role)
    return user


@pytest.fixture
def coordinator(make_user, network):
    return _grant(
        network, make_user("koordination@example.org", name="Kim Koordinata"), "coordination"
    )


@pytest.fixture
def member(make_user, network):
    return _grant(network, make_user("mitglied@example.org", name="Mika Mitglied"), "member")


@pytest.fixture
def outsider(make_user, other_network):
    """Coordination office of another network."""
    return _grant(
        other_network, make_user("fremd@example.org", name="Fritzi Fremd"), "coordination"
    )


@pytest.fixture
def stranger(make_user):
    """Signed in, but in no network."""
    return make_user("niemand@example.org", name="Nora Niemand")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def real_cache(settings):
    """A working cache (the suite runs with the dummy cache), empty before and after: for
    tests of what the page cache keeps and renews."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "real-cache-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()
