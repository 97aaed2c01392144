"""Prepared queries (`core.prepared`): the same rows as the ORM's queryset, with another
set of values each run, and refusal of what cannot be prepared."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Q

from uebergang.core.models import Network
from uebergang.core.prepared import NotPreparable, forget, prepared
from uebergang.networks.models import Partner, PartnerName

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    forget()
    yield
    forget()


def _network(slug: str) -> Network:
    return Network.objects.create(
        slug=slug, name=f"Netzwerk {slug}", valid_from=datetime.date(2019, 1, 1)
    )


def _partner(network: Network, name: str, since: datetime.date) -> Partner:
    partner = Partner.objects.create(network=network, name=name, valid_from=since)
    PartnerName.objects.create(network=network, partner=partner, name=name, valid_from=since)
    return partner


@prepared
def names_since(network_id: int, day: datetime.date):
    return (
        PartnerName.objects.filter(network_id=network_id, valid_from__lte=day)
        .select_related("partner")
        .order_by("name")
    )


@prepared
def name_values(network_id: int, prefix: str):
    return (
        PartnerName.objects.filter(network_id=network_id, name__gte=prefix)
        .values_list("name", flat=True)
        .order_by("name")
    )


@prepared
def partners_counted(network_id: int, day: datetime.date):
    return (
        Partner.objects.filter(network_id=network_id)
        .annotate(n=Count("names", filter=Q(names__valid_from__lte=day)))
        .order_by("pk")
    )


def test_rows_follow_the_values_of_each_run():
    a, b = _network("a"), _network("b")
    _partner(a, "Schule am Berg", datetime.date(2020, 1, 1))
    _partner(a, "Berufsschule", datetime.date(2025, 1, 1))
    _partner(b, "Gymnasium", datetime.date(2020, 1, 1))
    first = names_since(network_id=a.pk, day=datetime.date(2021, 1, 1))
    assert [n.name for n in first] == ["Schule am Berg"]
    assert first[0].partner.network_id == a.pk  # select_related filled from the same row
    assert [n.name for n in names_since(network_id=a.pk, day=datetime.date(2026, 1, 1))] == [
        "Berufsschule",
        "Schule am Berg",
    ]
    assert [n.name for n in names_since(network_id=b.pk, day=datetime.date(2026, 1, 1))] == [
        "Gymnasium"
    ]


def test_values_list_and_annotations_keep_their_shape():
    a = _network("a")
    _partner(a, "Aschule", datetime.date(2020, 1, 1))
    p = _partner(a, "Bschule", datetime.date(2024, 1, 1))
    assert list(name_values(network_id=a.pk, prefix="B")) == ["Bschule"]
    assert list(name_values(network_id=a.pk, prefix="A")) == ["Aschule", "Bschule"]
    counted = {x.pk: x.n for x in partners_counted(network_id=a.pk, day=datetime.date(2022, 1, 1))}
    assert counted[p.pk] == 0
    counted = {x.pk: x.n for x in partners_counted(network_id=a.pk, day=datetime.date(2025, 1, 1))}
    assert counted[p.pk] == 1


def test_one_query_each_run(django_assert_num_queries, settings):
    settings.PREPARED_QUERIES_VERIFY = False  # the check builds the ORM's SQL, no query
    a = _network("a")
    _partner(a, "Aschule", datetime.date(2020, 1, 1))
    list(names_since(network_id=a.pk, day=datetime.date(2021, 1, 1)))
    with django_assert_num_queries(1):
        assert len(names_since(network_id=a.pk, day=datetime.date(2021, 2, 1))) == 1


def test_a_result_cannot_be_changed():
    a = _network("a")
    qs = names_since(network_id=a.pk, day=datetime.date(2021, 1, 1))
    with pytest.raises(NotPreparable):
        qs.filter(name="x")
    with pytest.raises(NotPreparable):
        qs.first()


def test_arguments_that_change_the_sql_are_refused():
    @prepared
    def by_name(network_id, name):
        return PartnerName.objects.filter(network_id=network_id, name=name)

    a = _network("a")
    with pytest.raises(NotPreparable):
        list(by_name(network_id=a.pk, name=None))

    @prepared
    def unused(network_id, other):
        return PartnerName.objects.filter(network_id=network_id)

    with pytest.raises(NotPreparable):
        unused(network_id=a.pk, other=3)

    @prepared
    def pattern(network_id, text):
        return PartnerName.objects.filter(network_id=network_id, name__icontains=text)

    with pytest.raises(NotPreparable):
        pattern(network_id=a.pk, text="schule")

    names_since(network_id=a.pk, day=datetime.date(2021, 1, 1))
    with pytest.raises(NotPreparable):
        names_since(network_id=a.pk, day=datetime.date(2021, 1, 1), extra=1)


def test_verification_catches_a_builder_with_hidden_inputs(settings):
    settings.PREPARED_QUERIES_VERIFY = True
    hidden = {"day": datetime.date(2020, 1, 1)}

    @prepared
    def impure(network_id):
        return PartnerName.objects.filter(network_id=network_id, valid_from__lte=hidden["day"])

    a = _network("a")
    list(impure(network_id=a.pk))
    hidden["day"] = datetime.date(2024, 1, 1)
    with pytest.raises(AssertionError):
        impure(network_id=a.pk)
