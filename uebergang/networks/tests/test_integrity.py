"""What must hold even when two requests pass the services' checks at the same moment: active
partners have distinct names (a database constraint, case-insensitive), and a person is
linked to an account only through the service. The races themselves are in
`core/tests/test_races.py` (PostgreSQL); here the constraint is met by skipping the friendly
check before it, which is what the second of two concurrent requests experiences."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.exchange import ImportRefused, export_network, import_network
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import Partner, PartnerName, Person

from .factories import REGISTRY_MODELS, SIGNED, PartnerFactory, make_partner, make_person

pytestmark = pytest.mark.django_db

D = datetime.date
TAKEN = "Einen aktiven Partner mit diesem Namen gibt es schon."


def state() -> tuple[list, int]:
    """Every registry row (version, deletion, fields) and the number of history events."""
    from uebergang.core import history

    rows = []
    for model in REGISTRY_MODELS:
        if model is HistoryEvent:
            continue
        for row in model._base_manager.order_by("pk"):
            rows.append((model.__name__, row.pk, history.snapshot(row)))
    return rows, HistoryEvent.objects.count()


def refused(call, error=DomainError):
    """Run `call`, expect `error`, and check that nothing changed."""
    before = state()
    with pytest.raises(error) as exc:
        call()
    assert state() == before
    return exc.value


@pytest.fixture
def no_friendly_check(monkeypatch):
    """The check before writing answers "free" (as for the second of two requests at once):
    only the database constraint stands in the way."""
    monkeypatch.setattr(services, "_check_unique_name", lambda *args, **kwargs: None)


# --- the constraint --------------------------------------------------------------------------


def test_two_active_partners_with_the_same_name_in_any_case_violate_the_constraint(network):
    PartnerFactory(network=network, name="Handwerkskammer Hildesheim")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(network=network, name="HANDWERKSKAMMER hildesheim")


def test_an_ended_or_deleted_partner_leaves_its_name_free(network, other_network):
    PartnerFactory(network=network, name="Kammer", valid_to=D(2016, 10, 31))
    PartnerFactory(network=network, name="Kammer", deleted_at=timezone.now())
    PartnerFactory(network=other_network, name="Kammer")
    PartnerFactory(network=network, name="Kammer")
    assert Partner.all_objects.filter(name="Kammer").count() == 4


def test_the_constraint_refuses_a_create_with_the_german_field_error(network, no_friendly_check):
    make_partner(network, "Handwerkskammer Hildesheim")
    error = refused(
        lambda: services.partner_create(
            actor=SYSTEM,
            network=network,
            data={"name": "handwerkskammer hildesheim", "valid_from": SIGNED},
        )
    )
    assert (error.message, error.field_errors) == (TAKEN, {"name": [TAKEN]})


def test_the_constraint_refuses_an_update_with_the_german_field_error(network, no_friendly_check):
    make_partner(network, "Handwerkskammer Hildesheim")
    other = make_partner(network, "Kreishandwerkerschaft")
    error = refused(
        lambda: services.partner_update(
            actor=SYSTEM,
            partner=other,
            expected_version=1,
            data={"name": "Handwerkskammer HILDESHEIM"},
        )
    )
    assert error.field_errors == {"name": [TAKEN]}


def test_the_constraint_refuses_a_rename_with_the_german_field_error(network, no_friendly_check):
    make_partner(network, "Handwerkskammer Hildesheim")
    other = make_partner(network, "Kreishandwerkerschaft")
    error = refused(
        lambda: services.partner_rename(
            actor=SYSTEM, partner=other, name="Handwerkskammer Hildesheim", valid_from=D(2020, 1, 1)
        )
    )
    assert error.field_errors == {"name": [TAKEN]}
    assert list(PartnerName.objects.filter(partner=other).values_list("name", "valid_to")) == [
        ("Kreishandwerkerschaft", None)
    ]


def test_a_new_successor_with_a_taken_name_is_refused_at_its_own_field(network, no_friendly_check):
    make_partner(network, "Landkreis Göttingen")
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    error = refused(
        lambda: services.partner_record_succession(
            actor=SYSTEM,
            predecessor=osterode,
            date=D(2016, 11, 1),
            successor_data={"name": "Landkreis Göttingen"},
        )
    )
    assert error.field_errors == {"new_successor_name": [TAKEN]}


def test_the_name_of_an_ended_partner_may_be_taken_again(network):
    old = make_partner(network, "Landkreis Göttingen")
    services.partner_end(actor=SYSTEM, partner=old, valid_to=D(2016, 10, 31))
    again = make_partner(network, "Landkreis Göttingen", valid_from=D(2016, 11, 1))
    assert again.name == old.name


# --- the exchange file knows the constraint --------------------------------------------------


def test_the_import_refuses_two_active_partners_with_the_same_name_before_writing(network):
    make_partner(network, "Handwerkskammer Hildesheim")
    make_partner(network, "Kreishandwerkerschaft")
    data = export_network(network)
    partners = data["parts"]["networks"]["partners"]
    index = next(i for i, p in enumerate(partners) if p["name"] == "Kreishandwerkerschaft")
    first = 1 - index
    partners[index]["name"] = "HANDWERKSKAMMER Hildesheim"
    before = state()
    with pytest.raises(ImportRefused) as info:
        import_network(data, replace=True)
    assert state() == before

    def where(i):
        return f"partners[{i}] (public_id {partners[i]['public_id']})"

    earlier, later = sorted((index, first))  # the file lists records by public id
    assert info.value.messages == [
        f"{where(later)}: „name“: dieselbe Angabe gibt es schon in {where(earlier)}"
    ]
    # An ended partner may carry the name of an active one.
    partners[index]["valid_to"] = "2016-10-31"
    imported = import_network(data, replace=True)
    assert (
        Partner.objects.filter(network=imported, name__iexact="Handwerkskammer Hildesheim").count()
        == 2
    )


# --- linking a person to an account ----------------------------------------------------------


def test_person_link_account_links_and_records_it(network, coordinator, make_user):
    rita = make_person(network, "Rita", "Repräsentantin")
    account = make_user("rita@example.org", name="Rita R.")
    linked = services.person_link_account(actor=coordinator, person=rita, user=account)
    stored = Person.objects.get(pk=rita.pk)
    assert (stored.user_id, stored.version, linked.version) == (account.pk, 2, 2)
    event = HistoryEvent.objects.filter(object_id=rita.public_id).order_by("-id").first()
    assert (event.action, event.actor_name, event.changes) == (
        "assign",
        "Kim Koordinata",
        {"user": [None, str(account)]},
    )


def test_person_link_account_is_refused_when_it_cannot_hold(
    network, other_network, coordinator, member, make_user
):
    rita = make_person(network, "Rita", "Repräsentantin")
    otto = make_person(network, "Otto", "Ohm")
    account = make_user("rita@example.org", name="Rita R.")
    services.person_link_account(actor=coordinator, person=rita, user=account)

    def link(person, user, actor=coordinator):
        return lambda: services.person_link_account(actor=actor, person=person, user=user)

    error = refused(link(rita, account))
    assert error.field_errors == {
        "user": ["Rita Repräsentantin ist bereits mit diesem Benutzerkonto verknüpft."]
    }
    error = refused(link(rita, make_user("zweit@example.org")))
    assert error.field_errors == {
        "user": [
            "Rita Repräsentantin ist bereits mit einem anderen Benutzerkonto verknüpft; "
            "lösen Sie zuerst diese Verknüpfung."
        ]
    }
    error = refused(link(otto, account))
    assert error.field_errors == {
        "user": [
            "Dieses Benutzerkonto ist in diesem Netzwerk schon mit Rita Repräsentantin verknüpft."
        ]
    }
    locked_out = make_user("gesperrt@example.org")
    locked_out.is_active = False
    locked_out.save(update_fields=["is_active"])
    error = refused(link(otto, locked_out))
    assert error.field_errors == {
        "user": ["Dieses Benutzerkonto ist gesperrt und kann nicht verknüpft werden."]
    }
    refused(link(otto, make_user("neu@example.org"), actor=member), PermissionDenied)
    # In another network the same account may stand for another person.
    fremd = make_person(other_network, "Rita", "Repräsentantin")
    services.person_link_account(actor=SYSTEM, person=fremd, user=account)
    assert Person.objects.filter(user=account).count() == 2


def test_person_link_account_is_refused_by_the_constraint_when_two_link_at_once(
    network, make_user, monkeypatch
):
    """Two people linked to one account at the same moment: the second meets the
    constraint `networks_person_one_per_user` and gets the same German error."""
    rita = make_person(network, "Rita", "Repräsentantin")
    otto = make_person(network, "Otto", "Ohm")
    account = make_user("rita@example.org")
    services.person_link_account(actor=SYSTEM, person=rita, user=account)
    real_filter = Person.objects.filter
    calls = []

    def first_check_sees_nobody(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if kwargs.get("user") is account and not calls:
            calls.append(1)
            return qs.none()
        return qs

    monkeypatch.setattr(Person.objects, "filter", first_check_sees_nobody)
    error = refused(lambda: services.person_link_account(actor=SYSTEM, person=otto, user=account))
    assert error.field_errors == {
        "user": [
            "Dieses Benutzerkonto ist in diesem Netzwerk schon mit Rita Repräsentantin verknüpft."
        ]
    }


def test_a_deleted_person_is_not_linked(network, make_user):
    gone = make_person(network, "Gerd", "Gegangen")
    Person.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    error = refused(
        lambda: services.person_link_account(
            actor=SYSTEM, person=gone, user=make_user("gerd@example.org")
        )
    )
    assert (error.message, error.code) == ("Diese Person gibt es nicht mehr.", "deleted")


def test_person_unlink_account(network, coordinator, make_user):
    rita = make_person(network, "Rita", "Repräsentantin")
    account = make_user("rita@example.org", name="Rita R.")
    services.person_link_account(actor=coordinator, person=rita, user=account)
    services.person_unlink_account(actor=coordinator, person=rita)
    assert Person.objects.get(pk=rita.pk).user_id is None
    event = HistoryEvent.objects.filter(object_id=rita.public_id).order_by("-id").first()
    assert (event.action, event.changes) == ("unassign", {"user": [str(account), None]})
    error = refused(lambda: services.person_unlink_account(actor=coordinator, person=rita))
    assert (error.message, error.code) == (
        "Rita Repräsentantin ist mit keinem Benutzerkonto verknüpft.",
        "not_linked",
    )
