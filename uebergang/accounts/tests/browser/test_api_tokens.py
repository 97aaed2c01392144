"""A person creates a personal API token, sees it once, uses it, and revokes it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_create_use_and_revoke_an_api_token(
    page, live_server, coordinator, sign_in, assert_accessible
):
    sign_in(page, "koordination@example.org")
    page.get_by_role("link", name="API-Schlüssel").click()
    expect(page.get_by_role("heading", name="Ihre API-Schlüssel", level=1)).to_be_visible()
    assert_accessible(page)

    # An empty name is refused next to the field.
    page.get_by_role("button", name="Schlüssel erzeugen").click()
    expect(
        page.get_by_text("Bitte geben Sie dem Schlüssel eine Bezeichnung.").or_(
            page.get_by_text("Dieses Feld ist zwingend erforderlich.")
        )
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Bezeichnung").fill("Auswertung Excel")
    page.get_by_role("button", name="Schlüssel erzeugen").click()
    expect(
        page.get_by_text("Ihr neuer Schlüssel – er wird nur dieses eine Mal angezeigt")
    ).to_be_visible()
    assert_accessible(page)
    secret = page.locator("code.token-secret").inner_text()
    assert re.fullmatch(r"ueb_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", secret)

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/networks/osterode/partners").status_code == 200

    # Shown once: after reloading the page only the prefix is left.
    page.reload()
    expect(page.get_by_text(secret)).to_have_count(0)
    row = page.get_by_role("row").filter(has_text="Auswertung Excel")
    row.get_by_role("button", name="widerrufen").click()
    expect(page.get_by_text("Der Schlüssel „Auswertung Excel“ ist widerrufen.")).to_be_visible()
    assert_accessible(page)

    assert api.get("/api/v1/networks/osterode/partners").status_code == 401
