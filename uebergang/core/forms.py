"""Forms render with the KERN UX classes: one renderer for all, a mixin that sets the widget
classes and ARIA links between input, hint and error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates

from .templatetags.tables import escape

INLINE_SELECT = "core/forms/select.html"


def _attrs(attrs: dict[str, Any]) -> str:
    """What django/forms/widgets/attrs.html writes."""
    return "".join(
        f" {escape(name)}" + ("" if value is True else f'="{escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict[str, Any]) -> str:
    """What `core/forms/select.html` writes for a select widget's context, in Python: a
    select is rendered on every list page's filters and most forms, and its options through
    the template cost a dozen look-ups each."""
    esc = escape  # as the template's {{ }}: safe text stays as it is
    out = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{esc(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{esc(option["value"])}"{_attrs(option["attrs"])}>'
                f"{esc(option['label'])}</option>"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class KernFormRenderer(DjangoTemplates):
    """Django's template renderer with the KERN form and field templates; the inline select
    (`INLINE_SELECT`, set by `KernFormMixin`) is written by `render_select`, the same HTML
    as its template (core/tests/test_forms_render.py compares them)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(self, template_name, context, request=None):
        if template_name == INLINE_SELECT:
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class KernFormMixin:
    """Adds KERN classes and `aria-describedby`/`aria-invalid` to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(field, forms.DateField) and not isinstance(widget, DateInput):
                field.widget = widget = DateInput(attrs=widget.attrs)
            if isinstance(widget, forms.CheckboxInput):
                css = "kern-form-check__checkbox"
            elif isinstance(widget, forms.Select):
                css = "kern-form-input__select"
                if (
                    widget.template_name == forms.Select.template_name
                    and widget.option_template_name == forms.Select.option_template_name
                ):
                    widget.template_name = INLINE_SELECT  # options inline
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "kern-form-input__input"
            widget.attrs["class"] = css
            bound = self[name]  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-hint")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._mark_errors()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self._mark_errors()

    def _mark_errors(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            base = widget.attrs.get("class", "").split(" ")[0]
            if base and f"{base}--error" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{base} {base}--error"
            widget.attrs["aria-invalid"] = "true"
            auto_id = self[name].auto_id  # type: ignore[index]
            ids = widget.attrs.get("aria-describedby", "").split()
            if f"{auto_id}-error" not in ids:
                widget.attrs["aria-describedby"] = " ".join([*ids, f"{auto_id}-error"])


class KernForm(KernFormMixin, forms.Form):
    pass


class KernModelForm(KernFormMixin, forms.ModelForm):
    pass


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput
