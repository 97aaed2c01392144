"""The working groups' step in a real browser: the coordination office passes a topic from
the advisory board to a working group with a mandate; Wanda (member of the working group)
finds it in her work queue and enters the result; the office returns the results to the
advisory board. axe-core checks every page (`assert_accessible`); dates count from today."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import heading, region, status_message
from uebergang.topics.tests.browser.test_topic_journey import PHONE, fits_the_screen, sign_out

pytestmark = pytest.mark.browser

TITLE = "Gemeinsamer Übergabebogen"
MANDATE = "Einen Entwurf des Bogens erarbeiten."
RESULT = "Der Entwurf hat zwei Seiten und einen Elternbrief."
DRAFT = b"%PDF-1.4\n% Entwurf der AG\n%%EOF\n"


@pytest.fixture
def world(network, make_user, settings, tmp_path):
    from uebergang.topics.tests.factories import (
        add_working_group,
        make_topic_world,
        open_topic,
        refer,
    )

    settings.MEDIA_ROOT = tmp_path / "media"
    w = add_working_group(make_topic_world(network, make_user), make_user)
    w.topic = open_topic(w, TITLE)
    refer(w, w.topic, due=timezone.localdate() + datetime.timedelta(days=7))
    return w


def test_a_working_group_returns_its_result(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    due = timezone.localdate() + datetime.timedelta(days=30)
    url = f"{live_server.url}/n/{world.network.slug}/themen/{world.topic.public_id}/"

    # The office gives the working group its mandate.
    sign_in(page, "koordination@example.org")
    page.goto(url)
    expect(heading(page, TITLE)).to_be_visible()
    page.get_by_role("link", name="An ein Arbeitsgremium weitergeben").click()
    expect(heading(page, "An ein Arbeitsgremium weitergeben")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Arbeitsgremium", exact=True).select_option(label="AG Übergabe")
    page.get_by_label("Arbeitsauftrag", exact=True).fill(MANDATE)
    page.get_by_label("Ergebnis bis").fill(due.isoformat())
    page.get_by_role("button", name="Weitergeben").click()
    expect(status_message(page)).to_have_text("Das Thema ist an „AG Übergabe“ weitergegeben.")
    mandates = region(page, "Arbeitsaufträge")
    expect(mandates).to_contain_text(MANDATE)
    expect(mandates).to_contain_text("noch kein Ergebnis")
    assert_accessible(page)
    sign_out(page)

    # Wanda finds the mandate in her work queue and enters the result, on a phone.
    page.set_viewport_size(PHONE)
    sign_in(page, "wanda@example.org")
    tasks = region(page, "Meine Aufgaben")
    task = tasks.get_by_role(
        "link", name=f"Ergebnis des Arbeitsauftrags liefern – {TITLE}", exact=True
    )
    expect(task).to_have_count(1)
    assert_accessible(page)
    task.click()
    expect(heading(page, TITLE)).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    mandate = region(page, "Arbeitsaufträge").get_by_role("article", name="AG Übergabe")
    mandate.get_by_role("link", name=re.compile("^Ergebnis eintragen")).click()
    expect(heading(page, "Ergebnis: AG Übergabe")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ergebnis speichern").click()  # empty: a clear message
    expect(page.get_by_role("main")).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    assert_accessible(page)
    page.get_by_label("Ergebnis", exact=True).fill(RESULT)
    page.get_by_role("button", name="Ergebnis speichern").click()
    expect(status_message(page)).to_have_text("Das Ergebnis ist gespeichert.")
    expect(region(page, "Arbeitsaufträge")).to_contain_text(RESULT)
    assert fits_the_screen(page)
    assert_accessible(page)
    # … and the draft itself, a file that goes back with the result
    mandate = region(page, "Arbeitsaufträge").get_by_role("article", name="AG Übergabe")
    mandate.get_by_role("link", name=re.compile("^Unterlage zum Ergebnis hochladen")).click()
    expect(heading(page, "Unterlage zum Ergebnis: AG Übergabe")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "entwurf.pdf", "mimeType": "application/pdf", "buffer": DRAFT}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(status_message(page)).to_have_text("Die Unterlage „entwurf.pdf“ ist hochgeladen.")
    expect(region(page, "Arbeitsaufträge")).to_contain_text("entwurf.pdf")
    assert fits_the_screen(page)
    assert_accessible(page)
    sign_out(page)

    # The office returns the results to the advisory board.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "koordination@example.org")
    page.goto(url)
    page.get_by_role("link", name="Ergebnisse an den Beirat zurückgeben").click()
    expect(heading(page, "Ergebnisse an den Beirat zurückgeben")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Zurückgeben").click()
    expect(status_message(page)).to_have_text("Die Ergebnisse sind an „Beirat“ zurückgegeben.")
    expect(page.get_by_role("main")).to_contain_text("Empfehlung im Beirat")
    # the draft went back with the result, as a copy with its checksum
    way = region(page, "Weg des Themas")
    way.get_by_text("Übergebener Inhalt").last.click()
    expect(way).to_contain_text(hashlib.sha256(DRAFT).hexdigest())
    assert_accessible(page)
