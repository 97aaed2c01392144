"""The page cache never serves one person's page to another (`core.web.page_cache`).

With a real cache, every cached page (the test walks the URLconf, fills each pattern with
every record of the scenario of `test_history_visibility` and keeps the pages that set a
cache key) is rendered for person A, then for person B of the same role; B's page must equal
B's page rendered without any cache (CSRF tokens and CSP nonces aside). The people differ in
what they may see and in what is theirs: the working group's members read their own reply
notes and membership notes, a member outside the group reads neither."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import resolve, reverse

from uebergang.core import history
from uebergang.core.models import HistoryAction, NetworkScopedModel
from uebergang.core.tests.test_history_visibility import build_scenario, every_page, text_of
from uebergang.meetings.models import Invitation, Meeting

REAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAIRS = [("insider", "insider2"), ("insider", "outside"), ("coordination", "coordination2")]


def normalised(body: str) -> str:
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", body)  # masked CSRF tokens


@pytest.fixture
def people(network, make_user):
    viewers = build_scenario(network, make_user)
    meeting = Meeting.objects.get(network=network, title="Sitzung Innen")
    for who, note in (("insider", "Urlaub"), ("insider2", "telefonisch zugesagt")):
        user = viewers[who]
        history.record(
            actor=user,
            action=HistoryAction.UPDATE,
            obj=Invitation.objects.get(meeting=meeting, person__user=user),
            parent=meeting,
            changes={"reply_note": ["", note], "email": [None, user.email]},
        )
    return viewers


def all_records(network) -> list:
    from django.apps import apps

    rows = [network]
    for model in apps.get_models():
        if issubclass(model, NetworkScopedModel):
            rows += list(model.all_objects.filter(network=network).order_by("pk"))
    return rows


def cached_pages(client, user, paths) -> dict[str, str]:
    """The pages (path → text) that answer 200 with a page cache key, rendered uncached."""
    client.force_login(user)
    found = {}
    for path in paths:
        response = client.get(path)
        if (
            response.status_code == 200
            and response.context
            and "page_cache_key" in response.context
        ):
            found[path] = normalised(text_of(response)[1])
    return found


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=["-".join(p) for p in PAIRS])
def test_a_cached_page_is_never_served_to_another_person(client, network, people, a, b):
    # given: B's pages without a cache
    paths = list(every_page(network, all_records(network)))
    uncached = cached_pages(client, people[b], paths)
    # when: A fills a real cache, then B reads from it
    served = {}
    with override_settings(CACHES=REAL_CACHE):
        cache.clear()
        client.force_login(people[a])
        for path in uncached:
            client.get(path)
        client.force_login(people[b])
        for path in uncached:
            response = client.get(path)
            served[path] = normalised(text_of(response)[1])
        cache.clear()
    # then
    differing = [path for path in uncached if served[path] != uncached[path]]
    assert differing == []
    # and the walk reached the pages with a history block and the lists
    names = {resolve(path).url_name for path in uncached}
    expected_members = {
        "partner_list",
        "partner_detail",
        "person_list",
        "person_detail",
        "seat_list",
        "seat_detail",
        "record_history",
        "networkday_list",
        "networkday_detail",
        "meeting_list",
    }
    if b == "outside":
        assert expected_members <= names
    else:
        assert expected_members | {"body_list", "body_detail", "meeting_detail"} <= names
    if b.startswith("coordination"):
        assert "history" in names


def test_the_people_of_a_pair_do_see_different_pages(client, network, people):
    """A control: without per-person keys the test above would fail – the meeting page of
    the two members of the working group differs (each reads their own reply note in the
    meeting's history)."""
    meeting = Meeting.objects.get(network=network, title="Sitzung Innen")
    path = reverse("meetings:meeting_history", args=[network.slug, meeting.public_id])
    pages = {}
    for who in ("insider", "insider2"):
        client.force_login(people[who])
        response = client.get(path)
        assert response.status_code == 200, path
        pages[who] = response.content.decode()
    assert "Urlaub" in pages["insider"] and "Urlaub" not in pages["insider2"]
    assert "telefonisch zugesagt" in pages["insider2"]
    assert "telefonisch zugesagt" not in pages["insider"]


@pytest.mark.parametrize("shared", [False, True])
def test_the_key_is_per_person_unless_the_page_is_declared_the_same_for_the_role(
    rf, network, people, shared
):
    from uebergang.core.permissions import access_for
    from uebergang.core.web import page_cache

    def key(user) -> str:
        request = rf.get("/")
        request.network = network
        request.user = user
        request.access = access_for(user, network)
        request.LANGUAGE_CODE = "de"
        request.htmx = False
        request.resolver_match = None
        return page_cache(request, shared_by_role=shared)["page_cache_key"]

    same = key(people["insider"]) == key(people["insider2"])
    assert same is shared
    assert key(people["insider"]) != key(people["coordination"])
