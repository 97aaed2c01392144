"""The PDFs of invitation and minutes: readable German text, the network's name and a page
footer on each page, the public copy without the non-public items, PDF/A with embedded fonts,
and a fixed number of queries whatever the length of the agenda."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from uebergang.bodies import services as body_services
from uebergang.core.errors import DomainError
from uebergang.core.permissions import SYSTEM
from uebergang.meetings import pdf, services
from uebergang.meetings.models import Meeting
from uebergang.networks.tests.factories import make_partner, make_person

D = datetime.date
BERLIN = datetime.timezone(datetime.timedelta(hours=1))  # winter time in Germany


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def text_of(data: bytes) -> str:
    """The text of all pages, every run of white space (line breaks too) as one blank."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def held_meeting(r, title: str, day: datetime.date, items: int = 0, **data) -> Meeting:
    meeting = services.meeting_create(
        actor=r.actor,
        body=r.board,
        data={"title": title, "starts_at": at(day, 15), "ends_at": at(day, 17), **data},
    )
    for n in range(items):
        services.agenda_item_add(
            actor=r.actor,
            meeting=meeting,
            data={"title": f"Bericht Nummer {n + 1}", "public": n % 2 == 0},
        )
    return meeting


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% Testdatei\n", content_type="application/pdf")


@pytest.fixture
def r(network, coordinator, settings, tmp_path):
    """The advisory board with a voting seat for the chamber (Anna Ärmel as member), a
    meeting on 5 November 2025 with a public and a non-public item and a document, attendance
    and drafted minutes with a task."""
    settings.MEDIA_ROOT = tmp_path
    actor = coordinator
    kammer = make_partner(network, "Handwerkskammer Südniedersachsen", kind="chamber")
    anna = make_person(network, "Anna", "Ärmel", organisation=kammer)
    jörg = make_person(network, "Jörg", "Großmann")
    board = body_services.body_create(
        actor=SYSTEM,
        network=network,
        data={
            "name": "Beirat Übergang Schule–Beruf",
            "kind": "advisory_board",
            "valid_from": D(2014, 1, 1),
            "quorum_rule": "majority",
        },
    )
    seat = body_services.body_seat_add(
        actor=SYSTEM, body=board, partner=kammer, valid_from=D(2014, 1, 1)
    )
    body_services.membership_add(
        actor=SYSTEM, body=board, person=anna, role="member", seat=seat, valid_from=D(2014, 1, 1)
    )
    r = SimpleNamespace(actor=actor, network=network, board=board, anna=anna, jörg=jörg)
    meeting = services.meeting_create(
        actor=actor,
        body=board,
        data={
            "title": "Herbstsitzung des Beirats",
            "starts_at": at(D(2025, 11, 5), 15),
            "ends_at": at(D(2025, 11, 5), 17),
            "place": "Kreishaus Osterode, Raum Göttingen",
            "online_url": "https://video.example.org/beirat",
        },
    )
    public_item = services.agenda_item_add(
        actor=actor,
        meeting=meeting,
        data={
            "title": "Berufsorientierung an Oberschulen – Überblick",
            "presenter": "Jörg Großmann",
            "description": "Zahlen für das Schuljahr 2025/26.",
        },
    )
    secret_item = services.agenda_item_add(
        actor=actor,
        meeting=meeting,
        data={"title": "Personalangelegenheiten der Koordinierungsstelle", "public": False},
    )
    services.document_add(
        actor=actor, meeting=meeting, upload=upload("zahlen.pdf"), title="Übersicht Schulabgänge"
    )
    services.document_add(
        actor=actor,
        meeting=meeting,
        upload=upload("bericht.pdf"),
        title="Bericht zur Berufsorientierung",
        agenda_item=public_item,
    )
    services.document_add(
        actor=actor,
        meeting=meeting,
        upload=upload("stellen.pdf"),
        title="Vertraulicher Stellenplan",
        agenda_item=secret_item,
    )
    services.attendance_record(actor=actor, meeting=meeting, people=[anna, jörg])
    minutes = services.minutes_save(
        actor=actor,
        meeting=meeting,
        expected_version=None,
        opening="Die Vorsitzende begrüßt die Anwesenden.",
        closing="Schluss der Sitzung um 16:55 Uhr.",
        entries={
            public_item.pk: {
                "discussion": "Die Übergänge in Ausbildung sind gestiegen.",
            },
            secret_item.pk: {"discussion": "Vertrauliche Beratung über Stellenplanung."},
        },
    )
    r.decision = services.decision_add(
        actor=actor,
        item=public_item,
        data={"wording": "Der Beirat begrüßt die Maßnahmen.", "votes_yes": 2, "votes_abstain": 1},
    )
    services.decision_add(
        actor=actor, item=secret_item, data={"wording": "Stellenplan vertraulich beschlossen."}
    )
    entry = minutes.entries.get(agenda_item=public_item)
    services.task_add(
        actor=actor,
        entry=entry,
        description="Übersicht der Praktikumsplätze erstellen",
        owner=jörg,
        due=D(2026, 1, 31),
    )
    secret_entry = minutes.entries.get(agenda_item=secret_item)
    services.task_add(
        actor=actor, entry=secret_entry, description="Stellenbesetzung vorbereiten", owner_text="KS"
    )
    r.meeting, r.public_item, r.secret_item, r.minutes = meeting, public_item, secret_item, minutes
    r.entry, r.secret_entry = entry, secret_entry
    return r


def approve(r) -> None:
    later = held_meeting(r, "Frühjahrssitzung", D(2026, 3, 4))
    later = services.attendance_record(actor=r.actor, meeting=later, people=[r.anna])
    services.minutes_approve(actor=r.actor, minutes=r.minutes, approved_in=later)


# --- invitation ------------------------------------------------------------------------------


def test_invitation_pdf_has_german_text_agenda_network_and_footer(r):
    data = pdf.invitation_pdf(r.meeting)

    assert data.startswith(b"%PDF-")
    text = text_of(data)
    assert "Einladung: Herbstsitzung des Beirats" in text
    assert "Beirat Übergang Schule–Beruf" in text
    assert "Übergang Schule–Beruf Osterode am Harz" in text  # the network's name
    assert "Mittwoch, 5. November 2025, 15:00–17:00 Uhr" in text
    assert "Kreishaus Osterode, Raum Göttingen" in text
    assert "Berufsorientierung an Oberschulen – Überblick" in text
    assert "Personalangelegenheiten der Koordinierungsstelle" in text
    assert "nicht öffentlich" in text
    assert "Jörg Großmann" in text
    assert "Übersicht Schulabgänge" in text
    assert "Bericht zur Berufsorientierung (zu TOP 1)" in text
    assert "Vertraulicher Stellenplan (zu TOP 2)" in text
    assert "Rückmeldung" in text
    assert "Mit freundlichen Grüßen Koordinierungsstelle" in text
    assert "Seite 1 von" in text
    assert f"erstellt am {timezone.localdate():%d.%m.%Y}" in text


def test_invitation_pdf_metadata_has_title_and_language(r):
    reader = PdfReader(io.BytesIO(pdf.invitation_pdf(r.meeting)))

    assert reader.metadata.title == (
        "Einladung: Herbstsitzung des Beirats (Beirat Übergang Schule–Beruf, 05.11.2025)"
    )
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_invitation_pdf_public_only_leaves_out_non_public_items(r):
    text = text_of(pdf.invitation_pdf(r.meeting, public_only=True))

    assert "Berufsorientierung an Oberschulen – Überblick" in text
    assert "Personalangelegenheiten" not in text
    assert "Vertraulicher Stellenplan" not in text
    assert "Übersicht Schulabgänge" in text
    assert "Bericht zur Berufsorientierung" in text
    assert "nicht öffentlich" not in text.replace("nicht öffentliche Punkte", "")


def test_a_long_agenda_runs_over_several_pages_each_with_header_and_footer(r):
    meeting = held_meeting(r, "Lange Sitzung", D(2025, 12, 3), items=45)

    reader = PdfReader(io.BytesIO(pdf.invitation_pdf(meeting)))

    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Seite {number} von {pages}" in text
        assert "Übergang Schule–Beruf Osterode am Harz" in text
        assert "Beirat Übergang Schule–Beruf" in text


# --- minutes ---------------------------------------------------------------------------------


def test_minutes_pdf_has_attendance_quorum_text_tasks_and_draft_mark(r):
    data = pdf.minutes_pdf(r.meeting)
    text = text_of(data)

    assert "Protokoll: Herbstsitzung des Beirats" in text
    assert "ENTWURF" in text
    assert "Anna Ärmel" in text
    assert "Handwerkskammer Südniedersachsen" in text
    assert "Anwesend waren 1 von 1 stimmberechtigten Sitzen; erforderlich sind 1." in text
    assert "Das Gremium war beschlussfähig." in text
    assert "Die Vorsitzende begrüßt die Anwesenden." in text
    assert "Die Übergänge in Ausbildung sind gestiegen." in text
    assert "Der Beirat begrüßt die Maßnahmen." in text
    assert f"Beschluss {r.decision.reference}" in text
    assert "Ergebnis: angenommen (Ja 2 · Nein 0 · Enthaltung 1)" in text
    assert "Stellenplan vertraulich beschlossen." in text
    assert "Übersicht der Praktikumsplätze erstellen" in text
    assert "31.01.2026" in text
    assert "Vertrauliche Beratung über Stellenplanung." in text
    assert "Schluss der Sitzung um 16:55 Uhr." in text
    assert "Seite 1 von" in text
    assert "Übergang Schule–Beruf Osterode am Harz" in text
    for page in PdfReader(io.BytesIO(data)).pages:  # the draft mark in every page's header
        assert "Beirat Übergang Schule–Beruf · ENTWURF" in " ".join(page.extract_text().split())


def test_minutes_pdf_public_only_leaves_out_non_public_items_and_their_entries(r):
    text = text_of(pdf.minutes_pdf(r.meeting, public_only=True))

    assert "Die Übergänge in Ausbildung sind gestiegen." in text
    assert "Personalangelegenheiten" not in text
    assert "Vertrauliche Beratung" not in text
    assert "Stellenplan vertraulich" not in text
    assert "Stellenbesetzung vorbereiten" not in text


def test_approved_minutes_carry_the_approval_and_corrections_but_no_draft_mark(r):
    approve(r)
    services.minutes_correct(
        actor=r.actor,
        minutes=r.minutes,
        field="discussion",
        entry=r.entry,
        text="Die Übergänge in Ausbildung sind deutlich gestiegen.",
        reason="Wortlaut nach Rückmeldung der Kammer",
    )
    r.minutes.refresh_from_db()
    services.minutes_correct(
        actor=r.actor,
        minutes=r.minutes,
        field="discussion",
        entry=r.secret_entry,
        text="Beratung über die Stellenplanung.",
        reason="Geheimer Grund",
    )

    text = text_of(pdf.minutes_pdf(r.meeting))
    public_text = text_of(pdf.minutes_pdf(r.meeting, public_only=True))

    assert "ENTWURF" not in text
    assert "Genehmigt in der Sitzung vom 04.03.2026." in text
    assert "Berichtigungen nach der Genehmigung" in text
    assert "Wortlaut nach Rückmeldung der Kammer" in text
    assert "Geheimer Grund" in text
    assert "Wortlaut nach Rückmeldung der Kammer" in public_text
    assert "Geheimer Grund" not in public_text
    assert "Stellenplanung" not in public_text


def test_minutes_pdf_without_minutes_is_refused(r):
    meeting = held_meeting(r, "Ohne Protokoll", D(2025, 12, 3), items=1)

    with pytest.raises(DomainError) as exc:
        pdf.minutes_pdf(meeting)

    assert exc.value.message == "Für diese Sitzung gibt es noch kein Protokoll."
    assert exc.value.code == "no_minutes"


# --- PDF/A and fonts -------------------------------------------------------------------------


def fonts_of(reader: PdfReader) -> list:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            if descendants:
                font = descendants[0].get_object()
            fonts.append(font)
    return fonts


@pytest.mark.parametrize("build", [pdf.minutes_pdf, pdf.invitation_pdf])
def test_the_pdfs_are_pdf_a_3b_with_embedded_fonts(r, build):
    data = build(r.meeting)
    reader = PdfReader(io.BytesIO(data))

    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data()
    assert b"pdfaid:part" in raw
    assert b"3" in raw.split(b"pdfaid:part", 1)[1][:8]
    assert b"pdfaid:conformance" in raw
    assert reader.trailer["/Root"]["/OutputIntents"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_kern_fira_sans_is_used_when_the_vendor_files_are_there(r):
    if not pdf.font_css():
        pytest.skip("KERN vendor files missing: run `make assets`")
    reader = PdfReader(io.BytesIO(pdf.minutes_pdf(r.meeting)))

    names = {str(font["/BaseFont"]) for font in fonts_of(reader)}
    assert any("Fira" in name for name in names), names


def test_without_the_vendor_fonts_the_default_font_is_embedded(r, monkeypatch):
    monkeypatch.setattr(pdf, "font_css", lambda: "")
    reader = PdfReader(io.BytesIO(pdf.minutes_pdf(r.meeting)))

    fonts = fonts_of(reader)
    assert fonts
    assert not any("Fira" in str(font["/BaseFont"]) for font in fonts)
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert "Anna Ärmel" in text_of(pdf.minutes_pdf(r.meeting))


# --- queries ---------------------------------------------------------------------------------


def queries_for(build, meeting: Meeting) -> int:
    meeting = Meeting.objects.get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as ctx:
        build(meeting)
    return len(ctx.captured_queries)


def with_minutes(r, meeting: Meeting) -> Meeting:
    services.attendance_record(actor=r.actor, meeting=meeting, people=[r.anna, r.jörg])
    items = list(meeting.agenda_items.all())
    minutes = services.minutes_save(
        actor=r.actor,
        meeting=meeting,
        expected_version=None,
        opening="Begrüßung",
        entries={i.pk: {"discussion": f"Beratung {i.position}"} for i in items},
    )
    for entry in minutes.entries.select_related("agenda_item"):
        decision = services.decision_add(
            actor=r.actor, item=entry.agenda_item, data={"wording": "Zustimmung"}
        )
        services.task_add(
            actor=r.actor, entry=entry, description="Prüfen", owner=r.jörg, decision=decision
        )
    return meeting


@pytest.mark.parametrize("public_only", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_agenda(r, public_only):
    small = with_minutes(r, held_meeting(r, "Kurze Sitzung", D(2025, 12, 3), items=3))
    large = with_minutes(r, held_meeting(r, "Lange Sitzung", D(2025, 12, 10), items=30))

    def build_invitation(m):
        return pdf.invitation_pdf(m, public_only=public_only)

    def build_minutes(m):
        return pdf.minutes_pdf(m, public_only=public_only)

    for build in (build_invitation, build_minutes):
        count = queries_for(build, small)
        assert count == queries_for(build, large)
        assert count <= 13  # the meeting, then selectors.meeting_detail, the network's logo


def test_font_css_lookup_is_cached(r):
    assert pdf.font_css() is pdf.font_css()
    assert pdf.font_css.cache_info().hits >= 1


def test_file_name_is_ascii(r):
    assert pdf.file_name(r.meeting, "minutes") == (
        "Protokoll-2025-11-05-Beirat-Uebergang-Schule-Beruf.pdf"
    )
    assert pdf.file_name(r.meeting, "protokoll") == pdf.file_name(r.meeting, "minutes")
    assert pdf.file_name(r.meeting, "invitation").startswith("Einladung-2025-11-05-")


# --- the shared partials ---------------------------------------------------------------------


def test_the_partials_render_as_plain_html_for_the_meeting_page(r):
    from uebergang.meetings import selectors

    approve(r)
    detail = selectors.meeting_detail(meeting=Meeting.objects.get(pk=r.meeting.pk))
    context = {
        "meeting": detail.meeting,
        "items": detail.items,
        "minutes": detail.minutes,
        "entries": detail.entries,
        "heading_level": 3,
    }

    agenda = render_to_string("meetings/_agenda.html", context)
    minutes = render_to_string("meetings/_minutes_text.html", context)

    assert "<h3" in agenda and "<h4" in agenda and "<h2" not in agenda
    assert 'value="2"' in agenda
    assert "Bericht zur Berufsorientierung" in agenda
    assert "(nicht öffentlich)" in agenda
    assert "<caption>Aufgaben zu TOP 1</caption>" in minutes
    assert 'scope="col">zuständig</th>' in minutes
    assert "Genehmigt in der Sitzung vom 04.03.2026." in minutes
    assert "Die Übergänge in Ausbildung sind gestiegen." in minutes
    default = render_to_string("meetings/_agenda.html", {**context, "heading_level": None})
    assert "<h2" in default
    assert (
        render_to_string("meetings/_minutes_text.html", {**context, "minutes": None}).strip() == ""
    )


def test_minutes_pdf_lists_present_excused_and_absent_and_has_signature_lines(
    network, settings, tmp_path
):
    from uebergang.meetings.tests.factories import days_from_today, make_board, make_invited_meeting

    settings.MEDIA_ROOT = tmp_path
    board = make_board(network)
    body_services.office_assign(
        actor=SYSTEM, membership=board.carla_m, kind="chair", valid_from=D(2014, 1, 1)
    )
    import time_machine

    day = days_from_today(-10)
    with time_machine.travel(at(day - datetime.timedelta(days=7), 10), tick=False):
        meeting = make_invited_meeting(board, day=day)
        invitation = meeting.invitations.get
        services.invitation_reply(
            actor=SYSTEM, invitation=invitation(person=board.emil), reply="decline"
        )
        services.invitation_reply(
            actor=SYSTEM, invitation=invitation(person=board.anna), reply="substitute"
        )
    services.attendance_record(
        actor=SYSTEM, meeting=Meeting.objects.get(pk=meeting.pk), people=[board.carla, board.bernd]
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    services.minutes_save(actor=SYSTEM, meeting=meeting, expected_version=None, opening="Beginn")
    text = " ".join(text_of(pdf.minutes_pdf(meeting)).split())

    assert "Carla" in text.split("Entschuldigt")[0]  # present, in the table before
    excused = text.split("Entschuldigt", 1)[1].split("Nicht anwesend (ohne Absage)", 1)[0]
    assert "Emil" in excused and "Anna Alt (vertreten)" in excused
    absent = text.split("Nicht anwesend (ohne Absage)", 1)[1].split("Anwesend waren", 1)[0]
    assert "Gustav" in absent and "Emil" not in absent and "Carla" not in absent
    assert "Für das Protokoll" in text
    assert "Vorsitz: Carla" in text
    assert "Ort, Datum" in text
