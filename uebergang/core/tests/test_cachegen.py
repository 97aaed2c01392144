"""The generations that key cached pages (`core.cachegen`): renewed after commit, per kind of
record, merged without losing another writer's renewal."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from uebergang.core import cachegen
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services


def generations(network: Network) -> dict:
    return Network.all_objects.get(pk=network.pk).cache_generations


def test_a_new_network_has_a_random_epoch_and_no_other_generation(network):
    assert set(generations(network)) == {"epoch"}


@pytest.mark.django_db(transaction=True)
def test_a_change_renews_its_kind_and_everything_only_after_commit(network):
    before = generations(network)
    with transaction.atomic():
        services.partner_create(
            actor=SYSTEM,
            network=network,
            data={"name": "Kammer", "valid_from": datetime.date(2013, 5, 29)},
        )
        inside = generations(network)
    after = generations(network)
    assert inside == before, "nothing is written to the network row inside the transaction"
    assert after["networks.partner"] != before.get("networks.partner")
    assert after["*"] != before.get("*")
    assert after["epoch"] == before["epoch"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_renews_nothing_by_itself(network):
    before = generations(network)
    with pytest.raises(RuntimeError), transaction.atomic():
        cachegen.changed(network, ["networks.partner"])
        raise RuntimeError
    assert generations(network) == before


@pytest.mark.django_db(transaction=True)
def test_two_renewals_of_different_kinds_are_both_kept(network):
    cachegen.changed(network, ["networks.partner"])
    first = generations(network)
    cachegen.changed(network, ["bodies.body"])
    second = generations(network)
    assert second["networks.partner"] == first["networks.partner"]
    assert "bodies.body" in second


def test_the_key_carries_the_declared_kinds_only(network):
    network.cache_generations = {"epoch": 1, "*": 2, "networks.partner": 3, "bodies.body": 4}
    partner_key = cachegen.key_part(network, ["networks.partner"])
    network.cache_generations["bodies.body"] = 5
    assert cachegen.key_part(network, ["networks.partner"]) == partner_key
    network.cache_generations["networks.partner"] = 6
    assert cachegen.key_part(network, ["networks.partner"]) != partner_key
    # a kind never changed reads as the epoch; a bulk write renews the epoch for every key
    unchanged = cachegen.key_part(network, ["meetings.meeting"])
    network.cache_generations["epoch"] = 7
    assert cachegen.key_part(network, ["meetings.meeting"]) != unchanged
    assert cachegen.key_part(network) != cachegen.key_part(network, ["networks.partner"])


def test_kinds_lists_the_models_of_an_app():
    assert "networks.partner" in cachegen.kinds("networks")
    assert "bodies.body" not in cachegen.kinds("networks")
