"""The network's settings in a real browser, on a phone: the coordination office opens
*Einstellungen*, enters a reply deadline that is out of range and is told so, corrects it and
saves; the change is in the history. Every page is checked with axe-core (WCAG 2.1 A and
AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

KEY = "meetings.reply_deadline_days"
FIELD = "Antwortfrist für Einladungen (Tage vor der Sitzung)"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        bypass_csp=True,
    )
    yield context.new_page()
    context.close()


def test_the_office_sets_a_reply_deadline_on_a_phone(
    phone, live_server, network, coordinator, sign_in, assert_accessible
):
    from uebergang.core.models import HistoryEvent, Network
    from uebergang.core.netsettings import get_setting

    page = phone
    sign_in(page, "koordination@example.org")
    page.goto(f"{live_server.url}/n/osterode/einstellungen/")
    expect(page.get_by_role("heading", name="Einstellungen", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label(FIELD).fill("90")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Dieser Wert muss kleiner oder gleich 60 sein.")).to_be_visible()
    assert_accessible(page)
    assert get_setting(Network.objects.get(pk=network.pk), KEY) is None

    page.get_by_label(FIELD).fill("7")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages").get_by_role("status")).to_contain_text(
        "Die Einstellungen sind gespeichert."
    )
    expect(page.get_by_label(FIELD)).to_have_value("7")
    assert_accessible(page)
    assert get_setting(Network.objects.get(pk=network.pk), KEY) == 7
    assert HistoryEvent.objects.filter(object_type="core.networksetting").count() == 1

    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
