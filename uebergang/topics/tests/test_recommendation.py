"""The end of the journey: the advisory board's recommendation (recorded by the office), the
decision board's decision (adopted, with changes, rejected, or sent back for another round),
and the network's setting whether that final decision is needed at all."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uebergang.accounts.services import api_token_create
from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.netsettings import network_settings_update
from uebergang.core.permissions import SYSTEM, access_for
from uebergang.core.selectors import history_for
from uebergang.core.workqueue import collect
from uebergang.topics import services
from uebergang.topics.models import Outcome, Referral, ReferralRole, Statement, Topic, TopicState
from uebergang.topics.network_settings import FINAL_DECISION
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

DUE = datetime.date(2026, 3, 30)
BOARD_DAY = datetime.date(2026, 6, 10)
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    """A topic with the advisory board for its recommendation (no working group needed)."""
    w = make_topic_world(network, make_user)
    w.topic = open_topic(w)
    refer(w, w.topic, due=DUE)
    services.statement_save(
        actor=w.u_anna, topic=fresh(w), seat=w.ihk_seat, text="Die IHK unterstützt den Bogen."
    )
    services.topic_skip_working_groups(
        actor=SYSTEM, topic=fresh(w), expected_version=None, note="Der Beirat ist sich einig."
    )
    return w


def fresh(world) -> Topic:
    return Topic.objects.select_related("network", "body", "origin").get(pk=world.topic.pk)


def rows() -> list:
    found = []
    for model in (Topic, Referral, Statement):
        found += [(model.__name__, r.pk, r.version) for r in model.all_objects.order_by("pk")]
    return [*found, HistoryEvent.objects.count()]


def recommend(world, actor=SYSTEM, text="Den Bogen zum Schuljahr 2026/27 einführen.", **kw):
    return services.topic_recommend(
        actor=actor, topic=fresh(world), expected_version=None, recommendation=text, **kw
    )


def decide(world, outcome, text="", actor=SYSTEM, version=None):
    return services.topic_decide(
        actor=actor, topic=fresh(world), expected_version=version, outcome=outcome, text=text
    )


def test_recommendation_then_decision_closes_the_topic(world, coordinator):
    topic = recommend(world, actor=coordinator, due_date=BOARD_DAY, note="Zur Sitzung im Juni.")
    topic = fresh(world)
    assert (topic.state, topic.body) == (TopicState.DECISION, world.board)
    *_, advice, to_board = Referral.objects.filter(topic=topic).order_by("number")
    assert advice.role == ReferralRole.RECOMMENDATION and advice.closed_at is not None
    assert advice.result == "Den Bogen zum Schuljahr 2026/27 einführen."
    assert (to_board.from_body, to_board.to_body, to_board.role) == (
        world.body,
        world.board,
        ReferralRole.DECISION,
    )
    assert (to_board.due_date, to_board.note, to_board.closed_at) == (
        BOARD_DAY,
        "Zur Sitzung im Juni.",
        None,
    )
    assert to_board.snapshot_title == "Gemeinsamer Übergabebogen"
    # the office is asked to record the decision, by the board's deadline
    items = collect(access_for(coordinator, world.network), TODAY)
    assert [(i.code, i.due) for i in items if i.code.startswith("topics.")] == [
        ("topics.decide", BOARD_DAY)
    ]
    decide(world, Outcome.ADOPTED, actor=coordinator)
    topic = fresh(world)
    assert (topic.state, topic.outcome, topic.round) == (TopicState.DECIDED, Outcome.ADOPTED, 1)
    to_board.refresh_from_db()
    assert (to_board.outcome, to_board.closed_at is not None) == (Outcome.ADOPTED, True)
    assert services.possible(topic) == []
    with pytest.raises(DomainError, match="Das Thema ist abgeschlossen."):
        decide(world, Outcome.REJECTED)
    assert not [
        i for i in collect(access_for(coordinator, world.network), TODAY) if "topics" in i.code
    ]
    # every step is on record under the topic, and the advisory board's members read it
    changes = list(
        HistoryEvent.objects.filter(parent_id=topic.public_id, object_type="topics.referral")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert changes[-3:] == ["update", "create", "update"]
    events = history_for(actor=world.u_anna, obj=topic)
    assert any(e.object_type == "topics.referral" for e in events)


def test_without_a_final_decision_the_recommendation_ends_the_journey(world, coordinator):
    network_settings_update(
        actor=SYSTEM, network=world.network, values={FINAL_DECISION: False}, expected=None
    )
    assert journey_of(world) == ["recommend_final", "pause", "withdraw"]
    recommend(world, actor=coordinator, due_date=BOARD_DAY)
    topic = fresh(world)
    assert (topic.state, topic.outcome, topic.body) == (
        TopicState.DECIDED,
        Outcome.RECOMMENDED,
        world.body,
    )
    assert not Referral.objects.filter(role=ReferralRole.DECISION).exists()


def journey_of(world) -> list[str]:
    topic = fresh(world)
    topic.network = world.network  # with its settings read anew
    return services.possible(topic)


def test_sent_back_starts_another_round(world, coordinator):
    assert journey_of(world) == ["recommend", "pause", "withdraw"]
    recommend(world)
    before = rows()
    with pytest.raises(DomainError) as error:
        decide(world, Outcome.SENT_BACK, text="")
    assert error.value.field_errors == {"text": ["Bitte geben Sie an, was noch zu bearbeiten ist."]}
    with pytest.raises(DomainError, match="mit seinen Änderungen"):
        decide(world, Outcome.CHANGED)
    with pytest.raises(DomainError, match="Bitte wählen Sie"):
        decide(world, "vielleicht")
    assert rows() == before
    decide(world, Outcome.SENT_BACK, text="Bitte mit den Förderschulen abstimmen.")
    topic = fresh(world)
    assert (topic.state, topic.body, topic.round, topic.outcome) == (
        TopicState.BOARD,
        world.board,
        2,
        "",
    )
    assert Referral.objects.get(role=ReferralRole.DECISION).outcome == Outcome.SENT_BACK
    # the office is asked to hand it on again; the second round has its own statements
    items = collect(access_for(coordinator, world.network), TODAY)
    assert "topics.refer" in [i.code for i in items]
    refer(world, fresh(world), due=DUE)
    services.statement_save(
        actor=world.u_anna, topic=fresh(world), seat=world.ihk_seat, text="Zweite Runde: ja."
    )
    assert list(Statement.objects.order_by("pk").values_list("referral__number", "text")) == [
        (1, "Die IHK unterstützt den Bogen."),
        (4, "Zweite Runde: ja."),
    ]
    # the first round's statements stay readable on the topic's page
    client = Client()
    client.force_login(world.u_anna)
    page = client.get(reverse("topics:topic_detail", args=[world.network.slug, topic.public_id]))
    text = page.content.decode()
    assert "Runde 2" in text and "Die IHK unterstützt den Bogen." in text
    assert "zur weiteren Bearbeitung zurückgegeben" in text


def test_only_the_office_records_recommendation_and_decision(world):
    before = rows()
    for actor in (world.u_dieter, world.u_anna, world.u_gustav):
        with pytest.raises(PermissionDenied):
            recommend(world, actor=actor)
    assert rows() == before
    recommend(world)
    before = rows()
    for actor in (world.u_dieter, world.u_anna):
        with pytest.raises(PermissionDenied):
            decide(world, Outcome.ADOPTED, actor=actor)
    assert rows() == before


def test_a_decision_needs_the_topic_with_the_board_and_the_version_read(world):
    before = rows()
    with pytest.raises(DomainError) as error:
        decide(world, Outcome.ADOPTED)
    assert error.value.code == "invalid_transition"
    assert "Empfehlung eintragen und dem Entscheidungsgremium vorlegen" in error.value.message
    with pytest.raises(DomainError, match="Wortlaut der Empfehlung"):
        recommend(world, text="  ")
    with pytest.raises(DomainError, match="nicht vor heute"):
        recommend(world, due_date=datetime.date(2026, 3, 1))
    assert rows() == before
    recommend(world)
    stale = fresh(world).version - 1
    with pytest.raises(Conflict):
        decide(world, Outcome.ADOPTED, version=stale)
    assert rows()[-1] == HistoryEvent.objects.count()
    assert fresh(world).state == TopicState.DECISION
    # a paused topic waits; the decision comes after it is resumed
    services.topic_pause(actor=SYSTEM, topic=fresh(world), expected_version=None)
    with pytest.raises(DomainError, match="pausiert"):
        decide(world, Outcome.ADOPTED)
    services.topic_resume(actor=SYSTEM, topic=fresh(world), expected_version=None)
    decide(world, Outcome.CHANGED, text="Beschlossen, mit Elternfassung.")
    assert fresh(world).outcome == Outcome.CHANGED


def test_the_pages_of_recommendation_and_decision(world, coordinator):
    net = world.network
    office, dieter = Client(), Client()
    office.force_login(coordinator)
    dieter.force_login(world.u_dieter)
    pid = world.topic.public_id
    detail = reverse("topics:topic_detail", args=[net.slug, pid])
    recommend_url = reverse("topics:topic_recommend", args=[net.slug, pid])
    decide_url = reverse("topics:topic_decide", args=[net.slug, pid])
    assert recommend_url in office.get(detail).content.decode()
    assert recommend_url not in dieter.get(detail).content.decode()
    assert dieter.get(recommend_url).status_code == 403
    response = office.post(recommend_url, {"recommendation": "", "version": fresh(world).version})
    assert response.status_code == 200 and "Dieses Feld ist zwingend erforderlich" in (
        response.content.decode()
    )
    assert fresh(world).state == TopicState.RECOMMENDATION
    response = office.post(
        recommend_url,
        {
            "recommendation": "Einführen.",
            "due_date": "2026-06-10",
            "version": fresh(world).version,
        },
    )
    assert response.status_code == 302
    page = dieter.get(detail).content.decode()
    assert "Empfehlung und Entscheidung" in page and "Einführen." in page
    assert "noch nicht entschieden" in page
    assert dieter.post(decide_url, {"outcome": "adopted"}).status_code == 403
    response = office.post(decide_url, {"outcome": "changed", "version": fresh(world).version})
    assert response.status_code == 200  # the changes are missing: a clear message
    assert "mit seinen Änderungen" in response.content.decode()
    response = office.post(
        decide_url,
        {"outcome": "changed", "text": "Mit Elternfassung.", "version": fresh(world).version},
    )
    assert response.status_code == 302
    page = dieter.get(detail).content.decode()
    assert "mit Änderungen beschlossen" in page and "Mit Elternfassung." in page
    listed = dieter.get(reverse("topics:topic_list", args=[net.slug]), {"zeigen": "abgeschlossen"})
    assert "Gemeinsamer Übergabebogen" in listed.content.decode()


def test_the_api_of_recommendation_and_decision(world, coordinator):
    _t, secret = api_token_create(actor=coordinator, name="Tests")
    _t, dieter_secret = api_token_create(actor=world.u_dieter, name="Tests")
    client = Client(raise_request_exception=False)
    base = f"/api/v1/networks/{world.network.slug}/topics/{world.topic.public_id}"

    def post(path, body, token=secret, raw=None):
        return client.post(
            base + path,
            raw if raw is not None else json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    before = rows()
    for raw in ("[]", "{", '{"recommendation": 5}', '{"recommendation": "x", "due_date": "bald"}'):
        response = post("/recommendation", None, raw=raw)
        assert response.status_code == 422, (raw, response.content)
        assert set(response.json()) == {"code", "message", "field_errors", "details"}
    response = post("/recommendation", {"recommendation": "x"}, token=dieter_secret)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = post("/decision", {"outcome": "adopted"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_transition"
    assert rows() == before
    response = post("/recommendation", {"recommendation": "Einführen.", "due_date": "2026-06-10"})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["body"]) == (
        "decision",
        str(world.board.public_id),
    )
    response = post("/decision", {"outcome": "maybe"})
    assert response.status_code == 422 and "outcome" in response.json()["field_errors"]
    response = post("/decision", {"outcome": "rejected", "version": 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = post("/decision", {"outcome": "rejected", "text": "Zu teuer."})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["outcome"], data["outcome_label"]) == (
        "decided",
        "rejected",
        "abgelehnt",
    )
    detail = client.get(base, HTTP_AUTHORIZATION=f"Bearer {dieter_secret}").json()
    assert detail["possible"] == []
    last = detail["referrals"][-1]
    assert (last["role"], last["outcome"], last["result"]) == ("decision", "rejected", "Zu teuer.")
