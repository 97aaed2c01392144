"""The registry in a real browser, part two: people and who represents a partner, edits (one
of them while someone else saves), renaming the network and ending a partner, what a member
who represents a partner may change, and the end of a constituency seat. Every page a
journey visits is checked with axe-core (`assert_accessible`)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from uebergang.networks.tests.factories import link_user

pytestmark = pytest.mark.browser

NETWORK_NAME = "Übergang Schule–Beruf Osterode am Harz"
SIGNED = datetime.date(2013, 5, 29)
REQUIRED = "Dieses Feld ist zwingend erforderlich."
CONFLICT = (
    "Jemand anderes hat diesen Datensatz gespeichert, während Sie ihn bearbeitet haben. "
    "Ihre Eingaben stehen unten im Formular; übernehmen Sie, was davon noch gilt, und "
    "speichern Sie erneut."
)


def nav(page, name: str):
    """A link of the main navigation in the header."""
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name=name, exact=True
    )


def region(page, name: str):
    """A page section labelled by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def history_row(page, who: str, what: str):
    """A row of the "Verlauf" table that names who did what."""
    return region(page, "Verlauf").get_by_role("row").filter(has_text=who).filter(has_text=what)


def status_message(page):
    return page.locator(".messages").get_by_role("status")


def make_partner(network, name: str, kind: str, *, is_party: bool = True, **data):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import partner_create

    return partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": name, "kind": kind, "is_party": is_party, "valid_from": SIGNED, **data},
    )


def make_person(network, first_name: str, last_name: str, **data):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import person_create

    return person_create(
        actor=SYSTEM,
        network=network,
        data={"first_name": first_name, "last_name": last_name, **data},
    )


def field_error(page, field):
    """The error text shown in the form group of `field`."""
    return page.locator(".kern-form-input").filter(has=field).locator(".kern-error")


def heading(page, name: str):
    return page.get_by_role("heading", name=name, level=1, exact=True)


# --- a. people and who represents a partner ---------------------------------------------------


def test_coordination_office_keeps_people_and_representations(
    page, coordinator, network, sign_in, assert_accessible
):
    make_partner(network, "Industrie- und Handelskammer Hannover", "chamber")
    sign_in(page, "koordination@example.org")
    expect(heading(page, NETWORK_NAME)).to_be_visible()
    assert_accessible(page)

    nav(page, "Personen").click()
    expect(heading(page, "Personen")).to_be_visible()
    expect(page.get_by_text("Keine Personen gefunden.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Person anlegen").click()
    expect(heading(page, "Person anlegen")).to_be_visible()
    assert_accessible(page)

    # Submitted empty: the errors stand next to first and last name.
    page.get_by_role("button", name="Person anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie die markierten Felder.")
    for label in ("Vorname", "Nachname"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(REQUIRED))
        expect(field_error(page, field)).to_have_text(REQUIRED)
    expect(page.get_by_label("Funktion")).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Vorname", exact=True).fill("Erika")
    page.get_by_label("Nachname", exact=True).fill("Musterfrau")
    page.get_by_label("Funktion").fill("Ausbildungsberaterin")
    page.get_by_label("Institution").select_option(label="Industrie- und Handelskammer Hannover")
    page.get_by_role("button", name="Person anlegen").click()

    # The person's page.
    expect(heading(page, "Erika Musterfrau")).to_be_visible()
    expect(status_message(page)).to_have_text("Erika Musterfrau ist angelegt.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Ausbildungsberaterin, Industrie- und Handelskammer Hannover")
    expect(region(page, "Vertritt")).to_contain_text("Kein „vertreten durch“ erfasst.")
    expect(history_row(page, "Kim Koordinata", "Person „Erika Musterfrau“ angelegt")).to_have_count(
        1
    )
    assert_accessible(page)

    # Her institution's page lists her; the partner has no representation yet.
    main.get_by_role("link", name="Industrie- und Handelskammer Hannover").click()
    expect(heading(page, "Industrie- und Handelskammer Hannover")).to_be_visible()
    expect(region(page, "vertreten durch")).to_contain_text("Kein „vertreten durch“ erfasst.")
    expect(region(page, "Angaben")).to_contain_text("Erika Musterfrau – Ausbildungsberaterin")
    assert_accessible(page)

    page.get_by_role("link", name="„Vertreten durch“ erfassen").click()
    expect(
        heading(page, "„Vertreten durch“ für Industrie- und Handelskammer Hannover erfassen")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("durch Person").select_option(label="Erika Musterfrau")
    page.get_by_label("in der Funktion").fill("Geschäftsführung")
    page.get_by_label("gültig ab").fill("2014-01-01")
    page.get_by_role("button", name="„Vertreten durch“ speichern").click()

    # On the partner's page …
    expect(heading(page, "Industrie- und Handelskammer Hannover")).to_be_visible()
    expect(status_message(page)).to_have_text("„Vertreten durch“ ist erfasst.")
    reps = region(page, "vertreten durch").get_by_role("row").filter(has_text="Erika Musterfrau")
    expect(reps).to_have_count(1)
    expect(reps).to_contain_text("Geschäftsführung")
    expect(reps).to_contain_text("01.01.2014 – heute")
    expect(reps).to_contain_text("gilt")
    rep_name = "Industrie- und Handelskammer Hannover: Erika Musterfrau (Geschäftsführung)"
    expect(
        history_row(page, "Kim Koordinata", f"vertreten durch „{rep_name}“ angelegt")
    ).to_have_count(1)
    assert_accessible(page)

    # … and on the person's page.
    reps.get_by_role("link", name="Erika Musterfrau", exact=True).click()
    expect(heading(page, "Erika Musterfrau")).to_be_visible()
    expect(region(page, "Vertritt")).to_contain_text(
        "Industrie- und Handelskammer Hannover – Geschäftsführung (01.01.2014 – heute)"
    )
    assert_accessible(page)

    # The representation ends on a last day.
    region(page, "Vertritt").get_by_role(
        "link", name="Industrie- und Handelskammer Hannover"
    ).click()
    expect(heading(page, "Industrie- und Handelskammer Hannover")).to_be_visible()
    assert_accessible(page)
    reps.get_by_role("link", name=re.compile(r"^beenden")).click()
    expect(heading(page, "„Vertreten durch“ beenden")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(rep_name)
    assert_accessible(page)
    page.get_by_label("Letzter Tag").fill("2019-07-31")
    page.get_by_role("button", name="„Vertreten durch“ beenden").click()

    expect(heading(page, "Industrie- und Handelskammer Hannover")).to_be_visible()
    expect(status_message(page)).to_have_text("„Vertreten durch“ ist beendet.")
    expect(reps).to_contain_text("01.01.2014 – 31.07.2019")
    expect(reps).not_to_contain_text("gilt")
    expect(reps.get_by_role("link", name=re.compile(r"^beenden"))).to_have_count(0)
    # The partner's history: who ended it, and the last day.
    ended = history_row(page, "Kim Koordinata", f"vertreten durch „{rep_name}“ beendet")
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("gültig bis: – → 31.07.2019")
    assert_accessible(page)

    # The person's page shows the period too.
    reps.get_by_role("link", name="Erika Musterfrau", exact=True).click()
    expect(region(page, "Vertritt")).to_contain_text(
        "Industrie- und Handelskammer Hannover – Geschäftsführung (01.01.2014 – 31.07.2019)"
    )
    assert_accessible(page)


# --- b. editing, and two people editing at once -----------------------------------------------


def test_coordination_office_edits_and_meets_a_concurrent_save(
    page, live_server, coordinator, network, sign_in, assert_accessible
):
    partner = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    make_person(network, "Max", "Mustermann", function="Berufsberater")
    sign_in(page, "koordination@example.org")
    assert_accessible(page)

    # A partner.
    nav(page, "Partner").click()
    assert_accessible(page)
    page.get_by_role("link", name="Agentur für Arbeit Göttingen").click()
    expect(heading(page, "Agentur für Arbeit Göttingen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    expect(heading(page, "Agentur für Arbeit Göttingen bearbeiten")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Agentur für Arbeit Göttingen")
    assert_accessible(page)
    page.get_by_label("Kurzname").fill("AA Göttingen")
    page.get_by_label("Telefon").fill("0551 520-0")
    page.get_by_role("button", name="Speichern").click()
    expect(heading(page, "Agentur für Arbeit Göttingen")).to_be_visible()
    expect(status_message(page)).to_have_text("Die Änderungen sind gespeichert.")
    details = region(page, "Angaben")
    expect(details).to_contain_text("AA Göttingen")
    expect(details).to_contain_text("0551 520-0")
    changed = history_row(page, "Kim Koordinata", "Partner „Agentur für Arbeit Göttingen“ geändert")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Telefon: – → 0551 520-0")
    assert_accessible(page)

    # A person.
    nav(page, "Personen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mustermann, Max").click()
    expect(heading(page, "Max Mustermann")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    expect(heading(page, "Max Mustermann bearbeiten")).to_be_visible()
    expect(page.get_by_label("Funktion")).to_have_value("Berufsberater")
    assert_accessible(page)
    page.get_by_label("Titel / Anrede").fill("Dr.")
    page.get_by_label("Telefon").fill("0551 520-123")
    page.get_by_role("button", name="Speichern").click()
    expect(heading(page, "Dr. Max Mustermann")).to_be_visible()
    expect(status_message(page)).to_have_text("Die Änderungen sind gespeichert.")
    expect(page.get_by_role("main")).to_contain_text("0551 520-123")
    expect(history_row(page, "Kim Koordinata", "geändert")).to_contain_text("Titel / Anrede")
    assert_accessible(page)

    # The same partner's form open in two tabs; the first tab saves first.
    edit_url = f"{live_server.url}/n/osterode/partner/{partner.public_id}/bearbeiten/"
    first, second = page, page.context.new_page()
    for tab in (first, second):
        tab.goto(edit_url)
        expect(heading(tab, "Agentur für Arbeit Göttingen bearbeiten")).to_be_visible()
        assert_accessible(tab)
    first.get_by_label("Telefon").fill("0551 520-111")
    first.get_by_role("button", name="Speichern").click()
    expect(status_message(first)).to_have_text("Die Änderungen sind gespeichert.")
    expect(region(first, "Angaben")).to_contain_text("0551 520-111")
    assert_accessible(first)

    # The second tab saves what it loaded before: the conflict, with the stored state.
    second.get_by_label("Telefon").fill("0551 520-222")
    second.get_by_label("E-Mail").fill("goettingen@arbeitsagentur.de")
    second.get_by_role("button", name="Speichern").click()
    expect(heading(second, "Agentur für Arbeit Göttingen bearbeiten")).to_be_visible()
    warning = second.get_by_role("alert").filter(has_text="Inzwischen gespeicherter Stand")
    expect(warning).to_contain_text(CONFLICT)
    expect(second.get_by_role("alert").filter(has_text="Das hat nicht geklappt")).to_contain_text(
        "Dieser Datensatz wurde inzwischen von jemand anderem geändert."
    )
    table = warning.get_by_role("table", name="Unterschiede")
    expect(table.get_by_role("columnheader")).to_have_text(["Feld", "gespeichert", "Ihre Eingabe"])
    expect(table.get_by_role("row").filter(has_text="Telefon")).to_have_text(
        re.compile(r"Telefon\s*0551 520-111\s*0551 520-222")
    )
    expect(table.get_by_role("row").filter(has_text="E-Mail")).to_have_text(
        re.compile(r"E-Mail\s*–\s*goettingen@arbeitsagentur.de")
    )
    expect(table.get_by_role("row").filter(has_text="Kurzname")).to_have_count(0)  # unchanged
    # What the second person entered is still in the form.
    expect(second.get_by_label("Telefon")).to_have_value("0551 520-222")
    expect(second.get_by_label("E-Mail")).to_have_value("goettingen@arbeitsagentur.de")
    assert_accessible(second)

    # Nothing of the second save was stored: the partner's page shows the first.
    second.get_by_role("link", name="Abbrechen").click()
    expect(heading(second, "Agentur für Arbeit Göttingen")).to_be_visible()
    details = region(second, "Angaben")
    expect(details).to_contain_text("0551 520-111")
    expect(details).not_to_contain_text("0551 520-222")
    expect(details).not_to_contain_text("goettingen@arbeitsagentur.de")
    expect(
        history_row(second, "Kim Koordinata", "geändert").filter(has_text="0551 520-111")
    ).to_have_count(1)
    expect(history_row(second, "Kim Koordinata", "geändert")).to_have_count(2)
    assert_accessible(second)


# --- c. renaming the network, ending a partner ------------------------------------------------


def test_coordination_office_renames_the_network_and_ends_a_partner(
    page, coordinator, network, sign_in, assert_accessible
):
    make_partner(network, "Jugendwerkstatt Osterode", "other")
    make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    new_name = "Übergang Schule–Beruf Landkreis Göttingen"
    sign_in(page, "koordination@example.org")
    expect(heading(page, NETWORK_NAME)).to_be_visible()
    expect(page.get_by_text("frühere Namen")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("main").get_by_role("link", name="Umbenennen").click()
    expect(heading(page, "Netzwerk umbenennen")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"Der bisherige Name „{NETWORK_NAME}“ bleibt für die Zeit davor lesbar."
    )
    assert_accessible(page)
    page.get_by_label("Neuer Name").fill(new_name)
    page.get_by_label("Gilt ab").fill("2016-11-01")
    page.get_by_role("button", name="Umbenennen").click()

    expect(heading(page, new_name)).to_be_visible()
    expect(status_message(page)).to_have_text(f"Das Netzwerk heißt jetzt „{new_name}“.")
    expect(page.get_by_role("banner")).to_contain_text(new_name)
    expect(page.get_by_role("banner")).not_to_contain_text(NETWORK_NAME)
    expect(page).to_have_title(re.compile(re.escape(new_name)))
    former = page.locator(".kern-description-list-item").filter(has_text="frühere Namen")
    expect(former).to_contain_text(f"{NETWORK_NAME} (29.05.2013 – 31.10.2016)")
    expect(former).not_to_contain_text(new_name)
    assert_accessible(page)

    # A partner ends without a successor.
    nav(page, "Partner").click()
    assert_accessible(page)
    page.get_by_role("link", name="Jugendwerkstatt Osterode").click()
    expect(heading(page, "Jugendwerkstatt Osterode")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Beenden", exact=True).click()
    expect(heading(page, "Jugendwerkstatt Osterode beenden (ohne Nachfolger)")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Letzter Tag als Partner").fill("2018-12-31")
    page.get_by_label("Grund").select_option(label="aufgelöst")
    page.get_by_label("Vermerk").fill("Träger hat den Betrieb eingestellt")
    page.get_by_role("button", name="Partnerschaft beenden").click()

    expect(heading(page, "Jugendwerkstatt Osterode")).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Jugendwerkstatt Osterode ist zum 31.12.2018 beendet."
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("29.05.2013 – 31.12.2018")
    expect(main).to_contain_text("beendet: aufgelöst")
    expect(main).to_contain_text("Träger hat den Betrieb eingestellt")
    for action in ("Beenden", "Umbenennen", "Nachfolge erfassen", "„Vertreten durch“ erfassen"):
        expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    ended = history_row(page, "Kim Koordinata", "Partner „Jugendwerkstatt Osterode“ beendet")
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("gültig bis: – → 31.12.2018")
    assert_accessible(page)

    # The partner list: not among the active partners, among the former ones …
    nav(page, "Partner").click()
    results = page.locator("#ergebnisse")
    expect(results.get_by_text("1 Partner", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Jugendwerkstatt Osterode")).to_have_count(0)
    assert_accessible(page)
    filters = page.get_by_role("search", name="Partner filtern")
    filters.get_by_label("Status").select_option(label="ehemalig")  # htmx: on change
    expect(page).to_have_url(re.compile(r"status=former"))
    expect(results.get_by_text("1 Partner", exact=True)).to_be_visible()
    row = results.get_by_role("row").filter(has_text="Jugendwerkstatt Osterode")
    expect(row).to_contain_text("29.05.2013 – 31.12.2018")
    expect(results.get_by_role("link", name="Agentur für Arbeit Göttingen")).to_have_count(0)
    assert_accessible(page)

    # … and active as the list stood on 1 January 2015.
    filters.get_by_label("Status").select_option(label="aktiv")
    expect(page).to_have_url(re.compile(r"status=active"))
    filters.get_by_label("Stand am").fill("2015-01-01")
    expect(page).to_have_url(re.compile(r"stichtag=2015-01-01"))
    expect(results).to_contain_text("2 Partner – Stand am 01.01.2015")
    expect(results.get_by_role("link", name="Jugendwerkstatt Osterode")).to_be_visible()
    expect(results.get_by_role("link", name="Agentur für Arbeit Göttingen")).to_be_visible()
    assert_accessible(page)


# --- d. a member who represents a partner corrects its contact details ----------------------


def test_representative_member_edits_the_contact_details_of_their_partner_only(
    page, live_server, member, network, sign_in, assert_accessible
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services

    school = make_partner(network, "Berufsbildende Schulen I Osterode am Harz", "school_vocational")
    other = make_partner(network, "Handwerkskammer Hildesheim-Südniedersachsen", "chamber")
    person = make_person(network, "Mika", "Mitglied", function="Schulleitung")
    link_user(person, member)
    services.representation_create(
        actor=SYSTEM, partner=school, person=person, function="Schulleitung", valid_from=SIGNED
    )
    sign_in(page, "mitglied@example.org")
    expect(heading(page, NETWORK_NAME)).to_be_visible()
    assert_accessible(page)

    nav(page, "Partner").click()
    assert_accessible(page)
    page.get_by_role("link", name="Berufsbildende Schulen I Osterode am Harz").click()
    expect(heading(page, "Berufsbildende Schulen I Osterode am Harz")).to_be_visible()
    expect(page.get_by_role("link", name="Bearbeiten", exact=True)).to_be_visible()
    for action in ("Umbenennen", "Beenden", "Nachfolge erfassen", "„Vertreten durch“ erfassen"):
        expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    assert_accessible(page)

    # The contact details only.
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    expect(heading(page, "Berufsbildende Schulen I Osterode am Harz bearbeiten")).to_be_visible()
    form = page.locator("main form")
    for label in ("Anschrift", "E-Mail", "Telefon", "Website"):
        expect(form.get_by_label(label)).to_be_visible()
    for label in ("Name", "Kurzname", "Art", "Partner seit", "Beschreibung"):
        expect(form.get_by_label(label, exact=True)).to_have_count(0)
    expect(form.get_by_role("textbox")).to_have_count(4)
    expect(form.get_by_role("combobox")).to_have_count(0)
    expect(form.get_by_role("checkbox")).to_have_count(0)
    assert_accessible(page)
    form.get_by_label("Telefon").fill("05522 9080-0")
    page.get_by_role("button", name="Speichern").click()

    expect(heading(page, "Berufsbildende Schulen I Osterode am Harz")).to_be_visible()
    expect(status_message(page)).to_have_text("Die Änderungen sind gespeichert.")
    expect(region(page, "Angaben")).to_contain_text("05522 9080-0")
    changed = history_row(page, "Mika Mitglied", "geändert")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Telefon: – → 05522 9080-0")
    assert_accessible(page)

    # Another partner: nothing to edit, and its form is closed.
    nav(page, "Partner").click()
    assert_accessible(page)
    page.get_by_role("link", name="Handwerkskammer Hildesheim-Südniedersachsen").click()
    expect(heading(page, "Handwerkskammer Hildesheim-Südniedersachsen")).to_be_visible()
    expect(page.get_by_role("link", name="Bearbeiten", exact=True)).to_have_count(0)
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/n/osterode/partner/{other.public_id}/bearbeiten/")
    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_accessible(page)


# --- e. who speaks for a constituency seat, and the end of the seat ---------------------------


def test_coordination_office_enters_a_seat_holder_and_ends_the_seat(
    page, coordinator, network, sign_in, assert_accessible
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services

    seat = services.seat_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Allgemeinbildende Schulen", "valid_from": SIGNED},
    )
    for name in ("Grundschule am Röddenberg", "Oberschule Bad Lauterberg"):
        school = make_partner(network, name, "school_general", is_party=False)
        services.seat_assign(actor=SYSTEM, seat=seat, partner=school, valid_from=SIGNED)
    make_person(network, "Petra", "Sprecherin", function="Schulleitung")
    sign_in(page, "koordination@example.org")
    assert_accessible(page)

    nav(page, "Sammelvertretungen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Allgemeinbildende Schulen", exact=True).click()
    expect(heading(page, "Allgemeinbildende Schulen")).to_be_visible()
    holders = region(page, "Wer spricht für die Sammelvertretung")
    expect(holders).to_contain_text("Niemand eingetragen.")
    assert_accessible(page)

    page.get_by_role("link", name="Person eintragen").click()
    expect(heading(page, "Wer spricht für „Allgemeinbildende Schulen“?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person", exact=True).select_option(label="Petra Sprecherin")
    page.get_by_label("ab", exact=True).fill("2014-08-01")
    page.get_by_role("button", name="Eintragen").click()

    expect(heading(page, "Allgemeinbildende Schulen")).to_be_visible()
    expect(status_message(page)).to_have_text("Petra Sprecherin ist eingetragen.")
    expect(holders).to_contain_text("Petra Sprecherin (01.08.2014 – heute)")
    assert_accessible(page)

    # The seat ends: its assignments and its holder end the same day.
    page.get_by_role("link", name="Beenden", exact=True).click()
    expect(heading(page, "Sammelvertretung „Allgemeinbildende Schulen“ beenden")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Zuordnungen und eingetragene Personen enden am selben Tag."
    )
    assert_accessible(page)
    page.get_by_label("Letzter Tag").fill("2021-07-31")
    page.get_by_role("button", name="Sammelvertretung beenden").click()

    expect(heading(page, "Allgemeinbildende Schulen")).to_be_visible()
    expect(status_message(page)).to_have_text("Die Sammelvertretung ist beendet.")
    expect(page.get_by_role("main")).to_contain_text("Sammelvertretung 29.05.2013 – 31.07.2021")
    rows = region(page, "Zugeordnete Institutionen").get_by_role("row")
    for name in ("Grundschule am Röddenberg", "Oberschule Bad Lauterberg"):
        expect(rows.filter(has_text=name)).to_contain_text("29.05.2013 – 31.07.2021")
    expect(holders).to_contain_text("Petra Sprecherin (01.08.2014 – 31.07.2021)")
    for action in ("Institution zuordnen", "Person eintragen", "Bearbeiten", "Beenden"):
        expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    expect(
        page.get_by_role("link", name=re.compile(r"^(Zuordnung beenden|beenden)"))
    ).to_have_count(0)
    expect(
        history_row(page, "Kim Koordinata", "Sammelvertretung „Allgemeinbildende Schulen“ beendet")
    ).to_contain_text("gültig bis: – → 31.07.2021")
    expect(history_row(page, "Kim Koordinata", "Zuordnung beendet")).to_have_count(2)
    assert_accessible(page)

    # The holder's page shows the same end.
    holders.get_by_role("link", name="Petra Sprecherin").click()
    expect(heading(page, "Petra Sprecherin")).to_be_visible()
    expect(region(page, "Vertritt")).to_contain_text(
        "Allgemeinbildende Schulen (01.08.2014 – 31.07.2021)"
    )
    assert_accessible(page)

    # Read as of a day before the end, the seat list still shows both schools and the holder.
    nav(page, "Sammelvertretungen").click()
    expect(page.get_by_text("Keine Sammelvertretungen erfasst.")).to_be_visible()
    page.get_by_label("Stand am").fill("2020-01-01")
    page.get_by_role("button", name="Anzeigen").click()
    listed = region(page, "Allgemeinbildende Schulen")
    expect(listed).to_contain_text("Es spricht: Petra Sprecherin")
    expect(listed).to_contain_text("Grundschule am Röddenberg")
    expect(listed).to_contain_text("Oberschule Bad Lauterberg")
    assert_accessible(page)
