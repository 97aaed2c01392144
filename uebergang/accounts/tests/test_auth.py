"""Signing in and out, the password reset by e-mail, the lockout after failed attempts, and the
password hashing of the real settings."""

from __future__ import annotations

import html
import importlib
import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

LOGIN = "/konto/anmelden/"
LOGOUT = "/konto/abmelden/"
RESET = "/konto/passwort-vergessen/"
PASSWORD = "Geheim-Passwort-2026"
WRONG_LOGIN = "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal."


def body(response) -> str:
    return html.unescape(response.content.decode())


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- sign in / sign out ----------------------------------------------------------------------


def test_sign_in_page_is_german(client, db):
    # when
    response = client.get(LOGIN)
    # then
    assert response.status_code == 200
    text = body(response)
    assert '<html lang="de">' in text
    assert "E-Mail-Adresse" in text and "Passwort" in text and "Passwort vergessen?" in text


def test_sign_in_with_email_leads_to_the_only_network(client, coordinator, network):
    # when
    response = client.post(
        LOGIN, {"username": " Koordination@Example.org ", "password": PASSWORD}, follow=True
    )
    # then
    assert response.redirect_chain == [("/", 302), ("/n/osterode/", 302)]
    assert signed_in_user_id(client) == str(coordinator.pk)


def test_sign_in_follows_next(client, coordinator, network):
    # when
    response = client.post(
        LOGIN,
        {
            "username": "koordination@example.org",
            "password": PASSWORD,
            "next": "/n/osterode/partner/",
        },
    )
    # then
    assert (response.status_code, response.url) == (302, "/n/osterode/partner/")


def test_sign_in_refuses_a_wrong_password(client, coordinator):
    # when
    response = client.post(
        LOGIN, {"username": "koordination@example.org", "password": "falsch-falsch-falsch"}
    )
    # then
    assert response.status_code == 200
    assert WRONG_LOGIN in body(response)
    assert signed_in_user_id(client) is None


def test_sign_in_refuses_an_inactive_account(client, coordinator):
    # given
    coordinator.is_active = False
    coordinator.save()
    # when
    response = client.post(LOGIN, {"username": "koordination@example.org", "password": PASSWORD})
    # then
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_sign_out_ends_the_session(client, coordinator, network):
    # given
    client.force_login(coordinator)
    # when
    response = client.post(LOGOUT)
    # then
    assert (response.status_code, response.url) == (302, LOGIN)
    assert signed_in_user_id(client) is None
    page = client.get("/n/osterode/")
    assert (page.status_code, page.url) == (302, f"{LOGIN}?next=/n/osterode/")


def test_sign_out_needs_a_post(client, coordinator):
    # given
    client.force_login(coordinator)
    # when
    response = client.get(LOGOUT)
    # then
    assert response.status_code == 405
    assert signed_in_user_id(client) == str(coordinator.pk)


# --- password reset --------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/passwort-neu/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_by_email(client, coordinator):
    # when: ask for a link
    asked = client.post(RESET, {"email": "koordination@example.org"})
    # then
    assert (asked.status_code, asked.url) == (302, "/konto/passwort-vergessen/gesendet/")
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["koordination@example.org"],
        "Neues Passwort für uebergang",
    )
    assert message.body.startswith("Guten Tag,")
    # when: follow the link and set a new password
    opened = client.get(reset_link(message), follow=True)
    form_url = opened.redirect_chain[-1][0]
    saved = client.post(
        form_url,
        {"new_password1": "Ganz-neues-Passwort-77", "new_password2": "Ganz-neues-Passwort-77"},
    )
    # then
    assert "Neues Passwort festlegen" in body(opened)
    assert (saved.status_code, saved.url) == (302, "/konto/passwort-neu/fertig/")
    coordinator.refresh_from_db()
    assert coordinator.check_password("Ganz-neues-Passwort-77")
    assert not coordinator.check_password(PASSWORD)
    signed_in = client.post(
        LOGIN, {"username": "koordination@example.org", "password": "Ganz-neues-Passwort-77"}
    )
    assert signed_in.status_code == 302


def test_password_reset_link_works_once(client, coordinator):
    # given
    client.post(RESET, {"email": "koordination@example.org"})
    link = reset_link(mail.outbox[0])
    opened = client.get(link, follow=True)
    client.post(
        opened.redirect_chain[-1][0],
        {"new_password1": "Ganz-neues-Passwort-77", "new_password2": "Ganz-neues-Passwort-77"},
    )
    # when
    again = client.get(link, follow=True)
    # then
    assert "Dieser Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an." in body(
        again
    )


def test_password_reset_refuses_a_weak_password(client, coordinator):
    # given
    client.post(RESET, {"email": "koordination@example.org"})
    opened = client.get(reset_link(mail.outbox[0]), follow=True)
    # when
    response = client.post(
        opened.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )
    # then
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 10 Zeichen enthalten." in body(response)
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, coordinator):
    # when
    response = client.post(RESET, {"email": "unbekannt@example.org"}, follow=True)
    # then
    assert response.redirect_chain == [("/konto/passwort-vergessen/gesendet/", 302)]
    assert "Wenn es ein Konto mit dieser Adresse gibt" in body(response)
    assert mail.outbox == []


def test_password_reset_with_a_broken_link(client, db):
    # when
    response = client.get("/konto/passwort-neu/MQ/abc-def/")
    # then
    assert response.status_code == 200
    assert "Dieser Link ist ungültig oder abgelaufen." in body(response)


# --- lockout (django-axes) -------------------------------------------------------------------


def fail(client, email: str, times: int) -> list[int]:
    return [
        client.post(LOGIN, {"username": email, "password": f"falsch-{i}-falsch"}).status_code
        for i in range(times)
    ]


def test_failure_limit_is_eight(db):
    assert settings.AXES_FAILURE_LIMIT == 8


def test_seven_failures_do_not_lock_the_account(client, coordinator):
    # given
    assert fail(client, "koordination@example.org", 7) == [200] * 7
    # when
    response = client.post(LOGIN, {"username": "koordination@example.org", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(coordinator.pk)


def test_eight_failures_lock_the_account_even_for_the_right_password(client, coordinator):
    # given
    statuses = fail(client, "koordination@example.org", 8)
    # when
    response = client.post(LOGIN, {"username": "koordination@example.org", "password": PASSWORD})
    # then
    assert statuses == [200] * 7 + [429]
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in body(response)
    assert signed_in_user_id(client) is None


def test_the_lock_is_per_account(client, coordinator, member):
    # given
    fail(client, "koordination@example.org", 8)
    # when
    response = client.post(LOGIN, {"username": "mitglied@example.org", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


# --- hashing ---------------------------------------------------------------------------------


def test_argon2_is_the_first_hasher_of_the_real_settings():
    # given: the test settings use a fast hasher; the installation's settings are config.settings
    real = importlib.import_module("config.settings")
    # then
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_is_installed_and_works():
    # when
    encoded = Argon2PasswordHasher().encode("Geheim-Passwort-2026", "salzsalzsalz1234")
    # then
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("Geheim-Passwort-2026", encoded)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kurz-123", "Dieses Passwort ist zu kurz. Es muss mindestens 10 Zeichen enthalten."),
        ("qwertyuiop", "Dieses Passwort ist zu üblich."),
        ("4829173650", "Dieses Passwort ist komplett numerisch."),
    ],
)
def test_weak_passwords_are_refused_by_the_validators(password, message, db):
    # when
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    # then
    assert [m.strip() for m in exc.value.messages] == [
        message
    ]  # (Django's German text ends in a space)
