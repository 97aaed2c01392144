"""The topics' part of the demo network (`core.demo`): topics in every state, from the
seed's topic areas: collecting statements, with working groups, waiting for the advisory
board's recommendation, decided with changes, sent back and in its second round, new, and
withdrawn. The texts are invented; the bodies and people are the demo's."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from uebergang.bodies.models import BodySeat
from uebergang.core.demo import DemoBuild, at, clock, register_demo_part
from uebergang.meetings.demo import demo_pdf
from uebergang.meetings.models import Meeting, MeetingState

from . import services

D = datetime.date


def build_topics(build: DemoBuild) -> None:
    network, actor, on = build.network, build.actor, build.on
    board = build.shared["bodies"]["board"]
    beirat = build.shared["bodies"]["beirat"]
    orientation = build.shared["bodies"]["orientation"]
    parents_group = build.shared["bodies"]["parents"]

    def seat_of(name: str) -> BodySeat:
        seats = BodySeat.objects.filter(body=beirat, valid_to__isnull=True).select_related(
            "partner", "constituency_seat"
        )
        return next(s for s in seats if str(s) == name)

    def opened(day: D, title: str, **data) -> object:
        with clock(at(on(day), 10)):
            return services.topic_open(
                actor=actor, network=network, data={"board": board, "title": title, **data}
            )

    def refer(topic, day: D, due: D, note: str = ""):
        with clock(at(on(day), 11)):
            services.topic_refer_to_advisory_board(
                actor=actor,
                topic=topic,
                expected_version=None,
                advisory_board=beirat,
                due_date=on(due),
                note=note,
            )

    def statement(topic, day: D, seat: str, text: str):
        with clock(at(on(day), 15)):
            services.statement_save(actor=actor, topic=topic, seat=seat_of(seat), text=text)

    sheet = opened(
        D(2026, 9, 22),
        "Gemeinsamer Übergabebogen allgemeinbildende Schule → BBS",
        topic_area="b",
        reason=(
            "Die BBS erfahren oft erst im Unterricht, welche Förderung eine Schülerin oder ein "
            "Schüler bisher bekommen hat."
        ),
        description=(
            "Ein einheitlicher Bogen, den die abgebenden Schulen mit Einverständnis der Eltern "
            "an die Berufsbildenden Schulen geben: Abschluss, Förderbedarf, Praktika, "
            "Berufswunsch."
        ),
    )
    with clock(at(on(D(2026, 9, 29)), 14)):
        services.document_add(
            actor=actor,
            topic=sheet,
            upload=SimpleUploadedFile(
                "uebergabebogen-entwurf.pdf",
                demo_pdf(
                    "Übergabebogen allgemeinbildende Schule – BBS (Entwurf)",
                    [
                        "Abschluss und Noten der Abschlussklasse",
                        "Förderbedarf und bisherige Förderung",
                        "Praktika und Berufswunsch",
                        "Einwilligung der Eltern (Unterschrift)",
                    ],
                ),
                content_type="application/pdf",
            ),
            title="Entwurf des Übergabebogens",
        )
    refer(
        sheet,
        D(2026, 10, 6),
        D(2026, 11, 24),
        "Bitte nehmen Sie aus Sicht Ihrer Institution Stellung, insbesondere zum Datenschutz.",
    )
    statement(
        sheet,
        D(2026, 10, 20),
        "Berufsbildende Schulen",
        "Die BBS I und II begrüßen den Bogen. Er sollte bis zum Ende der Anmeldefrist im "
        "Februar vorliegen.",
    )
    statement(
        sheet,
        D(2026, 11, 3),
        "Allgemeinbildende Schulen",
        "Die Schulleitungen tragen den Bogen mit, wenn er nicht mehr als zwei Seiten hat und "
        "die Eltern ausdrücklich zustimmen.",
    )
    statement(
        sheet,
        D(2026, 11, 12),
        "Agentur für Arbeit",
        "Die Berufsberatung kann ihre Erkenntnisse ergänzen, sofern die Jugendlichen einwilligen.",
    )

    with clock(at(on(D(2026, 11, 26)), 9)):
        services.topic_refer_to_working_group(
            actor=actor,
            topic=sheet,
            expected_version=None,
            working_group=orientation,
            mandate=(
                "Einen Entwurf des Bogens (höchstens zwei Seiten) mit der Einwilligung der Eltern "
                "erarbeiten, mit den Hinweisen aus den Stellungnahmen."
            ),
            due_date=on(D(2027, 1, 29)),
        )
    with clock(at(on(D(2026, 11, 27)), 9)):
        services.topic_refer_to_working_group(
            actor=actor,
            topic=sheet,
            expected_version=None,
            working_group=parents_group,
            mandate="Den Elternbrief zur Einwilligung in verständlicher Sprache entwerfen.",
            due_date=on(D(2026, 11, 30)),
        )

    language = opened(
        D(2026, 5, 12),
        "Sprachförderung im Übergang",
        topic_area="h",
        reason="Jugendliche mit wenig Deutschkenntnissen brechen die Berufsvorbereitung "
        "häufiger ab.",
        description="Welche Sprachangebote gibt es an den BBS und bei den Trägern, und wie "
        "erfahren die Jugendlichen davon?",
    )
    refer(language, D(2026, 5, 26), D(2026, 6, 23))
    statement(
        language,
        D(2026, 6, 9),
        "Agentur für Arbeit",
        "Die Agentur fördert berufsbezogene Sprachkurse; die Beratung weist darauf hin.",
    )
    statement(
        language,
        D(2026, 6, 16),
        "Berufsbildende Schulen",
        "Die BBS bieten Sprachförderung in der Berufsvorbereitung an, aber nicht an allen "
        "Standorten.",
    )
    with clock(at(on(D(2026, 6, 30)), 9)):
        mandate = services.topic_refer_to_working_group(
            actor=actor,
            topic=language,
            expected_version=None,
            working_group=orientation,
            mandate="Eine Übersicht der Sprachangebote im Landkreis für die Beratung erstellen.",
            due_date=on(D(2026, 9, 30)),
        )
    with clock(at(on(D(2026, 9, 22)), 16)):
        services.mandate_result(
            actor=actor,
            referral=mandate,
            result="Die Übersicht liegt vor: zwölf Angebote an sechs Orten. Die AG schlägt vor, "
            "sie jährlich zu aktualisieren und an alle Schulen zu geben.",
        )
    with clock(at(on(D(2026, 10, 6)), 9)):
        services.topic_return_to_advisory_board(
            actor=actor,
            topic=language,
            expected_version=None,
            due_date=on(D(2026, 12, 15)),
            note="Zur Empfehlung in der Sitzung im Dezember.",
        )

    # on the agenda of the advisory board's next meeting, for its recommendation
    coming = (
        Meeting.objects.filter(
            body=beirat,
            state__in=(MeetingState.PLANNED, MeetingState.INVITED),
            starts_at__gte=at(on(D(2026, 12, 1)), 0),
        )
        .order_by("starts_at")
        .first()
    )
    with clock(at(on(D(2026, 11, 20)), 9)):
        services.topic_put_on_agenda(actor=actor, topic=language, meeting=coming)

    parents = opened(
        D(2026, 11, 10),
        "Elternabende zur Berufsorientierung",
        topic_area="i",
        reason="Eltern sind die wichtigsten Berater bei der Berufswahl, erreichen aber wenige "
        "Angebote.",
        description="Gemeinsame Elternabende in den Klassen 8 und 9 mit Kammern, Agentur für "
        "Arbeit und BBS, je einmal im Schuljahr an jeder Schule.",
    )
    refer(parents, D(2026, 11, 24), D(2026, 12, 15))
    statement(
        parents,
        D(2026, 11, 27),
        "JobCenter",
        "Das JobCenter bietet an, an den Abenden über Unterstützung bei Ausbildung zu informieren.",
    )

    opened(
        D(2026, 11, 26),
        "Praktikumsbörse für den Landkreis",
        topic_area="c",
        reason="Betriebe und Schulen suchen Praktikumsplätze bisher getrennt voneinander.",
    )

    def recommend(topic, day: D, text: str, due: D | None = None, note: str = ""):
        with clock(at(on(day), 18)):
            services.topic_recommend(
                actor=actor,
                topic=topic,
                expected_version=None,
                recommendation=text,
                due_date=on(due) if due else None,
                note=note,
            )

    def decide(topic, day: D, outcome: str, text: str = ""):
        with clock(at(on(day), 19)):
            services.topic_decide(
                actor=actor, topic=topic, expected_version=None, outcome=outcome, text=text
            )

    calendar = opened(
        D(2026, 1, 20),
        "Gemeinsamer Kalender der Berufsorientierung",
        topic_area="c",
        reason="Praktikumswochen, Messen und Beratungstage der Partner überschneiden sich; "
        "Schulen planen ohne Überblick.",
        description="Ein Kalender aller berufsorientierenden Termine im Landkreis, von den "
        "Partnern gepflegt und für die Schulen einsehbar.",
    )
    refer(calendar, D(2026, 2, 3), D(2026, 3, 3))
    statement(
        calendar,
        D(2026, 2, 17),
        "Kammern",
        "Die Kammern tragen ihre Messen und Ausbildungsbotschafter-Einsätze ein.",
    )
    statement(
        calendar,
        D(2026, 2, 24),
        "Allgemeinbildende Schulen",
        "Die Schulen brauchen die Termine spätestens zu den Halbjahreskonferenzen.",
    )
    with clock(at(on(D(2026, 3, 10)), 9)):
        calendar_mandate = services.topic_refer_to_working_group(
            actor=actor,
            topic=calendar,
            expected_version=None,
            working_group=orientation,
            mandate="Festlegen, wer welche Termine bis wann einträgt, und einen Entwurf zeigen.",
            due_date=on(D(2026, 5, 29)),
        )
    with clock(at(on(D(2026, 5, 19)), 16)):
        services.mandate_result(
            actor=actor,
            referral=calendar_mandate,
            result="Jeder Partner pflegt seine Termine selbst, die Koordinierungsstelle prüft "
            "monatlich. Stichtag für das Schuljahr ist der 15. Juli.",
        )
    with clock(at(on(D(2026, 5, 26)), 9)):
        services.topic_return_to_advisory_board(
            actor=actor, topic=calendar, expected_version=None, due_date=on(D(2026, 6, 23))
        )
    recommend(
        calendar,
        D(2026, 6, 23),
        "Der Beirat empfiehlt, den Kalender zum Schuljahr 2026/27 einzuführen, wie von der AG "
        "vorgeschlagen.",
        due=D(2026, 9, 8),
        note="Zur Entscheidung in der Sitzung im September.",
    )
    decide(
        calendar,
        D(2026, 9, 8),
        "changed",
        "Eingeführt zum Schuljahr 2026/27; die Schulen tragen ihre eigenen Praktikumswochen "
        "ebenfalls ein.",
    )

    quality = opened(
        D(2026, 2, 10),
        "Qualitätskriterien für die Betreuung im Praktikum",
        topic_area="j",
        reason="Die Schulen berichten von sehr unterschiedlicher Betreuung der Praktikantinnen "
        "und Praktikanten in den Betrieben.",
        description="Gemeinsame Kriterien, was Betriebe, Schulen und Jugendliche vom Praktikum "
        "erwarten können, als Leitfaden für alle Praktika im Landkreis.",
    )
    refer(quality, D(2026, 3, 3), D(2026, 4, 14))
    statement(
        quality,
        D(2026, 3, 31),
        "Berufsbildende Schulen",
        "Die BBS schlagen eine feste Ansprechperson im Betrieb und ein Abschlussgespräch vor.",
    )
    with clock(at(on(D(2026, 4, 21)), 9)):
        services.topic_skip_working_groups(
            actor=actor,
            topic=quality,
            expected_version=None,
            note="Der Beirat hat einen Entwurf in der Sitzung selbst erarbeitet.",
        )
    recommend(
        quality,
        D(2026, 6, 23),
        "Der Beirat empfiehlt die fünf Kriterien des Entwurfs als Leitfaden.",
        due=D(2026, 9, 8),
    )
    decide(
        quality,
        D(2026, 9, 8),
        "sent_back",
        "Bitte die Sicht der Betriebe über die Kammern einholen und den Leitfaden auf zwei "
        "Seiten kürzen.",
    )
    refer(
        quality,
        D(2026, 10, 13),
        D(2026, 12, 18),
        "Zweite Runde: Bitte nehmen Sie zum gekürzten Entwurf Stellung, besonders die Kammern.",
    )
    statement(
        quality,
        D(2026, 11, 17),
        "Berufsbildende Schulen",
        "Der gekürzte Entwurf ist gut; die BBS bleiben bei der festen Ansprechperson.",
    )

    fair = opened(D(2026, 3, 10), "Eigene Ausbildungsmesse des Netzwerks", topic_area="e")
    with clock(at(on(D(2026, 4, 14)), 9)):
        services.topic_withdraw(
            actor=actor,
            topic=fair,
            expected_version=None,
            note="Die Ausbildungsmesse der Kammern deckt den Bedarf; das Netzwerk beteiligt sich dort.",
        )


register_demo_part("topics", 40, build_topics)
