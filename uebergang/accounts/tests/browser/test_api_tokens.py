"""Mein Konto in a real browser: a person creates a personal API token, sees it once, uses
it, and revokes it; a member changes the password on a phone (a wrong current password
first) and signs in with the new one."""

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
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_role("heading", name="Mein Konto", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="API-Schlüssel").click()
    expect(page.get_by_role("heading", name="Ihre API-Schlüssel", level=1)).to_be_visible()
    assert_accessible(page)

    # An empty name is refused next to the field.
    page.get_by_role("button", name="Schlüssel erzeugen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Bezeichnung: "))).to_be_visible()
    expect(
        page.locator(".kern-form-input .kern-error").filter(
            has_text=re.compile(
                "Bitte geben Sie dem Schlüssel eine Bezeichnung.|"
                "Dieses Feld ist zwingend erforderlich."
            )
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


def test_a_member_changes_the_password_on_a_phone(
    page, live_server, member, network, sign_in, assert_accessible
):
    from uebergang.testing.browser import PASSWORD

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "mitglied@example.org")
    # on a phone the header's links are at hand without the menu
    page.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_role("heading", name="Mein Konto", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Ihre Netzwerke")).to_contain_text(
        "Übergang Schule–Beruf Osterode am Harz – Mitglied"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Passwort ändern").click()
    expect(page.get_by_role("heading", name="Passwort ändern", level=1)).to_be_visible()
    assert_accessible(page)

    # A wrong current password: the summary takes the focus and leads to the field.
    page.get_by_label("Bisheriges Passwort").fill("falsch")
    page.get_by_label("Neues Passwort", exact=True).fill("Okertalsperre-1956")
    page.get_by_label("Neues Passwort wiederholen").fill("Okertalsperre-1956")
    page.get_by_role("button", name="Passwort ändern").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("^Bisheriges Passwort: ")).click()
    expect(page).to_have_url(re.compile("#id_old_password$"))

    page.get_by_label("Bisheriges Passwort").fill(PASSWORD)
    page.get_by_label("Neues Passwort", exact=True).fill("Okertalsperre-1956")
    page.get_by_label("Neues Passwort wiederholen").fill("Okertalsperre-1956")
    page.get_by_role("button", name="Passwort ändern").click()
    expect(page.locator(".messages")).to_be_focused()
    expect(page.locator(".messages")).to_contain_text("Ihr Passwort ist geändert.")
    assert_accessible(page)

    # The new password works from now on.
    page.get_by_role("button", name="Abmelden").click()
    sign_in(page, "mitglied@example.org", "Okertalsperre-1956")
    expect(page.get_by_role("link", name="Mein Konto")).to_be_visible()
