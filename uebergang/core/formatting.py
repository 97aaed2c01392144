"""Formatted text (the minutes' texts): a small, safe subset of Markdown – paragraphs and
line breaks as typed, **fett**, *kursiv*, lists with "- " or "1. ", links as
[Text](https://…) – turned into HTML by markdown-it-py (CommonMark) and then cleaned by nh3,
so that whatever is typed can never add a script, a style or a heading to the page or the
PDF. Raw HTML in the text is shown as text. A plain text written before (with its line
breaks) reads as before."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}

_md = (
    MarkdownIt("commonmark", {"breaks": True, "html": False, "linkify": False})
    # headings, quotes, code, images and rules would break the page's structure
    .disable(["heading", "lheading", "blockquote", "code", "fence", "hr", "image", "backticks"])
)


def to_html(text: str | None) -> SafeString:
    """The text as clean HTML (empty for no text)."""
    if not text or not text.strip():
        return mark_safe("")
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 – cleaned by nh3 right above
