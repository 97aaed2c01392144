"""Following a decision up in a real browser: the coordination office adds a task to a
decision in the minutes (Anna Alt responsible, for the IHK, due in ten days: "gefährdet"),
Anna finds it in her work queue on a phone and records "in Arbeit" with a note, and the
office finds it on the network's list "Beschlüsse und ihre Umsetzung", filtered by the
institution, and marks it done. axe-core checks every page; dates count from today."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from uebergang.bodies.tests.browser.test_bodies_journeys import heading, status_message
from uebergang.topics.tests.browser.test_topic_journey import PHONE, fits_the_screen, sign_out

pytestmark = pytest.mark.browser

TASK = "Übergabebogen an alle Schulen schicken"
WORDING = "Der Beirat beschließt den gemeinsamen Übergabebogen."
NOTE = "Die Schulleitungen haben den Entwurf; Rückmeldung bis Freitag."


@pytest.fixture
def decided(network, member):
    """The advisory board met five days ago; its minutes with one decision are circulated.
    The member is Anna Alt (IHK seat)."""
    from uebergang.core.permissions import SYSTEM
    from uebergang.meetings import services
    from uebergang.meetings.tests.factories import link_user, make_board, make_held_meeting

    board = make_board(network)
    link_user(board.anna, member)
    board.meeting = make_held_meeting(
        board, day=timezone.localdate() - datetime.timedelta(days=5), title="Sitzung des Beirats"
    )
    item = board.meeting.agenda_items.order_by("position").first()
    minutes = services.minutes_save(
        actor=SYSTEM,
        meeting=board.meeting,
        expected_version=None,
        entries={item.public_id: {"discussion": "Der Entwurf wird vorgestellt."}},
    )
    board.decision = services.decision_add(actor=SYSTEM, item=item, data={"wording": WORDING})
    services.minutes_circulate(actor=SYSTEM, minutes=minutes)
    board.item = item
    return board


def test_a_decisions_task_is_followed_up_until_done(
    page, live_server, decided, coordinator, sign_in, assert_accessible
):
    slug = decided.network.slug
    due = timezone.localdate() + datetime.timedelta(days=10)

    # The office adds the task to the decision in the minutes.
    sign_in(page, "koordination@example.org")
    page.goto(f"{live_server.url}/n/{slug}/sitzungen/{decided.meeting.public_id}/protokoll/")
    page.get_by_role("link", name=re.compile(r"^Aufgabe hinzufügen")).first.click()
    expect(heading(page, f"Aufgabe zu {decided.item}")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Aufgabe", exact=True).fill(TASK)
    page.get_by_label("zuständig (Person)").select_option(label=str(decided.anna))
    page.get_by_label("zuständige Institution").select_option(label=decided.ihk.name)
    page.get_by_label("fällig bis").fill(due.isoformat())
    page.get_by_label("zum Beschluss").select_option(label=str(decided.decision))
    page.get_by_role("button", name="Aufgabe hinzufügen").click()
    expect(status_message(page)).to_have_text("Die Aufgabe ist eingetragen.")
    expect(page.get_by_role("link", name=TASK)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("gefährdet")
    assert_accessible(page)
    sign_out(page)

    # Anna, on her phone, finds it in her work queue and records progress.
    page.set_viewport_size(PHONE)
    sign_in(page, "mitglied@example.org")
    page.get_by_role("link", name=f"Aufgabe aus dem Protokoll erledigen – {TASK}").click()
    expect(heading(page, TASK)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(decided.decision.reference)
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("entfallen").check()
    page.get_by_role("button", name="Stand speichern").click()  # dropping needs a reason
    expect(page.get_by_role("main")).to_contain_text(
        "Bitte schreiben Sie, warum die Aufgabe entfällt."
    )
    assert_accessible(page)
    page.get_by_label("in Arbeit").check()
    page.get_by_label("Vermerk").fill(NOTE)
    page.get_by_role("button", name="Stand speichern").click()
    expect(status_message(page)).to_have_text("Der Stand der Aufgabe ist eingetragen: in Arbeit.")
    history = page.get_by_role("region", name="Verlauf")
    expect(history).to_contain_text(NOTE)
    expect(history).to_contain_text("Anna Alt")
    assert fits_the_screen(page)
    assert_accessible(page)
    sign_out(page)

    # The office finds it on the follow-up list, filtered by the institution, and closes it.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "koordination@example.org")
    page.get_by_role("link", name="Beschlüsse", exact=True).first.click()
    expect(heading(page, "Beschlüsse und ihre Umsetzung")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("zuständige Institution").select_option(label=decided.ihk.name)
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("heading", name="1 Beschluss", level=2)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(WORDING)
    expect(page.get_by_role("main")).to_contain_text("in Arbeit")
    assert_accessible(page)
    page.get_by_role("link", name=TASK).click()
    page.get_by_label("erledigt").check()
    page.get_by_label("Vermerk").fill("Alle Schulen haben den Bogen.")
    page.get_by_role("button", name="Stand speichern").click()
    expect(status_message(page)).to_have_text("Der Stand der Aufgabe ist eingetragen: erledigt.")
    page.get_by_role("link", name="Beschlüsse und ihre Umsetzung").click()
    page.get_by_label("Stand").select_option(label="alle Aufgaben erledigt")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("main")).to_contain_text(TASK)
    expect(page.get_by_role("main")).to_contain_text("erledigt")
    assert_accessible(page)
