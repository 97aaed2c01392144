"""The logo of the letterhead in a real browser: the coordination office opens
*Einstellungen*, tries an SVG and is told why not (the error summary on the logo's page),
uploads a PNG, sees it as the preview on the settings page and removes it again. Every page
is checked with axe-core (WCAG 2.1 A and AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NETWORK_NAME = "Übergang Schule–Beruf Osterode am Harz"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'


def status_message(page):
    return page.locator(".messages").get_by_role("status")


def test_the_office_uploads_a_logo_and_sees_the_preview(
    page, live_server, network, coordinator, sign_in, assert_accessible, settings, tmp_path
):
    from uebergang.core.models import HistoryEvent
    from uebergang.networks.models import NetworkLogo
    from uebergang.networks.tests.factories import png

    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "koordination@example.org")
    page.goto(f"{live_server.url}/n/osterode/einstellungen/")
    logo_region = page.get_by_role("region", name="Logo im Briefkopf")
    expect(logo_region).to_contain_text("Es ist noch kein Logo hinterlegt.")
    assert_accessible(page)

    # An SVG is refused, with the error summary linking to the field.
    logo_region.get_by_label("Neues Logo").set_input_files(
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": SVG}
    )
    logo_region.get_by_role("button", name="Logo hochladen").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Die Datei ist kein Bild im Format PNG oder JPEG")
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert not NetworkLogo.objects.exists()

    # A PNG is taken; back on the settings page, the preview shows it.
    page.get_by_label("Neues Logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png(120, 40)}
    )
    page.get_by_role("button", name="Logo hochladen").click()
    expect(status_message(page)).to_contain_text("Das Logo ist gespeichert.")
    expect(page.get_by_role("heading", name="Einstellungen", level=1)).to_be_visible()
    preview = page.get_by_role("region", name="Logo im Briefkopf").get_by_role(
        "img", name=NETWORK_NAME
    )
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 120
    assert_accessible(page)
    assert NetworkLogo.objects.get(network=network).content_type == "image/png"

    # Removed again: the letterhead is without a logo.
    page.get_by_role("button", name="Logo entfernen").click()
    expect(status_message(page)).to_contain_text("Das Logo ist entfernt.")
    expect(page.get_by_role("region", name="Logo im Briefkopf")).to_contain_text(
        "Es ist noch kein Logo hinterlegt."
    )
    assert_accessible(page)
    assert list(
        HistoryEvent.objects.filter(object_type="networks.networklogo")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["create", "delete"]
