"""The bodies' pages: they render for the coordination office, show the composition on any
day (`?stichtag=`), their forms post through the services, and errors appear in German next
to the fields they concern (changing nothing)."""

from __future__ import annotations

import datetime
import html
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from uebergang.bodies import services
from uebergang.bodies.models import Body, BodySeat, Membership, Office
from uebergang.core.models import HistoryEvent
from uebergang.core.permissions import SYSTEM
from uebergang.networks import services as network_services
from uebergang.networks.tests.factories import make_partner, make_person, make_seat

D = datetime.date
START = D(2014, 1, 1)
LAST_DAY = D(2016, 10, 31)
NEXT_DAY = D(2016, 11, 1)
REQUIRED = "Dieses Feld ist zwingend erforderlich."


def url(name, network, *args):
    return reverse(f"bodies:{name}", args=[network.slug, *args])


def text(response) -> str:
    return html.unescape(response.content.decode())


def field_error(response, field: str) -> str | None:
    """The error text shown next to the field (`id_<field>-error`), or None."""
    match = re.search(
        rf'id="id_{field}-error"><span[^>]*></span><span class="kern-body">(.*?)</span>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else None


def alert(response) -> list[str]:
    """The messages in the error box above the form."""
    box = re.search(
        r'kern-alert--danger[^"]*" role="alert"[^>]*>(.*?)</div>\s*</div>',
        response.content.decode(),
        re.S,
    )
    if not box:
        return []
    return [
        html.unescape(m) for m in re.findall(r'<p class="kern-body">(.*?)</p>', box.group(1), re.S)
    ]


def state() -> tuple[list, int]:
    rows = []
    for model in (Body, BodySeat, Membership, Office):
        rows += [
            (model.__name__, r.public_id, r.version, r.valid_from, r.valid_to)
            for r in model.all_objects.order_by("pk")
        ]
    return rows, HistoryEvent.objects.count()


def seat_rows(response) -> list[tuple]:
    """(seat, members, substitutes, voting) of the detail page's seat table."""
    return [
        (
            str(row.seat),
            [str(m.person) for m in row.members],
            [str(m.person) for m in row.substitutes],
            row.seat.voting,
        )
        for row in response.context["d"].seats
    ]


@pytest.fixture
def r(network):
    """The advisory board: the IHK's seat (Anna Alt until 31.10.2016, then Bernd Berger; Carla
    Clausen substitutes for Anna, Anna chairs), the schools' seat without vote (Dora Dietrich,
    deputy chair), a guest expert; and a working group dissolved in 2016."""
    ihk = make_partner(network, "Industrie und Handelskammer Osterode", kind="chamber")
    agentur = make_partner(network, "Agentur für Arbeit Göttingen", kind="employment_agency")
    school = make_partner(network, "Oberschule Am Mühlenteich", is_party=False)
    schools = make_seat(network, "Allgemeinbildende Schulen")
    network_services.seat_assign(actor=SYSTEM, seat=schools, partner=school, valid_from=START)
    board = services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "Beirat",
            "kind": "advisory_board",
            "quorum_rule": "majority",
            "valid_from": START,
        },
    )
    group = services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "AG Berufsorientierung",
            "kind": "working_group",
            "topic_area": "Berufsorientierung",
            "valid_from": START,
        },
    )
    services.body_dissolve(actor=SYSTEM, body=group, valid_to=LAST_DAY)
    ihk_seat = services.body_seat_add(actor=SYSTEM, body=board, partner=ihk, valid_from=START)
    schools_seat = services.body_seat_add(
        actor=SYSTEM, body=board, constituency_seat=schools, voting=False, valid_from=START
    )
    anna, bernd, carla, dora, erik = (
        make_person(network, "Anna", "Alt"),
        make_person(network, "Bernd", "Berger"),
        make_person(network, "Carla", "Clausen"),
        make_person(network, "Dora", "Dietrich"),
        make_person(network, "Erik", "Experte"),
    )
    anna_m = services.membership_add(
        actor=SYSTEM,
        body=board,
        person=anna,
        role="member",
        seat=ihk_seat,
        valid_from=START,
        valid_to=LAST_DAY,
    )
    services.membership_add(
        actor=SYSTEM,
        body=board,
        person=carla,
        role="substitute",
        substitute_for=anna_m,
        valid_from=START,
        valid_to=LAST_DAY,
    )
    bernd_m = services.membership_add(
        actor=SYSTEM, body=board, person=bernd, role="member", seat=ihk_seat, valid_from=NEXT_DAY
    )
    dora_m = services.membership_add(
        actor=SYSTEM, body=board, person=dora, role="member", seat=schools_seat, valid_from=START
    )
    chair = services.office_assign(
        actor=SYSTEM, membership=anna_m, kind="chair", valid_from=START, valid_to=LAST_DAY
    )
    deputy = services.office_assign(
        actor=SYSTEM, membership=dora_m, kind="deputy", valid_from=START
    )
    guest = services.membership_add(
        actor=SYSTEM,
        body=board,
        person=erik,
        role="guest",
        valid_from=START,
        note="Fachkräftebedarf",
    )
    return SimpleNamespace(
        network=network,
        ihk=ihk,
        agentur=agentur,
        school=school,
        schools=schools,
        board=board,
        group=group,
        ihk_seat=ihk_seat,
        schools_seat=schools_seat,
        anna=anna,
        bernd=bernd,
        carla=carla,
        dora=dora,
        erik=erik,
        anna_m=anna_m,
        bernd_m=bernd_m,
        dora_m=dora_m,
        chair=chair,
        deputy=deputy,
        guest=guest,
    )


# --- list and detail -------------------------------------------------------------------------


def test_body_list_shows_the_current_bodies_with_seats_and_members(coordinator_client, r):
    # when
    response = coordinator_client.get(url("body_list", r.network))
    # then
    assert response.status_code == 200
    assert [
        (b.name, b.kind_label, b.seat_count, b.member_count) for b in response.context["bodies"]
    ] == [("Beirat", "Beirat", 2, 2)]
    body = text(response)
    assert f'href="/n/osterode/gremien/{r.board.public_id}/">Beirat</a>' in body
    assert "01.01.2014 – heute" in body
    assert "AG Berufsorientierung" not in body
    assert 'href="/n/osterode/gremien/neu/"' in body
    assert "Gremium anlegen" in body


def test_body_list_on_a_past_date_shows_the_bodies_of_that_day(coordinator_client, r):
    # when
    response = coordinator_client.get(url("body_list", r.network), {"stichtag": "2015-06-30"})
    # then
    assert [(b.name, b.seat_count, b.member_count) for b in response.context["bodies"]] == [
        ("Beirat", 2, 2),
        ("AG Berufsorientierung", 0, 0),
    ]
    body = text(response)
    assert f'{r.group.public_id}/?stichtag=2015-06-30">AG Berufsorientierung</a>' in body
    assert "Berufsorientierung" in body
    assert "01.01.2014 – 31.10.2016" in body
    assert 'name="stichtag" value="2015-06-30"' in body


def test_body_detail_shows_seats_members_offices_guests_and_history(coordinator_client, r):
    # when
    response = coordinator_client.get(url("body_detail", r.network, r.board.public_id))
    # then
    assert response.status_code == 200
    assert seat_rows(response) == [
        ("Allgemeinbildende Schulen", ["Dora Dietrich"], [], False),
        ("Industrie und Handelskammer Osterode", ["Bernd Berger"], [], True),
    ]
    d = response.context["d"]
    assert [str(o) for o in d.offices] == ["Stellvertretung (Vorsitz): Dora Dietrich"]
    assert [str(m.person) for m in d.guests] == ["Erik Experte"]
    assert len(d.memberships) == 5
    body = text(response)
    assert '<h1 class="kern-heading-large">Beirat</h1>' in body
    assert "mehr als die Hälfte der stimmberechtigten Sitze anwesend" in body
    assert "14 Tage" in body
    assert "2 Sitze" in body
    assert "beratend" in body
    assert "Erik Experte – hinzugezogene/r Expert/in (01.01.2014 – offen): Fachkräftebedarf" in body
    assert "Vertreter/in (eines Mitglieds) (für Anna Alt)" in body
    assert "Vorsitz 01.01.2014 – 31.10.2016" in body
    assert "Sie sehen die Besetzung" not in body
    # the management actions
    for action in ("Person aufnehmen", "Sitz anlegen", "Amt eintragen", "Bearbeiten", "Auflösen"):
        assert action in body
    assert url("membership_end", r.network, r.bernd_m.public_id) in body
    assert url("seat_end", r.network, r.ihk_seat.public_id) in body
    assert url("office_end", r.network, r.deputy.public_id) in body
    # the history of the body and of what hangs on it, on its own page
    history = url("body_history", r.network, r.board.public_id)
    assert f'href="{history}">Verlauf des Gremiums ansehen</a>' in body
    page = html.unescape(coordinator_client.get(history).content.decode())
    assert "Sitz „Industrie und Handelskammer Osterode“ angelegt" in page
    assert "Mitgliedschaft „Erik Experte – Beirat“ angelegt" in page
    assert "Sitz „Industrie und Handelskammer Osterode“ angelegt" not in body


def test_body_detail_on_a_past_date_shows_the_composition_of_that_day(coordinator_client, r):
    # when
    then = coordinator_client.get(
        url("body_detail", r.network, r.board.public_id), {"stichtag": "2015-06-30"}
    )
    # then
    assert seat_rows(then) == [
        ("Allgemeinbildende Schulen", ["Dora Dietrich"], [], False),
        ("Industrie und Handelskammer Osterode", ["Anna Alt"], ["Carla Clausen"], True),
    ]
    assert [str(o) for o in then.context["d"].offices] == [
        "Vorsitz: Anna Alt",
        "Stellvertretung (Vorsitz): Dora Dietrich",
    ]
    body = text(then)
    assert "Sie sehen die Besetzung am 30.06.2015." in body
    # Anna's membership has its end already: nothing to end any more
    assert url("membership_end", r.network, r.anna_m.public_id) not in body
    assert url("membership_end", r.network, r.dora_m.public_id) in body
    assert 'name="stichtag" value="2015-06-30"' in body


def test_body_detail_before_the_body_existed_shows_no_seats(coordinator_client, r):
    # when
    response = coordinator_client.get(
        url("body_detail", r.network, r.board.public_id), {"stichtag": "2013-12-31"}
    )
    # then
    assert seat_rows(response) == []
    assert "Keine Sitze an diesem Tag." in text(response)


def test_body_detail_ignores_a_malformed_date(coordinator_client, r):
    # when
    response = coordinator_client.get(
        url("body_detail", r.network, r.board.public_id), {"stichtag": "gestern"}
    )
    # then
    assert response.status_code == 200
    assert [row[1] for row in seat_rows(response)] == [["Dora Dietrich"], ["Bernd Berger"]]


def test_body_detail_of_a_dissolved_body_offers_no_actions(coordinator_client, r):
    # when
    response = coordinator_client.get(url("body_detail", r.network, r.group.public_id))
    # then
    body = text(response)
    assert "aufgelöst" in body
    assert "01.01.2014 – 31.10.2016" in body
    assert "Person aufnehmen" not in body
    assert "Auflösen" not in body


def test_body_detail_of_another_network_is_404(client, r, other_network, outsider):
    # given
    client.force_login(outsider)
    # when
    response = client.get(url("body_detail", other_network, r.board.public_id))
    # then
    assert response.status_code == 404


# --- body forms ------------------------------------------------------------------------------


def test_body_create_form_creates_and_redirects(coordinator_client, coordinator, network):
    # when
    response = coordinator_client.post(
        url("body_create", network),
        {
            "name": "Entscheidungsgremium",
            "kind": "decision_board",
            "invitation_period_days": "21",
            "quorum_rule": "minimum",
            "quorum_minimum": "3",
            "valid_from": "2014-01-01",
        },
        follow=True,
    )
    # then
    body = Body.objects.get(name="Entscheidungsgremium")
    assert response.redirect_chain == [(url("body_detail", network, body.public_id), 302)]
    assert (body.kind, body.invitation_period_days, body.quorum_rule, body.quorum_minimum) == (
        "decision_board",
        21,
        "minimum",
        3,
    )
    assert "Das Gremium „Entscheidungsgremium“ ist angelegt." in text(response)
    assert HistoryEvent.objects.get(object_id=body.public_id).actor_id == coordinator.pk


def test_body_create_form_shows_missing_fields_next_to_them(coordinator_client, network):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("body_create", network), {"name": "  ", "quorum_rule": "none"}
    )
    # then
    assert response.status_code == 200
    assert field_error(response, "name") == REQUIRED
    assert field_error(response, "kind") == REQUIRED
    assert field_error(response, "valid_from") == REQUIRED
    assert field_error(response, "quorum_rule") is None
    assert "Bitte prüfen Sie die markierten Felder." in text(response)
    assert state() == before


def test_body_create_form_shows_a_duplicate_name_next_to_the_name(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("body_create", r.network),
        {
            "name": "beirat",
            "kind": "advisory_board",
            "invitation_period_days": "14",
            "quorum_rule": "none",
            "valid_from": "2015-01-01",
        },
    )
    # then
    assert field_error(response, "name") == "Ein aktives Gremium mit diesem Namen gibt es schon."
    assert state() == before


def test_body_create_form_asks_for_the_minimum(coordinator_client, network):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("body_create", network),
        {
            "name": "AG",
            "kind": "working_group",
            "invitation_period_days": "14",
            "quorum_rule": "minimum",
            "valid_from": "2015-01-01",
        },
    )
    # then
    assert field_error(response, "quorum_minimum") == (
        "Bitte geben Sie an, wie viele stimmberechtigte Sitze mindestens anwesend sein müssen."
    )
    assert state() == before


def body_form_data(body: Body, **changes) -> dict:
    data = {
        "name": body.name,
        "kind": body.kind,
        "topic_area": body.topic_area,
        "description": body.description,
        "invitation_period_days": str(body.invitation_period_days),
        "quorum_rule": body.quorum_rule,
        "quorum_minimum": str(body.quorum_minimum or ""),
        "valid_from": body.valid_from.isoformat(),
        "version": str(body.version),
    }
    data.update(changes)
    return data


def test_body_edit_form_shows_the_version_and_saves(coordinator_client, r):
    # when
    form = coordinator_client.get(url("body_edit", r.network, r.board.public_id))
    response = coordinator_client.post(
        url("body_edit", r.network, r.board.public_id),
        body_form_data(r.board, topic_area="Übergang Schule–Beruf"),
    )
    # then
    assert '<input type="hidden" name="version" value="1" id="id_version">' in form.content.decode()
    assert response.status_code == 302
    assert response.url == url("body_detail", r.network, r.board.public_id)
    board = Body.objects.get(pk=r.board.pk)
    assert (board.topic_area, board.version) == ("Übergang Schule–Beruf", 2)


def test_body_edit_conflict_shows_the_current_state(coordinator_client, coordinator, r):
    # given: someone saved since the form was loaded
    loaded = body_form_data(r.board)
    services.body_update(
        actor=coordinator, body=r.board, expected_version=1, data={"topic_area": "Erste"}
    )
    events = HistoryEvent.objects.count()
    # when
    response = coordinator_client.post(
        url("body_edit", r.network, r.board.public_id), {**loaded, "topic_area": "Zweite"}
    )
    # then
    assert response.status_code == 200
    assert alert(response) == [
        "Dieser Datensatz wurde inzwischen von jemand anderem geändert. "
        "Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein."
    ]
    assert "Inzwischen gespeicherter Stand" in text(response)
    assert (
        '<input type="hidden" name="version" value="2" id="id_version">'
        in response.content.decode()
    )
    board = Body.objects.get(pk=r.board.pk)
    assert (board.topic_area, board.version) == ("Erste", 2)
    assert HistoryEvent.objects.count() == events


def test_body_dissolve_form(coordinator_client, network):
    # given
    body = services.body_create(
        actor=SYSTEM,
        network=network,
        data={"name": "AG", "kind": "working_group", "valid_from": START},
    )
    # when
    response = coordinator_client.post(
        url("body_dissolve", network, body.public_id), {"valid_to": "2016-10-31"}, follow=True
    )
    # then
    assert "Das Gremium ist aufgelöst." in text(response)
    assert Body.objects.get(pk=body.pk).valid_to == LAST_DAY


def test_body_dissolve_form_shows_an_end_before_the_start(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("body_dissolve", r.network, r.board.public_id), {"valid_to": "2013-12-31"}
    )
    # then
    assert field_error(response, "valid_to") == (
        "Das Ende (31.12.2013) liegt vor dem Beginn (01.01.2014)."
    )
    assert state() == before


# --- seats -----------------------------------------------------------------------------------


def test_seat_add_form_adds_a_seat_for_a_partner(coordinator_client, r):
    # when
    response = coordinator_client.post(
        url("seat_add", r.network, r.board.public_id),
        {"partner": str(r.agentur.public_id), "voting": "on", "valid_from": "2015-01-01"},
        follow=True,
    )
    # then
    seat = BodySeat.objects.get(partner=r.agentur)
    assert (seat.body_id, seat.voting, seat.valid_from) == (r.board.pk, True, D(2015, 1, 1))
    assert "Der Sitz für Agentur für Arbeit Göttingen ist angelegt." in text(response)


def test_seat_add_form_needs_a_partner_or_a_constituency_seat(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("seat_add", r.network, r.board.public_id),
        {
            "partner": str(r.agentur.public_id),
            "constituency_seat": str(r.schools.public_id),
            "valid_from": "2015-01-01",
        },
    )
    # then
    assert field_error(response, "partner") == (
        "Bitte wählen Sie entweder einen Partner oder eine Sammelvertretung."
    )
    assert state() == before


def test_seat_add_form_shows_a_partner_whose_constituency_sits_in_the_body(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("seat_add", r.network, r.board.public_id),
        {"partner": str(r.school.public_id), "valid_from": "2015-01-01"},
    )
    # then
    assert field_error(response, "partner") == (
        "Oberschule Am Mühlenteich ist der Sammelvertretung „Allgemeinbildende Schulen“ "
        "zugeordnet, die in diesem Gremium sitzt; sie spricht dort für die Institution."
    )
    assert state() == before


def test_seat_add_form_shows_a_second_constituency_seat_next_to_it(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("seat_add", r.network, r.board.public_id),
        {"constituency_seat": str(r.schools.public_id), "valid_from": "2015-01-01"},
    )
    # then
    assert field_error(response, "constituency_seat") == (
        "Diese Sammelvertretung hat in diesem Zeitraum schon einen Sitz in diesem Gremium."
    )
    assert state() == before


def test_seat_add_form_does_not_offer_an_ended_partner(coordinator_client, r):
    # given
    network_services.partner_end(actor=SYSTEM, partner=r.agentur, valid_to=LAST_DAY)
    # when
    form = coordinator_client.get(url("seat_add", r.network, r.board.public_id))
    posted = coordinator_client.post(
        url("seat_add", r.network, r.board.public_id),
        {"partner": str(r.agentur.public_id), "valid_from": "2015-01-01"},
    )
    # then
    assert "Agentur für Arbeit Göttingen" not in text(form)
    assert field_error(posted, "partner") == (
        "Bitte eine gültige Auswahl treffen. Dies ist keine gültige Auswahl."
    )


def test_seat_end_form_ends_the_seat_and_its_member(coordinator_client, r):
    # when
    response = coordinator_client.post(
        url("seat_end", r.network, r.schools_seat.public_id),
        {"valid_to": "2016-10-31"},
        follow=True,
    )
    # then
    assert response.redirect_chain == [(url("body_detail", r.network, r.board.public_id), 302)]
    assert "Der Sitz ist beendet." in text(response)
    assert [
        BodySeat.objects.get(pk=r.schools_seat.pk).valid_to,
        Membership.objects.get(pk=r.dora_m.pk).valid_to,
        Office.objects.get(pk=r.deputy.pk).valid_to,
    ] == [LAST_DAY, LAST_DAY, LAST_DAY]


# --- memberships -----------------------------------------------------------------------------


def test_membership_add_form_adds_a_member_on_a_seat(coordinator_client, coordinator, r):
    # given
    seat = services.body_seat_add(actor=SYSTEM, body=r.board, partner=r.agentur, valid_from=START)
    # when
    response = coordinator_client.post(
        url("membership_add", r.network, r.board.public_id),
        {
            "person": str(r.anna.public_id),
            "role": "member",
            "seat": str(seat.public_id),
            "valid_from": "2017-01-01",
        },
        follow=True,
    )
    # then
    membership = Membership.objects.get(seat=seat)
    assert (membership.person_id, membership.role, membership.valid_from) == (
        r.anna.pk,
        "member",
        D(2017, 1, 1),
    )
    assert "Anna Alt ist aufgenommen (Mitglied)." in text(response)
    assert HistoryEvent.objects.get(object_id=membership.public_id).actor_id == coordinator.pk


def test_membership_add_form_adds_a_substitute_and_a_guest(coordinator_client, r):
    # when
    substitute = coordinator_client.post(
        url("membership_add", r.network, r.board.public_id),
        {
            "person": str(r.carla.public_id),
            "role": "substitute",
            "substitute_for": str(r.bernd_m.public_id),
            "valid_from": "2017-01-01",
        },
    )
    guest = coordinator_client.post(
        url("membership_add", r.network, r.board.public_id),
        {
            "person": str(r.anna.public_id),
            "role": "guest",
            "valid_from": "2017-03-01",
            "valid_to": "2017-03-31",
            "note": "Ausbildungsmarkt",
        },
    )
    # then
    assert (substitute.status_code, guest.status_code) == (302, 302)
    assert list(
        Membership.objects.filter(valid_from__year=2017)
        .order_by("valid_from")
        .values_list("person__last_name", "role", "seat_id", "substitute_for_id", "valid_to")
    ) == [
        ("Clausen", "substitute", r.ihk_seat.pk, r.bernd_m.pk, None),
        ("Alt", "guest", None, None, D(2017, 3, 31)),
    ]


def test_membership_add_form_offers_the_body_s_open_seats_and_members(coordinator_client, r):
    # when
    response = coordinator_client.get(url("membership_add", r.network, r.board.public_id))
    # then
    form = response.context["form"]
    assert sorted(str(s) for s in form.fields["seat"].queryset) == [
        "Allgemeinbildende Schulen",
        "Industrie und Handelskammer Osterode",
    ]
    assert sorted(str(m.person) for m in form.fields["substitute_for"].queryset) == [
        "Bernd Berger",
        "Dora Dietrich",
    ]
    assert "Bernd Berger (Industrie und Handelskammer Osterode)" in text(response)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"role": "member", "person": "bernd"},
            "seat",
            "Bitte wählen Sie einen Sitz dieses Gremiums.",
        ),
        (
            {"role": "member", "person": "anna", "seat": "ihk_seat"},
            "seat",
            "Dieser Sitz ist in diesem Zeitraum schon besetzt: eine Stimme je Sitz. Beenden Sie "
            "zuerst die bisherige Mitgliedschaft.",
        ),
        (
            {"role": "guest", "person": "anna", "seat": "ihk_seat"},
            "seat",
            "Expert/innen und Moderation haben keinen Sitz.",
        ),
        (
            {"role": "substitute", "person": "bernd", "substitute_for": "bernd_m"},
            "substitute_for",
            "Niemand kann sich selbst vertreten.",
        ),
        (
            {"role": "substitute", "person": "anna", "seat": "ihk_seat"},
            "substitute_for",
            "Bitte wählen Sie das Mitglied, das vertreten wird.",
        ),
        (
            {"role": "guest", "person": "anna", "valid_to": "2016-12-31"},
            "valid_to",
            "Das Ende (31.12.2016) liegt vor dem Beginn (01.01.2017).",
        ),
    ],
    ids=["no-seat", "seat-taken", "guest-with-seat", "self", "whom", "end-before-start"],
)
def test_membership_add_form_shows_errors_next_to_the_fields(
    coordinator_client, r, data, field, message
):
    # given
    post = {"valid_from": "2017-01-01"}
    for key, value in data.items():
        post[key] = value if key in ("role", "valid_to") else str(getattr(r, value).public_id)
    before = state()
    # when
    response = coordinator_client.post(url("membership_add", r.network, r.board.public_id), post)
    # then
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert state() == before


def test_membership_end_form(coordinator_client, r):
    # when
    response = coordinator_client.post(
        url("membership_end", r.network, r.guest.public_id), {"valid_to": "2016-10-31"}, follow=True
    )
    # then
    assert "Die Mitgliedschaft ist beendet." in text(response)
    assert Membership.objects.get(pk=r.guest.pk).valid_to == LAST_DAY


def test_membership_end_form_shows_an_end_before_the_start(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("membership_end", r.network, r.bernd_m.public_id), {"valid_to": "2016-10-31"}
    )
    # then
    assert field_error(response, "valid_to") == (
        "Das Ende (31.10.2016) liegt vor dem Beginn (01.11.2016)."
    )
    assert state() == before


# --- offices ---------------------------------------------------------------------------------


def test_office_assign_form_offers_only_current_members(coordinator_client, r):
    # when
    response = coordinator_client.get(url("office_assign", r.network, r.board.public_id))
    # then
    assert sorted(
        str(m.person) for m in response.context["form"].fields["membership"].queryset
    ) == [
        "Bernd Berger",
        "Dora Dietrich",
    ]


def test_office_assign_form_records_the_chair(coordinator_client, r):
    # when
    response = coordinator_client.post(
        url("office_assign", r.network, r.board.public_id),
        {"membership": str(r.bernd_m.public_id), "kind": "chair", "valid_from": "2017-01-01"},
        follow=True,
    )
    # then
    assert "Vorsitz: Bernd Berger ist eingetragen." in text(response)
    office = Office.objects.get(membership=r.bernd_m)
    assert (office.kind, office.valid_from, office.valid_to) == ("chair", D(2017, 1, 1), None)


def test_office_assign_form_shows_a_taken_office_next_to_it(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("office_assign", r.network, r.board.public_id),
        {"membership": str(r.bernd_m.public_id), "kind": "deputy", "valid_from": "2017-01-01"},
    )
    # then
    assert field_error(response, "kind") == (
        "Stellvertretung (Vorsitz) hat in diesem Zeitraum schon Dora Dietrich inne; beenden "
        "Sie zuerst diese Amtszeit."
    )
    assert state() == before


def test_office_end_form(coordinator_client, r):
    # when
    response = coordinator_client.post(
        url("office_end", r.network, r.deputy.public_id), {"valid_to": "2016-10-31"}, follow=True
    )
    # then
    assert response.redirect_chain == [(url("body_detail", r.network, r.board.public_id), 302)]
    assert "Die Amtszeit ist beendet." in text(response)
    assert Office.objects.get(pk=r.deputy.pk).valid_to == LAST_DAY


def test_office_end_form_shows_an_ended_term_above_the_form(coordinator_client, r):
    # given
    before = state()
    # when
    response = coordinator_client.post(
        url("office_end", r.network, r.chair.public_id), {"valid_to": "2016-12-31"}
    )
    # then
    assert response.status_code == 200
    assert alert(response) == ["Diese Amtszeit ist bereits beendet."]
    assert state() == before
