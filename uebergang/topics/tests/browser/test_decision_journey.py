"""The end of a topic's journey in a real browser: the coordination office finds the
advisory board's recommendation to record in its work queue, records it, and the decision
board's decision: first sent back (a second round begins), then, after the second round,
adopted with changes. Dieter (member of the decision board) reads the outcome on a phone.
axe-core checks every page (`assert_accessible`); dates count from today."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import heading, region, status_message
from uebergang.topics.tests.browser.test_topic_journey import PHONE, fits_the_screen, sign_out

pytestmark = pytest.mark.browser

TITLE = "Qualitätskriterien für die Betreuung im Praktikum"
ADVICE = "Der Beirat empfiehlt die fünf Kriterien des Entwurfs."
BACK = "Bitte die Sicht der Betriebe einholen."
CHANGED = "Beschlossen mit sechs Kriterien."


@pytest.fixture
def world(network, make_user):
    from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

    w = make_topic_world(network, make_user)
    w.topic = open_topic(w, TITLE)
    refer(w, w.topic, due=timezone.localdate() + datetime.timedelta(days=7))
    _skip(w.topic)
    return w


def _skip(topic) -> None:
    """The advisory board needs no working group (done as the office, outside the browser)."""
    from uebergang.core.permissions import SYSTEM
    from uebergang.topics import services

    services.topic_skip_working_groups(
        actor=SYSTEM, topic=topic, expected_version=None, note="Der Beirat ist sich einig."
    )


def _record_recommendation(page, assert_accessible, due: datetime.date) -> None:
    page.get_by_role("link", name="Empfehlung eintragen").click()
    expect(heading(page, "Empfehlung des Beirats eintragen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Empfehlung des Beirats").fill(ADVICE)
    page.get_by_label("Entscheidung bis").fill(due.isoformat())
    page.get_by_role("button", name="Dem Entscheidungsgremium vorlegen").click()
    expect(status_message(page)).to_have_text(
        "Die Empfehlung ist eingetragen; das Thema liegt beim Entscheidungsgremium."
    )


def test_recommendation_and_decision_with_a_second_round(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    from uebergang.topics.models import Topic
    from uebergang.topics.tests.factories import refer

    due = timezone.localdate() + datetime.timedelta(days=21)
    url = f"{live_server.url}/n/{world.network.slug}/themen/{world.topic.public_id}/"

    # The office finds the recommendation to record in its work queue.
    sign_in(page, "koordination@example.org")
    page.get_by_role("link", name=re.compile("Aufgaben? der Koordinierungsstelle")).click()
    tasks = region(page, "Aufgaben der Koordinierungsstelle")
    task = tasks.get_by_role("link", name=f"Empfehlung des Beirats eintragen – {TITLE}", exact=True)
    expect(task).to_have_count(1)
    assert_accessible(page)
    task.click()
    expect(heading(page, TITLE)).to_be_visible()
    page.get_by_role("link", name="Empfehlung eintragen").click()
    page.get_by_role("button", name="Dem Entscheidungsgremium vorlegen").click()  # empty
    expect(page.get_by_role("main")).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    assert_accessible(page)
    page.goto(url)
    _record_recommendation(page, assert_accessible, due)
    section = region(page, "Empfehlung und Entscheidung")
    expect(section).to_contain_text(ADVICE)
    expect(section).to_contain_text("noch nicht entschieden")
    assert_accessible(page)

    # The decision board sent it back: the office records it, a second round begins.
    page.get_by_role("link", name="Entscheidung eintragen").click()
    expect(heading(page, "Entscheidung eintragen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("zur weiteren Bearbeitung zurückgegeben (neue Runde)").check()
    page.get_by_role("button", name="Entscheidung eintragen").click()  # without what for
    expect(page.get_by_role("main")).to_contain_text("was noch zu bearbeiten ist")
    assert_accessible(page)
    page.get_by_label("Wortlaut").fill(BACK)
    page.get_by_role("button", name="Entscheidung eintragen").click()
    expect(status_message(page)).to_have_text(
        "Die Entscheidung ist eingetragen; Runde 2 beginnt beim Entscheidungsgremium."
    )
    expect(page.get_by_role("main")).to_contain_text("Runde 2")
    expect(page.get_by_role("link", name="An den Beirat weitergeben")).to_be_visible()
    assert_accessible(page)

    # The second round through the advisory board (as before), then adopted with changes.
    refer(world, Topic.objects.get(pk=world.topic.pk), due=due)
    _skip(Topic.objects.get(pk=world.topic.pk))
    page.goto(url)
    _record_recommendation(page, assert_accessible, due)
    page.get_by_role("link", name="Entscheidung eintragen").click()
    page.get_by_label("mit Änderungen beschlossen").check()
    page.get_by_label("Wortlaut").fill(CHANGED)
    page.get_by_role("button", name="Entscheidung eintragen").click()
    expect(status_message(page)).to_have_text(
        "Die Entscheidung ist eingetragen: mit Änderungen beschlossen."
    )
    assert_accessible(page)
    sign_out(page)

    # Dieter reads the outcome on his phone; the way shows both rounds.
    page.set_viewport_size(PHONE)
    sign_in(page, "dieter@example.org")
    page.goto(url)
    expect(heading(page, TITLE)).to_be_visible()
    section = region(page, "Empfehlung und Entscheidung")
    expect(section).to_contain_text("mit Änderungen beschlossen")
    expect(section).to_contain_text(CHANGED)
    way = region(page, "Weg des Themas")
    expect(way).to_contain_text("zur weiteren Bearbeitung zurückgegeben")
    expect(page.get_by_role("link", name="Entscheidung eintragen")).to_have_count(0)
    assert fits_the_screen(page)
    assert_accessible(page)
