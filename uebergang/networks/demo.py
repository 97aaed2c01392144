"""The demo network: the partners, representations and constituency seats of the
cooperation agreement of the Landkreis Osterode am Harz (signed 29 May 2013), the 2016
merger into the Landkreis Göttingen, and a few people with clearly fictional names.

Facts, names and dates come from the agreement; the texts are our own words. The seed does
not name individual general schools or people: those are invented and say so."""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

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
        "hanna.beispiel@osterode.example",
        "Allgemeinbildende Schulen",
    ),
    (
        "Paul",
        "Platzhalter",
        "Fachdienst Schulen",
        "Gemeinde Bad Grund (Harz)",
        "paul.platzhalter@osterode.example",
        "Städte & Gemeinden",
    ),
    (
        "Lena",
        "Lorem",
        "Geschäftsstelle",
        "Kreishandwerkerschaft Osterode am Harz",
        "lena.lorem@osterode.example",
        "Verbände",
    ),
    (
        "Jonas",
        "Ipsum",
        "Schulleitung",
        "Berufsbildende Schulen I Osterode am Harz",
        "jonas.ipsum@osterode.example",
        None,
    ),
    (
        "Clara",
        "Fiktiv",
        "Berufsberatung",
        "Agentur für Arbeit",
        "clara.fiktiv@osterode.example",
        None,
    ),
]

# Committees of the county that ended with it (no successor).
ENDED_WITH_COUNTY = ["Kreistag", "Schul- und Kulturausschuss", "Finanz- und Wirtschaftsausschuss"]


EMAIL_DOMAIN = "osterode.example"  # reserved (RFC 2606): cannot receive mail
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": "und"})


def _local_part(text: str) -> str:
    return slugify(text.lower().translate(_UMLAUTS))


def person_email(first: str, last: str) -> str:
    return f"{_local_part(first)}.{_local_part(last)}@{EMAIL_DOMAIN}"


def partner_email(name: str) -> str:
    """An example contact address of an institution on the reserved domain."""
    return f"kontakt.{_local_part(SHORT_NAMES.get(name, name))[:50]}@{EMAIL_DOMAIN}"


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
                "email": partner_email(name),
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
                "email": partner_email(name),
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
        successor_data={
            "name": "Landkreis Göttingen",
            "email": partner_email("Landkreis Göttingen"),
        },
        note="Fusion der Landkreise Osterode am Harz und Göttingen zum 1. November 2016.",
    )
    for _inst, function in PARTIES[0][3]:
        services.representation_create(
            actor=actor, partner=succession.successor, valid_from=MERGER, function=function
        )
    demo_bodies = build_demo_bodies(
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
    build_demo_meetings(
        network=network,
        bodies=demo_bodies,
        by_name={**by_name, "Landkreis Göttingen": succession.successor},
        people=people,
    )
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
                "email": person_email(first, last),
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
    return {"board": board, "beirat": beirat, "orientation": orientation, "parents": parents}


# --- meetings and network days (invented content on the seed's topics) ---------------------
#
# Past meetings are built with the services "as of" their day: `_clock` sets Django's clock to
# the moment of each step (invitation three weeks before, attendance on the day, minutes two
# weeks after), so timestamps, history and the services' date checks read as they would have.
# Only the demo builder does this, single-threaded, inside its own transaction.

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

OPENING = "Begrüßung und Feststellung der Tagesordnung"
APPROVAL = "Genehmigung des Protokolls der letzten Sitzung"
MISC = "Verschiedenes"

# Topics: (title, description, discussion, decisions, task, public)
TOPICS: dict[str, tuple[str, str, str, str, str, bool]] = {
    "ausbildungsmarkt": (
        "Lage am Ausbildungsmarkt",
        "Bericht der Agentur für Arbeit zu Bewerberinnen, Bewerbern und offenen Stellen.",
        "Die Agentur für Arbeit berichtet: mehr offene Ausbildungsstellen als Bewerbungen, "
        "besonders im Handwerk und in der Pflege; viele Jugendliche entscheiden sich spät.",
        "Der Beirat nimmt den Bericht zur Kenntnis und bittet um eine Auswertung nach Berufen.",
        "Auswertung der offenen Ausbildungsstellen nach Berufsgruppen vorlegen",
        True,
    ),
    "praktika": (
        "Betriebspraktika in Klasse 8 und 9",
        "Abstimmung der Praktikumszeiträume zwischen Schulen und Betrieben.",
        "Die Schulen legen ihre Praktikumswochen bisher unabhängig voneinander fest; Betriebe "
        "bekommen dadurch viele Anfragen zur gleichen Zeit.",
        "Die Schulen stimmen ihre Praktikumszeiträume künftig über die Koordinierungsstelle ab.",
        "Übersicht der Praktikumswochen aller Schulen erstellen",
        True,
    ),
    "messe": (
        "Ausbildungsmesse im Landkreis",
        "Planung der gemeinsamen Ausbildungsmesse mit Kammern und Schulen.",
        "Die Kammern schlagen einen Termin im Frühjahr vor; die Schulen wünschen sich "
        "Vorbereitungsstunden im Unterricht und feste Zeitfenster je Jahrgang.",
        "Die Messe findet wieder in den Berufsbildenden Schulen statt; die Kammern laden die "
        "Betriebe ein, die Koordinierungsstelle die Schulen.",
        "Einladung der Schulen zur Ausbildungsmesse versenden",
        True,
    ),
    "elternabend": (
        "Elternabende zur Berufswahl",
        "Wie erreichen wir Eltern, die selten in die Schule kommen?",
        "Gute Erfahrungen mit Elternabenden in Betrieben und mit kurzen Terminen am frühen "
        "Abend; mehrsprachige Einladungen werden gewünscht.",
        "Zwei Elternabende je Schuljahr in wechselnden Betrieben; Einladungen auch in "
        "einfacher Sprache.",
        "Einladungstext in einfacher Sprache entwerfen",
        True,
    ),
    "leitfaden_i": (
        "Praxisleitfaden, Kapitel i: Elternarbeit",
        "Entwurf des Kapitels aus der Arbeitsgruppe Elternarbeit.",
        "Die Arbeitsgruppe stellt den Entwurf vor; der Beirat ergänzt Hinweise aus Sicht der "
        "Kammern und der Gemeinden.",
        "Der Entwurf geht mit den Ergänzungen zurück an die Arbeitsgruppe.",
        "Ergänzungen des Beirats in den Entwurf einarbeiten",
        True,
    ),
    "leitfaden_c": (
        "Praxisleitfaden, Kapitel c: Berufsorientierende Maßnahmen",
        "Abstimmung der Maßnahmen von Schulen, Agentur für Arbeit und Kammern.",
        "Übersicht der Angebote je Jahrgang: Potenzialanalyse, Berufsfelderkundung, "
        "Praktika, Bewerbungstraining. Doppelungen in Klasse 9 fallen auf.",
        "Die Arbeitsgruppe legt einen abgestimmten Fahrplan für die Jahrgänge 7 bis 10 vor.",
        "Fahrplan Berufsorientierung Klasse 7 bis 10 entwerfen",
        True,
    ),
    "uebergang": (
        "Übergang Schule–Beruf: Verbleib der Abgängerinnen und Abgänger",
        "Bericht zum Verbleib nach dem Schulabschluss.",
        "Die Berufsbildenden Schulen berichten über die Zahl der Jugendlichen im "
        "Übergangsbereich; die Übergabe der Informationen zwischen den Schulen wird diskutiert.",
        "Die Koordinierungsstelle bereitet eine gemeinsame Übersicht für die nächste Sitzung vor.",
        "Gemeinsame Übersicht zum Verbleib vorbereiten",
        True,
    ),
    "selbstevaluation": (
        "Selbstevaluation der Institutionen",
        "Vorstellung des einheitlichen Bogens und des Zeitplans.",
        "Der Bogen wurde in den Arbeitsgruppen erprobt; einzelne Fragen werden gekürzt.",
        "Der Beirat empfiehlt den Bogen für die nächste Runde.",
        "",
        True,
    ),
    "netzwerktag": (
        "Vorbereitung des Netzwerktags",
        "Programm, Ort und Workshops des nächsten Netzwerktags.",
        "Vorschläge für Workshops: Elternarbeit, Praktika, Gewinnung von Auszubildenden.",
        "Die Koordinierungsstelle lädt alle Partner ein; die Workshops übernehmen die "
        "Arbeitsgruppen.",
        "Programm des Netzwerktags versenden",
        True,
    ),
    "themen": (
        "Themen für den Beirat",
        "Welche Themen gibt das Entscheidungsgremium in den Beirat?",
        "Aus den Institutionen kommen die Themen Praktika und Elternarbeit.",
        "Das Entscheidungsgremium gibt beide Themen in den Beirat.",
        "Themen mit Arbeitsauftrag an den Beirat weitergeben",
        True,
    ),
    "haushalt": (
        "Haushalt der Koordinierungsstelle und Förderanträge",
        "Mittel für das kommende Jahr; Stand der Förderanträge.",
        "Die Finanzierung der Koordinierungsstelle ist gesichert; ein Förderantrag für die "
        "Ausbildungsmesse ist gestellt.",
        "Das Entscheidungsgremium stimmt dem Haushaltsansatz zu.",
        "",
        False,
    ),
    "personal": (
        "Personelle Besetzung der Koordinierungsstelle",
        "Nicht öffentlich.",
        "Die Stelle der Assistenz wird zum Jahresbeginn neu besetzt.",
        "Das Gremium nimmt die Information zur Kenntnis.",
        "",
        False,
    ),
    "wahl": (
        "Wahl des Vorsitzes und der Stellvertretung",
        "Die Amtszeit beträgt ein Jahr (zwei Sitzungen); Wiederwahl ist zulässig.",
        "Vorschläge aus der Mitte des Beirats.",
        "Der Beirat wählt den Vorsitz und die Stellvertretung einstimmig.",
        "",
        True,
    ),
}

# (body key, day, topics); every meeting also has the opening, the approval of the last
# minutes (from the second meeting on) and "Verschiedenes".
PAST_MEETINGS: list[tuple[str, datetime.date, list[str]]] = [
    ("orientation", datetime.date(2024, 3, 5), ["praktika", "leitfaden_c"]),
    ("beirat", datetime.date(2024, 5, 14), ["wahl", "ausbildungsmarkt", "praktika"]),
    ("board", datetime.date(2024, 6, 11), ["themen", "haushalt"]),
    ("orientation", datetime.date(2024, 9, 17), ["messe", "leitfaden_c"]),
    ("parents", datetime.date(2024, 10, 8), ["elternabend"]),
    ("beirat", datetime.date(2024, 11, 12), ["uebergang", "messe", "netzwerktag"]),
    ("orientation", datetime.date(2025, 3, 11), ["praktika", "selbstevaluation"]),
    ("parents", datetime.date(2025, 4, 8), ["elternabend", "leitfaden_i"]),
    ("beirat", datetime.date(2025, 5, 20), ["wahl", "ausbildungsmarkt", "leitfaden_i"]),
    ("board", datetime.date(2025, 6, 17), ["themen", "haushalt", "personal"]),
    ("orientation", datetime.date(2025, 9, 23), ["messe", "leitfaden_c"]),
    ("parents", datetime.date(2025, 10, 14), ["leitfaden_i"]),
    ("beirat", datetime.date(2025, 11, 18), ["selbstevaluation", "uebergang", "netzwerktag"]),
    ("orientation", datetime.date(2026, 3, 10), ["praktika", "selbstevaluation"]),
    ("parents", datetime.date(2026, 4, 14), ["elternabend"]),
    ("beirat", datetime.date(2026, 5, 19), ["ausbildungsmarkt", "leitfaden_c", "praktika"]),
    ("board", datetime.date(2026, 6, 16), ["themen", "haushalt"]),
    ("orientation", datetime.date(2026, 9, 15), ["messe"]),
]
# A working-group meeting that was called off.
CANCELLED_MEETING = ("parents", datetime.date(2026, 1, 20), "Krankheitsbedingt abgesagt.")
# Who stayed away (by name), per body and meeting index: believable gaps in attendance.
ABSENT = {0: "Greta Gedacht", 1: "Lena Lorem", 2: "Clara Fiktiv", 3: "Otto Ohnegleichen"}

BODY_TITLES = {
    "board": "Sitzung des Entscheidungsgremiums",
    "beirat": "Sitzung des Beirats",
    "orientation": "Arbeitsgruppe Berufsorientierung abstimmen",
    "parents": "Arbeitsgruppe Elternarbeit",
}
PLACES = {
    "board": "Kreishaus Osterode am Harz, Sitzungsraum 1 (Demo)",
    "beirat": "Berufsbildende Schulen II Osterode am Harz, Aula (Demo)",
    "orientation": "Koordinierungsstelle Bildung-Beruf, Besprechungsraum (Demo)",
    "parents": "Oberschule Am Mühlenteich (Demo), Mensa",
}
# Network days: (day, title, programme, registrations: (person or name, institution, came))
NETWORK_DAYS: list[tuple[datetime.date, str, str]] = [
    (
        datetime.date(2024, 9, 26),
        "Netzwerktag 2024: Praktika, die passen",
        "9:00 Ankommen\n9:30 Begrüßung durch die Koordinierungsstelle\n10:00 Workshops: "
        "Praktika abstimmen · Eltern gewinnen · Ausbildung im Handwerk\n12:30 Ergebnisse und "
        "Ausblick\n13:00 Mittagsimbiss",
    ),
    (
        datetime.date(2025, 9, 25),
        "Netzwerktag 2025: Eltern als Partner der Berufsorientierung",
        "9:00 Ankommen\n9:30 Begrüßung\n10:00 Impuls: Elternarbeit, die ankommt\n10:45 "
        "Workshops nach Themen des Praxisleitfadens\n12:30 Wirksamkeitsdialog: Was hat die "
        "Vereinbarung bewirkt?\n13:00 Ende",
    ),
    (
        datetime.date(2026, 9, 24),
        "Netzwerktag 2026: Übergänge gemeinsam gestalten",
        "9:00 Ankommen\n9:30 Begrüßung\n10:00 Selbstevaluation: Ergebnisse aus den "
        "Institutionen\n11:00 Workshops\n12:30 Ausblick auf das nächste Jahr\n13:00 Ende",
    ),
]
# Registered by name (not in the registry): fictional participants, by institution.
GUESTS = [
    ("Tom Testfall", "Handwerkskammer Hildesheim"),
    ("Sina Stellvertretung", "Stadt Osterode am Harz"),
    ("Karl Kulisse", "Gymnasium Am Harzrand (Demo)"),
    ("Mara Modell", "Förderschule Sonnenhang (Demo)"),
    ("Udo Unbekannt", "Arbeitgeberverband-Mitte"),
    ("Rita Rahmen", "Haupt- und Realschule Lindenweg (Demo)"),
    ("Bernd Beleg", "DGB Südniedersachsen-Harz"),
    ("Wanda Wunsch", "Unternehmerverband MEKOM"),
]


@contextlib.contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Django's clock (`timezone.now`, hence `localdate`, auto timestamps and the history)
    stands at `moment` (demo builder only)."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = original


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) built by hand: demo documents."""

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT", "/F1 16 Tf", "72 770 Td", f"({text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        body += ["0 -22 Td", f"({text(line)}) Tj"]
    body.append("ET")
    stream = "\n".join(body).encode("cp1252", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _agenda(topics: list[str], *, approval: bool) -> list[dict]:
    items = [{"title": OPENING, "public": True, "presenter": "Vorsitz"}]
    if approval:
        items.append({"title": APPROVAL, "public": True})
    for key in topics:
        title, description, *_rest, public = TOPICS[key]
        items.append({"title": title, "description": description, "public": public})
    items.append({"title": MISC, "public": True})
    return items


def _entry_texts(item, topic_key: str | None) -> dict[str, str]:
    if topic_key is None:
        if item.title == APPROVAL:
            return {
                "decisions": "Das Protokoll der letzten Sitzung wird ohne Änderungen genehmigt."
            }
        if item.title == MISC:
            return {"discussion": "Keine weiteren Wortmeldungen."}
        return {"discussion": "Die Tagesordnung wird ohne Änderungen festgestellt."}
    _title, _description, discussion, decisions, _task, _public = TOPICS[topic_key]
    return {"discussion": discussion, "decisions": decisions}


def build_demo_meetings(*, network, bodies, by_name, people) -> None:
    """Past meetings of every body (2024–2026) with agenda, invitations and replies,
    attendance, minutes with tasks approved at the following meeting (one corrected), a
    cancelled working-group meeting, the next advisory-board meeting (invited, three weeks
    ahead of the day the demo is built), and the network days 2024–2026 with registrations
    and attendance."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from uebergang.bodies.models import Membership
    from uebergang.meetings import services as meetings
    from uebergang.meetings.models import (
        Delivery,
        Invitation,
        MinutesEntry,
        NetworkDayInvitation,
        Reply,
    )

    actor = SYSTEM
    p = {str(person): person for person in people.values()}
    owners = {
        "ausbildungsmarkt": "Clara Fiktiv",
        "praktika": "Erika Musterfrau",
        "messe": "Max Mustermann",
        "elternabend": "Hanna Beispiel",
        "leitfaden_i": "Hanna Beispiel",
        "leitfaden_c": "Jonas Ipsum",
        "uebergang": "Erika Musterfrau",
        "netzwerktag": "Erika Musterfrau",
        "themen": "Erika Musterfrau",
    }

    def mark_sent(meeting, moment) -> None:
        """The demo's mail went out (no queue runs while the demo is built)."""
        Invitation.all_objects.filter(meeting=meeting).exclude(email="").update(
            delivery=Delivery.SENT,
            delivered_sequence=meeting.sequence,
            attempts=1,
            sent_at=moment,
        )

    def plan(key, day, topics, *, approval, hour=14):
        body = bodies[key]
        start = _at(day, hour)
        with _clock(start - datetime.timedelta(days=28)):
            meeting = meetings.meeting_create(
                actor=actor,
                body=body,
                data={
                    "title": BODY_TITLES[key],
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=2, minutes=30),
                    "place": PLACES[key],
                },
            )
            items = [
                meetings.agenda_item_add(actor=actor, meeting=meeting, data=data)
                for data in _agenda(topics, approval=approval)
            ]
        return meeting, items

    def invite(meeting, *, absent: str | None) -> None:
        moment = meeting.starts_at - datetime.timedelta(days=21)
        with _clock(moment):
            meetings.meeting_invite(actor=actor, meeting=meeting)
        mark_sent(meeting, moment)
        for number, invitation in enumerate(
            Invitation.objects.filter(meeting=meeting, kind="invitee").order_by("name")
        ):
            reply = Reply.DECLINE if invitation.name == absent else Reply.ATTEND
            if number % 4 == 3 and reply == Reply.ATTEND:
                continue  # did not answer, came anyway
            with _clock(moment + datetime.timedelta(days=2 + number % 5, hours=number)):
                meetings.invitation_reply(
                    actor=actor,
                    invitation=invitation,
                    reply=reply,
                    note="Termin kollidiert mit einer Dienstbesprechung."
                    if reply == Reply.DECLINE
                    else "",
                )

    # Documents: small PDFs made here (keeps the demo file small).
    documents = {
        (datetime.date(2025, 5, 20), "Lage am Ausbildungsmarkt"): (
            "Ausbildungsmarkt 2025 – Kurzbericht",
            "ausbildungsmarkt-2025.pdf",
            [
                "Kurzbericht der Agentur für Arbeit (Demo, erfundene Zahlen)",
                "Mehr offene Ausbildungsstellen als Bewerbungen.",
                "Besonders gefragt: Handwerk, Pflege, Logistik.",
            ],
        ),
        (datetime.date(2025, 4, 8), "Praxisleitfaden, Kapitel i: Elternarbeit"): (
            "Entwurf Kapitel i: Elternarbeit",
            "leitfaden-kapitel-i-entwurf.pdf",
            [
                "Entwurf der Arbeitsgruppe Elternarbeit (Demo)",
                "1. Eltern früh einbeziehen  2. Einfache Sprache  3. Termine im Betrieb",
            ],
        ),
    }
    done: dict[str, list] = {}  # body key → [(meeting, minutes)]
    for index, (key, day, topics) in enumerate(PAST_MEETINGS):
        previous = done.setdefault(key, [])
        meeting, items = plan(key, day, topics, approval=bool(previous))
        for item in items:
            spec = documents.get((day, item.title))
            if spec:
                title, file_name, lines = spec
                with _clock(meeting.starts_at - datetime.timedelta(days=22)):
                    meetings.document_add(
                        actor=actor,
                        meeting=meeting,
                        agenda_item=item,
                        title=title,
                        upload=SimpleUploadedFile(
                            file_name, demo_pdf(title, lines), content_type="application/pdf"
                        ),
                    )
        absent = ABSENT.get(index % 5)
        invite(meeting, absent=absent)
        on_day = Membership.objects.valid_on(day).filter(body=bodies[key]).select_related("person")
        present = [m.person for m in on_day if str(m.person) != absent]
        with _clock(meeting.starts_at + datetime.timedelta(hours=3)):
            meeting = meetings.attendance_record(actor=actor, meeting=meeting, people=present)
            if previous:  # the last minutes are approved at this meeting
                meetings.minutes_approve(actor=actor, minutes=previous[-1][1], approved_in=meeting)
        topic_of = {TOPICS[t][0]: t for t in topics}
        with _clock(meeting.starts_at + datetime.timedelta(days=10)):
            minutes = meetings.minutes_save(
                actor=actor,
                meeting=meeting,
                expected_version=None,
                opening=(
                    f"Die Koordinierungsstelle begrüßt {len(present)} Anwesende und stellt die "
                    "ordnungsgemäße Einladung fest."
                ),
                closing="Die Sitzung endet um 16:15 Uhr.",
                entries={item.pk: _entry_texts(item, topic_of.get(item.title)) for item in items},
            )
            for entry in MinutesEntry.objects.filter(minutes=minutes).select_related("agenda_item"):
                topic = topic_of.get(entry.agenda_item.title)
                task = TOPICS[topic][4] if topic else ""
                if task:
                    meetings.task_add(
                        actor=actor,
                        entry=entry,
                        description=task,
                        owner=p.get(owners.get(topic, "")),
                        owner_text="" if topic in owners else "Koordinierungsstelle",
                        due=day + datetime.timedelta(days=42),
                    )
        with _clock(meeting.starts_at + datetime.timedelta(days=14)):
            minutes = meetings.minutes_circulate(actor=actor, minutes=minutes)
        previous.append((meeting, minutes))

    # Tasks of meetings long past are done.
    from uebergang.meetings.models import ActionItem

    ActionItem.all_objects.filter(network=network, due__lt=datetime.date(2026, 3, 1)).update(
        done=True
    )

    # One correction of approved minutes: a figure in the advisory board's May 2025 minutes.
    beirat_may = next(m for m in done["beirat"] if m[0].day == datetime.date(2025, 5, 20))[1]
    entry = MinutesEntry.objects.filter(
        minutes=beirat_may, agenda_item__title=TOPICS["ausbildungsmarkt"][0]
    ).get()
    with _clock(_at(datetime.date(2025, 11, 19), 10)):
        beirat_may.refresh_from_db()
        meetings.minutes_correct(
            actor=actor,
            minutes=beirat_may,
            field="discussion",
            entry=entry,
            text=entry.discussion + " Die Pflegeberufe waren im Kurzbericht nicht genannt; "
            "sie werden ergänzt.",
            reason="Hinweis der Agentur für Arbeit in der Sitzung am 18.11.2025.",
        )

    # A cancelled working-group meeting.
    key, day, reason = CANCELLED_MEETING
    cancelled, _items = plan(key, day, ["elternabend"], approval=True, hour=15)
    with _clock(_at(day, 8) - datetime.timedelta(days=3)):
        meetings.meeting_cancel(actor=actor, meeting=cancelled, reason=reason)

    # The next advisory-board meeting: three weeks ahead, invited, the first replies in.
    today = timezone.localdate()
    day = today + datetime.timedelta(days=21)
    last_beirat = done["beirat"][-1][0]
    upcoming, items = plan(
        "beirat", day, ["ausbildungsmarkt", "leitfaden_i", "netzwerktag"], approval=True
    )
    meetings.document_add(
        actor=actor,
        meeting=upcoming,
        agenda_item=items[1],
        title=f"Protokoll der Sitzung vom {last_beirat.day:%d.%m.%Y} (Entwurf)",
        upload=SimpleUploadedFile(
            "protokoll-entwurf.pdf",
            demo_pdf(
                "Protokoll (Entwurf)",
                [f"Sitzung des Beirats am {last_beirat.day:%d.%m.%Y} (Demo)"],
            ),
            content_type="application/pdf",
        ),
    )
    meetings.meeting_invite(actor=actor, meeting=upcoming)
    mark_sent(upcoming, timezone.now())
    for number, invitation in enumerate(
        Invitation.objects.filter(meeting=upcoming, kind="invitee").order_by("name")
    ):
        if number % 3 == 0:
            meetings.invitation_reply(actor=actor, invitation=invitation, reply=Reply.ATTEND)
        elif number == 4:
            meetings.invitation_reply(
                actor=actor, invitation=invitation, reply=Reply.DECLINE, note="Urlaub"
            )

    # Network days 2024–2026: every partner invited, registrations per institution, attendance.
    registry_people = [
        "Max Mustermann",
        "Hanna Beispiel",
        "Paul Platzhalter",
        "Lena Lorem",
        "Jonas Ipsum",
        "Clara Fiktiv",
        "Greta Gedacht",
        "Otto Ohnegleichen",
        "Ida Imaginär",
        "Nele Neutral",
    ]
    for year_index, (day, title, programme) in enumerate(NETWORK_DAYS):
        start = _at(day, 9)
        with _clock(start - datetime.timedelta(days=70)):
            network_day = meetings.network_day_create(
                actor=actor,
                network=network,
                data={
                    "title": title,
                    "starts_at": start,
                    "ends_at": start + datetime.timedelta(hours=4),
                    "place": "Berufsbildende Schulen I Osterode am Harz, Forum (Demo)",
                    "programme": programme,
                    "registration_until": day - datetime.timedelta(days=14),
                },
            )
        moment = start - datetime.timedelta(days=56)
        with _clock(moment):
            meetings.network_day_invite(actor=actor, day=network_day)
        NetworkDayInvitation.all_objects.filter(network_day=network_day).exclude(email="").update(
            delivery=Delivery.SENT, delivered_sequence=0, attempts=1, sent_at=moment
        )
        registrations = []
        for number, name in enumerate(registry_people):
            if (number + year_index) % 5 == 4:
                continue  # not every partner comes every year
            person = p[name]
            if person.organisation_id is None:
                continue
            with _clock(moment + datetime.timedelta(days=7 + number)):
                registrations.append(
                    meetings.registration_add(actor=actor, day=network_day, person=person)
                )
        for number, (name, institution) in enumerate(GUESTS):
            if (number + year_index) % 3 == 0:
                continue
            with _clock(moment + datetime.timedelta(days=10 + number)):
                registrations.append(
                    meetings.registration_add(
                        actor=actor,
                        day=network_day,
                        partner=by_name[institution],
                        name=name,
                        email=f"{_local_part(name).replace('-', '.')}@{EMAIL_DOMAIN}",
                        note="Fiktive Person für die Demo.",
                    )
                )
        came = [r for number, r in enumerate(registrations) if number % 6 != 5]
        with _clock(start + datetime.timedelta(hours=5)):
            meetings.network_day_attendance(actor=actor, day=network_day, attended=came)
