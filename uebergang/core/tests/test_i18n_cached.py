"""The `i18n` template library (`core/templatetags/i18n_cached.py`): a constant
{% translate %} is translated once per language and gives what Django's tag gives; texts
with variables or filters go through Django's tag; the replaced library is the only name
that two template tag modules share (the warning templates.W003 is silenced for it)."""

from __future__ import annotations

from django.template import engines
from django.utils import translation


def render(source: str, context: dict | None = None) -> str:
    return engines["django"].from_string("{% load i18n %}" + source).render(context or {})


def test_a_constant_text_follows_the_language():
    template = '{% translate "Abmelden" %}|{% translate "Abmelden" as label %}[{{ label }}]'
    with translation.override("de"):
        assert render(template) == "Abmelden|[Abmelden]"
    with translation.override("en"):
        assert render(template) == "Sign out|[Sign out]"
    with translation.override("de"):
        assert render(template) == "Abmelden|[Abmelden]"


def test_variables_filters_and_contexts_go_through_djangos_tag():
    with translation.override("en"):
        assert render("{% translate word %}", {"word": "Abmelden"}) == "Sign out"
        assert render('{% translate "Abmelden"|upper %}') == "SIGN OUT"
        assert render('{% translate "Abmelden" noop %}') == "Abmelden"


def test_a_template_literal_stays_unescaped_as_in_djangos_tag():
    with translation.override("de"):
        assert render('{% translate "<b>" %}') == "<b>"
        assert render('{% autoescape off %}{% translate "<b>" %}{% endautoescape %}') == "<b>"


def test_only_i18n_is_shared_by_two_tag_modules():
    backend = engines["django"]
    warnings = backend._check_for_template_tags_with_the_same_name()
    assert [w.msg.split(" ")[0] for w in warnings] == ["'i18n'"]
