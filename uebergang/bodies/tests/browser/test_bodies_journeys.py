"""The bodies in a real browser: the coordination office sets up the advisory board (seats
for a partner and a constituency seat, members, a substitute, the chair), adds a guest expert
for a while, a member sees only the body they sit in, and a working group is dissolved.
Every page a journey visits is checked with axe-core (`assert_accessible`)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from uebergang.networks.tests.factories import link_user

pytestmark = pytest.mark.browser

NETWORK_NAME = "Übergang Schule–Beruf Osterode am Harz"
SIGNED = datetime.date(2013, 5, 29)
FOUNDED = datetime.date(2020, 1, 1)  # the bodies of these journeys exist since then
REQUIRED = "Dieses Feld ist zwingend erforderlich."
MAJORITY = "mehr als die Hälfte der stimmberechtigten Sitze anwesend"
ONE_VOTE_PER_SEAT = (
    "Dieser Sitz ist in diesem Zeitraum schon besetzt: eine Stimme je Sitz. "
    "Beenden Sie zuerst die bisherige Mitgliedschaft."
)
MANAGEMENT = ("Person aufnehmen", "Sitz anlegen", "Amt eintragen", "Bearbeiten", "Auflösen")
GUESTS = "Moderation und hinzugezogene Expert/innen"
OVER_TIME = "Wer saß wann im Gremium"


# --- helpers ---------------------------------------------------------------------------------


def nav(page, name: str):
    """A link of the main navigation in the header."""
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name=name, exact=True
    )


def region(page, name: str):
    """A page section labelled by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def heading(page, name: str):
    return page.get_by_role("heading", name=name, level=1, exact=True)


def open_history(page):
    """The body's history, on its own page (linked from the body's page); `page.go_back()`
    returns."""
    page.get_by_role("link", name="Verlauf des Gremiums ansehen").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Verlauf: "))).to_be_visible()


def history_row(page, who: str, what: str):
    """A row of the "Verlauf" table that names who did what."""
    table = page.get_by_role("group", name="Verlauf", exact=True)  # the history's table
    return table.get_by_role("row").filter(has_text=who).filter(has_text=what)


def status_message(page):
    return page.locator(".messages").get_by_role("status")


def field_error(page, field):
    """The error text shown in the form group of `field`."""
    return page.locator(".kern-form-input").filter(has=field).locator(".kern-error")


def label(text: str) -> re.Pattern:
    """A form label that starts with `text` (optional fields add "– optional")."""
    return re.compile(rf"^{re.escape(text)}(\s+–\s+optional)?$")


def seat_row(page, name: str):
    """The row of a seat in the table of seats on a body's page."""
    return (
        page.get_by_role("table", name="Sitze und Mitglieder")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(name)}")))
    )


def over_time_row(page, person: str):
    """The row of `person`'s membership in the table "Wer saß wann im Gremium"."""
    return (
        region(page, OVER_TIME)
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name=person, exact=True))
    )


def show_as_of(page, day: str) -> None:
    """The "Stand am" form of a page: show the page as on `day` (YYYY-MM-DD)."""
    page.get_by_label("Stand am").fill(day)
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(rf"stichtag={day}"))


def make_partner(network, name: str, kind: str, *, is_party: bool = True):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import partner_create

    return partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": name, "kind": kind, "is_party": is_party, "valid_from": SIGNED},
    )


def make_person(network, first_name: str, last_name: str, *, user=None):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import person_create

    person = person_create(
        actor=SYSTEM, network=network, data={"first_name": first_name, "last_name": last_name}
    )
    if user is not None:
        link_user(person, user)
    return person


def make_body(network, name: str, kind: str, **data):
    from uebergang.bodies.services import body_create
    from uebergang.core.permissions import SYSTEM

    return body_create(
        actor=SYSTEM,
        network=network,
        data={"name": name, "kind": kind, "valid_from": FOUNDED, **data},
    )


def make_seat(body, partner):
    from uebergang.bodies.services import body_seat_add
    from uebergang.core.permissions import SYSTEM

    return body_seat_add(actor=SYSTEM, body=body, partner=partner, valid_from=FOUNDED)


def make_membership(body, person, seat=None, *, role: str = "member", **kwargs):
    from uebergang.bodies.services import membership_add
    from uebergang.core.permissions import SYSTEM

    return membership_add(
        actor=SYSTEM,
        body=body,
        person=person,
        role=role,
        seat=seat,
        valid_from=kwargs.pop("valid_from", FOUNDED),
        **kwargs,
    )


def open_body(page, assert_accessible, name: str) -> None:
    """From anywhere: "Gremien" in the navigation, then the body's page."""
    nav(page, "Gremien").click()
    expect(heading(page, "Gremien")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table", name="Gremien des Netzwerks").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(heading(page, name)).to_be_visible()
    assert_accessible(page)


# --- a. the coordination office sets up the advisory board -------------------------------------


def test_coordination_office_sets_up_the_advisory_board(
    page, coordinator, network, sign_in, assert_accessible
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services

    make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    schools = services.seat_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Allgemeinbildende Schulen", "valid_from": SIGNED},
    )
    school = make_partner(network, "Grundschule am Röddenberg", "school_general", is_party=False)
    services.seat_assign(actor=SYSTEM, seat=schools, partner=school, valid_from=SIGNED)
    make_person(network, "Erika", "Musterfrau")
    make_person(network, "Petra", "Sprecherin")
    make_person(network, "Max", "Mustermann")
    make_person(network, "Vera", "Vertreterin")

    sign_in(page, "koordination@example.org")
    expect(heading(page, NETWORK_NAME)).to_be_visible()
    assert_accessible(page)

    nav(page, "Gremien").click()
    expect(heading(page, "Gremien")).to_be_visible()
    expect(nav(page, "Gremien")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text("Keine Gremien.")
    assert_accessible(page)

    page.get_by_role("link", name="Gremium anlegen").click()
    expect(heading(page, "Gremium anlegen")).to_be_visible()
    assert_accessible(page)

    # Everything but the name: the error stands next to the name only.
    page.get_by_label("Art", exact=True).select_option(label="Beirat")
    page.get_by_label(label("Beschlussfähigkeit")).select_option(label=MAJORITY)
    page.get_by_label(label("besteht seit")).fill("2020-01-01")
    page.get_by_role("button", name="Gremium anlegen").click()
    expect(heading(page, "Gremium anlegen")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie die markierten Felder.")
    name = page.get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile(REQUIRED))
    expect(field_error(page, name)).to_have_text(REQUIRED)
    expect(page.get_by_label("Art", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".kern-error").filter(has_text=REQUIRED)).to_have_count(1)
    expect(page.get_by_label(label("Beschlussfähigkeit"))).to_have_value("majority")
    assert_accessible(page)

    name.fill("Beirat")
    page.get_by_role("button", name="Gremium anlegen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(status_message(page)).to_have_text("Das Gremium „Beirat“ ist angelegt.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Beirat · 01.01.2020 – heute")
    quorum = page.locator(".kern-description-list-item").filter(has_text="Beschlussfähigkeit")
    expect(quorum).to_contain_text(MAJORITY)
    expect(region(page, "0 Sitze")).to_contain_text("Keine Sitze an diesem Tag.")
    expect(region(page, OVER_TIME)).to_contain_text("Noch niemand aufgenommen.")
    open_history(page)
    expect(history_row(page, "Kim Koordinata", "Gremium „Beirat“ angelegt")).to_have_count(1)
    assert_accessible(page)
    page.go_back()
    assert_accessible(page)

    # A seat for a partner …
    page.get_by_role("link", name="Sitz anlegen").click()
    expect(heading(page, "Sitz im Gremium „Beirat“ anlegen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Sitz für Partner")).select_option(label="Agentur für Arbeit Göttingen")
    expect(page.get_by_label("stimmberechtigt")).to_be_checked()
    page.get_by_label("ab", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Sitz anlegen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Der Sitz für Agentur für Arbeit Göttingen ist angelegt."
    )
    expect(seat_row(page, "Agentur für Arbeit Göttingen")).to_contain_text("unbesetzt")
    assert_accessible(page)

    # … and one for a constituency seat.
    page.get_by_role("link", name="Sitz anlegen").click()
    expect(heading(page, "Sitz im Gremium „Beirat“ anlegen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("oder: Sitz für Sammelvertretung")).select_option(
        label="Allgemeinbildende Schulen"
    )
    page.get_by_label("ab", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Sitz anlegen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Der Sitz für Allgemeinbildende Schulen ist angelegt."
    )
    expect(page.get_by_role("heading", name="2 Sitze", level=2)).to_be_visible()
    constituency = seat_row(page, "Allgemeinbildende Schulen")
    expect(constituency).to_contain_text("Sammelvertretung")
    expect(constituency).to_contain_text("ja")
    assert_accessible(page)

    # A school of that constituency gets no seat of its own: refused next to the field.
    page.get_by_role("link", name="Sitz anlegen").click()
    expect(heading(page, "Sitz im Gremium „Beirat“ anlegen")).to_be_visible()
    assert_accessible(page)
    partner_field = page.get_by_label(label("Sitz für Partner"))
    partner_field.select_option(label="Grundschule am Röddenberg")
    page.get_by_label("ab", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Sitz anlegen").click()
    expect(heading(page, "Sitz im Gremium „Beirat“ anlegen")).to_be_visible()
    refusal = (
        "Grundschule am Röddenberg ist der Sammelvertretung „Allgemeinbildende Schulen“ "
        "zugeordnet, die in diesem Gremium sitzt; sie spricht dort für die Institution."
    )
    expect(partner_field).to_have_attribute("aria-invalid", "true")
    expect(partner_field).to_have_accessible_description(re.compile(re.escape(refusal)))
    expect(field_error(page, partner_field)).to_have_text(refusal)
    assert_accessible(page)
    page.get_by_role("link", name="Abbrechen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(page.get_by_role("heading", name="2 Sitze", level=2)).to_be_visible()
    expect(seat_row(page, "Grundschule am Röddenberg")).to_have_count(0)
    assert_accessible(page)

    # A member on each seat.
    for person, seat in (
        ("Erika Musterfrau", "Agentur für Arbeit Göttingen"),
        ("Petra Sprecherin", "Allgemeinbildende Schulen"),
    ):
        page.get_by_role("link", name="Person aufnehmen").click()
        expect(heading(page, "Person in „Beirat“ aufnehmen")).to_be_visible()
        expect(page.get_by_label("Rolle", exact=True)).to_have_value("member")
        assert_accessible(page)
        page.get_by_label("Person", exact=True).select_option(label=person)
        page.get_by_label(label("Sitz")).select_option(label=seat)
        page.get_by_label("ab", exact=True).fill("2020-01-01")
        page.get_by_role("button", name="Aufnehmen").click()
        expect(heading(page, "Beirat")).to_be_visible()
        expect(status_message(page)).to_have_text(f"{person} ist aufgenommen (Mitglied).")
        expect(seat_row(page, seat)).to_contain_text(person)
        expect(seat_row(page, seat)).not_to_contain_text("unbesetzt")
        assert_accessible(page)

    # A second member on an occupied seat: one vote per seat.
    page.get_by_role("link", name="Person aufnehmen").click()
    expect(heading(page, "Person in „Beirat“ aufnehmen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person", exact=True).select_option(label="Max Mustermann")
    page.get_by_label("Rolle", exact=True).select_option(label="Mitglied")
    seat_field = page.get_by_label(label("Sitz"))
    seat_field.select_option(label="Agentur für Arbeit Göttingen")
    page.get_by_label("ab", exact=True).fill("2021-01-01")
    page.get_by_role("button", name="Aufnehmen").click()
    expect(heading(page, "Person in „Beirat“ aufnehmen")).to_be_visible()
    expect(seat_field).to_have_attribute("aria-invalid", "true")
    expect(field_error(page, seat_field)).to_have_text(ONE_VOTE_PER_SEAT)
    expect(page.get_by_label("Person", exact=True)).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    # A substitute for a named member: the seat follows from the member.
    page.get_by_label("Person", exact=True).select_option(label="Vera Vertreterin")
    page.get_by_label("Rolle", exact=True).select_option(label="Vertreter/in (eines Mitglieds)")
    seat_field.select_option(value="")
    page.get_by_label(label("vertritt (nur bei Vertreter/innen)")).select_option(
        label="Erika Musterfrau (Agentur für Arbeit Göttingen)"
    )
    page.get_by_label("ab", exact=True).fill("2020-02-01")
    page.get_by_role("button", name="Aufnehmen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Vera Vertreterin ist aufgenommen (Vertreter/in (eines Mitglieds))."
    )
    agency = seat_row(page, "Agentur für Arbeit Göttingen")
    expect(agency.get_by_role("cell").nth(0)).to_contain_text("Erika Musterfrau")
    expect(agency.get_by_role("cell").nth(1)).to_contain_text("Vera Vertreterin")
    expect(over_time_row(page, "Vera Vertreterin")).to_contain_text(
        "Vertreter/in (eines Mitglieds) (für Erika Musterfrau)"
    )
    expect(over_time_row(page, "Vera Vertreterin")).to_contain_text("01.02.2020 – heute")
    expect(over_time_row(page, "Max Mustermann")).to_have_count(0)
    expect(page.get_by_role("region", name="Ämter")).to_have_count(0)
    assert_accessible(page)

    # The chair.
    page.get_by_role("link", name="Amt eintragen").click()
    expect(heading(page, "Amt in „Beirat“ eintragen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Mitglied", exact=True).select_option(
        label="Erika Musterfrau (Agentur für Arbeit Göttingen)"
    )
    page.get_by_label("Amt", exact=True).select_option(label="Vorsitz")
    page.get_by_label("ab", exact=True).fill("2020-03-01")
    page.get_by_role("button", name="Eintragen").click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(status_message(page)).to_have_text("Vorsitz: Erika Musterfrau ist eingetragen.")
    expect(region(page, "Ämter")).to_contain_text("Vorsitz: Erika Musterfrau (01.03.2020 – heute)")
    expect(over_time_row(page, "Erika Musterfrau")).to_contain_text("Vorsitz 01.03.2020 – heute")

    # The history: every step, by the coordination office.
    open_history(page)
    for what in (
        "Gremium „Beirat“ angelegt",
        "Sitz „Agentur für Arbeit Göttingen“ angelegt",
        "Sitz „Allgemeinbildende Schulen“ angelegt",
        "Mitgliedschaft „Erika Musterfrau – Beirat“ angelegt",
        "Mitgliedschaft „Petra Sprecherin – Beirat“ angelegt",
        "Mitgliedschaft „Vera Vertreterin – Beirat“ angelegt",
        "Amt „Vorsitz: Erika Musterfrau“ angelegt",
    ):
        expect(history_row(page, "Kim Koordinata", what)).to_have_count(1)
    expect(
        page.get_by_role("group", name="Verlauf", exact=True)
        .get_by_role("row")
        .filter(has_text="Max Mustermann")
    ).to_have_count(0)
    assert_accessible(page)
    page.go_back()


# --- b. a guest expert for a while ------------------------------------------------------------


def test_guest_expert_shows_on_the_days_of_the_invitation(
    page, coordinator, network, sign_in, assert_accessible
):
    agency = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    body = make_body(
        network, "AG Berufsorientierung", "working_group", topic_area="Berufsorientierung"
    )
    seat = make_seat(body, agency)
    make_membership(body, make_person(network, "Erika", "Musterfrau"), seat)
    make_person(network, "Gerd", "Gutachter")

    sign_in(page, "koordination@example.org")
    assert_accessible(page)
    open_body(page, assert_accessible, "AG Berufsorientierung")
    expect(page.get_by_role("main")).to_contain_text("Arbeitsgremium · Berufsorientierung")

    page.get_by_role("link", name="Person aufnehmen").click()
    expect(heading(page, "Person in „AG Berufsorientierung“ aufnehmen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person", exact=True).select_option(label="Gerd Gutachter")
    page.get_by_label("Rolle", exact=True).select_option(label="hinzugezogene/r Expert/in")
    page.get_by_label("ab", exact=True).fill("2021-03-01")
    page.get_by_label(label("bis")).fill("2021-06-30")
    page.get_by_label(label("Vermerk")).fill("Datenschutz bei der Kompetenzfeststellung")
    page.get_by_role("button", name="Aufnehmen").click()

    expect(heading(page, "AG Berufsorientierung")).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Gerd Gutachter ist aufgenommen (hinzugezogene/r Expert/in)."
    )
    # Today the invitation is over: not in the current view, but in "Wer saß wann".
    expect(region(page, GUESTS)).to_have_count(0)
    guest_row = over_time_row(page, "Gerd Gutachter")
    expect(guest_row).to_contain_text("hinzugezogene/r Expert/in")
    expect(guest_row).to_contain_text("01.03.2021 – 30.06.2021")
    assert_accessible(page)
    open_history(page)
    expect(
        history_row(
            page, "Kim Koordinata", "Mitgliedschaft „Gerd Gutachter – AG Berufsorientierung“"
        )
    ).to_have_count(1)
    page.go_back()

    # A day within the period: the guest is there, with the period and the note.
    show_as_of(page, "2021-04-15")
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(
        "Sie sehen die Besetzung am 15.04.2021."
    )
    expect(region(page, GUESTS)).to_contain_text(
        "Gerd Gutachter – hinzugezogene/r Expert/in (01.03.2021 – 30.06.2021): "
        "Datenschutz bei der Kompetenzfeststellung"
    )
    expect(seat_row(page, "Agentur für Arbeit Göttingen")).to_contain_text("Erika Musterfrau")
    expect(over_time_row(page, "Gerd Gutachter")).to_have_count(1)
    expect(over_time_row(page, "Erika Musterfrau")).to_have_count(1)
    assert_accessible(page)

    # The last day still counts, the day after does not.
    show_as_of(page, "2021-06-30")
    expect(region(page, GUESTS)).to_contain_text("Gerd Gutachter")
    assert_accessible(page)
    show_as_of(page, "2021-07-01")
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(
        "Sie sehen die Besetzung am 01.07.2021."
    )
    expect(region(page, GUESTS)).to_have_count(0)
    expect(seat_row(page, "Agentur für Arbeit Göttingen")).to_contain_text("Erika Musterfrau")
    expect(over_time_row(page, "Gerd Gutachter")).to_contain_text("01.03.2021 – 30.06.2021")
    expect(over_time_row(page, "Erika Musterfrau")).to_have_count(1)
    assert_accessible(page)


# --- c. a member sees the body they sit in, and no other --------------------------------------


def test_member_sees_only_the_body_they_sit_in(
    page, live_server, member, network, sign_in, assert_accessible
):
    school = make_partner(network, "Berufsbildende Schulen I Osterode am Harz", "school_vocational")
    agency = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    own = make_body(network, "AG Berufsorientierung", "working_group")
    make_membership(
        own, make_person(network, "Mika", "Mitglied", user=member), make_seat(own, school)
    )
    other = make_body(network, "AG Übergangsmanagement", "working_group")
    make_membership(other, make_person(network, "Erika", "Musterfrau"), make_seat(other, agency))
    board = make_body(network, "Beirat", "advisory_board", quorum_rule="majority")
    make_seat(board, agency)

    sign_in(page, "mitglied@example.org")
    expect(heading(page, NETWORK_NAME)).to_be_visible()
    assert_accessible(page)

    nav(page, "Gremien").click()
    expect(heading(page, "Gremien")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Sie sehen die Gremien, in denen Sie Mitglied sind.")
    expect(page.get_by_role("link", name="Gremium anlegen")).to_have_count(0)
    bodies = page.get_by_role("table", name="Gremien des Netzwerks")
    expect(bodies.get_by_role("link")).to_have_text(["AG Berufsorientierung"])
    for name in ("AG Übergangsmanagement", "Beirat"):
        expect(bodies).not_to_contain_text(name)
    assert_accessible(page)

    bodies.get_by_role("link", name="AG Berufsorientierung").click()
    expect(heading(page, "AG Berufsorientierung")).to_be_visible()
    expect(seat_row(page, "Berufsbildende Schulen I Osterode am Harz")).to_contain_text(
        "Mika Mitglied"
    )
    for action in MANAGEMENT:
        expect(main.get_by_role("link", name=action, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile(r"^(beenden|Sitz beenden)"))).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Aktionen")).to_have_count(0)
    assert_accessible(page)

    # Another body's page, and its forms: the German refusal page.
    for url in (
        f"/n/osterode/gremien/{other.public_id}/",
        f"/n/osterode/gremien/{board.public_id}/",
        f"/n/osterode/gremien/{own.public_id}/person/",
        "/n/osterode/gremien/neu/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 403, url
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(heading(page, "Keine Berechtigung")).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text("Erika Musterfrau")
        expect(nav(page, "Gremien")).to_be_visible()
        assert_accessible(page)


# --- d. a working group is dissolved ----------------------------------------------------------


def test_coordination_office_dissolves_a_working_group(
    page, coordinator, network, sign_in, assert_accessible
):
    from uebergang.bodies import services
    from uebergang.core.permissions import SYSTEM

    school = make_partner(network, "Berufsbildende Schulen I Osterode am Harz", "school_vocational")
    agency = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    group = make_body(network, "AG Berufsorientierung", "working_group")
    school_seat = make_seat(group, school)
    agency_seat = make_seat(group, agency)
    erika = make_membership(group, make_person(network, "Erika", "Musterfrau"), agency_seat)
    make_membership(group, make_person(network, "Petra", "Sprecherin"), school_seat)
    # A substitute on Erika's seat: ending the seat ends Erika, and with her, Vera.
    make_membership(
        group,
        make_person(network, "Vera", "Vertreterin"),
        role="substitute",
        substitute_for=erika,
        valid_from=datetime.date(2022, 5, 1),
    )
    make_membership(
        group,
        make_person(network, "Gerd", "Gutachter"),
        role="guest",
        valid_from=datetime.date(2023, 2, 1),
    )
    services.office_assign(
        actor=SYSTEM, membership=erika, kind="chair", valid_from=datetime.date(2021, 1, 1)
    )

    sign_in(page, "koordination@example.org")
    assert_accessible(page)
    open_body(page, assert_accessible, "AG Berufsorientierung")
    expect(page.get_by_role("heading", name="2 Sitze", level=2)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("aufgelöst", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Auflösen", exact=True).click()
    expect(heading(page, "AG Berufsorientierung auflösen")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Sitze, Mitgliedschaften und Ämter enden am selben Tag; "
        "alles bleibt für die Zeit davor lesbar."
    )
    assert_accessible(page)
    page.get_by_label("Letzter Tag des Gremiums").fill("2024-12-31")
    page.get_by_role("button", name="Gremium auflösen").click()

    expect(heading(page, "AG Berufsorientierung")).to_be_visible()
    expect(status_message(page)).to_have_text("Das Gremium ist aufgelöst.")
    main = page.get_by_role("main")
    expect(main.get_by_text("aufgelöst", exact=True)).to_be_visible()
    expect(main).to_contain_text("Arbeitsgremium · 01.01.2020 – 31.12.2024")
    for action in MANAGEMENT:
        expect(main.get_by_role("link", name=action, exact=True)).to_have_count(0)
    # Today: no seat, nobody; over time: everyone, each ended on the last day.
    expect(page.get_by_role("heading", name="0 Sitze", level=2)).to_be_visible()
    expect(main).to_contain_text("Keine Sitze an diesem Tag.")
    for person, since in (
        ("Erika Musterfrau", "01.01.2020"),
        ("Petra Sprecherin", "01.01.2020"),
        ("Vera Vertreterin", "01.05.2022"),
        ("Gerd Gutachter", "01.02.2023"),
    ):
        expect(over_time_row(page, person)).to_contain_text(f"{since} – 31.12.2024")
    expect(over_time_row(page, "Erika Musterfrau")).to_contain_text(
        "Vorsitz 01.01.2021 – 31.12.2024"
    )
    expect(region(page, GUESTS)).to_have_count(0)
    expect(region(page, "Ämter")).to_have_count(0)
    assert_accessible(page)
    open_history(page)
    ended = history_row(page, "Kim Koordinata", "Gremium „AG Berufsorientierung“ beendet")
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("gültig bis: – → 31.12.2024")
    for what in (
        "Sitz „Berufsbildende Schulen I Osterode am Harz“ beendet",
        "Sitz „Agentur für Arbeit Göttingen“ beendet",
        "Mitgliedschaft „Erika Musterfrau – AG Berufsorientierung“ beendet",
        "Mitgliedschaft „Petra Sprecherin – AG Berufsorientierung“ beendet",
        "Mitgliedschaft „Vera Vertreterin – AG Berufsorientierung“ beendet",
        "Mitgliedschaft „Gerd Gutachter – AG Berufsorientierung“ beendet",
        "Amt „Vorsitz: Erika Musterfrau“ beendet",
    ):
        row = history_row(page, "Kim Koordinata", what)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("gültig bis: – → 31.12.2024")
    assert_accessible(page)
    page.go_back()

    # On the last day the seats and their members are still there …
    show_as_of(page, "2024-12-31")
    expect(page.get_by_role("heading", name="2 Sitze", level=2)).to_be_visible()
    agency_row = seat_row(page, "Agentur für Arbeit Göttingen")
    expect(agency_row).to_contain_text("Erika Musterfrau")
    expect(agency_row).to_contain_text("Vera Vertreterin")
    expect(seat_row(page, "Berufsbildende Schulen I Osterode am Harz")).to_contain_text(
        "Petra Sprecherin"
    )
    expect(region(page, GUESTS)).to_contain_text(
        "Gerd Gutachter – hinzugezogene/r Expert/in (01.02.2023 – 31.12.2024)"
    )
    expect(region(page, "Ämter")).to_contain_text(
        "Vorsitz: Erika Musterfrau (01.01.2021 – 31.12.2024)"
    )
    # What has ended offers nothing to end (nor does the dissolved body).
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=re.compile(r"^(beenden|Sitz beenden)"))).to_have_count(0)
    for action in MANAGEMENT:
        expect(main.get_by_role("link", name=action, exact=True)).to_have_count(0)
    assert_accessible(page)
    # … the day after they are gone.
    show_as_of(page, "2025-01-01")
    expect(page.get_by_role("heading", name="0 Sitze", level=2)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Keine Sitze an diesem Tag.")
    assert_accessible(page)

    # The list: gone today, there as of a day before the end.
    nav(page, "Gremien").click()
    expect(heading(page, "Gremien")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Keine Gremien.")
    assert_accessible(page)
    show_as_of(page, "2024-06-01")
    listed = (
        page.get_by_role("table", name="Gremien des Netzwerks")
        .get_by_role("row")
        .filter(has_text="AG Berufsorientierung")
    )
    expect(listed).to_contain_text("01.01.2020 – 31.12.2024")
    expect(listed).to_contain_text("Arbeitsgremium")
    assert_accessible(page)
