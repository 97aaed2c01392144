"""`core.web.first_page`: the first page of a list read by a prepared query is the same
`Page` as `paginate` gives for page 1."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.test import RequestFactory

from uebergang.core.web import asks_first_page, first_page


@pytest.mark.parametrize("count", [0, 3, 50, 51, 120])
def test_the_first_page_equals_the_paginator_s(count):
    # given
    rows = list(range(min(count, 50)))
    expected = Paginator(list(range(count)), 50).page(1)
    # when
    page = first_page(rows, count)
    # then
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert page.has_next() == expected.has_next()
    assert page.start_index() == expected.start_index()
    assert page.end_index() == expected.end_index()


def test_only_the_first_page_is_known():
    page = first_page([1, 2], 120)
    with pytest.raises(IndexError):
        page.paginator.page(2)


@pytest.mark.parametrize(
    ("query", "first"), [("", True), ("?seite=1", True), ("?seite=2", False), ("?seite=x", False)]
)
def test_asks_first_page(query, first):
    assert asks_first_page(RequestFactory().get("/" + query)) is first
