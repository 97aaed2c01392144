"""Personal API tokens from creation to revocation: created on the page „API-Schlüssel“ or
with POST /api/v1/me/tokens, shown once and stored only as a hash; they act with exactly
their owner's rights; revoked or expired tokens, tokens of deactivated accounts and wrong
secrets get 401. The browser session works too, with the CSRF token for writes."""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from uebergang.accounts.models import ApiToken
from uebergang.accounts.services import api_token_create, api_token_revoke
from uebergang.core.models import HistoryEvent
from uebergang.networks.models import Partner
from uebergang.networks.tests.factories import make_partner

PAGE = "/konto/api-schluessel/"
ME = "/api/v1/me"
TOKENS = "/api/v1/me/tokens"
PARTNERS = "/api/v1/networks/osterode/partners"
TOKEN_RE = re.compile(r"ueb_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
UNAUTHENTICATED = {
    "code": "unauthenticated",
    "message": "Bitte melden Sie sich an oder senden Sie einen gültigen API-Schlüssel.",
    "field_errors": None,
    "details": None,
}
CSRF_SECRET = "c" * 32


@pytest.fixture
def client():
    """As browsers and scripts are: CSRF is enforced."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client, url: str, body: Any = None, **headers: Any):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def sign_in_with_csrf(client, user) -> dict[str, str]:
    """A browser session with its CSRF cookie; returns the header a browser's script sends."""
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF_SECRET
    return {"HTTP_X_CSRFTOKEN": CSRF_SECRET}


def row_values(token: ApiToken) -> list[str]:
    """Every stored value of the token row, as text."""
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    return [str(value) for value in row.values()]


# --- creating a token ------------------------------------------------------------------------


def test_the_page_creates_a_token_and_shows_it_once(client, member, network):
    # given
    sign_in_with_csrf(client, member)
    # when
    posted = client.post(PAGE, {"name": "Auswertung Excel", "csrfmiddlewaretoken": CSRF_SECRET})
    # then the browser is sent back to the page (a reload creates no second token)
    assert (posted.status_code, posted.url) == (302, PAGE)
    response = client.get(PAGE)
    # and the secret is in the page once
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = html.unescape(response.content.decode())
    found = TOKEN_RE.findall(page)
    assert len(found) == 1
    prefix, secret = found[0]
    assert "Ihr neuer Schlüssel – er wird nur dieses eine Mal angezeigt" in page
    # and stored only as a hash: no column holds the secret
    token = ApiToken.objects.get(user=member)
    assert (token.name, token.prefix, token.expires_at, token.revoked_at) == (
        "Auswertung Excel",
        prefix,
        None,
        None,
    )
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert [value for value in row_values(token) if secret in value] == []
    # and, once shown, not in the session store either
    from django.contrib.sessions.models import Session

    assert [s.pk for s in Session.objects.all() if secret in str(s.get_decoded())] == []
    # and it works
    me = Client().get(ME, **bearer(f"ueb_{prefix}_{secret}"))
    assert me.status_code == 200
    assert me.json()["email"] == "mitglied@example.org"
    # and it is not shown again
    again = html.unescape(client.get(PAGE).content.decode())
    assert TOKEN_RE.search(again) is None
    assert f"ueb_{prefix}_…" in again
    assert "Auswertung Excel" in again


def test_the_page_creates_a_token_that_expires_at_the_end_of_the_day(client, member):
    # given
    sign_in_with_csrf(client, member)
    day = timezone.localdate() + datetime.timedelta(days=30)
    # when
    client.post(
        PAGE,
        {"name": "Befristet", "expires_on": day.isoformat(), "csrfmiddlewaretoken": CSRF_SECRET},
    )
    # then
    token = ApiToken.objects.get(user=member)
    assert timezone.localtime(token.expires_at).replace(tzinfo=None) == datetime.datetime.combine(
        day, datetime.time(23, 59, 59)
    )


def test_the_page_refuses_a_past_expiry(client, member):
    # given
    sign_in_with_csrf(client, member)
    # when
    response = client.post(
        PAGE, {"name": "Abgelaufen", "expires_on": "2020-01-01", "csrfmiddlewaretoken": CSRF_SECRET}
    )
    # then
    assert response.status_code == 200
    assert "Das Ablaufdatum muss in der Zukunft liegen." in html.unescape(response.content.decode())
    assert ApiToken.objects.filter(user=member).count() == 0


def test_the_page_needs_a_signed_in_user(client, db):
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_the_api_creates_a_token_and_shows_it_once(client, member):
    # given
    _first, secret = api_token_create(actor=member, name="Erster Schlüssel")
    # when
    response = post_json(
        client, TOKENS, {"name": "Skript", "expires_at": "2099-12-31T23:00:00Z"}, **bearer(secret)
    )
    # then
    assert response.status_code == 201
    data = response.json()
    token = ApiToken.objects.get(user=member, name="Skript")
    assert data == {
        "id": str(token.public_id),
        "name": "Skript",
        "prefix": token.prefix,
        "created": data["created"],
        "expires_at": "2099-12-31T23:00:00Z",
        "revoked_at": None,
        "last_used_at": None,
        "active": True,
        "token": data["token"],
    }
    match = TOKEN_RE.fullmatch(data["token"])
    assert match is not None and match.group(1) == token.prefix
    assert token.key_hash == hashlib.sha256(match.group(2).encode()).hexdigest()
    assert [value for value in row_values(token) if match.group(2) in value] == []
    # and the list never shows a secret again
    listed = client.get(TOKENS, **bearer(data["token"])).json()
    assert [t["name"] for t in listed] == ["Skript", "Erster Schlüssel"]
    assert [sorted(t) for t in listed][0] == [
        "active",
        "created",
        "expires_at",
        "id",
        "last_used_at",
        "name",
        "prefix",
        "revoked_at",
    ]
    assert match.group(2) not in json.dumps(listed)


def test_the_api_refuses_a_past_expiry_and_a_blank_name(client, member):
    # given
    _token, secret = api_token_create(actor=member, name="Erster Schlüssel")
    # when
    past = post_json(
        client, TOKENS, {"name": "Alt", "expires_at": "2020-01-01T00:00:00Z"}, **bearer(secret)
    )
    blank = post_json(client, TOKENS, {"name": "  "}, **bearer(secret))
    # then
    assert past.status_code == 422
    assert past.json() == {
        "code": "invalid",
        "message": "Das Ablaufdatum muss in der Zukunft liegen.",
        "field_errors": {"expires_at": ["Das Ablaufdatum muss in der Zukunft liegen."]},
        "details": None,
    }
    assert blank.status_code == 422
    assert blank.json()["field_errors"] == {
        "name": ["Bitte geben Sie dem Schlüssel eine Bezeichnung."]
    }
    assert list(ApiToken.objects.filter(user=member).values_list("name", flat=True)) == [
        "Erster Schlüssel"
    ]


def test_the_api_refuses_an_expiry_without_time_zone_with_422(client, member):
    # given
    _token, secret = api_token_create(actor=member, name="Erster Schlüssel")
    # when: times are ISO 8601 with time zone (docs/api.md)
    response = post_json(
        client, TOKENS, {"name": "Ohne Zone", "expires_at": "2099-01-01T00:00:00"}, **bearer(secret)
    )
    # then: bad input, not a server error
    assert response.status_code == 422, response.content[:200]
    assert list(response.json()["field_errors"]) == ["expires_at"]
    assert not ApiToken.objects.filter(name="Ohne Zone").exists()


# --- using a token ---------------------------------------------------------------------------


def test_a_token_reads_the_account_and_its_networks(client, member, network):
    # given
    _token, secret = api_token_create(actor=member, name="Lesen")
    # when
    response = client.get(ME, **bearer(secret))
    # then
    assert response.status_code == 200
    assert response.json() == {
        "email": "mitglied@example.org",
        "display_name": "Mika Mitglied",
        "networks": [
            {"slug": "osterode", "name": "Übergang Schule–Beruf Osterode am Harz", "role": "member"}
        ],
    }


def test_using_a_token_notes_when_it_was_last_used(client, member):
    # given
    token, secret = api_token_create(actor=member, name="Lesen")
    # when
    client.get(ME, **bearer(secret))
    # then
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_a_member_token_reads_but_may_not_write(client, member, network):
    # given
    _token, secret = api_token_create(actor=member, name="Mitglied")
    history = HistoryEvent.objects.count()
    # when
    read = client.get(PARTNERS, **bearer(secret))
    write = post_json(
        client, PARTNERS, {"name": "Neuer Partner", "valid_from": "2020-01-01"}, **bearer(secret)
    )
    # then
    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {
        "code": "forbidden",
        "message": "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk.",
        "field_errors": None,
        "details": None,
    }
    assert Partner.objects.count() == 0
    assert HistoryEvent.objects.count() == history


def test_a_coordination_token_writes_in_the_name_of_its_owner(client, coordinator, network):
    # given
    _token, secret = api_token_create(actor=coordinator, name="Koordination")
    # when
    response = post_json(
        client, PARTNERS, {"name": "Neuer Partner", "valid_from": "2020-01-01"}, **bearer(secret)
    )
    # then: no CSRF token needed with a bearer token, and the history names the owner
    assert response.status_code == 201
    partner = Partner.objects.get(name="Neuer Partner")
    event = HistoryEvent.objects.get(object_id=partner.public_id)
    assert (event.actor, event.actor_name) == (coordinator, "Kim Koordinata")


def test_a_token_of_a_user_without_role_sees_no_network(client, stranger, network):
    # given
    _token, secret = api_token_create(actor=stranger, name="Niemand")
    # when
    response = client.get(PARTNERS, **bearer(secret))
    # then
    assert response.status_code == 404
    assert client.get(ME, **bearer(secret)).json()["networks"] == []


# --- tokens that do not count ----------------------------------------------------------------


@pytest.fixture
def member_secret(member, network):
    _token, secret = api_token_create(actor=member, name="Skript")
    return secret


def assert_refused(client, secret: str) -> None:
    """The token counts for nothing (writes: `test_a_token_that_counts_for_nothing_cannot_write`)."""
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 401, response.content
    assert response.json() == UNAUTHENTICATED


def test_a_revoked_token_is_401(client, member, member_secret):
    # given
    api_token_revoke(actor=member, token=ApiToken.objects.get(user=member))
    # then
    assert_refused(client, member_secret)
    assert ApiToken.objects.filter(user=member).count() == 1


def test_an_expired_token_is_401(client, member, member_secret):
    # given the token expired a minute ago
    ApiToken.objects.filter(user=member).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # then
    assert_refused(client, member_secret)


def test_a_token_that_expires_later_still_works(client, member, member_secret):
    # given
    ApiToken.objects.filter(user=member).update(
        expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    # when
    response = client.get(ME, **bearer(member_secret))
    # then
    assert response.status_code == 200


def test_a_token_of_a_deactivated_account_is_401(client, member, member_secret):
    # given
    member.is_active = False
    member.save(update_fields=["is_active"])
    # then
    assert_refused(client, member_secret)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # right prefix, wrong secret
        lambda s: s.replace("ueb_", "xyz_", 1),  # wrong label
        lambda s: s.rsplit("_", 1)[0],  # no secret
        lambda s: "ueb_" + "0" * 8 + "_" + s.split("_", 2)[2],  # unknown prefix, right secret
        lambda s: "",
        lambda s: "ueb",
    ],
    ids=["wrong-secret", "wrong-label", "no-secret", "unknown-prefix", "empty", "label-only"],
)
def test_a_wrong_token_is_401(client, member_secret, mangle):
    # then
    assert_refused(client, mangle(member_secret))


def test_a_token_is_not_accepted_as_a_query_parameter_or_cookie(client, member_secret):
    # when
    query = client.get(ME, {"token": member_secret})
    client.cookies["sessionid"] = member_secret
    cookie = client.get(ME)
    # then
    assert (query.status_code, cookie.status_code) == (401, 401)


def _revoke(member):
    api_token_revoke(actor=member, token=ApiToken.objects.get(user=member))


def _expire(member):
    ApiToken.objects.filter(user=member).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def _deactivate(member):
    member.is_active = False
    member.save(update_fields=["is_active"])


@pytest.mark.parametrize(
    "spoil,mangle",
    [
        (_revoke, str),
        (_expire, str),
        (_deactivate, str),
        (lambda member: None, lambda s: s[:-1] + ("A" if s[-1] != "A" else "B")),
        (lambda member: None, lambda s: "ueb_" + "0" * 8 + "_" + s.split("_", 2)[2]),
    ],
    ids=["revoked", "expired", "deactivated", "wrong-secret", "unknown-prefix"],
)
def test_a_token_that_counts_for_nothing_cannot_write(client, member, member_secret, spoil, mangle):
    # given
    spoil(member)
    # when a script writes with it (no session, so no CSRF token either)
    response = post_json(client, TOKENS, {"name": "Nachschub"}, **bearer(mangle(member_secret)))
    # then 401 as for a read – not a 403 about a CSRF token the script never needed
    assert response.status_code == 401, response.content
    assert response.json() == UNAUTHENTICATED
    assert ApiToken.objects.filter(name="Nachschub").count() == 0


# --- revoking a token ------------------------------------------------------------------------


def test_revoking_through_the_api(client, member, member_secret):
    # given a second token that does the revoking
    token = ApiToken.objects.get(user=member)
    _other, other_secret = api_token_create(actor=member, name="Verwaltung")
    # when
    response = post_json(client, f"{TOKENS}/{token.public_id}/revoke", **bearer(other_secret))
    # then
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["name"], data["active"]) == (str(token.public_id), "Skript", False)
    assert data["revoked_at"] is not None
    assert_refused(client, member_secret)
    assert client.get(ME, **bearer(other_secret)).status_code == 200


def test_revoking_twice_is_422(client, member, member_secret):
    # given
    token = ApiToken.objects.get(user=member)
    _other, other_secret = api_token_create(actor=member, name="Verwaltung")
    post_json(client, f"{TOKENS}/{token.public_id}/revoke", **bearer(other_secret))
    # when
    response = post_json(client, f"{TOKENS}/{token.public_id}/revoke", **bearer(other_secret))
    # then
    assert response.status_code == 422
    assert response.json() == {
        "code": "revoked",
        "message": "Dieser Schlüssel ist bereits widerrufen.",
        "field_errors": None,
        "details": None,
    }


def test_a_token_of_another_user_cannot_be_revoked_or_seen(
    client, member, coordinator, member_secret
):
    # given
    token = ApiToken.objects.get(user=member)
    _own, coordinator_secret = api_token_create(actor=coordinator, name="Koordination")
    # when
    response = post_json(client, f"{TOKENS}/{token.public_id}/revoke", **bearer(coordinator_secret))
    listed = client.get(TOKENS, **bearer(coordinator_secret)).json()
    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Diesen Schlüssel gibt es nicht.",
        "field_errors": None,
        "details": None,
    }
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert [t["name"] for t in listed] == ["Koordination"]


def test_revoking_on_the_page(client, member, member_secret):
    # given
    token = ApiToken.objects.get(user=member)
    sign_in_with_csrf(client, member)
    # when
    response = client.post(
        f"{PAGE}{token.public_id}/widerrufen/", {"csrfmiddlewaretoken": CSRF_SECRET}, follow=True
    )
    # then
    assert response.redirect_chain == [(PAGE, 302)]
    page = html.unescape(response.content.decode())
    assert "Der Schlüssel „Skript“ ist widerrufen." in page
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert_refused(Client(enforce_csrf_checks=True), member_secret)


def test_revoking_on_the_page_a_token_of_another_user_is_404(
    client, member, coordinator, member_secret
):
    # given
    token = ApiToken.objects.get(user=member)
    sign_in_with_csrf(client, coordinator)
    # when
    response = client.post(
        f"{PAGE}{token.public_id}/widerrufen/", {"csrfmiddlewaretoken": CSRF_SECRET}
    )
    # then
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- the history -----------------------------------------------------------------------------


def test_the_history_records_creation_and_revocation_without_the_secret(client, member):
    # given
    headers = sign_in_with_csrf(client, member)
    # when
    created = post_json(client, TOKENS, {"name": "Skript"}, **headers).json()
    post_json(client, f"{TOKENS}/{created['id']}/revoke", **headers)
    # then
    token = ApiToken.objects.get(public_id=created["id"])
    events = list(HistoryEvent.objects.filter(object_id=token.public_id).order_by("id"))
    assert [(e.action, e.object_type, e.actor, e.actor_name, e.network) for e in events] == [
        ("create", "accounts.apitoken", member, "Mika Mitglied", None),
        ("end", "accounts.apitoken", member, "Mika Mitglied", None),
    ]
    assert events[0].changes == {"name": [None, "Skript"], "expires_at": [None, None]}
    assert events[1].changes == {"revoked_at": [None, token.revoked_at.isoformat()]}
    assert events[0].object_repr == f"Skript ({token.prefix}…)"
    secret = created["token"].split("_", 2)[2]
    stored = json.dumps([[e.object_repr, e.changes, e.message] for e in events])
    assert secret not in stored and token.key_hash not in stored


# --- the browser session ---------------------------------------------------------------------


def test_the_session_reads_without_csrf_token(client, member, network):
    # given
    client.force_login(member)
    # when
    me = client.get(ME)
    partners = client.get(PARTNERS)
    # then
    assert me.status_code == 200
    assert me.json()["email"] == "mitglied@example.org"
    assert partners.status_code == 200


def test_the_session_writes_only_with_the_csrf_token(client, coordinator, network):
    # given a signed-in browser without the CSRF token
    client.force_login(coordinator)
    history = HistoryEvent.objects.count()
    # when
    refused = post_json(client, PARTNERS, {"name": "Ohne CSRF", "valid_from": "2020-01-01"})
    # then
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert Partner.objects.count() == 0
    assert HistoryEvent.objects.count() == history
    # when it sends the token
    headers = sign_in_with_csrf(client, coordinator)
    accepted = post_json(
        client, PARTNERS, {"name": "Mit CSRF", "valid_from": "2020-01-01"}, **headers
    )
    # then
    assert accepted.status_code == 201
    assert list(Partner.objects.values_list("name", flat=True)) == ["Mit CSRF"]


def test_the_session_creates_a_token_only_with_the_csrf_token(client, member):
    # given
    client.force_login(member)
    # when
    refused = post_json(client, TOKENS, {"name": "Ohne CSRF"})
    headers = sign_in_with_csrf(client, member)
    accepted = post_json(client, TOKENS, {"name": "Mit CSRF"}, **headers)
    # then
    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Mit CSRF"]


def test_a_deactivated_account_loses_its_session_too(client, member):
    # given
    client.force_login(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    # when
    response = client.get(ME)
    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_no_session_and_no_token_is_401_for_reads_and_writes(client, network):
    # given a partner to write about
    partner = make_partner(network, "Landkreis Osterode am Harz")
    # when
    read = client.get(PARTNERS)
    write = client.patch(
        f"{PARTNERS}/{partner.public_id}",
        json.dumps({"version": 1, "phone": "1"}),
        content_type="application/json",
    )
    # then: 401, also for a write (a missing CSRF token does not matter without a session)
    assert (read.status_code, read.json()) == (401, UNAUTHENTICATED)
    assert (write.status_code, write.json()) == (401, UNAUTHENTICATED)
