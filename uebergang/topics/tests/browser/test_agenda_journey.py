"""A topic on a meeting's agenda in a real browser: the office puts the topic on the coming
advisory board meeting from the topic's page; the meeting page shows the topic on its agenda
(the topics' panel); Anna (advisory board) sees on her phone where the topic is discussed.
axe-core checks every page (`assert_accessible`); dates count from today."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import heading, region, status_message
from uebergang.topics.tests.browser.test_topic_journey import PHONE, fits_the_screen, sign_out

pytestmark = pytest.mark.browser

TITLE = "Elternabende zur Berufsorientierung"


@pytest.fixture
def world(network, make_user):
    from uebergang.core.permissions import SYSTEM
    from uebergang.meetings import services as meeting_services
    from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

    w = make_topic_world(network, make_user)
    w.topic = open_topic(w, TITLE)
    refer(w, w.topic, due=timezone.localdate() + datetime.timedelta(days=14))
    starts = timezone.localtime() + datetime.timedelta(days=10)
    starts = starts.replace(hour=16, minute=0, second=0, microsecond=0)
    w.meeting = meeting_services.meeting_create(
        actor=SYSTEM,
        body=w.body,
        data={
            "title": "Beiratssitzung",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
        },
    )
    return w


def test_the_office_puts_a_topic_on_the_agenda(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    url = f"{live_server.url}/n/{world.network.slug}/themen/{world.topic.public_id}/"
    sign_in(page, "koordination@example.org")
    page.goto(url)
    meetings = region(page, "Beraten in Sitzungen")
    expect(meetings).to_contain_text("Noch in keiner Sitzung.")
    meetings.get_by_role("link", name="Auf die Tagesordnung setzen").click()
    expect(heading(page, "Auf die Tagesordnung setzen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
    expect(status_message(page)).to_have_text(
        "Das Thema steht auf der Tagesordnung von „Beiratssitzung“."
    )
    meetings = region(page, "Beraten in Sitzungen")
    expect(meetings).to_contain_text(f"TOP 1: {TITLE}")
    assert_accessible(page)
    # the statements and the hand-over go with the invitation as a PDF
    meetings.get_by_role("button", name="Stellungnahmen als Unterlage beifügen").click()
    expect(status_message(page)).to_contain_text("ist der Sitzung „Beiratssitzung“ beigefügt.")
    assert_accessible(page)
    region(page, "Beraten in Sitzungen").get_by_role("link", name="Beirat: Beiratssitzung").click()
    panel = region(page, "Themen auf dieser Tagesordnung")
    expect(panel.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Stellungnahmen und Übergabe: {TITLE}")
    assert_accessible(page)
    sign_out(page)

    page.set_viewport_size(PHONE)
    sign_in(page, "anna.alt@example.org")
    page.goto(url)
    expect(region(page, "Beraten in Sitzungen")).to_contain_text("Beiratssitzung")
    expect(page.get_by_role("link", name="Auf die Tagesordnung setzen")).to_have_count(0)
    assert fits_the_screen(page)
    assert_accessible(page)


def test_the_agenda_form_offers_the_topic(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    sign_in(page, "koordination@example.org")
    page.goto(f"{live_server.url}/n/{world.network.slug}/sitzungen/{world.meeting.public_id}/top/")
    expect(heading(page, "Tagesordnungspunkt hinzufügen")).to_be_visible()
    offer = region(page, "Thema auf die Tagesordnung")
    expect(offer.get_by_label("Thema")).to_have_value(str(world.topic.public_id))
    assert_accessible(page)
    offer.get_by_role("button", name="Thema auf die Tagesordnung setzen").click()
    expect(status_message(page)).to_have_text(f"TOP 1 „{TITLE}“ ist hinzugefügt.")
    panel = region(page, "Themen auf dieser Tagesordnung")
    expect(panel.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
