"""The topics' part of the synthetic network (`core.synthetic`): topics from the decision
board, most of them with the advisory board, where about half of its seats have given their
statement; some still with the board, some withdrawn. Written in bulk (the history of the
synthetic network is the registry's and the meetings'; `build_synthetic` renews every cache
generation afterwards)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from uebergang.bodies.models import BodyKind, BodySeat
from uebergang.core.synthetic import BATCH, Amount, SyntheticBuild, register_synthetic_part

from .models import TOPIC_AREAS, Referral, ReferralRole, Statement, Topic, TopicState

SUBJECTS = [
    "Übergabebogen Schule → BBS",
    "Elternabende zur Berufsorientierung",
    "Praktikumsbörse",
    "Sprachförderung im Übergang",
    "Berufsorientierung an Förderschulen",
    "Ausbildungsbotschafter in Klasse 9",
    "Mädchen in MINT-Berufe",
    "Datenschutz bei der Übergabe",
]


def build(b: SyntheticBuild) -> None:
    network, sizes = b.network, b.sizes
    bodies = b.shared["bodies"]
    board = next(x for x in bodies if x.kind == BodyKind.DECISION_BOARD)
    advisory = next(x for x in bodies if x.kind == BodyKind.ADVISORY_BOARD)
    seats = list(BodySeat.objects.filter(body=advisory).order_by("pk"))
    now = timezone.now()
    areas = [code for code, _label in TOPIC_AREAS]
    topics = []
    for n in range(sizes["topics"]):
        state = (
            TopicState.BOARD
            if n % 5 == 0
            else TopicState.WITHDRAWN
            if n % 7 == 0
            else TopicState.STATEMENTS
        )
        since = now - datetime.timedelta(days=3 * n + 1)
        topics.append(
            Topic(
                network=network,
                title=f"{SUBJECTS[n % len(SUBJECTS)]} ({n + 1})",
                description="Synthetisches Thema für Messungen.",
                topic_area=areas[n % len(areas)],
                state=state,
                state_since=since,
                body=board if state == TopicState.BOARD else advisory,
                origin=board,
                on_behalf=True,
                created=since - datetime.timedelta(days=14),
                end_note="Zurückgezogen." if state == TopicState.WITHDRAWN else "",
            )
        )
    Topic.objects.bulk_create(topics, batch_size=BATCH)
    referrals = [
        Referral(
            network=network,
            topic=topic,
            number=1,
            from_body=board,
            to_body=advisory,
            role=ReferralRole.STATEMENTS,
            handed_at=topic.state_since,
            handed_by_name="Koordinierungsstelle",
            due_date=timezone.localdate(topic.state_since) + datetime.timedelta(days=28),
            snapshot_title=topic.title,
            snapshot_description=topic.description,
            closed_at=topic.state_since if topic.state == TopicState.WITHDRAWN else None,
        )
        for topic in topics
        if topic.state != TopicState.BOARD
    ]
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    statements = [
        Statement(
            network=network,
            referral=referral,
            seat=seat,
            text=f"Stellungnahme des Sitzes {i + 1} zu „{referral.snapshot_title}“.",
            author_name="Synthetische Person",
            given_at=referral.handed_at + datetime.timedelta(days=i + 1),
        )
        for n, referral in enumerate(referrals)
        for i, seat in enumerate(seats)
        if (i + n) % 2 == 0
    ]
    Statement.objects.bulk_create(statements, batch_size=BATCH)
    b.counts.update(
        {"Themen": len(topics), "Weitergaben": len(referrals), "Stellungnahmen": len(statements)}
    )


register_synthetic_part("topics", 40, build, (Amount("topics", 200, 2, "Anzahl der Themen"),))
