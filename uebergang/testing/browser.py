"""The fixtures of every app's browser tests (a pytest plugin, loaded by the root
conftest.py): Debian's headless Chromium, driven by Playwright, against pytest-django's live
server. Every page a journey visits is checked with axe-core (WCAG 2.1 A and AA, and axe's
best practices).

Journeys live with their app, in `uebergang/<app>/tests/browser/` (marked `browser`).
Run: .venv/bin/python -m pytest -m browser -x -q"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = (
    Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "Geheim-Passwort-2026"  # the password of the users from the root conftest
# WCAG 2.1 A/AA, and axe's best practices (headings in order, landmarks, …) as well.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
})))"""
STYLESHEETS = """() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(link => {
    let rules = -1;
    try { rules = link.sheet ? link.sheet.cssRules.length : -1; } catch (e) { rules = -2; }
    return {href: link.href, rules: rules};
})"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # No skip: without Chromium the browser suite must fail, not pass silently.
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (never `playwright install`)."
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A German user in Germany. bypass_csp only lets the test inject axe-core as an inline
    # script; `test_pages_send_a_content_security_policy` checks the policy without it.
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        "bypass_csp": True,
    }


@pytest.fixture(autouse=True)
def _static_files_from_finders(request):
    """The live server serves /static/ from the staticfiles finders (no collectstatic), so
    `{% static %}` must not look up a manifest that only collectstatic writes."""
    if request.node.get_closest_marker("browser") is None:
        return
    settings = request.getfixturevalue("settings")
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make assets`.")
    return AXE_JS.read_text(encoding="utf-8")


def _format_violations(url: str, title: str, violations: list[dict]) -> str:
    lines = [
        f"axe found {len(violations)} WCAG 2.1 A/AA or best-practice violation(s) on {url} "
        f"(„{title}“):"
    ]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            target = " ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {target}\n      {node['html'][:200]}\n      {summary[:400]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(axe_source) -> Callable:
    """Check the page as it is now: its stylesheets loaded (colour contrast depends on them)
    and axe-core finds no WCAG 2.1 A/AA violation and no breach of its best practices."""

    def check(page) -> None:
        page.wait_for_load_state("load")
        problems = []
        sheets = page.evaluate(STYLESHEETS)
        if not sheets:
            problems.append(f"{page.url}: the page links no stylesheet (not the app's layout?)")
        broken = [s for s in sheets if s["rules"] <= 0]
        if broken:
            problems.append(f"{page.url}: stylesheets did not load: {broken}")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_RUN, WCAG_TAGS)
        if violations:
            problems.append(_format_violations(page.url, page.title(), violations))
        assert not problems, "\n".join(problems)

    return check


@pytest.fixture
def sign_in(live_server, assert_accessible) -> Callable:
    """Sign in through the sign-in form as a person would."""

    def do(page, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/konto/anmelden/")
        assert_accessible(page)
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort", exact=True).fill(password)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.get_by_role("button", name="Abmelden").wait_for()

    return do
