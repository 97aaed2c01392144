"""`{% table_region %}`: every table's wrapper is a focusable group with a name, so a table
that scrolls sideways on a phone can be reached and scrolled with the keyboard."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load i18n tables %}" + source).render(Context(context))


def test_a_region_named_by_the_heading_above_the_table():
    assert render('{% table_region labelledby="h-liste" %}') == (
        '<div class="kern-table-responsive" role="group" tabindex="0" aria-labelledby="h-liste">'
    )


def test_a_region_named_by_a_label_with_more_classes():
    html = render(
        '{% table_region label=_("Verlauf") classes="section" %}{% table_region label=caption %}',
        caption='Aufgaben "neu"',
    )
    assert html == (
        '<div class="kern-table-responsive section" role="group" tabindex="0"'
        ' aria-label="Verlauf">'
        '<div class="kern-table-responsive" role="group" tabindex="0"'
        ' aria-label="Aufgaben &quot;neu&quot;">'
    )


@pytest.mark.parametrize(
    "source",
    ["{% table_region %}", '{% table_region label="A" labelledby="h-a" %}'],
)
def test_a_region_has_exactly_one_name(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)
