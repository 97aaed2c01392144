"""Every page on a phone (WCAG 1.4.10 Reflow): at 320 and 390 CSS px wide nothing scrolls
sideways, and axe-core finds no WCAG 2.1 A/AA violation.

The pages are not listed here: the test walks the URLconf (as core/tests/test_cross_network.py
does) and fills every pattern's parameters from the demo network, once as its coordination
office, once as a member and once not signed in. A pattern counts with the first filling whose
GET answers 200 with an HTML page; file downloads (.csv, .xlsx, .pdf, .ics), the Django admin
and the JSON API are not pages (the API's documentation page is). Each role has one browser
context, signed in once: every page is loaded at 320 px, checked, then checked again with the
window 390 px wide."""

from __future__ import annotations

import time

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".ics")
NOT_PAGES = ("admin", "api")  # namespaces: Django's admin, the JSON API
API_DOCS = "/api/v1/docs"
KINDS = ["partner", "person", "sammelvertretung"]
PER_MODEL = 40  # records of each kind to try when the first of a kind does not open a page
TRIES_REFUSED = 8  # … when the first was refused (403): a member may see some bodies' pages
SIZE = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
    wide: Array.from(document.querySelectorAll('body *')).filter(e => {
        const r = e.getBoundingClientRect();
        return r.right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed'
            && !e.closest('.kern-table-responsive');
    }).slice(0, 3).map(e => e.outerHTML.slice(0, 120))})"""


def page_patterns() -> list[tuple[str, str, frozenset[str]]]:
    """([namespace:]name, route, URL parameters) of every pattern that may answer a page."""
    found: list[tuple[str, str, frozenset[str]]] = []

    def params(pattern) -> set[str]:
        return set(getattr(pattern, "converters", {})) | set(pattern.regex.groupindex)

    def walk(patterns, current: str, route: str, inherited: set[str]) -> None:
        for entry in patterns:
            names = inherited | params(entry.pattern)
            here = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace in NOT_PAGES:
                    continue
                nested = ":".join(part for part in (current, entry.namespace) if part)
                walk(entry.url_patterns, nested, here, names)
            elif isinstance(entry, URLPattern) and not here.endswith(DOWNLOADS):
                name = ":".join(p for p in (current, entry.name or "") if p)
                found.append((name, here, frozenset(names)))

    walk(get_resolver().url_patterns, "", "", set())
    return found


def _records(network) -> dict[type, list]:
    """Up to PER_MODEL records of every network-scoped model, by model."""
    from uebergang.core.models import NetworkScopedModel

    return {
        model: list(model.all_objects.filter(network=network).order_by("pk")[:PER_MODEL])
        for model in apps.get_models()
        if issubclass(model, NetworkScopedModel)
    }


def _reply_token(network) -> str:
    from uebergang.meetings import reply_links
    from uebergang.meetings.models import Invitation

    invitation = (
        Invitation.objects.filter(meeting__network=network)
        .select_related("meeting", "person")
        .order_by("-meeting__starts_at")
        .first()
    )
    return reply_links.make_token(invitation, invitation.meeting)


def _is_page(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def _refused(response) -> bool:
    """403, or sent to the sign-in page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    )


def _open(client, pattern, network, records, token, hints) -> str | None:
    """The first filling of the pattern that opens a page: the first record of every kind
    (the kind that opened a page under the same path first), then more records of the kinds
    that were not "not found" (a page may need a record in some state: a meeting with
    minutes, a seat with holders)."""
    name, route, params = pattern
    if params == {"uidb64", "token"}:  # a password reset link (an invalid one is a page too)
        path = reverse(name, kwargs={"uidb64": "MQ", "token": "abc-def"})
        return path if _is_page(client.get(path)) else None
    fixed = {"network": network.slug, "token": token}
    base = {key: fixed[key] for key in params if key in fixed}
    record_key = next(iter(params & {"pid", "tid"}), None)
    prefix = route.partition(f":{record_key}>")[0]
    hinted = hints.get(prefix)
    models = sorted(records, key=lambda model: model is not hinted)
    for kind in KINDS if "kind" in params else [None]:
        kwargs = {**base, **({"kind": kind} if kind else {})}
        if record_key is None:
            path = reverse(name, kwargs=kwargs)
            if _is_page(client.get(path)):
                return path
            continue
        known = []
        for model in models:
            if not records[model]:
                continue
            path = reverse(name, kwargs={**kwargs, record_key: records[model][0].public_id})
            response = client.get(path)
            if _is_page(response):
                hints[prefix] = model
                return path
            if response.status_code == 405:  # an action (POST only), whatever the record
                return None
            if response.status_code != 404:
                known.append((model, TRIES_REFUSED if _refused(response) else PER_MODEL))
        refused = [model for model, tries in known if tries == TRIES_REFUSED]
        if len(refused) > 1:  # refused whatever the record: a page of another role
            known = [(model, tries) for model, tries in known if model not in refused]
        for model, tries in known:
            for row in records[model][1:tries]:
                path = reverse(name, kwargs={**kwargs, record_key: row.public_id})
                if _is_page(client.get(path)):
                    hints[prefix] = model
                    return path
    return None


def find_pages(client, user, network) -> tuple[list[str], list[str]]:
    """One URL of every pattern that opens an HTML page for `user`, and the patterns that
    open none (POST-only actions, pages of another role, downloads without an extension)."""
    if user is not None:
        client.force_login(user)
    token = _reply_token(network)
    records = _records(network)
    urls, none, hints = [API_DOCS], [], {}
    for pattern in page_patterns():
        path = _open(client, pattern, network, records, token, hints)
        if path:
            urls.append(path)
        else:
            none.append(pattern[0])
    client.logout()
    return urls, none


@pytest.fixture
def demo_users(demo_network):
    from uebergang.accounts.models import User
    from uebergang.networks import demo

    return {
        "coordination": User.objects.get(email=demo.COORDINATION_EMAIL),
        "member": User.objects.get(email=demo.MEMBER_EMAIL),
        "visitor": None,  # not signed in: the sign-in and password pages, the reply link
    }


@pytest.mark.parametrize("role", ["coordination", "member", "visitor"])
def test_every_page_fits_a_phone_and_is_accessible(
    browser, client, live_server, demo_network, demo_users, assert_accessible, role
):
    from uebergang.networks import demo

    # given: one page of every pattern the role can open
    user = demo_users[role]
    started = time.monotonic()
    paths, unopened = find_pages(client, user, demo_network)
    found_in = time.monotonic() - started
    started = time.monotonic()
    problems: list[str] = []
    timing = {"load": 0.0, "axe": 0.0}
    # when: each is opened at 320 px, then the window is 390 px wide, signed in with the form
    context = browser.new_context(
        viewport={"width": WIDTHS[0], "height": 800},
        locale="de-DE",
        timezone_id="Europe/Berlin",
        bypass_csp=True,
    )
    page = context.new_page()
    if user is not None:
        page.goto(f"{live_server.url}/konto/anmelden/")
        page.get_by_label("E-Mail-Adresse").fill(user.email)
        page.get_by_label("Passwort", exact=True).fill(demo.DEMO_PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        page.get_by_role("button", name="Abmelden").wait_for(state="attached")
    for path in paths:
        t0 = time.monotonic()
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        timing["load"] += time.monotonic() - t0
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            size = page.evaluate(SIZE)
            if size["scroll"] > size["inner"]:
                problems.append(
                    f"{width} px {path}: the page is {size['scroll']} px wide; {size['wide']}"
                )
            t0 = time.monotonic()
            try:
                assert_accessible(page)
            except AssertionError as failure:
                problems.append(f"{width} px {path}: {failure}")
            timing["axe"] += time.monotonic() - t0
    context.close()
    elapsed = time.monotonic() - started
    # then
    print(
        f"\n{role}: {len(paths)} pages found in {found_in:.0f} s, checked at {WIDTHS} px in"
        f" {elapsed:.0f} s (loading {timing['load']:.0f} s, axe {timing['axe']:.0f} s)"
    )
    print(f"{role}: no page of {len(unopened)} patterns: {', '.join(sorted(unopened))}")
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)
