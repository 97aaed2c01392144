"""Plain, consistent German on every page (issue 10): the history names fields by their
German names and shows values as the record's page does (dates "d.m.Y", moments "d.m.Y,
H:i Uhr" in local time, ja/nein, choices by label), and no page shows English leftovers,
ISO timestamps or the technical words we replaced.

The pages are not listed here: the walk takes every GET page of a network from the URLconf
(as `test_cross_network.py` does) and fills it with one record of the demo network, as the
coordination office and as a member."""

from __future__ import annotations

import datetime
import html
import itertools
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from uebergang.core import history
from uebergang.core.models import Network, NetworkScopedModel

from .test_cross_network import KINDS, network_patterns

OUR_APPS = {"core", "accounts", "networks", "bodies", "meetings"}

# Known English leftovers and replaced technical words and sentences: none may show again.
LEFTOVERS = [
    "Select an option",
    "network day",
    "Änderungszähler",
    "Prüfsumme",
    "Größe in Bytes",
    "(Fassung 0)",
    "zugestellt an den Mailserver",
    "keine Beschlussfähigkeitsregel",
    "Nach den Antworten erwartet",
    "Die Sitzung ist Protokoll",
    "Arbeitsgruppe",
    "Stellvertretung des Vorsitzes",
    "Vertreter/in eines Mitglieds",
    "Vertreterinnen und Vertreter",
]
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
HISTORY_LABEL = re.compile(r'<span class="kern-body--bold">([^<]*):</span> <del>')


def our_models() -> list:
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def raw_names() -> set[str]:
    """Every field's name as code spells it ("network_day", "network day", "network_day_id")."""
    names: set[str] = set()
    for model in our_models():
        for field in model._meta.get_fields():
            names |= {field.name, field.name.replace("_", " ")}
            if getattr(field, "attname", None):
                names.add(field.attname)
    return names


def history_fields(model) -> list:
    """The fields `core.history.snapshot` records of a model."""
    exclude = getattr(model, "HISTORY_EXCLUDE", frozenset())
    return [f for f in model._meta.concrete_fields if f.name not in exclude and f.name != "network"]


# --- the models ----------------------------------------------------------------------------------


def test_every_field_of_our_models_has_a_german_name():
    # then: no field is named by Django's default (its name with spaces)
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for model in our_models()
        for field in model._meta.get_fields()
        if hasattr(field, "verbose_name")
        and not (field.auto_created and not field.concrete)
        and str(field.verbose_name) == field.name.replace("_", " ")
    ]
    assert unnamed == []


def test_the_history_names_every_recorded_field_by_its_german_name():
    # when: the history's label of every field it records, by name and by id
    raw = raw_names()
    shown = {
        (model._meta.label_lower, name): history._field_info(model._meta.label_lower, name)[0]
        for model in our_models()
        for field in history_fields(model)
        for name in {field.name, field.attname}
    }
    # then
    assert [key for key, label in shown.items() if label in raw] == []


def test_every_kind_of_record_has_a_german_name():
    assert [
        m._meta.label
        for m in our_models()
        if str(m._meta.verbose_name) == m._meta.model_name
        or str(m._meta.verbose_name) == re.sub(r"(?<!^)([A-Z])", r" \1", m.__name__).lower()
    ] == []


# --- the values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "choices", "shown"),
    [
        ("2026-12-22T14:00:00+01:00", {}, "22.12.2026, 14:00 Uhr"),
        ("2026-07-01T12:30:00+00:00", {}, "01.07.2026, 14:30 Uhr"),  # local (summer) time
        ("2026-12-22", {}, "22.12.2026"),
        (True, {}, "ja"),
        (False, {}, "nein"),
        ("held", {"held": "durchgeführt"}, "durchgeführt"),
        (None, {}, "–"),
        ("", {}, "–"),
        ("Beirat", {}, "Beirat"),
    ],
)
def test_history_values_read_as_on_the_record_s_page(value, choices, shown):
    assert history._show(value, choices) == shown


def test_a_recorded_moment_is_shown_in_local_time_as_the_page_shows_it(db):
    # given: a moment as the history stores it
    moment = timezone.make_aware(datetime.datetime(2026, 12, 22, 14, 0))
    stored = history._plain(moment)
    # then
    assert ISO_MOMENT.match(stored)
    assert history._show(stored, {}) == "22.12.2026, 14:00 Uhr"


def test_a_select_s_empty_choice_is_german():
    from django import forms

    from uebergang.bodies.models import Body

    class Choose(forms.Form):
        kind = forms.ChoiceField(choices=[("", None), ("a", "A")], required=False)
        body = forms.ModelChoiceField(queryset=Body.objects.none())

    form = Choose()
    assert str(form.fields["body"].empty_label) == "– bitte auswählen –"
    assert str(Body._meta.get_field("kind").get_choices()[0][1]) == "– bitte auswählen –"


# --- every page ----------------------------------------------------------------------------------


def visible_text(page: str) -> str:
    """What a person reads: no scripts, styles, tags or attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def one_record_of_each_kind(network: Network) -> list:
    found = []
    for model in apps.get_models():
        if issubclass(model, NetworkScopedModel):
            row = model.objects.filter(network=network).order_by("pk").first()
            if row is not None:
                found.append(row)
    return found


def page_paths(client, network: Network) -> list[str]:
    """One path per GET page of the network: a <uuid:pid> takes the first record (of every
    kind, in turn) whose page answers 200 to the coordination office."""
    records = one_record_of_each_kind(network)
    paths = []
    for name, params in network_patterns():
        unknown = params - {"network", "pid", "kind"}
        assert not unknown, f"teach test_plain_german to fill {sorted(unknown)}"
        kinds = KINDS if "kind" in params else [None]
        for kind in kinds:
            kwargs = {"network": network.slug}
            if kind:
                kwargs["kind"] = kind
            if "pid" not in params:
                paths.append(reverse(name, kwargs=kwargs))
                continue
            for record in records:
                path = reverse(name, kwargs={**kwargs, "pid": record.public_id})
                if client.get(path).status_code == 200:
                    paths.append(path)
                    break
    return paths


def html_pages(client, paths: list[str]) -> dict[str, str]:
    pages = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        pages[path] = raw.decode()
    return pages


_PAGES: dict = {}


@pytest.fixture
def demo_pages(client, db, demo_export):
    """The HTML of every GET page of the demo network, as the office and as a member (walked
    once per test session: the pages are text, the four checks read the same walk)."""
    if not _PAGES:
        _PAGES.update(walk_demo(client, demo_network_from(demo_export)))
    return _PAGES


def demo_network_from(demo_export) -> Network:
    import copy

    from uebergang.core.exchange import import_network

    return import_network(copy.deepcopy(demo_export))


def walk_demo(client, demo_network: Network) -> dict:
    from uebergang.accounts.models import User
    from uebergang.networks import demo

    office = User.objects.get(email=demo.COORDINATION_EMAIL)
    member = User.objects.get(email=demo.MEMBER_EMAIL)
    client.force_login(office)
    paths = page_paths(client, demo_network)
    pages = {}
    for who, user in (("office", office), ("member", member)):
        client.force_login(user)
        pages.update({(who, path): body for path, body in html_pages(client, paths).items()})
    return pages


def test_the_walk_reaches_the_pages_with_history(demo_pages):
    # then: both read pages, and the office reads history of every app on them
    assert {who for who, _path in demo_pages} == {"office", "member"}
    labels = {
        label for (who, _p), body in demo_pages.items() for label in HISTORY_LABEL.findall(body)
    }
    assert {"Beginn", "Name", "Gremium", "Rolle"} <= labels
    # ... and forms with a select's empty choice (where "Select an option" showed)
    assert any("– bitte auswählen –" in visible_text(body) for body in demo_pages.values())


def test_no_page_shows_a_field_s_code_name_in_the_history(demo_pages):
    raw = raw_names()
    shown = [
        (who, path, label)
        for (who, path), body in demo_pages.items()
        for label in HISTORY_LABEL.findall(body)
        if html.unescape(label) in raw
    ]
    assert shown == []


def test_no_page_shows_an_iso_timestamp(demo_pages):
    shown = [
        (who, path, ISO_MOMENT.search(visible_text(body)).group())
        for (who, path), body in demo_pages.items()
        if ISO_MOMENT.search(visible_text(body))
    ]
    assert shown == []


def test_no_page_shows_english_leftovers_or_the_replaced_words(demo_pages):
    shown = [
        (who, path, word)
        for ((who, path), body), word in itertools.product(demo_pages.items(), LEFTOVERS)
        if word in visible_text(body)
    ]
    assert shown == []
