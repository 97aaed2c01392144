"""The navigation is assembled from the entries the apps register (`core.navigation`)."""

from __future__ import annotations

import pytest

from uebergang.core import navigation
from uebergang.core.permissions import access_for

MENU = [
    "Netzwerk",
    "Gremien",
    "Themen",
    "Sitzungen",
    "Beschlüsse",
    "Netzwerktag",
    "Partner",
    "Sammelvertretungen",
]
OFFICE_ONLY = ["Übersicht", "Teilnahme", "Verlauf"]


def test_every_app_brings_its_entries_and_each_key_has_an_address(network):
    urls = navigation.nav_urls(network.slug)
    assert urls["start"] == "/n/osterode/"
    assert {"partner_list", "body_list", "meeting_list", "networkday_list", "feed_list"} <= set(
        urls
    )


def test_a_member_sees_the_entries_of_pages_they_may_open(member, network):
    labels = [str(e["label"]) for e in navigation.nav_menu(access_for(member, network))]
    assert labels == [*MENU[:8], "Personen"]


def test_the_coordination_office_sees_all(coordinator, network):
    labels = [str(e["label"]) for e in navigation.nav_menu(access_for(coordinator, network))]
    assert labels == [
        "Netzwerk",
        "Übersicht",
        "Gremien",
        "Themen",
        "Sitzungen",
        "Beschlüsse",
        "Netzwerktag",
        "Teilnahme",
        "Partner",
        "Sammelvertretungen",
        "Personen",
        "Verlauf",
        "Einstellungen",
    ]


def test_the_menu_on_a_page_is_the_person_s_menu(member_client, network):
    html = member_client.get("/n/osterode/gremien/").content.decode()
    for label in OFFICE_ONLY:
        assert f">{label}</a></li>" not in html
    assert 'aria-current="page">Gremien</a>' in html


def test_registering_another_entry_under_a_known_key_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        navigation.register_nav("start", "networks:dashboard", order=10)
