"""What people do with the network registry, in a real browser: sign in and out, keep the
partners, constituency seats and successions, and reset a forgotten password. Every page a
journey visits is checked with axe-core (`assert_accessible`)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NETWORK_NAME = "Übergang Schule–Beruf Osterode am Harz"
SIGNED = datetime.date(2013, 5, 29)
PASSWORD = "Geheim-Passwort-2026"  # the password of the users from the root conftest


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


def make_partner(
    network, name: str, kind: str, *, is_party: bool = True, valid_from=SIGNED, **extra
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import partner_create

    return partner_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": name,
            "kind": kind,
            "is_party": is_party,
            "valid_from": valid_from,
            **extra,
        },
    )


# --- the checks themselves ---------------------------------------------------------------------


def test_the_page_check_reports_faults(page, live_server, assert_accessible):
    """`assert_accessible` fails, naming the fault, for a missing stylesheet and for an
    image without text and barely readable text."""
    page.goto(f"{live_server.url}/konto/anmelden/")
    assert_accessible(page)  # the sign-in page as it is

    page.evaluate("""() => new Promise(resolve => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = '/static/css/gibt-es-nicht.css';
        link.onerror = link.onload = resolve;
        document.head.appendChild(link);
    })""")
    page.locator("main").evaluate("""main => main.insertAdjacentHTML('beforeend',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#c8c8c8;background:#fff">kaum lesbar</p>')""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "stylesheets did not load" in message and "gibt-es-nicht.css" in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "- color-contrast (serious):" in message


# --- a. signing in and out -------------------------------------------------------------------


def test_coordination_office_signs_in_and_out(page, live_server, coordinator, assert_accessible):
    # Signed out, a network page leads to the sign-in page.
    page.goto(f"{live_server.url}/n/osterode/")
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next=/n/osterode/$"))
    expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
    assert_accessible(page)

    # A wrong password: a German error, the form again.
    page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
    page.get_by_label("Passwort", exact=True).fill("Falsches-Passwort-1")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal."
    )
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
    assert_accessible(page)

    # The right password: the network's start page.
    page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/n/osterode/")
    expect(page.get_by_role("heading", name=NETWORK_NAME, level=1)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Angemeldet als Kim Koordinata")
    expect(nav(page, "Übersicht")).to_be_visible()  # the coordination office's dashboard
    assert_accessible(page)

    # Signing out leads back to the sign-in page; the network is closed again.
    page.get_by_role("banner").get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(f"{live_server.url}/konto/anmelden/")
    expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{live_server.url}/n/osterode/partner/")
    expect(page).to_have_url(re.compile(r"/konto/anmelden/\?next="))


# --- b. creating a partner, finding it in the list -------------------------------------------


def test_coordination_office_creates_a_partner_and_finds_it(
    page, coordinator, network, sign_in, assert_accessible
):
    make_partner(network, "Handwerkskammer Hildesheim", "chamber")
    make_partner(network, "Agentur für Arbeit", "employment_agency")
    sign_in(page, "koordination@example.org")

    nav(page, "Partner").click()
    expect(page.get_by_role("heading", name="Partner", level=1)).to_be_visible()
    expect(page.get_by_text("2 Partner", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Partner anlegen").click()
    expect(page.get_by_role("heading", name="Partner anlegen", level=1)).to_be_visible()
    assert_accessible(page)

    # Submitted without a name: the error stands next to the name field.
    name = page.get_by_label("Name", exact=True)
    page.get_by_label("Art", exact=True).select_option(label="Verband / Kreishandwerkerschaft")
    page.get_by_label("Partner seit").fill("2013-05-29")
    page.get_by_role("button", name="Partner anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie die markierten Felder.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(
        re.compile("Dieses Feld ist zwingend erforderlich.")
    )
    field = page.locator(".kern-form-input").filter(has=name)
    expect(field.locator(".kern-error")).to_have_text("Dieses Feld ist zwingend erforderlich.")
    # What was entered is still there.
    expect(page.get_by_label("Art", exact=True)).to_have_value("association")
    expect(page.get_by_label("Partner seit")).to_have_value("2013-05-29")
    assert_accessible(page)

    # Corrected and saved: the partner's page.
    name.fill("Kreishandwerkerschaft Osterode am Harz")
    page.get_by_label("Kurzname").fill("KHS")
    page.get_by_role("button", name="Partner anlegen").click()
    expect(
        page.get_by_role("heading", name="Kreishandwerkerschaft Osterode am Harz", level=1)
    ).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Der Partner „Kreishandwerkerschaft Osterode am Harz“ ist angelegt."
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("Verband / Kreishandwerkerschaft")
    expect(main).to_contain_text("29.05.2013 – heute")
    expect(history_row(page, "Kim Koordinata", "angelegt")).to_have_count(1)
    assert_accessible(page)

    # In the list.
    nav(page, "Partner").click()
    expect(page.get_by_text("3 Partner", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Kreishandwerkerschaft Osterode am Harz")).to_be_visible()
    assert_accessible(page)

    # Searching as one types (htmx updates the results and the address).
    page.get_by_label("Suche").press_sequentially("handwerk")
    expect(page).to_have_url(re.compile(r"[?&]q=handwerk"))
    results = page.locator("#ergebnisse")
    expect(results.get_by_text("2 Partner", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Handwerkskammer Hildesheim")).to_be_visible()
    expect(
        results.get_by_role("link", name="Kreishandwerkerschaft Osterode am Harz")
    ).to_be_visible()
    expect(results.get_by_role("link", name="Agentur für Arbeit")).to_have_count(0)
    assert_accessible(page)

    # Narrowing by kind (an optional filter: "Art – optional").
    page.get_by_role("search", name="Partner filtern").get_by_label("Art").select_option(
        label="Verband / Kreishandwerkerschaft"
    )
    expect(results.get_by_text("1 Partner", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="Handwerkskammer Hildesheim")).to_have_count(0)
    expect(
        results.get_by_role("link", name="Kreishandwerkerschaft Osterode am Harz")
    ).to_be_visible()
    assert_accessible(page)

    # The same filter as a page of its own (the "Filtern" button, a bookmark, a reload).
    page.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"q=handwerk.*art=association|art=association.*q=handwerk"))
    page.reload()
    expect(page.get_by_label("Suche")).to_have_value("handwerk")
    expect(page.get_by_text("1 Partner", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kreishandwerkerschaft Osterode am Harz").click()
    expect(
        page.get_by_role("heading", name="Kreishandwerkerschaft Osterode am Harz", level=1)
    ).to_be_visible()


# --- c. a constituency seat and its institutions ---------------------------------------------


def test_coordination_office_creates_a_seat_and_assigns_a_partner(
    page, coordinator, network, sign_in, assert_accessible
):
    make_partner(network, "Stadt Herzberg am Harz", "municipality", is_party=False)
    sign_in(page, "koordination@example.org")

    nav(page, "Sammelvertretungen").click()
    expect(page.get_by_role("heading", name="Sammelvertretungen", level=1)).to_be_visible()
    expect(page.get_by_text("Keine Sammelvertretungen erfasst.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sammelvertretung anlegen").click()
    expect(page.get_by_role("heading", name="Sammelvertretung anlegen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Städte & Gemeinden")
    page.get_by_label("Beschreibung").fill(
        "Spricht im Beirat für die Städte und Gemeinden des Landkreises."
    )
    page.get_by_label("gültig ab").fill("2013-05-29")
    page.get_by_role("button", name="Anlegen", exact=True).click()
    expect(page.get_by_role("heading", name="Städte & Gemeinden", level=1)).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Die Sammelvertretung „Städte & Gemeinden“ ist angelegt."
    )
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"Sammelvertretung\D*29\.05\.2013"))
    expect(region(page, "Zugeordnete Institutionen")).to_contain_text(
        "Keine Institution zugeordnet."
    )
    assert_accessible(page)

    page.get_by_role("link", name="Institution zuordnen").click()
    expect(
        page.get_by_role(
            "heading", name="Institution der Sammelvertretung „Städte & Gemeinden“ zuordnen"
        )
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Institution", exact=True).select_option(label="Stadt Herzberg am Harz")
    page.get_by_label("zugeordnet ab").fill("2013-05-29")
    page.get_by_role("button", name="Zuordnen", exact=True).click()

    # On the seat's page …
    expect(page.get_by_role("heading", name="Städte & Gemeinden", level=1)).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Stadt Herzberg am Harz ist der Sammelvertretung „Städte & Gemeinden“ zugeordnet."
    )
    row = (
        region(page, "Zugeordnete Institutionen")
        .get_by_role("row")
        .filter(has_text="Stadt Herzberg am Harz")
    )
    expect(row).to_contain_text("29.05.2013 – heute")
    expect(history_row(page, "Kim Koordinata", "zugeordnet")).to_have_count(1)
    assert_accessible(page)

    # … in the list of seats …
    nav(page, "Sammelvertretungen").click()
    expect(region(page, "Städte & Gemeinden")).to_contain_text("Stadt Herzberg am Harz")
    assert_accessible(page)

    # … and on the partner's page.
    page.get_by_role("link", name="Städte & Gemeinden").click()
    page.get_by_role("link", name="Stadt Herzberg am Harz", exact=True).click()
    expect(page.get_by_role("heading", name="Stadt Herzberg am Harz", level=1)).to_be_visible()
    expect(region(page, "Sammelvertretungen")).to_contain_text(
        "Städte & Gemeinden (29.05.2013 – heute)"
    )
    expect(
        history_row(
            page,
            "Kim Koordinata",
            "der Sammelvertretung „Städte & Gemeinden“ zugeordnet ab 29.05.2013",
        )
    ).to_have_count(1)
    assert_accessible(page)


# --- d. a succession: Landkreis Osterode am Harz → Landkreis Göttingen -----------------------


def test_coordination_office_records_a_succession(
    page, coordinator, network, sign_in, assert_accessible
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks import services

    county = make_partner(network, "Landkreis Osterode am Harz", "county")
    seat = services.seat_create(
        actor=SYSTEM, network=network, data={"name": "Kommunen", "valid_from": SIGNED}
    )
    services.seat_assign(actor=SYSTEM, seat=seat, partner=county, valid_from=SIGNED)
    sign_in(page, "koordination@example.org")

    nav(page, "Partner").click()
    page.get_by_role("link", name="Landkreis Osterode am Harz").click()
    expect(page.get_by_role("heading", name="Landkreis Osterode am Harz", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nachfolge erfassen").click()
    expect(
        page.get_by_role(
            "heading", name="Nachfolge für Landkreis Osterode am Harz erfassen", level=1
        )
    ).to_be_visible()
    takeover = page.get_by_label("Zuordnungen zu Sammelvertretungen übernehmen")
    expect(takeover).to_be_checked()
    assert_accessible(page)

    # Without a successor: the error at the successor field.
    page.get_by_label("Nachfolge wirksam ab").fill("2016-11-01")
    page.get_by_role("button", name="Nachfolge erfassen").click()
    successor = page.get_by_label("Nachfolger (bestehender Partner)")
    expect(successor).to_have_attribute("aria-invalid", "true")
    expect(successor).to_have_accessible_description(
        re.compile("Bitte wählen Sie einen Nachfolger oder geben Sie den Namen eines neuen an.")
    )
    expect(page.get_by_label("Nachfolge wirksam ab")).to_have_value("2016-11-01")
    assert_accessible(page)

    page.get_by_label("oder: Name eines neuen Nachfolgers").fill("Landkreis Göttingen")
    page.get_by_label("Vermerk").fill("Fusion der Landkreise Osterode am Harz und Göttingen")
    page.get_by_role("button", name="Nachfolge erfassen").click()

    # The successor's page.
    expect(page.get_by_role("heading", name="Landkreis Göttingen", level=1)).to_be_visible()
    expect(status_message(page)).to_have_text(
        "Landkreis Osterode am Harz endet am 31.10.2016; Landkreis Göttingen ist Nachfolger ab 01.11.2016."
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("Landkreis / kreisfreie Stadt")
    expect(main).to_contain_text("01.11.2016 – heute")
    expect(region(page, "Nachfolge")).to_contain_text(
        "Nachfolger seit 01.11.2016 von Landkreis Osterode am Harz – Fusion der Landkreise Osterode am Harz und Göttingen"
    )
    expect(region(page, "Sammelvertretungen")).to_contain_text("Kommunen (01.11.2016 – heute)")
    expect(
        history_row(page, "Kim Koordinata", "Partner „Landkreis Göttingen“ angelegt")
    ).to_have_count(1)
    expect(
        history_row(
            page, "Kim Koordinata", "Nachfolger von Landkreis Osterode am Harz ab 01.11.2016"
        )
    ).to_have_count(1)
    expect(
        history_row(
            page, "Kim Koordinata", "der Sammelvertretung „Kommunen“ zugeordnet ab 01.11.2016"
        )
    ).to_have_count(1)
    assert_accessible(page)

    # The predecessor ended the day before.
    region(page, "Nachfolge").get_by_role("link", name="Landkreis Osterode am Harz").click()
    expect(page.get_by_role("heading", name="Landkreis Osterode am Harz", level=1)).to_be_visible()
    expect(main).to_contain_text("29.05.2013 – 31.10.2016")
    expect(main).to_contain_text("beendet: Nachfolge")
    expect(region(page, "Nachfolge")).to_contain_text(
        "Ab 01.11.2016 fortgeführt durch Landkreis Göttingen"
    )
    expect(region(page, "Sammelvertretungen")).to_contain_text("Kommunen (29.05.2013 – 31.10.2016)")
    expect(page.get_by_role("link", name="Nachfolge erfassen")).to_have_count(0)
    ended = history_row(page, "Kim Koordinata", "Partner „Landkreis Osterode am Harz“ beendet")
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("gültig bis: – → 31.10.2016")
    expect(
        history_row(
            page, "Kim Koordinata", "Landkreis Osterode am Harz → Landkreis Göttingen (01.11.2016)"
        )
    ).to_have_count(1)
    assert_accessible(page)

    # Read as of 1 January 2015.
    page.get_by_label("Stand am").fill("2015-01-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"\?stichtag=2015-01-01$"))
    expect(page.get_by_role("status")).to_have_text("Sie sehen den Stand am 01.01.2015.")
    expect(page.get_by_role("heading", name="Landkreis Osterode am Harz", level=1)).to_be_visible()
    expect(page.get_by_label("Stand am")).to_have_value("2015-01-01")
    assert_accessible(page)

    # The seat: taken over on the day of the succession.
    region(page, "Sammelvertretungen").get_by_role("link", name="Kommunen").click()
    rows = region(page, "Zugeordnete Institutionen").get_by_role("row")
    expect(rows.filter(has_text="Landkreis Osterode am Harz")).to_contain_text(
        "29.05.2013 – 31.10.2016"
    )
    expect(rows.filter(has_text="Landkreis Göttingen")).to_contain_text("01.11.2016 – heute")
    assert_accessible(page)

    # The list of partners today, and as it stood on 1 January 2015.
    nav(page, "Partner").click()
    results = page.locator("#ergebnisse")
    expect(results.get_by_role("link", name="Landkreis Göttingen")).to_be_visible()
    expect(results.get_by_role("link", name="Landkreis Osterode am Harz")).to_have_count(0)
    page.get_by_role("search", name="Partner filtern").get_by_label("Stand am").fill(
        "2015-01-01"
    )  # htmx: on change
    expect(page).to_have_url(re.compile(r"stichtag=2015-01-01"))
    expect(results).to_contain_text("1 Partner – Stand am 01.01.2015")
    expect(results.get_by_role("link", name="Landkreis Osterode am Harz")).to_be_visible()
    expect(results.get_by_role("link", name="Landkreis Göttingen")).to_have_count(0)
    assert_accessible(page)


# --- e. a member reads, but does not manage ---------------------------------------------------


def test_member_reads_the_partner_list_but_cannot_create(
    page, live_server, member, network, sign_in, assert_accessible
):
    make_partner(network, "Agentur für Arbeit", "employment_agency")
    sign_in(page, "mitglied@example.org")
    expect(page.get_by_role("heading", name=NETWORK_NAME, level=1)).to_be_visible()
    expect(nav(page, "Übersicht")).to_have_count(0)
    assert_accessible(page)

    nav(page, "Partner").click()
    expect(page.get_by_role("link", name="Agentur für Arbeit")).to_be_visible()
    expect(page.get_by_role("link", name="Partner anlegen")).to_have_count(0)
    expect(page.get_by_role("button", name="Partner anlegen")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Agentur für Arbeit").click()
    expect(page.get_by_role("heading", name="Agentur für Arbeit", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Nachfolge erfassen")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/n/osterode/partner/neu/")
    assert response.status == 403
    # The refusal is a page of the app, in German, with the way back (not Django's bare
    # English "403 Forbidden").
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(nav(page, "Partner")).to_be_visible()
    assert_accessible(page)


# --- f. a forgotten password -----------------------------------------------------------------


def test_password_reset_by_mail(
    page, live_server, coordinator, mailoutbox, sign_in, assert_accessible
):
    page.goto(f"{live_server.url}/konto/anmelden/")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.get_by_role("heading", name="Passwort vergessen", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
    page.get_by_role("button", name="Link anfordern").click()
    expect(
        page.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach", level=1)
    ).to_be_visible()
    assert_accessible(page)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["koordination@example.org"]
    assert mail.subject == "Neues Passwort für uebergang"
    links = re.findall(r"https?://\S+/konto/passwort-neu/\S+/", mail.body)
    assert len(links) == 1, mail.body
    assert links[0].startswith(live_server.url)

    page.goto(links[0])
    expect(page.get_by_role("heading", name="Neues Passwort festlegen", level=1)).to_be_visible()
    assert_accessible(page)

    # Too short: the error at the field.
    page.get_by_label("Neues Passwort", exact=True).fill("kurz")
    page.get_by_label("Neues Passwort bestätigen").fill("kurz")
    page.get_by_role("button", name="Passwort speichern").click()
    # the error summary names it and links to the field, which shows it too
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(
        summary.get_by_role("link", name=re.compile("Dieses Passwort ist zu kurz"))
    ).to_be_visible()
    expect(
        page.locator(".kern-form-input .kern-error").get_by_text(
            re.compile("Dieses Passwort ist zu kurz")
        )
    ).to_be_visible()
    assert_accessible(page)

    new_password = "Harzer-Wandernadel-2027"
    page.get_by_label("Neues Passwort", exact=True).fill(new_password)
    page.get_by_label("Neues Passwort bestätigen").fill(new_password)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(
        page.get_by_role("heading", name="Ihr neues Passwort ist gespeichert", level=1)
    ).to_be_visible()
    assert_accessible(page)

    # The old password no longer works, the new one does.
    page.get_by_role("link", name="Jetzt anmelden").click()
    page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("E-Mail-Adresse oder Passwort stimmen nicht.")
    sign_in(page, "koordination@example.org", new_password)
    expect(page).to_have_url(f"{live_server.url}/n/osterode/")
    expect(page.get_by_role("heading", name=NETWORK_NAME, level=1)).to_be_visible()


# --- g. the demo network, page by page -------------------------------------------------------


def test_demo_network_pages_are_accessible(page, live_server, sign_in, assert_accessible):
    from uebergang.networks import demo

    demo.load_demo()
    sign_in(page, demo.COORDINATION_EMAIL, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name=demo.NETWORK["name"], level=1)).to_be_visible()
    assert_accessible(page)

    nav(page, "Übersicht").click()
    expect(
        page.get_by_role("heading", name="Übersicht der Koordinierungsstelle", level=1)
    ).to_be_visible()
    assert_accessible(page)

    nav(page, "Partner").click()
    expect(page.get_by_role("link", name="Landkreis Göttingen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Landkreis Göttingen").click()
    expect(page.get_by_role("heading", name="Landkreis Göttingen", level=1)).to_be_visible()
    assert_accessible(page)

    nav(page, "Partner").click()
    page.get_by_role("link", name="Industrie und Handelskammer Osterode am Harz").click()
    expect(
        page.get_by_role("heading", name="Industrie und Handelskammer Osterode am Harz", level=1)
    ).to_be_visible()
    assert_accessible(page)

    nav(page, "Sammelvertretungen").click()
    expect(page.get_by_role("heading", name="Sammelvertretungen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kammern", exact=True).click()
    expect(page.get_by_role("heading", name="Kammern", level=1)).to_be_visible()
    assert_accessible(page)

    nav(page, "Personen").click()
    expect(page.get_by_role("heading", name="Personen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Musterfrau, Erika").click()
    expect(page.get_by_role("heading", name="Erika Musterfrau", level=1)).to_be_visible()
    assert_accessible(page)

    nav(page, "Verlauf").click()
    expect(page.get_by_role("heading", name="Verlauf des Netzwerks", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="nächste Seite").click()
    expect(page.get_by_text("Seite 2 von")).to_be_visible()
    assert_accessible(page)


# --- the content security policy, without the test's bypass ----------------------------------


def test_pages_send_a_content_security_policy(browser, live_server, coordinator, network):
    """The other journeys bypass the CSP to inject axe-core; here the browser enforces it."""
    make_partner(network, "Handwerkskammer Hildesheim", "chamber")
    make_partner(network, "Agentur für Arbeit", "employment_agency")
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        refused = []
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        response = page.goto(f"{live_server.url}/konto/anmelden/")
        policy = response.header_value("content-security-policy")
        assert policy, "the sign-in page sends no Content-Security-Policy header"
        assert "script-src 'self' 'nonce-" in policy
        page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
        page.get_by_label("Passwort", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        expect(page.get_by_role("heading", name=NETWORK_NAME, level=1)).to_be_visible()

        # htmx (a script with the page's nonce) still updates the results as one types.
        nav(page, "Partner").click()
        page.get_by_label("Suche").press_sequentially("hand")
        expect(page).to_have_url(re.compile(r"[?&]q=hand"))
        expect(page.locator("#ergebnisse").get_by_text("1 Partner", exact=True)).to_be_visible()
        assert refused == []
    finally:
        context.close()
