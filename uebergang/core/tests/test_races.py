"""Two requests change the same record at the same moment. On PostgreSQL the services lock the
row (`SELECT … FOR UPDATE`) and check the version, so exactly one change wins and the other is
refused with a clear error. SQLite serialises writers anyway; these tests need real row locks
and run in CI's PostgreSQL pass.

Each test starts two real threads (each with its own database connection) behind a barrier.
Where the outcome would otherwise depend on the scheduler, a short pause widens the window
between reading and writing: a service that locks before it reads is not affected by the
pause, one that does not lock loses the race every time instead of now and then."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from uebergang.core.errors import Conflict, DomainError
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import Partner, PartnerName, SeatAssignment

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)

SIGNED = datetime.date(2013, 5, 29)
PAUSE = 0.3  # seconds: long enough for the other thread to reach the same point
TIMEOUT = 30  # seconds: a thread that hangs (a deadlock) fails the test instead of the run


def race(*actions: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the actions at once, each in its own thread with its own database connection.
    Returns per action ("ok", result) or ("error", exception), in the order given."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[tuple[str, Any] | None] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            outcomes[index] = ("ok", action())
        except Exception as error:  # the test inspects it
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, action), daemon=True)
        for i, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread hangs (deadlock?)"
    assert all(o is not None for o in outcomes)
    return outcomes  # type: ignore[return-value]


def split(outcomes: list[tuple[str, Any]]) -> tuple[list[Any], list[Exception]]:
    wins = [value for kind, value in outcomes if kind == "ok"]
    losses = [value for kind, value in outcomes if kind == "error"]
    return wins, losses


def _slow_lock(monkeypatch) -> None:
    """Hold each row lock a moment longer, so the other thread surely waits for it."""
    real = services.lock

    def lock_and_pause(obj: Any) -> Any:
        locked = real(obj)
        time.sleep(PAUSE)
        return locked

    monkeypatch.setattr(services, "lock", lock_and_pause)


def _events(obj: Any, action: str) -> int:
    return HistoryEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.public_id, action=action
    ).count()


@pytest.fixture
def partner(network):
    return services.partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Handwerkskammer Hildesheim", "kind": "chamber", "valid_from": SIGNED},
    )


# --- (i) two edits of the same version --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_of_one_version_one_wins_the_other_conflicts(
    monkeypatch, coordinator, network, partner
):
    # given: both loaded version 1
    assert partner.version == 1
    _slow_lock(monkeypatch)

    def edit(phone: str) -> Callable[[], Partner]:
        def action() -> Partner:
            loaded = Partner.objects.get(pk=partner.pk)
            return services.partner_update(
                actor=coordinator,
                partner=loaded,
                expected_version=1,
                data={"phone": phone},
            )

        return action

    # when
    wins, losses = split(race(edit("05522 1111"), edit("05522 2222")))

    # then: one saved, the other got the conflict (and not some other error)
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], Conflict), repr(losses[0])
    assert losses[0].code == "conflict" and losses[0].details == {"current_version": 2}
    stored = Partner.objects.get(pk=partner.pk)
    assert (stored.phone, stored.version) == (wins[0].phone, 2)
    assert _events(partner, "update") == 1
    event = HistoryEvent.objects.get(
        object_type="networks.partner", object_id=partner.public_id, action="update"
    )
    assert event.actor_name == "Kim Koordinata"
    assert event.changes == {"phone": ["", wins[0].phone]}


# --- (ii) the same partner assigned twice to one seat -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_assignments_of_a_partner_to_a_seat_make_one(
    monkeypatch, coordinator, network, partner
):
    # given
    seat = services.seat_create(
        actor=SYSTEM, network=network, data={"name": "Kammern", "valid_from": SIGNED}
    )
    real_overlaps = services.open_period_overlaps

    def overlaps_then_pause(qs, start, end):
        """Answer the overlap question now, then pause before the caller writes."""
        answer = real_overlaps(qs, start, end).exists()
        time.sleep(PAUSE)
        return qs.all() if answer else qs.none()

    monkeypatch.setattr(services, "open_period_overlaps", overlaps_then_pause)

    def assign() -> SeatAssignment:
        return services.seat_assign(
            actor=coordinator,
            seat=type(seat).objects.get(pk=seat.pk),
            partner=Partner.objects.get(pk=partner.pk),
            valid_from=SIGNED,
        )

    # when
    wins, losses = split(race(assign, assign))

    # then: one assignment; the other refused with the German message at the partner field
    assigned = SeatAssignment.objects.filter(seat=seat, partner=partner)
    assert assigned.count() == 1, (
        f"{assigned.count()} assignments of the same partner to the same seat for the same "
        "period: seat_assign checks for an overlap without a lock"
    )
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    assert losses[0].field_errors == {
        "partner": [
            "Handwerkskammer Hildesheim ist dieser Sammelvertretung in diesem Zeitraum "
            "bereits zugeordnet."
        ]
    }
    assert (
        HistoryEvent.objects.filter(
            parent_type="networks.constituencyseat", parent_id=seat.public_id, action="assign"
        ).count()
        == 1
    )
    assert _events(partner, "assign") == 1


# --- (iii) two renames at once ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_renames_one_rename_and_one_open_name(
    monkeypatch, coordinator, network, partner
):
    # given
    _slow_lock(monkeypatch)
    day = datetime.date(2020, 1, 1)

    def rename(name: str) -> Callable[[], Partner]:
        def action() -> Partner:
            return services.partner_rename(
                actor=coordinator,
                partner=Partner.objects.get(pk=partner.pk),
                name=name,
                valid_from=day,
            )

        return action

    # when
    wins, losses = split(
        race(rename("Handwerkskammer Hildesheim-Südniedersachsen"), rename("HWK Südniedersachsen"))
    )

    # then: one rename, the other refused (a domain error or a version conflict)
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    stored = Partner.objects.get(pk=partner.pk)
    assert (stored.name, stored.version) == (wins[0].name, 2)
    names = list(PartnerName.objects.filter(partner=partner).order_by("valid_from"))
    assert [(n.name, n.valid_from, n.valid_to) for n in names] == [
        ("Handwerkskammer Hildesheim", SIGNED, day - datetime.timedelta(days=1)),
        (wins[0].name, day, None),
    ]
    assert PartnerName.objects.filter(partner=partner, valid_to__isnull=True).count() == 1
    assert _events(partner, "rename") == 1


# --- (iv) unique names of active partners and bodies: the database constraint decides -------

PARTNER_TAKEN = "Einen aktiven Partner mit diesem Namen gibt es schon."
BODY_TAKEN = "Ein aktives Gremium mit diesem Namen gibt es schon."


def _slow_name_check(monkeypatch) -> None:
    """Both requests pass the check for a free name before either writes."""
    real = services._check_unique_name

    def check_then_pause(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        time.sleep(PAUSE)

    monkeypatch.setattr(services, "_check_unique_name", check_then_pause)


def _one_wins_one_taken(outcomes: list[tuple[str, Any]], message: str) -> Any:
    wins, losses = split(outcomes)
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    assert (losses[0].message, losses[0].field_errors) == (message, {"name": [message]})
    return wins[0]


@pytest.mark.django_db(transaction=True)
def test_two_partners_created_at_once_with_the_same_name_make_one(
    monkeypatch, coordinator, network
):
    _slow_name_check(monkeypatch)

    def create(name: str) -> Callable[[], Partner]:
        return lambda: services.partner_create(
            actor=coordinator, network=network, data={"name": name, "valid_from": SIGNED}
        )

    won = _one_wins_one_taken(
        race(create("Kreishandwerkerschaft"), create("KREISHANDWERKERSCHAFT")), PARTNER_TAKEN
    )
    assert list(Partner.objects.filter(network=network).values_list("name", flat=True)) == [
        won.name
    ]
    assert PartnerName.objects.filter(network=network).count() == 1
    assert HistoryEvent.objects.filter(object_type="networks.partner", action="create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_partners_renamed_at_once_to_the_same_name_one_is_refused(
    monkeypatch, coordinator, network, partner
):
    other = services.partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Kreishandwerkerschaft", "valid_from": SIGNED},
    )
    _slow_name_check(monkeypatch)
    day = datetime.date(2020, 1, 1)

    def rename(pk: int, name: str) -> Callable[[], Partner]:
        return lambda: services.partner_rename(
            actor=coordinator, partner=Partner.objects.get(pk=pk), name=name, valid_from=day
        )

    won = _one_wins_one_taken(
        race(rename(partner.pk, "Kammer Süd"), rename(other.pk, "kammer süd")), PARTNER_TAKEN
    )
    lost = other if won.pk == partner.pk else partner
    stored = Partner.objects.get(pk=lost.pk)
    assert (stored.name, stored.version) == (lost.name, 1)
    assert list(PartnerName.objects.filter(partner=lost).values_list("name", "valid_to")) == [
        (lost.name, None)
    ]
    assert _events(lost, "rename") == 0 and _events(won, "rename") == 1


@pytest.mark.django_db(transaction=True)
def test_a_partner_created_and_another_renamed_at_once_to_one_name_one_is_refused(
    monkeypatch, coordinator, network, partner
):
    _slow_name_check(monkeypatch)
    create = lambda: services.partner_create(  # noqa: E731
        actor=coordinator, network=network, data={"name": "Kammer Süd", "valid_from": SIGNED}
    )
    rename = lambda: services.partner_rename(  # noqa: E731
        actor=coordinator,
        partner=Partner.objects.get(pk=partner.pk),
        name="Kammer Süd",
        valid_from=datetime.date(2020, 1, 1),
    )
    _one_wins_one_taken(race(create, rename), PARTNER_TAKEN)
    assert Partner.objects.filter(network=network, name="Kammer Süd").count() == 1


def _slow_body_check(monkeypatch) -> None:
    """`_check_quorum` runs after the name check and before the write: pause there."""
    from uebergang.bodies import services as body_services

    real = body_services._check_quorum

    def quorum_then_pause(body: Any) -> None:
        real(body)
        time.sleep(PAUSE)

    monkeypatch.setattr(body_services, "_check_quorum", quorum_then_pause)


@pytest.mark.django_db(transaction=True)
def test_two_bodies_created_at_once_with_the_same_name_make_one(monkeypatch, coordinator, network):
    from uebergang.bodies import services as body_services
    from uebergang.bodies.models import Body

    _slow_body_check(monkeypatch)

    def create(name: str) -> Callable[[], Any]:
        return lambda: body_services.body_create(
            actor=coordinator,
            network=network,
            data={"name": name, "kind": "working_group", "valid_from": SIGNED},
        )

    _one_wins_one_taken(race(create("AG Übergang"), create("ag übergang")), BODY_TAKEN)
    assert Body.objects.filter(network=network).count() == 1
    assert HistoryEvent.objects.filter(object_type="bodies.body", action="create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_bodies_renamed_at_once_to_the_same_name_one_is_refused(
    monkeypatch, coordinator, network
):
    from uebergang.bodies import services as body_services
    from uebergang.bodies.models import Body

    bodies = [
        body_services.body_create(
            actor=SYSTEM,
            network=network,
            data={"name": name, "kind": "working_group", "valid_from": SIGNED},
        )
        for name in ("AG Eins", "AG Zwei")
    ]
    _slow_body_check(monkeypatch)

    def rename(body: Any, name: str) -> Callable[[], Any]:
        return lambda: body_services.body_update(
            actor=coordinator,
            body=Body.objects.get(pk=body.pk),
            expected_version=1,
            data={"name": name},
        )

    won = _one_wins_one_taken(
        race(rename(bodies[0], "AG Neu"), rename(bodies[1], "AG NEU")), BODY_TAKEN
    )
    lost = bodies[1] if won.pk == bodies[0].pk else bodies[0]
    assert sorted(Body.objects.filter(network=network).values_list("name", "version")) == sorted(
        [(won.name, 2), (lost.name, 1)]
    )


# --- (v) one account, two people at once ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_one_account_linked_to_two_people_at_once_links_one(
    monkeypatch, coordinator, network, make_user
):
    from uebergang.networks.models import Person

    account = make_user("rita@example.org", name="Rita R.")
    people = [
        services.person_create(
            actor=SYSTEM, network=network, data={"first_name": first, "last_name": "Ohm"}
        )
        for first in ("Rita", "Otto")
    ]
    real_snapshot = services.history.snapshot

    def snapshot_then_pause(*args: Any, **kwargs: Any) -> Any:
        """Runs after the check for another linked person, before the write."""
        result = real_snapshot(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(services.history, "snapshot", snapshot_then_pause)

    def link(person: Any) -> Callable[[], Any]:
        return lambda: services.person_link_account(
            actor=coordinator, person=Person.objects.get(pk=person.pk), user=account
        )

    wins, losses = split(race(link(people[0]), link(people[1])))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError), repr(losses[0])
    assert losses[0].field_errors == {
        "user": [f"Dieses Benutzerkonto ist in diesem Netzwerk schon mit {wins[0]} verknüpft."]
    }
    assert list(Person.objects.filter(user=account).values_list("pk", flat=True)) == [wins[0].pk]
    assert sum(_events(p, "assign") for p in people) == 1


# --- (vi) ended twice at once -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_partner_ended_twice_at_once_ends_once(monkeypatch, coordinator, network, partner):
    _slow_lock(monkeypatch)

    def end() -> Partner:
        return services.partner_end(
            actor=coordinator,
            partner=Partner.objects.get(pk=partner.pk),
            valid_to=datetime.date(2016, 10, 31),
        )

    wins, losses = split(race(end, end))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError) and losses[0].code == "ended", repr(losses[0])
    assert _events(partner, "end") == 1


@pytest.mark.django_db(transaction=True)
def test_a_body_dissolved_twice_at_once_is_dissolved_once(monkeypatch, coordinator, network):
    from uebergang.bodies import services as body_services
    from uebergang.bodies.models import Body

    body = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "AG Eins", "kind": "working_group", "valid_from": SIGNED},
    )
    real = body_services.lock

    def lock_and_pause(obj: Any) -> Any:
        locked = real(obj)
        time.sleep(PAUSE)
        return locked

    monkeypatch.setattr(body_services, "lock", lock_and_pause)

    def dissolve() -> Any:
        return body_services.body_dissolve(
            actor=coordinator, body=Body.objects.get(pk=body.pk), valid_to=SIGNED
        )

    wins, losses = split(race(dissolve, dissolve))
    assert len(wins) == 1 and len(losses) == 1, (wins, losses)
    assert isinstance(losses[0], DomainError) and losses[0].code == "ended", repr(losses[0])
    assert _events(body, "end") == 1
