"""Who may do what, per role and relation: the coordination office keeps the registry, members
read it, a partner's representative corrects its contact details, everyone else sees nothing
(404, so a network's existence is not revealed), and the anonymous are sent to sign in. A
refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from uebergang.accounts.services import network_role_grant
from uebergang.core.errors import PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import (
    NETWORK_MANAGE,
    NETWORK_VIEW,
    SYSTEM,
    access_for,
    authorize,
    can,
)
from uebergang.networks import services
from uebergang.networks import urls as network_urls
from uebergang.networks.models import Partner
from uebergang.networks.rules import (
    HISTORY_VIEW,
    PARTNER_EDIT_CONTACT,
    REGISTRY_MANAGE,
    REGISTRY_VIEW,
)

from .factories import (
    SIGNED,
    image_upload,
    jpeg,
    make_logo,
    make_partner,
    make_person,
    make_representative,
    make_seat,
    row_counts,
)

D = datetime.date
NO_RIGHT = "Dafür fehlt Ihnen die Berechtigung in diesem Netzwerk."

# The pages members may read; every other page of the registry is for the coordination office
# (and `partner_edit` also for a partner's representative). The list of pages comes from the
# URLconf, so a new page is checked as a management page until it is added here.
# The whole network's history ("history") is the coordination office's: a management page.
READ_PAGES = [
    "start",
    "partner_list",
    "partner_detail",
    "person_list",
    "person_detail",
    "seat_list",
    "seat_detail",
    "record_history",
    "partner_export_xlsx",  # the partner list as a file, with its filters
    "partner_export_csv",
    "network_logo_file",  # the letterhead's logo (its page, to change it, is the office's)
]
ALL_PAGES = [p.name for p in network_urls.urlpatterns]
MANAGE_PAGES = [name for name in ALL_PAGES if name not in READ_PAGES and name != "partner_edit"]

# Which record a page's <uuid:pid> stands for, by the first part of its address.
PID_BY_PREFIX = {
    "partner": "ihk",
    "verlauf": "ihk",
    "vertretung": "rep",
    "personen": "person",
    "sammelvertretungen": "seat",
    "zuordnung": "assignment",
    "sitz-inhaber": "holding",
}


@pytest.fixture
def records(network):
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    hwk = make_partner(network, "Handwerkskammer Hildesheim", kind="chamber")
    person = make_person(network, "Max", "Mustermann")
    rep = services.representation_create(
        actor=SYSTEM, partner=ihk, function="Hauptgeschäftsführung", valid_from=SIGNED
    )
    seat = make_seat(network, "Kammern")
    assignment = services.seat_assign(actor=SYSTEM, seat=seat, partner=hwk, valid_from=SIGNED)
    holding = services.seat_holding_create(
        actor=SYSTEM, seat=seat, person=person, valid_from=SIGNED
    )
    make_logo(network)
    return {
        "ihk": ihk,
        "hwk": hwk,
        "person": person,
        "rep": rep,
        "seat": seat,
        "assignment": assignment,
        "holding": holding,
    }


def page_url(name: str, network, records) -> str:
    [pattern] = [p for p in network_urls.urlpatterns if p.name == name]
    params = set(pattern.pattern.converters)
    assert params <= {"pid", "kind"}, f"{name}: teach page_url to fill {params}"
    kwargs = {"network": network.slug}
    if "pid" in params:
        prefix = str(pattern.pattern).split("/")[0]
        assert prefix in PID_BY_PREFIX, f"{name}: which record does /{prefix}/<pid>/ stand for?"
        kwargs["pid"] = records[PID_BY_PREFIX[prefix]].public_id
    if "kind" in params:
        kwargs["kind"] = "partner"
    return reverse(f"networks:{name}", kwargs=kwargs)


# A POST that would change something if it were allowed.
POST_DATA = {
    "network_edit": {"region": "Geändert", "coordination_office": "X", "version": "1"},
    "network_rename": {"name": "Geändert", "valid_from": "2016-11-01"},
    "partner_create": {"name": "Neu", "kind": "chamber", "valid_from": "2014-01-01"},
    "partner_edit": {
        "name": "Geändert",
        "kind": "chamber",
        "valid_from": "2013-05-29",
        "phone": "1",
        "version": "1",
    },
    "partner_rename": {"name": "Geändert", "valid_from": "2016-11-01"},
    "partner_end": {"valid_to": "2016-10-31", "reason": "left"},
    "partner_succession": {"date": "2016-11-01", "new_successor_name": "Neu"},
    "representation_create": {"function": "Neu", "valid_from": "2014-01-01"},
    "representation_end": {"valid_to": "2016-10-31"},
    "person_create": {"first_name": "Neu", "last_name": "Neu"},
    "person_edit": {"first_name": "Geändert", "last_name": "Geändert", "version": "1"},
    "seat_create": {"name": "Neu", "valid_from": "2014-01-01"},
    "seat_edit": {"name": "Geändert", "valid_from": "2013-05-29", "version": "1"},
    "seat_end": {"valid_to": "2016-10-31"},
    "seat_assign": {"valid_from": "2014-01-01"},
    "seat_unassign": {"valid_to": "2016-10-31"},
    "seat_holding_create": {"valid_from": "2014-01-01"},
    "seat_holding_end": {"valid_to": "2016-10-31"},
}


def post_data(name: str, records) -> dict:
    data = dict(POST_DATA.get(name, {}))
    if name == "seat_assign":
        data["partner"] = str(records["ihk"].public_id)
    if name == "seat_holding_create":
        data["person"] = str(records["person"].public_id)
    return data


# --- the rules -------------------------------------------------------------------------------

PERMISSIONS = [
    NETWORK_VIEW,
    NETWORK_MANAGE,
    REGISTRY_VIEW,
    REGISTRY_MANAGE,
    HISTORY_VIEW,
    PARTNER_EDIT_CONTACT,
]


def test_permission_matrix(network, records, coordinator, member, outsider, stranger, make_user):
    # given
    representative = make_user("vertretung@example.org", name="Vera Vertretung")
    network_role_grant(actor=SYSTEM, network=network, user=representative, role="member")
    make_representative(network, records["ihk"], representative)
    actors = {
        "coordinator": coordinator,
        "member": member,
        "representative": representative,
        "outsider": outsider,
        "stranger": stranger,
        "system": SYSTEM,
    }
    # when
    matrix = {
        who: {perm: can(actor, network, perm, records["ihk"]) for perm in PERMISSIONS}
        for who, actor in actors.items()
    }
    # then
    yes = dict.fromkeys(PERMISSIONS, True)
    read = {
        **yes,
        NETWORK_MANAGE: False,
        REGISTRY_MANAGE: False,
        PARTNER_EDIT_CONTACT: False,
        HISTORY_VIEW: False,  # the whole network's history is the coordination office's
    }
    nothing = dict.fromkeys(PERMISSIONS, False)
    assert matrix == {
        "coordinator": yes,
        "member": read,
        "representative": {**read, PARTNER_EDIT_CONTACT: True},
        "outsider": nothing,
        "stranger": nothing,
        "system": yes,
    }


def test_the_representative_may_edit_only_the_partner_they_represent(network, records, member):
    # given
    make_representative(network, records["ihk"], member)
    # when / then
    assert can(member, network, PARTNER_EDIT_CONTACT, records["ihk"]) is True
    assert can(member, network, PARTNER_EDIT_CONTACT, records["hwk"]) is False


def test_an_ended_representation_gives_no_right(network, records, member):
    # given
    make_representative(network, records["ihk"], member, valid_to=D(2015, 12, 31))
    # when / then
    assert can(member, network, PARTNER_EDIT_CONTACT, records["ihk"]) is False


def test_an_inactive_coordinator_may_do_nothing(network, coordinator):
    # given
    coordinator.is_active = False
    coordinator.save()
    # when / then
    assert access_for(coordinator, network).role is None
    assert can(coordinator, network, REGISTRY_VIEW) is False
    with pytest.raises(PermissionDenied) as exc:
        authorize(coordinator, network, REGISTRY_MANAGE)
    assert exc.value.message == NO_RIGHT


def test_a_role_in_one_network_gives_no_right_in_another(network, other_network, outsider):
    # when / then
    assert can(outsider, other_network, REGISTRY_MANAGE) is True
    assert can(outsider, network, REGISTRY_VIEW) is False


# --- pages per role --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_PAGES)
def test_coordination_office_opens_every_page(client, coordinator, network, records, name):
    # given
    client.force_login(coordinator)
    # when
    response = client.get(page_url(name, network, records))
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("name", READ_PAGES)
def test_member_reads_the_registry(client, member, network, records, name):
    # given
    client.force_login(member)
    # when
    response = client.get(page_url(name, network, records))
    # then
    assert response.status_code == 200


def test_member_pages_offer_no_management_actions(client, member, network, records):
    # given
    client.force_login(member)
    # when
    pages = [
        client.get(page_url(name, network, records)).content.decode()
        for name in (
            "start",
            "partner_list",
            "partner_detail",
            "person_list",
            "seat_list",
            "seat_detail",
        )
    ]
    # then
    for body in pages:
        for action in (
            "Partner anlegen",
            "Person anlegen",
            "Sammelvertretung anlegen",
            "Angaben bearbeiten",
            "Nachfolge erfassen",
            "Institution zuordnen",
            "Bearbeiten",
            "/uebersicht/",
        ):
            assert action not in body


@pytest.mark.parametrize("name", [*MANAGE_PAGES, "partner_edit"])
def test_member_is_refused_management_pages_and_posts(client, member, network, records, name):
    # given
    client.force_login(member)
    before = row_counts()
    # when
    got = client.get(page_url(name, network, records))
    posted = client.post(page_url(name, network, records), post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (403, 403)
    assert row_counts() == before
    ihk = Partner.objects.get(pk=records["ihk"].pk)
    assert (ihk.name, ihk.phone, ihk.valid_to, ihk.version) == (
        "Industrie und Handelskammer Osterode",
        "",
        None,
        1,
    )


def test_representative_edits_the_contact_details(client, member, network, records):
    # given
    ihk = records["ihk"]
    make_representative(network, ihk, member)
    client.force_login(member)
    # when
    form = client.get(page_url("partner_edit", network, records))
    response = client.post(
        page_url("partner_edit", network, records),
        {
            "address": "Bahnhofstraße 1",
            "email": "info@ihk.example",
            "phone": "05522 1",
            "website": "https://ihk.example",
            "version": "1",
        },
    )
    # then
    assert form.status_code == 200
    assert list(form.context["form"].fields) == ["address", "email", "phone", "website", "version"]
    assert response.status_code == 302
    ihk.refresh_from_db()
    assert (ihk.address, ihk.email, ihk.phone, ihk.website, ihk.version) == (
        "Bahnhofstraße 1",
        "info@ihk.example",
        "05522 1",
        "https://ihk.example",
        2,
    )


def test_representative_sees_the_edit_button_only_on_their_partner(
    client, member, network, records
):
    # given
    make_representative(network, records["ihk"], member)
    client.force_login(member)
    # when
    own = client.get(page_url("partner_detail", network, records)).content.decode()
    other = client.get(
        reverse("networks:partner_detail", args=[network.slug, records["hwk"].public_id])
    ).content.decode()
    # then
    assert page_url("partner_edit", network, records) in own
    assert "/bearbeiten/" not in other
    assert "Umbenennen" not in own


def test_representative_cannot_change_other_fields_through_the_page(
    client, member, network, records
):
    # given
    ihk = records["ihk"]
    make_representative(network, ihk, member)
    client.force_login(member)
    before = row_counts()
    # when: the name, kind and dates are not part of their form
    response = client.post(
        page_url("partner_edit", network, records),
        {
            "name": "Gekapert",
            "kind": "union",
            "is_party": "",
            "valid_from": "2020-01-01",
            "address": "",
            "email": "",
            "phone": "05522 1",
            "website": "",
            "version": "1",
        },
    )
    # then: only the phone number changed
    assert response.status_code == 302
    ihk.refresh_from_db()
    assert (ihk.name, ihk.kind, ihk.is_party, ihk.valid_from, ihk.phone) == (
        "Industrie und Handelskammer Osterode",
        "chamber",
        True,
        SIGNED,
        "05522 1",
    )
    assert row_counts() == {**before, "HistoryEvent": before["HistoryEvent"] + 1}
    assert HistoryEvent.objects.order_by("-id").first().changes == {"phone": ["", "05522 1"]}


def test_representative_may_save_the_contact_form_unchanged(client, member, network, records):
    # given
    make_representative(network, records["ihk"], member)
    client.force_login(member)
    before = row_counts()
    # when
    response = client.post(
        page_url("partner_edit", network, records),
        {
            "address": "",
            "email": "",
            "phone": "",
            "website": "",
            "version": "1",
        },
    )
    # then: nothing to save is no reason to refuse
    assert response.status_code == 302
    assert NO_RIGHT not in response.content.decode()
    assert row_counts() == before


def test_representative_is_refused_other_fields_by_the_service(network, records, member):
    # given
    ihk = records["ihk"]
    make_representative(network, ihk, member)
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        services.partner_update(
            actor=member, partner=ihk, expected_version=1, data={"name": "Gekapert", "phone": "1"}
        )
    # then
    assert exc.value.message == NO_RIGHT
    ihk.refresh_from_db()
    assert (ihk.name, ihk.phone) == ("Industrie und Handelskammer Osterode", "")
    assert row_counts() == before


def test_representative_is_refused_the_edit_page_of_another_partner(
    client, member, network, records
):
    # given
    make_representative(network, records["ihk"], member)
    client.force_login(member)
    hwk_edit = reverse("networks:partner_edit", args=[network.slug, records["hwk"].public_id])
    before = row_counts()
    # when
    got = client.get(hwk_edit)
    posted = client.post(hwk_edit, {"phone": "1", "version": "1"})
    # then
    assert (got.status_code, posted.status_code) == (403, 403)
    assert Partner.objects.get(pk=records["hwk"].pk).phone == ""
    assert row_counts() == before


@pytest.mark.parametrize("who", ["outsider", "stranger"])
@pytest.mark.parametrize("name", ALL_PAGES)
def test_users_outside_the_network_get_404_and_change_nothing(
    request, client, network, records, who, name
):
    # given
    client.force_login(request.getfixturevalue(who))
    before = row_counts()
    # when
    got = client.get(page_url(name, network, records))
    posted = client.post(page_url(name, network, records), post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (404, 404)
    assert "Industrie und Handelskammer" not in got.content.decode() + posted.content.decode()
    assert row_counts() == before


def test_unknown_network_is_404(coordinator_client):
    # when
    response = coordinator_client.get(reverse("networks:start", args=["gibt-es-nicht"]))
    # then
    assert response.status_code == 404


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, network, records, name):
    # given
    path = page_url(name, network, records)
    before = row_counts()
    # when
    got = client.get(path)
    posted = client.post(path, post_data(name, records))
    # then
    assert (got.status_code, posted.status_code) == (302, 302)
    assert got.url == posted.url == f"/konto/anmelden/?next={path}"
    assert row_counts() == before


# --- every write service, per role ----------------------------------------------------------


def service_calls(network, records):
    """One call of every write service of the registry (and of role granting)."""
    from uebergang.accounts.models import User

    r = records
    newcomer = User.objects.create_user(email="neu@example.org", password="Geheim-Passwort-2026")
    other_seat = make_seat(network, "Verbände")
    linked = services.person_link_account(
        actor=SYSTEM,
        person=make_person(network, "Lina", "Link"),
        user=User.objects.create_user(email="lina@example.org", password="Geheim-Passwort-2026"),
    )
    return {
        "network_update": lambda a: services.network_update(
            actor=a, network=network, expected_version=1, data={"region": "X"}
        ),
        "network_rename": lambda a: services.network_rename(
            actor=a, network=network, name="X", valid_from=D(2016, 11, 1)
        ),
        "partner_create": lambda a: services.partner_create(
            actor=a, network=network, data={"name": "X", "valid_from": SIGNED}
        ),
        "partner_update": lambda a: services.partner_update(
            actor=a, partner=r["ihk"], expected_version=1, data={"phone": "1"}
        ),
        "partner_rename": lambda a: services.partner_rename(
            actor=a, partner=r["ihk"], name="X", valid_from=D(2016, 11, 1)
        ),
        "partner_end": lambda a: services.partner_end(
            actor=a, partner=r["ihk"], valid_to=D(2016, 10, 31)
        ),
        "partner_record_succession": lambda a: services.partner_record_succession(
            actor=a, predecessor=r["ihk"], successor=r["hwk"], date=D(2016, 11, 1)
        ),
        "representation_create": lambda a: services.representation_create(
            actor=a, partner=r["hwk"], function="X", valid_from=SIGNED
        ),
        "representation_end": lambda a: services.representation_end(
            actor=a, representation=r["rep"], valid_to=D(2016, 10, 31)
        ),
        "person_create": lambda a: services.person_create(
            actor=a, network=network, data={"first_name": "X", "last_name": "Y"}
        ),
        "person_update": lambda a: services.person_update(
            actor=a, person=r["person"], expected_version=1, data={"phone": "1"}
        ),
        "person_link_account": lambda a: services.person_link_account(
            actor=a, person=r["person"], user=newcomer
        ),
        "person_unlink_account": lambda a: services.person_unlink_account(actor=a, person=linked),
        "seat_create": lambda a: services.seat_create(
            actor=a, network=network, data={"name": "X", "valid_from": SIGNED}
        ),
        "seat_update": lambda a: services.seat_update(
            actor=a, seat=r["seat"], expected_version=1, data={"name": "X"}
        ),
        "seat_end": lambda a: services.seat_end(actor=a, seat=r["seat"], valid_to=D(2016, 10, 31)),
        "seat_assign": lambda a: services.seat_assign(
            actor=a, seat=r["seat"], partner=r["ihk"], valid_from=SIGNED
        ),
        "seat_unassign": lambda a: services.seat_unassign(
            actor=a, assignment=r["assignment"], valid_to=D(2016, 10, 31)
        ),
        "seat_holding_create": lambda a: services.seat_holding_create(
            actor=a, seat=other_seat, person=r["person"], valid_from=SIGNED
        ),
        "seat_holding_end": lambda a: services.seat_holding_end(
            actor=a, holding=r["holding"], valid_to=D(2016, 10, 31)
        ),
        "network_role_grant": lambda a: network_role_grant(
            actor=a, network=network, user=newcomer, role="member"
        ),
        "network_logo_set": lambda a: services.network_logo_set(
            actor=a, network=network, upload=image_upload("neu.jpg", jpeg())
        ),
        "network_logo_remove": lambda a: services.network_logo_remove(actor=a, network=network),
    }


SERVICE_NAMES = [
    "network_update",
    "network_rename",
    "partner_create",
    "partner_update",
    "partner_rename",
    "partner_end",
    "partner_record_succession",
    "representation_create",
    "representation_end",
    "person_create",
    "person_update",
    "person_link_account",
    "person_unlink_account",
    "seat_create",
    "seat_update",
    "seat_end",
    "seat_assign",
    "seat_unassign",
    "seat_holding_create",
    "seat_holding_end",
    "network_role_grant",
    "network_logo_set",
    "network_logo_remove",
]


def test_the_role_table_covers_every_write_service():
    # given: every public function of the services module (network_create is for the platform only)
    import inspect

    public = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_")
    }
    # then
    assert public - {"network_create"} == set(SERVICE_NAMES) - {"network_role_grant"}


@pytest.mark.parametrize("who", ["member", "outsider", "stranger"])
@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_write_services_refuse_everyone_but_the_coordination_office(
    request, network, records, who, name
):
    # given
    actor = request.getfixturevalue(who)
    call = service_calls(network, records)[name]
    before = row_counts()
    # when
    with pytest.raises(PermissionDenied) as exc:
        call(actor)
    # then
    assert exc.value.message == NO_RIGHT
    assert row_counts() == before


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_write_services_allow_the_coordination_office(network, records, coordinator, name):
    # given
    call = service_calls(network, records)[name]
    # when
    call(coordinator)
    # then: the change is recorded under the coordination office's name
    from uebergang.core.models import HistoryEvent

    assert HistoryEvent.objects.order_by("-id").first().actor_id == coordinator.pk
