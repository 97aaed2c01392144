"""A meeting in a real browser, from planning to the approved minutes: the coordination
office plans a meeting of the advisory board for today, builds the agenda (one item not
public), uploads a PDF, sends the invitation (too late for the body's period: the warning),
records a member's reply and the attendance, writes the minutes and circulates them; then
plans and holds the next meeting, approves the first minutes there and downloads them as a
PDF. Every page visited is checked with axe-core (`assert_accessible`)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import (
    heading,
    label,
    make_body,
    make_membership,
    make_partner,
    make_seat,
    nav,
    region,
    status_message,
)
from uebergang.networks.tests.factories import link_user

pytestmark = pytest.mark.browser


@pytest.fixture
def early_morning():
    """The journey holds two meetings today from 09:00 and answers an invitation before the
    first one ends: it runs at 07:00 of today (Europe/Berlin), whenever the suite runs."""
    import datetime
    import zoneinfo

    import time_machine

    morning = datetime.datetime.combine(
        timezone.localdate(), datetime.time(7, 0), tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    with time_machine.travel(morning, tick=True):
        yield


def step(page, name: str):
    """A link of the meeting page's steps (Tagesordnung, Einladung und Antworten, …)."""
    return page.get_by_role("navigation", name="Abschnitte der Sitzung").get_by_role(
        "link", name=name, exact=True
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def make_person(network, first_name: str, last_name: str, email: str):
    from uebergang.core.permissions import SYSTEM
    from uebergang.networks.services import person_create

    return person_create(
        actor=SYSTEM,
        network=network,
        data={"first_name": first_name, "last_name": last_name, "email": email},
    )


def plan(page, assert_accessible, *, title: str, day: str, start: str, end: str) -> None:
    """Fill the planning form (the body is already chosen) and submit it."""
    expect(heading(page, "Sitzung planen")).to_be_visible()
    expect(page.get_by_label("Gremium", exact=True)).to_have_value(re.compile(".+"))
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Datum", exact=True).fill(day)
    page.get_by_label("Beginn (Uhrzeit)").fill(start)
    page.get_by_label("Ende (Uhrzeit)").fill(end)
    page.get_by_label(label("Ort")).fill("Kreishaus Osterode, Raum 101")
    page.get_by_role("button", name="Sitzung planen").click()
    expect(heading(page, title)).to_be_visible()
    expect(status_message(page)).to_have_text(f"Die Sitzung „{title}“ ist geplant.")
    assert_accessible(page)


def add_item(page, assert_accessible, title: str, *, public: bool = True) -> None:
    page.get_by_role("link", name="Tagesordnungspunkt hinzufügen").click()
    expect(heading(page, "Tagesordnungspunkt hinzufügen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill(title)
    if not public:
        page.get_by_label("öffentlich", exact=True).uncheck()
    page.get_by_role("button", name="Hinzufügen").click()
    expect(status_message(page)).to_contain_text(f"„{title}“ ist hinzugefügt.")
    # the result is where the eyes and the keyboard are
    expect(page.locator(".messages")).to_be_focused()
    assert_accessible(page)


def record_attendance(page, assert_accessible, *people: str) -> None:
    page.get_by_role("link", name="Anwesenheit erfassen").click()
    expect(heading(page, "Anwesenheit erfassen")).to_be_visible()
    assert_accessible(page)
    for person in people:
        page.get_by_label(re.compile(rf"^{re.escape(person)} – ")).check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(status_message(page)).to_have_text(
        f"Die Anwesenheit ist erfasst: {len(people)} Personen."
    )
    assert_accessible(page)


def test_from_planning_to_the_approved_minutes(
    early_morning, page, live_server, coordinator, network, sign_in, assert_accessible
):
    # given: the advisory board with two voting seats, a member on each
    agency = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    school = make_partner(network, "Berufsbildende Schulen I Osterode am Harz", "school_vocational")
    board = make_body(
        network, "Beirat", "advisory_board", quorum_rule="majority", invitation_period_days=14
    )
    make_membership(
        board,
        make_person(network, "Erika", "Musterfrau", "erika.musterfrau@example.org"),
        make_seat(board, agency),
    )
    make_membership(
        board,
        make_person(network, "Petra", "Sprecherin", "petra.sprecherin@example.org"),
        make_seat(board, school),
    )
    today = timezone.localdate()
    day = today.isoformat()
    first_title = "Beirat: Herbstsitzung"
    second_title = "Beirat: Folgesitzung"

    sign_in(page, "koordination@example.org")
    assert_accessible(page)

    # The meeting list, empty; plan from there.
    nav(page, "Sitzungen").click()
    expect(heading(page, "Sitzungen")).to_be_visible()
    expect(nav(page, "Sitzungen")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text("Keine kommenden Sitzungen.")
    assert_accessible(page)
    page.get_by_role("link", name="Sitzung planen").click()
    expect(heading(page, "Sitzung planen")).to_be_visible()
    assert_accessible(page)
    # Without a title and with the end before the start: refused, nothing planned.
    page.get_by_label("Gremium", exact=True).select_option(label="Beirat")
    page.get_by_label("Datum", exact=True).fill(day)
    page.get_by_label("Beginn (Uhrzeit)").fill("12:00")
    page.get_by_label("Ende (Uhrzeit)").fill("10:00")
    page.get_by_role("button", name="Sitzung planen").click()
    expect(page.get_by_label("Titel", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Ende (Uhrzeit)")).to_have_accessible_description(
        re.compile("Das Ende muss nach dem Beginn liegen.")
    )
    assert_accessible(page)
    page.get_by_label("Beginn (Uhrzeit)").fill("09:00")
    page.get_by_label("Ende (Uhrzeit)").fill("11:00")
    plan(page, assert_accessible, title=first_title, day=day, start="09:00", end="11:00")
    first_url = page.url
    main = page.get_by_role("main")
    expect(main).to_contain_text("09:00–11:00 Uhr")
    expect(page.locator(".page-head .kern-badge")).to_have_text("geplant")
    # The page is read in steps; the first is the agenda. A planned meeting offers the
    # invitation as the next step, nothing of attendance or minutes yet.
    expect(step(page, "Tagesordnung")).to_have_attribute("aria-current", "page")
    head = page.locator(".page-head")
    expect(head.locator(".kern-btn--primary")).to_have_text("Einladung versenden")
    expect(head.get_by_role("link", name="Protokoll schreiben")).to_have_count(0)

    # The agenda: two items, the second not public; then the order is changed.
    add_item(page, assert_accessible, "Berichte aus den Schulen")
    add_item(page, assert_accessible, "Personalien", public=False)
    agenda = region(page, "Tagesordnung")
    expect(agenda).to_contain_text("TOP 1: Berichte aus den Schulen")
    expect(agenda).to_contain_text("TOP 2: Personalien (nicht öffentlich)")
    page.get_by_role("button", name=re.compile(r"^nach oben\s*: TOP 2: Personalien$")).click()
    expect(region(page, "Tagesordnung")).to_contain_text("TOP 1: Personalien")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^nach unten\s*: TOP 1: Personalien$")).click()
    expect(region(page, "Tagesordnung")).to_contain_text("TOP 1: Berichte aus den Schulen")
    assert_accessible(page)

    # A document for the first item; a wrong file first.
    page.get_by_role("link", name="Unterlage hochladen").click()
    expect(heading(page, "Unterlage hochladen")).to_be_visible()
    assert_accessible(page)
    file_field = page.get_by_label("Datei", exact=True)
    file_field.set_input_files(
        {"name": "Bericht.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_label("Datei", exact=True)).to_have_accessible_description(
        re.compile("Der Inhalt der Datei passt nicht zur Endung „.pdf“.")
    )
    assert_accessible(page)
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "Bericht.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label(label("Titel")).fill("Bericht der Schulen 2026")
    page.get_by_label(label("zu TOP")).select_option(label="TOP 1: Berichte aus den Schulen")
    page.get_by_role("button", name="Hochladen").click()
    expect(status_message(page)).to_have_text(
        "Die Unterlage „Bericht der Schulen 2026“ ist hochgeladen."
    )
    documents = region(page, "Unterlagen")
    expect(documents.get_by_role("link", name="Bericht der Schulen 2026")).to_be_visible()
    expect(documents).to_contain_text("Bericht.pdf")
    assert_accessible(page)

    # The invitation: the recipients, and the warning (today is too late for 14 days).
    page.get_by_role("link", name="Einladung versenden").click()
    expect(heading(page, "Einladung versenden")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Die Einladungsfrist wird nicht eingehalten")
    recipients = region(page, "2 Personen im Gremium")
    expect(recipients).to_contain_text("Erika Musterfrau")
    expect(recipients).to_contain_text("Petra Sprecherin")
    assert_accessible(page)
    page.get_by_label(label("Anschreiben")).fill("Liebe Mitglieder, wir freuen uns auf Sie.")
    page.get_by_role("button", name="Jetzt versenden").click()
    expect(heading(page, first_title)).to_be_visible()
    expect(step(page, "Einladung und Antworten")).to_have_attribute("aria-current", "page")
    expect(page.locator(".messages")).to_contain_text(
        "Die Einladungsfrist von 14 Tagen ist nicht eingehalten."
    )
    invitations = region(page, "Einladungen")
    expect(invitations.get_by_role("row").filter(has_text="Erika Musterfrau")).to_contain_text(
        "keine Antwort"
    )
    expect(invitations).to_contain_text("nötig: 2 von 2 stimmberechtigten Sitzen")
    expect(invitations).to_contain_text("Nach den Zusagen voraussichtlich anwesend: 0")
    assert_accessible(page)

    # Erika answers by telephone: the coordination office records it.
    page.get_by_role("link", name=re.compile(r"^Antwort erfassen\s*: Erika Musterfrau$")).click()
    expect(heading(page, "Antwort von Erika Musterfrau erfassen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("nimmt teil").check()
    page.get_by_role("button", name="Antwort senden").click()
    expect(status_message(page)).to_have_text("Die Antwort ist gespeichert: nimmt teil.")
    invitations = region(page, "Einladungen")
    expect(invitations.get_by_role("row").filter(has_text="Erika Musterfrau")).to_contain_text(
        "nimmt teil"
    )
    expect(invitations).to_contain_text("Nach den Zusagen voraussichtlich anwesend: 1")
    assert_accessible(page)

    # Petra cannot come and has no substitute: the office names one for this meeting.
    make_person(network, "Tessa", "Testfall", "tessa.testfall@example.org")
    page.get_by_role("link", name=re.compile(r"^Vertretung benennen\s*: Petra Sprecherin$")).click()
    expect(heading(page, "Vertretung für Petra Sprecherin benennen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wer vertritt diesmal?").select_option(label="Tessa Testfall")
    page.get_by_role("button", name="Vertretung benennen").click()
    expect(status_message(page)).to_have_text(
        "Tessa Testfall vertritt Petra Sprecherin in dieser Sitzung und erhält eine Einladung."
    )
    expect(
        region(page, "Einladungen").get_by_role("row").filter(has_text="Petra Sprecherin")
    ).to_contain_text("es kommt einmalig Tessa Testfall")
    assert_accessible(page)

    # One more item after the sending: the updated invitation shows it before sending.
    step(page, "Tagesordnung").click()
    add_item(page, assert_accessible, "Verschiedenes")
    page.get_by_role("link", name="Aktualisierte Einladung versenden").click()
    expect(heading(page, "Aktualisierte Einladung versenden")).to_be_visible()
    changed = region(page, "Geändert seit dem letzten Versand")
    expect(changed).to_contain_text("„TOP 3: Verschiedenes“ angelegt")
    expect(changed).to_contain_text("Zuletzt versandt am")
    assert_accessible(page)
    page.get_by_role("link", name="Abbrechen").click()

    # The meeting is held: attendance, then the quorum.
    record_attendance(page, assert_accessible, "Erika Musterfrau", "Petra Sprecherin")
    presence = region(page, "Anwesenheit")
    expect(presence).to_contain_text("Anwesend: 2 stimmberechtigte Sitze.")
    expect(presence.get_by_text("beschlussfähig", exact=True)).to_be_visible()
    expect(page.locator(".page-head .kern-badge")).to_have_text("durchgeführt")

    # The minutes.
    page.get_by_role("link", name="Protokoll schreiben").click()
    expect(heading(page, "Protokoll schreiben")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Eröffnung und Formalien")).fill(
        "Frau Musterfrau eröffnet die Sitzung um 9 Uhr."
    )
    page.get_by_label(label("Beratung zu TOP 1")).fill("Die Schulen berichten.")
    page.get_by_role("button", name="Protokoll speichern").click()
    expect(status_message(page)).to_have_text("Das Protokoll ist gespeichert.")
    minutes = region(page, "Protokoll")
    expect(minutes).to_contain_text("Die Schulen berichten.")
    expect(region(page, "Protokollstand")).to_contain_text("Entwurf")
    assert_accessible(page)

    # A decision on TOP 1, numbered by the system; first a mistake, told at its field.
    page.get_by_role("link", name=re.compile(r"^Beschluss eintragen\W+TOP 1:")).click()
    expect(heading(page, re.compile("^Beschluss zu TOP 1"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Beschlusstext")).fill("Der Beirat nimmt den Bericht zur Kenntnis.")
    page.get_by_label("zur Kenntnis genommen").check()
    page.get_by_label("einstimmig").check()
    page.get_by_label(label("Nein-Stimmen")).fill("1")
    page.get_by_role("button", name="Beschluss eintragen").click()
    expect(page.get_by_role("link", name=re.compile("keine Nein-Stimme"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Nein-Stimmen")).fill("")
    page.get_by_role("button", name="Beschluss eintragen").click()
    reference = f"BR {timezone.localdate():%Y}/01"
    expect(status_message(page)).to_have_text(f"Der Beschluss {reference} ist eingetragen.")
    minutes = region(page, "Protokoll")
    expect(minutes).to_contain_text(f"Beschluss {reference}")
    expect(minutes).to_contain_text("Ergebnis: zur Kenntnis genommen (einstimmig)")
    assert_accessible(page)
    page.get_by_role("button", name="Zur Abstimmung versenden").click()
    expect(status_message(page)).to_have_text(
        "Das Protokoll ist zur Abstimmung an die Mitglieder versandt."
    )
    expect(region(page, "Protokollstand")).to_contain_text("versandt zur Abstimmung")
    assert_accessible(page)

    # The next meeting, planned from the body's page and held today as well.
    nav(page, "Gremien").click()
    page.get_by_role("link", name="Beirat", exact=True).click()
    expect(heading(page, "Beirat")).to_be_visible()
    expect(region(page, "Sitzungen")).to_contain_text(first_title)
    assert_accessible(page)
    region(page, "Sitzungen").get_by_role("link", name="Sitzung planen").click()
    expect(page.get_by_label("Gremium", exact=True)).to_have_value(str(board.public_id))
    plan(page, assert_accessible, title=second_title, day=day, start="14:00", end="16:00")
    add_item(page, assert_accessible, "Genehmigung des Protokolls")
    record_attendance(page, assert_accessible, "Erika Musterfrau", "Petra Sprecherin")

    # The first minutes are approved in the second meeting.
    page.goto(first_url)
    expect(heading(page, first_title)).to_be_visible()
    assert_accessible(page)
    step(page, "Protokoll").click()
    expect(step(page, "Protokoll")).to_have_attribute("aria-current", "page")
    expect(region(page, "Protokollstand")).to_contain_text("versandt zur Abstimmung")
    assert_accessible(page)
    page.get_by_role("link", name="Genehmigen").click()
    expect(heading(page, re.compile("^Protokoll genehmigen"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("genehmigt in der Sitzung").select_option(
        label=f"{second_title} ({today:%d.%m.%Y})"
    )
    page.get_by_role("button", name="Genehmigen").click()
    expect(status_message(page)).to_contain_text("Das Protokoll ist genehmigt")
    expect(region(page, "Protokollstand")).to_contain_text("genehmigt")
    expect(region(page, "Protokoll")).to_contain_text(
        f"Genehmigt in der Sitzung vom {today:%d.%m.%Y}."
    )
    # A decision of approved minutes changes only by a correction, with its reason.
    page.get_by_role("link", name=re.compile(r"^berichtigen\W+BR \d{4}.01$")).click()
    expect(heading(page, f"Beschluss {reference} berichtigen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Beschlusstext")).fill(
        "Der Beirat nimmt den Bericht der Schulen zur Kenntnis."
    )
    page.get_by_label(label("Begründung der Berichtigung")).fill("Wortlaut nach der Tonaufnahme")
    page.get_by_role("button", name="Berichtigung speichern").click()
    expect(status_message(page)).to_have_text(
        f"Die Berichtigung des Beschlusses {reference} ist gespeichert."
    )
    corrections = page.get_by_role("table", name="Berichtigungen nach der Genehmigung")
    expect(corrections).to_contain_text(f"Beschluss {reference}")
    expect(corrections).to_contain_text("Wortlaut nach der Tonaufnahme")
    expect(page.get_by_role("button", name=re.compile("^entfernen"))).to_have_count(0)
    assert_accessible(page)
    # Approved: nothing more to record or write; the minutes' PDF is the first action.
    expect(page.get_by_role("link", name="Protokoll schreiben")).to_have_count(0)
    expect(page.get_by_role("link", name="Anwesenheit erfassen")).to_have_count(0)
    expect(head.locator(".kern-btn--primary")).to_have_text("Protokoll als PDF (PDF/A)")
    step(page, "Verlauf").click()
    history = region(page, "Verlauf")
    expect(history).to_contain_text("Kim Koordinata")
    assert_accessible(page)

    # The minutes as PDF/A, from the head of any step.
    with page.expect_download() as info:
        page.get_by_role("link", name="Protokoll als PDF (PDF/A)").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_member_answers_the_invitation_and_fetches_the_documents(
    page, live_server, member, network, settings, tmp_path, sign_in, assert_accessible
):
    from uebergang.core.permissions import SYSTEM
    from uebergang.meetings import services
    from uebergang.meetings.tests.factories import at, days_from_today, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    agency = make_partner(network, "Agentur für Arbeit Göttingen", "employment_agency")
    school = make_partner(network, "Berufsbildende Schulen I Osterode am Harz", "school_vocational")
    group = make_body(network, "AG Berufsorientierung", "working_group")
    mika = make_person(network, "Mika", "Mitglied", "mika.mitglied@example.org")
    link_user(mika, member)
    make_membership(group, mika, make_seat(group, school))
    other = make_body(network, "AG Elternarbeit", "working_group")
    make_membership(
        other,
        make_person(network, "Erika", "Musterfrau", "erika.musterfrau@example.org"),
        make_seat(other, agency),
    )
    day = days_from_today(30)

    def meeting_of(body, title: str):
        meeting = services.meeting_create(
            actor=SYSTEM,
            body=body,
            data={"title": title, "starts_at": at(day, 16), "ends_at": at(day, 18)},
        )
        item = services.agenda_item_add(
            actor=SYSTEM, meeting=meeting, data={"title": "Praktikumsbörse"}
        )
        services.document_add(
            actor=SYSTEM,
            meeting=meeting,
            upload=upload("Boerse.pdf", PDF),
            title="Ablaufplan Praktikumsbörse",
            agenda_item=item,
        )
        services.meeting_invite(actor=SYSTEM, meeting=meeting)
        return meeting

    meeting_of(group, "AG Berufsorientierung: Praktikumsbörse")
    hidden = meeting_of(other, "AG Elternarbeit: Elternabend")

    sign_in(page, "mitglied@example.org")
    assert_accessible(page)
    nav(page, "Sitzungen").click()
    expect(heading(page, "Sitzungen")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Sie sehen die Sitzungen der Gremien, in denen Sie Mitglied sind.")
    expect(main).not_to_contain_text("Elternabend")
    expect(page.get_by_role("link", name="Sitzung planen")).to_have_count(0)
    assert_accessible(page)
    main.get_by_role("link", name="AG Berufsorientierung: Praktikumsbörse").click()
    expect(heading(page, "AG Berufsorientierung: Praktikumsbörse")).to_be_visible()
    for action in ("Einladung versenden", "Bearbeiten", "Absagen", "Anwesenheit erfassen"):
        expect(page.get_by_role("link", name=action, exact=True)).to_have_count(0)
    expect(region(page, "Einladungen")).to_have_count(0)
    answer = region(page, "Ihre Antwort")
    expect(answer).to_contain_text("Bisher: keine Antwort.")
    assert_accessible(page)

    # The answer, with a note.
    answer.get_by_label("nimmt teil").check()
    answer.get_by_label(label("Bemerkung")).fill("Ich komme etwas später.")
    answer.get_by_role("button", name="Antwort senden").click()
    # htmx swaps the section in place: the confirmation stands in it
    answer = region(page, "Ihre Antwort")
    expect(answer.get_by_role("status")).to_have_text("Die Antwort ist gespeichert: nimmt teil.")
    expect(answer.get_by_role("status")).to_be_focused()  # focus follows the swap
    expect(answer).to_contain_text("Bisher: nimmt teil. Ich komme etwas später.")
    expect(answer.get_by_label("nimmt teil")).to_be_checked()  # the saved answer, selected
    assert_accessible(page)
    page.reload()
    expect(region(page, "Ihre Antwort")).to_contain_text("Bisher: nimmt teil.")
    expect(region(page, "Ihre Antwort").get_by_label("nimmt teil")).to_be_checked()

    # The document, linked at its agenda item.
    agenda = region(page, "Tagesordnung")
    expect(agenda).to_contain_text("TOP 1: Praktikumsbörse")
    with page.expect_download() as info:
        agenda.get_by_role("link", name="Ablaufplan Praktikumsbörse").click()
    download = info.value
    assert download.suggested_filename == "Boerse.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF

    # The meeting into one's own calendar.
    with page.expect_download() as info:
        page.get_by_role("link", name="In meinen Kalender").click()
    with open(info.value.path(), "rb") as handle:
        calendar = handle.read().decode()
    assert calendar.startswith("BEGIN:VCALENDAR") and "METHOD:PUBLISH" in calendar
    assert "AG Berufsorientierung: Praktikumsbörse" in calendar

    # Another body's meeting: the German refusal page.
    response = page.goto(f"{live_server.url}/n/osterode/sitzungen/{hidden.public_id}/")
    assert response.status == 403
    expect(heading(page, "Keine Berechtigung")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Elternabend")
    assert_accessible(page)
