"""A cached page never shows data older than its database (`core.cachegen`).

Pages declare the kinds of records they show (`depends`); a change renews the generations of
its kinds after commit. This test holds the declarations to the truth: with a real cache,
every cached page of the scenario of `test_history_visibility` is rendered (and so cached)
for the coordination office and for a member, then one kind of change is made through its
service and committed, and every page served from the cache must equal the same page
rendered without any cache (CSRF tokens and CSP nonces aside), for one change of each kind
after the other; a page that forgets a kind it shows fails here."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.test import override_settings

from uebergang.bodies import services as body_services
from uebergang.bodies.models import Body
from uebergang.core import netsettings
from uebergang.core.permissions import SYSTEM
from uebergang.core.tests.test_history_visibility import build_scenario, every_page
from uebergang.core.tests.test_page_cache_people import (
    REAL_CACHE,
    all_records,
    cached_pages,
    normalised,
    text_of,
)
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import ActionItem, Meeting, MinutesEntry
from uebergang.meetings.tests.factories import at, upload
from uebergang.networks import services as network_services
from uebergang.networks.models import ConstituencySeat, Partner, Person

D = datetime.date


def _meeting(network):
    return Meeting.objects.get(network=network, title="Sitzung Innen")


def two_of_each(records: list) -> list:
    """Two records of each kind (the scenario has two of most: one inside the member's
    working group, one outside), to keep the walk short."""
    kept: dict[type, list] = {}
    for record in records:
        if len(kept.setdefault(type(record), [])) < 2:
            kept[type(record)].append(record)
    return [r for rows in kept.values() for r in rows]


WRITES = {
    "network": lambda n: network_services.network_update(
        actor=SYSTEM, network=n, expected_version=None, data={"region": "Neue Region"}
    ),
    "partner": lambda n: network_services.partner_update(
        actor=SYSTEM,
        partner=Partner.objects.get(network=n, name="Kammer Alpha"),
        expected_version=None,
        data={"phone": "05522 960-0", "email": "neu@alpha.example"},
    ),
    "partner_rename": lambda n: network_services.partner_rename(
        actor=SYSTEM,
        partner=Partner.objects.get(network=n, name="Kammer Alpha"),
        name="Kammer Alpha Neu",
        valid_from=D(2020, 1, 1),
    ),
    "person": lambda n: network_services.person_update(
        actor=SYSTEM,
        person=Person.objects.get(network=n, first_name="Otto"),
        expected_version=None,
        data={"function": "Geschäftsführung", "last_name": "Andersen"},
    ),
    "seat": lambda n: network_services.seat_update(
        actor=SYSTEM,
        seat=ConstituencySeat.objects.get(network=n, name="Sitz Omega"),
        expected_version=None,
        data={"name": "Sitz Omega Neu"},
    ),
    "membership": lambda n: body_services.membership_add(
        actor=SYSTEM,
        body=Body.objects.get(network=n, name="Arbeitskreis Innen"),
        person=Person.objects.get(network=n, first_name="Otto"),
        role="guest",
        valid_from=D(2016, 1, 1),
    ),
    "body": lambda n: body_services.body_update(
        actor=SYSTEM,
        body=Body.objects.get(network=n, name="Arbeitskreis Innen"),
        expected_version=None,
        data={"name": "Arbeitskreis Innen Neu", "description": "Neu beschrieben"},
    ),
    "minutes": lambda n: meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=_meeting(n),
        expected_version=None,
        opening="Neue Eröffnung",
        entries={
            MinutesEntry.objects.get(minutes__meeting=_meeting(n)).agenda_item_id: {
                "discussion": "Neue Beratung"
            }
        },
    ),
    "task": lambda n: meeting_services.task_add(
        actor=SYSTEM,
        entry=MinutesEntry.objects.get(minutes__meeting=_meeting(n)),
        description="Neue Aufgabe",
        owner_text="Jemand Neues",
    ),
    "network_day": lambda n: meeting_services.network_day_create(
        actor=SYSTEM,
        network=n,
        data={
            "title": "Netzwerktag Neu",
            "starts_at": at(D(2017, 6, 1), 9),
            "ends_at": at(D(2017, 6, 1), 15),
        },
    ),
    "setting": lambda n: netsettings.network_settings_update(
        actor=SYSTEM, network=n, values={"meetings.reply_deadline_days": 5}, expected=None
    ),
    # changes inside one meeting (`meetings.cache_scopes`): its page is renewed, the other
    # meeting's page may stay cached, and every page must still be fresh
    "document": lambda n: meeting_services.document_add(
        actor=SYSTEM, meeting=_meeting(n), upload=upload("neu.pdf")
    ),
    "task_done": lambda n: meeting_services.task_set_done(
        actor=SYSTEM,
        task=ActionItem.objects.filter(entry__minutes__meeting=_meeting(n)).first(),
        done=True,
    ),
}


def test_after_each_change_every_cached_page_equals_the_page_without_cache(
    client, network, make_user, django_capture_on_commit_callbacks
):
    # given: every cached page, rendered once for each viewer (and so in the cache)
    viewers = build_scenario(network, make_user)
    paths = list(dict.fromkeys(every_page(network, two_of_each(all_records(network)))))
    watched = {}
    with override_settings(CACHES=REAL_CACHE):
        cache.clear()
        for who in ("coordination", "insider"):
            watched[who] = list(cached_pages(client, viewers[who], paths))
            paths = watched[who]  # a member's cached pages are among the office's
    assert all(watched.values())
    stale = []
    for change, write in WRITES.items():
        # when: one change, committed
        with django_capture_on_commit_callbacks(execute=True):
            write(network)
        # then: each page from the cache (which also caches its new state for the next
        # change) equals the page rendered without cache
        for who, pages in watched.items():
            client.force_login(viewers[who])
            for path in pages:
                with override_settings(CACHES=REAL_CACHE):
                    served = normalised(text_of(client.get(path))[1])
                fresh = normalised(text_of(client.get(path))[1])  # the suite's cache is off
                if served != fresh:
                    stale.append(f"{change} → {who}: {path}")
    cache.clear()
    assert not stale, "served from the cache though a change altered what they show"
