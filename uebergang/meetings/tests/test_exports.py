"""Downloads of meetings, the network day and participation for Excel, and the attendance
list to print and sign. Who may download is who sees the data on its page: a meeting's
invitees and the attendance list are the coordination office's, the registrations every
member's (the e-mail addresses and notes the office's only), participation the office's.
Another network's data never appears, a download writes nothing, and the number of
queries does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from uebergang.bodies.models import Membership
from uebergang.core.errors import PermissionDenied
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import exports, services
from uebergang.meetings.models import Invitation, Registration
from uebergang.meetings.tests.factories import (
    START,
    days_from_today,
    link_user,
    make_board,
    make_held_meeting,
    make_invited_meeting,
    make_network_day,
)
from uebergang.networks.models import Partner
from uebergang.networks.tests.factories import PersonFactory, make_partner, make_person

D = datetime.date


def meeting_url(network, meeting, name: str) -> str:
    return reverse(f"meetings:{name}", args=[network.slug, meeting.public_id])


def day_url(network, name: str, *args) -> str:
    return reverse(f"networkdays:{name}", args=[network.slug, *args])


def xlsx_rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def held(board):
    """A meeting held 60 days ago: Anna said she attends and came, Carla came without
    answering, Emil declined; the rest did not answer."""
    with time_machine.travel(timezone.now() - datetime.timedelta(days=70)):
        meeting = make_invited_meeting(board, day=days_from_today(10))
        by_person = {i.person_id: i for i in Invitation.objects.filter(meeting=meeting)}
        services.invitation_reply(actor=SYSTEM, invitation=by_person[board.anna.pk], reply="attend")
        services.invitation_reply(
            actor=SYSTEM, invitation=by_person[board.emil.pk], reply="decline", note="Urlaub"
        )
    services.attendance_record(actor=SYSTEM, meeting=meeting, people=[board.anna, board.carla])
    return meeting


# --- a meeting's invitees --------------------------------------------------------------------


def test_office_downloads_invitees_with_answers_and_attendance(
    coordinator_client, network, board, held
):
    # when
    response = coordinator_client.get(meeting_url(network, held, "invitee_export_xlsx"))
    # then
    assert response["Content-Disposition"] == (
        f'attachment; filename="Eingeladene-Beirat-{held.day:%Y-%m-%d}.xlsx"'
    )
    rows = {r["Empfänger/in"]: r for r in xlsx_rows(response)}
    people = ["Anna Alt", "Bernd Berger", "Carla Clausen", "Dora Dietrich", "Emil Ehrlich"]
    assert set(people + ["Frieda Funk", "Gustav Gans"]) <= set(rows)
    assert len(rows) == 9  # 7 people, 2 institutions for information
    anna = rows["Anna Alt"]
    assert (anna["Art"], anna["Rolle"], anna["Sitz"]) == (
        "eingeladen",
        "Mitglied",
        "Industrie- und Handelskammer Osterode",
    )
    assert (anna["E-Mail"], anna["Antwort"], anna["anwesend"]) == (
        "anna.alt@example.org",
        "nimmt teil",
        "ja",
    )
    assert isinstance(anna["geantwortet am"], datetime.datetime)
    assert (rows["Emil Ehrlich"]["Antwort"], rows["Emil Ehrlich"]["anwesend"]) == (
        "sagt ab",
        "nein",
    )
    assert rows["Emil Ehrlich"]["Bemerkung zur Antwort"] == "Urlaub"
    assert rows["Carla Clausen"]["anwesend"] == "ja"
    assert rows["Bernd Berger"]["Rolle"] == "Vertreter/in (eines Mitglieds)"
    information = [r for r in rows.values() if r["Art"].startswith("zur Information")]
    assert [r["anwesend"] for r in information] == [None] * len(information)
    assert len(information) == 2


def test_invitees_as_csv_with_german_dates(coordinator_client, network, board, held):
    rows = csv_rows(coordinator_client.get(meeting_url(network, held, "invitee_export_csv")))

    anna = next(r for r in rows if r["Empfänger/in"] == "Anna Alt")
    assert anna["anwesend"] == "ja"
    assert anna["geantwortet am"][2] == "." and anna["geantwortet am"][5] == "."
    assert len(rows) == 9


def test_someone_present_without_an_invitation_is_listed(coordinator_client, network, board, held):
    # given: a person not in the body, recorded as present
    guest = make_person(network, "Gisela", "Gast")
    services.attendance_record(actor=SYSTEM, meeting=held, people=[board.anna, board.carla, guest])
    # when
    rows = csv_rows(coordinator_client.get(meeting_url(network, held, "invitee_export_csv")))
    # then
    gisela = next(r for r in rows if r["Empfänger/in"] == "Gisela Gast")
    assert (gisela["Art"], gisela["anwesend"]) == ("ohne Einladung", "ja")


def test_members_do_not_get_the_invitees(member_client, network, member, board, held):
    # given: the member sits in the board (sees the meeting, but not its invitations)
    link_user(board.anna, member)
    # then
    assert member_client.get(meeting_url(network, held, "meeting_detail")).status_code == 200
    for name in ("invitee_export_xlsx", "invitee_export_csv", "attendance_list_pdf"):
        assert member_client.get(meeting_url(network, held, name)).status_code == 403
    with pytest.raises(PermissionDenied):
        exports.invitee_table(actor=member, network=network, meeting=held)
    with pytest.raises(PermissionDenied):
        exports.attendance_sheet(actor=member, network=network, meeting=held)


def test_another_network_gets_404(client, network, other_network, outsider, board, held):
    client.force_login(outsider)
    for name in ("invitee_export_xlsx", "invitee_export_csv", "attendance_list_pdf"):
        assert client.get(meeting_url(network, held, name)).status_code == 404
        # with its own slug and this network's meeting: not found either
        assert client.get(meeting_url(other_network, held, name)).status_code == 404
    with pytest.raises(PermissionDenied):
        exports.invitee_table(actor=outsider, network=network, meeting=held)


def test_the_meeting_page_offers_the_downloads_to_the_office(coordinator_client, network, held):
    page = coordinator_client.get(
        meeting_url(network, held, "meeting_invitations")
    ).content.decode()

    assert f'href="{meeting_url(network, held, "invitee_export_xlsx")}"' in page
    assert f'href="{meeting_url(network, held, "invitee_export_csv")}"' in page
    assert f'href="{meeting_url(network, held, "attendance_list_pdf")}"' in page
    assert "Anwesenheitsliste zum Unterschreiben (PDF)" in page


def test_the_member_s_meeting_page_has_no_such_links(member_client, network, member, board, held):
    link_user(board.anna, member)

    page = member_client.get(meeting_url(network, held, "meeting_detail")).content.decode()

    assert "eingeladene.xlsx" not in page
    assert "anwesenheitsliste.pdf" not in page


# --- the attendance list ---------------------------------------------------------------------


def test_the_attendance_list_names_members_and_substitutes_with_signature_fields(
    coordinator_client, network, board
):
    # given: a planned meeting (the list is printed before the meeting)
    meeting = make_invited_meeting(board)
    # when
    response = coordinator_client.get(meeting_url(network, meeting, "attendance_list_pdf"))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Anwesenheitsliste-{meeting.day:%Y-%m-%d}-Beirat.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Anwesenheitsliste: Sitzung des Beirats" in text
    assert "Unterschrift" in text
    for name in ("Anna Alt", "Carla Clausen", "Emil Ehrlich", "Gustav Gans"):
        assert name in text
    assert "Bernd Berger" in text
    assert "für Anna Alt" in text  # the substitute, for whom
    assert "Dora Dietrich" in text and "Frieda Funk" in text
    assert "Weitere Anwesende" in text
    assert (
        text.index("Anna Alt")
        < text.index("Vertreter/innen (von Mitgliedern)")
        < text.index("Bernd Berger")
    )


# --- the network day -------------------------------------------------------------------------


@pytest.fixture
def day(network, board):
    nd = make_network_day(network, day=D(2025, 6, 17))
    regs = [
        services.registration_add(actor=SYSTEM, day=nd, person=board.anna, note="vegetarisch"),
        services.registration_add(
            actor=SYSTEM,
            day=nd,
            partner=board.agentur,
            name="=1+1 Gast",
            email="gast@example.org",
        ),
    ]
    services.network_day_attendance(actor=SYSTEM, day=nd, attended=regs[:1])
    return nd


def test_office_downloads_registrations_with_contacts(coordinator_client, network, day):
    rows = xlsx_rows(
        coordinator_client.get(day_url(network, "registration_export_xlsx", day.public_id))
    )

    assert [
        (r["Institution"], r["Name"], r["E-Mail"], r["Vermerk"], r["teilgenommen"]) for r in rows
    ] == [
        ("Agentur für Arbeit Göttingen", "=1+1 Gast", "gast@example.org", None, "nein"),
        (
            "Industrie- und Handelskammer Osterode",
            "Anna Alt",
            "anna.alt@example.org",
            "vegetarisch",
            "ja",
        ),
    ]
    assert isinstance(rows[0]["angemeldet am"], datetime.datetime)


def test_member_downloads_registrations_without_contacts(member_client, network, day):
    rows = csv_rows(member_client.get(day_url(network, "registration_export_csv", day.public_id)))

    assert [(r["Institution"], r["Name"], r["teilgenommen"]) for r in rows] == [
        ("Agentur für Arbeit Göttingen", "'=1+1 Gast", "nein"),
        ("Industrie- und Handelskammer Osterode", "Anna Alt", "ja"),
    ]
    assert "E-Mail" not in rows[0] and "Vermerk" not in rows[0]
    assert rows[0]["angemeldet am"][2] == "."


def test_the_network_day_page_offers_the_downloads(member_client, network, day):
    page = member_client.get(day_url(network, "networkday_detail", day.public_id)).content.decode()

    assert f'href="{day_url(network, "registration_export_xlsx", day.public_id)}"' in page
    assert "Als CSV" in page


def test_registrations_of_another_network_are_404(client, network, other_network, outsider, day):
    client.force_login(outsider)

    assert client.get(day_url(network, "registration_export_csv", day.public_id)).status_code == 404
    assert (
        client.get(day_url(other_network, "registration_export_csv", day.public_id)).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        exports.registration_table(actor=outsider, network=network, day=day)


# --- participation ---------------------------------------------------------------------------


def test_office_downloads_participation_per_institution_and_year(
    coordinator_client, network, board, day
):
    # given: the IHK (Anna) at a board meeting in 2025 and at the network day
    make_held_meeting(board, day=D(2025, 3, 4), present=("anna",))
    # when
    rows = xlsx_rows(coordinator_client.get(day_url(network, "participation_export_xlsx")))
    # then
    ihk = next(r for r in rows if r["Institution"] == "Industrie- und Handelskammer Osterode")
    assert ihk == {
        "Institution": "Industrie- und Handelskammer Osterode",
        "Kooperationspartner": "ja",
        "Jahr": 2025,
        "Sitzungen des Beirats": 1,
        "von Sitzungen des Beirats": 1,
        "Sitzungen der Arbeitsgremien": 0,
        "von Sitzungen der Arbeitsgremien": 0,
        "Netzwerktage": 1,
        "von Netzwerktagen": 1,
    }
    assert {r["Jahr"] for r in rows} == {2025}


def test_participation_download_keeps_the_year(coordinator_client, network, board):
    make_held_meeting(board, day=D(2025, 3, 4), present=("anna",))
    make_held_meeting(board, day=D(2023, 3, 4), present=("anna",))

    rows = csv_rows(
        coordinator_client.get(day_url(network, "participation_export_csv") + "?jahr=2023")
    )
    page = coordinator_client.get(day_url(network, "participation") + "?jahr=2023").content.decode()

    assert {r["Jahr"] for r in rows} == {"2023"}
    assert f'href="{day_url(network, "participation_export_csv")}?jahr=2023"' in page


def test_participation_is_the_office_s(member_client, network, member, day):
    assert member_client.get(day_url(network, "participation_export_csv")).status_code == 403
    with pytest.raises(PermissionDenied):
        exports.participation_table(actor=member, network=network)


def test_downloads_write_nothing(coordinator_client, network, board, held, day):
    events = HistoryEvent.objects.count()

    for path in (
        meeting_url(network, held, "invitee_export_csv"),
        meeting_url(network, held, "invitee_export_xlsx"),
        meeting_url(network, held, "attendance_list_pdf"),
        day_url(network, "registration_export_xlsx", day.public_id),
        day_url(network, "participation_export_xlsx"),
    ):
        assert coordinator_client.get(path).status_code == 200

    assert HistoryEvent.objects.count() == events


# --- a fixed number of queries ---------------------------------------------------------------
# 3 for every network page (session, user, network with the role), plus the download's own.


def grow_board(board, n: int) -> None:
    """`n` more guest experts in the board (so `n` more invitations)."""
    Membership.objects.bulk_create(
        Membership(
            network=board.network,
            body=board.body,
            person=PersonFactory(network=board.network, organisation=board.ihk),
            role="guest",
            valid_from=START,
        )
        for _ in range(n)
    )


@pytest.mark.parametrize("n", [5, 60])
def test_invitee_download_queries_do_not_grow(
    coordinator_client, network, board, django_assert_num_queries, n
):
    # given
    grow_board(board, n)
    meeting = make_held_meeting(board, present=("anna", "carla"))
    # when: 3 + the meeting, its invitations, its attendances
    with django_assert_num_queries(6):
        response = coordinator_client.get(meeting_url(network, meeting, "invitee_export_xlsx"))
    # then
    assert len(xlsx_rows(response)) == 9 + n


@pytest.mark.parametrize("n", [5, 40])
def test_attendance_list_queries_do_not_grow(
    coordinator_client, network, board, django_assert_num_queries, n
):
    # given
    grow_board(board, n)
    meeting = make_invited_meeting(board)
    # when: 3 + the meeting, the meeting with its network, the people in the body
    with django_assert_num_queries(6):
        response = coordinator_client.get(meeting_url(network, meeting, "attendance_list_pdf"))
    # then
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("n", [5, 200])
def test_registration_download_queries_do_not_grow(
    coordinator_client, network, django_assert_num_queries, n
):
    # given
    nd = make_network_day(network)
    partner = make_partner(network, "Institution")
    Registration.objects.bulk_create(
        Registration(network=network, network_day=nd, partner=partner, name=f"Person {i:04d}")
        for i in range(n)
    )
    # when: 3 + the day, its registrations
    with django_assert_num_queries(5):
        response = coordinator_client.get(day_url(network, "registration_export_csv", nd.public_id))
    # then
    assert len(csv_rows(response)) == n


@pytest.mark.parametrize("n", [5, 200])
def test_participation_download_queries_do_not_grow(
    coordinator_client, network, django_assert_num_queries, n
):
    # given: n institutions at a network day
    nd = make_network_day(network, day=D(2024, 6, 1))
    partners = Partner.objects.bulk_create(
        Partner(network=network, name=f"Institution {i:04d}", valid_from=D(2014, 1, 1))
        for i in range(n)
    )
    Registration.objects.bulk_create(
        Registration(network=network, network_day=nd, partner=p, name="P", attended=True)
        for p in partners
    )
    # when: 3 + meetings attended, network days attended, the institutions, and what they
    # could have attended (3 grouped queries: `selectors._meeting_participation`, days held)
    with django_assert_num_queries(9):
        response = coordinator_client.get(day_url(network, "participation_export_csv"))
    # then
    assert len(csv_rows(response)) == n
