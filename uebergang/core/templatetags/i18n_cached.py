"""Django's `i18n` template tags, with `{% translate "…" %}` of a constant text translated once
per language (and escaping) instead of on every render.

A page renders its constant labels many times over (a column's "beenden" in every row, the
headings of every table): each render of Django's tag asks the catalogue again. The catalogue
does not change while the process runs, so the node keeps its result per language. Texts with
a variable, a filter, a context (`context "…"`) or `noop` go through Django's tag unchanged.
Installed as the library `i18n` (TEMPLATES' `libraries`), so templates keep `{% load i18n %}`.
Nothing of a network is kept here, only the translation of the template's own text."""

from __future__ import annotations

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


class ConstantTranslateNode(django_i18n.TranslateNode):
    """A `{% translate "text" %}` without variables: rendered once per language."""

    def render(self, context: template.Context) -> str:
        key = (get_language(), context.autoescape)
        rendered = self.__dict__.setdefault("_rendered", {})
        if key not in rendered:
            saved, self.asvar = self.asvar, None
            try:
                rendered[key] = super().render(context)
            finally:
                self.asvar = saved
        value = rendered[key]
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _constant(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and getattr(expression.var, "literal", None) is not None
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    node = django_i18n.do_translate(parser, token)
    if isinstance(node, django_i18n.TranslateNode) and _constant(node):
        node.__class__ = ConstantTranslateNode
    return node
