"""Answering from the e-mail on a phone, without signing in: a member of the advisory board
opens the "sage ab" link of her invitation on a 390 px wide screen, adds a note and saves
with one press; the saved answer stays selected and the success message takes the focus.
She changes her mind through the substitute's link; a changed link shows a page that says
it does not work. Every page is checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.clock]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def invitation(network):
    """The advisory board meets in 12 days; Anna Alt (substitute: Bernd Berger) is invited and
    has not answered. No account: she never signs in."""
    from uebergang.meetings.models import Invitation
    from uebergang.meetings.tests.factories import days_from_today, make_board, make_invited_meeting

    board = make_board(network)
    meeting = make_invited_meeting(board, day=days_from_today(12), title="Sitzung des Beirats")
    return Invitation.objects.select_related("meeting", "person", "membership").get(
        meeting=meeting, person=board.anna
    )


def links_in_mail(invitation, live_server) -> dict[str, str]:
    """The personal links of her e-mail (label → address on the live server)."""
    from django.conf import settings

    from uebergang.meetings import delivery

    text = delivery.invitation_mail(invitation, invitation.meeting).text
    found = re.findall(r"^(.+): (http\S+/antwort/\S+)$", text, re.M)
    return {label: url.replace(settings.SITE_URL, live_server.url) for label, url in found}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_answers_from_the_mail_on_a_phone_without_signing_in(
    page, live_server, invitation, assert_accessible
):
    from uebergang.core.models import HistoryEvent
    from uebergang.meetings.models import Invitation

    page.set_viewport_size(PHONE)
    links = links_in_mail(invitation, live_server)
    assert list(links) == ["Ich nehme teil", "Ich sage ab", "Mein/e Vertreter/in kommt"]

    # The "sage ab" link: the answer is preselected, nothing is saved yet.
    page.goto(links["Ich sage ab"])
    expect(
        page.get_by_role("heading", name="Ihre Antwort auf die Einladung", level=1)
    ).to_be_visible()
    expect(page.get_by_label("Ich sage ab")).to_be_checked()
    expect(page.get_by_text("Sitzung des Beirats")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
    assert fits_the_screen(page)
    assert_accessible(page)
    assert Invitation.objects.get(pk=invitation.pk).reply == "none"

    # One press saves; the message takes the focus and the answer stays selected.
    page.get_by_label("Bemerkung").fill("Ich bin im Urlaub.")
    page.get_by_role("button", name="Antwort speichern").click()
    saved = page.get_by_role("status").filter(has_text="Ihre Antwort ist gespeichert")
    expect(saved).to_have_text("Ihre Antwort ist gespeichert: sagt ab.")
    expect(saved.locator("xpath=ancestor-or-self::*[@id='gespeichert']")).to_be_focused()
    expect(page.get_by_label("Ich sage ab")).to_be_checked()
    expect(page.get_by_label("Bemerkung")).to_have_value("Ich bin im Urlaub.")
    assert fits_the_screen(page)
    assert_accessible(page)

    # A change of mind through another link of the same mail: her substitute comes.
    page.goto(links["Mein/e Vertreter/in kommt"])
    expect(page.get_by_label("Mein/e Vertreter/in kommt")).to_be_checked()
    expect(page.get_by_text("Ihr/e Vertreter/in: Bernd Berger.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_have_text(
        "Ihre Antwort ist gespeichert: schickt Vertreter/in."
    )
    assert_accessible(page)

    anna = Invitation.objects.get(pk=invitation.pk)
    assert (anna.reply, anna.substitute_id) == (
        "substitute",
        invitation.membership.substitutes.get().pk,
    )
    messages = list(
        HistoryEvent.objects.filter(object_id=anna.public_id, actor_name="Anna Alt")
        .order_by("id")
        .values_list("message", flat=True)
    )
    assert messages == ["über persönlichen Link", "über persönlichen Link"]
    # nobody was signed in
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}


def test_a_changed_link_says_that_it_does_not_work(
    page, live_server, invitation, assert_accessible
):
    page.set_viewport_size(PHONE)
    url = links_in_mail(invitation, live_server)["Ich nehme teil"]
    page.goto(url.replace("/?", "x/?"))
    expect(
        page.get_by_role("heading", name="Dieser Link funktioniert nicht", level=1)
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Dieser Link ist ungültig")
    assert fits_the_screen(page)
    assert_accessible(page)
