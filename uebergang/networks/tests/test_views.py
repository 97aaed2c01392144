"""The registry's pages: they render, their forms post through the services, errors appear next
to the fields they concern, and a version conflict shows the current state."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse

from uebergang.core.models import HistoryEvent, Network
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.models import (
    ConstituencySeat,
    Partner,
    Person,
    Representation,
    SeatAssignment,
    SeatHolding,
    Succession,
)

from .factories import SIGNED, make_partner, make_person, make_seat, row_counts

D = datetime.date
MERGER = D(2016, 11, 1)
LAST_DAY = D(2016, 10, 31)
REQUIRED = "Dieses Feld ist zwingend erforderlich."


def url(name, network, *args):
    return reverse(f"networks:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str | None:
    """The error text shown next to the field (`id_<field>-error`), or None."""
    match = re.search(
        rf'id="id_{field}-error"><span[^>]*></span><span class="kern-body">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else None


def alert(response) -> list[str]:
    """The messages in the error box above the form."""
    box = re.search(
        r'kern-alert--danger[^"]*" role="alert"[^>]*>(.*?)</div>\s*</div>',
        response.content.decode(),
        re.S,
    )
    if not box:
        return []
    return [
        html.unescape(m) for m in re.findall(r'<p class="kern-body">(.*?)</p>', box.group(1), re.S)
    ]


def partner_form_data(partner: Partner, **changes) -> dict:
    data = {
        "name": partner.name,
        "short_name": partner.short_name,
        "kind": partner.kind,
        "valid_from": partner.valid_from.isoformat(),
        "description": partner.description,
        "address": partner.address,
        "email": partner.email,
        "phone": partner.phone,
        "website": partner.website,
        "version": str(partner.version),
    }
    if partner.is_party:
        data["is_party"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def ihk(network):
    return make_partner(
        network, "Industrie und Handelskammer Osterode", kind="chamber", short_name="IHK"
    )


# --- pages render ----------------------------------------------------------------------------


def test_start_page_shows_the_network_parties_and_seats(coordinator_client, network, ihk):
    # given
    services.representation_create(
        actor=SYSTEM, partner=ihk, function="Hauptgeschäftsführung", valid_from=SIGNED
    )
    make_partner(network, "Oberschule Am Mühlenteich", is_party=False)
    make_seat(network, "Kammern")
    # when
    response = coordinator_client.get(url("start", network))
    # then
    assert response.status_code == 200
    body = text(response)
    assert '<h1 class="kern-heading-large">Übergang Schule–Beruf Osterode am Harz</h1>' in body
    assert "1 Kooperationspartner" in body
    assert "Industrie und Handelskammer Osterode</a>, vertreten durch Hauptgeschäftsführung" in body
    assert "Oberschule Am Mühlenteich" not in body
    assert "Kammern</a>" in body
    assert "Angaben bearbeiten" in body


def test_start_page_lists_former_network_names(coordinator_client, network):
    # given
    services.network_rename(
        actor=SYSTEM, network=network, name="Übergangsnetz Göttingen", valid_from=MERGER
    )
    # when
    response = coordinator_client.get(url("start", network))
    # then
    assert "Übergang Schule–Beruf Osterode am Harz (29.05.2013 – 31.10.2016)" in text(response)


def test_dashboard_shows_counts_missing_representations_and_recent_changes(
    coordinator_client, network, ihk
):
    # given
    make_person(network, "Max", "Mustermann")
    # when
    response = coordinator_client.get(url("dashboard", network))
    # then
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview == {"counts": {"active": 1, "parties": 1, "former": 0}, "people": 1}
    assert [p.name for p in response.context["without_rep"]] == [
        "Industrie und Handelskammer Osterode"
    ]
    body = text(response)
    assert "Kooperationspartner ohne aktuelles „vertreten durch“" in body
    assert "Person „Max Mustermann“ angelegt" in body


def test_network_history_page_shows_who_changed_what(coordinator_client, coordinator, network, ihk):
    # given
    services.partner_update(
        actor=coordinator, partner=ihk, expected_version=1, data={"phone": "05522 1"}
    )
    # when
    response = coordinator_client.get(url("history", network))
    # then
    assert response.status_code == 200
    body = text(response)
    assert "Kim Koordinata" in body
    assert "Partner „Industrie und Handelskammer Osterode“ geändert" in body
    assert '<span class="kern-body--bold">Telefon:</span> <del>–</del> → <ins>05522 1</ins>' in body


def test_record_history_pages_show_a_records_own_events(coordinator_client, network, ihk):
    # given
    person = make_person(network, "Max", "Mustermann")
    seat = make_seat(network, "Kammern")
    # when
    pages = {
        kind: coordinator_client.get(url("record_history", network, kind, obj.public_id))
        for kind, obj in (("partner", ihk), ("person", person), ("sammelvertretung", seat))
    }
    # then
    assert {kind: r.status_code for kind, r in pages.items()} == {
        "partner": 200,
        "person": 200,
        "sammelvertretung": 200,
    }
    assert "Verlauf: Industrie und Handelskammer Osterode" in text(pages["partner"])
    assert "Max Mustermann" not in text(pages["partner"])
    assert "Verlauf: Max Mustermann" in text(pages["person"])
    assert "Verlauf: Kammern" in text(pages["sammelvertretung"])


def test_record_history_of_an_unknown_kind_is_404(coordinator_client, network, ihk):
    # when
    response = coordinator_client.get(url("record_history", network, "vertretung", ihk.public_id))
    # then
    assert response.status_code == 404


def test_partner_list_shows_partners_representatives_and_period(coordinator_client, network, ihk):
    # given
    person = make_person(network, "Max", "Mustermann")
    services.representation_create(
        actor=SYSTEM, partner=ihk, person=person, function="Ausbildungsberatung", valid_from=SIGNED
    )
    # when
    response = coordinator_client.get(url("partner_list", network))
    # then
    assert response.status_code == 200
    body = text(response)
    assert "1 Partner" in body
    assert ">Industrie und Handelskammer Osterode</a>" in body
    assert "Max Mustermann – Ausbildungsberatung" in body
    assert "29.05.2013 – heute" in body
    assert "Partner anlegen" in body


def test_partner_list_on_a_past_date_shows_the_names_of_that_day(coordinator_client, network, ihk):
    # given
    services.partner_rename(
        actor=SYSTEM, partner=ihk, name="IHK Hannover", valid_from=D(2018, 1, 1)
    )
    # when
    then = coordinator_client.get(url("partner_list", network), {"stichtag": "2017-06-30"})
    now = coordinator_client.get(url("partner_list", network))
    # then
    assert ">Industrie und Handelskammer Osterode</a>" in text(then)
    assert "Stand am 30.06.2017" in text(then)
    assert '?stichtag=2017-06-30">Industrie' in text(then)
    assert ">IHK Hannover</a>" in text(now)


def test_partner_list_filters_former_partners(coordinator_client, network, ihk):
    # given
    kreistag = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY)
    # when
    former = coordinator_client.get(url("partner_list", network), {"status": "former"})
    active = coordinator_client.get(url("partner_list", network))
    # then
    assert [p.name for p in former.context["partners"]] == ["Kreistag"]
    assert "29.05.2013 – 31.10.2016" in text(former)
    assert [p.name for p in active.context["partners"]] == ["Industrie und Handelskammer Osterode"]


def test_partner_list_answers_htmx_with_the_results_only(coordinator_client, network, ihk):
    # when
    response = coordinator_client.get(
        url("partner_list", network), {"q": "Handelskammer"}, HTTP_HX_REQUEST="true"
    )
    # then
    body = text(response)
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<p class="kern-body">1 Partner')
    assert ">Industrie und Handelskammer Osterode</a>" in body


def test_partner_list_paginates(coordinator_client, network):
    # given
    for i in range(51):
        make_partner(network, f"Schule {i:02d}")
    # when
    first = coordinator_client.get(url("partner_list", network))
    second = coordinator_client.get(url("partner_list", network), {"seite": "2"})
    # then
    assert len(first.context["partners"]) == 50
    assert [p.name for p in second.context["partners"]] == ["Schule 50"]
    assert "Seite 2 von 2" in text(second)


def test_partner_detail_shows_succession_representations_and_seats(coordinator_client, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    services.representation_create(
        actor=SYSTEM, partner=osterode, function="Erster Kreisrat", valid_from=SIGNED
    )
    seat = make_seat(network, "Kommunen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED)
    succession = services.partner_record_succession(
        actor=SYSTEM,
        predecessor=osterode,
        successor_data={"name": "Landkreis Göttingen"},
        date=MERGER,
        note="Fusion",
    )
    # when
    old = coordinator_client.get(url("partner_detail", network, osterode.public_id))
    new = coordinator_client.get(url("partner_detail", network, succession.successor.public_id))
    # then
    old_body, new_body = text(old), text(new)
    assert "beendet: Nachfolge" in old_body
    assert (
        "Ab 01.11.2016 fortgeführt durch" in old_body
        and ">Landkreis Göttingen</a> – Fusion" in old_body
    )
    assert "Erster Kreisrat" in old_body and "29.05.2013 – 31.10.2016" in old_body
    assert "Nachfolge erfassen" not in old_body
    assert (
        "Nachfolger seit 01.11.2016 von" in new_body
        and ">Landkreis Osterode am Harz</a>" in new_body
    )
    assert ">Kommunen</a> (01.11.2016 – heute)" in new_body
    assert "Nachfolge erfassen" in new_body


def test_partner_detail_on_a_past_date(coordinator_client, network, ihk):
    # given
    services.partner_rename(
        actor=SYSTEM, partner=ihk, name="IHK Hannover", valid_from=D(2018, 1, 1)
    )
    # when
    response = coordinator_client.get(
        url("partner_detail", network, ihk.public_id), {"stichtag": "2017-01-01"}
    )
    # then
    body = text(response)
    assert '<h1 class="kern-heading-large">Industrie und Handelskammer Osterode</h1>' in body
    assert "Sie sehen den Stand am 01.01.2017." in body
    assert "Industrie und Handelskammer Osterode (29.05.2013 – 31.12.2017)" in body


def test_person_list_and_detail(coordinator_client, network, ihk):
    # given
    person = make_person(
        network,
        "Max",
        "Mustermann",
        organisation=ihk,
        function="Ausbildungsberatung",
        email="max@ihk.example",
    )
    services.representation_create(actor=SYSTEM, partner=ihk, person=person, valid_from=SIGNED)
    # when
    listing = coordinator_client.get(url("person_list", network), {"q": "muster"})
    detail = coordinator_client.get(url("person_detail", network, person.public_id))
    # then
    assert ">Mustermann, Max</a>" in text(listing)
    assert "1 Person" in text(listing)
    body = text(detail)
    assert '<h1 class="kern-heading-large">Max Mustermann</h1>' in body
    assert "mailto:max@ihk.example" in body
    assert ">Industrie und Handelskammer Osterode</a> (29.05.2013 – heute)" in body


def test_seat_list_and_detail(coordinator_client, network, ihk):
    # given
    seat = make_seat(network, "Kammern", description="Spricht für die Kammern.")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    person = make_person(network, "Max", "Mustermann")
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=person, valid_from=SIGNED)
    # when
    listing = coordinator_client.get(url("seat_list", network))
    detail = coordinator_client.get(url("seat_detail", network, seat.public_id))
    # then
    assert "Es spricht: Max Mustermann" in text(listing)
    assert "<li>Industrie und Handelskammer Osterode</li>" in text(listing)
    body = text(detail)
    assert '<h1 class="kern-heading-large">Kammern</h1>' in body
    assert "Spricht für die Kammern." in body
    assert ">Industrie und Handelskammer Osterode</a>" in body
    assert "Institution zuordnen" in body


# --- forms post ------------------------------------------------------------------------------


def test_partner_create_form_creates_and_redirects(coordinator_client, coordinator, network):
    # when
    response = coordinator_client.post(
        url("partner_create", network),
        {
            "name": "Handwerkskammer Hildesheim",
            "short_name": "HWK",
            "kind": "chamber",
            "is_party": "on",
            "valid_from": "2013-05-29",
        },
        follow=True,
    )
    # then
    partner = Partner.objects.get(name="Handwerkskammer Hildesheim")
    assert response.redirect_chain == [(url("partner_detail", network, partner.public_id), 302)]
    assert (partner.network_id, partner.kind, partner.is_party, partner.valid_from) == (
        network.pk,
        "chamber",
        True,
        SIGNED,
    )
    assert "Der Partner „Handwerkskammer Hildesheim“ ist angelegt." in text(response)
    assert HistoryEvent.objects.get(object_id=partner.public_id).actor_id == coordinator.pk


def test_partner_create_form_shows_missing_fields_next_to_them(coordinator_client, network):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("partner_create", network), {"name": "  ", "kind": "chamber"}
    )
    # then
    assert response.status_code == 200
    assert field_error(response, "name") == REQUIRED
    assert field_error(response, "valid_from") == REQUIRED
    assert field_error(response, "kind") is None
    assert 'aria-invalid="true"' in text(response)
    assert "Bitte prüfen Sie die markierten Felder." in text(response)
    assert row_counts() == before


def test_partner_create_form_shows_a_duplicate_name_next_to_the_name(
    coordinator_client, network, ihk
):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("partner_create", network),
        {
            "name": "industrie und handelskammer osterode",
            "kind": "chamber",
            "valid_from": "2014-01-01",
        },
    )
    # then
    assert response.status_code == 200
    assert field_error(response, "name") == "Einen aktiven Partner mit diesem Namen gibt es schon."
    assert row_counts() == before


def test_partner_edit_form_saves_changes(coordinator_client, network, ihk):
    # when
    response = coordinator_client.post(
        url("partner_edit", network, ihk.public_id),
        partner_form_data(ihk, phone="05522 1234", short_name="IHK OHA"),
    )
    # then
    assert response.status_code == 302
    assert response.url == url("partner_detail", network, ihk.public_id)
    ihk.refresh_from_db()
    assert (ihk.phone, ihk.short_name, ihk.version) == ("05522 1234", "IHK OHA", 2)


def test_partner_edit_form_shows_the_version_it_loaded(coordinator_client, network, ihk):
    # when
    response = coordinator_client.get(url("partner_edit", network, ihk.public_id))
    # then
    assert (
        '<input type="hidden" name="version" value="1" id="id_version">'
        in response.content.decode()
    )


def test_partner_edit_form_shows_a_bad_email_next_to_it(coordinator_client, network, ihk):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("partner_edit", network, ihk.public_id), partner_form_data(ihk, email="keine-adresse")
    )
    # then
    assert field_error(response, "email") == "Bitte gültige E-Mail-Adresse eingeben."
    assert row_counts() == before


def test_partner_rename_form(coordinator_client, network, ihk):
    # when
    response = coordinator_client.post(
        url("partner_rename", network, ihk.public_id),
        {"name": "IHK Hannover", "valid_from": "2018-01-01"},
        follow=True,
    )
    # then
    assert "Der Partner heißt jetzt „IHK Hannover“." in text(response)
    assert list(ihk.names.values_list("name", "valid_to")) == [
        ("Industrie und Handelskammer Osterode", D(2017, 12, 31)),
        ("IHK Hannover", None),
    ]


def test_partner_rename_form_shows_service_errors_next_to_fields(coordinator_client, network, ihk):
    # given
    before = row_counts()
    # when
    same = coordinator_client.post(
        url("partner_rename", network, ihk.public_id),
        {"name": "Industrie und Handelskammer Osterode", "valid_from": "2018-01-01"},
    )
    early = coordinator_client.post(
        url("partner_rename", network, ihk.public_id),
        {"name": "IHK Hannover", "valid_from": "2013-05-29"},
    )
    # then
    assert field_error(same, "name") == "Der neue Name ist derselbe wie der bisherige."
    assert field_error(early, "valid_from") == (
        "Der neue Name muss nach dem Beginn des bisherigen Namens (29.05.2013) gelten."
    )
    assert row_counts() == before


def test_partner_end_form(coordinator_client, network, ihk):
    # when
    response = coordinator_client.post(
        url("partner_end", network, ihk.public_id),
        {"valid_to": "2016-10-31", "reason": "dissolved", "note": "Fusion"},
        follow=True,
    )
    # then
    assert "Industrie und Handelskammer Osterode ist zum 31.10.2016 beendet." in text(response)
    ihk.refresh_from_db()
    assert (ihk.valid_to, ihk.end_reason, ihk.end_note) == (LAST_DAY, "dissolved", "Fusion")


def test_partner_end_form_shows_an_end_before_the_start(coordinator_client, network, ihk):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("partner_end", network, ihk.public_id), {"valid_to": "2012-12-31", "reason": "left"}
    )
    # then
    assert (
        field_error(response, "valid_to")
        == "Das Ende (31.12.2012) liegt vor dem Beginn (29.05.2013)."
    )
    assert row_counts() == before


def test_partner_succession_form_with_an_existing_successor(coordinator_client, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    goettingen = make_partner(network, "Landkreis Göttingen", kind="county")
    seat = make_seat(network, "Kommunen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED)
    # when
    response = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {
            "date": "2016-11-01",
            "successor": str(goettingen.public_id),
            "take_over_seats": "on",
            "note": "Fusion",
        },
        follow=True,
    )
    # then
    assert response.redirect_chain == [(url("partner_detail", network, goettingen.public_id), 302)]
    assert (
        "Landkreis Osterode am Harz endet am 31.10.2016; Landkreis Göttingen ist Nachfolger ab 01.11.2016."
        in text(response)
    )
    assert list(Succession.objects.values_list("predecessor__name", "successor__name", "date")) == [
        ("Landkreis Osterode am Harz", "Landkreis Göttingen", MERGER)
    ]
    assert list(
        seat.assignments.filter(valid_to__isnull=True).values_list("partner__name", flat=True)
    ) == ["Landkreis Göttingen"]


def test_partner_succession_form_with_a_new_successor_without_seats(coordinator_client, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz", kind="county")
    seat = make_seat(network, "Kommunen")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=osterode, valid_from=SIGNED)
    # when
    response = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {
            "date": "2016-11-01",
            "new_successor_name": "Landkreis Göttingen",
        },
    )
    # then
    successor = Partner.objects.get(name="Landkreis Göttingen")
    assert response.status_code == 302
    assert (successor.kind, successor.valid_from) == ("county", MERGER)
    assert seat.assignments.filter(partner=successor).count() == 0


def test_partner_succession_form_offers_neither_the_partner_itself_nor_ended_ones(
    coordinator_client, network
):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen")
    kreistag = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY)
    # when
    page = coordinator_client.get(url("partner_succession", network, osterode.public_id))
    itself = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {"date": "2016-11-01", "successor": str(osterode.public_id)},
    )
    # then
    assert [p.pk for p in page.context["form"].fields["successor"].queryset] == [goettingen.pk]
    assert field_error(itself, "successor") == (
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl. "
        "Bitte wählen Sie einen Nachfolger oder geben Sie den Namen eines neuen an."
    )
    assert Succession.objects.count() == 0
    assert Partner.objects.get(pk=osterode.pk).valid_to is None


def test_partner_succession_form_shows_a_taken_new_name_next_to_it(coordinator_client, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    make_partner(network, "Landkreis Göttingen")
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {"date": "2016-11-01", "new_successor_name": "landkreis göttingen"},
    )
    # then
    assert (
        field_error(response, "new_successor_name")
        == "Einen aktiven Partner mit diesem Namen gibt es schon."
    )
    assert row_counts() == before


def test_partner_succession_form_needs_one_successor(coordinator_client, network):
    # given
    osterode = make_partner(network, "Landkreis Osterode am Harz")
    goettingen = make_partner(network, "Landkreis Göttingen")
    before = row_counts()
    # when
    neither = coordinator_client.post(
        url("partner_succession", network, osterode.public_id), {"date": "2016-11-01"}
    )
    both = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {
            "date": "2016-11-01",
            "successor": str(goettingen.public_id),
            "new_successor_name": "Neu",
        },
    )
    too_early = coordinator_client.post(
        url("partner_succession", network, osterode.public_id),
        {
            "date": "2013-05-29",
            "successor": str(goettingen.public_id),
        },
    )
    # then
    assert field_error(neither, "successor") == (
        "Bitte wählen Sie einen Nachfolger oder geben Sie den Namen eines neuen an."
    )
    assert alert(both) == [
        "Bitte wählen Sie entweder einen bestehenden Nachfolger oder geben Sie einen neuen Namen an, nicht beides."
    ]
    assert field_error(too_early, "date") == (
        "Die Nachfolge muss nach dem Beginn von Landkreis Osterode am Harz (29.05.2013) liegen."
    )
    assert row_counts() == before


def test_representation_create_and_end_forms(coordinator_client, network, ihk):
    # given
    person = make_person(network, "Max", "Mustermann")
    # when
    created = coordinator_client.post(
        url("representation_create", network, ihk.public_id),
        {
            "person": str(person.public_id),
            "function": "Ausbildungsberatung",
            "valid_from": "2014-01-01",
        },
    )
    rep = Representation.objects.get(partner=ihk)
    ended = coordinator_client.post(
        url("representation_end", network, rep.public_id), {"valid_to": "2019-12-31"}
    )
    # then
    assert created.status_code == ended.status_code == 302
    assert created.url == ended.url == url("partner_detail", network, ihk.public_id)
    rep.refresh_from_db()
    assert (rep.person_id, rep.function, rep.valid_from, rep.valid_to) == (
        person.pk,
        "Ausbildungsberatung",
        D(2014, 1, 1),
        D(2019, 12, 31),
    )


def test_representation_create_form_shows_errors_next_to_fields(coordinator_client, network, ihk):
    # given
    before = row_counts()
    # when
    backwards = coordinator_client.post(
        url("representation_create", network, ihk.public_id),
        {
            "function": "Leitung",
            "valid_from": "2014-01-01",
            "valid_to": "2013-12-31",
        },
    )
    nobody = coordinator_client.post(
        url("representation_create", network, ihk.public_id), {"valid_from": "2014-01-01"}
    )
    # then
    assert (
        field_error(backwards, "valid_to")
        == "Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014)."
    )
    assert field_error(nobody, "function") == "Institution, Person oder Funktion angeben."
    assert row_counts() == before


def test_person_create_and_edit_forms(coordinator_client, network, ihk):
    # when
    created = coordinator_client.post(
        url("person_create", network),
        {
            "first_name": "Max",
            "last_name": "Mustermann",
            "organisation": str(ihk.public_id),
            "email": "max@ihk.example",
        },
    )
    person = Person.objects.get(last_name="Mustermann")
    edited = coordinator_client.post(
        url("person_edit", network, person.public_id),
        {
            "first_name": "Max",
            "last_name": "Mustermann",
            "function": "Ausbildungsberatung",
            "organisation": str(ihk.public_id),
            "email": "max@ihk.example",
            "version": "1",
        },
    )
    # then
    assert created.status_code == edited.status_code == 302
    assert created.url == edited.url == url("person_detail", network, person.public_id)
    person.refresh_from_db()
    assert (person.organisation_id, person.function, person.version) == (
        ihk.pk,
        "Ausbildungsberatung",
        2,
    )


def test_person_create_form_shows_missing_names(coordinator_client, network):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("person_create", network), {"first_name": "", "last_name": ""}
    )
    # then
    assert (field_error(response, "first_name"), field_error(response, "last_name")) == (
        REQUIRED,
        REQUIRED,
    )
    assert row_counts() == before


def test_seat_create_edit_assign_and_hold_forms(coordinator_client, network, ihk):
    # given
    person = make_person(network, "Max", "Mustermann")
    # when
    created = coordinator_client.post(
        url("seat_create", network), {"name": "Kammern", "valid_from": "2013-05-29"}
    )
    seat = ConstituencySeat.objects.get()
    edited = coordinator_client.post(
        url("seat_edit", network, seat.public_id),
        {
            "name": "Kammern und Verbände",
            "description": "Beirat",
            "valid_from": "2013-05-29",
            "version": "1",
        },
    )
    assigned = coordinator_client.post(
        url("seat_assign", network, seat.public_id),
        {
            "partner": str(ihk.public_id),
            "valid_from": "2014-01-01",
        },
    )
    held = coordinator_client.post(
        url("seat_holding_create", network, seat.public_id),
        {
            "person": str(person.public_id),
            "valid_from": "2014-01-01",
        },
    )
    assignment, holding = SeatAssignment.objects.get(), SeatHolding.objects.get()
    unassigned = coordinator_client.post(
        url("seat_unassign", network, assignment.public_id), {"valid_to": "2018-12-31"}
    )
    unheld = coordinator_client.post(
        url("seat_holding_end", network, holding.public_id), {"valid_to": "2019-12-31"}
    )
    # then
    detail = url("seat_detail", network, seat.public_id)
    assert [r.status_code for r in (created, edited, assigned, held, unassigned, unheld)] == [
        302
    ] * 6
    assert [r.url for r in (created, edited, assigned, held, unassigned, unheld)] == [detail] * 6
    seat.refresh_from_db()
    assignment.refresh_from_db()
    holding.refresh_from_db()
    assert (seat.name, seat.description) == ("Kammern und Verbände", "Beirat")
    assert (assignment.partner_id, assignment.valid_from, assignment.valid_to) == (
        ihk.pk,
        D(2014, 1, 1),
        D(2018, 12, 31),
    )
    assert (holding.person_id, holding.valid_from, holding.valid_to) == (
        person.pk,
        D(2014, 1, 1),
        D(2019, 12, 31),
    )


def test_seat_end_form(coordinator_client, network, ihk):
    # given
    seat = make_seat(network, "Kammern")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    # when
    response = coordinator_client.post(
        url("seat_end", network, seat.public_id), {"valid_to": "2019-12-31"}, follow=True
    )
    bad = coordinator_client.post(
        url("seat_end", network, seat.public_id), {"valid_to": "2020-01-01"}
    )
    # then
    assert response.redirect_chain == [(url("seat_detail", network, seat.public_id), 302)]
    assert "Die Sammelvertretung ist beendet." in text(response)
    assert ConstituencySeat.objects.get(pk=seat.pk).valid_to == D(2019, 12, 31)
    assert SeatAssignment.objects.get(seat=seat).valid_to == D(2019, 12, 31)
    assert alert(bad) == ["Diese Sammelvertretung ist bereits beendet."]


def test_seat_assign_form_shows_an_overlap_next_to_the_partner(coordinator_client, network, ihk):
    # given
    seat = make_seat(network, "Kammern")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=ihk, valid_from=SIGNED)
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("seat_assign", network, seat.public_id),
        {
            "partner": str(ihk.public_id),
            "valid_from": "2015-01-01",
        },
    )
    # then
    assert field_error(response, "partner") == (
        "Industrie und Handelskammer Osterode ist dieser Sammelvertretung in diesem Zeitraum bereits zugeordnet."
    )
    assert row_counts() == before


def test_seat_assign_form_does_not_offer_an_ended_partner(coordinator_client, network, ihk):
    # given
    seat = make_seat(network, "Kammern")
    kreistag = make_partner(network, "Kreistag")
    services.partner_end(actor=SYSTEM, partner=kreistag, valid_to=LAST_DAY)
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("seat_assign", network, seat.public_id),
        {
            "partner": str(kreistag.public_id),
            "valid_from": "2014-01-01",
        },
    )
    # then
    assert [p.name for p in response.context["form"].fields["partner"].queryset] == [
        "Industrie und Handelskammer Osterode"
    ]
    assert (
        field_error(response, "partner")
        == "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    )
    assert row_counts() == before


def test_seat_holding_form_shows_an_overlap(coordinator_client, network):
    # given
    seat = make_seat(network, "Kammern")
    max_ = make_person(network, "Max", "Mustermann")
    erika = make_person(network, "Erika", "Musterfrau")
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=max_, valid_from=SIGNED)
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("seat_holding_create", network, seat.public_id),
        {
            "person": str(erika.public_id),
            "valid_from": "2020-01-01",
        },
    )
    # then
    assert field_error(response, "valid_from") == (
        "Für diesen Zeitraum ist bereits eine Person eingetragen; beenden Sie zuerst deren Zeit."
    )
    assert row_counts() == before


def test_network_edit_and_rename_forms(coordinator_client, network):
    # when
    edited = coordinator_client.post(
        url("network_edit", network),
        {
            "region": "Landkreis Göttingen",
            "description": "Neu",
            "coordination_office": "Bildungsbüro",
            "email": "bb@example.org",
            "version": "1",
        },
    )
    renamed = coordinator_client.post(
        url("network_rename", network),
        {
            "name": "Übergangsnetz Göttingen",
            "valid_from": "2016-11-01",
        },
        follow=True,
    )
    # then
    assert edited.status_code == 302
    network = Network.objects.get(pk=network.pk)
    assert (
        network.region,
        network.description,
        network.coordination_office,
        network.email,
        network.name,
    ) == ("Landkreis Göttingen", "Neu", "Bildungsbüro", "bb@example.org", "Übergangsnetz Göttingen")
    assert "Das Netzwerk heißt jetzt „Übergangsnetz Göttingen“." in text(renamed)


def test_network_rename_form_refuses_a_future_date(coordinator_client, network):
    # given
    before = row_counts()
    # when
    response = coordinator_client.post(
        url("network_rename", network), {"name": "Neu", "valid_from": "2999-01-01"}
    )
    # then
    assert field_error(response, "valid_from") == (
        "Eine Umbenennung wird ab ihrem Stichtag erfasst; das Datum darf nicht in der Zukunft liegen."
    )
    assert row_counts() == before


# --- conflicts -------------------------------------------------------------------------------


def test_partner_edit_conflict_shows_the_current_state_and_keeps_the_first_save(
    coordinator_client, network, ihk
):
    # given: two people loaded the form at version 1; the first one saved
    loaded = partner_form_data(ihk)
    first = coordinator_client.post(
        url("partner_edit", network, ihk.public_id), {**loaded, "phone": "05522 1111"}
    )
    assert first.status_code == 302
    events = HistoryEvent.objects.count()
    # when: the second one saves their version-1 form
    second = coordinator_client.post(
        url("partner_edit", network, ihk.public_id),
        {**loaded, "phone": "05522 2222", "short_name": "IHK OHA"},
    )
    # then
    assert second.status_code == 200
    body = text(second)
    assert alert(second) == [
        "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
        "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
    ]
    assert "Inzwischen gespeicherter Stand" in body
    rows = re.findall(
        r'<th class="kern-table__cell" scope="row">(.*?)</th><td class="kern-table__cell">(.*?)</td>'
        r'<td class="kern-table__cell">(.*?)</td>',
        body,
    )
    assert rows == [("Kurzname", "IHK", "IHK OHA"), ("Telefon", "05522 1111", "05522 2222")]
    # the form keeps the second person's input and now carries the current version
    assert (
        '<input type="hidden" name="version" value="2" id="id_version">' in second.content.decode()
    )
    assert 'value="05522 2222"' in body
    ihk.refresh_from_db()
    assert (ihk.phone, ihk.short_name, ihk.version) == ("05522 1111", "IHK", 2)
    assert HistoryEvent.objects.count() == events


def test_partner_edit_after_a_conflict_can_be_saved_again(coordinator_client, network, ihk):
    # given
    loaded = partner_form_data(ihk)
    coordinator_client.post(
        url("partner_edit", network, ihk.public_id), {**loaded, "phone": "05522 1111"}
    )
    coordinator_client.post(
        url("partner_edit", network, ihk.public_id), {**loaded, "phone": "05522 2222"}
    )
    # when: they resubmit the form as shown (with the new version)
    response = coordinator_client.post(
        url("partner_edit", network, ihk.public_id),
        {**loaded, "phone": "05522 2222", "version": "2"},
    )
    # then
    assert response.status_code == 302
    ihk.refresh_from_db()
    assert (ihk.phone, ihk.version) == ("05522 2222", 3)


def test_person_edit_conflict(coordinator_client, coordinator, network):
    # given
    person = make_person(network, "Max", "Mustermann")
    services.person_update(
        actor=coordinator, person=person, expected_version=1, data={"phone": "0551 1"}
    )
    # when
    response = coordinator_client.post(
        url("person_edit", network, person.public_id),
        {
            "first_name": "Max",
            "last_name": "Mustermann",
            "phone": "0551 2",
            "version": "1",
        },
    )
    # then
    assert response.status_code == 200
    assert "Inzwischen gespeicherter Stand" in text(response)
    person.refresh_from_db()
    assert (person.phone, person.version) == ("0551 1", 2)


def test_seat_edit_conflict(coordinator_client, coordinator, network):
    # given
    seat = make_seat(network, "Kammern")
    services.seat_update(
        actor=coordinator, seat=seat, expected_version=1, data={"name": "Kammern und Verbände"}
    )
    # when
    response = coordinator_client.post(
        url("seat_edit", network, seat.public_id),
        {
            "name": "Nur Kammern",
            "valid_from": "2013-05-29",
            "version": "1",
        },
    )
    # then
    assert response.status_code == 200
    assert "Inzwischen gespeicherter Stand" in text(response)
    seat.refresh_from_db()
    assert (seat.name, seat.version) == ("Kammern und Verbände", 2)


def test_network_edit_conflict(coordinator_client, coordinator, network):
    # given
    services.network_update(
        actor=coordinator, network=network, expected_version=1, data={"region": "Erste"}
    )
    # when
    response = coordinator_client.post(
        url("network_edit", network),
        {
            "region": "Zweite",
            "coordination_office": "Koordinierungsstelle Bildung-Beruf",
            "version": "1",
        },
    )
    # then
    assert response.status_code == 200
    assert "Inzwischen gespeicherter Stand" in text(response)
    assert Network.objects.get(pk=network.pk).region == "Erste"
