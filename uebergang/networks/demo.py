"""The demo network (`core.demo` assembles it from the apps' parts), and its first part:
the partners, representations and constituency seats of the cooperation agreement of the
Landkreis Osterode am Harz (signed 29 May 2013), the 2016 merger into the Landkreis
Göttingen, a few people with clearly fictional names and the two demo accounts.

Facts, names and dates come from the agreement; the texts are our own words. The seed does
not name individual general schools or people: those are invented and say so."""

from __future__ import annotations

import datetime
import struct
import zlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils.text import slugify

from uebergang.accounts.models import User
from uebergang.accounts.services import network_role_grant, user_create
from uebergang.core import demo as core_demo
from uebergang.core.demo import DemoBuild
from uebergang.core.models import Network

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


def local_part(text: str) -> str:
    return slugify(text.lower().translate(_UMLAUTS))


def person_email(first: str, last: str) -> str:
    return f"{local_part(first)}.{local_part(last)}@{EMAIL_DOMAIN}"


def partner_email(name: str) -> str:
    """An example contact address of an institution on the reserved domain."""
    return f"kontakt.{local_part(SHORT_NAMES.get(name, name))[:50]}@{EMAIL_DOMAIN}"


# --- the demo's logo: an abstract mark drawn here (no third-party logo) ------------------------

Pixel = tuple[int, int, int, int]
TRANSPARENT: Pixel = (0, 0, 0, 0)
BLUE: Pixel = (11, 79, 138, 255)  # the letterhead's line colour
GREEN: Pixel = (38, 128, 74, 255)


def png_image(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A PNG (8-bit RGBA, no interlace) with `pixel(x, y)` at each point, written by hand:
    signature, IHDR, one zlib-compressed IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type "none"
        for x in range(width):
            rows.extend(pixel(x, y))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


# Three steps rising to the right (school, transition, work) and a circle above the last.
LOGO_SIZE = (192, 96)
LOGO_STEPS = ((16, 64, 64, 88), (72, 46, 120, 88), (128, 28, 176, 88))  # x0, y0, x1, y1
LOGO_CIRCLE = (152, 13, 10)  # centre x, centre y, radius


def _logo_pixel(x: int, y: int) -> Pixel:
    cx, cy, r = LOGO_CIRCLE
    if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
        return GREEN
    for x0, y0, x1, y1 in LOGO_STEPS:
        if x0 <= x < x1 and y0 <= y < y1:
            return BLUE
    return TRANSPARENT


def demo_logo_png() -> bytes:
    """The demo network's logo (192 × 96 px, a few hundred bytes), made at build time."""
    return png_image(*LOGO_SIZE, _logo_pixel)


def demo_exists() -> bool:
    return Network.all_objects.filter(slug=SLUG).exists()


def load_demo() -> Network:
    """Build the demo network for today (does nothing if a network with its slug exists).
    Accounts it creates get the demo password; existing accounts keep theirs."""
    return build_demo()


def build_demo() -> Network:
    """Build the demo network with the services of every app, its story moved to today
    (`core.demo`). `manage.py export_network osterode` writes it to an exchange file."""
    return core_demo.build_demo(SLUG)


def build_registry(build: DemoBuild) -> None:
    """The network, its partners, representations, constituency seats, people, the 2016
    merger and the demo accounts. Hands on `partners` (by name), `seats` and `people`."""
    actor = build.actor
    network = build.network = services.network_create(actor=actor, valid_from=SIGNED, **NETWORK)
    services.network_logo_set(
        actor=actor, network=network, upload=ContentFile(demo_logo_png(), name="logo-demo.png")
    )
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
        people[email] = services.person_link_account(actor=actor, person=people[email], user=user)
    build.shared.update(
        partners={**by_name, "Landkreis Göttingen": succession.successor},
        seats=seats,
        people=people,
    )


core_demo.register_demo_part("networks", 10, build_registry)
