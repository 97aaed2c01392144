"""The session store and the auth backend read their rows as prepared queries: they must
behave exactly as Django's own (cached_db sessions, ModelBackend)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone

from uebergang.accounts.backends import ModelBackend
from uebergang.accounts.sessions import SessionStore

DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.django_db
@override_settings(CACHES=DUMMY)
def test_a_live_session_is_read_from_the_database_and_an_expired_one_is_not():
    store = SessionStore()
    store["x"] = 1
    store.save()
    assert SessionStore(store.session_key).load() == {"x": 1}

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django's store: a new key on the next save
    assert SessionStore("no-such-key-" + "x" * 20).load() == {}


@pytest.mark.django_db
def test_the_backend_finds_the_user_and_refuses_inactive_missing_and_malformed_ids(make_user):
    user = make_user("person@example.org")
    backend = ModelBackend()
    assert backend.get_user(user.pk) == user
    assert backend.get_user(str(user.pk)) == user  # as the session keeps it
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("kein-schluessel") is None
    assert backend.get_user(None) is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_user(user.pk) is None


def test_signed_in_pages_use_them(client, member, network):
    client.force_login(member)
    assert client.session["_auth_user_backend"] == "uebergang.accounts.backends.ModelBackend"
    assert client.get(f"/n/{network.slug}/").status_code == 200
