"""The organisations API keeps its pages (core.api.views.KeptListMixin): the same JSON for
every caller, a change at the next request, searches and refused selections built every time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Sector
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/organizations/"


@pytest.fixture
def api():
    return APIClient()


def names(api, params=None) -> list[str]:
    response = api.get(LIST_URL, params or {})
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def organisation_queries(api, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(LIST_URL, params or {}).status_code == 200
    return len([q for q in ctx.captured_queries if "organizations_organization" in q["sql"]])


def test_a_page_is_kept_and_the_same_for_everyone(api):
    OrganizationFactory(name="Alpha")
    first = api.get(LIST_URL).json()
    assert organisation_queries(api) == 0
    member = APIClient()
    member.force_login(UserFactory())
    assert member.get(LIST_URL).json() == first
    assert [r["name"] for r in first["results"]] == ["Alpha"]


def test_a_change_shows_at_the_next_request(api):
    alpha = OrganizationFactory(name="Alpha")
    assert names(api) == ["Alpha"]
    alpha.name = "Alpha renamed"
    alpha.save()
    assert names(api) == ["Alpha renamed"]
    OrganizationFactory(name="Beta")
    assert names(api) == ["Alpha renamed", "Beta"]
    assert api.get(LIST_URL).json()["count"] == 2
    Organization.objects.filter(pk=alpha.pk).first().delete()
    assert names(api) == ["Beta"]


def test_a_change_of_sectors_or_their_names_shows_at_the_next_request(api):
    organization = OrganizationFactory(name="Alpha")
    sector = Sector.objects.exclude(pk__in=organization.sectors.all()).first()
    api.get(LIST_URL)
    organization.sectors.set([sector])  # as organization_update and the admin do, after the save
    row = api.get(LIST_URL).json()["results"][0]
    assert [s["slug"] for s in row["sectors"]] == [sector.slug]
    sector.name_en = "Renamed sector"
    sector.save()
    assert api.get(LIST_URL).json()["results"][0]["sectors"][0]["name_en"] == "Renamed sector"


def test_each_filter_and_page_is_its_own_page(api):
    for i in range(3):
        OrganizationFactory(name=f"Cso {i}")
    OrganizationFactory(name="Informal", kind=Organization.Kind.INFORMAL_GROUP)
    assert names(api, {"kind": "informal"}) == ["Informal"]
    assert names(api, {"kind": "cso", "page_size": 2}) == ["Cso 0", "Cso 1"]
    assert names(api, {"kind": "cso", "page_size": 2, "page": 2}) == ["Cso 2"]
    assert organisation_queries(api, {"kind": "cso", "page_size": 2, "page": 2}) == 0


def test_searches_and_refused_selections_are_built_every_time(api):
    OrganizationFactory(name="Alpha")
    for _ in range(2):
        assert names(api, {"q": "alp"}) == ["Alpha"]
    assert organisation_queries(api, {"q": "alp"}) > 0
    for _ in range(2):
        assert api.get(LIST_URL, {"kind": "nonsense"}).status_code == 400
        assert api.get(LIST_URL, {"page": 99}).status_code == 404


def test_links_follow_the_host_asked(api):
    for i in range(3):
        OrganizationFactory(name=f"Org {i}")
    first = api.get(LIST_URL, {"page_size": 1}).json()["next"]
    other = api.get(LIST_URL, {"page_size": 1}, HTTP_HOST="localhost").json()["next"]
    assert first.startswith("http://testserver/") and other.startswith("http://localhost/")
