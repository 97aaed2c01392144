"""Every write of the bodies: what it changes, what it records in the history, and what it
refuses (with its German message, changing nothing)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from uebergang.bodies import services
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.bodies.tests.factories import make_body
from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

D = datetime.date
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."
START = D(2014, 1, 1)
LAST_DAY = D(2016, 10, 31)
NEXT_DAY = D(2016, 11, 1)


def reload(obj):
    return type(obj).all_objects.get(pk=obj.pk)


def state() -> tuple[list, int]:
    """Every row of the bodies (with version and period) and the number of history events:
    compare before/after a refusal."""
    rows = []
    for model in (Body, BodySeat, Membership, Office):
        rows += [
            (model.__name__, r.public_id, r.version, r.valid_from, r.valid_to)
            for r in model.all_objects.order_by("pk")
        ]
    return rows, HistoryEvent.objects.count()


def events_since(mark: int) -> list[tuple]:
    """(action, type, record, parent id, changes) of the events after event id `mark`."""
    return [
        (e.action, e.object_type, e.object_repr, e.parent_id, e.changes)
        for e in HistoryEvent.objects.filter(id__gt=mark).order_by("id")
    ]


def mark() -> int:
    last = HistoryEvent.objects.order_by("-id").first()
    return last.id if last else 0


def refused(call, error=DomainError) -> DomainError:
    """Run `call`, expect `error`, and check that nothing changed."""
    before = state()
    with pytest.raises(error) as exc:
        call()
    assert state() == before
    return exc.value


@pytest.fixture
def r(network):
    """A network with partners, a constituency seat (a school assigned), people and the
    advisory board from 2014."""
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    agentur = make_partner(network, "Agentur für Arbeit Göttingen", kind="employment_agency")
    school = make_partner(network, "Oberschule Am Mühlenteich", is_party=False)
    schools = make_seat(network, "Allgemeinbildende Schulen")
    network_services.seat_assign(actor=SYSTEM, seat=schools, partner=school, valid_from=START)
    return SimpleNamespace(
        network=network,
        ihk=ihk,
        agentur=agentur,
        school=school,
        schools=schools,
        anna=make_person(network, "Anna", "Alt"),
        bernd=make_person(network, "Bernd", "Berger"),
        carla=make_person(network, "Carla", "Clausen"),
        dora=make_person(network, "Dora", "Dietrich"),
        board=make_body(network),
    )


def seat_for(r, partner=None, constituency_seat=None, **kwargs):
    kwargs.setdefault("valid_from", START)
    return services.body_seat_add(
        actor=SYSTEM,
        body=kwargs.pop("body", r.board),
        partner=partner,
        constituency_seat=constituency_seat,
        **kwargs,
    )


def join(r, person, role="member", **kwargs):
    kwargs.setdefault("valid_from", START)
    return services.membership_add(
        actor=SYSTEM, body=kwargs.pop("body", r.board), person=person, role=role, **kwargs
    )


@pytest.fixture
def seated(r):
    """The board with a seat for the IHK (Anna member and chair from 2015, Bernd her
    substitute) and one for the schools (Carla member and deputy), and Dora as guest expert."""
    r.ihk_seat = seat_for(r, r.ihk)
    r.schools_seat = seat_for(r, constituency_seat=r.schools)
    r.anna_m = join(r, r.anna, seat=r.ihk_seat)
    r.bernd_m = join(r, r.bernd, "substitute", substitute_for=r.anna_m)
    r.carla_m = join(r, r.carla, seat=r.schools_seat)
    r.dora_m = join(r, r.dora, "guest")
    r.chair = services.office_assign(
        actor=SYSTEM, membership=r.anna_m, kind="chair", valid_from=D(2015, 1, 1)
    )
    r.deputy = services.office_assign(
        actor=SYSTEM, membership=r.carla_m, kind="deputy", valid_from=D(2015, 1, 1)
    )
    return r


# --- body_create -----------------------------------------------------------------------------


def test_body_create_by_the_coordination_office_creates_the_body_and_its_history(
    coordinator, network
):
    # when
    body = services.body_create(
        actor=coordinator,
        network=network,
        data={
            "name": "  Arbeitsgremium Berufsorientierung ",
            "kind": "working_group",
            "topic_area": "Berufsorientierung",
            "invitation_period_days": 10,
            "quorum_rule": "minimum",
            "quorum_minimum": 3,
            "valid_from": D(2015, 3, 1),
            "ignored": "x",
        },
    )
    # then
    body = reload(body)
    assert (
        body.network_id,
        body.name,
        body.kind,
        body.topic_area,
        body.invitation_period_days,
        body.quorum_rule,
        body.quorum_minimum,
        body.valid_from,
        body.valid_to,
        body.version,
    ) == (
        network.pk,
        "Arbeitsgremium Berufsorientierung",
        "working_group",
        "Berufsorientierung",
        10,
        "minimum",
        3,
        D(2015, 3, 1),
        None,
        1,
    )
    [event] = HistoryEvent.objects.filter(object_id=body.public_id)
    assert (
        event.action,
        event.actor_id,
        event.actor_name,
        event.object_type,
        event.network_id,
    ) == (
        "create",
        coordinator.pk,
        "Kim Koordinata",
        "bodies.body",
        network.pk,
    )
    assert event.changes == {
        "valid_from": [None, "2015-03-01"],
        "name": [None, "Arbeitsgremium Berufsorientierung"],
        "kind": [None, "working_group"],
        "topic_area": [None, "Berufsorientierung"],
        "invitation_period_days": [None, 10],
        "quorum_rule": [None, "minimum"],
        "quorum_minimum": [None, 3],
    }


def test_body_create_takes_the_defaults(network):
    # when
    body = reload(make_body(network, "Entscheidungsgremium", "decision_board"))
    # then
    assert (body.invitation_period_days, body.quorum_rule, body.quorum_minimum) == (
        14,
        "none",
        None,
    )


def test_body_create_refuses_a_member(member, network):
    # when
    error = refused(
        lambda: services.body_create(
            actor=member, network=network, data={"name": "X", "kind": "other", "valid_from": START}
        ),
        PermissionDenied,
    )
    # then
    assert (error.message, error.code, error.status) == (NO_RIGHT, "forbidden", 403)


def test_body_create_refuses_the_coordination_office_of_another_network(outsider, network):
    # when
    error = refused(
        lambda: services.body_create(
            actor=outsider,
            network=network,
            data={"name": "X", "kind": "other", "valid_from": START},
        ),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


@pytest.mark.parametrize(
    ("data", "field_errors"),
    [
        (
            {"name": "   ", "kind": "other", "valid_from": START},
            {"name": ["Bitte geben Sie einen Namen an."]},
        ),
        ({"kind": "other", "valid_from": START}, {"name": ["Bitte geben Sie einen Namen an."]}),
        ({"name": "X", "valid_from": START}, {"kind": ["Bitte wählen Sie eine gültige Art."]}),
        (
            {"name": "X", "kind": "committee", "valid_from": START},
            {"kind": ["Bitte wählen Sie eine gültige Art."]},
        ),
        (
            {"name": "X", "kind": "other", "quorum_rule": "all", "valid_from": START},
            {"quorum_rule": ["Bitte wählen Sie eine gültige Regel."]},
        ),
        (
            {"name": "X", "kind": "other", "quorum_rule": "minimum", "valid_from": START},
            {
                "quorum_minimum": [
                    "Bitte geben Sie an, wie viele stimmberechtigte Sitze mindestens anwesend "
                    "sein müssen."
                ]
            },
        ),
        (
            {
                "name": "X",
                "kind": "other",
                "quorum_rule": "minimum",
                "quorum_minimum": 0,
                "valid_from": START,
            },
            {
                "quorum_minimum": [
                    "Bitte geben Sie an, wie viele stimmberechtigte Sitze mindestens anwesend "
                    "sein müssen."
                ]
            },
        ),
        (
            {"name": "X", "kind": "other"},
            {"valid_from": ["Bitte geben Sie an, ab wann dies gilt."]},
        ),
        (
            {"name": "X" * 201, "kind": "other", "valid_from": START},
            {
                "name": [
                    "Bitte sicherstellen, dass der Wert aus höchstens 200 Zeichen besteht. "
                    "(Er besteht aus 201 Zeichen.)"
                ]
            },
        ),
    ],
    ids=[
        "blank-name",
        "no-name",
        "no-kind",
        "unknown-kind",
        "unknown-quorum-rule",
        "minimum-without-number",
        "minimum-zero",
        "no-start",
        "name-too-long",
    ],
)
def test_body_create_refuses_invalid_data(network, data, field_errors):
    # when
    error = refused(lambda: services.body_create(actor=SYSTEM, network=network, data=data))
    # then
    assert error.field_errors == field_errors


def test_body_create_refuses_the_name_of_an_active_body(r):
    # when
    error = refused(lambda: make_body(r.network, "BEIRAT", "other"))
    # then
    assert error.field_errors == {"name": ["Ein aktives Gremium mit diesem Namen gibt es schon."]}


def test_body_create_allows_the_name_of_a_dissolved_body_and_of_another_network(r, other_network):
    # given
    services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=LAST_DAY)
    # when
    again = make_body(r.network, "Beirat", valid_from=NEXT_DAY)
    elsewhere = make_body(other_network, "Beirat", valid_from=D(2015, 1, 1))
    # then
    assert list(
        Body.objects.filter(name="Beirat").order_by("pk").values_list("network__slug", "valid_to")
    ) == [("osterode", LAST_DAY), ("osterode", None), ("anderswo", None)]
    assert again.pk != elsewhere.pk


def test_body_create_with_a_quorum_rule_without_number_drops_the_number(network):
    # when
    body = make_body(network, "AG", "working_group", quorum_rule="majority", quorum_minimum=4)
    # then
    assert (reload(body).quorum_rule, reload(body).quorum_minimum) == ("majority", None)


# --- body_update -----------------------------------------------------------------------------


def test_body_update_changes_the_body_and_records_the_changes(coordinator, r):
    # when
    services.body_update(
        actor=coordinator,
        body=r.board,
        expected_version=1,
        data={
            "name": "Beirat Übergang Schule–Beruf",
            "description": "Bringt die Sicht der Institutionen ein.",
            "quorum_rule": "majority",
            "invitation_period_days": 21,
        },
    )
    # then
    board = reload(r.board)
    assert (board.name, board.description, board.quorum_rule, board.invitation_period_days) == (
        "Beirat Übergang Schule–Beruf",
        "Bringt die Sicht der Institutionen ein.",
        "majority",
        21,
    )
    assert board.version == 2
    event = HistoryEvent.objects.filter(object_id=board.public_id).order_by("-id").first()
    assert (event.action, event.actor_id, event.actor_name) == (
        "update",
        coordinator.pk,
        "Kim Koordinata",
    )
    assert event.changes == {
        "name": ["Beirat", "Beirat Übergang Schule–Beruf"],
        "description": ["", "Bringt die Sicht der Institutionen ein."],
        "invitation_period_days": [14, 21],
        "quorum_rule": ["none", "majority"],
    }


def test_body_update_from_minimum_to_majority_drops_the_number(coordinator, network):
    # given
    body = make_body(network, "AG", "working_group", quorum_rule="minimum", quorum_minimum=3)
    # when
    services.body_update(
        actor=coordinator, body=body, expected_version=1, data={"quorum_rule": "majority"}
    )
    # then
    body = reload(body)
    assert (body.quorum_rule, body.quorum_minimum, body.version) == ("majority", None, 2)
    event = HistoryEvent.objects.filter(object_id=body.public_id).order_by("-id").first()
    assert event.changes == {"quorum_rule": ["minimum", "majority"], "quorum_minimum": [3, None]}


def test_body_update_may_keep_its_own_name_in_other_letters(coordinator, r):
    # when
    services.body_update(
        actor=coordinator, body=r.board, expected_version=1, data={"name": "BEIRAT"}
    )
    # then
    assert reload(r.board).name == "BEIRAT"


def test_body_update_refuses_a_stale_version(coordinator, r):
    # given: someone saved in between
    services.body_update(
        actor=coordinator, body=r.board, expected_version=1, data={"topic_area": "Erste"}
    )
    # when
    error = refused(
        lambda: services.body_update(
            actor=coordinator, body=r.board, expected_version=1, data={"topic_area": "Zweite"}
        ),
        Conflict,
    )
    # then
    assert error.message == (
        "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
        "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
    )
    assert (error.code, error.status, error.details) == ("conflict", 409, {"current_version": 2})
    assert (reload(r.board).topic_area, reload(r.board).version) == ("Erste", 2)


def test_body_update_refuses_a_member(member, r):
    # when
    error = refused(
        lambda: services.body_update(
            actor=member, body=r.board, expected_version=1, data={"name": "Gekapert"}
        ),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT
    assert reload(r.board).name == "Beirat"


def test_body_update_refuses_the_name_of_another_active_body(coordinator, r):
    # given
    make_body(r.network, "Entscheidungsgremium", "decision_board")
    # when
    error = refused(
        lambda: services.body_update(
            actor=coordinator,
            body=r.board,
            expected_version=1,
            data={"name": "entscheidungsgremium"},
        )
    )
    # then
    assert error.field_errors == {"name": ["Ein aktives Gremium mit diesem Namen gibt es schon."]}


def test_body_update_refuses_a_start_after_the_end(coordinator, r):
    # given
    services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=LAST_DAY)
    board = reload(r.board)
    # when
    error = refused(
        lambda: services.body_update(
            actor=coordinator,
            body=board,
            expected_version=board.version,
            data={"valid_from": D(2017, 1, 1)},
        )
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (31.10.2016) liegt vor dem Beginn (01.01.2017)."]
    }


# --- body_dissolve ---------------------------------------------------------------------------


def test_body_dissolve_ends_seats_memberships_and_offices_on_the_day(coordinator, seated):
    # given
    r = seated
    since = mark()
    # when
    services.body_dissolve(actor=coordinator, body=r.board, valid_to=LAST_DAY)
    # then: everything ends on the same day
    ended = {"valid_to": [None, "2016-10-31"]}
    assert {
        str(obj): reload(obj).valid_to
        for obj in (
            r.board,
            r.ihk_seat,
            r.schools_seat,
            r.anna_m,
            r.bernd_m,
            r.carla_m,
            r.dora_m,
            r.chair,
            r.deputy,
        )
    } == {
        "Beirat": LAST_DAY,
        "Industrie und Handelskammer Osterode": LAST_DAY,
        "Allgemeinbildende Schulen": LAST_DAY,
        "Anna Alt – Beirat": LAST_DAY,
        "Bernd Berger – Beirat": LAST_DAY,
        "Carla Clausen – Beirat": LAST_DAY,
        "Dora Dietrich – Beirat": LAST_DAY,
        "Vorsitz: Anna Alt": LAST_DAY,
        "Stellvertretung (Vorsitz): Carla Clausen": LAST_DAY,
    }
    # and each end is in the history, under the body
    board = r.board.public_id
    events = events_since(since)
    assert events[-1] == ("end", "bodies.body", "Beirat", None, ended)
    assert sorted(events[:-1], key=lambda e: (e[1], e[2])) == [
        ("end", "bodies.bodyseat", "Allgemeinbildende Schulen", board, ended),
        ("end", "bodies.bodyseat", "Industrie und Handelskammer Osterode", board, ended),
        ("end", "bodies.membership", "Anna Alt – Beirat", board, ended),
        ("end", "bodies.membership", "Bernd Berger – Beirat", board, ended),
        ("end", "bodies.membership", "Carla Clausen – Beirat", board, ended),
        ("end", "bodies.membership", "Dora Dietrich – Beirat", board, ended),
        ("end", "bodies.office", "Stellvertretung (Vorsitz): Carla Clausen", board, ended),
        ("end", "bodies.office", "Vorsitz: Anna Alt", board, ended),
    ]
    assert set(HistoryEvent.objects.filter(id__gt=since).values_list("actor_id", "actor_name")) == {
        (coordinator.pk, "Kim Koordinata")
    }


def test_body_dissolve_also_ends_a_membership_planned_beyond_the_day(r):
    """A guest expert invited until the end of 2017 leaves with the body in 2016."""
    # given
    eva = join(r, make_person(r.network, "Eva", "Ernst"), "guest", valid_to=D(2017, 12, 31))
    # when
    services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=LAST_DAY)
    # then
    assert reload(eva).valid_to == LAST_DAY


def test_body_dissolve_of_a_body_without_substitutes(coordinator, r):
    # given: one seat with a member who chairs, and a guest
    seat = seat_for(r, r.ihk)
    anna = join(r, r.anna, seat=seat)
    chair = services.office_assign(actor=SYSTEM, membership=anna, kind="chair", valid_from=START)
    dora = join(r, r.dora, "guest")
    # when
    services.body_dissolve(actor=coordinator, body=r.board, valid_to=LAST_DAY)
    # then
    assert [reload(o).valid_to for o in (r.board, seat, anna, chair, dora)] == [LAST_DAY] * 5
    assert [
        (e.action, e.object_type, e.actor_id)
        for e in HistoryEvent.objects.filter(actor=coordinator).order_by("id")
    ] == [
        ("end", "bodies.office", coordinator.pk),
        ("end", "bodies.membership", coordinator.pk),
        ("end", "bodies.bodyseat", coordinator.pk),
        ("end", "bodies.membership", coordinator.pk),
        ("end", "bodies.body", coordinator.pk),
    ]


def test_body_dissolve_refuses_a_dissolved_body(r):
    # given
    services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=LAST_DAY)
    # when
    error = refused(
        lambda: services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=D(2017, 1, 1))
    )
    # then
    assert (error.message, error.code) == ("Dieses Gremium ist bereits aufgelöst.", "ended")
    assert reload(r.board).valid_to == LAST_DAY


def test_body_dissolve_refuses_an_end_before_the_start(seated):
    # when
    error = refused(
        lambda: services.body_dissolve(actor=SYSTEM, body=seated.board, valid_to=D(2013, 12, 31))
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014)."]
    }


def test_body_dissolve_refuses_a_missing_day(r):
    # when
    error = refused(lambda: services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=None))
    # then
    assert error.field_errors == {"valid_to": ["Bitte geben Sie den letzten Tag an."]}


def test_body_dissolve_refuses_a_member(member, seated):
    # when
    error = refused(
        lambda: services.body_dissolve(actor=member, body=seated.board, valid_to=LAST_DAY),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- body_seat_add ---------------------------------------------------------------------------


def test_body_seat_add_for_a_partner(coordinator, r):
    # when
    seat = services.body_seat_add(
        actor=coordinator, body=r.board, partner=r.ihk, valid_from=D(2015, 1, 1)
    )
    # then
    seat = reload(seat)
    assert (
        seat.network_id,
        seat.body_id,
        seat.partner_id,
        seat.constituency_seat_id,
        seat.voting,
        seat.valid_from,
        seat.valid_to,
    ) == (r.network.pk, r.board.pk, r.ihk.pk, None, True, D(2015, 1, 1), None)
    [event] = HistoryEvent.objects.filter(object_id=seat.public_id)
    assert (
        event.action,
        event.actor_id,
        event.object_type,
        event.parent_type,
        event.parent_id,
    ) == ("create", coordinator.pk, "bodies.bodyseat", "bodies.body", r.board.public_id)
    assert event.changes == {
        "valid_from": [None, "2015-01-01"],
        "body": [None, "Beirat"],
        "partner": [None, "Industrie und Handelskammer Osterode"],
        "voting": [None, True],
    }


def test_body_seat_add_for_a_constituency_seat_without_vote(coordinator, r):
    # when
    seat = services.body_seat_add(
        actor=coordinator,
        body=r.board,
        constituency_seat=r.schools,
        voting=False,
        valid_from=START,
        valid_to=D(2018, 7, 31),
    )
    # then
    seat = reload(seat)
    assert (seat.partner_id, seat.constituency_seat_id, seat.voting, seat.valid_to) == (
        None,
        r.schools.pk,
        False,
        D(2018, 7, 31),
    )
    assert HistoryEvent.objects.get(object_id=seat.public_id).changes == {
        "valid_from": [None, "2014-01-01"],
        "valid_to": [None, "2018-07-31"],
        "body": [None, "Beirat"],
        "constituency_seat": [None, "Allgemeinbildende Schulen"],
        "voting": [None, False],
    }


@pytest.mark.parametrize("which", ["neither", "both"])
def test_body_seat_add_needs_a_partner_or_a_constituency_seat(r, which):
    # given
    kwargs = {"partner": r.ihk, "constituency_seat": r.schools} if which == "both" else {}
    # when
    error = refused(
        lambda: services.body_seat_add(actor=SYSTEM, body=r.board, valid_from=START, **kwargs)
    )
    # then
    assert error.field_errors == {
        "partner": ["Bitte wählen Sie entweder einen Partner oder eine Sammelvertretung."]
    }


def test_body_seat_add_refuses_a_second_seat_of_the_partner(r):
    # given
    seat_for(r, r.ihk)
    # when
    error = refused(lambda: seat_for(r, r.ihk, valid_from=D(2020, 1, 1)))
    # then
    assert error.field_errors == {
        "partner": [
            "Industrie und Handelskammer Osterode hat in diesem Zeitraum schon einen Sitz in "
            "diesem Gremium."
        ]
    }


def test_body_seat_add_allows_a_new_seat_after_the_old_one_ended(r):
    # given
    old = seat_for(r, r.ihk)
    services.body_seat_end(actor=SYSTEM, seat=old, valid_to=LAST_DAY)
    # when
    new = seat_for(r, r.ihk, valid_from=NEXT_DAY)
    # then
    assert list(
        BodySeat.objects.filter(partner=r.ihk)
        .order_by("valid_from")
        .values_list("pk", "valid_from", "valid_to")
    ) == [(old.pk, START, LAST_DAY), (new.pk, NEXT_DAY, None)]


def test_body_seat_add_allows_the_same_partner_in_another_body(r):
    # given
    seat_for(r, r.ihk)
    group = make_body(r.network, "AG Berufsorientierung", "working_group")
    # when
    seat = seat_for(r, r.ihk, body=group)
    # then
    assert reload(seat).body_id == group.pk


def test_body_seat_add_refuses_a_second_seat_of_the_constituency(r):
    # given
    seat_for(r, constituency_seat=r.schools)
    # when
    error = refused(lambda: seat_for(r, constituency_seat=r.schools, valid_from=D(2020, 1, 1)))
    # then
    assert error.field_errors == {
        "constituency_seat": [
            "Diese Sammelvertretung hat in diesem Zeitraum schon einen Sitz in diesem Gremium."
        ]
    }


def test_body_seat_add_refuses_an_institution_whose_constituency_sits_in_the_body(r):
    # given: the school's constituency seat sits in the board
    seat_for(r, constituency_seat=r.schools)
    # when
    error = refused(lambda: seat_for(r, r.school, valid_from=D(2015, 1, 1)))
    # then
    assert error.field_errors == {
        "partner": [
            "Oberschule Am Mühlenteich ist der Sammelvertretung „Allgemeinbildende Schulen“ "
            "zugeordnet, die in diesem Gremium sitzt; sie spricht dort für die Institution."
        ]
    }


def test_body_seat_add_allows_the_institution_once_its_assignment_ended(r):
    # given
    seat_for(r, constituency_seat=r.schools)
    [assignment] = r.schools.assignments.all()
    network_services.seat_unassign(actor=SYSTEM, assignment=assignment, valid_to=LAST_DAY)
    # when
    seat = seat_for(r, r.school, valid_from=NEXT_DAY)
    # then
    assert reload(seat).partner_id == r.school.pk


def test_body_seat_add_refuses_a_constituency_whose_institution_has_its_own_seat(r):
    # given: the school has a seat of its own
    seat_for(r, r.school)
    # when
    error = refused(lambda: seat_for(r, constituency_seat=r.schools, valid_from=D(2015, 1, 1)))
    # then
    assert error.field_errors == {
        "constituency_seat": [
            "Oberschule Am Mühlenteich ist dieser Sammelvertretung zugeordnet und hat selbst "
            "einen Sitz in diesem Gremium; beenden Sie zuerst diesen Sitz."
        ]
    }


def test_body_seat_add_refuses_a_start_before_the_body(r):
    # when
    error = refused(lambda: seat_for(r, r.ihk, valid_from=D(2013, 12, 31)))
    # then
    assert error.field_errors == {
        "valid_from": ["Der Zeitraum muss in die Zeit von Beirat fallen (01.01.2014 – heute)."]
    }


def test_body_seat_add_refuses_a_seat_beyond_a_dissolved_body(r):
    # given
    services.body_dissolve(actor=SYSTEM, body=r.board, valid_to=LAST_DAY)
    board = reload(r.board)
    # when
    error = refused(lambda: seat_for(r, r.ihk, body=board, valid_from=D(2015, 1, 1)))
    # then
    assert error.field_errors == {
        "valid_from": ["Der Zeitraum muss in die Zeit von Beirat fallen (01.01.2014 – 31.10.2016)."]
    }


def test_body_seat_add_refuses_a_seat_beyond_the_partner(r):
    # given
    network_services.partner_end(actor=SYSTEM, partner=r.agentur, valid_to=LAST_DAY)
    agentur = reload(r.agentur)
    # when
    error = refused(lambda: seat_for(r, agentur))
    # then
    assert error.field_errors == {
        "partner": [
            "Der Zeitraum muss in die Zeit von Agentur für Arbeit Göttingen fallen "
            "(29.05.2013 – 31.10.2016)."
        ]
    }


def test_body_seat_add_refuses_a_seat_before_the_constituency(r):
    # given
    later = make_seat(r.network, "Berufsbildende Schulen", valid_from=D(2016, 1, 1))
    # when
    error = refused(lambda: seat_for(r, constituency_seat=later))
    # then
    assert error.field_errors == {
        "constituency_seat": [
            "Der Zeitraum muss in die Zeit von Berufsbildende Schulen fallen (01.01.2016 – heute)."
        ]
    }


def test_body_seat_add_refuses_an_end_before_the_start(r):
    # when
    error = refused(lambda: seat_for(r, r.ihk, valid_from=D(2015, 1, 1), valid_to=D(2014, 12, 31)))
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (31.12.2014) liegt vor dem Beginn (01.01.2015)."]
    }


def test_body_seat_add_refuses_a_partner_of_another_network(r, other_network):
    # given
    foreign = make_partner(other_network, "Landkreis Anderswo", valid_from=D(2015, 1, 1))
    # when
    error = refused(lambda: seat_for(r, foreign, valid_from=D(2015, 1, 1)))
    # then
    assert (error.message, error.code) == (
        "Der gewählte Datensatz gehört nicht zu diesem Netzwerk.",
        "wrong_network",
    )


def test_body_seat_add_refuses_a_member(member, r):
    # when
    error = refused(
        lambda: services.body_seat_add(actor=member, body=r.board, partner=r.ihk, valid_from=START),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- body_seat_end ---------------------------------------------------------------------------


def test_body_seat_end_ends_the_memberships_on_the_seat(coordinator, seated):
    # given
    r = seated
    since = mark()
    # when
    services.body_seat_end(actor=coordinator, seat=r.ihk_seat, valid_to=LAST_DAY)
    # then: the seat, its member (with her office) and her substitute end; the rest stays
    assert [
        reload(obj).valid_to
        for obj in (r.ihk_seat, r.anna_m, r.chair, r.bernd_m, r.schools_seat, r.carla_m, r.dora_m)
    ] == [LAST_DAY, LAST_DAY, LAST_DAY, LAST_DAY, None, None, None]
    ended = {"valid_to": [None, "2016-10-31"]}
    board = r.board.public_id
    events = events_since(since)
    assert events[-1] == (
        "end",
        "bodies.bodyseat",
        "Industrie und Handelskammer Osterode",
        board,
        ended,
    )
    assert sorted(events[:-1], key=lambda e: (e[1], e[2])) == [
        ("end", "bodies.membership", "Anna Alt – Beirat", board, ended),
        ("end", "bodies.membership", "Bernd Berger – Beirat", board, ended),
        ("end", "bodies.office", "Vorsitz: Anna Alt", board, ended),
    ]
    assert HistoryEvent.objects.filter(id__gt=since, actor=coordinator).count() == 4


def test_body_seat_end_of_a_seat_with_one_member(coordinator, seated):
    # when
    services.body_seat_end(actor=coordinator, seat=seated.schools_seat, valid_to=LAST_DAY)
    # then
    assert [reload(o).valid_to for o in (seated.schools_seat, seated.carla_m, seated.deputy)] == [
        LAST_DAY,
        LAST_DAY,
        LAST_DAY,
    ]


def test_body_seat_end_refuses_an_ended_seat(seated):
    # given
    services.body_seat_end(actor=SYSTEM, seat=seated.schools_seat, valid_to=LAST_DAY)
    # when
    error = refused(
        lambda: services.body_seat_end(
            actor=SYSTEM, seat=seated.schools_seat, valid_to=D(2017, 1, 1)
        )
    )
    # then
    assert (error.message, error.code) == ("Dieser Sitz ist bereits beendet.", "ended")


def test_body_seat_end_refuses_an_end_before_the_start(seated):
    # when
    error = refused(
        lambda: services.body_seat_end(actor=SYSTEM, seat=seated.ihk_seat, valid_to=D(2013, 1, 1))
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (01.01.2013) liegt vor dem Beginn (01.01.2014)."]
    }


def test_body_seat_end_refuses_a_member(member, seated):
    # when
    error = refused(
        lambda: services.body_seat_end(actor=member, seat=seated.ihk_seat, valid_to=LAST_DAY),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- membership_add --------------------------------------------------------------------------


def test_membership_add_puts_a_member_on_a_seat(coordinator, r):
    # given
    seat = seat_for(r, r.ihk)
    # when
    membership = services.membership_add(
        actor=coordinator,
        body=r.board,
        person=r.anna,
        role="member",
        seat=seat,
        valid_from=D(2015, 1, 1),
        note="gewählt in der Vollversammlung",
    )
    # then
    m = reload(membership)
    assert (
        m.network_id,
        m.body_id,
        m.person_id,
        m.seat_id,
        m.role,
        m.substitute_for_id,
        m.valid_from,
        m.valid_to,
        m.note,
    ) == (
        r.network.pk,
        r.board.pk,
        r.anna.pk,
        seat.pk,
        "member",
        None,
        D(2015, 1, 1),
        None,
        "gewählt in der Vollversammlung",
    )
    assert m.has_vote is True
    [event] = HistoryEvent.objects.filter(object_id=m.public_id)
    assert (event.action, event.actor_id, event.object_type, event.parent_id) == (
        "create",
        coordinator.pk,
        "bodies.membership",
        r.board.public_id,
    )
    assert event.changes == {
        "valid_from": [None, "2015-01-01"],
        "body": [None, "Beirat"],
        "person": [None, "Anna Alt"],
        "seat": [None, "Industrie und Handelskammer Osterode"],
        "role": [None, "member"],
        "note": [None, "gewählt in der Vollversammlung"],
    }


def test_membership_add_of_a_substitute_takes_the_seat_of_the_member(r):
    # given
    seat = seat_for(r, r.ihk)
    anna = join(r, r.anna, seat=seat)
    # when
    bernd = join(r, r.bernd, "substitute", substitute_for=anna, valid_from=D(2015, 1, 1))
    # then
    bernd = reload(bernd)
    assert (bernd.seat_id, bernd.substitute_for_id, bernd.role, bernd.has_vote) == (
        seat.pk,
        anna.pk,
        "substitute",
        False,
    )
    assert HistoryEvent.objects.get(object_id=bernd.public_id).changes == {
        "valid_from": [None, "2015-01-01"],
        "body": [None, "Beirat"],
        "person": [None, "Bernd Berger"],
        "seat": [None, "Industrie und Handelskammer Osterode"],
        "role": [None, "substitute"],
        "substitute_for": [None, "Anna Alt – Beirat"],
    }


def test_membership_add_of_a_guest_expert_for_a_period_and_of_the_moderation(r):
    # when
    guest = join(
        r,
        r.dora,
        "guest",
        valid_from=D(2016, 3, 1),
        valid_to=D(2016, 3, 31),
        note="Fachkräftebedarf",
    )
    moderator = join(r, r.carla, "moderator")
    # then
    assert [
        (m.role, m.seat_id, m.valid_from, m.valid_to, m.has_vote)
        for m in (reload(guest), reload(moderator))
    ] == [
        ("guest", None, D(2016, 3, 1), D(2016, 3, 31), False),
        ("moderator", None, START, None, False),
    ]


def test_membership_add_of_a_member_on_a_seat_without_vote(r):
    # given
    seat = seat_for(r, r.ihk, voting=False)
    # when
    anna = join(r, r.anna, seat=seat)
    # then
    assert reload(anna).has_vote is False


def test_membership_add_refuses_a_member_without_a_seat(r):
    # when
    error = refused(lambda: join(r, r.anna))
    # then
    assert error.field_errors == {"seat": ["Bitte wählen Sie einen Sitz dieses Gremiums."]}


def test_membership_add_refuses_a_seat_of_another_body(r):
    # given
    group = make_body(r.network, "AG Berufsorientierung", "working_group")
    other_seat = seat_for(r, r.ihk, body=group)
    # when
    error = refused(lambda: join(r, r.anna, seat=other_seat))
    # then
    assert error.field_errors == {"seat": ["Bitte wählen Sie einen Sitz dieses Gremiums."]}


def test_membership_add_refuses_a_second_member_on_the_seat(r):
    # given
    seat = seat_for(r, r.ihk)
    join(r, r.anna, seat=seat)
    # when
    error = refused(lambda: join(r, r.bernd, seat=seat, valid_from=D(2016, 1, 1)))
    # then
    assert error.field_errors == {
        "seat": [
            "Dieser Sitz ist in diesem Zeitraum schon besetzt: eine Stimme je Sitz. Beenden Sie "
            "zuerst die bisherige Mitgliedschaft."
        ]
    }


def test_membership_add_refuses_a_member_whose_period_overlaps_a_planned_one(r):
    # given: Bernd takes the seat from 2017
    seat = seat_for(r, r.ihk)
    join(r, r.bernd, seat=seat, valid_from=D(2017, 1, 1))
    # when: Anna from 2014 without end
    error = refused(lambda: join(r, r.anna, seat=seat))
    # then
    assert list(error.field_errors) == ["seat"]


def test_membership_add_allows_a_successor_after_the_member_left(r):
    # given
    seat = seat_for(r, r.ihk)
    anna = join(r, r.anna, seat=seat)
    services.membership_end(actor=SYSTEM, membership=anna, valid_to=LAST_DAY)
    # when
    bernd = join(r, r.bernd, seat=seat, valid_from=NEXT_DAY)
    # then
    assert list(
        Membership.objects.filter(seat=seat)
        .order_by("valid_from")
        .values_list("person__last_name", "valid_from", "valid_to")
    ) == [("Alt", START, LAST_DAY), ("Berger", NEXT_DAY, None)]
    assert bernd.role == "member"


def test_membership_add_refuses_the_same_role_twice(r):
    # given
    join(r, r.dora, "guest")
    # when
    error = refused(lambda: join(r, r.dora, "guest", valid_from=D(2016, 1, 1)))
    # then
    assert error.field_errors == {
        "person": ["Dora Dietrich hat diese Rolle in diesem Zeitraum schon."]
    }


def test_membership_add_refuses_a_substitute_without_the_member(r):
    # given
    seat = seat_for(r, r.ihk)
    # when
    error = refused(lambda: join(r, r.bernd, "substitute", seat=seat))
    # then
    assert error.field_errors == {
        "substitute_for": ["Bitte wählen Sie das Mitglied, das vertreten wird."]
    }


def test_membership_add_refuses_a_substitute_for_someone_who_is_no_member(r):
    # given
    guest = join(r, r.dora, "guest")
    seat = seat_for(r, r.ihk)
    # when
    error = refused(lambda: join(r, r.bernd, "substitute", seat=seat, substitute_for=guest))
    # then
    assert error.field_errors == {
        "substitute_for": ["Bitte wählen Sie das Mitglied, das vertreten wird."]
    }


def test_membership_add_refuses_a_substitute_on_another_seat(r):
    # given
    ihk_seat = seat_for(r, r.ihk)
    schools_seat = seat_for(r, constituency_seat=r.schools)
    anna = join(r, r.anna, seat=ihk_seat)
    # when
    error = refused(lambda: join(r, r.bernd, "substitute", seat=schools_seat, substitute_for=anna))
    # then
    assert error.field_errors == {
        "substitute_for": ["Ein/e Vertreter/in gehört zum Sitz des vertretenen Mitglieds."]
    }


def test_membership_add_refuses_a_substitute_for_oneself(r):
    # given
    seat = seat_for(r, r.ihk)
    anna = join(r, r.anna, seat=seat)
    # when
    error = refused(lambda: join(r, r.anna, "substitute", substitute_for=anna))
    # then
    assert error.field_errors == {"substitute_for": ["Niemand kann sich selbst vertreten."]}


def test_membership_add_refuses_a_substitute_for_a_member_of_another_body(r):
    # given
    group = make_body(r.network, "AG Berufsorientierung", "working_group")
    anna = join(r, r.anna, body=group, seat=seat_for(r, r.ihk, body=group))
    # when
    error = refused(lambda: join(r, r.bernd, "substitute", substitute_for=anna))
    # then
    assert error.field_errors == {"seat": ["Bitte wählen Sie einen Sitz dieses Gremiums."]}


@pytest.mark.parametrize("role", ["guest", "moderator"])
def test_membership_add_refuses_a_seat_for_guests_and_the_moderation(r, role):
    # given
    seat = seat_for(r, r.ihk)
    # when
    error = refused(lambda: join(r, r.dora, role, seat=seat))
    # then
    assert error.field_errors == {"seat": ["Expert/innen und Moderation haben keinen Sitz."]}


@pytest.mark.parametrize("role", ["member", "guest"])
def test_membership_add_refuses_a_substitute_for_in_other_roles(r, role):
    # given
    seat = seat_for(r, r.ihk)
    anna = join(r, r.anna, seat=seat)
    other_seat = seat_for(r, constituency_seat=r.schools)
    # when
    error = refused(
        lambda: join(
            r, r.dora, role, seat=other_seat if role == "member" else None, substitute_for=anna
        )
    )
    # then
    assert error.field_errors == {
        "substitute_for": ["Nur ein/e Vertreter/in vertritt ein Mitglied."]
    }


def test_membership_add_refuses_an_end_before_the_start(r):
    # when
    error = refused(
        lambda: join(r, r.dora, "guest", valid_from=D(2016, 3, 1), valid_to=D(2016, 2, 29))
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (29.02.2016) liegt vor dem Beginn (01.03.2016)."]
    }


def test_membership_add_refuses_a_missing_start(r):
    # when
    error = refused(lambda: join(r, r.dora, "guest", valid_from=None))
    # then
    assert error.field_errors == {"valid_from": ["Bitte geben Sie an, ab wann dies gilt."]}


def test_membership_add_refuses_an_unknown_role(r):
    # when
    error = refused(lambda: join(r, r.dora, "president"))
    # then
    assert error.field_errors == {"role": ["Bitte wählen Sie eine gültige Rolle."]}


def test_membership_add_refuses_a_start_before_the_body(r):
    # when
    error = refused(lambda: join(r, r.dora, "guest", valid_from=D(2013, 6, 1)))
    # then
    assert error.field_errors == {
        "valid_from": ["Der Zeitraum muss in die Zeit von Beirat fallen (01.01.2014 – heute)."]
    }


def test_membership_add_refuses_a_period_beyond_the_seat(r):
    # given
    seat = seat_for(r, r.ihk, valid_to=D(2015, 12, 31))
    # when
    error = refused(lambda: join(r, r.anna, seat=seat))
    # then
    assert error.field_errors == {
        "seat": ["Der Zeitraum muss in die Zeit des Sitzes fallen (01.01.2014 – 31.12.2015)."]
    }


def test_membership_add_refuses_a_note_that_is_too_long(r):
    # when
    error = refused(lambda: join(r, r.dora, "guest", note="x" * 501))
    # then
    assert error.field_errors == {
        "note": [
            "Bitte sicherstellen, dass der Wert aus höchstens 500 Zeichen besteht. "
            "(Er besteht aus 501 Zeichen.)"
        ]
    }


def test_membership_add_refuses_a_person_of_another_network(r, other_network):
    # given
    foreign = make_person(other_network, "Fritz", "Fremd")
    # when
    error = refused(lambda: join(r, foreign, "guest"))
    # then
    assert (error.message, error.code) == (
        "Der gewählte Datensatz gehört nicht zu diesem Netzwerk.",
        "wrong_network",
    )


def test_membership_add_refuses_a_member(member, r):
    # when
    error = refused(
        lambda: services.membership_add(
            actor=member, body=r.board, person=r.dora, role="guest", valid_from=START
        ),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- membership_end --------------------------------------------------------------------------


def test_membership_end_ends_the_offices_and_the_substitutes(coordinator, seated):
    # given
    r = seated
    since = mark()
    # when
    services.membership_end(actor=coordinator, membership=r.anna_m, valid_to=LAST_DAY)
    # then
    assert [reload(o).valid_to for o in (r.anna_m, r.chair, r.bernd_m, r.ihk_seat, r.deputy)] == [
        LAST_DAY,
        LAST_DAY,
        LAST_DAY,
        None,
        None,
    ]
    ended = {"valid_to": [None, "2016-10-31"]}
    board = r.board.public_id
    assert events_since(since) == [
        ("end", "bodies.office", "Vorsitz: Anna Alt", board, ended),
        ("end", "bodies.membership", "Bernd Berger – Beirat", board, ended),
        ("end", "bodies.membership", "Anna Alt – Beirat", board, ended),
    ]
    assert HistoryEvent.objects.filter(id__gt=since, actor=coordinator).count() == 3


def test_membership_end_of_a_substitute_leaves_the_member(seated):
    # when
    services.membership_end(actor=SYSTEM, membership=seated.bernd_m, valid_to=LAST_DAY)
    # then
    assert [reload(o).valid_to for o in (seated.bernd_m, seated.anna_m, seated.chair)] == [
        LAST_DAY,
        None,
        None,
    ]


def test_membership_end_refuses_an_ended_membership(seated):
    # given
    services.membership_end(actor=SYSTEM, membership=seated.dora_m, valid_to=LAST_DAY)
    # when
    error = refused(
        lambda: services.membership_end(
            actor=SYSTEM, membership=seated.dora_m, valid_to=D(2017, 1, 1)
        )
    )
    # then
    assert (error.message, error.code) == ("Diese Mitgliedschaft ist bereits beendet.", "ended")


def test_membership_end_refuses_an_end_before_the_start(seated):
    # when
    error = refused(
        lambda: services.membership_end(
            actor=SYSTEM, membership=seated.dora_m, valid_to=D(2013, 1, 1)
        )
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (01.01.2013) liegt vor dem Beginn (01.01.2014)."]
    }


def test_membership_end_refuses_a_member(member, seated):
    # when
    error = refused(
        lambda: services.membership_end(actor=member, membership=seated.anna_m, valid_to=LAST_DAY),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- office_assign ---------------------------------------------------------------------------


@pytest.fixture
def members(r):
    """Anna on the IHK seat, Carla on the schools' seat, Bernd substitute for Anna, Dora guest."""
    r.ihk_seat = seat_for(r, r.ihk)
    r.schools_seat = seat_for(r, constituency_seat=r.schools)
    r.anna_m = join(r, r.anna, seat=r.ihk_seat)
    r.carla_m = join(r, r.carla, seat=r.schools_seat)
    r.bernd_m = join(r, r.bernd, "substitute", substitute_for=r.anna_m)
    r.dora_m = join(r, r.dora, "guest")
    return r


def test_office_assign_records_the_chair(coordinator, members):
    # when
    office = services.office_assign(
        actor=coordinator,
        membership=members.anna_m,
        kind="chair",
        valid_from=D(2015, 1, 1),
        valid_to=D(2016, 12, 31),
    )
    # then
    office = reload(office)
    assert (
        office.network_id,
        office.membership_id,
        office.kind,
        office.valid_from,
        office.valid_to,
    ) == (
        members.network.pk,
        members.anna_m.pk,
        "chair",
        D(2015, 1, 1),
        D(2016, 12, 31),
    )
    assert str(office) == "Vorsitz: Anna Alt"
    [event] = HistoryEvent.objects.filter(object_id=office.public_id)
    assert (event.action, event.actor_id, event.object_type, event.parent_id) == (
        "create",
        coordinator.pk,
        "bodies.office",
        members.board.public_id,
    )
    assert event.changes == {
        "valid_from": [None, "2015-01-01"],
        "valid_to": [None, "2016-12-31"],
        "membership": [None, "Anna Alt – Beirat"],
        "kind": [None, "chair"],
    }


def test_office_assign_allows_one_chair_and_one_deputy_at_a_time(members):
    # when
    chair = services.office_assign(
        actor=SYSTEM, membership=members.anna_m, kind="chair", valid_from=START
    )
    deputy = services.office_assign(
        actor=SYSTEM, membership=members.carla_m, kind="deputy", valid_from=START
    )
    # then
    assert sorted(Office.objects.values_list("kind", "membership__person__last_name")) == [
        ("chair", "Alt"),
        ("deputy", "Clausen"),
    ]
    assert (chair.valid_to, deputy.valid_to) == (None, None)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "chair",
            "Vorsitz hat in diesem Zeitraum schon Anna Alt inne; beenden Sie zuerst diese Amtszeit.",
        ),
        (
            "deputy",
            "Stellvertretung (Vorsitz) hat in diesem Zeitraum schon Anna Alt inne; beenden "
            "Sie zuerst diese Amtszeit.",
        ),
    ],
)
def test_office_assign_refuses_a_second_holder_of_the_office(members, kind, message):
    # given
    services.office_assign(actor=SYSTEM, membership=members.anna_m, kind=kind, valid_from=START)
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM, membership=members.carla_m, kind=kind, valid_from=D(2016, 1, 1)
        )
    )
    # then
    assert error.field_errors == {"kind": [message]}


def test_office_assign_allows_a_new_chair_after_the_term_ended(members):
    # given
    first = services.office_assign(
        actor=SYSTEM, membership=members.anna_m, kind="chair", valid_from=START
    )
    services.office_end(actor=SYSTEM, office=first, valid_to=LAST_DAY)
    # when
    services.office_assign(
        actor=SYSTEM, membership=members.carla_m, kind="chair", valid_from=NEXT_DAY
    )
    # then
    assert list(
        Office.objects.order_by("valid_from").values_list(
            "membership__person__last_name", "valid_from", "valid_to"
        )
    ) == [("Alt", START, LAST_DAY), ("Clausen", NEXT_DAY, None)]


def test_office_assign_allows_the_chair_of_another_body_at_the_same_time(members):
    # given
    services.office_assign(actor=SYSTEM, membership=members.anna_m, kind="chair", valid_from=START)
    group = make_body(members.network, "AG Berufsorientierung", "working_group")
    carla = join(
        members, members.carla, body=group, seat=seat_for(members, members.ihk, body=group)
    )
    # when
    office = services.office_assign(actor=SYSTEM, membership=carla, kind="chair", valid_from=START)
    # then
    assert reload(office).membership.body_id == group.pk


@pytest.mark.parametrize("who", ["bernd_m", "dora_m"])
def test_office_assign_refuses_who_is_no_member(members, who):
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM, membership=getattr(members, who), kind="chair", valid_from=START
        )
    )
    # then
    assert error.field_errors == {"membership": ["Ein Amt hat nur ein Mitglied des Gremiums inne."]}


def test_office_assign_refuses_a_term_outside_the_membership(members):
    # given
    services.membership_end(actor=SYSTEM, membership=members.carla_m, valid_to=LAST_DAY)
    carla = reload(members.carla_m)
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM, membership=carla, kind="chair", valid_from=D(2016, 1, 1)
        )
    )
    # then
    assert error.field_errors == {
        "valid_from": [
            "Der Zeitraum muss in die Zeit der Mitgliedschaft fallen (01.01.2014 – 31.10.2016)."
        ]
    }


def test_office_assign_refuses_a_term_before_the_membership(members):
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM,
            membership=members.anna_m,
            kind="chair",
            valid_from=D(2013, 12, 1),
        )
    )
    # then
    assert list(error.field_errors) == ["valid_from"]


def test_office_assign_refuses_an_unknown_office(members):
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM, membership=members.anna_m, kind="treasurer", valid_from=START
        )
    )
    # then
    assert error.field_errors == {"kind": ["Bitte wählen Sie ein gültiges Amt."]}


def test_office_assign_refuses_an_end_before_the_start(members):
    # when
    error = refused(
        lambda: services.office_assign(
            actor=SYSTEM,
            membership=members.anna_m,
            kind="chair",
            valid_from=D(2016, 1, 1),
            valid_to=D(2015, 12, 31),
        )
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (31.12.2015) liegt vor dem Beginn (01.01.2016)."]
    }


def test_office_assign_refuses_a_member(member, members):
    # when
    error = refused(
        lambda: services.office_assign(
            actor=member, membership=members.anna_m, kind="chair", valid_from=START
        ),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT


# --- office_end ------------------------------------------------------------------------------


def test_office_end_ends_the_term(coordinator, seated):
    # given
    since = mark()
    # when
    services.office_end(actor=coordinator, office=seated.chair, valid_to=LAST_DAY)
    # then
    assert [reload(o).valid_to for o in (seated.chair, seated.anna_m, seated.deputy)] == [
        LAST_DAY,
        None,
        None,
    ]
    assert reload(seated.chair).version == 2
    assert events_since(since) == [
        (
            "end",
            "bodies.office",
            "Vorsitz: Anna Alt",
            seated.board.public_id,
            {"valid_to": [None, "2016-10-31"]},
        ),
    ]
    assert HistoryEvent.objects.get(id__gt=since).actor_id == coordinator.pk


def test_office_end_refuses_an_ended_term(seated):
    # given
    services.office_end(actor=SYSTEM, office=seated.chair, valid_to=LAST_DAY)
    # when
    error = refused(
        lambda: services.office_end(actor=SYSTEM, office=seated.chair, valid_to=D(2017, 1, 1))
    )
    # then
    assert (error.message, error.code) == ("Diese Amtszeit ist bereits beendet.", "ended")


def test_office_end_refuses_an_end_before_the_start(seated):
    # when
    error = refused(
        lambda: services.office_end(actor=SYSTEM, office=seated.chair, valid_to=D(2014, 12, 31))
    )
    # then
    assert error.field_errors == {
        "valid_to": ["Das Ende (31.12.2014) liegt vor dem Beginn (01.01.2015)."]
    }


def test_office_end_refuses_a_member(member, seated):
    # when
    error = refused(
        lambda: services.office_end(actor=member, office=seated.chair, valid_to=LAST_DAY),
        PermissionDenied,
    )
    # then
    assert error.message == NO_RIGHT
