"""The network day's pages: list, create/edit (date and times in Europe/Berlin), detail with
programme, invitations and registrations, inviting all partners, cancelling; who sees what
(coordination, member, another network's office, strangers), German errors that change
nothing, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import (
    NetworkDay,
    NetworkDayInvitation,
    NetworkDayState,
    Registration,
)
from uebergang.meetings.tests.factories import BERLIN, at, make_network_day
from uebergang.networks.tests.factories import make_partner, make_person

REQUIRED = "Dieses Feld ist zwingend erforderlich."


def url(name, network, *args):
    return reverse(f"networkdays:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str | None:
    match = re.search(
        rf'id="id_{field}-error"><span[^>]*></span><span class="kern-body">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else None


def state() -> tuple:
    return (
        [(d.public_id, d.version, d.state) for d in NetworkDay.all_objects.order_by("pk")],
        NetworkDayInvitation.objects.count(),
        Registration.all_objects.count(),
        HistoryEvent.objects.count(),
    )


@pytest.fixture
def day(network):
    return make_network_day(network, programme="09:00 Ankommen\n10:00 Begrüßung")


def form_data(**over):
    data = {
        "title": "Netzwerktag 2027",
        "date": "2027-06-17",
        "start_time": "09:00",
        "end_time": "15:30",
        "place": "BBS Osterode, Aula",
        "programme": "09:00 Ankommen\n10:00 Begrüßung",
        "registration_until": "2027-06-01",
    }
    data.update(over)
    return data


# --- who sees what ---------------------------------------------------------------------------


def test_the_list_shows_days_with_their_numbers(coordinator_client, network, day):
    # given
    partner = make_partner(network, "Kreisvolkshochschule Fiktiv")
    services.registration_add(actor=SYSTEM, day=day, partner=partner, name="Ida Irgendwer")
    # when
    response = coordinator_client.get(url("networkday_list", network))
    # then
    assert response.status_code == 200
    rows = [(d.title, d.registration_count, d.attended_count) for d in response.context["days"]]
    assert rows == [("Netzwerktag Übergang Schule–Beruf", 1, 0)]
    assert "Netzwerktag anlegen" in text(response)


def test_a_member_sees_the_list_and_the_day_but_not_the_invitations(member_client, network, day):
    # given
    services.network_day_invite(actor=SYSTEM, day=day)
    # when
    listing = member_client.get(url("networkday_list", network))
    detail = member_client.get(url("networkday_detail", network, day.public_id))
    # then
    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "Netzwerktag anlegen" not in text(listing)
    assert "Einladungen an die Institutionen" not in text(detail)
    assert "Alle Partner einladen" not in text(detail)
    assert "Ihre Anmeldung" in text(detail)


@pytest.mark.parametrize(
    "name", ["networkday_create", "networkday_edit", "networkday_invite", "networkday_cancel"]
)
def test_a_member_may_not_manage(member_client, network, day, name):
    # given
    args = [] if name == "networkday_create" else [day.public_id]
    before = state()
    # when
    get = member_client.get(url(name, network, *args))
    post = member_client.post(url(name, network, *args), form_data())
    # then
    assert (get.status_code, post.status_code) == (403, 403)
    assert state() == before


def test_the_participation_page_is_for_the_coordination_office(member_client, network):
    assert member_client.get(url("participation", network)).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "networkday_list",
        "networkday_detail",
        "networkday_edit",
        "registration_add",
        "networkday_attendance",
        "participation",
    ],
)
@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_others_get_404(client, network, day, name, who, request):
    # given: the coordination office of another network, or someone in no network
    client.force_login(request.getfixturevalue(who))
    args = [] if name in ("networkday_list", "participation") else [day.public_id]
    # when
    response = client.get(url(name, network, *args))
    # then
    assert response.status_code == 404


def test_a_day_of_another_network_is_404(coordinator_client, network, other_network):
    # given
    theirs = make_network_day(other_network, title="Netzwerktag Anderswo")
    # when
    response = coordinator_client.get(url("networkday_detail", network, theirs.public_id))
    # then
    assert response.status_code == 404


def test_nav_links_to_the_network_day_and_participation(coordinator_client, network):
    # when
    page = text(coordinator_client.get(url("networkday_list", network)))
    # then
    assert f'href="{url("networkday_list", network)}" aria-current="page">Netzwerktag' in page
    assert f'href="{url("participation", network)}"' in page


def test_the_member_nav_has_no_participation(member_client, network):
    page = text(member_client.get(url("networkday_list", network)))
    assert url("networkday_list", network) in page
    assert url("participation", network) not in page


# --- create, edit ----------------------------------------------------------------------------


def test_create_makes_aware_times_in_berlin(coordinator_client, network):
    # when
    response = coordinator_client.post(url("networkday_create", network), form_data())
    # then
    day = NetworkDay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("networkday_detail", network, day.public_id)
    assert day.starts_at == datetime.datetime(2027, 6, 17, 9, 0, tzinfo=BERLIN)
    assert day.ends_at == datetime.datetime(2027, 6, 17, 15, 30, tzinfo=BERLIN)
    assert timezone.localtime(day.starts_at).utcoffset() == datetime.timedelta(hours=2)
    assert (day.place, day.registration_until, day.state) == (
        "BBS Osterode, Aula",
        datetime.date(2027, 6, 1),
        NetworkDayState.PLANNED,
    )


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"title": ""}, "title", REQUIRED),
        ({"title": "   "}, "title", REQUIRED),
        ({"date": ""}, "date", REQUIRED),
        ({"date": "17.13.2027"}, "date", "Bitte ein gültiges Datum eingeben."),
        ({"start_time": "25:00"}, "start_time", "Bitte eine gültige Uhrzeit eingeben."),
        ({"end_time": "08:00"}, "end_time", "Das Ende muss nach dem Beginn liegen."),
        ({"title": "x" * 201}, "title", None),
    ],
)
def test_bad_input_is_refused_in_german(coordinator_client, network, over, field, message):
    # given
    before = state()
    # when
    response = coordinator_client.post(url("networkday_create", network), form_data(**over))
    # then
    assert response.status_code == 200
    error = field_error(response, field)
    assert error is not None
    if message:
        assert error == message
    assert state() == before


def test_edit_shows_the_day_and_saves_changes(coordinator_client, network, day):
    # when
    page = coordinator_client.get(url("networkday_edit", network, day.public_id))
    response = coordinator_client.post(
        url("networkday_edit", network, day.public_id),
        form_data(title="Netzwerktag neu", date=day.day.isoformat(), version=day.version),
    )
    # then
    assert 'value="09:00"' in page.content.decode()
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.title == "Netzwerktag neu"
    assert timezone.localtime(day.ends_at).time() == datetime.time(15, 30)


def test_a_concurrent_edit_is_refused_and_shows_the_other_version(coordinator_client, network, day):
    # given: someone else saved meanwhile
    loaded = day.version
    services.network_day_update(
        actor=SYSTEM, day=day, expected_version=loaded, data={"title": "Von jemand anderem"}
    )
    before = state()
    # when
    response = coordinator_client.post(
        url("networkday_edit", network, day.public_id),
        form_data(title="Meine Fassung", date=day.day.isoformat(), version=loaded),
    )
    # then
    assert response.status_code == 200
    assert "Inzwischen gespeicherter Stand" in text(response)
    assert "Von jemand anderem" in text(response)
    assert state() == before


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_programme_registrations_by_institution_and_invitations(
    coordinator_client, network, day
):
    # given
    kvhs = make_partner(network, "Kreisvolkshochschule Fiktiv", email="kvhs@example.org")
    bbs = make_partner(network, "Berufsbildende Schulen Erfunden")
    services.network_day_invite(actor=SYSTEM, day=day)
    for name, partner in (("Ida Irgendwer", kvhs), ("Jan Jedermann", bbs), ("Kai Keiner", kvhs)):
        services.registration_add(actor=SYSTEM, day=day, partner=partner, name=name)
    # when
    response = coordinator_client.get(url("networkday_detail", network, day.public_id))
    # then
    page = text(response)
    assert "09:00 Ankommen<br>10:00 Begrüßung" in page
    groups = [(name, [r.name for r in rows]) for name, rows in response.context["groups"]]
    assert groups == [
        ("Berufsbildende Schulen Erfunden", ["Jan Jedermann"]),
        ("Kreisvolkshochschule Fiktiv", ["Ida Irgendwer", "Kai Keiner"]),
    ]
    invitations = {i.name: i for i in response.context["invitations"]}
    assert sorted(invitations) == ["Berufsbildende Schulen Erfunden", "Kreisvolkshochschule Fiktiv"]
    assert invitations["Berufsbildende Schulen Erfunden"].delivery == "no_address"
    assert "keine E-Mail-Adresse" in page
    assert invitations["Kreisvolkshochschule Fiktiv"].delivery_label in page


# --- invite, cancel --------------------------------------------------------------------------


def test_invite_all_partners(coordinator_client, network, day):
    # given
    make_partner(network, "Kreisvolkshochschule Fiktiv", email="kvhs@example.org")
    make_partner(network, "Berufsbildende Schulen Erfunden", email="bbs@example.org")
    # when
    page = coordinator_client.get(url("networkday_invite", network, day.public_id))
    response = coordinator_client.post(url("networkday_invite", network, day.public_id))
    # then
    assert page.status_code == 200
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.state == NetworkDayState.INVITED
    assert sorted(day.invitations.values_list("name", flat=True)) == [
        "Berufsbildende Schulen Erfunden",
        "Kreisvolkshochschule Fiktiv",
    ]
    follow = coordinator_client.get(response["Location"])
    assert "Die Einladung ist an 2 Institutionen unterwegs." in text(follow)


def test_cancel_the_day(coordinator_client, network, day):
    # when
    response = coordinator_client.post(url("networkday_cancel", network, day.public_id))
    # then
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.state == NetworkDayState.CANCELLED
    page = text(coordinator_client.get(url("networkday_detail", network, day.public_id)))
    assert "abgesagt" in page
    assert "Alle Partner einladen" not in page


def test_a_cancelled_day_cannot_be_cancelled_again(coordinator_client, network, day):
    # given
    services.network_day_cancel(actor=SYSTEM, day=day)
    before = state()
    # when
    response = coordinator_client.post(url("networkday_cancel", network, day.public_id))
    # then
    assert response.status_code == 200
    assert "Der Netzwerktag ist abgeschlossen." in text(response)
    assert state() == before


# --- query counts ----------------------------------------------------------------------------

SIZES = [5, 200]


def bulk_days(network, n: int) -> None:
    NetworkDay.objects.bulk_create(
        NetworkDay(
            network=network,
            title=f"Netzwerktag {i:04d}",
            starts_at=at(datetime.date(2000, 1, 1) + datetime.timedelta(days=i), 9),
            ends_at=at(datetime.date(2000, 1, 1) + datetime.timedelta(days=i), 15),
        )
        for i in range(n)
    )


def bulk_registrations(network, day, n: int) -> None:
    partners = [make_partner(network, f"Institution {i:02d}") for i in range(3)]
    people = [make_person(network, "Vera", f"Versuch{i:04d}") for i in range(2)]
    Registration.objects.bulk_create(
        Registration(
            network=network,
            network_day=day,
            partner=partners[i % 3],
            person=people[i] if i < 2 else None,
            name=f"Teilnehmende {i:04d}",
            attended=bool(i % 2),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", SIZES)
def test_list_queries_do_not_grow(coordinator_client, network, django_assert_num_queries, n):
    # given
    bulk_days(network, n)
    # when: session, user, network with role; the days with their counts
    with django_assert_num_queries(4):
        response = coordinator_client.get(url("networkday_list", network))
    # then
    assert len(response.context["days"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_detail_queries_do_not_grow(coordinator_client, network, day, django_assert_num_queries, n):
    # given
    bulk_registrations(network, day, n)
    # when: 3 + the day, its registrations, its invitations, its history
    with django_assert_num_queries(7):
        response = coordinator_client.get(url("networkday_detail", network, day.public_id))
    # then
    assert sum(len(rows) for _name, rows in response.context["groups"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_member_detail_queries_do_not_grow(
    member_client, network, day, django_assert_num_queries, n
):
    # given
    bulk_registrations(network, day, n)
    # when: 3 + the day, its registrations
    with django_assert_num_queries(5):
        response = member_client.get(url("networkday_detail", network, day.public_id))
    # then
    assert len(response.context["registrations"]) == n


def test_read_pages_are_cached_until_the_data_changes(
    coordinator_client,
    network,
    day,
    real_cache,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # given
    partner = make_partner(network, "Kreisvolkshochschule Fiktiv")
    for name in ("networkday_list", "networkday_detail"):
        args = [day.public_id] if name == "networkday_detail" else []
        coordinator_client.get(url(name, network, *args))
        # when: asked again, only user and network with role are read (the session comes
        # from the cache as well)
        with django_assert_num_queries(2):
            cached = coordinator_client.get(url(name, network, *args))
        assert cached.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        services.registration_add(actor=SYSTEM, day=day, partner=partner, name="Ida Irgendwer")
    # then: a change shows at once
    assert "Ida Irgendwer" in text(
        coordinator_client.get(url("networkday_detail", network, day.public_id))
    )
    listing = text(coordinator_client.get(url("networkday_list", network)))
    assert re.search(r'numeric">1</td>', listing)
