"""Fixtures every test may use: two networks, users in each role, signed-in clients."""

from __future__ import annotations

import datetime
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright


@pytest.fixture(autouse=True)
def _german():
    """Every test starts in German: a request in English (the language switch) leaves the
    thread's language active, which would leak into the next test's service messages."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


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
