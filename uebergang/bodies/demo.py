"""The bodies' part of the demo network (`core.demo`): the decision board, the advisory
board with its constituency seats and the working groups, their members and offices. The
agreement does not list who sits in them: the composition is an assumption and says so."""

from __future__ import annotations

import datetime

from uebergang.core.demo import DemoBuild, register_demo_part
from uebergang.networks import services
from uebergang.networks.demo import MERGER, SIGNED, person_email

from . import services as bodies

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


def build_bodies(build: DemoBuild) -> None:
    """The bodies with their seats, members, a guest expert and the offices. Adds the people
    who sit in them to `people` and hands on `bodies` (by key)."""
    network, actor, on = build.network, build.actor, build.on
    by_name, seats, people = build.shared["partners"], build.shared["seats"], build.shared["people"]
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

    def body(name, kind, valid_from, description, topic_area="", short_name=""):
        b = bodies.body_create(
            actor=actor,
            network=network,
            data={
                "name": name,
                "short_name": short_name,
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
        "Die Vertreter/innen der Institutionen beraten die Themen aus der Sicht "
        "ihrer Institution; ein Sitz je Kooperationspartner, der nicht über eine Sammelvertretung "
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
        valid_from=on(datetime.date(2024, 5, 14)),
        valid_to=on(datetime.date(2025, 5, 19)),
    )
    # Elected on 20 May 2025 and re-elected on 16 December 2025 (as seen from STORY_DAY):
    # the term of one year (two sessions) runs out about two weeks after the story's day.
    for membership, kind in ((chair, "chair"), (deputy, "deputy")):
        bodies.office_assign(
            actor=actor,
            membership=membership,
            kind=kind,
            valid_from=on(datetime.date(2025, 5, 20)),
            valid_to=on(datetime.date(2025, 12, 15)),
        )
        bodies.office_assign(
            actor=actor,
            membership=membership,
            kind=kind,
            valid_from=on(datetime.date(2025, 12, 16)),
        )

    orientation = body(
        "Berufsorientierung abstimmen",
        "working_group",
        datetime.date(2014, 2, 1),
        "Stimmt die berufsorientierenden Maßnahmen der Schulen, der Agentur für Arbeit und "
        "der Kammern aufeinander ab.",
        topic_area="c. Abstimmung von Berufsorientierenden Maßnahmen",
        short_name="AG BO",
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
        short_name="AG EA",
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
        valid_from=on(datetime.date(2024, 9, 1)),
        valid_to=on(datetime.date(2026, 7, 31)),
        note="hinzugezogen für die Elternabende zur Berufswahl",
    )
    build.shared["bodies"] = {
        "board": board,
        "beirat": beirat,
        "orientation": orientation,
        "parents": parents,
    }


register_demo_part("bodies", 20, build_bodies)
