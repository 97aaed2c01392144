"""The working groups' part of the journey: mandates, results, the way back to the advisory
board, or no working group at all."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uebergang.core.errors import Conflict, DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM, access_for, can
from uebergang.core.workqueue import collect
from uebergang.topics import rules, services
from uebergang.topics.models import Referral, ReferralRole, Topic, TopicState
from uebergang.topics.tests.factories import (
    add_working_group,
    make_topic_world,
    open_topic,
    refer,
)

DUE = datetime.date(2026, 3, 30)
LATER = datetime.date(2026, 5, 15)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        yield


@pytest.fixture
def world(network, make_user):
    w = add_working_group(make_topic_world(network, make_user), make_user)
    w.topic = open_topic(w)
    refer(w, w.topic, due=DUE)
    return w


def rows() -> list:
    found = []
    for model in (Topic, Referral):
        found += [(model.__name__, r.pk, r.version) for r in model.all_objects.order_by("pk")]
    return [*found, HistoryEvent.objects.count()]


def mandate(world, group=None, text="Einen Entwurf des Bogens erarbeiten."):
    return services.topic_refer_to_working_group(
        actor=SYSTEM,
        topic=Topic.objects.get(pk=world.topic.pk),
        expected_version=None,
        working_group=group or world.group,
        mandate=text,
        due_date=LATER,
    )


def test_mandates_results_and_the_way_back(world, coordinator):
    first = mandate(world)
    topic = Topic.objects.get(pk=world.topic.pk)
    assert topic.state == TopicState.WORKING and topic.body == world.group
    assert (first.from_body, first.role) == (world.body, ReferralRole.MANDATE)
    assert Referral.objects.get(number=1).closed_at is not None  # the statements round ended
    second = mandate(world, world.group2, "Elternsicht einholen.")
    assert Topic.objects.get(pk=topic.pk).body == world.group  # waits with both
    # the same group twice is refused
    before = rows()
    with pytest.raises(DomainError, match="schon einen offenen Arbeitsauftrag"):
        mandate(world)
    assert rows() == before
    # going back before every result is in is refused, naming the missing one
    with pytest.raises(DomainError, match="AG Übergabe, AG Eltern"):
        services.topic_return_to_advisory_board(
            actor=coordinator, topic=topic, expected_version=None
        )
    # Wanda (member of AG Übergabe) enters its result; not the other group's
    services.mandate_result(actor=world.u_wanda, referral=first, result="Der Bogen steht.")
    before = rows()
    with pytest.raises(PermissionDenied):
        services.mandate_result(actor=world.u_wanda, referral=second, result="Nein")
    assert rows() == before
    # a second entry without the version is a conflict
    with pytest.raises(Conflict):
        services.mandate_result(actor=world.u_wanda, referral=first, result="Anders")
    assert rows() == before
    services.mandate_result(actor=coordinator, referral=second, result="Eltern sind dafür.")
    back = services.topic_return_to_advisory_board(
        actor=coordinator, topic=Topic.objects.get(pk=topic.pk), expected_version=None, note="Bitte"
    )
    topic = Topic.objects.get(pk=topic.pk)
    assert topic.state == TopicState.RECOMMENDATION and topic.body == world.body
    assert (back.from_body, back.to_body, back.role) == (
        world.group,
        world.body,
        ReferralRole.RECOMMENDATION,
    )
    assert not Referral.objects.filter(
        topic=topic, role=ReferralRole.MANDATE, closed_at__isnull=True
    ).exists()
    kinds = list(
        HistoryEvent.objects.filter(parent_id=topic.public_id)
        .order_by("pk")
        .values_list("object_type", "action")
    )
    assert (
        kinds[-4:]
        == [
            ("topics.referral", "update"),
            ("topics.referral", "update"),
            ("topics.referral", "create"),
            ("topics.topic", "update"),
        ][-4:]
        or kinds
    )


def test_no_working_group_needs_a_reason(world, coordinator):
    topic = Topic.objects.get(pk=world.topic.pk)
    before = rows()
    with pytest.raises(DomainError, match="warum kein Arbeitsgremium"):
        services.topic_skip_working_groups(
            actor=coordinator, topic=topic, expected_version=None, note=""
        )
    assert rows() == before
    referral = services.topic_skip_working_groups(
        actor=coordinator, topic=topic, expected_version=None, note="Der Beirat ist sich einig."
    )
    assert referral.note == "Der Beirat ist sich einig."
    assert Topic.objects.get(pk=topic.pk).state == TopicState.RECOMMENDATION


def test_only_the_office_passes_topics_on(world):
    topic = Topic.objects.get(pk=world.topic.pk)
    before = rows()
    for actor in (world.u_wanda, world.u_anna, world.u_dieter):
        with pytest.raises(PermissionDenied):
            services.topic_refer_to_working_group(
                actor=actor,
                topic=topic,
                expected_version=None,
                working_group=world.group,
                mandate="X",
                due_date=LATER,
            )
    assert rows() == before


def test_a_working_group_sees_the_topic_and_its_queue(world, coordinator):
    topic = Topic.objects.get(pk=world.topic.pk)
    assert not can(access_for(world.u_wanda, world.network), world.network, rules.TOPIC_VIEW, topic)
    first = mandate(world)
    topic = Topic.objects.get(pk=topic.pk)
    assert can(access_for(world.u_wanda, world.network), world.network, rules.TOPIC_VIEW, topic)
    items = collect(access_for(world.u_wanda, world.network), datetime.date(2026, 3, 2))
    assert [(i.code, i.due, i.note) for i in items if i.code.startswith("topics.")] == [
        ("topics.mandate", LATER, "für „AG Übergabe“")
    ]
    # late: the office is told; once the result is in, the office is asked to return it
    office = collect(access_for(coordinator, world.network), datetime.date(2026, 6, 1))
    assert "topics.mandate_late" in [i.code for i in office]
    services.mandate_result(actor=world.u_wanda, referral=first, result="Fertig.")
    office = collect(access_for(coordinator, world.network), datetime.date(2026, 6, 1))
    codes = [i.code for i in office if i.code.startswith("topics.")]
    assert "topics.return" in codes and "topics.mandate_late" not in codes


def test_the_pages_of_the_working_groups_step(world, coordinator):
    net = world.network
    office, wanda = Client(), Client()
    office.force_login(coordinator)
    wanda.force_login(world.u_wanda)
    detail = reverse("topics:topic_detail", args=[net.slug, world.topic.public_id])
    assert "An ein Arbeitsgremium weitergeben" in office.get(detail).content.decode()
    response = office.post(
        reverse("topics:topic_refer_working", args=[net.slug, world.topic.public_id]),
        {
            "working_group": world.group.public_id,
            "mandate": "Einen Entwurf erarbeiten.",
            "due_date": "2026-05-15",
            "version": Topic.objects.get(pk=world.topic.pk).version,
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(role=ReferralRole.MANDATE)
    page = wanda.get(detail).content.decode()
    assert "Arbeitsaufträge" in page and "Einen Entwurf erarbeiten." in page
    result_url = reverse("topics:mandate_result", args=[net.slug, world.topic.public_id])
    assert f"{result_url}?auftrag={referral.public_id}" in page
    response = wanda.post(f"{result_url}?auftrag={referral.public_id}", {"result": ""})
    assert response.status_code == 200  # a clear message, nothing saved
    assert Referral.objects.get(pk=referral.pk).result_at is None
    response = wanda.post(f"{result_url}?auftrag={referral.public_id}", {"result": "Bogen fertig."})
    assert response.status_code == 302
    page = office.get(detail).content.decode()
    assert "Bogen fertig." in page and "Ergebnisse an den Beirat zurückgeben" in page
    response = office.post(
        reverse("topics:topic_return", args=[net.slug, world.topic.public_id]),
        {"version": Topic.objects.get(pk=world.topic.pk).version},
    )
    assert response.status_code == 302
    assert Topic.objects.get(pk=world.topic.pk).state == TopicState.RECOMMENDATION
    # a member of the working group may not pass the topic on
    assert (
        wanda.get(
            reverse("topics:topic_refer_working", args=[net.slug, world.topic.public_id])
        ).status_code
        == 403
    )


# --- the API --------------------------------------------------------------------------------


def test_the_working_groups_step_through_the_api(world, coordinator):
    from uebergang.topics.tests.test_api import Api, error

    office, wanda, anna = Api(coordinator), Api(world.u_wanda), Api(world.u_anna)
    t = f"/topics/{world.topic.public_id}"
    # malformed and refused input: clear errors, nothing changed
    before = rows()
    error(office.post(f"{t}/refer-working-group", {"mandate": "X"}), 422, "invalid")
    body = error(
        office.post(
            f"{t}/refer-working-group",
            {"working_group": str(world.body.public_id), "mandate": "X", "due_date": "2026-05-15"},
        ),
        422,
        "invalid",
    )
    assert "working_group" in body["field_errors"]
    error(
        anna.post(
            f"{t}/refer-working-group",
            {"working_group": str(world.group.public_id), "mandate": "X", "due_date": "2026-05-15"},
        ),
        403,
    )
    error(office.post(f"{t}/return-advisory-board", {}), 422, "invalid_transition")
    assert rows() == before
    # the office gives the mandate
    response = office.post(
        f"{t}/refer-working-group",
        {
            "working_group": str(world.group.public_id),
            "mandate": "Entwurf",
            "due_date": "2026-05-15",
        },
    )
    assert response.status_code == 201, response.content
    mandate = response.json()
    assert (mandate["role"], mandate["mandate"], mandate["result"]) == ("mandate", "Entwurf", "")
    r = f"{t}/referrals/{mandate['id']}/result"
    error(anna.put(r, {"result": "Nein"}), 403)
    error(office.post(f"{t}/return-advisory-board", {}), 422, "results_missing")
    response = wanda.put(r, {"result": "Bogen fertig."})
    assert response.status_code == 200, response.content
    assert response.json()["result_by_name"] == "Wanda Werk"
    body = error(wanda.put(r, {"result": "Anders"}), 409, "conflict")
    assert body["details"]["current"]["result"] == "Bogen fertig."
    response = wanda.put(r, {"result": "Bogen fertig, mit Elternbrief.", "version": 2})
    assert response.status_code == 200, response.content
    response = office.post(f"{t}/return-advisory-board", {"due_date": "2026-06-30"})
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "recommendation"
    seen = office.get(t).json()
    assert seen["state"] == "recommendation"
    assert [x["role"] for x in seen["referrals"]] == ["statements", "mandate", "recommendation"]


def test_skipping_the_working_groups_through_the_api(world, coordinator):
    from uebergang.topics.tests.test_api import Api, error

    office = Api(coordinator)
    t = f"/topics/{world.topic.public_id}"
    error(office.post(f"{t}/skip-working-groups", {}), 422, "invalid")
    response = office.post(f"{t}/skip-working-groups", {"note": "Einig."})
    assert response.status_code == 201, response.content
    assert office.get(t).json()["state"] == "recommendation"


def test_a_topic_with_two_working_groups_lies_with_both(world, coordinator):
    from django.test import Client
    from django.urls import reverse

    first = mandate(world)
    mandate(world, world.group2, "Elternsicht einholen.")
    client = Client()
    client.force_login(coordinator)
    slug = world.network.slug
    page = client.get(reverse("topics:topic_detail", args=[slug, world.topic.public_id]))
    assert "liegt bei AG Übergabe, AG Eltern" in page.content.decode()
    board = client.get(reverse("topics:topic_board", args=[slug])).content.decode()
    assert "AG Übergabe und 1 weiteres Arbeitsgremium" in board
    # once the first group's result is in, the topic lies with the other one
    services.mandate_result(actor=coordinator, referral=first, result="Der Bogen steht.")
    page = client.get(reverse("topics:topic_detail", args=[slug, world.topic.public_id]))
    assert "liegt bei AG Eltern ·" in page.content.decode()
    board = client.get(reverse("topics:topic_board", args=[slug])).content.decode()
    assert '<td class="kern-table__cell">AG Eltern</td>' in board
    assert (
        "und 1 weiteres"
        not in client.get(reverse("topics:topic_board", args=[slug])).content.decode()
    )
