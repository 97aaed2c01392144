"""Each person reads only the history of what they may see (`core.visibility`).

Generic over the registry: every registered kind of record, every record of it and every
action of `HistoryAction` get an event (a "probe", named by its `object_repr`); each viewer
must read exactly the probes whose record the permission of its kind lets them see – in the
selectors, on every page of the app and through the API – and personal values only where
they are the coordination office or the person concerned. Besides: every field the history
records is declared personal or not, and a kind nobody declared cannot be recorded."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uebergang.bodies import services as body_services
from uebergang.core import history, visibility
from uebergang.core import selectors as history_selectors
from uebergang.core.models import HistoryAction, HistoryEvent, Network, NetworkRole
from uebergang.core.permissions import NETWORK_VIEW, SYSTEM, access_for, can
from uebergang.core.tests.test_cross_network import (
    add_body,
    add_meeting,
    add_network_day,
    network_patterns,
)
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import Invitation, Meeting
from uebergang.meetings.tests.factories import upload
from uebergang.networks import services
from uebergang.networks.tests.factories import (
    make_logo,
    make_partner,
    make_person,
    make_seat,
    person_for,
)

D = datetime.date
MASK = str(visibility.MASK)


# --- the scenario ------------------------------------------------------------------------------


def add_topic(network: Network, partner, person) -> None:
    """A topic that a decision board brought in and handed to an advisory board, with one
    statement: bodies in which none of the scenario's members sits."""
    from uebergang.topics import services as topic_services

    start = D(2014, 1, 1)
    board = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Rat Außen", "kind": "decision_board", "valid_from": start},
    )
    advisory = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "Beirat Außen", "kind": "advisory_board", "valid_from": start},
    )
    seat = body_services.body_seat_add(
        actor=SYSTEM, body=advisory, partner=partner, valid_from=start
    )
    body_services.membership_add(
        actor=SYSTEM, body=advisory, person=person, role="member", seat=seat, valid_from=start
    )
    topic = topic_services.topic_open(
        actor=SYSTEM, network=network, data={"board": board, "title": "Thema Außen"}
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    topic_services.document_add(  # handed over with the topic as a copy
        actor=SYSTEM,
        topic=topic,
        upload=SimpleUploadedFile("aussen.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        title="Unterlage Außen",
    )
    topic_services.topic_refer_to_advisory_board(
        actor=SYSTEM,
        topic=topic,
        expected_version=None,
        advisory_board=advisory,
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    topic_services.statement_save(actor=SYSTEM, topic=topic, seat=seat, text="Stellungnahme Außen")
    from uebergang.meetings import services as meeting_services

    starts = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=20)
    meeting = meeting_services.meeting_create(  # the topic on its agenda
        actor=SYSTEM,
        body=advisory,
        data={
            "title": "Sitzung Außen",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
        },
    )
    topic_services.topic_put_on_agenda(actor=SYSTEM, topic=topic, meeting=meeting)


def build_scenario(network: Network, make_user) -> dict:
    """A network with a record of every kind, two bodies and the people who look at it:
    the coordination office, two members who sit in the working group "Arbeitskreis Innen",
    a member who sits nowhere and a member with a calendar feed."""
    from uebergang.accounts.services import network_role_grant

    def grant(email: str, name: str, role: str = "member"):
        user = make_user(email, name=name)
        network_role_grant(actor=SYSTEM, network=network, user=user, role=role)
        return user

    viewers = {
        "coordination": grant("koordination@example.org", "Kim Koordinata", "coordination"),
        "coordination2": grant("koordination2@example.org", "Kai Koordinator", "coordination"),
        "insider": grant("ina@example.org", "Ina Innen"),
        "insider2": grant("ida@example.org", "Ida Innen"),
        "outside": grant("mitglied@example.org", "Mika Mitglied"),
    }
    alpha = make_partner(network, "Kammer Alpha", kind="chamber")
    beta = make_partner(network, "Schule Beta", is_party=False)
    ina = person_for(network, viewers["insider"], first_name="Ina", last_name="Innen")
    ida = person_for(network, viewers["insider2"], first_name="Ida", last_name="Innen")
    other = make_person(network, "Otto", "Anders", organisation=beta, email="otto@example.org")
    services.representation_create(
        actor=SYSTEM, partner=alpha, person=other, function="Leitung", valid_from=D(2014, 1, 1)
    )
    seat = make_seat(network, "Sitz Omega")
    services.seat_assign(actor=SYSTEM, seat=seat, partner=beta, valid_from=D(2014, 1, 1))
    services.seat_holding_create(actor=SYSTEM, seat=seat, person=other, valid_from=D(2014, 1, 1))
    services.partner_record_succession(
        actor=SYSTEM, predecessor=beta, successor_data={"name": "Schule Gamma"}, date=D(2016, 11, 1)
    )
    add_body(network, "Arbeitskreis Innen", alpha, ina, note="Urlaub bis März")
    inner = ina.memberships.get().body
    body_services.membership_add(
        actor=SYSTEM, body=inner, person=ida, role="moderator", valid_from=D(2015, 1, 1)
    )
    add_meeting(network, "Arbeitskreis Innen", ina, title="Sitzung Innen")
    add_topic(network, alpha, other)
    add_body(network, "Arbeitskreis Außen", alpha, other, note="Vermerk Außen")
    add_meeting(network, "Arbeitskreis Außen", other, title="Sitzung Außen")
    for meeting in Meeting.objects.filter(network=network):
        meeting_services.document_add(actor=SYSTEM, meeting=meeting, upload=upload("a.pdf"))
    add_network_day(network, alpha, other, title="Netzwerktag")
    make_logo(network)  # the letterhead's logo
    # the member with a calendar feed (made by add_network_day)
    viewers["feed_owner"] = NetworkRole.objects.get(
        network=network, user__email=f"kalender-{network.slug}@example.org"
    ).user
    return viewers


@pytest.fixture
def scenario(network, make_user):
    return build_scenario(network, make_user)


def guarded_kinds() -> list[visibility.HistoryKind]:
    """The registered kinds whose records belong to a network."""
    found = []
    for kind in visibility.kinds().values():
        model = apps.get_model(kind.label)
        if model is Network or any(f.name == "network" for f in model._meta.concrete_fields):
            found.append(kind)
    return found


def records_of_kind(network: Network, kind: visibility.HistoryKind) -> list:
    model = apps.get_model(kind.label)
    if model is Network:
        return [network]
    return list(model.all_objects.filter(network=network).order_by("pk"))


def add_probes(network: Network) -> dict[str, tuple[visibility.HistoryKind, object]]:
    """One event for every (kind, record, action), with every field the kind declares and a
    field nobody declared; its object_repr names it. Returns probe name → (kind, record)."""
    probes = {}
    counter = itertools.count()
    for kind in guarded_kinds():
        for obj in records_of_kind(network, kind):
            guard = kind.guard(obj)
            parent = guard if guard is not obj and hasattr(guard, "public_id") else None
            for action in HistoryAction.values:
                name = f"Sonde-{next(counter):05d}#"
                event = history.record(
                    actor=SYSTEM,
                    action=action,
                    obj=obj,
                    network=network,
                    parent=parent,
                    changes={
                        field: ["vorher", "nachher"]
                        for field in (*kind.personal, *kind.public, "undeclared")
                    },
                    message="Notiz",
                )
                HistoryEvent.objects.filter(pk=event.pk).update(object_repr=name)
                probes[name] = (kind, obj)
    return probes


def may_see(user, network: Network, kind: visibility.HistoryKind, obj) -> bool:
    return can(access_for(user, network), network, kind.permission, kind.guard(obj))


# --- declarations ----------------------------------------------------------------------------


def recorded_fields(model) -> set[str]:
    """The fields `core.history.snapshot` records of the model."""
    exclude = getattr(model, "HISTORY_EXCLUDE", frozenset())
    return {
        f.name for f in model._meta.concrete_fields if f.name not in exclude and f.name != "network"
    }


def unclassified(kind: visibility.HistoryKind) -> set[str]:
    return recorded_fields(apps.get_model(kind.label)) - kind.personal - kind.public


def test_every_recorded_field_of_every_kind_is_declared_personal_or_not():
    # when
    missing = {
        label: sorted(unclassified(kind))
        for label, kind in visibility.kinds().items()
        if unclassified(kind)
    }
    # then: a new field must be declared in the app's history_rules.py first
    assert missing == {}


def test_the_declaration_check_names_a_field_nobody_declared():
    # given: the partner's kind as it would be without a decision on its "phone"
    kind = visibility.kind_of("networks.partner")
    without_phone = visibility.HistoryKind(
        **{**kind.__dict__, "public": kind.public - {"phone"}},
    )
    # when / then
    assert unclassified(without_phone) == {"phone"}


def test_the_personal_data_is_declared_as_such():
    # then: what the issue names (addresses of recipients, notes on replies and attendance,
    # calendar keys) is personal
    declared = {label: kind.personal for label, kind in visibility.kinds().items()}
    assert {"email", "reply", "reply_note", "last_error"} <= declared["meetings.invitation"]
    assert declared["meetings.attendance"] == {"note"}
    assert {"prefix", "user"} <= declared["meetings.calendarfeed"]
    assert {"email", "note"} <= declared["meetings.registration"]
    assert {"email", "phone", "note", "user"} <= declared["networks.person"]
    assert declared["bodies.membership"] == {"note"}
    assert {"prefix", "key_hash"} <= declared["accounts.apitoken"]
    assert visibility.kind_of("meetings.invitation").personal_message is True


def test_a_field_cannot_be_both_personal_and_public():
    with pytest.raises(ValueError, match="both personal and public"):
        visibility.register_history_kind(
            "tests.nothing", permission=NETWORK_VIEW, personal={"a"}, public={"a"}
        )


def test_every_model_of_the_history_is_declared(scenario, network):
    # given: every kind the services of the scenario recorded
    labels = set(HistoryEvent.objects.values_list("object_type", flat=True))
    labels |= set(
        HistoryEvent.objects.exclude(parent_type="").values_list("parent_type", flat=True)
    )
    # then
    assert sorted(label for label in labels if not visibility.is_registered(label)) == []
    # and the scenario holds a record of every kind of a network's records (so that the
    # probes below cover it); a new kind is added to `build_scenario` or listed here
    assert sorted(k.label for k in guarded_kinds() if not records_of_kind(network, k)) == [
        "core.networksetting",  # a network keeps only changed settings; none changed here
    ]


def test_recording_a_kind_nobody_declared_is_refused(network, monkeypatch):
    # given: the partners' declaration is missing
    partner = make_partner(network, "Kammer Alpha")
    kinds = visibility.kinds()
    del kinds["networks.partner"]
    monkeypatch.setattr(visibility, "_KINDS", kinds)
    before = HistoryEvent.objects.count()
    # when / then
    with pytest.raises(LookupError, match="networks.partner"):
        history.record(actor=SYSTEM, action="other", obj=partner)
    assert HistoryEvent.objects.count() == before


# --- who reads which events ----------------------------------------------------------------------


def test_each_viewer_reads_exactly_the_events_of_the_records_they_may_see(scenario, network):
    # given
    probes = add_probes(network)
    real = list(HistoryEvent.objects.filter(network=network).exclude(object_repr__in=probes))
    for who, user in scenario.items():
        # when
        read = list(
            history_selectors.network_history(actor=access_for(user, network), network=network)
        )
        names = {e.object_repr for e in read}
        ids = {e.pk for e in read}
        # then: the probes ...
        expected = {
            name for name, (kind, obj) in probes.items() if may_see(user, network, kind, obj)
        }
        assert names & set(probes) == expected, who
        # ... and the events the services recorded, by the same rule
        for event in real:
            kind = visibility.kind_of(event.object_type)
            obj = apps.get_model(event.object_type).all_objects.filter(public_id=event.object_id)
            if obj.exists():
                assert (event.pk in ids) == may_see(user, network, kind, obj.get()), (
                    who,
                    event.object_type,
                    event.action,
                )


def test_the_rules_tell_the_viewers_apart(scenario, network):
    """A control: the scenario has something to hide from each member."""
    probes = add_probes(network)

    def seen(who: str) -> set[str]:
        return {
            n for n, (kind, obj) in probes.items() if may_see(scenario[who], network, kind, obj)
        }

    assert seen("coordination") == set(probes)
    assert seen("outside") < seen("insider") < seen("coordination")
    assert seen("feed_owner") - seen("outside") == {
        n for n, (kind, _obj) in probes.items() if kind.label == "meetings.calendarfeed"
    }


def test_personal_values_are_read_only_by_the_office_and_the_person_concerned(scenario, network):
    # given
    probes = add_probes(network)
    for who, user in scenario.items():
        access = access_for(user, network)
        own_filter = visibility._own_filter(access)
        own = (
            set()
            if access.is_coordination or own_filter is None
            else set(
                HistoryEvent.objects.filter(own_filter).values_list("object_type", "object_id")
            )
        )
        # when
        events = [
            e
            for e in history_selectors.network_history(actor=access, network=network)
            if e.object_repr in probes
        ]
        # then
        assert events, who
        for event in events:
            kind = visibility.kind_of(event.object_type)
            shown = access.is_coordination or (event.object_type, event.object_id) in own
            for field, pair in event.changes.items():
                if shown or field in kind.public:
                    assert pair == ["vorher", "nachher"], (who, kind.label, field)
                else:  # personal, or declared by nobody
                    assert pair == [MASK, MASK], (who, kind.label, field)
            assert event.message == ("Notiz" if shown or not kind.personal_message else MASK)


def test_a_member_reads_their_own_reply_note_but_not_the_other_ones(scenario, network):
    # given: both members of the working group replied with a note
    meeting = Meeting.objects.get(network=network, title="Sitzung Innen")
    for user, note in ((scenario["insider"], "Urlaub"), (scenario["insider2"], "telefonisch")):
        invitation = Invitation.objects.get(meeting=meeting, person__user=user)
        history.record(
            actor=user,
            action=HistoryAction.UPDATE,
            obj=invitation,
            parent=meeting,
            changes={"reply_note": ["", note], "email": [None, user.email]},
        )

    def notes(who: str) -> list:
        events = history_selectors.history_for(actor=scenario[who], obj=meeting, limit=None)
        return sorted(
            tuple(e.changes["reply_note"]) + tuple(e.changes["email"])
            for e in events
            if "reply_note" in e.changes
        )

    # when / then
    assert notes("insider") == [
        ("", MASK, None, MASK),
        ("", "Urlaub", None, "ina@example.org"),
    ]
    assert notes("insider2") == [
        ("", MASK, None, MASK),
        ("", "telefonisch", None, "ida@example.org"),
    ]
    assert notes("coordination") == [
        ("", "Urlaub", None, "ina@example.org"),
        ("", "telefonisch", None, "ida@example.org"),
    ]
    assert notes("outside") == []


# --- through every page and the API --------------------------------------------------------------

FILLABLE = {"network", "pid", "kind"}
# Every page (and API route) of a network whose parameters this test can fill.
PAGES = [(name, params) for name, params in network_patterns() if params <= FILLABLE]
HISTORY_KINDS = ["partner", "person", "sammelvertretung"]
API_KINDS = {
    "partners": "networks.partner",
    "people": "networks.person",
    "seats": "networks.constituencyseat",
}


def text_of(response) -> tuple[int, str]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, raw.decode(errors="replace")


def every_page(network: Network, records: list):
    for name, params in PAGES:
        choices = {
            "network": [network.slug],
            "pid": [r.public_id for r in records],
            "kind": HISTORY_KINDS,
        }
        keys = sorted(params)
        for values in itertools.product(*(choices[k] for k in keys)):
            yield reverse(name, kwargs=dict(zip(keys, values, strict=True)))


@pytest.mark.parametrize("who", ["outside", "insider"])
def test_no_page_and_no_api_route_shows_an_event_the_member_may_not_see(
    client, scenario, network, who
):
    # given
    probes = add_probes(network)
    user = scenario[who]
    hidden = [n for n, (kind, obj) in probes.items() if not may_see(user, network, kind, obj)]
    assert hidden
    records = [obj for _kind, obj in probes.values()]
    records = list({id(r): r for r in records}.values())
    client.force_login(user)
    # when: every page, with every record
    bodies = []
    for path in every_page(network, records):
        bodies.append((path, *text_of(client.get(path))))
    # ... and the API's history
    base = f"/api/v1/networks/{network.slug}"
    whole = client.get(f"{base}/history")
    for kind, label in API_KINDS.items():
        for obj in records:
            if obj._meta.label_lower == label:
                response = client.get(f"{base}/{kind}/{obj.public_id}/history?limit=500")
                assert response.status_code == 200
                bodies.append((response.request["PATH_INFO"], 200, response.content.decode()))
    # then
    assert whole.status_code == 403
    assert client.get(reverse("networks:history", args=[network.slug])).status_code == 403
    for path, _status, body in bodies:
        shown = [n for n in hidden if n in body]
        assert shown == [], f"{path} shows {len(shown)} events the member may not see"
    # and a control: the member does read probes they may see somewhere
    visible = set(probes) - set(hidden)
    assert any(n in body for _path, _status, body in bodies for n in visible)


def test_the_coordination_office_reads_the_whole_history_on_its_page_and_in_the_api(
    client, scenario, network
):
    # given
    probes = add_probes(network)
    client.force_login(scenario["coordination"])
    # when
    api = client.get(f"/api/v1/networks/{network.slug}/history?limit=1")
    page = client.get(reverse("networks:history", args=[network.slug]))
    # then
    assert api.status_code == 200
    assert api.json()["count"] == HistoryEvent.objects.filter(network=network).count()
    assert page.status_code == 200
    assert len(probes) < api.json()["count"]


# --- one query, however many events ---------------------------------------------------------


@pytest.mark.parametrize("who", ["coordination", "insider", "outside"])
def test_a_history_list_is_one_query_however_many_events(scenario, network, who):
    """One query for the network's list; a record's history is one query as well, for a
    member two: the first asks which kinds of events the record has, so that the visibility
    filter is built for those only."""
    # given: the access known (as on a page)
    access = access_for(scenario[who], network)
    meeting = Meeting.objects.get(network=network, title="Sitzung Innen")
    counts = []
    for _round in range(2):
        add_probes(network)  # more events each round
        # when
        with CaptureQueriesContext(connection) as queries:
            list(history_selectors.network_history(actor=access, network=network))
            list(history_selectors.history_for(actor=access, obj=meeting, limit=None))
        counts.append(len(queries))
    # then
    expected = 2 if who == "coordination" else 3
    assert counts == [expected, expected]


@pytest.mark.parametrize("who", ["coordination", "insider", "outside"])
def test_the_recent_lists_are_the_first_events_of_the_general_ones(scenario, network, who):
    """`recent_history_for` and `recent_network_history` (the record pages and the
    overview; one prepared query for the office) give exactly the newest events the general
    selectors give the same reader, masked alike."""
    # given: more events than the recent lists hold
    access = access_for(scenario[who], network)
    meeting = Meeting.objects.get(network=network, title="Sitzung Innen")
    for _round in range(3):
        add_probes(network)

    def seen(events) -> list[tuple]:
        return [(e.pk, e.personal_shown, e.changes) for e in events]

    # when
    recent = history_selectors.recent_history_for(actor=access, obj=meeting)
    recent_network = history_selectors.recent_network_history(actor=access, network=network)
    # then
    general = history_selectors.history_for(actor=access, obj=meeting, limit=None)
    assert seen(recent) == seen(list(general)[: history_selectors.RECENT])
    everything = list(history_selectors.network_history(actor=access, network=network))
    assert seen(recent_network) == seen(everything[: history_selectors.RECENT_IN_NETWORK])
    if who == "coordination":
        assert len(everything) > history_selectors.RECENT_IN_NETWORK
    first = history_selectors.network_history_first_page(actor=access, network=network)
    if who == "coordination":  # the history page's first page, prepared
        rows, count = first
        assert seen(rows) == seen(everything[: len(rows)])
        assert len(rows) == min(len(everything), 50)
        assert count == len(everything)
    else:
        assert first is None  # members: the general selector's filter


# --- the admin reads only -------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Network, NetworkRole, HistoryEvent])
def test_the_admin_of_networks_and_roles_is_read_only(model, make_user, network):
    # given: a platform administrator
    request = RequestFactory().get("/admin/")
    request.user = make_user("admin@example.org", superuser=True)
    model_admin = admin.site._registry[model]
    obj = model.objects.first()
    # then
    assert model_admin.has_view_permission(request, obj) is True
    assert (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request, obj),
        model_admin.has_delete_permission(request, obj),
    ) == (False, False, False)


def test_the_admin_refuses_to_change_a_network(client, make_user, network):
    # given
    client.force_login(make_user("admin@example.org", superuser=True))
    url = reverse("admin:core_network_change", args=[network.pk])
    # when
    posted = client.post(url, {"name": "Umbenannt", "slug": "x"})
    # then: it reads, but does not write
    assert client.get(url).status_code == 200
    assert posted.status_code == 403
    network.refresh_from_db()
    assert network.name == "Übergang Schule–Beruf Osterode am Harz"
    assert client.get(reverse("admin:core_network_add")).status_code == 403


def test_the_history_is_read_only_through_the_selectors_of_core():
    """Reading `HistoryEvent` directly would skip the visibility rules: only the mechanism
    itself, its selectors and the export (which copies a whole network for its office) may."""
    from pathlib import Path

    import uebergang

    root = Path(uebergang.__file__).parent
    allowed = {"core/history.py", "core/selectors.py", "core/exchange.py"}
    # when
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and "HistoryEvent.objects" in path.read_text(encoding="utf-8")
    )
    # then
    assert [path for path in readers if path not in allowed] == []
