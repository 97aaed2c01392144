"""The coordination office's board in a real browser, on a phone: from the topics' list to
the board, a deadline passed shown as overdue, filtering by state (htmx swaps the results
and the address keeps the filter) and, without JavaScript, the same form as a plain GET.
axe-core checks every page (`assert_accessible`); dates count from today."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import heading
from uebergang.topics.tests.browser.test_topic_journey import PHONE, fits_the_screen

pytestmark = pytest.mark.browser


@pytest.fixture
def world(network, make_user):
    from uebergang.topics.models import Referral
    from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

    w = make_topic_world(network, make_user)
    open_topic(w, "Praktikumsbörse für den Landkreis")
    late = open_topic(w, "Elternabende zur Berufsorientierung")
    refer(w, late, due=timezone.localdate() + datetime.timedelta(days=7))
    # its deadline has passed since (set directly: the services refuse a past deadline)
    Referral.objects.filter(topic=late).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    return w


def test_the_office_reads_and_filters_its_board(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    page.set_viewport_size(PHONE)
    sign_in(page, "koordination@example.org")
    page.goto(f"{live_server.url}/n/{world.network.slug}/themen/")
    page.get_by_role("link", name="Übersicht der Koordinierungsstelle").click()
    expect(heading(page, "Übersicht der Themen")).to_be_visible()
    results = page.locator("#ergebnisse")
    expect(results).to_contain_text("2 offene Themen")
    rows = page.get_by_role("table", name="Offene Themen").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Elternabende zur Berufsorientierung")  # overdue first
    expect(rows.nth(1)).to_contain_text("überfällig")
    expect(rows.nth(1)).to_contain_text("Stellungnahmen fehlen")
    assert fits_the_screen(page)
    assert_accessible(page)

    # htmx: choosing a state swaps the results, and the address keeps the filter
    filters = page.get_by_role("search", name="Themen filtern")
    filters.get_by_label("Stand").select_option(label="beim Entscheidungsgremium")
    expect(results).to_contain_text("1 offenes Thema")
    expect(results).to_contain_text("Praktikumsbörse für den Landkreis")
    expect(results).not_to_contain_text("Elternabende")
    expect(page).to_have_url(re.compile(r"/themen/uebersicht/\?.*stand=entscheidungsgremium"))
    assert_accessible(page)

    # without JavaScript (signed in with the same session) the button sends the same form
    context = page.context.browser.new_context(
        java_script_enabled=False, viewport=PHONE, storage_state=page.context.storage_state()
    )
    plain = context.new_page()
    plain.goto(f"{live_server.url}/n/{world.network.slug}/themen/uebersicht/")
    plain.get_by_label("Stand").select_option(label="Stellungnahmen im Beirat")
    plain.get_by_role("button", name="Anzeigen").click()
    expect(plain.locator("#ergebnisse")).to_contain_text("1 offenes Thema")
    expect(plain.locator("#ergebnisse")).to_contain_text("Elternabende zur Berufsorientierung")
    context.close()
