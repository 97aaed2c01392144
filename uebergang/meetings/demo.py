"""The meetings' part of the demo network (`core.demo`): past meetings of every body with
agendas, invitations, replies, attendance and minutes, the next advisory-board meeting, and
the network days. The content is invented, on the seed's topics."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from uebergang.bodies.models import Membership
from uebergang.core.demo import DemoBuild, at, clock, register_demo_part
from uebergang.core.netsettings import network_settings_update
from uebergang.networks.demo import EMAIL_DOMAIN, local_part

from . import services as meetings
from .decision_texts import outcome_of
from .models import (
    ActionItem,
    Decision,
    Delivery,
    Invitation,
    MinutesEntry,
    NetworkDayInvitation,
    Reply,
    TaskStatus,
)
from .network_settings import REPLY_DEADLINE

OPENING = "Begrüßung und Feststellung der Tagesordnung"
APPROVAL = "Genehmigung des Protokolls der letzten Sitzung"
MISC = "Verschiedenes"

# Topics: (title, description, discussion, decision's wording, task, public)
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
        "Entwurf des Kapitels aus dem Arbeitsgremium Elternarbeit.",
        "Das Arbeitsgremium stellt den Entwurf vor; der Beirat ergänzt Hinweise aus Sicht der "
        "Kammern und der Gemeinden.",
        "Der Entwurf geht mit den Ergänzungen zurück an das Arbeitsgremium.",
        "Ergänzungen des Beirats in den Entwurf einarbeiten",
        True,
    ),
    "leitfaden_c": (
        "Praxisleitfaden, Kapitel c: Berufsorientierende Maßnahmen",
        "Abstimmung der Maßnahmen von Schulen, Agentur für Arbeit und Kammern.",
        "Übersicht der Angebote je Jahrgang: Potenzialanalyse, Berufsfelderkundung, "
        "Praktika, Bewerbungstraining. Doppelungen in Klasse 9 fallen auf.",
        "Das Arbeitsgremium legt einen abgestimmten Fahrplan für die Jahrgänge 7 bis 10 vor.",
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
        "Der Bogen wurde in den Arbeitsgremien erprobt; einzelne Fragen werden gekürzt.",
        "Der Beirat empfiehlt den Bogen für die nächste Runde.",
        "",
        True,
    ),
    "netzwerktag": (
        "Vorbereitung des Netzwerktags",
        "Programm, Ort und Workshops des nächsten Netzwerktags.",
        "Vorschläge für Workshops: Elternarbeit, Praktika, Gewinnung von Auszubildenden.",
        "Die Koordinierungsstelle lädt alle Partner ein; die Workshops übernehmen die "
        "Arbeitsgremien.",
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
    ("beirat", datetime.date(2025, 12, 16), ["wahl", "selbstevaluation", "uebergang"]),
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
    "orientation": "Arbeitsgremium Berufsorientierung abstimmen",
    "parents": "Arbeitsgremium Elternarbeit",
}
PLACES = {
    "board": "Kreishaus Osterode am Harz, Sitzungsraum 1 (Demo)",
    "beirat": "Berufsbildende Schulen II Osterode am Harz, Aula (Demo)",
    "orientation": "Koordinierungsstelle Bildung-Beruf, Besprechungsraum (Demo)",
    "parents": "Oberschule Am Mühlenteich (Demo), Mensa",
}
# Network days: (day, title after "Netzwerktag <year>: ", programme)
NETWORK_DAYS: list[tuple[datetime.date, str, str]] = [
    (
        datetime.date(2024, 9, 26),
        "Praktika, die passen",
        "9:00 Ankommen\n9:30 Begrüßung durch die Koordinierungsstelle\n10:00 Workshops: "
        "Praktika abstimmen · Eltern gewinnen · Ausbildung im Handwerk\n12:30 Ergebnisse und "
        "Ausblick\n13:00 Mittagsimbiss",
    ),
    (
        datetime.date(2025, 9, 25),
        "Eltern als Partner der Berufsorientierung",
        "9:00 Ankommen\n9:30 Begrüßung\n10:00 Impuls: Elternarbeit, die ankommt\n10:45 "
        "Workshops nach Themen des Praxisleitfadens\n12:30 Wirksamkeitsdialog: Was hat die "
        "Vereinbarung bewirkt?\n13:00 Ende",
    ),
    (
        datetime.date(2026, 9, 24),
        "Übergänge gemeinsam gestalten",
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
            return {"discussion": ""}
        if item.title == MISC:
            return {"discussion": "Keine weiteren Wortmeldungen."}
        return {"discussion": "Die Tagesordnung wird ohne Änderungen festgestellt."}
    _title, _description, discussion, _decision, _task, _public = TOPICS[topic_key]
    return {"discussion": discussion}


# How the votes went, where they were counted (the others: einstimmig, or a report noted).
COUNTED = {"messe": 1, "leitfaden_c": 2}  # topic → abstentions


def _decision_data(item, topic_key: str | None, present: int) -> dict | None:
    """The decision taken on an agenda item, or None (opening, miscellaneous)."""
    if topic_key is None:
        if item.title != APPROVAL:
            return None
        wording = "Das Protokoll der letzten Sitzung wird ohne Änderungen genehmigt."
    else:
        wording = TOPICS[topic_key][3]
    data = {"wording": wording, "outcome": outcome_of(wording), "unanimous": False}
    if data["outcome"] != "adopted":
        return data
    abstain = COUNTED.get(topic_key or "")
    if abstain is not None and present > abstain:
        data.update(votes_yes=present - abstain, votes_no=0, votes_abstain=abstain)
    else:
        data["unanimous"] = True
    return data


# Tasks for which an institution answers, beside the person (topic → partner).
TASK_INSTITUTIONS = {
    "praktika": "Handwerkskammer Hildesheim",
    "messe": "Stadt Osterode am Harz",
    "uebergang": "DGB Südniedersachsen-Harz",
}


def follow_up_tasks(build: DemoBuild, people: dict) -> None:
    """What became of the tasks: those of meetings before June 2026 are done, each with the
    office's note a few days before it was due; of the later ones, one was dropped, one is
    in progress past its day, one is overdue and still open, the rest in progress or done.
    Two new tasks on the latest decision whose minutes are not yet approved: one due in ten
    days and not started ("gefährdet"), one due in five weeks."""
    actor, on, today = build.actor, build.on, build.today
    tasks = list(
        ActionItem.objects.filter(network=build.network, due__isnull=False)
        .select_related("owner", "partner", "entry__minutes__meeting")
        .order_by("due", "pk")
    )
    later = 0
    for task in tasks:
        if task.due < on(datetime.date(2026, 6, 1)):
            status, note, days = TaskStatus.DONE, "Erledigt; Bericht in der nächsten Sitzung.", 4
        else:
            later += 1
            status, note, days = {
                1: (TaskStatus.DROPPED, "Entfällt: Das Thema wird im Beirat weiterbehandelt.", 10),
                2: (TaskStatus.IN_PROGRESS, "Erste Gespräche laufen; ein Entwurf folgt.", 20),
                3: (None, "", 0),
            }.get(
                later,
                (TaskStatus.IN_PROGRESS, "Entwurf liegt vor.", 12)
                if later % 2
                else (TaskStatus.DONE, "Erledigt und an alle verschickt.", 2),
            )
        if status is None:
            continue
        with clock(at(min(task.due, today) - datetime.timedelta(days=days), 10)):
            meetings.task_follow_up(actor=actor, task=task, status=status, note=note)
    decision = (
        Decision.objects.filter(network=build.network, outcome="adopted")
        .exclude(agenda_item__meeting__minutes__state="approved")
        .select_related("agenda_item")
        .order_by("-agenda_item__meeting__starts_at", "-pk")
        .first()
    )
    if decision is None:
        return
    entry = MinutesEntry.objects.get(agenda_item=decision.agenda_item)
    with clock(at(today - datetime.timedelta(days=3), 11)):
        for description, owner, days in (
            ("Rückmeldungen der Schulen zum Entwurf sammeln", "Hanna Beispiel", 10),
            ("Ergebnis im Netzwerk-Newsletter vorstellen", "Erika Musterfrau", 35),
        ):
            meetings.task_add(
                actor=actor,
                entry=entry,
                description=description,
                owner=people.get(owner),
                owner_text="" if owner in people else "Koordinierungsstelle",
                due=today + datetime.timedelta(days=days),
                decision=decision,
            )


def build_meetings(build: DemoBuild) -> None:
    """Past meetings of every body (2024–2026, as seen from STORY_DAY) with agenda, invitations and replies,
    attendance, minutes with tasks approved at the following meeting (one corrected), a
    cancelled working-group meeting, the next advisory-board meeting (invited, three weeks
    ahead of the day the demo is built), and the network days of the last three years with registrations
    and attendance."""
    network, actor, on = build.network, build.actor, build.on
    bodies, by_name = build.shared["bodies"], build.shared["partners"]
    people = build.shared["people"]
    # The office asks for answers a week before each meeting.
    network_settings_update(actor=actor, network=network, values={REPLY_DEADLINE: 7}, expected=None)
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
        start = at(day, hour)
        with clock(start - datetime.timedelta(days=28)):
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
        with clock(moment):
            meetings.meeting_invite(actor=actor, meeting=meeting)
        mark_sent(meeting, moment)
        for number, invitation in enumerate(
            Invitation.objects.filter(meeting=meeting, kind="invitee").order_by("name")
        ):
            reply = Reply.DECLINE if invitation.name == absent else Reply.ATTEND
            if number % 4 == 3 and reply == Reply.ATTEND:
                continue  # did not answer, came anyway
            with clock(moment + datetime.timedelta(days=2 + number % 5, hours=number)):
                meetings.invitation_reply(
                    actor=actor,
                    invitation=invitation,
                    reply=reply,
                    note="Termin kollidiert mit einer Dienstbesprechung."
                    if reply == Reply.DECLINE
                    else "",
                )

    # Documents: small PDFs made here (keeps the demo file small).
    report_day = on(datetime.date(2025, 5, 20))
    documents = {
        (report_day, "Lage am Ausbildungsmarkt"): (
            f"Ausbildungsmarkt {report_day.year} – Kurzbericht",
            f"ausbildungsmarkt-{report_day.year}.pdf",
            [
                "Kurzbericht der Agentur für Arbeit (Demo, erfundene Zahlen)",
                "Mehr offene Ausbildungsstellen als Bewerbungen.",
                "Besonders gefragt: Handwerk, Pflege, Logistik.",
            ],
        ),
        (on(datetime.date(2025, 4, 8)), "Praxisleitfaden, Kapitel i: Elternarbeit"): (
            "Entwurf Kapitel i: Elternarbeit",
            "leitfaden-kapitel-i-entwurf.pdf",
            [
                "Entwurf des Arbeitsgremiums Elternarbeit (Demo)",
                "1. Eltern früh einbeziehen  2. Einfache Sprache  3. Termine im Betrieb",
            ],
        ),
    }
    done: dict[str, list] = {}  # body key → [(meeting, minutes)]
    for index, (key, story_day, topics) in enumerate(PAST_MEETINGS):
        day = on(story_day)
        previous = done.setdefault(key, [])
        meeting, items = plan(key, day, topics, approval=bool(previous))
        for item in items:
            spec = documents.get((day, item.title))
            if spec:
                title, file_name, lines = spec
                with clock(meeting.starts_at - datetime.timedelta(days=22)):
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
        with clock(meeting.starts_at + datetime.timedelta(hours=3)):
            meeting = meetings.attendance_record(actor=actor, meeting=meeting, people=present)
            if previous:  # the last minutes are approved at this meeting
                meetings.minutes_approve(actor=actor, minutes=previous[-1][1], approved_in=meeting)
        topic_of = {TOPICS[t][0]: t for t in topics}
        with clock(meeting.starts_at + datetime.timedelta(days=10)):
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
                data = _decision_data(entry.agenda_item, topic, len(present))
                decision = (
                    meetings.decision_add(actor=actor, item=entry.agenda_item, data=data)
                    if data
                    else None
                )
                task = TOPICS[topic][4] if topic else ""
                if task:
                    meetings.task_add(
                        actor=actor,
                        entry=entry,
                        description=task,
                        owner=p.get(owners.get(topic, "")),
                        owner_text="" if topic in owners else "Koordinierungsstelle",
                        partner=by_name.get(TASK_INSTITUTIONS.get(topic, "")),
                        due=day + datetime.timedelta(days=42),
                        decision=decision if decision and decision.outcome == "adopted" else None,
                    )
        with clock(meeting.starts_at + datetime.timedelta(days=14)):
            minutes = meetings.minutes_circulate(actor=actor, minutes=minutes)
        previous.append((meeting, minutes))

    follow_up_tasks(build, p)

    # One correction of approved minutes: a figure in the advisory board's May 2025 minutes.
    beirat_may = next(m for m in done["beirat"] if m[0].day == report_day)[1]
    beirat_dec = next(m for m in done["beirat"] if m[0].day == on(datetime.date(2025, 12, 16)))[0]
    entry = MinutesEntry.objects.filter(
        minutes=beirat_may, agenda_item__title=TOPICS["ausbildungsmarkt"][0]
    ).get()
    with clock(at(beirat_dec.day + datetime.timedelta(days=1), 10)):
        beirat_may.refresh_from_db()
        meetings.minutes_correct(
            actor=actor,
            minutes=beirat_may,
            field="discussion",
            entry=entry,
            text=entry.discussion + " Die Pflegeberufe waren im Kurzbericht nicht genannt; "
            "sie werden ergänzt.",
            reason=f"Hinweis der Agentur für Arbeit in der Sitzung am {beirat_dec.day:%d.%m.%Y}.",
        )

    # A cancelled working-group meeting.
    key, story_day, reason = CANCELLED_MEETING
    day = on(story_day)
    cancelled, _items = plan(key, day, ["elternabend"], approval=True, hour=15)
    with clock(at(day, 8) - datetime.timedelta(days=3)):
        meetings.meeting_cancel(actor=actor, meeting=cancelled, reason=reason)

    # The next advisory-board meeting: three weeks ahead, invited, the first replies in.
    today = timezone.localdate()
    day = today + datetime.timedelta(days=21)
    last_beirat = done["beirat"][-1][0]
    upcoming, items = plan(
        "beirat", day, ["wahl", "ausbildungsmarkt", "leitfaden_i"], approval=True
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
    meetings.meeting_invite(
        actor=actor,
        meeting=upcoming,
        cover_text=(
            "Sehr geehrte Mitglieder des Beirats,\n\n"
            "in dieser Sitzung wählen wir den **Vorsitz** neu und sprechen über die Lage am "
            "Ausbildungsmarkt. Den Entwurf des letzten Protokolls finden Sie bei TOP 2.\n\n"
            "Wir freuen uns auf Ihre Teilnahme."
        ),
    )
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
    for year_index, (story_day, title, programme) in enumerate(NETWORK_DAYS):
        day = on(story_day)
        title = f"Netzwerktag {day.year}: {title}"
        start = at(day, 9)
        with clock(start - datetime.timedelta(days=70)):
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
        with clock(moment):
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
            with clock(moment + datetime.timedelta(days=7 + number)):
                registrations.append(
                    meetings.registration_add(actor=actor, day=network_day, person=person)
                )
        for number, (name, institution) in enumerate(GUESTS):
            if (number + year_index) % 3 == 0:
                continue
            with clock(moment + datetime.timedelta(days=10 + number)):
                registrations.append(
                    meetings.registration_add(
                        actor=actor,
                        day=network_day,
                        partner=by_name[institution],
                        name=name,
                        email=f"{local_part(name).replace('-', '.')}@{EMAIL_DOMAIN}",
                        note="Fiktive Person für die Demo.",
                    )
                )
        came = [r for number, r in enumerate(registrations) if number % 6 != 5]
        with clock(start + datetime.timedelta(hours=5)):
            meetings.network_day_attendance(actor=actor, day=network_day, attended=came)


register_demo_part("meetings", 30, build_meetings)
