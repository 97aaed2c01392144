"""The network day in a real browser: the coordination office plans this year's network day
(today), invites all partners, a member registers themselves, the coordination office records
attendance and sees it on the participation page; and a member subscribes to the calendar of
their body, sees the address once and revokes it. Every page is checked with axe-core."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.networks.tests.factories import link_user

pytestmark = pytest.mark.browser

NETWORK_NAME = "Übergang Schule–Beruf Osterode am Harz"
SIGNED = datetime.date(2013, 5, 29)
REQUIRED = "Dieses Feld ist zwingend erforderlich."
KVHS = "Kreisvolkshochschule Fiktiv"
BBS = "Berufsbildende Schulen Erfunden"
TITLE = "Netzwerktag Übergang Schule–Beruf"


def nav(page, name: str):
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name=name, exact=True
    )


def heading(page, name: str):
    return page.get_by_role("heading", name=name, level=1, exact=True)


def region(page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def status_message(page):
    return page.locator(".messages").get_by_role("status")


def label(text: str) -> re.Pattern:
    """A form label that starts with `text` (optional fields add "– optional")."""
    return re.compile(rf"^{re.escape(text)}(\s+–\s+optional)?$")


def sign_out(page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state("load")


@pytest.fixture
def setup(network, member):
    from uebergang.bodies import services as body_services
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services

    kvhs = services.partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": KVHS, "kind": "other", "email": "kvhs@example.org", "valid_from": SIGNED},
    )
    services.partner_create(
        actor=SYSTEM,
        network=network,
        data={"name": BBS, "kind": "other", "email": "bbs@example.org", "valid_from": SIGNED},
    )
    mika = services.person_create(
        actor=SYSTEM,
        network=network,
        data={"first_name": "Mika", "last_name": "Mitglied", "organisation": kvhs},
    )
    link_user(mika, member)
    board = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Beirat", "kind": "advisory_board", "valid_from": SIGNED},
    )
    seat = body_services.body_seat_add(actor=SYSTEM, body=board, partner=kvhs, valid_from=SIGNED)
    body_services.membership_add(
        actor=SYSTEM, body=board, person=mika, role="member", seat=seat, valid_from=SIGNED
    )
    return kvhs


def test_network_day_from_planning_to_participation(
    page, live_server, network, coordinator, member, setup, sign_in, assert_accessible
):
    today = timezone.localdate()

    # The coordination office plans the network day for today.
    sign_in(page, "koordination@example.org")
    nav(page, "Netzwerktag").click()
    expect(heading(page, "Netzwerktag")).to_be_visible()
    expect(nav(page, "Netzwerktag")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text("Noch kein Netzwerktag angelegt.")
    assert_accessible(page)

    page.get_by_role("link", name="Netzwerktag anlegen").click()
    expect(heading(page, "Netzwerktag anlegen")).to_be_visible()
    assert_accessible(page)
    # Without a title: the error stands next to the title, in German.
    page.get_by_label("Datum", exact=True).fill(today.isoformat())
    page.get_by_label("Beginn (Uhrzeit)").fill("09:00")
    page.get_by_label("Ende (Uhrzeit)").fill("15:00")
    page.get_by_role("button", name="Netzwerktag anlegen").click()
    title = page.get_by_label("Titel", exact=True)
    expect(
        page.locator(".kern-form-input").filter(has=title).locator(".kern-error")
    ).to_contain_text(REQUIRED)
    assert_accessible(page)
    title.fill(TITLE)
    page.get_by_label(label("Ort")).fill("BBS Osterode, Aula")
    page.get_by_label(label("Programm")).fill("09:00 Ankommen\n10:00 Begrüßung durch den Landrat")
    page.get_by_role("button", name="Netzwerktag anlegen").click()
    expect(heading(page, TITLE)).to_be_visible()
    expect(status_message(page)).to_contain_text(f"Der Netzwerktag „{TITLE}“ ist angelegt.")
    expect(region(page, "Programm")).to_contain_text("10:00 Begrüßung durch den Landrat")
    assert_accessible(page)

    # It invites all partners.
    page.get_by_role("link", name="Alle Partner einladen").click()
    expect(heading(page, f"Alle Partner zu „{TITLE}“ einladen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Alle Partner einladen").click()
    expect(status_message(page)).to_contain_text("Die Einladung ist an 2 Institutionen unterwegs.")
    invitations = page.get_by_role("table", name="Einladungen und ihre Zustellung")
    expect(invitations.get_by_role("rowheader", name=KVHS)).to_be_visible()
    expect(invitations.get_by_role("rowheader", name=BBS)).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # A member registers themselves.
    sign_in(page, "mitglied@example.org")
    nav(page, "Netzwerktag").click()
    expect(nav(page, "Teilnahme")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(region(page, "Ihre Anmeldung")).to_contain_text("Sie sind noch nicht angemeldet.")
    expect(page.get_by_role("heading", name="Einladungen an die Institutionen")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Anmelden", exact=True).click()
    expect(heading(page, f"Zu „{TITLE}“ anmelden")).to_be_visible()
    expect(page.get_by_label("Ich komme für die Institution")).to_have_value(str(setup.public_id))
    assert_accessible(page)
    page.get_by_label(label("Hinweis an die Koordinierungsstelle")).fill("vegetarisch")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(status_message(page)).to_contain_text("Sie sind angemeldet.")
    expect(region(page, "Ihre Anmeldung")).to_contain_text(f"Sie sind angemeldet (für {KVHS}).")
    expect(page.get_by_role("table", name="Anmeldungen nach Institution")).to_contain_text(
        "Mika Mitglied"
    )
    assert_accessible(page)
    sign_out(page)

    # The coordination office records attendance on the day.
    sign_in(page, "koordination@example.org")
    nav(page, "Netzwerktag").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Teilnahme erfassen").click()
    expect(heading(page, f"Teilnahme erfassen: {TITLE}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name=KVHS).get_by_label("Mika Mitglied").check()
    page.get_by_role("button", name="Teilnahme speichern").click()
    expect(status_message(page)).to_contain_text(
        "Die Teilnahme ist erfasst: 1 von 1 Angemeldeten waren da."
    )
    expect(page.get_by_role("main")).to_contain_text("durchgeführt")
    row = (
        page.get_by_role("table", name="Anmeldungen nach Institution")
        .get_by_role("row")
        .filter(has_text="Mika Mitglied")
    )
    expect(row).to_contain_text("ja")
    assert_accessible(page)

    # The participation page shows it.
    nav(page, "Teilnahme").click()
    expect(heading(page, "Teilnahme der Institutionen")).to_be_visible()
    table = page.get_by_role("table", name="Teilnahme je Institution und Jahr")
    expect(table.get_by_role("columnheader", name=str(today.year))).to_be_visible()
    kvhs_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=KVHS))
    # no meetings it could have attended, the one network day of the year: 1 of 1
    expect(kvhs_row.get_by_role("cell")).to_have_text(["–", "–", "1 von 1 (100 %)"])
    assert_accessible(page)
    page.get_by_label("Jahr").select_option(str(today.year))
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(rf"jahr={today.year}"))
    assert_accessible(page)


def test_member_subscribes_to_a_calendar_and_revokes_it(
    page, live_server, network, member, setup, sign_in, assert_accessible
):
    sign_in(page, "mitglied@example.org")
    nav(page, "Netzwerktag").click()
    page.get_by_role("link", name="Sitzungstermine im eigenen Kalender abonnieren").click()
    expect(heading(page, "Ihre Kalenderabos")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Sie haben noch keine Kalenderabos.")
    assert_accessible(page)

    page.get_by_label(label("Sitzungen von")).select_option(label="Beirat")
    page.get_by_label(label("Bezeichnung")).fill("Thunderbird zu Hause")
    page.get_by_role("button", name="Abo anlegen").click()
    expect(status_message(page)).to_contain_text(
        "Das Kalenderabo „Thunderbird zu Hause“ ist angelegt."
    )
    address = page.locator("code.token-secret").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/kalender/[A-Za-z0-9_-]+\.ics", address)
    assert_accessible(page)
    webcal = page.get_by_role("link", name="Im Kalenderprogramm öffnen (webcal)")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    expect(page.get_by_role("button", name="Kopieren")).to_be_visible()  # (shown by JS)
    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.text().startswith("BEGIN:VCALENDAR")

    # Shown once: after a reload the address is gone, the abo is listed.
    page.reload()
    expect(page.locator("code.token-secret")).to_have_count(0)
    feeds = page.get_by_role("table", name="Ihre Kalenderabos")
    row = feeds.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Thunderbird zu Hause")
    )
    expect(row).to_contain_text("Beirat")
    assert_accessible(page)

    row.get_by_role("button", name=re.compile(r"^Widerrufen")).click()
    expect(status_message(page)).to_contain_text(
        "Das Kalenderabo „Thunderbird zu Hause“ ist widerrufen."
    )
    expect(row).to_contain_text("widerrufen am")
    assert_accessible(page)
    assert page.request.get(address).status == 404
