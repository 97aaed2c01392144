"""Answering an invitation through the personal links of its e-mail, without a password.

The token is signed (django.core.signing, salted), names the invitation, the meeting and the
person, and stops working after the meeting's end, when the meeting is cancelled or when the
membership no longer covers the meeting's day. Opening the link changes nothing (mail
scanners open every link); one POST with CSRF saves through `services.invitation_reply`,
which records "über persönlichen Link" in the history. Dates are relative to today, and the
clock is moved with time-machine: no test depends on the day it runs."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from uebergang.bodies import services as body_services
from uebergang.bodies.tests.factories import add_member
from uebergang.core.errors import Conflict, DomainError
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import delivery, reply_links, services
from uebergang.meetings.models import Invitation, InvitationKind, Meeting, Reply
from uebergang.meetings.tests.factories import (
    days_from_today,
    make_board,
    make_invited_meeting,
)
from uebergang.meetings.tests.test_services import refused, state
from uebergang.networks.tests.factories import make_person

pytestmark = pytest.mark.clock


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def meeting(board):
    return make_invited_meeting(board, day=days_from_today(20), title="Sitzung")


def invitation_of(meeting: Meeting, person) -> Invitation:
    return Invitation.objects.select_related("meeting", "person", "membership").get(
        meeting=meeting, person=person
    )


def token_for(meeting: Meeting, person) -> str:
    invitation = invitation_of(meeting, person)
    return reply_links.make_token(invitation, invitation.meeting)


def page(token: str, answer: str | None = None) -> str:
    url = reverse("reply_link", kwargs={"token": token})
    return f"{url}?antwort={answer}" if answer else url


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_form(client: Client, token: str, data: dict, answer: str | None = None):
    """Open the page as a browser does (the CSRF cookie), then send the form."""
    opened = client.get(page(token, answer))
    version = re.search(rb'name="version" value="(\d+)"', opened.content).group(1).decode()
    form = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "version": version}
    return client.post(page(token), {**form, **data})


def history_of(invitation: Invitation) -> list[tuple]:
    return list(
        HistoryEvent.objects.filter(object_id=invitation.public_id)
        .exclude(message__startswith="E-Mail an")
        .order_by("id")
        .values_list("actor_id", "actor_name", "message", "changes")
    )


# --- the token ---------------------------------------------------------------------------------


def test_a_token_names_invitation_meeting_person_and_the_end(board, meeting):
    invitation = invitation_of(meeting, board.anna)
    link = reply_links.read_token(reply_links.make_token(invitation, meeting))
    assert link == reply_links.ReplyLink(
        invitation=invitation.public_id,
        meeting=meeting.public_id,
        person=board.anna.public_id,
        expires=meeting.ends_at.replace(microsecond=0),
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: "x" + t,  # the payload
        lambda t: t.split(":")[0],  # no signature
        lambda t: "kein-token",
        lambda t: "",
    ],
    ids=["signature", "payload", "cut", "garbage", "empty"],
)
def test_a_changed_token_is_refused(board, meeting, change):
    token = token_for(meeting, board.anna)
    with pytest.raises(reply_links.LinkInvalid):
        reply_links.read_token(change(token))


def test_a_token_signed_for_another_purpose_is_refused(board, meeting):
    invitation = invitation_of(meeting, board.anna)
    claims = signing.loads(reply_links.make_token(invitation, meeting), salt=reply_links.SALT)
    for other in (signing.dumps(claims), signing.dumps(claims, salt="uebergang.other")):
        with pytest.raises(reply_links.LinkInvalid):
            reply_links.read_token(other)


# --- the e-mail ------------------------------------------------------------------------------


def test_the_invitation_mail_carries_one_link_per_answer(board, meeting):
    invitation = invitation_of(meeting, board.anna)
    message = delivery.invitation_mail(invitation, invitation.meeting)
    links = re.findall(
        r"^(.+): (http://localhost:8000/antwort/(\S+)/\?antwort=(\w+))$", message.text, re.M
    )
    assert [(label, word) for label, _url, _token, word in links] == [
        ("Ich nehme teil", "teilnahme"),
        ("Ich sage ab", "absage"),
        ("Mein/e Vertreter/in kommt", "vertretung"),
    ]
    for _label, url, token, _word in links:
        assert reply_links.load(token)[1] == invitation
        assert f'href="{url}"' in message.html


def test_the_substitute_answer_is_offered_only_with_a_substitute(board, meeting):
    carla = invitation_of(meeting, board.carla)  # no substitute
    labels = [label for label, _url in reply_links.links_for(carla, carla.meeting)]
    assert labels == ["Ich nehme teil", "Ich sage ab"]


def test_no_links_for_information_or_a_cancelled_meeting(board, meeting):
    school = Invitation.objects.get(meeting=meeting, kind=InvitationKind.INFORMATION, email__gt="")
    assert reply_links.links_for(school, meeting) == []
    services.meeting_cancel(actor=SYSTEM, meeting=meeting)
    anna = invitation_of(meeting, board.anna)
    assert reply_links.links_for(anna, anna.meeting) == []
    assert "/antwort/" not in delivery.invitation_mail(anna, anna.meeting).text


# --- the page: opening changes nothing -------------------------------------------------------


def test_opening_the_link_changes_nothing_and_preselects_the_answer(client, board, meeting):
    token = token_for(meeting, board.anna)
    before = state()
    for answer in ("teilnahme", "absage", "vertretung", None):
        response = client.get(page(token, answer))
        assert response.status_code == 200
    assert state() == before

    content = client.get(page(token, "absage")).content.decode()
    assert re.search(r'value="decline" id="reply-decline" checked', content)
    assert 'value="attend" id="reply-attend">' in content
    assert "Sitzung" in content and "Beirat" in content and "Anna Alt" in content
    assert "keine Antwort" in content  # the own answer so far


def test_the_page_shows_nothing_else_and_signs_nobody_in(client, board, meeting):
    token = token_for(meeting, board.anna)
    response = client.get(page(token))
    content = response.content.decode()
    # only this meeting's basic facts and her own answer: no agenda, no other invitees
    for other in ("Carla Clausen", "Bernd Berger Antwort", "Berichte aus den Schulen", "Emil"):
        assert other not in content
    assert "sessionid" not in response.cookies
    assert "_auth_user_id" not in client.session
    assert 'href="/n/' not in content  # no way into the network's pages


def test_the_page_has_a_fixed_number_of_queries(client, board, meeting, django_assert_num_queries):
    anna = token_for(meeting, board.anna)  # one substitute
    carla = token_for(meeting, board.carla)  # none
    ilse = make_person(board.network, "Ilse", "Imhof", email="ilse@example.org")
    add_member(board.body, ilse, "substitute", substitute_for=board.anna_m)
    client.get(page(anna))  # warm up (templates, translations)
    for token in (anna, carla):  # two substitutes now / none
        with django_assert_num_queries(2):  # the invitation with its rows; the substitutes
            assert client.get(page(token)).status_code == 200


# --- the page: saving ------------------------------------------------------------------------


def test_one_press_saves_the_answer_and_the_history_says_through_the_link(board, meeting):
    client = csrf_client()
    token = token_for(meeting, board.anna)
    response = post_form(client, token, {"reply": "attend", "note": "etwas später"}, "teilnahme")
    assert response.status_code == 302
    assert response["Location"] == page(token) + "?gespeichert=1"

    anna = invitation_of(meeting, board.anna)
    assert (anna.reply, anna.reply_note, anna.substitute) == ("attend", "etwas später", None)
    assert history_of(anna)[-1] == (
        None,
        "Anna Alt",
        "über persönlichen Link",
        {"reply": ["none", "attend"], "reply_note": ["", "etwas später"]},
    )
    # the saved answer selected, the message where the focus goes
    content = client.get(response["Location"]).content.decode()
    assert (
        '<div class="kern-alert kern-alert--success" role="status" id="gespeichert" '
        'tabindex="-1" autofocus>'
    ) in content
    assert "Ihre Antwort ist gespeichert: nimmt teil." in content
    assert 'value="attend" id="reply-attend" checked' in content
    assert "sessionid" not in client.cookies


def test_a_change_of_mind_is_allowed_and_recorded(board, meeting):
    client = csrf_client()
    token = token_for(meeting, board.carla)
    post_form(client, token, {"reply": "attend"})
    post_form(client, token, {"reply": "decline", "note": "krank"})
    carla = invitation_of(meeting, board.carla)
    assert (carla.reply, carla.reply_note) == ("decline", "krank")
    assert [(e[2], e[3]) for e in history_of(carla)] == [
        ("über persönlichen Link", {"reply": ["none", "attend"]}),
        (
            "über persönlichen Link",
            {"reply": ["attend", "decline"], "reply_note": ["", "krank"]},
        ),
    ]


def test_a_post_without_the_csrf_token_is_refused(board, meeting):
    client = csrf_client()
    token = token_for(meeting, board.anna)
    before = state()
    response = client.post(page(token), {"reply": "attend"})
    assert response.status_code == 403
    assert state() == before


def test_a_stale_form_does_not_overwrite(board, meeting):
    client = csrf_client()
    token = token_for(meeting, board.anna)
    opened = client.get(page(token, "teilnahme"))
    version = re.search(rb'name="version" value="(\d+)"', opened.content).group(1).decode()
    # meanwhile the office records her answer for her
    services.invitation_reply(
        actor=SYSTEM, invitation=invitation_of(meeting, board.anna), reply="decline"
    )
    before = state()
    response = client.post(
        page(token),
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "version": version,
            "reply": "attend",
        },
    )
    assert response.status_code == 409
    assert state() == before
    content = response.content.decode()
    assert "inzwischen von jemand anderem geändert" in content
    assert "Gespeichert ist jetzt: sagt ab." in content
    assert 'value="attend" id="reply-attend" checked' in content  # her input stays
    # sent again with the version now shown, it counts
    new_version = re.search(r'name="version" value="(\d+)"', content).group(1)
    assert int(new_version) == invitation_of(meeting, board.anna).version
    response = client.post(
        page(token),
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "version": new_version,
            "reply": "attend",
        },
    )
    assert response.status_code == 302
    assert invitation_of(meeting, board.anna).reply == "attend"


@pytest.mark.parametrize(
    "change",
    [lambda t: t[:-2] + "xx", lambda t: "A" + t[1:], lambda t: "nix"],
    ids=["signature", "payload", "garbage"],
)
def test_a_tampered_link_is_refused_and_changes_nothing(client, board, meeting, change):
    token = change(token_for(meeting, board.anna))
    before = state()
    assert client.get(page(token)).status_code == 404
    response = client.post(page(token), {"reply": "attend"})
    assert response.status_code == 404
    assert "Dieser Link ist ungültig" in response.content.decode()
    assert state() == before


def test_the_link_expires_with_the_meeting(client, board, meeting):
    token = token_for(meeting, board.anna)
    before = state()
    with time_machine.travel(meeting.ends_at - datetime.timedelta(minutes=1), tick=False):
        assert client.get(page(token)).status_code == 200
    with time_machine.travel(meeting.ends_at, tick=False):
        response = client.get(page(token))
        assert response.status_code == 410
        assert "Die Sitzung ist vorbei" in response.content.decode()
        assert client.post(page(token), {"reply": "attend"}).status_code == 410
    assert state() == before


def test_a_link_stops_at_the_end_it_names_even_if_the_meeting_moves_later(board, meeting):
    invitation = invitation_of(meeting, board.anna)
    token = reply_links.make_token(invitation, meeting)
    old_end = meeting.ends_at
    services.meeting_update(
        actor=SYSTEM,
        meeting=meeting,
        expected_version=meeting.version,
        data={
            "starts_at": meeting.starts_at + datetime.timedelta(days=7),
            "ends_at": meeting.ends_at + datetime.timedelta(days=7),
        },
    )
    with time_machine.travel(old_end + datetime.timedelta(hours=1), tick=False):
        with pytest.raises(reply_links.LinkClosed):
            reply_links.load(token)
        # the update's e-mail carries a new link, valid until the new end
        fresh = invitation_of(meeting, board.anna)
        assert reply_links.load(reply_links.make_token(fresh, fresh.meeting))[1] == fresh


def test_the_link_stops_when_the_meeting_is_cancelled(client, board, meeting):
    token = token_for(meeting, board.anna)
    services.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Zu wenige Zusagen")
    before = state()
    response = client.get(page(token))
    assert response.status_code == 410
    assert "abgesagt" in response.content.decode()
    assert client.post(page(token), {"reply": "attend"}).status_code == 410
    assert state() == before


def test_the_link_stops_when_the_membership_ends(client, board, meeting):
    token = token_for(meeting, board.emil)
    body_services.membership_end(actor=SYSTEM, membership=board.emil_m, valid_to=days_from_today(0))
    before = state()
    response = client.get(page(token))
    assert response.status_code == 410
    assert "Mitgliedschaft" in response.content.decode()
    assert client.post(page(token), {"reply": "decline"}).status_code == 410
    assert state() == before


# --- the substitute --------------------------------------------------------------------------


def test_with_one_substitute_the_substitute_answer_names_them_and_tells_them(
    board, meeting, django_capture_on_commit_callbacks
):
    client = csrf_client()
    token = token_for(meeting, board.anna)
    content = client.get(page(token, "vertretung")).content.decode()
    assert 'value="substitute" id="reply-substitute" checked' in content
    assert "Ihr/e Vertreter/in: Bernd Berger." in content
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, token, {"reply": "substitute", "note": "Termin beim Kammertag"})
    anna = invitation_of(meeting, board.anna)
    assert (anna.reply, anna.substitute) == ("substitute", board.bernd_m)
    [notice] = mail.outbox
    assert notice.to == ["bernd.berger@example.org"]
    assert notice.subject.startswith("Vertreter/in: Beirat – Sitzung am ")
    assert "Anna Alt kann an der Sitzung des Gremiums Beirat nicht teilnehmen" in notice.body
    assert "Termin beim Kammertag" in notice.body
    assert history_of(anna)[-1][1:3] == (
        "System",
        "Vertreter/in Bernd Berger per E-Mail an bernd.berger@example.org benachrichtigt.",
    )
    assert history_of(anna)[-2][3]["substitute"] == [None, str(board.bernd_m)]


def test_with_several_substitutes_the_member_picks_who_comes(
    board, meeting, django_capture_on_commit_callbacks
):
    ilse = make_person(board.network, "Ilse", "Imhof", email="ilse@example.org")
    ilse_m = add_member(board.body, ilse, "substitute", substitute_for=board.anna_m)
    client = csrf_client()
    token = token_for(meeting, board.anna)
    content = client.get(page(token, "vertretung")).content.decode()
    assert "Wer vertritt Sie?" in content
    assert f'value="{ilse_m.public_id}"' in content
    assert f'value="{board.bernd_m.public_id}"' in content

    before = state()
    response = post_form(client, token, {"reply": "substitute"})
    assert response.status_code == 422
    assert "Bitte wählen Sie, wer Sie vertritt." in response.content.decode()
    assert state() == before

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(
            client, token, {"reply": "substitute", "substitute": str(ilse_m.public_id)}
        )
    assert response.status_code == 302
    assert invitation_of(meeting, board.anna).substitute == ilse_m
    assert [m.to for m in mail.outbox] == [["ilse@example.org"]]


def test_without_a_substitute_the_page_points_to_the_office(client, board, meeting):
    token = token_for(meeting, board.carla)
    content = client.get(page(token, "vertretung")).content.decode()
    assert "Koordinierungsstelle" in content and "eine/n Vertreter/in benennen" in content
    assert 'value="substitute"' not in content
    assert "checked" not in content  # "vertretung" preselects nothing here


# --- the service -----------------------------------------------------------------------------


def test_the_service_refuses_a_link_for_another_invitation(board, meeting):
    anna = invitation_of(meeting, board.anna)
    link = reply_links.read_token(reply_links.make_token(anna, meeting))
    carla = invitation_of(meeting, board.carla)
    refused(
        lambda: services.invitation_reply(
            actor=reply_links.as_actor(carla), invitation=carla, reply="decline", link=link
        ),
        reply_links.LinkInvalid,
    )


def test_the_service_checks_the_link_again_under_its_locks(board, meeting):
    anna = invitation_of(meeting, board.anna)
    link = reply_links.read_token(reply_links.make_token(anna, meeting))
    services.meeting_cancel(actor=SYSTEM, meeting=meeting)
    refused(
        lambda: services.invitation_reply(
            actor=reply_links.as_actor(anna), invitation=anna, reply="attend", link=link
        ),
        reply_links.LinkClosed,
    )


def test_the_service_refuses_a_stale_version(board, meeting):
    anna = invitation_of(meeting, board.anna)
    stale = anna.version
    services.invitation_reply(actor=SYSTEM, invitation=anna, reply="attend")
    refused(
        lambda: services.invitation_reply(
            actor=SYSTEM, invitation=anna, reply="decline", expected_version=stale
        ),
        Conflict,
    )


def test_the_service_refuses_someone_who_is_no_substitute(board, meeting):
    anna = invitation_of(meeting, board.anna)
    error = refused(
        lambda: services.invitation_reply(
            actor=SYSTEM, invitation=anna, reply="substitute", substitute=board.carla_m
        ),
        DomainError,
    )
    assert error.field_errors == {"substitute": ["Diese Person vertritt Sie am Sitzungstag nicht."]}


# --- the API ---------------------------------------------------------------------------------


def api(token: str) -> str:
    return f"/api/v1/reply-links/{token}"


ERROR_KEYS = ["code", "message", "field_errors", "details"]


def test_api_reads_the_own_invitation_without_signing_in(client, board, meeting):
    token = token_for(meeting, board.anna)
    before = state()
    response = client.get(api(token))
    assert response.status_code == 200
    data = response.json()
    assert state() == before
    anna = invitation_of(meeting, board.anna)
    assert {k: data[k] for k in ("invitation", "name", "body", "title", "reply", "state")} == {
        "invitation": str(anna.public_id),
        "name": "Anna Alt",
        "body": "Beirat",
        "title": "Sitzung",
        "reply": "none",
        "state": "invited",
    }
    assert data["substitutes"] == [{"id": str(board.bernd_m.public_id), "name": "Bernd Berger"}]
    assert data["answerable"] is True
    assert data["version"] == anna.version


def test_api_answers_and_records_through_the_link(client, board, meeting):
    token = token_for(meeting, board.anna)
    version = client.get(api(token)).json()["version"]
    response = client.post(
        api(token),
        {"reply": "substitute", "note": "", "version": version},
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["reply"], data["substitute"]) == ("substitute", str(board.bernd_m.public_id))
    anna = invitation_of(meeting, board.anna)
    assert history_of(anna)[-1][1:3] == ("Anna Alt", "über persönlichen Link")
    # the same version again: someone saved meanwhile
    stale = client.post(
        api(token), {"reply": "attend", "version": version}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert list(stale.json()) == ERROR_KEYS
    assert invitation_of(meeting, board.anna).reply == "substitute"


@pytest.mark.parametrize(
    "change",
    [lambda t: t[:-2] + "xx", lambda t: "A" + t[1:], lambda t: "nix"],
    ids=["signature", "payload", "garbage"],
)
def test_api_refuses_a_tampered_token_with_the_error_shape(client, board, meeting, change):
    token = change(token_for(meeting, board.anna))
    before = state()
    for response in (
        client.get(api(token)),
        client.post(api(token), {"reply": "attend"}, content_type="application/json"),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "code": "link_invalid",
            "message": (
                "Dieser Link ist ungültig. Bitte verwenden Sie den Link aus Ihrer Einladung."
            ),
            "field_errors": None,
            "details": None,
        }
    assert state() == before


@pytest.mark.parametrize(
    "token", ["%00", "a%20b", "ä", "x" * 501], ids=["nul", "space", "umlaut", "long"]
)
def test_api_refuses_what_is_no_token_at_all_with_422(client, token):
    for response in (
        client.get(api(token)),
        client.post(api(token), {"reply": "attend"}, content_type="application/json"),
    ):
        assert response.status_code == 422
        body = response.json()
        assert (list(body), body["code"], list(body["field_errors"])) == (
            ERROR_KEYS,
            "invalid",
            ["token"],
        )


def test_api_refuses_an_expired_or_cancelled_link_with_410(client, board, meeting):
    token = token_for(meeting, board.anna)
    before = state()
    with time_machine.travel(meeting.ends_at + datetime.timedelta(seconds=1), tick=False):
        response = client.post(api(token), {"reply": "attend"}, content_type="application/json")
    assert response.status_code == 410
    assert response.json() == {
        "code": "link_expired",
        "message": "Die Sitzung ist vorbei; dieser Link gilt nicht mehr.",
        "field_errors": None,
        "details": None,
    }
    services.meeting_cancel(actor=SYSTEM, meeting=meeting)
    response = client.get(api(token))
    assert (response.status_code, response.json()["code"]) == (410, "meeting_cancelled")
    assert state()[0] != before[0]  # only the cancellation changed something
    assert invitation_of(meeting, board.anna).reply == Reply.NONE


def test_api_refuses_bad_input_with_422(client, board, meeting):
    token = token_for(meeting, board.carla)
    before = state()
    for payload in ({"reply": "vielleicht"}, {"reply": "substitute"}, {}):
        response = client.post(api(token), payload, content_type="application/json")
        assert response.status_code == 422, payload
        assert list(response.json()) == ERROR_KEYS
    assert state() == before


def test_no_links_once_the_membership_no_longer_covers_the_day(board, meeting):
    body_services.membership_end(actor=SYSTEM, membership=board.emil_m, valid_to=days_from_today(0))
    emil = invitation_of(meeting, board.emil)
    assert reply_links.links_for(emil, emil.meeting) == []
