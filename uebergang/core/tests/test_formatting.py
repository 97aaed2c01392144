"""Formatted text (`core.formatting`): the subset of Markdown the minutes allow, and that
nothing typed can add markup beyond it."""

from __future__ import annotations

import pytest

from uebergang.core.formatting import to_html


def test_paragraphs_line_breaks_lists_bold_italic_and_links():
    html = to_html(
        "Erste Zeile\nzweite Zeile\n\n- **fett**\n- *kursiv*\n\n1. eins\n2. zwei\n\n"
        "[Kreis Göttingen](https://www.landkreisgoettingen.de)"
    )
    assert "<p>Erste Zeile<br>\nzweite Zeile</p>" in html
    assert "<ul>\n<li><strong>fett</strong></li>\n<li><em>kursiv</em></li>\n</ul>" in html
    assert "<ol>\n<li>eins</li>\n<li>zwei</li>\n</ol>" in html
    assert (
        '<a href="https://www.landkreisgoettingen.de" rel="noopener noreferrer nofollow">'
        "Kreis Göttingen</a>"
    ) in html


def test_a_plain_text_of_before_reads_as_before():
    assert to_html("Der Beirat nimmt den Bericht\nzur Kenntnis.") == (
        "<p>Der Beirat nimmt den Bericht<br>\nzur Kenntnis.</p>\n"
    )


@pytest.mark.parametrize(
    ("typed", "never"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<a href="#" onclick="alert(1)">x</a>', "<a "),  # shown as text, not a link
        ("[x](javascript:alert(1))", 'href="javascript'),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("![Bild](https://example.org/a.png)", "<img"),
        ("# Überschrift", "<h1"),
        ("Titel\n=====", "<h1"),
        ("> Zitat", "<blockquote"),
        ("    Code", "<pre"),
        ('<span style="color:red">rot</span>', "<span"),
    ],
)
def test_nothing_typed_adds_other_markup(typed, never):
    assert never not in to_html(typed)


@pytest.mark.parametrize("empty", [None, "", "   \n  "])
def test_no_text_is_no_html(empty):
    assert to_html(empty) == ""
