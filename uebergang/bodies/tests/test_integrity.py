"""What must hold even when two requests pass the services' checks at the same moment: active
bodies have distinct names (a database constraint, case-insensitive), and what is added to
a body respects the state of its seat as stored. The races themselves run on PostgreSQL
(`core/tests/test_races.py`); here the constraint is met by skipping the friendly check
before it, which is what the second of two concurrent requests experiences."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from uebergang.bodies import services
from uebergang.bodies.models import Body
from uebergang.core.exchange import ImportRefused, export_network, import_network
from uebergang.core.permissions import SYSTEM
from uebergang.networks.tests.factories import make_partner, make_person

from .test_services import refused

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2014, 1, 1)
TAKEN = "Ein aktives Gremium mit diesem Namen gibt es schon."


def make_body(network, name, **data):
    data.setdefault("valid_from", START)
    return services.body_create(
        actor=SYSTEM, network=network, data={"name": name, "kind": "working_group", **data}
    )


def test_two_active_bodies_with_the_same_name_in_any_case_violate_the_constraint(network):
    make_body(network, "AG Berufsorientierung")
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(
            network=network, name="ag BERUFSORIENTIERUNG", kind="working_group", valid_from=START
        )


def test_a_dissolved_or_deleted_body_leaves_its_name_free(network, other_network):
    old = make_body(network, "AG Berufsorientierung")
    services.body_dissolve(actor=SYSTEM, body=old, valid_to=D(2016, 10, 31))
    gone = make_body(network, "AG Berufsorientierung")
    Body.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    make_body(other_network, "AG Berufsorientierung")
    make_body(network, "AG Berufsorientierung")
    assert Body.all_objects.filter(name="AG Berufsorientierung").count() == 4


def test_the_constraint_refuses_a_create_with_the_german_field_error(network, monkeypatch):
    make_body(network, "AG Berufsorientierung")
    real = Body.objects.filter
    monkeypatch.setattr(
        Body.objects,
        "filter",
        lambda *a, **kw: real(*a, **kw).none() if "name__iexact" in kw else real(*a, **kw),
    )
    error = refused(lambda: make_body(network, "ag berufsorientierung"))
    assert (error.message, error.field_errors) == (TAKEN, {"name": [TAKEN]})


def test_the_constraint_refuses_an_update_with_the_german_field_error(network, monkeypatch):
    make_body(network, "AG Berufsorientierung")
    other = make_body(network, "AG Übergang Schule-Beruf")
    real = Body.objects.filter
    monkeypatch.setattr(
        Body.objects,
        "filter",
        lambda *a, **kw: real(*a, **kw).none() if "name__iexact" in kw else real(*a, **kw),
    )
    error = refused(
        lambda: services.body_update(
            actor=SYSTEM,
            body=other,
            expected_version=other.version,
            data={"name": "AG BERUFSORIENTIERUNG"},
        )
    )
    assert error.field_errors == {"name": [TAKEN]}


def test_the_import_refuses_two_active_bodies_with_the_same_name_before_writing(network):
    make_body(network, "AG Berufsorientierung")
    make_body(network, "AG Übergang Schule-Beruf")
    data = export_network(network)
    bodies = data["parts"]["bodies"]["bodies"]
    index = next(i for i, b in enumerate(bodies) if b["name"] == "AG Übergang Schule-Beruf")
    bodies[index]["name"] = "ag berufsorientierung"
    with pytest.raises(ImportRefused) as info:
        import_network(data, replace=True)

    def where(i):
        return f"bodies[{i}] (public_id {bodies[i]['public_id']})"

    earlier, later = sorted((index, 1 - index))
    assert info.value.messages == [
        f"{where(later)}: „name“: dieselbe Angabe gibt es schon in {where(earlier)}"
    ]
    assert Body.objects.filter(network=network).count() == 2
    bodies[index]["valid_to"] = "2016-10-31"
    imported = import_network(data, replace=True)
    assert Body.all_objects.filter(network=imported).count() == 2


def test_a_member_is_not_added_to_a_seat_that_ended_meanwhile(network):
    """The seat as stored decides, not as the caller loaded it (locked on PostgreSQL)."""
    body = make_body(network, "Beirat")
    ihk = make_partner(network, "IHK", kind="chamber")
    seat = services.body_seat_add(actor=SYSTEM, body=body, partner=ihk, valid_from=START)
    loaded = type(seat).objects.get(pk=seat.pk)
    services.body_seat_end(actor=SYSTEM, seat=seat, valid_to=D(2015, 12, 31))
    anna = make_person(network, "Anna", "Arndt")
    error = refused(
        lambda: services.membership_add(
            actor=SYSTEM, body=body, person=anna, role="member", seat=loaded, valid_from=START
        )
    )
    assert error.field_errors == {
        "seat": ["Der Zeitraum muss in die Zeit des Sitzes fallen (01.01.2014 – 31.12.2015)."]
    }


def test_an_office_is_not_given_to_a_membership_that_ended_meanwhile(network):
    body = make_body(network, "Beirat")
    ihk = make_partner(network, "IHK", kind="chamber")
    seat = services.body_seat_add(actor=SYSTEM, body=body, partner=ihk, valid_from=START)
    anna = make_person(network, "Anna", "Arndt")
    membership = services.membership_add(
        actor=SYSTEM, body=body, person=anna, role="member", seat=seat, valid_from=START
    )
    loaded = type(membership).objects.get(pk=membership.pk)
    services.membership_end(actor=SYSTEM, membership=membership, valid_to=D(2015, 12, 31))
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM, membership=loaded, kind="chair", valid_from=D(2015, 1, 1)
        )
    )
    assert error.field_errors == {
        "valid_from": [
            "Der Zeitraum muss in die Zeit der Mitgliedschaft fallen (01.01.2014 – 31.12.2015)."
        ]
    }
