"""The one history mechanism: what `snapshot`, `diff` and `record*` write, and how the history
pages present it (readable field names and values)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from uebergang.core import history
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import Partner, Representation
from uebergang.networks.tests.factories import (
    SIGNED,
    make_partner,
    make_person,
    make_seat,
    row_counts,
)

D = datetime.date


def test_snapshot_gives_plain_values_without_bookkeeping(network):
    # given
    ihk = make_partner(network, "IHK", kind="chamber")
    person = make_person(network, "Max", "Mustermann", organisation=ihk)
    # when
    partner_data = history.snapshot(ihk)
    person_data = history.snapshot(person, ["organisation", "last_name"])
    # then
    assert partner_data == {
        "valid_from": "2013-05-29",
        "valid_to": None,
        "name": "IHK",
        "short_name": "",
        "kind": "chamber",
        "is_party": True,
        "description": "",
        "address": "",
        "email": "",
        "phone": "",
        "website": "",
        "end_reason": "",
        "end_note": "",
    }
    assert person_data == {"last_name": "Mustermann", "organisation": "IHK"}


def test_diff_lists_only_changed_fields():
    # when
    changes = history.diff({"a": 1, "b": "x", "c": None}, {"a": 1, "b": "y", "c": "neu"})
    # then
    assert changes == {"b": ["x", "y"], "c": [None, "neu"]}


def test_record_names_the_actor(network, coordinator, make_user):
    # given
    nameless = make_user("ohne-name@example.org")
    ihk = make_partner(network, "IHK")
    # when
    by_system = history.record(actor=SYSTEM, action="other", obj=ihk)
    by_nobody = history.record(actor=None, action="other", obj=ihk)
    by_user = history.record(actor=coordinator, action="other", obj=ihk)
    by_nameless = history.record(actor=nameless, action="other", obj=ihk, message="Hinweis")
    # then
    assert [(e.actor_id, e.actor_name) for e in (by_system, by_nobody, by_user, by_nameless)] == [
        (None, "System"),
        (None, "System"),
        (coordinator.pk, "Kim Koordinata"),
        (nameless.pk, "ohne-name@example.org"),
    ]
    assert (by_user.network_id, by_user.object_type, by_user.object_id, by_user.object_repr) == (
        network.pk,
        "networks.partner",
        ihk.public_id,
        "IHK",
    )
    assert by_nameless.message == "Hinweis"


def test_record_cuts_long_texts(network):
    # given
    ihk = make_partner(network, "I" * 200)
    # when
    event = history.record(actor=SYSTEM, action="other", obj=ihk, message="m" * 600)
    # then
    assert (len(event.object_repr), len(event.message)) == (200, 500)


def test_record_create_leaves_out_empty_values(network):
    # given
    ihk = Partner.objects.create(network=network, name="IHK", valid_from=SIGNED, is_party=False)
    # when
    event = history.record_create(actor=SYSTEM, obj=ihk)
    # then
    assert event.changes == {
        "valid_from": [None, "2013-05-29"],
        "name": [None, "IHK"],
        "kind": [None, "other"],
        "is_party": [None, False],
    }


def test_record_change_records_nothing_without_change_or_message(network):
    # given
    ihk = make_partner(network, "IHK")
    before = history.snapshot(ihk, ["name", "phone"])
    events = HistoryEvent.objects.count()
    # when
    nothing = history.record_change(actor=SYSTEM, obj=ihk, before=before)
    note = history.record_change(actor=SYSTEM, obj=ihk, before=before, message="nur ein Hinweis")
    ihk.phone = "0551 1"
    change = history.record_change(actor=SYSTEM, obj=ihk, before=before)
    # then
    assert nothing is None
    assert (note.changes, note.message, note.action) == ({}, "nur ein Hinweis", "update")
    assert change.changes == {"phone": ["", "0551 1"]}
    assert HistoryEvent.objects.count() == events + 2


def test_events_of_the_network_itself_belong_to_its_history(network, coordinator):
    # when
    services.network_update(
        actor=coordinator, network=network, expected_version=1, data={"region": "Göttingen"}
    )
    # then
    event = HistoryEvent.objects.filter(object_type="core.network").order_by("-id").first()
    assert (event.action, event.network_id) == ("update", network.pk)


def test_a_change_of_the_network_itself_shows_at_once_on_cached_pages(
    settings, transactional_db, coordinator_client, coordinator, network
):
    # given: pages are cached under the generations of what they show, which every history
    # record renews after its commit (core.cachegen)
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "history-network-test",
        }
    }
    cache.clear()
    start = reverse("networks:start", args=[network.slug])
    assert "Landkreis Osterode am Harz" in coordinator_client.get(start).content.decode()
    # when
    services.network_update(
        actor=coordinator,
        network=network,
        expected_version=1,
        data={"region": "Landkreis Göttingen"},
    )
    response = coordinator_client.get(start)
    cache.clear()
    # then
    assert "Landkreis Göttingen" in response.content.decode()


def test_present_events_shows_readable_labels_and_values(network, coordinator):
    # given
    ihk = make_partner(network, "IHK", kind="other", is_party=False)
    services.partner_update(
        actor=coordinator,
        partner=ihk,
        expected_version=1,
        data={
            "kind": "chamber",
            "is_party": True,
            "valid_from": D(2014, 2, 3),
            "phone": "0551 1",
        },
    )
    services.partner_end(
        actor=coordinator, partner=ihk, valid_to=D(2016, 10, 31), reason="dissolved"
    )
    # when
    ended, updated = history.present_events(
        list(HistoryEvent.objects.filter(object_id=ihk.public_id).order_by("-id")[:2])
    )
    # then
    assert (updated["actor"], updated["action"], updated["type"], updated["object"]) == (
        "Kim Koordinata",
        "geändert",
        "Partner",
        "IHK",
    )
    # (sorted: PostgreSQL's jsonb does not keep the order of the keys)
    assert sorted(updated["changes"], key=lambda c: c["field"]) == [
        {"field": "Art", "before": "Sonstige", "after": "Kammer"},
        {
            "field": "Kooperationspartner (hat die Vereinbarung unterzeichnet)",
            "before": "nein",
            "after": "ja",
        },
        {"field": "Telefon", "before": "–", "after": "0551 1"},
        {"field": "gültig ab", "before": "29.05.2013", "after": "03.02.2014"},
    ]
    assert ended["action"] == "beendet"
    assert sorted(ended["changes"], key=lambda c: c["field"]) == [
        {"field": "Grund des Endes", "before": "–", "after": "aufgelöst"},
        {"field": "gültig bis", "before": "–", "after": "31.10.2016"},
    ]


def test_present_events_copes_with_unknown_types_and_fields(network):
    # given
    event = HistoryEvent.objects.create(
        network=network,
        actor_name="System",
        action="other",
        object_type="verschwunden.modell",
        object_id="6f1c0e5e-7a53-4c4e-9b55-1f6f1a1b2c3d",
        object_repr="Alt",
        changes={"feld": ["a", None]},
    )
    # when
    [row] = history.present_events([event])
    # then
    assert (row["type"], row["changes"]) == (
        "verschwunden.modell",
        [{"field": "feld", "before": "a", "after": "–"}],
    )


def test_history_page_shows_the_change_readably(coordinator_client, coordinator, network):
    # given
    ihk = make_partner(network, "IHK", kind="other")
    services.partner_update(
        actor=coordinator, partner=ihk, expected_version=1, data={"kind": "chamber"}
    )
    # when
    response = coordinator_client.get(
        reverse("networks:record_history", args=[network.slug, "partner", ihk.public_id])
    )
    # then
    body = response.content.decode()
    assert (
        '<span class="kern-body--bold">Art:</span> <del>Sonstige</del> → <ins>Kammer</ins>' in body
    )
    assert "Kim Koordinata" in body


def test_a_refused_change_writes_no_history(network, member):
    # given
    ihk = make_partner(network, "IHK")
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied):
        services.partner_rename(actor=member, partner=ihk, name="IHK neu", valid_from=D(2018, 1, 1))
    # then
    assert row_counts() == before


def test_a_change_that_fails_half_way_writes_no_history(network, coordinator):
    # given: the successor starts only in 2017, so taking over the seat fails after the
    # predecessor and its representation were already ended inside the transaction
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen", valid_from=D(2017, 1, 1))
    rep = services.representation_create(
        actor=SYSTEM, partner=osterode, function="Kreisrat", valid_from=SIGNED
    )
    seat = make_seat(network, "Kommunen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED)
    before = row_counts()
    # when
    with pytest.raises(DomainError):
        services.partner_record_succession(
            actor=coordinator, predecessor=osterode, successor=goettingen, date=D(2016, 11, 1)
        )
    # then
    assert row_counts() == before
    assert Partner.objects.get(pk=osterode.pk).valid_to is None
    assert Representation.objects.get(pk=rep.pk).valid_to is None
