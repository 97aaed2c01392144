"""The personal work queue in a real browser: a member of the advisory board signs in, lands
on "Meine Aufgaben", follows the item to answer an invitation, replies, and finds the meeting
among the next ones on the queue; the coordination office sees its own queue on the
overview. Every page is checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def heading(page, name: str):
    return page.get_by_role("heading", name=name, level=1, exact=True)


def region(page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def status_message(page):
    return page.locator(".messages").get_by_role("status")


@pytest.fixture
def meeting(network, member):
    """The advisory board meets in 10 days; the member (Anna Alt) is invited and has not
    answered."""
    from uebergang.meetings.tests.factories import (
        days_from_today,
        link_user,
        make_board,
        make_invited_meeting,
    )

    board = make_board(network)
    link_user(board.anna, member)
    return make_invited_meeting(board, day=days_from_today(10), title="Sitzung des Beirats")


def test_a_member_lands_on_the_queue_and_answers_an_invitation(
    page, live_server, meeting, coordinator, sign_in, assert_accessible
):
    label = str(meeting)

    # The member signs in and lands on the network's start page: "Meine Aufgaben" first.
    sign_in(page, "mitglied@example.org")
    tasks = region(page, "Meine Aufgaben")
    expect(tasks).to_be_visible()
    expect(tasks.get_by_role("row")).to_have_count(2)  # the header and one item
    expect(tasks).to_contain_text(label)
    expect(page.get_by_role("heading", name="Über das Netzwerk", level=2)).to_be_visible()
    assert_accessible(page)

    # The item leads to the reply.
    tasks.get_by_role("link", name=f"Auf die Einladung antworten – {label}").click()
    expect(heading(page, "Ihre Antwort auf die Einladung")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("nimmt teil").check()
    page.get_by_role("button", name="Antwort senden").click()
    expect(status_message(page)).to_have_text("Die Antwort ist gespeichert: nimmt teil.")
    assert_accessible(page)

    # Back on the start page the invitation is answered: the meeting is one of the next.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Netzwerk", exact=True
    ).click()
    tasks = region(page, "Meine Aufgaben")
    expect(tasks.get_by_role("link", name=f"An der Sitzung teilnehmen – {label}")).to_be_visible()
    expect(tasks.get_by_role("link", name=f"Auf die Einladung antworten – {label}")).to_have_count(
        0
    )
    assert_accessible(page)

    # The coordination office's overview is its queue, beside the counters.
    page.get_by_role("button", name="Abmelden").click()
    sign_in(page, "koordination@example.org")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Übersicht", exact=True
    ).click()
    expect(heading(page, "Übersicht der Koordinierungsstelle")).to_be_visible()
    office = region(page, "Aufgaben der Koordinierungsstelle")
    expect(
        office.get_by_role("link", name=f"Fehlende Antworten nachfragen – {label}")
    ).to_have_count(0)  # 10 days ahead: not yet inside the 7 days
    expect(
        office.get_by_role("link", name=f"Beschlussfähigkeit gefährdet – {label}")
    ).to_be_visible()
    expect(page.get_by_role("complementary", name="Das Netzwerk in Zahlen")).to_be_visible()
    assert_accessible(page)
