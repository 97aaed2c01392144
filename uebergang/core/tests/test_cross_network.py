"""No page lets anyone reach into another network.

The URLs are not listed here: the test walks the URLconf and takes every pattern with a
<network> in its path, whatever app or namespace it belongs to, so a new page is checked the
day it is added. Each is
requested (GET and POST) by the coordination office of network B with the records and the slug
of network A (a <uuid:pid> takes the public id of one record of every kind, the bodies' seats,
memberships and offices included); the answer must be 403 or 404 and must not show anything
of A. A URL parameter this test does not know how to fill makes it fail, so nothing slips
through unfilled."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from uebergang.bodies import services as body_services
from uebergang.core.models import HistoryEvent, Network, NetworkScopedModel
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

D = datetime.date
KINDS = ["partner", "person", "sammelvertretung"]

A_SECRETS = [
    "Übergang Schule–Beruf Osterode am Harz",
    "Geheime Kammer Alpha",
    "Verborgene Schule Beta",
    "Nachfolgerin Gamma",
    "Xaver Geheimnis",
    "Sitz Omega",
    "Funktion Delta",
    "Geheimes Gremium Epsilon",
    "Vermerk Zeta",
    "Geheime Sitzung Eta",
    "Geheimer Netzwerktag Theta",
]


def namespace_patterns(namespace: str) -> list[tuple[str, frozenset[str]]]:
    """(name, URL parameters) of every pattern in the namespace, prefixes included."""
    found: list[tuple[str, frozenset[str]]] = []

    def params(pattern) -> set[str]:
        return set(getattr(pattern, "converters", {})) | set(pattern.regex.groupindex)

    def walk(patterns, current: str, inherited: set[str]) -> None:
        for entry in patterns:
            names = inherited | params(entry.pattern)
            if isinstance(entry, URLResolver):
                nested = ":".join(part for part in (current, entry.namespace) if part)
                walk(entry.url_patterns, nested, names)
            elif isinstance(entry, URLPattern) and current == namespace:
                found.append((entry.name or "", frozenset(names)))

    walk(get_resolver().url_patterns, "", set())
    return found


def network_patterns() -> list[tuple[str, frozenset[str]]]:
    """([namespace:]name, URL parameters) of every pattern of a network's pages, from the
    resolver (every pattern with <network> in its path, in any namespace or none; the API has
    its own walker, core/tests/test_api_routes.py)."""
    found: list[tuple[str, frozenset[str]]] = []

    def params(pattern) -> set[str]:
        return set(getattr(pattern, "converters", {})) | set(pattern.regex.groupindex)

    def walk(patterns, current: str, inherited: set[str]) -> None:
        for entry in patterns:
            names = inherited | params(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace == "api":
                    continue
                nested = ":".join(part for part in (current, entry.namespace) if part)
                walk(entry.url_patterns, nested, names)
            elif isinstance(entry, URLPattern) and "network" in names:
                assert entry.name, f"a page of a network without a name: {entry.pattern}"
                found.append((":".join(p for p in (current, entry.name) if p), frozenset(names)))

    walk(get_resolver().url_patterns, "", set())
    return found


# ([namespace:]name, URL parameters) of every page of a network.
PATTERNS = network_patterns()


def test_the_walk_takes_every_app_s_pages_from_the_resolver():
    namespaces = {name.rpartition(":")[0] for name, _params in PATTERNS}
    assert {"networks", "bodies", "meetings", "networkdays", "calendar", ""} <= namespaces
    assert "network_settings" in [name for name, _params in PATTERNS]


def test_the_walk_finds_the_registry_pages():
    # then: the walk sees the pages (and every one has a name, so it can be reversed)
    names = [name for name, _params in namespace_patterns("networks")]
    assert {
        "start",
        "partner_list",
        "partner_detail",
        "partner_edit",
        "seat_unassign",
        "record_history",
    } <= set(names)
    assert "" not in names
    assert len(names) == len(set(names))


def test_the_walk_finds_the_pages_of_the_bodies():
    # then
    names = [name for name, _params in namespace_patterns("bodies")]
    assert {
        "body_list",
        "body_detail",
        "body_edit",
        "membership_add",
        "seat_end",
        "membership_end",
        "office_end",
    } <= set(names)
    assert "" not in names
    assert len(names) == len(set(names))


@pytest.fixture
def network_a(network):
    """Network A with a record of every kind."""
    alpha = make_partner(network, "Geheime Kammer Alpha", kind="chamber")
    beta = make_partner(network, "Verborgene Schule Beta", is_party=False)
    person = make_person(network, "Xaver", "Geheimnis", organisation=alpha)
    services.representation_create(
        actor=SYSTEM,
        partner=alpha,
        person=person,
        function="Funktion Delta",
        valid_from=D(2014, 1, 1),
    )
    seat = make_seat(network, "Sitz Omega")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=beta, valid_from=D(2014, 1, 1))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=person, valid_from=D(2014, 1, 1))
    services.partner_record_succession(
        actor=SYSTEM,
        predecessor=beta,
        successor_data={"name": "Nachfolgerin Gamma"},
        date=D(2016, 11, 1),
    )
    add_body(network, "Geheimes Gremium Epsilon", alpha, person, note="Vermerk Zeta")
    add_meeting(network, "Geheimes Gremium Epsilon", person, title="Geheime Sitzung Eta")
    add_network_day(network, alpha, person, title="Geheimer Netzwerktag Theta")
    return network


def add_body(network: Network, name: str, partner, person, note: str = "") -> None:
    """A body with a seat for `partner` and `person` on it as member and chair."""
    body = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": name, "kind": "advisory_board", "valid_from": D(2015, 1, 1)},
    )
    seat = body_services.body_seat_add(
        actor=SYSTEM, body=body, partner=partner, valid_from=D(2015, 1, 1)
    )
    membership = body_services.membership_add(
        actor=SYSTEM,
        body=body,
        person=person,
        role="member",
        seat=seat,
        valid_from=D(2015, 1, 1),
        note=note,
    )
    body_services.office_assign(
        actor=SYSTEM, membership=membership, kind="chair", valid_from=D(2015, 1, 1)
    )


def add_meeting(network: Network, body_name: str, person, title: str = "Sitzung") -> None:
    """A held meeting of the body with an agenda item, a document, the invitation, the
    attendance, draft minutes and a task: a record of every kind of the meetings' pages."""
    from uebergang.bodies.models import Body
    from uebergang.meetings import services as meeting_services
    from uebergang.meetings.models import Document, Meeting
    from uebergang.meetings.tests.factories import at

    body = Body.objects.get(network=network, name=body_name)
    meeting = meeting_services.meeting_create(
        actor=SYSTEM,
        body=body,
        data={"title": title, "starts_at": at(D(2016, 3, 1), 16), "ends_at": at(D(2016, 3, 1), 18)},
    )
    item = meeting_services.agenda_item_add(actor=SYSTEM, meeting=meeting, data={"title": "TOP"})
    Document.objects.create(
        network=network,
        meeting=meeting,
        agenda_item=item,
        title="Unterlage",
        file="documents/fehlt.pdf",
        file_name="fehlt.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    meeting_services.meeting_invite(actor=SYSTEM, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting_services.attendance_record(actor=SYSTEM, meeting=meeting, people=[person])
    minutes = meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=Meeting.objects.get(pk=meeting.pk),
        expected_version=None,
        opening="Eröffnung",
        entries={item.pk: {"discussion": "Beratung"}},
    )
    decision = meeting_services.decision_add(
        actor=SYSTEM, item=item, data={"wording": f"Beschluss der {title}", "unanimous": True}
    )
    meeting_services.task_add(
        actor=SYSTEM,
        entry=minutes.entries.get(),
        description="Aufgabe",
        owner_text="Jemand",
        decision=decision,
    )


def add_network_day(network: Network, partner, person, title: str = "Netzwerktag") -> None:
    """A network day with the invitation of `partner`, `person` registered and present, and a
    calendar feed of a member: a record of every kind of the network day's and calendar pages."""
    from uebergang.accounts.models import User
    from uebergang.accounts.services import network_role_grant
    from uebergang.meetings import services as meeting_services
    from uebergang.meetings.tests.factories import at

    day = meeting_services.network_day_create(
        actor=SYSTEM,
        network=network,
        data={"title": title, "starts_at": at(D(2016, 6, 1), 9), "ends_at": at(D(2016, 6, 1), 15)},
    )
    meeting_services.network_day_invite(actor=SYSTEM, day=day)
    registration = meeting_services.registration_add(
        actor=SYSTEM, day=day, partner=partner, person=person
    )
    meeting_services.network_day_attendance(actor=SYSTEM, day=day, attended=[registration])
    user = User.objects.create_user(email=f"kalender-{network.slug}@example.org", password="x")
    network_role_grant(actor=SYSTEM, network=network, user=user, role="member")
    meeting_services.calendar_feed_create(actor=user, network=network, name="Kalender")


def records_of(network: Network) -> list:
    """One record of every network-scoped model (whatever models exist), and the network."""
    found = [network]
    for model in apps.get_models():
        if issubclass(model, NetworkScopedModel):
            row = model.all_objects.filter(network=network).order_by("pk").first()
            if row is not None:
                found.append(row)
    return found


def fingerprint(network: Network) -> list:
    """Everything of the network that a write would change."""
    rows = []
    for model in [Network, *[m for m in apps.get_models() if issubclass(m, NetworkScopedModel)]]:
        qs = (
            model.all_objects.filter(pk=network.pk)
            if model is Network
            else model.all_objects.filter(network=network)
        )
        rows += [
            (model.__name__, str(r.public_id), r.version, getattr(r, "valid_to", None))
            for r in qs.order_by("pk")
        ]
    return [rows, HistoryEvent.objects.filter(network=network).count()]


def links_between(source: Network, target: Network) -> list[str]:
    """Records of `source` that point to a record of `target`."""
    links = []
    for model in apps.get_models():
        if not issubclass(model, NetworkScopedModel):
            continue
        for field in model._meta.concrete_fields:
            related = field.related_model
            if (
                field.is_relation
                and field.name != "network"
                and related
                and issubclass(related, NetworkScopedModel)
            ):
                qs = model.all_objects.filter(network=source, **{f"{field.name}__network": target})
                links += [f"{model.__name__}.{field.name} {row.public_id}" for row in qs]
    return links


def foreign_post_data(a_records: list) -> dict:
    """A POST that names A's records in every field that takes a record."""

    def pid(model_name: str) -> str:
        return str(next(r for r in a_records if r._meta.model_name == model_name).public_id)

    partner = pid("partner")
    return {
        "partner": partner,
        "institution": partner,
        "successor": partner,
        "organisation": partner,
        "person": pid("person"),
        "constituency_seat": pid("constituencyseat"),
        "seat": pid("bodyseat"),
        "membership": pid("membership"),
        "substitute_for": pid("membership"),
        "role": "member",
        "voting": "on",
        "invitation_period_days": "14",
        "quorum_rule": "none",
        "name": "Eingeschleust",
        "first_name": "Ein",
        "last_name": "Geschleust",
        "kind": "other",
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "date": "2020-01-01",
        "reason": "left",
        "function": "Eingeschleust",
        "region": "Eingeschleust",
        "coordination_office": "Eingeschleust",
        "version": "1",
    }


def fillings(params: frozenset[str], slug: str, records: list):
    """Every way to fill the URL parameters with the given slug and records."""
    unknown = params - {"network", "pid", "kind"}
    assert not unknown, (
        f"new URL parameter(s) {sorted(unknown)}: teach test_cross_network how to fill them"
    )
    choices = {
        "network": [slug],
        "pid": [r.public_id for r in records],
        "kind": KINDS,
    }
    keys = sorted(params)
    for values in itertools.product(*(choices[k] for k in keys)):
        yield dict(zip(keys, values, strict=True))


def leaked(response) -> list[str]:
    body = response.content.decode(errors="replace")
    return [secret for secret in A_SECRETS if secret in body]


@pytest.mark.parametrize(("name", "params"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_coordination_office_of_b_cannot_reach_network_a(
    client, network_a, other_network, outsider, name, params
):
    # given
    client.force_login(outsider)
    a_records = records_of(network_a)
    before = fingerprint(network_a)
    data = foreign_post_data(a_records)
    results = []
    # when: with A's slug, and with B's own slug but A's records
    for slug in (network_a.slug, other_network.slug):
        for kwargs in fillings(params, slug, a_records):
            path = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                response = (
                    getattr(client, method)(path, data) if method == "post" else client.get(path)
                )
                results.append((slug, method, path, response.status_code, leaked(response)))
    # then
    for slug, method, path, status, secrets in results:
        reaches_into_a = slug == network_a.slug or "pid" in params
        if reaches_into_a:
            assert status in (403, 404), f"{method.upper()} {path} answered {status}"
        assert secrets == [], f"{method.upper()} {path} shows {secrets}"
    assert fingerprint(network_a) == before


@pytest.mark.parametrize(
    ("name", "params"),
    [(n, p) for n, p in PATTERNS if "pid" in p],
    ids=[n for n, p in PATTERNS if "pid" in p],
)
def test_forms_of_b_do_not_accept_records_of_a(
    client, network_a, other_network, outsider, name, params
):
    """B's own pages, posted with A's records in the form fields, change nothing of A."""
    # given: B has records of its own
    partner = make_partner(other_network, "Landkreis Anderswo")
    person = make_person(other_network, "Berta", "Bekannt")
    rep = services.representation_create(
        actor=SYSTEM, partner=partner, person=person, valid_from=D(2015, 1, 1)
    )
    seat = make_seat(other_network, "Sitz Anderswo", valid_from=D(2015, 1, 1))
    services.seat_assign(actor=SYSTEM, seat=seat, partner=partner, valid_from=D(2015, 1, 1))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=person, valid_from=D(2015, 1, 1))
    add_body(other_network, "Beirat Anderswo", partner, person)
    add_network_day(other_network, partner, person, title="Netzwerktag Anderswo")
    add_meeting(other_network, "Beirat Anderswo", person)
    b_records = [*records_of(other_network), rep]
    client.force_login(outsider)
    data = foreign_post_data(records_of(network_a))
    before = fingerprint(network_a)
    # when
    responses = []
    for kwargs in fillings(params, other_network.slug, b_records):
        path = reverse(name, kwargs=kwargs)
        responses.append((path, client.post(path, data)))
    # then
    for path, response in responses:
        assert leaked(response) == [], f"POST {path} shows {leaked(response)}"
    assert fingerprint(network_a) == before
    assert links_between(other_network, network_a) == []


@pytest.mark.parametrize("kind", ["vertretung", "zuordnung", "network", "PARTNER", "x"])
def test_unknown_kinds_of_history_are_404(coordinator_client, network_a, kind):
    # given
    partner = make_partner(network_a, "Noch eine Kammer")
    # when
    response = coordinator_client.get(
        reverse("networks:record_history", args=[network_a.slug, kind, partner.public_id])
    )
    # then
    assert response.status_code == 404


def test_a_record_of_another_kind_is_404(coordinator_client, network_a):
    # given: a person's id on the partner's pages
    pid = next(r for r in records_of(network_a) if r._meta.model_name == "person").public_id
    # when
    partner_page = coordinator_client.get(
        reverse("networks:partner_detail", args=[network_a.slug, pid])
    )
    history = coordinator_client.get(
        reverse("networks:record_history", args=[network_a.slug, "partner", pid])
    )
    # then
    assert (partner_page.status_code, history.status_code) == (404, 404)


def test_the_leak_check_sees_a_when_a_is_allowed(coordinator_client, network_a):
    """A control: A's own coordination office does see A's records on these pages."""
    # when
    response = coordinator_client.get(reverse("networks:partner_list", args=[network_a.slug]))
    # then
    assert response.status_code == 200
    assert leaked(response) == [
        "Übergang Schule–Beruf Osterode am Harz",
        "Geheime Kammer Alpha",
        "Nachfolgerin Gamma",
        "Xaver Geheimnis",
        "Funktion Delta",
    ]


def test_a_record_of_another_kind_is_404_on_the_pages_of_the_bodies(coordinator_client, network_a):
    # given: a membership's id on the body's and the seat's pages
    pid = next(r for r in records_of(network_a) if r._meta.model_name == "membership").public_id
    # when
    statuses = [
        coordinator_client.get(reverse(f"bodies:{name}", args=[network_a.slug, pid])).status_code
        for name in ("body_detail", "body_edit", "seat_end", "office_end")
    ]
    # then
    assert statuses == [404, 404, 404, 404]


def test_the_leak_check_sees_a_on_the_pages_of_the_bodies(coordinator_client, network_a):
    """A control: A's own coordination office does see A's body and its members (on the
    body's page and its history's)."""
    # given
    body = next(r for r in records_of(network_a) if r._meta.model_name == "body")
    # when
    page, history = (
        coordinator_client.get(reverse(f"bodies:{name}", args=[network_a.slug, body.public_id]))
        for name in ("body_detail", "body_history")
    )
    # then
    assert (page.status_code, history.status_code) == (200, 200)
    assert sorted(set(leaked(page) + leaked(history)), key=A_SECRETS.index) == [
        "Übergang Schule–Beruf Osterode am Harz",
        "Geheime Kammer Alpha",
        "Xaver Geheimnis",
        "Geheimes Gremium Epsilon",
        "Vermerk Zeta",
        "Geheime Sitzung Eta",
    ]
