"""The demo network: the partners, representations and constituency seats of the
cooperation agreement of the Landkreis Osterode am Harz (signed 29 May 2013), the 2016
merger into the Landkreis Göttingen, and a few people with clearly fictional names.

Facts, names and dates come from the agreement; the texts are our own words. The seed does
not name individual general schools or people: those are invented and say so."""

from __future__ import annotations

import datetime

from django.db import transaction

from uebergang.accounts.models import User
from uebergang.accounts.services import network_role_grant, user_create
from uebergang.core.models import Network
from uebergang.core.permissions import SYSTEM

from . import services
from .models import Partner, PartnerKind

SLUG = "osterode"
SIGNED = datetime.date(2013, 5, 29)
MERGER = datetime.date(2016, 11, 1)
DEMO_PASSWORD = "Uebergang-Demo-2026"
COORDINATION_EMAIL = "koordination@osterode.example"
MEMBER_EMAIL = "ihk@osterode.example"

NETWORK = {
    "slug": SLUG,
    "name": "Übergang Schule–Beruf im Landkreis Osterode am Harz",
    "region": "Landkreis Osterode am Harz",
    "coordination_office": "Koordinierungsstelle Bildung-Beruf des Landkreises Osterode am Harz",
    "email": "koordinierungsstelle@osterode.example",
    "description": (
        "Schulen, Kommunen, Kammern, Arbeitsverwaltung, Gewerkschaft und Arbeitgeberverbände "
        "arbeiten seit dem 29. Mai 2013 auf Grundlage einer gemeinsamen Kooperationsvereinbarung "
        "zusammen, damit der Weg von der Schule in Ausbildung und Arbeit für alle Jugendlichen "
        "gelingt. Die Koordinierungsstelle Bildung-Beruf – im April 2011 vom Landkreis und den "
        "Berufsbildenden Schulen I und II eingerichtet – moderiert Entscheidungsgremium, Beirat "
        "und Arbeitsgremien."
    ),
}

# (name, kind, is_party, representations: list of (institution name | None, function))
PARTIES: list[tuple[str, str, bool, list[tuple[str | None, str]]]] = [
    (
        "Landkreis Osterode am Harz",
        PartnerKind.COUNTY,
        True,
        [
            (None, "Erster Kreisrat"),
            (None, "Stabsstellenleitung für Bildung, Wirtschaft und Regionalplanung"),
            (None, "Fachbereichsleitung Jugend und Soziales"),
            (None, "Gleichstellungsstelle"),
        ],
    ),
    (
        "Berufsbildende Schulen",
        PartnerKind.GROUP,
        True,
        [
            ("Berufsbildende Schulen I Osterode am Harz", "Schulleitung"),
            ("Berufsbildende Schulen II Osterode am Harz", "Schulleitung"),
        ],
    ),
    ("Allgemeinbildende Schulen", PartnerKind.GROUP, True, [(None, "Schulleitungen")]),
    ("Gemeinden- und Samtgemeinden", PartnerKind.GROUP, True, [("Gemeinde Bad Grund (Harz)", "")]),
    ("Kreistag", PartnerKind.COUNCIL, True, [(None, "Vorsitzende/r")]),
    ("Schul- und Kulturausschuss", PartnerKind.COUNCIL, True, [(None, "Vorsitzende/r")]),
    ("Finanz- und Wirtschaftsausschuss", PartnerKind.COUNCIL, True, [(None, "Vorsitzende/r")]),
    ("Agentur für Arbeit", PartnerKind.EMPLOYMENT_AGENCY, True, [(None, "Geschäftsführung")]),
    ("JobCenter", PartnerKind.JOB_CENTRE, True, [(None, "Abteilungsleitung")]),
    ("Industrie und Handelskammer Osterode am Harz", PartnerKind.CHAMBER, True, []),
    ("Handwerkskammer Hildesheim", PartnerKind.CHAMBER, True, []),
    ("Kreishandwerkerschaft Osterode am Harz", PartnerKind.ASSOCIATION, True, []),
    ("Arbeitgeberverband-Mitte", PartnerKind.ASSOCIATION, True, []),
    ("DGB Südniedersachsen-Harz", PartnerKind.UNION, True, []),
    ("Unternehmerverband MEKOM", PartnerKind.ASSOCIATION, True, []),
    (
        "Niedersächsische Landesschulbehörde",
        PartnerKind.STATE_AUTHORITY,
        True,
        [
            (None, "Dezernentin/Dezernent für Allgemeinbildende Schulen"),
            (None, "Dezernentin/Dezernent für Berufsbildende Schulen"),
            (None, "Fachberatung für Berufsorientierung"),
        ],
    ),
]

SHORT_NAMES = {
    "Industrie und Handelskammer Osterode am Harz": "IHK Osterode",
    "Handwerkskammer Hildesheim": "HWK Hildesheim",
    "Berufsbildende Schulen I Osterode am Harz": "BBS I",
    "Berufsbildende Schulen II Osterode am Harz": "BBS II",
    "Niedersächsische Landesschulbehörde": "Nds. Landesschulbehörde",
    "DGB Südniedersachsen-Harz": "DGB",
}

# Institutions that take part through a party or a constituency seat (not parties themselves).
FICTIONAL = "Fiktive Schule für die Demo; die Vereinbarung nennt die einzelnen Schulen nicht."
INSTITUTIONS: list[tuple[str, str, str]] = [
    ("Berufsbildende Schulen I Osterode am Harz", PartnerKind.SCHOOL_VOCATIONAL, ""),
    ("Berufsbildende Schulen II Osterode am Harz", PartnerKind.SCHOOL_VOCATIONAL, ""),
    ("Gemeinde Bad Grund (Harz)", PartnerKind.MUNICIPALITY, ""),
    ("Stadt Osterode am Harz", PartnerKind.MUNICIPALITY, ""),
    ("Stadt Herzberg am Harz", PartnerKind.MUNICIPALITY, ""),
    ("Stadt Bad Lauterberg im Harz", PartnerKind.MUNICIPALITY, ""),
    ("Oberschule Am Mühlenteich (Demo)", PartnerKind.SCHOOL_GENERAL, FICTIONAL),
    ("Gymnasium Am Harzrand (Demo)", PartnerKind.SCHOOL_GENERAL, FICTIONAL),
    ("Haupt- und Realschule Lindenweg (Demo)", PartnerKind.SCHOOL_GENERAL, FICTIONAL),
    ("Förderschule Sonnenhang (Demo)", PartnerKind.SCHOOL_GENERAL, FICTIONAL),
]

SEATS: dict[str, list[str]] = {
    "Allgemeinbildende Schulen": [
        "Oberschule Am Mühlenteich (Demo)",
        "Gymnasium Am Harzrand (Demo)",
        "Haupt- und Realschule Lindenweg (Demo)",
        "Förderschule Sonnenhang (Demo)",
    ],
    "Kammern": ["Industrie und Handelskammer Osterode am Harz", "Handwerkskammer Hildesheim"],
    "Städte & Gemeinden": [
        "Gemeinde Bad Grund (Harz)",
        "Stadt Osterode am Harz",
        "Stadt Herzberg am Harz",
        "Stadt Bad Lauterberg im Harz",
    ],
    "Verbände": [
        "Kreishandwerkerschaft Osterode am Harz",
        "Arbeitgeberverband-Mitte",
        "DGB Südniedersachsen-Harz",
        "Unternehmerverband MEKOM",
    ],
}
SEAT_TEXT = {
    "Allgemeinbildende Schulen": "Spricht im Beirat für die allgemeinbildenden Schulen des Landkreises.",
    "Kammern": "Spricht im Beirat für die Kammern.",
    "Städte & Gemeinden": "Spricht im Beirat für die Städte und Gemeinden des Landkreises.",
    "Verbände": "Spricht im Beirat für die Verbände der Wirtschaft und die Gewerkschaft.",
}

# Invented people (clearly fictional names): (first, last, function, organisation, email, seat)
PEOPLE: list[tuple[str, str, str, str | None, str, str | None]] = [
    ("Erika", "Musterfrau", "Leitung der Koordinierungsstelle", None, COORDINATION_EMAIL, None),
    (
        "Max",
        "Mustermann",
        "Ausbildungsberatung",
        "Industrie und Handelskammer Osterode am Harz",
        MEMBER_EMAIL,
        "Kammern",
    ),
    (
        "Hanna",
        "Beispiel",
        "Schulleitung",
        "Oberschule Am Mühlenteich (Demo)",
        "",
        "Allgemeinbildende Schulen",
    ),
    (
        "Paul",
        "Platzhalter",
        "Fachdienst Schulen",
        "Gemeinde Bad Grund (Harz)",
        "",
        "Städte & Gemeinden",
    ),
    ("Lena", "Lorem", "Geschäftsstelle", "Kreishandwerkerschaft Osterode am Harz", "", "Verbände"),
    ("Jonas", "Ipsum", "Schulleitung", "Berufsbildende Schulen I Osterode am Harz", "", None),
    ("Clara", "Fiktiv", "Berufsberatung", "Agentur für Arbeit", "", None),
]

# Committees of the county that ended with it (no successor).
ENDED_WITH_COUNTY = ["Kreistag", "Schul- und Kulturausschuss", "Finanz- und Wirtschaftsausschuss"]


def demo_exists() -> bool:
    return Network.all_objects.filter(slug=SLUG).exists()


def load_demo(today: datetime.date | None = None) -> Network:
    """Load the demo network from demo/osterode.json through the import (does nothing if it
    exists); dates after the file's anchor are shifted so that the demo stays current."""
    from .exchange import load_demo_file

    return load_demo_file(today=today)


@transaction.atomic
def build_demo() -> Network:
    """Build the demo network with the services: the source of demo/osterode.json
    (`write_demo_file` in exchange.py rewrites the file from it)."""
    existing = Network.all_objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    actor = SYSTEM
    network = services.network_create(actor=actor, valid_from=SIGNED, **NETWORK)
    by_name: dict[str, Partner] = {}
    for name, kind, description in INSTITUTIONS:
        by_name[name] = services.partner_create(
            actor=actor,
            network=network,
            data={
                "name": name,
                "kind": kind,
                "is_party": False,
                "valid_from": SIGNED,
                "short_name": SHORT_NAMES.get(name, ""),
                "description": description,
            },
        )
    for name, kind, is_party, _reps in PARTIES:
        by_name[name] = services.partner_create(
            actor=actor,
            network=network,
            data={
                "name": name,
                "kind": kind,
                "is_party": is_party,
                "valid_from": SIGNED,
                "short_name": SHORT_NAMES.get(name, ""),
            },
        )
    for name, _kind, _party, reps in PARTIES:
        for institution, function in reps:
            services.representation_create(
                actor=actor,
                partner=by_name[name],
                valid_from=SIGNED,
                institution=by_name[institution] if institution else None,
                function=function,
            )
    seats = {}
    for seat_name, members in SEATS.items():
        seat = services.seat_create(
            actor=actor,
            network=network,
            data={
                "name": seat_name,
                "description": SEAT_TEXT[seat_name],
                "valid_from": SIGNED,
            },
        )
        seats[seat_name] = seat
        for member in members:
            services.seat_assign(actor=actor, seat=seat, partner=by_name[member], valid_from=SIGNED)
    people = {}
    for first, last, function, org, email, seat_name in PEOPLE:
        person = services.person_create(
            actor=actor,
            network=network,
            data={
                "first_name": first,
                "last_name": last,
                "function": function,
                "organisation": by_name.get(org) if org else None,
                "email": email,
                "note": "Fiktive Person für die Demo.",
            },
        )
        people[email or f"{first} {last}"] = person
        if seat_name:
            services.seat_holding_create(
                actor=actor, seat=seats[seat_name], person=person, valid_from=SIGNED
            )
    # The IHK's adviser represents the IHK (a relation: may correct its contact details).
    services.representation_create(
        actor=actor,
        partner=by_name["Industrie und Handelskammer Osterode am Harz"],
        person=people[MEMBER_EMAIL],
        function="Ausbildungsberatung",
        valid_from=SIGNED,
    )
    # 1 November 2016: the Landkreis Osterode am Harz merged into the Landkreis Göttingen.
    for committee in ENDED_WITH_COUNTY:
        services.partner_end(
            actor=actor,
            partner=by_name[committee],
            valid_to=MERGER - datetime.timedelta(days=1),
            reason="dissolved",
            note="Mit dem Landkreis Osterode am Harz zum 31.10.2016 aufgelöst.",
        )
    succession = services.partner_record_succession(
        actor=actor,
        predecessor=by_name["Landkreis Osterode am Harz"],
        date=MERGER,
        successor_data={"name": "Landkreis Göttingen"},
        note="Fusion der Landkreise Osterode am Harz und Göttingen zum 1. November 2016.",
    )
    for _inst, function in PARTIES[0][3]:
        services.representation_create(
            actor=actor, partner=succession.successor, valid_from=MERGER, function=function
        )
    build_demo_bodies(
        network=network,
        by_name={**by_name, "Landkreis Göttingen": succession.successor},
        seats=seats,
        people=people,
    )
    # Accounts: the coordination office and one member (the IHK's adviser).
    for email, name, role in (
        (COORDINATION_EMAIL, "Erika Musterfrau", "coordination"),
        (MEMBER_EMAIL, "Max Mustermann", "member"),
    ):
        user = User.objects.filter(email=email).first() or user_create(
            actor=actor,
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            check_password=False,
        )
        network_role_grant(actor=actor, network=network, user=user, role=role)
        person = people[email]
        person.user = user
        person.save(update_fields=["user", "modified"])
    return network


# --- bodies (an assumption: the agreement does not list who sits in them) ------------------

BODY_PEOPLE = [
    ("Felix", "Fantasie", "Erster Kreisrat", "Landkreis Osterode am Harz"),
    ("Ida", "Imaginär", "Fachbereichsleitung Schule", "Landkreis Göttingen"),
    ("Greta", "Gedacht", "Abteilungsleitung", "JobCenter"),
    (
        "Otto",
        "Ohnegleichen",
        "Fachberatung für Berufsorientierung",
        "Niedersächsische Landesschulbehörde",
    ),
    ("Nele", "Neutral", "Elternvertretung (Kreiselternrat)", None),
]
ASSUMPTION = (
    "Die Kooperationsvereinbarung nennt die Besetzung nicht; die Besetzung in der Demo ist eine "
    "Annahme, die Personen sind erfunden."
)


def build_demo_bodies(*, network, by_name, seats, people) -> None:
    from uebergang.bodies import services as bodies

    actor = SYSTEM
    last_day = MERGER - datetime.timedelta(days=1)
    for first, last, function, org in BODY_PEOPLE:
        people[f"{first} {last}"] = services.person_create(
            actor=actor,
            network=network,
            data={
                "first_name": first,
                "last_name": last,
                "function": function,
                "organisation": by_name.get(org) if org else None,
                "note": "Fiktive Person für die Demo.",
            },
        )
    p = {str(person.first_name + " " + person.last_name): person for person in people.values()}
    coordination = p["Erika Musterfrau"]

    def body(name, kind, valid_from, description, topic_area=""):
        b = bodies.body_create(
            actor=actor,
            network=network,
            data={
                "name": name,
                "kind": kind,
                "valid_from": valid_from,
                "topic_area": topic_area,
                "description": f"{description} {ASSUMPTION}",
                "invitation_period_days": 14,
                "quorum_rule": "majority" if kind != "working_group" else "none",
            },
        )
        bodies.membership_add(
            actor=actor, body=b, person=coordination, role="moderator", valid_from=valid_from
        )
        return b

    def seat(
        b, *, partner=None, constituency=None, valid_from, valid_to=None, member=None, voting=True
    ):
        s_ = bodies.body_seat_add(
            actor=actor,
            body=b,
            partner=by_name[partner] if partner else None,
            constituency_seat=seats[constituency] if constituency else None,
            voting=voting,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        if member:
            return bodies.membership_add(
                actor=actor,
                body=b,
                person=p[member],
                role="member",
                seat=s_,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        return None

    board = body(
        "Entscheidungsgremium",
        "decision_board",
        SIGNED,
        "Gibt konkrete Themen in den Beirat und entscheidet über seine Empfehlungen.",
    )
    seat(
        board,
        partner="Landkreis Osterode am Harz",
        valid_from=SIGNED,
        valid_to=last_day,
        member="Felix Fantasie",
    )
    seat(board, partner="Landkreis Göttingen", valid_from=MERGER, member="Ida Imaginär")
    seat(board, partner="Berufsbildende Schulen", valid_from=SIGNED, member="Jonas Ipsum")
    seat(board, partner="Agentur für Arbeit", valid_from=SIGNED, member="Clara Fiktiv")

    beirat = body(
        "Beirat",
        "advisory_board",
        SIGNED,
        "Die Vertreterinnen und Vertreter der Institutionen beraten die Themen aus der Sicht "
        "ihrer Institution; ein Sitz je Vertragspartner, der nicht über eine Sammelvertretung "
        "spricht, und die vier Sammelvertretungen.",
    )
    seat(
        beirat,
        partner="Landkreis Osterode am Harz",
        valid_from=SIGNED,
        valid_to=last_day,
        member="Felix Fantasie",
    )
    seat(beirat, partner="Landkreis Göttingen", valid_from=MERGER, member="Ida Imaginär")
    seat(beirat, partner="Berufsbildende Schulen", valid_from=SIGNED, member="Jonas Ipsum")
    seat(beirat, partner="Agentur für Arbeit", valid_from=SIGNED, member="Clara Fiktiv")
    seat(beirat, partner="JobCenter", valid_from=SIGNED, member="Greta Gedacht")
    seat(
        beirat,
        partner="Niedersächsische Landesschulbehörde",
        valid_from=SIGNED,
        member="Otto Ohnegleichen",
    )
    chair_old = seat(beirat, constituency="Kammern", valid_from=SIGNED, member="Max Mustermann")
    chair = seat(
        beirat, constituency="Allgemeinbildende Schulen", valid_from=SIGNED, member="Hanna Beispiel"
    )
    deputy = seat(
        beirat, constituency="Städte & Gemeinden", valid_from=SIGNED, member="Paul Platzhalter"
    )
    seat(beirat, constituency="Verbände", valid_from=SIGNED, member="Lena Lorem")
    bodies.office_assign(
        actor=actor,
        membership=chair_old,
        kind="chair",
        valid_from=datetime.date(2024, 5, 14),
        valid_to=datetime.date(2025, 5, 19),
    )
    bodies.office_assign(
        actor=actor, membership=chair, kind="chair", valid_from=datetime.date(2025, 5, 20)
    )
    bodies.office_assign(
        actor=actor, membership=deputy, kind="deputy", valid_from=datetime.date(2025, 5, 20)
    )

    orientation = body(
        "Berufsorientierung abstimmen",
        "working_group",
        datetime.date(2014, 2, 1),
        "Stimmt die berufsorientierenden Maßnahmen der Schulen, der Agentur für Arbeit und "
        "der Kammern aufeinander ab.",
        topic_area="c. Abstimmung von Berufsorientierenden Maßnahmen",
    )
    start = datetime.date(2014, 2, 1)
    seat(orientation, partner="Berufsbildende Schulen", valid_from=start, member="Jonas Ipsum")
    seat(orientation, partner="Agentur für Arbeit", valid_from=start, member="Clara Fiktiv")
    seat(
        orientation,
        constituency="Allgemeinbildende Schulen",
        valid_from=start,
        member="Hanna Beispiel",
    )
    seat(orientation, constituency="Kammern", valid_from=start, member="Max Mustermann")

    parents = body(
        "Elternarbeit",
        "working_group",
        datetime.date(2015, 3, 1),
        "Entwickelt Wege, Eltern in die Berufsorientierung ihrer Kinder einzubeziehen.",
        topic_area="i. Elternarbeit",
    )
    start = datetime.date(2015, 3, 1)
    seat(
        parents, constituency="Allgemeinbildende Schulen", valid_from=start, member="Hanna Beispiel"
    )
    seat(parents, constituency="Städte & Gemeinden", valid_from=start, member="Paul Platzhalter")
    seat(parents, partner="JobCenter", valid_from=start, member="Greta Gedacht")
    bodies.membership_add(
        actor=actor,
        body=parents,
        person=p["Nele Neutral"],
        role="guest",
        valid_from=datetime.date(2024, 9, 1),
        valid_to=datetime.date(2026, 7, 31),
        note="hinzugezogen für die Elternabende zur Berufswahl",
    )
