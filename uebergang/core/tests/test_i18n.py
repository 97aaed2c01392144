"""German is the language unless a person chooses English (footer switch, a cookie); the
browser's Accept-Language does not change it. Every German string has an English one."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "uebergang" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_german_whatever_the_browser_asks_for(coordinator_client):
    response = coordinator_client.get("/n/osterode/partner/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()
    assert "Partner anlegen" in response.content.decode()


def test_english_when_chosen_with_the_switch(coordinator_client):
    switched = coordinator_client.post(
        "/i18n/setlang/", {"language": "en", "next": "/n/osterode/partner/"}
    )
    response = coordinator_client.get("/n/osterode/partner/")

    assert switched.status_code == 302
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    assert (
        "Add partner" in response.content.decode() or "Create partner" in response.content.decode()
    )


def test_every_string_has_an_english_translation_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # without the header
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""\s*$', e.strip(), re.M) and "msgstr" in e
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]

    assert fuzzy == []
    assert [e for e in untranslated if not re.search(r'msgstr(\[\d\])? "\S', e)] == []
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 5
