"""The inline select (`core.forms.render_select`) writes exactly what its template
`core/forms/select.html` writes, for plain, grouped, selected, multiple, disabled and
escaped options, and safe labels left as they are."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from uebergang.core.forms import INLINE_SELECT, KernForm, KernFormRenderer, render_select


class Sample(KernForm):
    plain = forms.ChoiceField(
        choices=[("", "alle"), ("a", "Schule"), ("b", "Kammer & Co"), ("c", mark_safe("<b>ja</b>"))]
    )
    grouped = forms.ChoiceField(
        choices=[("Schulen", [("s1", "IGS <Osterode>"), ("s2", "BBS")]), ("x", "sonst")],
        help_text="Hinweis",
    )
    many = forms.MultipleChoiceField(
        choices=[(1, "eins"), (2, "zwei"), (3, "drei")], required=False
    )
    off = forms.ChoiceField(choices=[("j", "ja")], disabled=True)


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "b", "grouped": "s1", "many": ["1", "3"], "off": "j"}, {"plain": "zz"}],
)
@pytest.mark.parametrize("name", ["plain", "grouped", "many", "off"])
def test_the_inline_select_is_its_template(name, data):
    form = Sample(data)
    form.is_valid()
    bound = form[name]
    widget = bound.field.widget
    assert widget.template_name == INLINE_SELECT
    attrs = bound.build_widget_attrs({"id": bound.auto_id})
    context = widget.get_context(bound.html_name, bound.value(), attrs)
    # the template, through Django's renderer (as before the Python version)
    expected = DjangoTemplates.render(KernFormRenderer(), INLINE_SELECT, context)
    assert render_select(context["widget"]) == expected


@pytest.mark.parametrize("data", [None, {"plain": "b", "grouped": "s1", "many": ["1", "3"]}])
def test_a_whole_form_renders_as_through_the_template(data, monkeypatch):
    fast = str(Sample(data))
    monkeypatch.setattr(KernFormRenderer, "render", DjangoTemplates.render)
    assert str(Sample(data)) == fast
    assert fast.count("<select") == 4
