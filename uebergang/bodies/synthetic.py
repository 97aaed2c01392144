"""The bodies' part of the synthetic network (`core.synthetic`): a decision board, an
advisory board and working groups, with seats and memberships (each person once per body,
each partner one seat per body; the first member of a body moderates it)."""

from __future__ import annotations

from typing import Any

from uebergang.bodies import services as bodies
from uebergang.core.permissions import SYSTEM
from uebergang.core.synthetic import Amount, SyntheticBuild, register_synthetic_part

TOPICS = [
    "Berufsorientierung in Klasse 8",
    "Praktikumsbörse",
    "Elternabend zur Berufswahl",
    "Ausbildungsmesse",
    "Übergang in die Berufsbildenden Schulen",
    "Bewerbungstraining",
    "Sprachförderung im Übergang",
    "Mädchen in MINT-Berufe",
    "Selbstevaluation",
    "Zielvereinbarung",
    "Bericht aus den Institutionen",
    "Netzwerktag",
    "Haushalt",
    "Förderprogramme",
]


def build(b: SyntheticBuild) -> None:
    network, sizes, start = b.network, b.sizes, b.start
    partners, people = b.shared["partners"], b.shared["people"]
    # Bodies: a decision board, an advisory board, working groups; seats and memberships.
    body_list = []
    for n in range(sizes["bodies"]):
        kind = "decision_board" if n == 0 else "advisory_board" if n == 1 else "working_group"
        body_list.append(
            bodies.body_create(
                actor=SYSTEM,
                network=network,
                data={
                    "name": (
                        f"Arbeitsgremium {n - 1:02d}: {TOPICS[n % len(TOPICS)]}"
                        if n > 1
                        else ("Entscheidungsgremium", "Beirat")[n]
                    ),
                    "kind": kind,
                    "valid_from": start,
                    "topic_area": TOPICS[n % len(TOPICS)] if kind == "working_group" else "",
                    "quorum_rule": "majority" if kind != "working_group" else "none",
                },
            )
        )
    members: dict[int, list[Any]] = {b.pk: [] for b in body_list}
    used: dict[int, set[int]] = {b.pk: set() for b in body_list}
    for n in range(sizes["memberships"]):
        body = body_list[n % len(body_list)]
        candidates = [i for i in range(len(people)) if i not in used[body.pk]]
        if not candidates or len(members[body.pk]) > len(partners):
            continue  # each person once, each partner one seat per body
        index = candidates[(n * 7) % len(candidates)]
        used[body.pk].add(index)
        person = people[index]
        if not members[body.pk]:
            membership = bodies.membership_add(
                actor=SYSTEM, body=body, person=person, role="moderator", valid_from=start
            )
        else:
            seat = bodies.body_seat_add(
                actor=SYSTEM,
                body=body,
                partner=partners[len(members[body.pk]) % len(partners)],
                valid_from=start,
            )
            membership = bodies.membership_add(
                actor=SYSTEM, body=body, person=person, role="member", seat=seat, valid_from=start
            )
        members[body.pk].append(membership)
    b.shared.update(bodies=body_list, members=members)
    b.counts.update(
        {"Gremien": len(body_list), "Mitgliedschaften": sum(len(m) for m in members.values())}
    )


register_synthetic_part(
    "bodies",
    20,
    build,
    (
        Amount("bodies", 20, 2, "Anzahl der Gremien"),
        Amount("memberships", 300, 4, "Anzahl der Mitgliedschaften"),
    ),
)
