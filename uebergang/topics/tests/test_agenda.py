"""Topics on agendas: the office puts a topic on the agenda of a coming meeting of a body it
is with (a new agenda item, linked in topics); the topic lists its meetings with the
decisions taken on the item ("vorläufig" until the minutes are approved); the meeting page
shows the topics on its agenda to those who may see them; refusals change nothing."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uebergang.accounts.services import api_token_create
from uebergang.core.errors import DomainError, PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import services as meeting_services
from uebergang.meetings.models import AgendaItem, Minutes
from uebergang.topics import services
from uebergang.topics.models import AgendaLink, Topic
from uebergang.topics.tests.factories import make_topic_world, open_topic, refer

BERLIN = datetime.timezone(datetime.timedelta(hours=1))
DUE = datetime.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN), tick=False):
        yield


def meeting_of(body, day: int, title: str = "Sitzung"):
    return meeting_services.meeting_create(
        actor=SYSTEM,
        body=body,
        data={
            "title": title,
            "starts_at": datetime.datetime(2026, 3, day, 16, 0, tzinfo=BERLIN),
            "ends_at": datetime.datetime(2026, 3, day, 18, 0, tzinfo=BERLIN),
        },
    )


@pytest.fixture
def world(network, make_user):
    w = make_topic_world(network, make_user)
    w.topic = open_topic(w)
    refer(w, w.topic, due=DUE)
    w.advisory_meeting = meeting_of(w.body, 20, "Beirat im März")
    w.board_meeting = meeting_of(w.board, 25, "Entscheidungsgremium im März")
    return w


def fresh(world) -> Topic:
    return Topic.objects.get(pk=world.topic.pk)


def rows() -> list:
    return [
        list(AgendaItem.all_objects.values_list("pk")),
        list(AgendaLink.objects.values_list("pk")),
        HistoryEvent.objects.count(),
    ]


def held_with_decision(world, link, **data):
    """The advisory board's March meeting is held (Anna present); its draft minutes carry a
    decision on the topic's item (call inside a clock after the meeting)."""
    meeting_services.attendance_record(
        actor=SYSTEM, meeting=world.advisory_meeting, people=[world.anna]
    )
    meeting_services.minutes_save(
        actor=SYSTEM,
        meeting=world.advisory_meeting,
        expected_version=None,
        opening="Begrüßung",
        entries={link.agenda_item.pk: {"discussion": "Aussprache"}},
    )
    return meeting_services.decision_add(actor=SYSTEM, item=link.agenda_item, data=data)


def test_the_office_puts_the_topic_on_the_agenda(world, coordinator):
    link = services.topic_put_on_agenda(
        actor=coordinator, topic=fresh(world), meeting=world.advisory_meeting
    )
    item = link.agenda_item
    assert (item.meeting, item.title, item.position, item.public) == (
        world.advisory_meeting,
        "Gemeinsamer Übergabebogen",
        1,
        True,
    )
    assert HistoryEvent.objects.filter(object_type="topics.agendalink").count() == 1
    before = rows()
    # not twice, not in a body it is not with, not by a member, not once it is closed
    with pytest.raises(DomainError, match="schon auf der Tagesordnung"):
        services.topic_put_on_agenda(
            actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting
        )
    with pytest.raises(DomainError, match="bei dem das Thema gerade liegt"):
        services.topic_put_on_agenda(actor=SYSTEM, topic=fresh(world), meeting=world.board_meeting)
    for actor in (world.u_dieter, world.u_anna):
        with pytest.raises(PermissionDenied):
            services.topic_put_on_agenda(
                actor=actor, topic=fresh(world), meeting=world.advisory_meeting
            )
    assert rows() == before
    later = meeting_of(world.body, 27)
    services_withdraw(world)
    before = rows()
    with pytest.raises(DomainError, match="abgeschlossen"):
        services.topic_put_on_agenda(actor=SYSTEM, topic=fresh(world), meeting=later)
    assert rows() == before


def services_withdraw(world) -> None:
    services.topic_withdraw(actor=SYSTEM, topic=fresh(world), expected_version=None, note="Nein.")


def test_the_topic_shows_its_meetings_and_the_decision_as_provisional(world, coordinator):
    link = services.topic_put_on_agenda(
        actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting
    )
    client = Client()
    client.force_login(world.u_anna)
    detail = reverse("topics:topic_detail", args=[world.network.slug, world.topic.public_id])
    page = client.get(detail).content.decode()
    assert "Beraten in Sitzungen" in page and "Beirat im März" in page
    assert "TOP 1: Gemeinsamer Übergabebogen" in page
    with time_machine.travel(datetime.datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN), tick=False):
        decision = held_with_decision(
            world, link, wording="Der Beirat empfiehlt den Bogen.", unanimous=True
        )
        entry = link.agenda_item.minutes_entries.get()
        meeting_services.task_add(
            actor=SYSTEM,
            entry=entry,
            description="Bogen an die Schulen schicken",
            owner=world.anna,
            due=datetime.date(2026, 3, 30),
            decision=decision,
        )
        client.force_login(world.u_anna)
        # a draft's decisions are the office's, as the minutes are
        page = client.get(detail).content.decode()
        assert "Der Beirat empfiehlt den Bogen." not in page
        office = Client()
        office.force_login(coordinator)
        page = office.get(detail).content.decode()
        assert "Der Beirat empfiehlt den Bogen." in page and "vorläufig" in page
        meeting_services.minutes_circulate(actor=SYSTEM, minutes=entry.minutes)
        page = client.get(detail).content.decode()
        assert "Der Beirat empfiehlt den Bogen." in page and "vorläufig" in page
        # the decision's task with its traffic light: due in 9 days, not started
        assert "Bogen an die Schulen schicken" in page and "gefährdet" in page
        # the journey's timeline: hand-over, meeting with its decision, the task, in order
        timeline = page[page.index("Weg des Themas") :]
        handed = timeline.index("Weitergabe 1")
        met = timeline.index("beraten im Beirat (Beirat im März, TOP 1)")
        task = timeline.index("Aufgabe: Bogen an die Schulen schicken – offen, gefährdet")
        assert handed < met < task
        Minutes.objects.filter(meeting=world.advisory_meeting).update(state="approved")
        page = client.get(detail).content.decode()
        assert "Der Beirat empfiehlt den Bogen." in page and "vorläufig" not in page


def test_the_follow_up_list_filters_by_the_topics_area(world, coordinator):
    from uebergang.core.permissions import member_access
    from uebergang.meetings.selectors import follow_up_list

    link = services.topic_put_on_agenda(
        actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting
    )
    with time_machine.travel(datetime.datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN), tick=False):
        decision = held_with_decision(world, link, wording="Empfohlen.")
        access = member_access(coordinator, world.network.slug)
        Topic.objects.filter(pk=world.topic.pk).update(topic_area="b")  # Übergabe
        area = "b"
        other = next(
            key for key, _label in Topic._meta.get_field("topic_area").choices if key != area
        )

        def listed(value):
            qs = follow_up_list(
                network=world.network,
                access=access,
                today=datetime.date(2026, 3, 21),
                extra={"themenkomplex": value},
            )
            return [d.pk for d in qs]

        assert listed(area) == [decision.pk]
        assert listed(other) == []
        assert listed("zz") == [decision.pk]  # not a topic area: no filter
        office = Client()
        office.force_login(coordinator)
        url = reverse("meetings:follow_up", args=[world.network.slug])
        page = office.get(url, {"themenkomplex": area}).content.decode()
        assert "Empfohlen." in page and "Themenkomplex" in page
        assert "Empfohlen." not in office.get(url, {"themenkomplex": other}).content.decode()
        api = office.get(f"/api/v1/networks/{world.network.slug}/decisions?themenkomplex={other}")
        assert api.json()["count"] == 0


def test_the_meeting_page_shows_the_topics_to_those_who_see_them(world, coordinator, member):
    services.topic_put_on_agenda(actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting)
    secret = open_topic(world, "Vertrauliches Thema", confidential=True)
    url = reverse(
        "meetings:meeting_detail", args=[world.network.slug, world.advisory_meeting.public_id]
    )
    office = Client()
    office.force_login(coordinator)
    page = office.get(url).content.decode()
    assert "Themen auf dieser Tagesordnung" in page and "Gemeinsamer Übergabebogen" in page
    anna = Client()
    anna.force_login(world.u_anna)
    assert "Themen auf dieser Tagesordnung" in anna.get(url).content.decode()
    nobody = Client()
    nobody.force_login(member)
    response = nobody.get(url)
    assert "Themen auf dieser Tagesordnung" not in response.content.decode()
    assert "Vertrauliches Thema" not in page and secret.pk


def test_the_agenda_pages_and_api(world, coordinator):
    net, pid = world.network, world.topic.public_id
    office = Client()
    office.force_login(coordinator)
    url = reverse("topics:topic_agenda", args=[net.slug, pid])
    page = office.get(url).content.decode()
    assert "Beirat im März" in page and "Entscheidungsgremium im März" not in page
    dieter = Client()
    dieter.force_login(world.u_dieter)
    assert dieter.get(url).status_code == 403
    response = office.post(url, {"meeting": ""})
    assert response.status_code == 200 and not AgendaLink.objects.exists()
    response = office.post(url, {"meeting": world.advisory_meeting.pk})
    assert response.status_code == 302
    assert AgendaLink.objects.count() == 1

    _t, token = api_token_create(actor=coordinator, name="T")
    api = Client(raise_request_exception=False)
    base = f"/api/v1/networks/{net.slug}/topics/{pid}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    detail = api.get(base, **auth).json()
    (meeting,) = detail["meetings"]
    assert (meeting["meeting_title"], meeting["position"], meeting["decisions"]) == (
        "Beirat im März",
        1,
        [],
    )
    for body in ({}, {"meeting": "nope"}, {"meeting": str(world.board_meeting.public_id)}):
        response = api.post(
            f"{base}/agenda", json.dumps(body), content_type="application/json", **auth
        )
        assert response.status_code == 422, (body, response.content)
        assert set(response.json()) == {"code", "message", "field_errors", "details"}
    second = meeting_of(world.body, 28, "Beirat Ende März")
    response = api.post(
        f"{base}/agenda",
        json.dumps({"meeting": str(second.public_id)}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    assert response.json()["meeting_title"] == "Beirat Ende März"


def test_the_recommendation_form_takes_the_advisory_boards_decision(world, coordinator):
    link = services.topic_put_on_agenda(
        actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting
    )
    services.topic_skip_working_groups(
        actor=SYSTEM, topic=fresh(world), expected_version=None, note="Im Beirat beraten."
    )
    with time_machine.travel(datetime.datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN), tick=False):
        held_with_decision(
            world, link, wording="Der Beirat empfiehlt, den Bogen einzuführen.", unanimous=True
        )
        office = Client()
        office.force_login(coordinator)
        url = reverse("topics:topic_recommend", args=[world.network.slug, world.topic.public_id])
        response = office.get(url)
        page = response.content.decode()
    assert response.status_code == 200, response
    assert "Der Beirat empfiehlt, den Bogen einzuführen.</textarea>" in page
    assert "Vorausgefüllt mit dem Beschluss aus „Beirat im März“ (vorläufig" in page


def test_the_statements_go_with_the_invitation_as_a_document(world, coordinator):
    from uebergang.meetings.models import Document

    services.statement_save(
        actor=world.u_anna,
        topic=fresh(world),
        seat=world.ihk_seat,
        text="Die IHK trägt den Bogen mit.",
    )
    link = services.topic_put_on_agenda(
        actor=SYSTEM, topic=fresh(world), meeting=world.advisory_meeting
    )
    # not by a member
    for actor in (world.u_anna, world.u_dieter):
        with pytest.raises(PermissionDenied):
            services.topic_attach_papers(actor=actor, link=link)
    assert not Document.objects.exists()
    doc = services.topic_attach_papers(actor=coordinator, link=link)
    assert (doc.meeting, doc.agenda_item) == (world.advisory_meeting, link.agenda_item)
    assert doc.title == "Stellungnahmen und Übergabe: Gemeinsamer Übergabebogen (Stand 02.03.2026)"
    data = doc.file.read()
    assert data.startswith(b"%PDF") and len(doc.sha256) == 64
    assert HistoryEvent.objects.filter(object_id=doc.public_id, action="create").exists()
    # the page's button and the API
    office = Client()
    office.force_login(coordinator)
    detail = reverse("topics:topic_detail", args=[world.network.slug, world.topic.public_id])
    assert "Stellungnahmen als Unterlage beifügen" in office.get(detail).content.decode()
    url = reverse("topics:attach_papers", args=[world.network.slug, link.public_id])
    done = office.post(url, follow=True).content.decode()
    assert "ist der Sitzung „Beirat im März“ beigefügt." in done
    member = Client()
    member.force_login(world.u_anna)
    assert member.post(url).status_code == 403
    assert "Stellungnahmen als Unterlage beifügen" not in member.get(detail).content.decode()
    token = api_token_create(actor=coordinator, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/v1/networks/{world.network.slug}/topics/agenda-links/{link.public_id}/papers"
    )
    assert api.status_code == 201 and api.json()["agenda_item"] == str(link.agenda_item.public_id)
    assert Document.objects.filter(agenda_item=link.agenda_item).count() == 3
    # after the meeting: refused, nothing added
    with time_machine.travel(datetime.datetime(2026, 3, 21, 9, 0, tzinfo=BERLIN), tick=False):
        meeting_services.attendance_record(
            actor=SYSTEM, meeting=world.advisory_meeting, people=[world.anna]
        )
        link = AgendaLink.objects.select_related("agenda_item__meeting", "topic").get(pk=link.pk)
        with pytest.raises(DomainError, match="schon stattgefunden"):
            services.topic_attach_papers(actor=coordinator, link=link)
    assert Document.objects.filter(agenda_item=link.agenda_item).count() == 3


def test_the_agenda_form_offers_the_topics_with_the_body(world, coordinator):
    office = Client()
    office.force_login(coordinator)
    slug = world.network.slug
    add = reverse("meetings:agenda_item_add", args=[slug, world.advisory_meeting.public_id])
    page = office.get(add).content.decode()
    assert "Thema auf die Tagesordnung" in page and "Gemeinsamer Übergabebogen" in page
    # the decision board's meeting: the topic is not with that body
    other = reverse("meetings:agenda_item_add", args=[slug, world.board_meeting.public_id])
    assert "Thema auf die Tagesordnung setzen" not in office.get(other).content.decode()
    # a value not offered changes nothing
    before = rows()
    bad = office.post(add, {"quelle": "thema", "wert": str(world.board.public_id)}, follow=True)
    assert "Bitte wählen Sie einen der angebotenen Einträge." in bad.content.decode()
    assert (
        office.post(other, {"quelle": "thema", "wert": str(world.topic.public_id)}).status_code
        == 302
    )
    assert rows() == before
    done = office.post(add, {"quelle": "thema", "wert": str(world.topic.public_id)}, follow=True)
    assert "„Gemeinsamer Übergabebogen“ ist hinzugefügt." in done.content.decode()
    link = AgendaLink.objects.get()
    assert link.agenda_item.meeting == world.advisory_meeting and link.topic == world.topic
    assert HistoryEvent.objects.filter(object_id=link.public_id).exists()
    # on the agenda now: not offered again; a member cannot use the form at all
    assert "Thema auf die Tagesordnung setzen" not in office.get(add).content.decode()
    member = Client()
    member.force_login(world.u_anna)
    assert (
        member.post(add, {"quelle": "thema", "wert": str(world.topic.public_id)}).status_code == 403
    )
