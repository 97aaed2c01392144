"""Taking part in the network day and over the years: members register themselves (only
themselves, within the deadline, once), the coordination office registers anyone and records
attendance from the day on, and the participation page counts, per institution and year,
advisory-board and working-group meetings attended and network days attended."""

from __future__ import annotations

import datetime
import html
from types import SimpleNamespace

import pytest
from django.urls import reverse

from uebergang.bodies import services as body_services
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import NetworkDay, NetworkDayState, Registration
from uebergang.meetings.tests.factories import (
    START,
    days_from_today,
    link_user,
    make_board,
    make_body,
    make_held_meeting,
    make_network_day,
)
from uebergang.networks.models import Partner
from uebergang.networks.tests.factories import make_partner, make_person


def url(name, network, *args):
    return reverse(f"networkdays:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def state() -> tuple:
    return (
        [
            (r.public_id, r.version, r.attended, r.deleted_at)
            for r in Registration.all_objects.order_by("pk")
        ],
        [(d.version, d.state) for d in NetworkDay.objects.order_by("pk")],
        HistoryEvent.objects.count(),
    )


@pytest.fixture
def kvhs(network):
    return make_partner(network, "Kreisvolkshochschule Fiktiv", email="kvhs@example.org")


@pytest.fixture
def mika(network, member, kvhs):
    """The member's person in the registry, working for the KVHS."""
    return link_user(
        make_person(network, "Mika", "Mitglied", organisation=kvhs, email="mika@example.org"),
        member,
    )


@pytest.fixture
def day(network):
    return make_network_day(network, registration_until=days_from_today(30))


@pytest.fixture
def today_day(network):
    return make_network_day(network, day=days_from_today(0), title="Netzwerktag heute")


# --- a member registers themselves -----------------------------------------------------------


def test_a_member_registers_themselves(member_client, network, day, mika, kvhs):
    # when
    form = member_client.get(url("registration_add", network, day.public_id))
    response = member_client.post(
        url("registration_add", network, day.public_id),
        {"partner": str(kvhs.public_id), "note": "vegetarisch"},
    )
    # then
    assert form.status_code == 200
    assert f'value="{kvhs.public_id}" selected' in form.content.decode()
    assert response.status_code == 302
    reg = Registration.objects.get()
    assert (reg.person, reg.partner, reg.name, reg.email, reg.note) == (
        mika,
        kvhs,
        "Mika Mitglied",
        "mika@example.org",
        "vegetarisch",
    )
    detail = text(member_client.get(url("networkday_detail", network, day.public_id)))
    assert "Sie sind angemeldet (für Kreisvolkshochschule Fiktiv)." in detail


def test_a_member_cannot_register_someone_else(member_client, network, day, mika, kvhs):
    # given
    other = make_person(network, "Olga", "Other", organisation=kvhs)
    # when: a forged field naming another person is ignored
    member_client.post(
        url("registration_add", network, day.public_id),
        {"partner": str(kvhs.public_id), "person": str(other.public_id), "name": "Olga Other"},
    )
    # then
    assert list(Registration.objects.values_list("person", flat=True)) == [mika.pk]


def test_a_member_without_a_person_is_told_to_ask(member_client, network, day):
    # when
    response = member_client.get(url("registration_add", network, day.public_id), follow=True)
    # then
    assert "keiner Person im Verzeichnis zugeordnet" in text(response)
    assert Registration.objects.count() == 0


def test_registering_twice_is_refused(member_client, network, day, mika, kvhs):
    # given
    services.registration_add(actor=SYSTEM, day=day, person=mika)
    before = state()
    # when
    response = member_client.post(
        url("registration_add", network, day.public_id), {"partner": str(kvhs.public_id)}
    )
    # then
    assert response.status_code == 200
    assert "Diese Person ist bereits angemeldet." in text(response)
    assert state() == before


def test_after_the_deadline_members_cannot_register(member_client, network, mika, kvhs):
    # given
    day = make_network_day(network, registration_until=days_from_today(-1))
    before = state()
    # when
    page = text(member_client.get(url("networkday_detail", network, day.public_id)))
    response = member_client.post(
        url("registration_add", network, day.public_id), {"partner": str(kvhs.public_id)}
    )
    # then
    assert "Die Anmeldefrist ist abgelaufen." in page
    assert response.status_code == 200
    deadline = days_from_today(-1).strftime("%d.%m.%Y")
    assert f"Die Anmeldefrist ist am {deadline} abgelaufen." in text(response)
    assert state() == before


def test_after_the_deadline_the_coordination_office_still_registers(
    coordinator_client, network, kvhs
):
    # given
    day = make_network_day(network, registration_until=days_from_today(-1))
    # when
    response = coordinator_client.post(
        url("registration_add", network, day.public_id),
        {"partner": str(kvhs.public_id), "name": "Nachzüglerin Nora", "email": "n@example.org"},
    )
    # then
    assert response.status_code == 302
    assert Registration.objects.get().name == "Nachzüglerin Nora"


def test_a_member_withdraws_their_registration(member_client, network, day, mika):
    # given
    reg = services.registration_add(actor=SYSTEM, day=day, person=mika)
    # when
    response = member_client.post(url("registration_cancel", network, reg.public_id))
    # then
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_a_member_cannot_withdraw_someone_else(member_client, network, day, mika, kvhs):
    # given
    reg = services.registration_add(actor=SYSTEM, day=day, partner=kvhs, name="Olga Other")
    before = state()
    # when
    response = member_client.post(url("registration_cancel", network, reg.public_id))
    # then
    assert response.status_code == 403
    assert state() == before


# --- the coordination office registers anyone ------------------------------------------------


def test_the_coordination_office_registers_a_registry_person(
    coordinator_client, network, day, kvhs
):
    # given
    olga = make_person(network, "Olga", "Other", organisation=kvhs, email="olga@example.org")
    # when
    response = coordinator_client.post(
        url("registration_add", network, day.public_id), {"person": str(olga.public_id)}
    )
    # then
    assert response.status_code == 302
    reg = Registration.objects.get()
    assert (reg.person, reg.partner, reg.name, reg.email) == (
        olga,
        kvhs,
        "Olga Other",
        "olga@example.org",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Bitte wählen Sie eine Person oder geben Sie einen Namen an."),
        ({"name": "Ida Irgendwer"}, "Bitte wählen Sie die Institution, für die die Person kommt."),
        ({"name": "Ida Irgendwer", "email": "kein-at"}, "Bitte gültige E-Mail-Adresse eingeben."),
    ],
)
def test_bad_registrations_are_refused_in_german(coordinator_client, network, day, data, message):
    # given
    before = state()
    # when
    response = coordinator_client.post(url("registration_add", network, day.public_id), data)
    # then
    assert response.status_code == 200
    assert message in text(response)
    assert state() == before


def test_no_registration_for_a_cancelled_day(coordinator_client, network, day, kvhs):
    # given
    services.network_day_cancel(actor=SYSTEM, day=day)
    before = state()
    # when
    response = coordinator_client.post(
        url("registration_add", network, day.public_id),
        {"partner": str(kvhs.public_id), "name": "Ida Irgendwer"},
    )
    # then
    assert "Der Netzwerktag ist abgeschlossen." in text(response)
    assert state() == before


# --- attendance ------------------------------------------------------------------------------


def test_attendance_is_recorded_from_the_day_on(coordinator_client, network, today_day, kvhs):
    # given
    came = services.registration_add(actor=SYSTEM, day=today_day, partner=kvhs, name="Ida Da")
    away = services.registration_add(actor=SYSTEM, day=today_day, partner=kvhs, name="Jan Weg")
    # when
    page = coordinator_client.get(url("networkday_attendance", network, today_day.public_id))
    response = coordinator_client.post(
        url("networkday_attendance", network, today_day.public_id),
        {"attended": [str(came.public_id)]},
    )
    # then
    assert page.status_code == 200
    assert response.status_code == 302
    came.refresh_from_db()
    away.refresh_from_db()
    today_day.refresh_from_db()
    assert (came.attended, away.attended, today_day.state) == (True, False, NetworkDayState.HELD)
    listing = coordinator_client.get(url("networkday_list", network))
    assert [(d.registration_count, d.attended_count) for d in listing.context["days"]] == [(2, 1)]


def test_attendance_before_the_day_is_refused(coordinator_client, network, day, kvhs):
    # given
    reg = services.registration_add(actor=SYSTEM, day=day, partner=kvhs, name="Ida Da")
    before = state()
    # when
    response = coordinator_client.post(
        url("networkday_attendance", network, day.public_id), {"attended": [str(reg.public_id)]}
    )
    # then
    assert response.status_code == 400
    assert "Die Teilnahme kann erst ab dem Tag selbst" in text(response)
    assert state() == before


def test_a_member_cannot_record_attendance(member_client, network, today_day, mika):
    # given
    reg = services.registration_add(actor=SYSTEM, day=today_day, person=mika)
    before = state()
    # when
    response = member_client.post(
        url("networkday_attendance", network, today_day.public_id),
        {"attended": [str(reg.public_id)]},
    )
    # then
    assert response.status_code == 403
    assert state() == before


# --- participation over the years ------------------------------------------------------------


def test_participation_counts_meetings_and_network_days(coordinator_client, network):
    # given: the IHK (Anna) at two advisory-board meetings, the schools' seat (Carla for the
    # Oberschule) at one; the IHK at a network day with two people, the Agentur registered
    # but absent
    board = make_board(network)
    make_held_meeting(board, day=datetime.date(2025, 3, 4), present=("anna", "carla"))
    make_held_meeting(board, day=datetime.date(2025, 9, 9), present=("anna",), title="Herbst")
    group = SimpleNamespace(
        body=make_body(network, "AG Elternarbeit", "working_group"), emil=board.emil
    )
    body_services.membership_add(
        actor=SYSTEM, body=group.body, person=board.emil, role="guest", valid_from=START
    )
    make_held_meeting(group, day=datetime.date(2024, 5, 5), present=("emil",))
    nd = make_network_day(network, day=datetime.date(2025, 6, 17))
    regs = [
        services.registration_add(actor=SYSTEM, day=nd, person=board.anna),
        services.registration_add(actor=SYSTEM, day=nd, person=board.bernd),
        services.registration_add(actor=SYSTEM, day=nd, partner=board.agentur, name="Abwesend"),
    ]
    services.network_day_attendance(actor=SYSTEM, day=nd, attended=regs[:2])
    # when
    response = coordinator_client.get(url("participation", network))
    # then
    assert response.status_code == 200
    p = response.context["p"]
    assert p["years"] == [2025, 2024]
    cells = {item["row"].partner_name: item["cells"] for item in p["rows"]}
    ihk = "Industrie- und Handelskammer Osterode"
    # each count out of how many it could have been, with the rate
    assert cells[ihk][0] == {
        "advisory_board": 2,
        "advisory_board_of": 2,
        "advisory_board_rate": 100,
        "working_group": 0,
        "working_group_of": 0,
        "working_group_rate": None,
        "network_day": 1,
        "network_day_of": 1,
        "network_day_rate": 100,
    }
    school = cells["Oberschule Am Mühlenteich"][0]  # through the schools' constituency seat
    assert (school["advisory_board"], school["advisory_board_of"]) == (1, 2)
    assert school["advisory_board_rate"] == 50
    assert cells["Agentur für Arbeit Göttingen"][0]["network_day"] == 0
    assert cells["Agentur für Arbeit Göttingen"][1]["working_group"] == 1
    assert cells["Oberschule Am Mühlenteich"][0]["advisory_board"] == 1
    page = text(response)
    assert '<caption class="kern-sr-only">Teilnahme je Institution und Jahr</caption>' in page
    assert 'scope="row">Industrie- und Handelskammer Osterode' in page
    assert "Kooperationspartner" in page
    assert '2 von 2 <span class="muted">(100 %)</span>' in page
    assert '1 von 2 <span class="muted">(50 %)</span>' in page


def test_participation_filters_by_year(coordinator_client, network):
    # given
    board = make_board(network)
    make_held_meeting(board, day=datetime.date(2025, 3, 4), present=("anna",))
    make_held_meeting(board, day=datetime.date(2023, 3, 4), present=("anna",))
    # when
    response = coordinator_client.get(url("participation", network) + "?jahr=2023")
    # then
    p = response.context["p"]
    assert (p["all_years"], p["years"]) == ([2025, 2023], [2023])
    assert all(len(item["cells"]) == 1 for item in p["rows"])
    assert '<option value="2023" selected>' in response.content.decode()


@pytest.mark.parametrize("n", [5, 200])
def test_participation_queries_do_not_grow(
    coordinator_client, network, django_assert_num_queries, n
):
    # given: n institutions, each at one of 3 network days
    partners = Partner.objects.bulk_create(
        Partner(network=network, name=f"Institution {i:04d}", valid_from=datetime.date(2014, 1, 1))
        for i in range(n)
    )
    days = [
        make_network_day(network, day=datetime.date(2020 + y, 6, 1), title=f"ND {y}")
        for y in range(3)
    ]
    Registration.objects.bulk_create(
        Registration(
            network=network,
            network_day=days[i % 3],
            partner=p,
            name=f"Person {i}",
            attended=True,
        )
        for i, p in enumerate(partners)
    )
    # when: 3 + meetings attended, network days attended, the institutions, and what they
    # could have attended (meetings through own seats, through constituency seats; network
    # days held)
    with django_assert_num_queries(9):
        response = coordinator_client.get(url("participation", network))
    # then
    assert len(response.context["p"]["rows"]) == n
