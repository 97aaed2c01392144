"""Reads of the registry as dated facts: the state on a past date, successions, and names as of
a date."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from uebergang.core import selectors as history_selectors
from uebergang.core.permissions import SYSTEM
from uebergang.networks import selectors, services

from ..models import Partner
from .factories import SIGNED, make_partner, make_person, make_seat

D = datetime.date
MERGER = D(2016, 11, 1)
LAST_DAY = D(2016, 10, 31)
RENAMED = D(2018, 1, 1)


def names(qs, attr="name_then"):
    return [getattr(p, attr) for p in qs]


@pytest.fixture
def registry(network):
    """Osterode merges into Göttingen on 2016-11-01, the Kreistag ends with it, the IHK is
    renamed on 2018-01-01, a school joins in 2015 and sits in a constituency seat."""
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    kreistag = make_partner(network, "Kreistag", kind="council")
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    school = make_partner(
        network,
        "Oberschule Am Mühlenteich",
        kind="school_general",
        is_party=False,
        valid_from=D(2015, 8, 1),
    )
    services.representation_create(
        actor=SYSTEM, partner=osterode, function="Erster Kreisrat", valid_from=SIGNED
    )
    services.representation_create(
        actor=SYSTEM, partner=kreistag, function="Vorsitz", valid_from=SIGNED
    )
    seat = make_seat(network, "Kammern und Schulen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    services.seat_assign(actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED)
    services.seat_assign(actor=SYSTEM, seat=seat, partner=school, valid_from=D(2015, 8, 1))
    max_ = make_person(network, "Max", "Mustermann", organisation=ihk)
    erika = make_person(network, "Erika", "Musterfrau")
    first = services.seat_holding_create(actor=SYSTEM, seat=seat, person=max_, valid_from=SIGNED)
    services.seat_holding_end(actor=SYSTEM, holding=first, valid_to=D(2016, 12, 31))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=erika, valid_from=D(2017, 1, 1))
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY, reason="dissolved")
    succession = services.partner_record_succession(
        actor=SYSTEM,
        predecessor=osterode,
        successor_data={"name": "Landkreis Göttingen"},
        date=MERGER,
    )
    services.representation_create(
        actor=SYSTEM, partner=succession.successor, function="Landrätin", valid_from=MERGER
    )
    services.partner_rename(
        actor=SYSTEM, partner=ihk, name="IHK Hannover, Geschäftsstelle Osterode", valid_from=RENAMED
    )
    return {
        "osterode": osterode,
        "kreistag": kreistag,
        "ihk": ihk,
        "school": school,
        "goettingen": succession.successor,
        "seat": seat,
        "max": max_,
        "erika": erika,
    }


# --- partner_list: the state on a date -------------------------------------------------------


def test_partner_list_today_shows_active_partners_with_current_names(network, registry):
    # when
    partners = selectors.partner_list(network=network)
    # then
    assert names(partners) == [
        "IHK Hannover, Geschäftsstelle Osterode",
        "Landkreis Göttingen",
        "Oberschule Am Mühlenteich",
    ]


def test_partner_list_on_a_past_date_shows_the_partners_and_names_of_that_day(network, registry):
    # when
    partners = selectors.partner_list(network=network, as_of=D(2014, 1, 1))
    # then: the school had not joined, the IHK had its old name, the county still existed
    assert names(partners) == [
        "Industrie und Handelskammer Osterode",
        "Kreistag",
        "Landkreis Osterode am Harz",
    ]


def test_partner_list_names_change_on_the_day_of_the_rename(network, registry):
    # when
    day_before = selectors.partner_list(
        network=network, as_of=RENAMED - datetime.timedelta(days=1), kind="chamber"
    )
    day_of = selectors.partner_list(network=network, as_of=RENAMED, kind="chamber")
    # then
    assert names(day_before) == ["Industrie und Handelskammer Osterode"]
    assert names(day_of) == ["IHK Hannover, Geschäftsstelle Osterode"]
    assert [p.name for p in day_before] == ["IHK Hannover, Geschäftsstelle Osterode"]


def test_partner_list_around_the_succession(network, registry):
    # when
    last_day = selectors.partner_list(network=network, as_of=LAST_DAY, kind="county")
    first_day = selectors.partner_list(network=network, as_of=MERGER, kind="county")
    # then
    assert names(last_day) == ["Landkreis Osterode am Harz"]
    assert names(first_day) == ["Landkreis Göttingen"]


def test_partner_list_shows_the_representations_of_that_day(network, registry):
    # when
    before = {
        p.name_then: [r.function for r in p.reps_then]
        for p in selectors.partner_list(network=network, as_of=D(2015, 1, 1))
    }
    after = {
        p.name_then: [r.function for r in p.reps_then]
        for p in selectors.partner_list(network=network, as_of=D(2017, 1, 1))
    }
    # then
    assert before == {
        "Industrie und Handelskammer Osterode": [],
        "Kreistag": ["Vorsitz"],
        "Landkreis Osterode am Harz": ["Erster Kreisrat"],
    }
    assert after == {
        "Industrie und Handelskammer Osterode": [],
        "Landkreis Göttingen": ["Landrätin"],
        "Oberschule Am Mühlenteich": [],
    }


def test_party_partners_name_each_representation_of_the_day(network, registry):
    """The start page's list: parties by their name of the day, each representation by its
    institution, else its function, else its person, in the order they began; the ended
    and deleted ones left out, the parties without one listed without."""
    ihk, goettingen = registry["ihk"], registry["goettingen"]
    chamber = make_partner(network, "Handwerkskammer Hildesheim-Südniedersachsen")
    jana = make_person(network, "Jana", "Beispiel", title="Dr.")
    services.representation_create(
        actor=SYSTEM, partner=ihk, institution=chamber, valid_from=D(2017, 2, 1)
    )
    services.representation_create(actor=SYSTEM, partner=ihk, person=jana, valid_from=SIGNED)
    ended = services.representation_create(
        actor=SYSTEM, partner=ihk, function="Geschäftsführung", valid_from=SIGNED
    )
    services.representation_end(actor=SYSTEM, representation=ended, valid_to=D(2016, 12, 31))
    gone = services.representation_create(
        actor=SYSTEM, partner=goettingen, function="Dezernat 2", valid_from=MERGER
    )
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])

    lines = selectors.party_partners(network=network, as_of=D(2018, 6, 1))

    assert [(p.name_then, p.reps_then, p.reps_names) for p in lines] == [
        (
            "Handwerkskammer Hildesheim-Südniedersachsen",
            [],
            "",
        ),
        (
            "IHK Hannover, Geschäftsstelle Osterode",
            ["Dr. Jana Beispiel", "Handwerkskammer Hildesheim-Südniedersachsen"],
            "Dr. Jana Beispiel; Handwerkskammer Hildesheim-Südniedersachsen",
        ),
        ("Landkreis Göttingen", ["Landrätin"], "Landrätin"),
    ]
    assert [p.public_id for p in lines][1] == ihk.public_id
    before = selectors.party_partners(network=network, as_of=D(2016, 6, 1))
    assert [(p.name_then, p.reps_names) for p in before] == [
        ("Handwerkskammer Hildesheim-Südniedersachsen", ""),
        ("Industrie und Handelskammer Osterode", "Dr. Jana Beispiel; Geschäftsführung"),
        ("Kreistag", "Vorsitz"),
        ("Landkreis Osterode am Harz", "Erster Kreisrat"),
    ]


def _rows(partners) -> list[tuple]:
    return [
        (p.public_id, p.name_then, p.kind, p.period, p.reps_text)
        for p in selectors.partner_rows(partners)
    ]


@pytest.mark.parametrize(
    "day", [None, D(2014, 1, 1), LAST_DAY, MERGER, RENAMED - datetime.timedelta(days=1), RENAMED]
)
def test_the_first_page_from_prepared_queries_equals_the_general_list(network, registry, day):
    # when
    rows, count = selectors.partner_first_page(network=network, as_of=day)
    general = selectors.partner_list(network=network, as_of=day, for_display=True)
    # then: the same rows, names of the day, representations and count
    assert _rows(rows) == _rows(general[:50])
    assert count == general.count()


def test_the_first_page_holds_fifty_of_many_partners(network, registry):
    # given: more partners than a page, one of them gone (deleted)
    for i in range(60):
        make_partner(network, f"Betrieb {i:03d}", kind="other")
    gone = make_partner(network, "Aaa gelöscht", kind="other")
    Partner.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    # when
    rows, count = selectors.partner_first_page(network=network)
    general = selectors.partner_list(network=network, for_display=True)
    # then
    assert len(rows) == 50
    assert count == general.count() == 63
    assert _rows(rows) == _rows(general[:50])
    assert "Aaa gelöscht" not in [p.name_then for p in rows]


def test_partner_list_former_and_all(network, registry):
    # when
    former = selectors.partner_list(network=network, status=selectors.Status.FORMER)
    everyone = selectors.partner_list(network=network, status=selectors.Status.ALL)
    all_in_2014 = selectors.partner_list(
        network=network, status=selectors.Status.ALL, as_of=D(2014, 1, 1)
    )
    former_in_2017 = selectors.partner_list(
        network=network, status=selectors.Status.FORMER, as_of=D(2017, 1, 1)
    )
    # then
    assert names(former) == ["Kreistag", "Landkreis Osterode am Harz"]
    assert names(everyone) == [
        "IHK Hannover, Geschäftsstelle Osterode",
        "Kreistag",
        "Landkreis Göttingen",
        "Landkreis Osterode am Harz",
        "Oberschule Am Mühlenteich",
    ]
    assert names(all_in_2014) == [
        "Industrie und Handelskammer Osterode",
        "Kreistag",
        "Landkreis Osterode am Harz",
    ]
    assert names(former_in_2017) == ["Kreistag", "Landkreis Osterode am Harz"]


def test_partner_list_finds_a_partner_by_a_former_name_once(network, registry):
    # when
    found = selectors.partner_list(network=network, q="Industrie und Handelskammer")
    found_by_both = selectors.partner_list(network=network, q="Osterode", kind="chamber")
    # then
    assert names(found) == ["IHK Hannover, Geschäftsstelle Osterode"]
    assert names(found_by_both) == ["IHK Hannover, Geschäftsstelle Osterode"]


def test_partner_list_filters_by_kind_and_party(network, registry):
    # when
    parties = selectors.partner_list(network=network, is_party=True)
    institutions = selectors.partner_list(network=network, is_party=False)
    schools = selectors.partner_list(network=network, kind="school_general")
    # then
    assert names(parties) == ["IHK Hannover, Geschäftsstelle Osterode", "Landkreis Göttingen"]
    assert names(institutions) == ["Oberschule Am Mühlenteich"]
    assert names(schools) == ["Oberschule Am Mühlenteich"]


def test_partner_list_keeps_networks_apart(network, other_network, registry):
    # given
    make_partner(other_network, "Landkreis Anderswo")
    # when
    partners = selectors.partner_list(network=other_network)
    # then
    assert names(partners) == ["Landkreis Anderswo"]


# --- partner_detail --------------------------------------------------------------------------


def test_partner_detail_of_the_predecessor(registry):
    # when
    detail = selectors.partner_detail(partner=registry["osterode"], as_of=D(2015, 1, 1))
    # then
    assert detail.name_then == "Landkreis Osterode am Harz"
    assert [(s.successor.name, s.date) for s in detail.successors] == [
        ("Landkreis Göttingen", MERGER)
    ]
    assert detail.predecessors == []
    assert [(r.function, r.valid_from, r.valid_to) for r in detail.representations] == [
        ("Erster Kreisrat", SIGNED, LAST_DAY)
    ]
    assert [(a.seat.name, a.valid_to) for a in detail.seat_assignments] == [
        ("Kammern und Schulen", LAST_DAY)
    ]


def test_partner_detail_of_the_successor(registry):
    # when
    detail = selectors.partner_detail(partner=registry["goettingen"])
    # then
    assert detail.day == timezone.localdate()
    assert [(s.predecessor.name, s.date) for s in detail.predecessors] == [
        ("Landkreis Osterode am Harz", MERGER)
    ]
    assert detail.successors == []
    assert [(a.seat.name, a.valid_from, a.valid_to) for a in detail.seat_assignments] == [
        ("Kammern und Schulen", MERGER, None)
    ]


def test_partner_detail_names_as_of_a_date(registry):
    # when
    before = selectors.partner_detail(partner=registry["ihk"], as_of=D(2017, 12, 31))
    after = selectors.partner_detail(partner=registry["ihk"], as_of=RENAMED)
    today = selectors.partner_detail(partner=registry["ihk"])
    # then
    assert before.name_then == "Industrie und Handelskammer Osterode"
    assert after.name_then == today.name_then == "IHK Hannover, Geschäftsstelle Osterode"
    assert [(n.name, n.valid_from, n.valid_to) for n in today.names] == [
        ("Industrie und Handelskammer Osterode", SIGNED, D(2017, 12, 31)),
        ("IHK Hannover, Geschäftsstelle Osterode", RENAMED, None),
    ]
    assert [p.last_name for p in today.staff] == ["Mustermann"]


# --- network names ---------------------------------------------------------------------------


def test_network_name_on_a_date(network):
    # given
    services.network_rename(
        actor=SYSTEM, network=network, name="Übergangsnetz Göttingen", valid_from=MERGER
    )
    # when / then
    assert selectors.network_name_on(network, LAST_DAY) == "Übergang Schule–Beruf Osterode am Harz"
    assert selectors.network_name_on(network, MERGER) == "Übergangsnetz Göttingen"
    assert selectors.network_name_on(network, timezone.localdate()) == "Übergangsnetz Göttingen"


# --- seats -----------------------------------------------------------------------------------


def test_seat_list_on_a_past_date(network, registry):
    # when
    [seat_2014] = selectors.seat_list(network=network, as_of=D(2014, 1, 1))
    [seat_2017] = selectors.seat_list(network=network, as_of=D(2017, 1, 1))
    [seat_2018] = selectors.seat_list(network=network, as_of=RENAMED)
    # then
    assert names(seat_2014.assignments_then, "partner_name_then") == [
        "Industrie und Handelskammer Osterode",
        "Landkreis Osterode am Harz",
    ]
    assert [h.person.last_name for h in seat_2014.holdings_then] == ["Mustermann"]
    assert names(seat_2017.assignments_then, "partner_name_then") == [
        "Industrie und Handelskammer Osterode",
        "Landkreis Göttingen",
        "Oberschule Am Mühlenteich",
    ]
    assert [h.person.last_name for h in seat_2017.holdings_then] == ["Musterfrau"]
    assert names(seat_2018.assignments_then, "partner_name_then") == [
        "IHK Hannover, Geschäftsstelle Osterode",
        "Landkreis Göttingen",
        "Oberschule Am Mühlenteich",
    ]


def test_seat_list_leaves_out_seats_not_yet_created(network, registry):
    # given
    make_seat(network, "Verbände", valid_from=D(2020, 1, 1))
    # when
    in_2019 = selectors.seat_list(network=network, as_of=D(2019, 1, 1))
    today = selectors.seat_list(network=network)
    # then
    assert [s.name for s in in_2019] == ["Kammern und Schulen"]
    assert [s.name for s in today] == ["Kammern und Schulen", "Verbände"]


def test_seat_list_leaves_out_ended_seats_after_their_end(network, registry):
    # given
    services.seat_end(actor=SYSTEM, seat=registry["seat"], valid_to=D(2019, 12, 31))
    # when / then
    assert [s.name for s in selectors.seat_list(network=network, as_of=D(2019, 12, 31))] == [
        "Kammern und Schulen"
    ]
    assert [s.name for s in selectors.seat_list(network=network, as_of=D(2020, 1, 1))] == []


def test_seat_detail_lists_all_periods(registry):
    # when
    detail = selectors.seat_detail(seat=registry["seat"])
    # then
    assert [(a.partner.name, a.valid_from, a.valid_to) for a in detail["assignments"]] == [
        ("Landkreis Göttingen", MERGER, None),
        ("Oberschule Am Mühlenteich", D(2015, 8, 1), None),
        ("IHK Hannover, Geschäftsstelle Osterode", SIGNED, None),
        ("Landkreis Osterode am Harz", SIGNED, LAST_DAY),
    ]
    assert [(h.person.last_name, h.valid_from, h.valid_to) for h in detail["holdings"]] == [
        ("Musterfrau", D(2017, 1, 1), None),
        ("Mustermann", SIGNED, D(2016, 12, 31)),
    ]


# --- overview, people, history ---------------------------------------------------------------


def test_network_overview_counts_today(network, registry):
    # when
    overview = selectors.network_overview(network=network)
    # then
    assert overview == {"counts": {"active": 3, "parties": 2, "former": 2}, "people": 2}


def test_partners_without_representation(network, registry):
    # when
    missing = selectors.partners_without_representation(network=network)
    # then: only parties count; Göttingen has one, the school is no party
    assert [p.name for p in missing] == ["IHK Hannover, Geschäftsstelle Osterode"]


def test_person_list_searches_names_functions_and_organisations(network, registry):
    # when / then
    assert [p.last_name for p in selectors.person_list(network=network)] == [
        "Musterfrau",
        "Mustermann",
    ]
    assert [p.last_name for p in selectors.person_list(network=network, q="IHK Hannover")] == [
        "Mustermann"
    ]
    assert [p.last_name for p in selectors.person_list(network=network, q="erika")] == [
        "Musterfrau"
    ]
    assert [p.last_name for p in selectors.person_list(network=network, q="niemand")] == []


def test_partner_choices_on_a_day(network, registry):
    # when / then
    assert [p.name for p in selectors.partner_choices(network=network, day=D(2014, 1, 1))] == [
        "IHK Hannover, Geschäftsstelle Osterode",
        "Kreistag",
        "Landkreis Osterode am Harz",
    ]


def test_history_for_a_partner_includes_the_records_that_hang_on_it(network, registry):
    # when
    events = list(history_selectors.history_for(actor=SYSTEM, obj=registry["osterode"]))
    # then: newest first; the events of its representations and seat assignments belong to
    # the partner too (the assignment is shown on the partner, so is its end)
    assert [e.action for e in events] == [
        "succession",
        "end",
        "unassign",
        "end",
        "assign",
        "create",
        "create",
    ]
    assert [e.object_type for e in events if e.action == "create"] == [
        "networks.representation",
        "networks.partner",
    ]


def test_network_history_holds_every_event_of_the_network(network, other_network, registry):
    # given
    services.network_rename(
        actor=SYSTEM, network=network, name="Übergangsnetz Göttingen", valid_from=MERGER
    )
    make_partner(other_network, "Landkreis Anderswo")
    # when
    events = list(history_selectors.network_history(actor=SYSTEM, network=network))
    # then: the network's own rename (and creation) are part of its history; nothing from elsewhere
    assert (events[0].object_type, events[0].action) == ("core.network", "rename")
    assert events[-1].object_type == "core.network"
    assert "Landkreis Anderswo" not in [e.object_repr for e in events]


def test_the_usual_people_list_is_the_first_page_of_the_general_one(network):
    """`person_first_page` (no search, page 1, prepared queries) gives the rows and the
    count of `person_list`'s first page."""
    from django.core.paginator import Paginator

    from uebergang.core.web import PAGE_SIZE

    organisation = make_partner(network, "Berufsbildende Schulen Osterode")
    for i in range(PAGE_SIZE + 12):
        make_person(
            network, f"Vorname{i:03d}", f"Nachname{(i * 7) % 23:03d}", organisation=organisation
        )
    gone = make_person(network, "Gelöscht", "Aaaa")
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])

    rows, count = selectors.person_first_page(network=network)

    page = Paginator(selectors.person_list(network=network), PAGE_SIZE).page(1)
    assert [(p.pk, p.organisation.name) for p in rows] == [
        (p.pk, p.organisation.name) for p in page.object_list
    ]
    assert count == page.paginator.count == PAGE_SIZE + 12
