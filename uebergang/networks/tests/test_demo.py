"""`load_demo` creates the seed network of the cooperation agreement of 29 May 2013, with the
merger into the Landkreis Göttingen on 1 November 2016, and does nothing the second time."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from uebergang.accounts.models import User
from uebergang.core.models import HistoryEvent, Network, NetworkRole
from uebergang.core.permissions import can
from uebergang.networks import demo, selectors
from uebergang.networks.models import ConstituencySeat, Partner, Person, SeatHolding, Succession
from uebergang.networks.rules import PARTNER_EDIT_CONTACT, REGISTRY_MANAGE

from .factories import row_counts

D = datetime.date
SIGNED = D(2013, 5, 29)
MERGER = D(2016, 11, 1)
LAST_DAY = D(2016, 10, 31)

PARTIES = [
    "Agentur für Arbeit",
    "Allgemeinbildende Schulen",
    "Arbeitgeberverband-Mitte",
    "Berufsbildende Schulen",
    "DGB Südniedersachsen-Harz",
    "Finanz- und Wirtschaftsausschuss",
    "Gemeinden- und Samtgemeinden",
    "Handwerkskammer Hildesheim",
    "Industrie und Handelskammer Osterode am Harz",
    "JobCenter",
    "Kreishandwerkerschaft Osterode am Harz",
    "Kreistag",
    "Landkreis Osterode am Harz",
    "Niedersächsische Landesschulbehörde",
    "Schul- und Kulturausschuss",
    "Unternehmerverband MEKOM",
]
COMMITTEES = ["Finanz- und Wirtschaftsausschuss", "Kreistag", "Schul- und Kulturausschuss"]
COUNTY_FUNCTIONS = [
    "Erster Kreisrat",
    "Stabsstellenleitung für Bildung, Wirtschaft und Regionalplanung",
    "Fachbereichsleitung Jugend und Soziales",
    "Gleichstellungsstelle",
]


pytestmark = pytest.mark.clock


@pytest.fixture
def seed(demo_network):
    """The demo as `load_demo` builds it (built once per session, imported here)."""
    return demo_network


def parties_on(network, day):
    return sorted(
        p.name_then for p in selectors.partner_list(network=network, is_party=True, as_of=day)
    )


def test_the_seed_network(seed):
    # then
    network = Network.objects.get(slug="osterode")
    assert seed.pk == network.pk
    assert (network.name, network.valid_from, network.region, network.email) == (
        "Übergang Schule–Beruf im Landkreis Osterode am Harz",
        SIGNED,
        "Landkreis Osterode am Harz",
        "koordinierungsstelle@osterode.example",
    )
    assert list(network.names.values_list("name", "valid_from", "valid_to")) == [
        ("Übergang Schule–Beruf im Landkreis Osterode am Harz", SIGNED, None)
    ]


def test_sixteen_parties_signed_the_agreement(seed):
    # then
    assert parties_on(seed, SIGNED) == PARTIES
    assert Partner.objects.filter(network=seed, is_party=True, valid_from=SIGNED).count() == 16


def test_institutions_that_take_part_through_a_party_or_seat(seed):
    # then
    assert sorted(
        Partner.objects.filter(network=seed, is_party=False).values_list("name", flat=True)
    ) == [
        "Berufsbildende Schulen I Osterode am Harz",
        "Berufsbildende Schulen II Osterode am Harz",
        "Förderschule Sonnenhang (Demo)",
        "Gemeinde Bad Grund (Harz)",
        "Gymnasium Am Harzrand (Demo)",
        "Haupt- und Realschule Lindenweg (Demo)",
        "Oberschule Am Mühlenteich (Demo)",
        "Stadt Bad Lauterberg im Harz",
        "Stadt Herzberg am Harz",
        "Stadt Osterode am Harz",
    ]
    assert Partner.objects.filter(network=seed).count() == 27


def test_the_2016_succession_osterode_to_goettingen(seed):
    # then
    [succession] = Succession.objects.filter(network=seed)
    assert (succession.predecessor.name, succession.successor.name, succession.date) == (
        "Landkreis Osterode am Harz",
        "Landkreis Göttingen",
        MERGER,
    )
    osterode, goettingen = succession.predecessor, succession.successor
    assert (osterode.valid_to, osterode.end_reason) == (LAST_DAY, "succession")
    assert (goettingen.valid_from, goettingen.valid_to, goettingen.kind, goettingen.is_party) == (
        MERGER,
        None,
        "county",
        True,
    )
    assert list(
        osterode.representations.order_by("id").values_list("function", "valid_from", "valid_to")
    ) == [(function, SIGNED, LAST_DAY) for function in COUNTY_FUNCTIONS]
    assert list(
        goettingen.representations.order_by("id").values_list("function", "valid_from", "valid_to")
    ) == [(function, MERGER, None) for function in COUNTY_FUNCTIONS]


def test_the_committees_ended_with_the_county_without_successor(seed):
    # then
    committees = Partner.objects.filter(network=seed, name__in=COMMITTEES).order_by("name")
    assert [(p.name, p.valid_to, p.end_reason) for p in committees] == [
        (name, LAST_DAY, "dissolved") for name in COMMITTEES
    ]
    assert Succession.objects.filter(predecessor__in=committees).count() == 0
    assert [r.valid_to for p in committees for r in p.representations.all()] == [LAST_DAY] * 3


def test_parties_around_the_merger(seed):
    # then
    assert parties_on(seed, LAST_DAY) == PARTIES
    after = sorted(
        [*(set(PARTIES) - {"Landkreis Osterode am Harz", *COMMITTEES}), "Landkreis Göttingen"]
    )
    assert parties_on(seed, MERGER) == after
    assert len(after) == 13
    assert parties_on(seed, None) == after


def test_constituency_seats_with_their_institutions_and_holders(seed):
    # then
    seats = {
        seat.name: sorted(a.partner.name for a in seat.assignments.all())
        for seat in ConstituencySeat.objects.filter(network=seed)
    }
    assert seats == {
        "Allgemeinbildende Schulen": [
            "Förderschule Sonnenhang (Demo)",
            "Gymnasium Am Harzrand (Demo)",
            "Haupt- und Realschule Lindenweg (Demo)",
            "Oberschule Am Mühlenteich (Demo)",
        ],
        "Kammern": ["Handwerkskammer Hildesheim", "Industrie und Handelskammer Osterode am Harz"],
        "Städte & Gemeinden": [
            "Gemeinde Bad Grund (Harz)",
            "Stadt Bad Lauterberg im Harz",
            "Stadt Herzberg am Harz",
            "Stadt Osterode am Harz",
        ],
        "Verbände": [
            "Arbeitgeberverband-Mitte",
            "DGB Südniedersachsen-Harz",
            "Kreishandwerkerschaft Osterode am Harz",
            "Unternehmerverband MEKOM",
        ],
    }
    assert sorted(
        SeatHolding.objects.filter(network=seed).values_list("seat__name", "person__last_name")
    ) == [
        ("Allgemeinbildende Schulen", "Beispiel"),
        ("Kammern", "Mustermann"),
        ("Städte & Gemeinden", "Platzhalter"),
        ("Verbände", "Lorem"),
    ]


def test_people_and_accounts(seed):
    # then
    assert Person.objects.filter(network=seed).count() == 12
    roles = {
        r.user.email: r.role
        for r in NetworkRole.objects.filter(network=seed).select_related("user")
    }
    assert roles == {
        "koordination@osterode.example": "coordination",
        "ihk@osterode.example": "member",
    }
    linked = dict(
        Person.objects.filter(network=seed, user__isnull=False).values_list(
            "user__email", "last_name"
        )
    )
    assert linked == {
        "koordination@osterode.example": "Musterfrau",
        "ihk@osterode.example": "Mustermann",
    }
    for email in roles:
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


def test_the_ihk_adviser_may_correct_the_ihk_contact_details_only(seed):
    # given
    adviser = User.objects.get(email="ihk@osterode.example")
    ihk = Partner.objects.get(network=seed, name="Industrie und Handelskammer Osterode am Harz")
    hwk = Partner.objects.get(network=seed, name="Handwerkskammer Hildesheim")
    # then
    assert can(adviser, seed, PARTNER_EDIT_CONTACT, ihk) is True
    assert can(adviser, seed, PARTNER_EDIT_CONTACT, hwk) is False
    assert can(adviser, seed, REGISTRY_MANAGE) is False


def test_everything_was_done_by_the_system(seed):
    # then
    events = HistoryEvent.objects.filter(network=seed)
    assert events.count() > 0
    assert set(events.values_list("actor_id", "actor_name")) == {(None, "System")}


def test_load_demo_is_idempotent(db):
    # given
    seed = demo.load_demo()
    before = row_counts()
    users = User.objects.count()
    # when
    again = demo.load_demo()
    # then
    assert again.pk == seed.pk
    assert row_counts() == before
    assert User.objects.count() == users


def test_load_demo_command_says_what_it_did(db, capsys):
    # when
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    # then
    assert first == "Demo-Netzwerk „Übergang Schule–Beruf im Landkreis Osterode am Harz“ geladen.\n"
    assert (
        second
        == "Demo-Netzwerk „Übergang Schule–Beruf im Landkreis Osterode am Harz“ ist schon vorhanden.\n"
    )
    assert Network.objects.filter(slug="osterode").count() == 1


# --- current on any day ----------------------------------------------------------------------


def test_the_demo_reads_as_current_on_the_day_it_is_loaded(seed):
    from uebergang.bodies.models import Office
    from uebergang.meetings.models import Meeting, NetworkDay

    today = timezone.localdate()
    beirat = Meeting.objects.filter(network=seed, body__name="Beirat")
    upcoming = beirat.filter(starts_at__gte=timezone.now()).get()
    # The next advisory-board meeting is three weeks ahead and invited.
    assert upcoming.day == today + datetime.timedelta(days=21)
    assert upcoming.state == "invited"
    # The last meeting of the Beirat was in spring (its minutes wait for approval at the next
    # one), the last of any body a few weeks ago. The story moves by whole weeks: 0–6 days.
    last = beirat.filter(starts_at__lt=timezone.now()).first()
    assert 196 <= (today - last.day).days <= 202
    assert last.state == "minutes_drafted"
    latest = Meeting.objects.filter(network=seed, starts_at__lt=timezone.now()).first()
    assert 77 <= (today - latest.day).days <= 83
    # This year's network day has taken place; its title names its year.
    day = NetworkDay.objects.filter(network=seed).first()
    assert 68 <= (today - day.day).days <= 74
    assert day.title.startswith(f"Netzwerktag {day.day.year}: ")
    # The chair's and the deputy's term (one year, two sessions) runs out in about two weeks.
    for office in Office.objects.filter(network=seed, valid_to__isnull=True):
        one_year_on = office.valid_from.replace(year=office.valid_from.year + 1)
        assert 9 <= (one_year_on - today).days <= 15
    # The seed's facts stay where the agreement and the merger put them.
    assert seed.valid_from == SIGNED
    assert Succession.objects.get(network=seed).date == MERGER


def test_history_labels_name_the_dates_the_records_have(seed):
    """Labels in the history (a meeting's title with its date) say what the record says,
    on whatever day the demo was loaded."""
    from uebergang.meetings.models import Meeting, NetworkDay

    for model in (Meeting, NetworkDay):
        labels = {str(r.public_id): str(r) for r in model.all_objects.filter(network=seed)}
        events = HistoryEvent.objects.filter(
            network=seed, object_type=model._meta.label_lower
        ).values_list("object_id", "object_repr")
        assert len(events) > 0
        assert {(str(i), r) for i, r in events} == {(str(i), labels[str(i)]) for i, _r in events}


def test_loading_the_demo_sends_nothing(db, django_capture_on_commit_callbacks):
    """The demo's invitations and minutes went out in its past: loading it leaves no mail
    task behind (the worker of `make run` would send them to the fictional addresses)."""
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        network = demo.load_demo()
    assert network.slug == "osterode"
    assert callbacks == []
    assert mail.outbox == []
