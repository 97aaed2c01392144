"""A meeting's page is cached per meeting (`meetings.cache_scopes`, `core.cachegen.scope`):
a change inside one meeting renews that meeting's page and leaves the other meetings' pages
cached; a change of anything else the page shows (a person, the body) renews them all. The
freshness of every page after each kind of change is held in
`core/tests/test_page_cache_fresh.py`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uebergang.bodies import services as body_services
from uebergang.core import cachegen
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import cache_scopes, services
from uebergang.meetings.models import (
    ActionItem,
    Invitation,
    Meeting,
    Minutes,
    MinutesEntry,
    Reply,
)
from uebergang.meetings.tests.factories import (
    days_from_today,
    make_board,
    make_held_meeting,
    make_invited_meeting,
)
from uebergang.networks import services as network_services

MEETING = cache_scopes.MEETING


@pytest.fixture
def board(network):
    return make_board(network)


def page(client, meeting: Meeting):
    return client.get(
        reverse("meetings:meeting_detail", args=[meeting.network.slug, meeting.public_id])
    )


def two_meetings(board, capture) -> tuple[Meeting, Meeting]:
    """Two invited meetings whose ids fall into different buckets (`cachegen.BUCKETS`), with
    every renewal of the set-up written (as after its commit)."""
    with capture(execute=True):
        first = make_invited_meeting(board, title="Sitzung A", day=days_from_today(20))
        second = make_invited_meeting(board, title="Sitzung B", day=days_from_today(40))
        while (second.pk - first.pk) % cachegen.BUCKETS == 0:
            second = make_invited_meeting(board, title="Sitzung B", day=days_from_today(41))
        cachegen.changed(board.network, [])  # the board's renewals too
    return first, second


def test_a_reply_in_one_meeting_leaves_the_other_meeting_s_page_cached(
    board, coordinator_client, real_cache, django_capture_on_commit_callbacks
):
    # given: both pages cached
    first, second = two_meetings(board, django_capture_on_commit_callbacks)
    for meeting in (first, second):
        assert page(coordinator_client, meeting)["X-Page-Cache"] == "miss"
        assert page(coordinator_client, meeting)["X-Page-Cache"] == "hit"
    invitation = Invitation.objects.filter(meeting=first, person=board.anna).get()
    # when: Anna answers the invitation to the first meeting
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_reply(actor=SYSTEM, invitation=invitation, reply=Reply.DECLINE)
    # then: the first page is rendered anew and shows it, the second comes from the cache
    renewed = page(coordinator_client, first)
    assert renewed["X-Page-Cache"] == "miss"
    assert page(coordinator_client, second)["X-Page-Cache"] == "hit"


OUTSIDE_WRITES = {
    # a person invited to both meetings is renamed
    "person": lambda board: network_services.person_update(
        actor=SYSTEM, person=board.anna, expected_version=None, data={"last_name": "Neu"}
    ),
    # the body of both
    "body": lambda board: body_services.body_update(
        actor=SYSTEM, body=board.body, expected_version=None, data={"name": "Beirat Neu"}
    ),
}


@pytest.mark.parametrize("change", OUTSIDE_WRITES)
def test_a_change_outside_the_meetings_renews_every_meeting_s_page(
    board, coordinator_client, real_cache, django_capture_on_commit_callbacks, change
):
    # given
    first, second = two_meetings(board, django_capture_on_commit_callbacks)
    for meeting in (first, second):
        page(coordinator_client, meeting)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        OUTSIDE_WRITES[change](board)
    # then
    for meeting in (first, second):
        assert page(coordinator_client, meeting)["X-Page-Cache"] == "miss"


def test_scope_labels_name_the_meeting_s_bucket(board):
    # given: a held meeting with minutes, an entry and a task
    meeting = make_held_meeting(board, day=days_from_today(-30))
    minutes = Minutes.objects.create(network=board.network, meeting=meeting)
    item = meeting.agenda_items.first()
    entry = MinutesEntry.objects.create(network=board.network, minutes=minutes, agenda_item=item)
    task = ActionItem.objects.create(network=board.network, entry=entry, description="Liste")
    bucket = f"{MEETING}/{meeting.pk % cachegen.BUCKETS}"
    invitation = Invitation.objects.filter(meeting=meeting).first()
    loaded = ActionItem.objects.select_related("entry__minutes").get(pk=task.pk)
    bare = ActionItem.objects.get(pk=task.pk)
    # then: a record with the meeting's id, or with it loaded, resolves without a query
    assert cachegen.scope_labels([meeting]) == {bucket}
    assert cachegen.scope_labels([invitation]) == {bucket}
    assert cachegen.scope_labels([item]) == {bucket}
    assert cachegen.scope_labels([loaded]) == {bucket}
    # one that cannot tell its meeting without a query renews every meeting's page …
    assert cachegen.scope_labels([bare]) == {f"{MEETING}/*"}
    # … unless its parent names the meeting; records outside a scope renew no scope
    assert cachegen.scope_labels([bare, meeting]) == {bucket}
    assert cachegen.scope_labels([board.anna, board.body]) == set()


def test_the_key_of_a_meeting_carries_its_bucket_and_the_whole_scope(network):
    # given
    network.cache_generations = {"epoch": 1}
    key = cachegen.key_part(network, ["networks.person"], scope=(MEETING, 5))
    # when another bucket is renewed, then not
    network.cache_generations[f"{MEETING}/6"] = 2
    assert cachegen.key_part(network, ["networks.person"], scope=(MEETING, 5)) == key
    # when its bucket, the whole scope or a kind it depends on is renewed, then so
    for label in (f"{MEETING}/5", f"{MEETING}/*", "networks.person"):
        network.cache_generations[label] = 3
        assert cachegen.key_part(network, ["networks.person"], scope=(MEETING, 5)) != key
        key = cachegen.key_part(network, ["networks.person"], scope=(MEETING, 5))


def test_a_scoped_key_without_depends_depends_on_the_kinds_outside_the_scope(network):
    # given
    network.cache_generations = {"epoch": 1, "networks.person": 2, "meetings.invitation": 3}
    # then
    assert cachegen.key_part(network, scope=(MEETING, 5)) == cachegen.key_part(
        network, cachegen.unscoped_kinds(MEETING), scope=(MEETING, 5)
    )
    before = cachegen.key_part(network, scope=(MEETING, 5))
    network.cache_generations["meetings.invitation"] = 4  # a kind inside the scope
    assert cachegen.key_part(network, scope=(MEETING, 5)) == before
    network.cache_generations["networks.person"] = 5  # one outside it
    assert cachegen.key_part(network, scope=(MEETING, 5)) != before


def test_the_meeting_page_depends_on_every_kind_outside_the_meeting():
    kinds = set(cachegen.unscoped_kinds(MEETING))
    assert {"networks.person", "networks.partner", "bodies.body", "bodies.membership"} <= kinds
    assert {"core.networksetting", "meetings.networkday"} <= kinds
    assert not {"meetings.meeting", "meetings.invitation", "meetings.minutes"} & kinds


def test_a_kind_belongs_to_one_scope_only():
    with pytest.raises(ValueError, match="already belongs"):
        cachegen.scope("meetings.invitation", "bodies.body", lambda obj: obj.pk)
