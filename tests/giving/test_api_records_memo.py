"""What the records API keeps between requests (issue 18): the filter's form class once per
language (core.filtersets), only the columns it writes read: the same JSON, the reference
data of the moment, nothing of one request in the next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Municipality
from giving import selectors
from giving.api.serializers import GivingRecordSerializer
from giving.filters import GivingFilter
from tests.factories import OrganizationFactory
from tests.giving.factories import GivingRecordFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST_URL = "/api/v1/giving/records/"


@pytest.fixture
def api():
    return APIClient()


def test_the_list_is_what_the_serializer_writes_of_whole_records(api):
    """Reading only the public columns changes nothing in the JSON (every field of every row,
    the nested organisations and municipality)."""
    org = OrganizationFactory()
    GivingRecordFactory(verified=True, donor_organization=org, recipient_organization=org)
    GivingRecordFactory(verified=True, diaspora=True, donor_country="DE")
    GivingRecordFactory(verified=True, kosovo_wide=True)
    GivingRecordFactory(verified=True, donor_type="individual", donor_name="Hidden", donor_name_public=False)
    whole = selectors.public_records().order_by("-date", "-id")
    expected = [dict(row) for row in GivingRecordSerializer(list(whole), many=True).data]
    response = api.get(LIST_URL)
    assert response.status_code == 200
    assert response.json()["results"] == expected
    detail = api.get(f"{LIST_URL}{expected[0]['id']}/")
    assert detail.json() == expected[0]


def test_the_list_reads_no_internal_column(api):
    GivingRecordFactory(verified=True)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(LIST_URL).status_code == 200
    rows = [q["sql"] for q in ctx.captured_queries if "giving_givingrecord" in q["sql"]]
    assert rows
    for sql in rows:
        for column in ("fingerprint", "rejection_reason", "reporter_email", "entered_by_id"):
            assert column not in sql


def test_the_columns_read_are_those_the_serializer_writes(api):
    """The view derives them from the serializer (core.api.serializers.model_columns): a column
    left out would be read again for each row (a deferred field)."""
    from core.api.serializers import model_columns
    from giving.api.views.records import record_columns

    assert record_columns() == model_columns(GivingRecordSerializer)
    assert {"amount", "donor_name_public", "municipality__name_en"} <= set(record_columns())
    org = OrganizationFactory()
    for _ in range(3):
        GivingRecordFactory(verified=True, donor_type="individual", donor_organization=org)
    with CaptureQueriesContext(connection) as ctx:
        assert len(api.get(LIST_URL).json()["results"]) == 3
    assert len([q for q in ctx.captured_queries if "giving_givingrecord" in q["sql"]]) == 1


def test_the_filter_form_class_is_built_once_per_language():
    assert GivingFilter({}).get_form_class() is GivingFilter({}).get_form_class()


def test_a_new_municipality_is_a_valid_filter_at_the_next_request(api):
    GivingRecordFactory(verified=True)
    assert api.get(LIST_URL, {"municipality": "new-town"}).status_code == 400  # memo built
    town = Municipality.objects.create(slug="new-town", name_sq="Qyteti", name_sr="Grad", name_en="Town")
    record = GivingRecordFactory(verified=True, municipality=town)
    response = api.get(LIST_URL, {"municipality": "new-town"})
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [record.pk]


def test_one_requests_filters_do_not_reach_the_next(api):
    diaspora = GivingRecordFactory(verified=True, diaspora=True, cause="education")
    domestic = GivingRecordFactory(verified=True, cause="health")

    def ids(params):
        response = api.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids({"diaspora": "yes"}) == {diaspora.pk}  # a method filter, bound to its filterset
    assert ids({"diaspora": "no", "cause": "health"}) == {domestic.pk}
    assert ids({}) == {diaspora.pk, domestic.pk}
    assert api.get(LIST_URL, {"cause": "gardening"}).status_code == 400
    assert ids({"cause": "education"}) == {diaspora.pk}


def test_two_filtersets_alive_at_once_keep_their_own_filters():
    a = GivingFilter({"diaspora": "yes"})
    b = GivingFilter({"diaspora": "no"})
    assert a.filters["diaspora"] is not b.filters["diaspora"]
    assert a.filters["diaspora"].parent is a and b.filters["diaspora"].parent is b
    assert a.is_valid() and b.is_valid()
    assert "is_diaspora" in str(a.qs.query) and "is_diaspora" in str(b.qs.query)
    assert str(a.qs.query) != str(b.qs.query)


def test_the_first_page_is_kept_until_records_organisations_or_municipalities_change(
    api, django_assert_num_queries
):
    org = OrganizationFactory(name="Before")
    first = GivingRecordFactory(verified=True, recipient_organization=org, recipient_type="cso")
    assert [r["id"] for r in api.get(LIST_URL).json()["results"]] == [first.pk]
    with django_assert_num_queries(0):  # kept: no query for the rows (the anonymous caller)
        assert [r["id"] for r in api.get(LIST_URL).json()["results"]] == [first.pk]
    # A record verified since: at the next request.
    second = GivingRecordFactory(
        verified=True, date=first.date, municipality=Municipality.objects.get(slug="peje")
    )
    assert {r["id"] for r in api.get(LIST_URL).json()["results"]} == {first.pk, second.pk}
    # An organisation renamed, a municipality renamed: at the next request.
    org.name = "After"
    org.save()
    rows = {r["id"]: r for r in api.get(LIST_URL).json()["results"]}
    assert rows[first.pk]["recipient_organization"]["name"] == "After"
    town = Municipality.objects.get(slug="peje")
    town.name_en = "Renamed"
    town.save()
    rows = {r["id"]: r for r in api.get(LIST_URL).json()["results"]}
    assert rows[second.pk]["municipality"]["name_en"] == "Renamed"
    # A record that is no longer public: gone at the next request.
    first.delete()
    assert [r["id"] for r in api.get(LIST_URL).json()["results"]] == [second.pk]


def test_the_kept_page_is_the_same_for_everyone_and_holds_nobody(api):
    from tests.factories import UserFactory

    GivingRecordFactory(verified=True, donor_type="individual", donor_name="Private", donor_name_public=False)
    member = APIClient()
    member.force_login(UserFactory())
    first = member.get(LIST_URL)  # built for a signed-in person, kept
    assert first.status_code == 200
    assert api.get(LIST_URL).json() == first.json()  # served to anybody: nothing per person in it
    assert "Private" not in first.content.decode()


def test_cursor_pages_and_invalid_selections_are_not_kept(api):
    for _ in range(3):
        GivingRecordFactory(verified=True)
    page = api.get(LIST_URL, {"page_size": 1}).json()
    assert page["next"]
    assert api.get(page["next"]).status_code == 200
    assert api.get(LIST_URL, {"cause": "gardening"}).status_code == 400
    assert api.get(LIST_URL, {"cause": "gardening"}).status_code == 400  # still refused


def test_new_selections_past_the_cap_of_a_window_are_built_not_kept(api, settings, django_assert_num_queries):
    """One client cycling through values (dates, causes) must not fill the cache: past
    PAGE_CACHE_MAX_VARIANTS new first pages in a window (core.page_cache's cap), pages are built
    every time; replacing a kept page that went out of date adds no variant."""
    from core import fragments
    from core.page_cache import GIVING

    settings.PAGE_CACHE_MAX_VARIANTS = 2
    record = GivingRecordFactory(verified=True, cause="health")
    for cause in ("health", "education", "culture"):
        assert api.get(LIST_URL, {"cause": cause}).status_code == 200
    for cause in ("health", "education"):
        with django_assert_num_queries(0):  # kept
            assert api.get(LIST_URL, {"cause": cause}).status_code == 200
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:  # past the cap: built every time
            assert api.get(LIST_URL, {"cause": "culture"}).json()["results"] == []
        assert ctx.captured_queries
    fragments.touch(GIVING)  # out of date: built again and kept in place of the old copy
    assert [r["id"] for r in api.get(LIST_URL, {"cause": "health"}).json()["results"]] == [record.pk]
    with django_assert_num_queries(0):
        assert api.get(LIST_URL, {"cause": "health"}).status_code == 200
