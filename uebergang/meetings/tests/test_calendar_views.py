"""Calendar feeds: the page where a person creates one (for a body they may see, or for all
their meetings), sees its address once and revokes it; and the feed itself
(`/kalender/<token>.ics`), which needs no sign-in but answers 404 for an unknown or revoked
token, a deactivated account, or someone who no longer sits in the body. A poll costs the
same few queries whatever the number of meetings, and writes the last use at most hourly."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from uebergang.bodies import services as body_services
from uebergang.core.models import NetworkRole
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services
from uebergang.meetings.models import CalendarFeed, Meeting
from uebergang.meetings.tests.factories import (
    at,
    days_from_today,
    link_user,
    make_board,
    make_body,
    make_meeting,
)


def page_url(network):
    return reverse("calendar:feed_list", args=[network.slug])


def feed_url(token):
    return reverse("calendar_feed", args=[token])


def text(response) -> str:
    return html.unescape(response.content.decode())


def shown_address(response) -> str | None:
    match = re.search(r'<code class="token-secret"[^>]*>(.*?)</code>', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def events(response) -> list:
    cal = Calendar.from_ical(response.content)
    return [c for c in cal.walk("VEVENT")]


@pytest.fixture
def board(network, member):
    """The advisory board; the member is Anna (IHK seat)."""
    r = make_board(network)
    link_user(r.anna, member)
    return r


@pytest.fixture
def meeting(board):
    return make_meeting(board.body, title="Frühjahrssitzung")


@pytest.fixture
def body_feed(board, member):
    return services.calendar_feed_create(actor=member, network=board.network, body=board.body)


# --- the page --------------------------------------------------------------------------------


def test_create_a_feed_and_see_its_address_once(member_client, network, board, meeting):
    # when
    response = member_client.post(
        page_url(network), {"body": str(board.body.public_id), "name": "Outlook im Büro"}
    )
    first = member_client.get(page_url(network))
    second = member_client.get(page_url(network))
    # then
    assert response.status_code == 302
    feed = CalendarFeed.objects.get()
    assert (feed.name, feed.body, feed.revoked_at) == ("Outlook im Büro", board.body, None)
    address = shown_address(first)
    assert address is not None and address.startswith("http://testserver/kalender/")
    assert "nur dieses eine Mal angezeigt" in text(first)
    webcal = "webcal://testserver/kalender/" + address.split("/kalender/", 1)[1]
    assert f'href="{webcal}"' in text(first)
    assert 'data-copy="#abo-adresse"' in text(first)  # the "Kopieren" button (shown by JS)
    assert shown_address(second) is None
    assert "Outlook im Büro" in text(second)
    # and the address works
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.hash(token) == feed.token_hash
    assert member_client.get(feed_url(token)).status_code == 200


def test_create_a_feed_of_all_my_meetings(member_client, network, board):
    # when
    member_client.post(page_url(network), {"body": "", "name": ""})
    # then
    feed = CalendarFeed.objects.get()
    assert (feed.body, feed.name) == (None, "Meine Sitzungen")
    assert "alle meine Sitzungen" in text(member_client.get(page_url(network)))


def test_a_member_chooses_only_among_their_bodies(member_client, network, board):
    # given
    other = make_body(network, "AG Geheim", "working_group")
    # when
    page = member_client.get(page_url(network))
    response = member_client.post(page_url(network), {"body": str(other.public_id)})
    # then
    assert list(page.context["form"].fields["body"].queryset) == [board.body]
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in text(response)
    assert CalendarFeed.objects.count() == 0


def test_revoke_a_feed(member_client, network, body_feed):
    # given
    feed, token = body_feed
    # when
    response = member_client.post(
        reverse("calendar:feed_revoke", args=[network.slug, feed.public_id])
    )
    # then
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert "widerrufen am" in text(member_client.get(page_url(network)))
    assert member_client.get(feed_url(token)).status_code == 404


def test_someone_elses_feed_cannot_be_revoked(coordinator_client, network, body_feed):
    # given
    feed, _token = body_feed
    # when
    response = coordinator_client.post(
        reverse("calendar:feed_revoke", args=[network.slug, feed.public_id])
    )
    # then
    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_someone_elses_feeds_are_not_listed(coordinator_client, network, body_feed):
    assert coordinator_client.get(page_url(network)).context["feeds"] == []


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_others_get_404(client, network, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(page_url(network)).status_code == 404
    assert client.post(page_url(network), {"name": "x"}).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_signed_out_the_page_asks_to_sign_in(client, network):
    response = client.get(page_url(network))
    assert response.status_code == 302
    assert "anmelden" in response["Location"]


# --- the feed --------------------------------------------------------------------------------


def test_a_valid_token_gives_the_calendar(client, network, board, meeting, body_feed):
    # given
    feed, token = body_feed
    cancelled = make_meeting(board.body, title="Abgesagt", day=days_from_today(40))
    services.meeting_cancel(actor=SYSTEM, meeting=cancelled, reason="Krankheit")
    # when: no sign-in
    response = client.get(feed_url(token))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = {str(e["SUMMARY"]): e for e in events(response)}
    assert set(found) == {"Beirat: Frühjahrssitzung", "Beirat: Abgesagt"}
    assert str(found["Beirat: Frühjahrssitzung"]["UID"]) == meeting.uid
    assert str(found["Beirat: Abgesagt"]["STATUS"]) == "CANCELLED"
    start = found["Beirat: Frühjahrssitzung"].decoded("DTSTART")
    assert start == meeting.starts_at


def test_the_feed_of_all_my_meetings(client, network, board, member, meeting):
    # given: a meeting of another body the member does not sit in
    other = make_body(network, "AG Geheim", "working_group")
    make_meeting(other, title="Geheim")
    _feed, token = services.calendar_feed_create(actor=member, network=network)
    # when
    response = client.get(feed_url(token))
    # then
    assert [str(e["SUMMARY"]) for e in events(response)] == ["Beirat: Frühjahrssitzung"]


@pytest.mark.parametrize("token", ["unbekannt", "x" * 40, "a" * 101])
def test_an_unknown_token_is_404(client, network, body_feed, token):
    assert client.get(feed_url(token)).status_code == 404


def test_a_revoked_token_is_404(client, member, body_feed):
    # given
    feed, token = body_feed
    services.calendar_feed_revoke(actor=member, feed=feed)
    # then
    assert client.get(feed_url(token)).status_code == 404


def test_a_member_who_left_the_body_gets_404(client, board, body_feed):
    # given: Anna's membership ended yesterday
    _feed, token = body_feed
    assert client.get(feed_url(token)).status_code == 200
    body_services.membership_end(
        actor=SYSTEM, membership=board.anna_m, valid_to=days_from_today(-1)
    )
    # then
    assert client.get(feed_url(token)).status_code == 404


def test_a_deactivated_account_gets_404(client, member, body_feed):
    # given
    _feed, token = body_feed
    member.is_active = False
    member.save(update_fields=["is_active"])
    # then
    assert client.get(feed_url(token)).status_code == 404


def test_someone_no_longer_in_the_network_gets_404(client, network, member, board):
    # given
    _feed, token = services.calendar_feed_create(actor=member, network=network)
    NetworkRole.objects.filter(user=member).delete()
    # then
    assert client.get(feed_url(token)).status_code == 404


def test_only_get(client, body_feed):
    _feed, token = body_feed
    assert client.post(feed_url(token)).status_code == 405


def test_the_last_use_is_written_at_most_hourly(client, body_feed, django_assert_num_queries):
    # given
    feed, token = body_feed
    client.get(feed_url(token))
    feed.refresh_from_db()
    first = feed.last_used_at
    # when: a second poll within the hour writes nothing
    with django_assert_num_queries(4):  # feed, role, membership, meetings
        client.get(feed_url(token))
    # then
    feed.refresh_from_db()
    assert first is not None and feed.last_used_at == first
    # and after an hour it is written again
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=first - datetime.timedelta(hours=2))
    client.get(feed_url(token))
    feed.refresh_from_db()
    assert feed.last_used_at > first


def bulk_meetings(board, n: int) -> None:
    base = timezone.localdate() - datetime.timedelta(days=100)
    Meeting.objects.bulk_create(
        Meeting(
            network=board.network,
            body=board.body,
            title=f"Sitzung {i:04d}",
            starts_at=at(base + datetime.timedelta(days=i), 16),
            ends_at=at(base + datetime.timedelta(days=i), 18),
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 200])
def test_feed_queries_do_not_grow(client, board, body_feed, django_assert_num_queries, n):
    # given
    _feed, token = body_feed
    bulk_meetings(board, n)
    client.get(feed_url(token))  # the last use is written now, not below
    # when: the feed with user, network and body; the role; the membership; the meetings
    with django_assert_num_queries(4):
        response = client.get(feed_url(token))
    # then
    assert len(events(response)) == n


@pytest.mark.parametrize("n", [5, 200])
def test_all_my_meetings_feed_queries_do_not_grow(
    client, network, member, board, django_assert_num_queries, n
):
    # given
    _feed, token = services.calendar_feed_create(actor=member, network=network)
    bulk_meetings(board, n)
    client.get(feed_url(token))
    # when: the feed with user and network; the role; the meetings
    with django_assert_num_queries(3):
        response = client.get(feed_url(token))
    # then
    assert len(events(response)) == n


def test_the_rendered_feed_is_cached_until_the_data_changes(
    client,
    board,
    meeting,
    body_feed,
    real_cache,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    # given
    _feed, token = body_feed
    client.get(feed_url(token))
    # when: polled again, the meetings are not read
    with django_assert_num_queries(3):
        cached = client.get(feed_url(token))
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        services.meeting_update(
            actor=SYSTEM,
            meeting=meeting,
            expected_version=meeting.version,
            data={"title": "Verlegt"},
        )
    fresh = client.get(feed_url(token))
    # then
    assert [str(e["SUMMARY"]) for e in events(cached)] == ["Beirat: Frühjahrssitzung"]
    assert [str(e["SUMMARY"]) for e in events(fresh)] == ["Beirat: Verlegt"]


# --- one meeting: "In meinen Kalender" -------------------------------------------------------


def meeting_ics_url(network, meeting):
    return reverse("meetings:meeting_ics", args=[network.slug, meeting.public_id])


def test_a_member_takes_one_meeting_into_their_calendar(
    member_client, network, board, meeting, django_assert_num_queries
):
    # when
    with django_assert_num_queries(5):  # session, user, access, the meeting, sits in the body
        response = member_client.get(meeting_ics_url(network, meeting))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    (event,) = events(response)
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        meeting.uid,
        meeting.sequence,
        "CONFIRMED",
    )
    assert "RSVP" not in response.content.decode()
    assert "Frühjahrssitzung" in str(event["SUMMARY"])
    page = member_client.get(
        reverse("meetings:meeting_detail", args=[network.slug, meeting.public_id])
    )
    assert meeting_ics_url(network, meeting) in page.content.decode()


def test_someone_outside_the_body_gets_no_calendar_file(client, network, board, meeting):
    # given: a member of the network who does not sit in the board
    from uebergang.accounts.models import User

    outsider = User.objects.create_user(email="aussen@example.org", password="x-Passwort-123")
    NetworkRole.objects.create(network=network, user=outsider, role="member")
    client.force_login(outsider)
    # when
    response = client.get(meeting_ics_url(network, meeting))
    # then
    assert response.status_code == 403
