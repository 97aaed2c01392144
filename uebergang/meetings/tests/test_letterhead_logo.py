"""The network's logo in the letterhead of the invitation e-mail (an inline image of the HTML
part, multipart/related) and on top of the invitation and minutes PDFs (a data: URI, nothing
fetched); without a logo both are as before."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from pypdf import PdfReader

from uebergang.core.permissions import SYSTEM
from uebergang.meetings import delivery, pdf, services
from uebergang.meetings.tests.factories import make_board, make_held_meeting, make_meeting
from uebergang.networks.tests.factories import jpeg, make_logo, png

DAY = datetime.date(2027, 3, 5)
BEFORE = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock_and_media(settings, tmp_path):
    import time_machine

    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(BEFORE, tick=True):
        yield


@pytest.fixture
def board(network):
    return make_board(network)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_invite(actor=SYSTEM, meeting=meeting)
        return {m.to[0]: m for m in mail.outbox}

    return send


def html_parts(message):
    return [p for p in message.message().walk() if p.get_content_type() == "text/html"]


def test_the_invitation_mail_shows_the_logo_as_an_inline_image(network, board, send):
    # given the network's logo
    data = png()
    logo = make_logo(network, content=data)
    # when the invitation goes out
    message = send(make_meeting(board.body, day=DAY, title="Sitzung"))["anna.alt@example.org"]
    # then the HTML part and the logo form a multipart/related part of the alternatives
    parsed = message.message()
    [related] = [p for p in parsed.walk() if p.get_content_type() == "multipart/related"]
    html, image = list(related.iter_parts())
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image.get_payload(decode=True) == data
    assert image["Content-ID"] == f"<logo-{logo.sha256[:16]}@uebergang>"
    assert image.get_content_disposition() == "inline"
    assert f'<img src="cid:logo-{logo.sha256[:16]}@uebergang" alt="{network.name}"' in (
        html.get_content()
    )
    alternative = next(p for p in parsed.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "multipart/related",
        "text/calendar",
    ]
    # and the calendar file is still attached
    assert [a.filename for a in message.attachments] == ["invite.ics"]


def test_without_a_logo_the_mail_has_no_image(network, board, send):
    message = send(make_meeting(board.body, day=DAY, title="Sitzung"))["anna.alt@example.org"]
    parsed = message.message()
    assert [p for p in parsed.walk() if p.get_content_maintype() == "image"] == []
    [html] = html_parts(message)
    assert "cid:" not in html.get_content()
    assert network.name in html.get_content()


def test_a_jpeg_logo_goes_out_as_jpeg(network, board):
    make_logo(network, content=jpeg(), name="logo.jpg")
    image = delivery.logo_image(network)
    assert (image.mimetype, image.filename, image.content) == ("image/jpeg", "logo.jpg", jpeg())


def images_in(data: bytes) -> list[tuple[int, int]]:
    """The sizes of the images on the pages of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    return [(im.image.width, im.image.height) for page in reader.pages for im in page.images]


def test_the_invitation_pdf_has_the_logo_on_top(network, board):
    make_logo(network, content=png(40, 20))
    meeting = make_meeting(board.body, day=DAY, title="Sitzung")
    data = pdf.invitation_pdf(meeting)
    assert b"/Subtype /Image" in data
    assert images_in(data) == [(40, 20)]


def test_the_minutes_pdf_has_the_logo_on_top(network, board):
    make_logo(network, content=jpeg(30, 10), name="logo.jpg")
    meeting = make_held_meeting(board, day=datetime.date(2026, 11, 2))
    services.minutes_save(
        actor=SYSTEM, meeting=meeting, expected_version=None, opening="Begrüßung", entries={}
    )
    data = pdf.minutes_pdf(meeting)
    assert images_in(data) == [(30, 10)]


def test_without_a_logo_the_pdfs_have_no_image(network, board):
    meeting = make_meeting(board.body, day=DAY, title="Sitzung")
    data = pdf.invitation_pdf(meeting)
    assert b"/Subtype /Image" not in data
    assert images_in(data) == []
