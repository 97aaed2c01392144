"""`core.reversing.fast_reverse` (and `{% url %}` through it) gives exactly Django's URL."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

from uebergang.core.reversing import fast_reverse

SAMPLES = {
    UUIDConverter: uuid.UUID("0c58acc2-2bce-4f38-b3d4-4e5efa5f276e"),
    IntConverter: 42,
    SlugConverter: "osterode-am-harz",
    PathConverter: "ordner/datei_1",
}


def _named_patterns(resolver=None, namespace="", converters=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        found = {**(converters or {}), **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, ns, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", found


def test_every_named_url_of_the_project_is_the_same_as_djangos():
    checked = 0
    for name, converters in _named_patterns():
        kwargs = {key: SAMPLES.get(type(conv), "abc") for key, conv in converters.items()}
        try:
            expected = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                fast_reverse(name, kwargs=kwargs)
            continue
        assert fast_reverse(name, kwargs=kwargs) == expected, name
        assert fast_reverse(name, kwargs=kwargs) == expected, name  # the kept pattern
        checked += 1
    assert checked > 100


def test_positional_arguments_and_values_that_go_the_long_way():
    pid = uuid.uuid4()
    assert fast_reverse("meetings:meeting_detail", args=["osterode", pid]) == reverse(
        "meetings:meeting_detail", args=["osterode", pid]
    )
    # A string as a UUID: the stand-in is a slug, the converter refuses; Django decides.
    assert fast_reverse("meetings:meeting_detail", args=["osterode", str(pid)]) == reverse(
        "meetings:meeting_detail", args=["osterode", str(pid)]
    )
    with pytest.raises(NoReverseMatch):
        fast_reverse("meetings:meeting_detail", args=["osterode", "kein-uuid"])
    with pytest.raises(NoReverseMatch):
        fast_reverse("meetings:meeting_detail", args=["mit leerzeichen", pid])
    # A negative number goes the long way (a str converter takes it, as in Django).
    assert fast_reverse("networks:start", args=[-1]) == reverse("networks:start", args=[-1])
    with pytest.raises(NoReverseMatch):
        fast_reverse("gibt-es-nicht", args=[])


def test_the_url_tag_renders_and_keeps_the_as_form():
    pid = uuid.UUID("0c58acc2-2bce-4f38-b3d4-4e5efa5f276e")
    html = Template(
        "{% url 'meetings:meeting_detail' network='osterode' pid=pid %}|"
        "{% url 'gibt-es-nicht' as missing %}[{{ missing }}]"
    ).render(Context({"pid": pid}))
    assert html == f"{reverse('meetings:meeting_detail', args=['osterode', pid])}|[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'gibt-es-nicht' %}").render(Context({}))
