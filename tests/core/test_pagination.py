"""core.pagination: a page and the number of rows in one query, Django's get_page rules."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Municipality
from core.pagination import KnownCountPaginator, page_with_total

pytestmark = pytest.mark.django_db


def municipalities():
    return Municipality.objects.order_by("slug")


def test_a_page_is_one_query_and_knows_the_number_of_rows():
    everything = list(municipalities())
    assert len(everything) > 10
    with CaptureQueriesContext(connection) as queries:
        page = page_with_total(municipalities(), "2", 10)
        rows = list(page.object_list)
        assert page.paginator.count == len(everything)
        assert page.paginator.num_pages == (len(everything) + 9) // 10
        assert page.has_previous() and page.number == 2
    assert len(queries) == 1
    assert rows == everything[10:20]


@pytest.mark.parametrize("number", [None, "", "abc", "0", "-3", "1.5"])
def test_a_bad_page_number_gives_the_first_page(number):
    page = page_with_total(municipalities(), number, 10)
    assert page.number == 1
    assert list(page.object_list) == list(municipalities()[:10])


@pytest.mark.parametrize("number", ["99", "1" * 40])
def test_a_page_past_the_end_gives_the_last_page(number):
    expected = Paginator(municipalities(), 10).get_page(number)
    page = page_with_total(municipalities(), number, 10)
    assert page.number == expected.number == expected.paginator.num_pages
    assert list(page.object_list) == list(expected.object_list)
    assert page.paginator.count == expected.paginator.count


def test_no_rows_is_an_empty_first_page():
    page = page_with_total(Municipality.objects.none(), "3", 10)
    assert page.number == 1 and page.paginator.count == 0 and list(page.object_list) == []
    page = page_with_total(Municipality.objects.filter(slug="nowhere"), "1", 10)
    assert page.number == 1 and page.paginator.count == 0


def test_known_count_paginator_never_counts():
    with CaptureQueriesContext(connection) as queries:
        page = KnownCountPaginator(municipalities(), 10, known_count=12).get_page("2")
        assert page.paginator.num_pages == 2
        list(page.object_list)
    assert len(queries) == 1  # the page's rows only
