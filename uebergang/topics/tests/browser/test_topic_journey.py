"""A topic in a real browser, from the decision board to the advisory board's statements:
Dieter (decision board) brings a topic in, the coordination office hands it to the advisory
board with a deadline, and Anna (IHK seat) finds the statement in her work queue and gives
it. Then the topic's page on a phone. Every page visited is checked with axe-core
(`assert_accessible`). Dates are counted from today, so the journey runs on any day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import (
    heading,
    label,
    nav,
    region,
    status_message,
)

pytestmark = pytest.mark.browser

TITLE = "Elternabende zur Berufsorientierung"
AREA = "i. Elternarbeit"
STATEMENT = "Die IHK bringt Ausbildungsbotschafter mit."
PHONE = {"width": 390, "height": 844}


def due_day() -> datetime.date:
    """The deadline for statements: three weeks from today, whenever the suite runs."""
    return timezone.localdate() + datetime.timedelta(days=21)


def sign_out(page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def world(network, make_user):
    """The advisory board, the decision board with Dieter, accounts for Dieter and Anna –
    every account with the browser tests' password (`make_user`'s default)."""
    from uebergang.topics.tests.factories import make_topic_world

    return make_topic_world(network, make_user)


def test_a_topic_goes_from_the_decision_board_to_the_statements(
    page, live_server, world, coordinator, sign_in, assert_accessible
):
    due = due_day()

    # Dieter brings the topic in.
    sign_in(page, "dieter@example.org")
    nav(page, "Themen").click()
    expect(heading(page, "Themen")).to_be_visible()
    expect(nav(page, "Themen")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("main")).to_contain_text("Keine Themen.")
    assert_accessible(page)

    page.get_by_role("link", name="Thema einbringen").click()
    expect(heading(page, "Thema einbringen")).to_be_visible()
    expect(page.get_by_label("Entscheidungsgremium", exact=True)).to_have_value(re.compile(".+"))
    assert_accessible(page)
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label(label("Themenkomplex")).select_option(label=AREA)
    page.get_by_role("button", name="Thema einbringen").click()
    expect(heading(page, TITLE)).to_be_visible()
    expect(status_message(page)).to_have_text(f"Das Thema „{TITLE}“ ist eingebracht.")
    main = page.get_by_role("main")
    expect(main).to_contain_text("beim Entscheidungsgremium")
    expect(main).to_contain_text(AREA)
    # Handing over is the coordination office's, not his.
    expect(page.get_by_role("link", name="An den Beirat weitergeben")).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # The coordination office hands it to the advisory board.
    sign_in(page, "koordination@example.org")
    nav(page, "Themen").click()
    expect(heading(page, "Themen")).to_be_visible()
    page.get_by_role("table", name="Themen des Netzwerks").get_by_role(
        "link", name=TITLE, exact=True
    ).click()
    expect(heading(page, TITLE)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="An den Beirat weitergeben").click()
    expect(heading(page, "An den Beirat weitergeben")).to_be_visible()
    expect(page.get_by_label("Beirat", exact=True)).to_have_value(re.compile(".+"))
    assert_accessible(page)
    page.get_by_label("Stellungnahmen bis").fill(due.isoformat())
    page.get_by_role("button", name="Weitergeben").click()
    expect(heading(page, TITLE)).to_be_visible()
    expect(status_message(page)).to_have_text("Das Thema ist an „Beirat“ weitergegeben.")
    statements = region(page, "Stellungnahmen im Beirat")
    expect(statements).to_contain_text("0 von 4 Sitzen haben Stellung genommen.")
    expect(statements).to_contain_text(f"Frist: {due:%d.%m.%Y}.")
    assert_accessible(page)
    sign_out(page)

    # Anna finds the statement in her work queue and gives it for the IHK.
    sign_in(page, "anna.alt@example.org")
    expect(heading(page, world.network.name)).to_be_visible()
    tasks = region(page, "Meine Aufgaben")
    task = page.get_by_role("link", name=f"Stellungnahme abgeben – {TITLE}", exact=True)
    row = tasks.get_by_role("row").filter(has=task)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{due:%d.%m.%Y}")
    expect(row).to_contain_text("für den Sitz „Industrie- und Handelskammer Osterode“")
    item = row.get_by_role("link", name=f"Stellungnahme abgeben – {TITLE}", exact=True)
    assert_accessible(page)
    item.click()
    expect(heading(page, TITLE)).to_be_visible()
    assert_accessible(page)
    statements = region(page, "Stellungnahmen im Beirat")
    seat = statements.get_by_role("article", name="Industrie- und Handelskammer Osterode")
    expect(statements.get_by_role("link", name=re.compile("^Stellungnahme abgeben"))).to_have_count(
        1
    )
    seat.get_by_role("link", name=re.compile("^Stellungnahme abgeben")).click()
    expect(heading(page, "Stellungnahme: Industrie- und Handelskammer Osterode")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Stellungnahme", exact=True).fill(STATEMENT)
    page.get_by_role("button", name="Stellungnahme speichern").click()
    expect(heading(page, TITLE)).to_be_visible()
    expect(status_message(page)).to_have_text("Die Stellungnahme ist gespeichert.")
    statements = region(page, "Stellungnahmen im Beirat")
    expect(statements).to_contain_text("1 von 4 Sitzen haben Stellung genommen.")
    seat = statements.get_by_role("article", name="Industrie- und Handelskammer Osterode")
    expect(seat).to_contain_text(STATEMENT)
    expect(seat).to_contain_text("von Anna Alt am")
    expect(seat.get_by_role("link", name=re.compile("^Stellungnahme ändern"))).to_be_visible()
    assert_accessible(page)

    # Given, it has left her work queue.
    nav(page, "Netzwerk").click()
    expect(heading(page, world.network.name)).to_be_visible()
    expect(page.get_by_role("link", name=f"Stellungnahme abgeben – {TITLE}")).to_have_count(0)
    assert_accessible(page)


def test_the_topic_page_on_a_phone(page, live_server, world, sign_in, assert_accessible):
    from uebergang.core.permissions import SYSTEM
    from uebergang.topics import services
    from uebergang.topics.tests.factories import open_topic, refer

    topic = open_topic(world, TITLE, topic_area="i")
    refer(world, topic, due=due_day())
    services.statement_save(actor=SYSTEM, topic=topic, seat=world.ihk_seat, text=STATEMENT)

    page.set_viewport_size(PHONE)
    sign_in(page, "carla.clausen@example.org")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_text("Menü").click()
    nav(page, "Themen").click()
    expect(heading(page, "Themen")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(heading(page, TITLE)).to_be_visible()
    statements = region(page, "Stellungnahmen im Beirat")
    expect(statements).to_contain_text("1 von 4 Sitzen haben Stellung genommen.")
    expect(statements).to_contain_text(STATEMENT)
    assert fits_the_screen(page)
    assert_accessible(page)

    # Carla speaks for the schools' seat: its form, on the phone too.
    statements.get_by_role("link", name=re.compile("^Stellungnahme abgeben")).click()
    expect(heading(page, "Stellungnahme: Allgemeinbildende Schulen")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
