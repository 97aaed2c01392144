"""Downloads of the registry for Excel: the partners with their representations and the
people with their memberships in bodies (that one is served by `bodies`, which knows both).
Who may download is who may read the page; a member sees only the memberships of bodies
they sit in and no one's e-mail or phone but the office; another network's data never
appears; a download writes nothing; the number of queries does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from uebergang.bodies import exports as body_exports
from uebergang.bodies.tests.factories import add_member, add_seat, make_body
from uebergang.core.errors import PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import exports, services
from uebergang.networks.models import Person

from .factories import build_registry, make_partner, make_person, person_for

D = datetime.date


def url(network, name: str, fmt: str, query: str = "") -> str:
    namespace = "bodies" if name == "people_export" else "networks"
    return reverse(f"{namespace}:{name}_{fmt}", args=[network.slug]) + query


def sheet_rows(response) -> list[list]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def as_dicts(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def registry(network, other_network):
    """Two partners of the network (the IHK represented by a person and an institution, the
    school without representation) and a partner of another network."""
    ihk = make_partner(
        network,
        "Industrie- und Handelskammer Osterode",
        short_name="IHK",
        kind="chamber",
        email="ihk@example.org",
        phone="+49 5522 1234",
    )
    school = make_partner(network, "Oberschule Am Mühlenteich", is_party=False)
    anna = make_person(network, "Anna", "Alt", email="anna.alt@example.org", phone="0551 1")
    services.representation_create(
        actor=SYSTEM,
        partner=ihk,
        person=anna,
        function="Geschäftsführerin",
        valid_from=D(2014, 1, 1),
    )
    services.representation_create(
        actor=SYSTEM, partner=ihk, institution=school, valid_from=D(2015, 3, 1)
    )
    make_partner(other_network, "Geheime Kammer Anderswo")
    return {"ihk": ihk, "school": school, "anna": anna}


# --- partners --------------------------------------------------------------------------------


def test_member_downloads_partners_with_representations_as_xlsx(member_client, network, registry):
    # when
    response = member_client.get(url(network, "partner_export", "xlsx"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="Partner-')
    rows = as_dicts(sheet_rows(response))
    assert [
        (r["Name"], r["vertreten durch Person"], r["vertreten durch Institution"]) for r in rows
    ] == [
        ("Industrie- und Handelskammer Osterode", "Anna Alt", None),
        ("Industrie- und Handelskammer Osterode", None, "Oberschule Am Mühlenteich"),
        ("Oberschule Am Mühlenteich", None, None),
    ]
    first = rows[0]
    assert first["Kurzname"] == "IHK"
    assert first["Art"] == "Kammer"
    assert first["Kooperationspartner"] == "ja"
    assert first["E-Mail"] == "ihk@example.org"
    assert first["Telefon"] == "+49 5522 1234"
    assert first["in der Funktion"] == "Geschäftsführerin"
    assert first["vertreten seit"] == datetime.datetime(2014, 1, 1)
    assert first["Partner seit"] == datetime.datetime(2013, 5, 29)
    assert rows[2]["Kooperationspartner"] == "nein"


def test_office_downloads_partners_as_csv_for_german_excel(coordinator_client, network, registry):
    # when
    response = coordinator_client.get(url(network, "partner_export", "csv"))
    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:4] == ["Name", "Kurzname", "Art", "Kooperationspartner"]
    assert rows[1][4] == "29.05.2013"  # Partner seit
    assert rows[1][8] == "'+49 5522 1234"  # a phone number is no formula
    assert rows[2][13] == "01.03.2015"  # vertreten seit
    assert len(rows) == 4


def test_the_download_keeps_the_filters_of_the_list(member_client, network, registry):
    # when
    rows = csv_rows(member_client.get(url(network, "partner_export", "csv", "?q=Mühlenteich")))
    # then
    assert [r[0] for r in rows[1:]] == ["Oberschule Am Mühlenteich"]


def test_formula_in_a_partner_name_is_neutralised(coordinator_client, network):
    # given
    make_partner(network, '=HYPERLINK("http://example.org";"Klick")')
    # when
    rows = csv_rows(coordinator_client.get(url(network, "partner_export", "csv")))
    sheet = openpyxl.load_workbook(
        io.BytesIO(coordinator_client.get(url(network, "partner_export", "xlsx")).content)
    ).active
    # then
    assert rows[1][0] == '\'=HYPERLINK("http://example.org";"Klick")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix is True


@pytest.mark.parametrize("name", ["partner_export", "people_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_one_outside_the_network_downloads(
    client, network, registry, outsider, stranger, name, fmt
):
    # anonymous: to the sign-in page
    assert client.get(url(network, name, fmt)).status_code == 302
    # another network's coordination office, someone in no network: the network is not revealed
    for user in (outsider, stranger):
        client.force_login(user)
        assert client.get(url(network, name, fmt)).status_code == 404


def test_the_selector_refuses_whom_the_page_refuses(network, registry, outsider, stranger):
    for actor in (outsider, stranger):
        with pytest.raises(PermissionDenied):
            exports.partner_table(actor=actor, network=network)
        with pytest.raises(PermissionDenied):
            body_exports.people_table(actor=actor, network=network)


def test_another_network_s_partners_never_appear(outsider, other_network, registry, client):
    # when: the other network's office downloads its own list
    client.force_login(outsider)
    rows = csv_rows(client.get(url(other_network, "partner_export", "csv")))
    # then
    assert [r[0] for r in rows[1:]] == ["Geheime Kammer Anderswo"]


def test_a_download_writes_nothing(coordinator_client, network, registry):
    # given
    events = HistoryEvent.objects.count()
    # when
    for name in ("partner_export", "people_export"):
        for fmt in ("csv", "xlsx"):
            assert coordinator_client.get(url(network, name, fmt)).status_code == 200
    # then
    assert HistoryEvent.objects.count() == events


def test_the_lists_offer_the_downloads(coordinator_client, network, registry):
    # when
    partners = coordinator_client.get(
        reverse("networks:partner_list", args=[network.slug]) + "?q=IHK&status=all"
    ).content.decode()
    people = coordinator_client.get(
        reverse("networks:person_list", args=[network.slug])
    ).content.decode()
    # then
    assert f'href="{url(network, "partner_export", "xlsx")}?q=IHK&amp;status=all"' in partners
    assert "Als Excel-Datei (XLSX)" in partners
    assert "Als CSV" in partners
    assert f'href="{url(network, "people_export", "csv")}"' in people


# --- people with their memberships -----------------------------------------------------------


@pytest.fixture
def bodies(network, registry, member):
    """The member (Mika) sits in the working group; Anna sits in the board and the group."""
    mika = person_for(network, member, first_name="Mika", last_name="Mitglied")
    board = make_body(network, "Beirat")
    group = make_body(network, "AG Berufsorientierung", "working_group")
    seat = add_seat(board, partner=registry["ihk"])
    group_seat = add_seat(group, partner=registry["ihk"])
    anna_board = add_member(board, registry["anna"], seat=seat)
    add_member(group, registry["anna"], seat=group_seat)
    add_member(group, mika, "guest")
    bernd = make_person(network, "Bernd", "Berger", email="bernd@example.org")
    add_member(board, bernd, "substitute", substitute_for=anna_board)
    return {"board": board, "group": group, "mika": mika}


def test_office_downloads_people_with_all_memberships_and_contacts(
    coordinator_client, network, bodies
):
    # when
    rows = as_dicts(sheet_rows(coordinator_client.get(url(network, "people_export", "xlsx"))))
    # then
    assert [(r["Nachname"], r["Gremium"], r["Rolle"], r["Sitz"], r["vertritt"]) for r in rows] == [
        ("Alt", "AG Berufsorientierung", "Mitglied", "Industrie- und Handelskammer Osterode", None),
        ("Alt", "Beirat", "Mitglied", "Industrie- und Handelskammer Osterode", None),
        (
            "Berger",
            "Beirat",
            "Vertreter/in (eines Mitglieds)",
            "Industrie- und Handelskammer Osterode",
            "Anna Alt",
        ),
        ("Mitglied", "AG Berufsorientierung", "hinzugezogene/r Expert/in", None, None),
    ]
    assert rows[0]["E-Mail"] == "anna.alt@example.org"
    assert rows[0]["Telefon"] == "0551 1"
    assert rows[0]["Mitglied seit"] == datetime.datetime(2014, 1, 1)
    assert rows[3]["Benutzerkonto"] == "ja"


def test_member_sees_memberships_of_own_bodies_only_and_no_contacts(member_client, network, bodies):
    # when
    rows = as_dicts(csv_rows(member_client.get(url(network, "people_export", "csv"))))
    # then: the board's memberships are not the member's to see; Bernd stays, without them
    assert [(r["Nachname"], r["Gremium"]) for r in rows] == [
        ("Alt", "AG Berufsorientierung"),
        ("Berger", ""),
        ("Mitglied", "AG Berufsorientierung"),
    ]
    assert "E-Mail" not in rows[0]
    assert "Telefon" not in rows[0]
    body = member_client.get(url(network, "people_export", "csv")).content.decode("utf-8-sig")
    assert "anna.alt@example.org" not in body
    assert "Beirat" not in body


def test_people_download_keeps_the_search(coordinator_client, network, bodies):
    rows = as_dicts(
        csv_rows(coordinator_client.get(url(network, "people_export", "csv", "?q=Berger")))
    )

    assert [r["Nachname"] for r in rows] == ["Berger"]


# --- a fixed number of queries ---------------------------------------------------------------

# 3 for every network page (session, user, network with the role), plus the download's own:
# partners 2 (the partners with their names, their representations); people 2 (the people,
# their memberships in the bodies the actor may see).


@pytest.mark.parametrize("n", [5, 60])
@pytest.mark.parametrize("name", ["partner_export", "people_export"])
def test_the_number_of_queries_does_not_grow(
    coordinator_client, network, django_assert_num_queries, n, name
):
    # given
    build_registry(network, n, with_history=False)
    # when
    with django_assert_num_queries(5):
        response = coordinator_client.get(url(network, name, "xlsx"))
    # then
    assert len(sheet_rows(response)) == n + 1


@pytest.mark.parametrize("n", [5, 60])
def test_a_member_s_people_download_needs_no_more_queries(
    member_client, network, member, django_assert_num_queries, n
):
    # given: the member sits in a working group with n people
    build_registry(network, n, with_history=False)
    group = make_body(network, "AG Berufsorientierung", "working_group")
    add_member(group, person_for(network, member, first_name="Mika", last_name="Mitglied"), "guest")
    for person in Person.objects.filter(network=network).exclude(user=member):
        add_member(group, person, "guest")
    # when: the bodies they sit in are a subquery of the memberships' query
    with django_assert_num_queries(5):
        response = member_client.get(url(network, "people_export", "xlsx"))
    # then
    rows = as_dicts(sheet_rows(response))
    assert len(rows) == n + 1
    assert {r["Gremium"] for r in rows} == {"AG Berufsorientierung"}
