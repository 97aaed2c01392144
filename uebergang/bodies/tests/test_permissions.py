"""Who may do what with the bodies: the coordination office manages them all; a member sees
the bodies they sit in (a person linked to their account with a membership valid today) and
nothing else; a guest expert's access ends with their membership; everyone outside the network
gets 404, the anonymous are sent to sign in. A refusal changes nothing."""

from __future__ import annotations

import datetime
import inspect
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from uebergang.bodies import services
from uebergang.bodies import urls as body_urls
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.bodies.rules import BODIES_LIST, BODIES_MANAGE, BODY_VIEW
from uebergang.bodies.tests.factories import add_member, add_seat, make_body
from uebergang.core.errors import PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM, can
from uebergang.networks.tests.factories import link_user, make_partner, make_person, person_for

D = datetime.date
START = D(2014, 1, 1)
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."

# The pages a member may open (for the bodies they sit in); every other page is for the
# coordination office. The list of pages comes from the URLconf, so a new page is checked as
# a management page until it is added here.
# The people list with memberships as a file: a member's rows are those of their bodies.
READ_PAGES = [
    "body_list",
    "body_detail",
    "body_history",
    "people_export_xlsx",
    "people_export_csv",
]
ALL_PAGES = [p.name for p in body_urls.urlpatterns]
MANAGE_PAGES = [name for name in ALL_PAGES if name not in READ_PAGES]

# Which record a page's <uuid:pid> stands for (the body, unless named here).
PID_BY_PAGE = {"seat_end": "seat", "membership_end": "guest", "office_end": "chair"}


def state() -> tuple[list, int]:
    rows = []
    for model in (Body, BodySeat, Membership, Office):
        rows += [
            (model.__name__, r.public_id, r.version, r.valid_from, r.valid_to)
            for r in model.all_objects.order_by("pk")
        ]
    return rows, HistoryEvent.objects.count()


@pytest.fixture
def records(network, member):
    """The advisory board (the member's person sits in it on the IHK seat and chairs it, a
    guest expert is invited) and a working group the member does not sit in."""
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    agentur = make_partner(network, "Agentur für Arbeit Göttingen", kind="employment_agency")
    board = make_body(network, "Beirat", "advisory_board")
    group = make_body(network, "AG Berufsorientierung", "working_group")
    seat = add_seat(board, partner=ihk)
    add_seat(group, partner=agentur)
    mika = person_for(network, member, first_name="Mika", last_name="Mitglied")
    membership = add_member(board, mika, seat=seat)
    chair = services.office_assign(
        actor=SYSTEM, membership=membership, kind="chair", valid_from=START
    )
    expert = make_person(network, "Erik", "Experte")
    guest = add_member(board, expert, "guest")
    return SimpleNamespace(
        ihk=ihk,
        agentur=agentur,
        board=board,
        group=group,
        seat=seat,
        mika=mika,
        membership=membership,
        chair=chair,
        expert=expert,
        guest=guest,
    )


def page_url(name: str, network, records, body=None) -> str:
    [pattern] = [p for p in body_urls.urlpatterns if p.name == name]
    params = set(pattern.pattern.converters)
    assert params <= {"pid"}, f"{name}: teach page_url to fill {params}"
    kwargs = {"network": network.slug}
    if "pid" in params:
        kwargs["pid"] = getattr(records, PID_BY_PAGE.get(name, "board")).public_id
        if body is not None and name not in PID_BY_PAGE:
            kwargs["pid"] = body.public_id
    return reverse(f"bodies:{name}", kwargs=kwargs)


def post_data(name: str, records) -> dict:
    """A POST that changes something when the coordination office sends it."""
    return {
        "body_create": {
            "name": "AG Übergangsmanagement",
            "kind": "working_group",
            "invitation_period_days": "14",
            "quorum_rule": "none",
            "valid_from": "2015-01-01",
        },
        "body_edit": {
            "name": "Beirat (geändert)",
            "kind": "advisory_board",
            "invitation_period_days": "21",
            "quorum_rule": "none",
            "valid_from": "2014-01-01",
            "version": "1",
        },
        "body_dissolve": {"valid_to": "2016-10-31"},
        "seat_add": {
            "partner": str(records.agentur.public_id),
            "voting": "on",
            "valid_from": "2015-01-01",
        },
        "membership_add": {
            "person": str(records.expert.public_id),
            "role": "moderator",
            "valid_from": "2015-01-01",
        },
        "office_assign": {
            "membership": str(records.membership.public_id),
            "kind": "deputy",
            "valid_from": "2015-01-01",
        },
        "seat_end": {"valid_to": "2016-10-31"},
        "membership_end": {"valid_to": "2016-10-31"},
        "office_end": {"valid_to": "2016-10-31"},
    }.get(name, {})


# --- the rules -------------------------------------------------------------------------------

PERMISSIONS = [BODIES_LIST, BODIES_MANAGE, BODY_VIEW]


def test_permission_matrix(network, records, coordinator, member, outsider, stranger, make_user):
    # given: a second member of the network who sits in no body
    from uebergang.accounts.services import network_role_grant

    reader = make_user("leser@example.org", name="Lena Leser")
    network_role_grant(actor=SYSTEM, network=network, user=reader, role="member")
    actors = {
        "coordinator": coordinator,
        "member": member,
        "reader": reader,
        "outsider": outsider,
        "stranger": stranger,
        "system": SYSTEM,
    }
    # when
    matrix = {
        who: {
            **{perm: can(actor, network, perm, records.board) for perm in PERMISSIONS},
            "body.view other": can(actor, network, BODY_VIEW, records.group),
        }
        for who, actor in actors.items()
    }
    # then
    yes = {BODIES_LIST: True, BODIES_MANAGE: True, BODY_VIEW: True, "body.view other": True}
    nothing = dict.fromkeys(yes, False)
    assert matrix == {
        "coordinator": yes,
        "member": {**nothing, BODIES_LIST: True, BODY_VIEW: True},
        "reader": {**nothing, BODIES_LIST: True},
        "outsider": nothing,
        "stranger": nothing,
        "system": yes,
    }


def test_a_membership_of_another_persons_account_gives_no_right(network, records, make_user):
    # given: a member whose account is linked to no person
    from uebergang.accounts.services import network_role_grant

    reader = make_user("leser@example.org")
    network_role_grant(actor=SYSTEM, network=network, user=reader, role="member")
    # when / then
    assert can(reader, network, BODY_VIEW, records.board) is False


def test_an_ended_membership_gives_no_right(network, records, member):
    # given
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.membership_end(actor=SYSTEM, membership=records.membership, valid_to=yesterday)
    # when / then
    assert can(member, network, BODY_VIEW, records.board) is False


def test_a_membership_that_begins_tomorrow_gives_no_right_yet(network, records, member):
    # given
    services.membership_end(actor=SYSTEM, membership=records.membership, valid_to=D(2016, 10, 31))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.membership_add(
        actor=SYSTEM, body=records.group, person=records.mika, role="guest", valid_from=tomorrow
    )
    # when / then
    assert can(member, network, BODY_VIEW, records.group) is False


def test_the_member_role_is_needed_besides_the_membership(network, records, member):
    # given: the account lost its role in the network
    from uebergang.core.models import NetworkRole

    NetworkRole.objects.filter(user=member).delete()
    # when / then
    assert can(member, network, BODY_VIEW, records.board) is False
    assert can(member, network, BODIES_LIST) is False


# --- pages per role --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_PAGES)
def test_coordination_office_opens_every_page(client, coordinator, network, records, name):
    # given
    client.force_login(coordinator)
    # when
    response = client.get(page_url(name, network, records))
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_coordination_office_posts_every_management_page(
    client, coordinator, network, records, name
):
    # given
    client.force_login(coordinator)
    before = state()
    # when
    response = client.post(page_url(name, network, records), post_data(name, records))
    # then: the POST used in the refusals below is one that changes something
    assert response.status_code == 302, response.content.decode()
    assert state() != before
    assert HistoryEvent.objects.order_by("-id").first().actor_id == coordinator.pk


@pytest.mark.parametrize("name", READ_PAGES)
def test_member_opens_the_pages_of_their_body(client, member, network, records, name):
    # given
    client.force_login(member)
    # when
    response = client.get(page_url(name, network, records))
    # then
    assert response.status_code == 200


def test_member_lists_only_the_bodies_they_sit_in(client, member, network, records):
    # when
    client.force_login(member)
    response = client.get(page_url("body_list", network, records))
    # then
    assert [b.name for b in response.context["bodies"]] == ["Beirat"]
    body = response.content.decode()
    assert "Sie sehen die Gremien, in denen Sie Mitglied sind." in body
    assert "AG Berufsorientierung" not in body


def test_member_is_refused_the_detail_page_of_another_body(client, member, network, records):
    # given
    client.force_login(member)
    # when
    response = client.get(page_url("body_detail", network, records, body=records.group))
    # then
    assert response.status_code == 403
    assert "AG Berufsorientierung" not in response.content.decode()


def test_member_pages_offer_no_management_actions(client, member, network, records):
    # given
    client.force_login(member)
    # when
    pages = [
        client.get(page_url(name, network, records)).content.decode()
        for name in READ_PAGES
        if not name.endswith("_xlsx")  # (a zip file)
    ]
    # then
    for body in pages:
        for action in (
            "Gremium anlegen",
            "Person aufnehmen",
            "Sitz anlegen",
            "Amt eintragen",
            "Bearbeiten",
            "Auflösen",
            "Sitz beenden",
            "/beenden/",
        ):
            assert action not in body


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_member_is_refused_management_pages_and_posts(client, member, network, records, name):
    # given
    client.force_login(member)
    before = state()
    # when
    got = client.get(page_url(name, network, records))
    posted = client.post(page_url(name, network, records), post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (403, 403)
    assert state() == before


def test_a_guest_expert_sees_the_body_while_invited(client, network, records, make_user):
    # given: the expert has an account, a role, and an invitation until today
    from uebergang.accounts.services import network_role_grant

    expert = make_user("experte@example.org", name="Erik Experte")
    network_role_grant(actor=SYSTEM, network=network, user=expert, role="member")
    Membership.objects.filter(pk=records.guest.pk).update(valid_to=timezone.localdate())
    link_user(records.expert, expert)
    client.force_login(expert)
    # when
    listed = client.get(page_url("body_list", network, records))
    detail = client.get(page_url("body_detail", network, records))
    # then
    assert [b.name for b in listed.context["bodies"]] == ["Beirat"]
    assert detail.status_code == 200


def test_a_guest_expert_whose_membership_ended_yesterday_no_longer_sees_the_body(
    client, network, records, make_user
):
    # given
    from uebergang.accounts.services import network_role_grant

    expert = make_user("experte@example.org", name="Erik Experte")
    network_role_grant(actor=SYSTEM, network=network, user=expert, role="member")
    link_user(records.expert, expert)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.membership_end(actor=SYSTEM, membership=records.guest, valid_to=yesterday)
    client.force_login(expert)
    # when
    listed = client.get(page_url("body_list", network, records))
    detail = client.get(page_url("body_detail", network, records))
    past = client.get(page_url("body_detail", network, records), {"stichtag": "2015-01-01"})
    # then
    assert listed.status_code == 200
    assert list(listed.context["bodies"]) == []
    assert str(records.board.public_id) not in listed.content.decode()
    assert "Keine Gremien." in listed.content.decode()
    assert (detail.status_code, past.status_code) == (403, 403)


@pytest.mark.parametrize("who", ["outsider", "stranger"])
@pytest.mark.parametrize("name", ALL_PAGES)
def test_users_outside_the_network_get_404_and_change_nothing(
    request, client, network, records, who, name
):
    # given
    client.force_login(request.getfixturevalue(who))
    before = state()
    # when
    got = client.get(page_url(name, network, records))
    posted = client.post(page_url(name, network, records), post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (404, 404)
    assert "Beirat" not in got.content.decode() + posted.content.decode()
    assert state() == before


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, network, records, name):
    # given
    path = page_url(name, network, records)
    before = state()
    # when
    got = client.get(path)
    posted = client.post(path, post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (302, 302)
    assert got.url == posted.url == f"/konto/anmelden/?next={path}"
    assert state() == before


# --- every write service, per role ----------------------------------------------------------


def service_calls(network, r):
    """One call of every write service of the bodies."""
    return {
        "body_create": lambda a: services.body_create(
            actor=a,
            network=network,
            data={"name": "AG Neu", "kind": "working_group", "valid_from": START},
        ),
        "body_update": lambda a: services.body_update(
            actor=a, body=r.board, expected_version=1, data={"topic_area": "Übergang"}
        ),
        "body_dissolve": lambda a: services.body_dissolve(
            actor=a, body=r.group, valid_to=D(2016, 10, 31)
        ),
        "body_seat_add": lambda a: services.body_seat_add(
            actor=a, body=r.board, partner=r.agentur, valid_from=START
        ),
        "body_seat_end": lambda a: services.body_seat_end(
            actor=a, seat=r.seat, valid_to=D(2016, 10, 31)
        ),
        "membership_add": lambda a: services.membership_add(
            actor=a, body=r.group, person=r.expert, role="guest", valid_from=START
        ),
        "membership_end": lambda a: services.membership_end(
            actor=a, membership=r.guest, valid_to=D(2016, 10, 31)
        ),
        "office_assign": lambda a: services.office_assign(
            actor=a, membership=r.membership, kind="deputy", valid_from=D(2015, 1, 1)
        ),
        "office_end": lambda a: services.office_end(
            actor=a, office=r.chair, valid_to=D(2016, 10, 31)
        ),
    }


SERVICE_NAMES = [
    "body_create",
    "body_update",
    "body_dissolve",
    "body_seat_add",
    "body_seat_end",
    "membership_add",
    "membership_end",
    "office_assign",
    "office_end",
]


def test_the_role_table_covers_every_write_service():
    # given: every public function of the services module
    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_")
    }
    # then
    assert public == set(SERVICE_NAMES)


@pytest.mark.parametrize("who", ["member", "outsider", "stranger"])
@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_write_services_refuse_everyone_but_the_coordination_office(
    request, network, records, who, name
):
    # given
    actor = request.getfixturevalue(who)
    call = service_calls(network, records)[name]
    before = state()
    # when
    with pytest.raises(PermissionDenied) as exc:
        call(actor)
    # then
    assert exc.value.message == NO_RIGHT
    assert state() == before


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_write_services_allow_the_coordination_office(network, records, coordinator, name):
    # given
    call = service_calls(network, records)[name]
    before = state()
    # when
    call(coordinator)
    # then: the change is recorded under the coordination office's name
    assert state() != before
    event = HistoryEvent.objects.order_by("-id").first()
    assert (event.actor_id, event.actor_name) == (coordinator.pk, "Kim Koordinata")
