"""A topic's document in a real browser: Dieter (member of the decision board) uploads the
draft to his topic (a wrong file first: a clear message), the office hands the topic to the
advisory board, and Anna (advisory board) finds the copy handed over, with its SHA-256, on
her phone and downloads it. axe-core checks every page (`assert_accessible`)."""

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
PDF = b"%PDF-1.4\n% Entwurf des Bogens\n%%EOF\n"


@pytest.fixture
def world(network, make_user, settings, tmp_path):
    from uebergang.topics.tests.factories import make_topic_world, open_topic

    settings.MEDIA_ROOT = tmp_path / "media"
    w = make_topic_world(network, make_user)
    w.topic = open_topic(w, TITLE)
    return w


def test_a_document_goes_with_the_hand_over(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    from uebergang.topics.models import Topic
    from uebergang.topics.tests.factories import refer

    url = f"{live_server.url}/n/{world.network.slug}/themen/{world.topic.public_id}/"
    sign_in(page, "dieter@example.org")
    page.goto(url)
    documents = region(page, "Unterlagen zum Thema")
    expect(documents).to_contain_text("Noch keine Unterlagen.")
    documents.get_by_role("link", name="Unterlage hochladen").click()
    expect(heading(page, "Unterlage zum Thema hochladen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "bogen.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}
    )
    page.get_by_role("button", name="Hochladen").click()
    expect(page.get_by_role("main")).to_contain_text("passt nicht zur Endung")
    assert_accessible(page)
    page.get_by_label("Datei", exact=True).set_input_files(
        {"name": "bogen.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label(re.compile("^Titel")).fill("Entwurf des Bogens")
    page.get_by_role("button", name="Hochladen").click()
    expect(status_message(page)).to_have_text("Die Unterlage „Entwurf des Bogens“ ist hochgeladen.")
    expect(region(page, "Unterlagen zum Thema")).to_contain_text("Entwurf des Bogens")
    assert_accessible(page)
    sign_out(page)

    refer(
        world,
        Topic.objects.get(pk=world.topic.pk),
        due=timezone.localdate() + datetime.timedelta(days=14),
    )

    page.set_viewport_size(PHONE)
    sign_in(page, "anna.alt@example.org")
    page.goto(url)
    way = region(page, "Weg des Themas")
    way.get_by_text("Übergebener Inhalt").click()
    expect(way).to_contain_text(hashlib.sha256(PDF).hexdigest())
    assert fits_the_screen(page)
    assert_accessible(page)
    with page.expect_download() as info:
        way.get_by_role("link", name="Entwurf des Bogens (Weitergabe 1)").click()
    download = info.value
    assert download.suggested_filename == "bogen.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
    # Anna may not add or remove documents: no such controls for her
    expect(page.get_by_role("link", name="Unterlage hochladen")).to_have_count(0)
