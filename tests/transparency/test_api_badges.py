"""The badge API: the list of badges, the methodology as JSON, and the badge in the
organisations API (field and filter)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from organizations.models import Organization
from tests import factories
from transparency import badges
from transparency.models import OrganizationBadge

pytestmark = pytest.mark.django_db

BADGES_URL = "/api/v1/transparency/badges/"
METHODOLOGY_URL = "/api/v1/transparency/methodology/"
ORGS_URL = "/api/v1/organizations/"


@pytest.fixture
def api():
    return APIClient()


def give_badge(org, level, score, year=2025, rules=()):
    return OrganizationBadge.objects.create(
        organization=org,
        level=level,
        score=score,
        year=year,
        details={"rules": {code: code in rules for code in badges.WEIGHTS}, "due_year": 2025},
    )


@pytest.fixture
def badged():
    orgs = {
        "gold": factories.OrganizationFactory(name="Gold Org", slug="gold-org"),
        "silver": factories.OrganizationFactory(name="Silver Org", slug="silver-org"),
        "bronze": factories.OrganizationFactory(name="Bronze Org", slug="bronze-org"),
        "none": factories.OrganizationFactory(name="None Org", slug="none-org"),
    }
    give_badge(orgs["gold"], "gold", 95, rules=["recent_report", "audit_report"])
    give_badge(orgs["silver"], "silver", 70)
    give_badge(orgs["bronze"], "bronze", 45)
    give_badge(orgs["none"], "none", 10, year=None)
    factories.OrganizationFactory(name="Plain Org", slug="plain-org")  # no badge row
    inactive = factories.OrganizationFactory(name="Gone Org", is_active=False)
    give_badge(inactive, "gold", 100)
    return orgs


def _slugs(response):
    assert response.status_code == 200, response.content
    return [row["organization"]["slug"] for row in response.json()["results"]]


def test_badge_list(api, badged):
    response = api.get(BADGES_URL, HTTP_ACCEPT_LANGUAGE="sq")  # page links asserted in sq
    assert _slugs(response) == ["gold-org", "silver-org", "bronze-org", "none-org"]  # highest score first
    first = response.json()["results"][0]
    assert first == {
        "organization": {
            "slug": "gold-org",
            "name": "Gold Org",
            "url": "http://testserver/sq/organizations/gold-org/",
        },
        "level": "gold",
        "score": 95,
        "year": 2025,
        "rules_met": ["recent_report", "audit_report"],
        "updated_at": first["updated_at"],
    }
    assert response.json()["results"][3]["year"] is None


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"level": "silver"}, ["silver-org"]),
        ({"level": "none"}, ["none-org"]),
        ({"min_level": "bronze"}, ["gold-org", "silver-org", "bronze-org"]),
        ({"min_level": "silver"}, ["gold-org", "silver-org"]),
        ({"min_level": "gold"}, ["gold-org"]),
        ({"organization": "bronze-org"}, ["bronze-org"]),
        ({"organization": "plain-org"}, []),
    ],
)
def test_badge_list_filters(api, badged, params, expected):
    assert _slugs(api.get(BADGES_URL, params)) == expected


@pytest.mark.parametrize(
    "params", [{"level": "platinum"}, {"min_level": "none"}, {"page": "0"}, {"page_size": "x"}]
)
def test_badge_list_bad_parameters_are_400(api, badged, params):
    response = api.get(BADGES_URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (400, 404)
    if "page" not in params:
        assert response.status_code == 400
        assert list(response.json()) == list(params)


def test_badge_list_is_paginated_and_query_count_does_not_grow(api):
    def seed(n):
        for i in range(n):
            give_badge(factories.OrganizationFactory(), ["bronze", "silver", "gold"][i % 3], 40 + i)

    def count(expected):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(BADGES_URL, {"page_size": 200})
        assert response.json()["count"] == expected
        return len(ctx.captured_queries)

    seed(3)
    few = count(3)
    seed(7)
    assert count(10) == few <= 2  # count, page
    page = api.get(BADGES_URL, {"page_size": 4}).json()
    assert len(page["results"]) == 4 and page["next"]


def test_methodology(api):
    response = api.get(METHODOLOGY_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["max_score"] == 100
    assert body["deadline"]["month"] == 6 and body["deadline"]["day"] == 30
    assert [(r["code"], r["weight"]) for r in body["rules"]] == list(badges.WEIGHTS.items())
    assert sum(r["weight"] for r in body["rules"]) == 100
    assert body["rules"][0]["title"] == "Recent report published"
    assert [(lvl["level"], lvl["min_score"]) for lvl in body["levels"]] == [
        ("bronze", 40),
        ("silver", 65),
        ("gold", 85),
    ]
    gold = body["levels"][2]
    assert [r["code"] for r in gold["required"]] == list(badges.LEVELS[2].required)
    assert gold["label"] == "Gold"


def test_methodology_follows_the_language(api):
    english = api.get(METHODOLOGY_URL, HTTP_ACCEPT_LANGUAGE="en").json()
    albanian = api.get(METHODOLOGY_URL, HTTP_ACCEPT_LANGUAGE="sq").json()
    assert [r["code"] for r in english["rules"]] == [r["code"] for r in albanian["rules"]]
    assert english["deadline"]["label"] in ("June 30", "30 June")
    assert albanian["deadline"]["label"] != english["deadline"]["label"]


# --- the organisations API ------------------------------------------------------------------------


def test_organisations_api_has_the_badge_level(api, badged):
    rows = {row["slug"]: row["badge_level"] for row in api.get(ORGS_URL).json()["results"]}
    assert rows == {
        "bronze-org": "bronze",
        "gold-org": "gold",
        "none-org": "none",
        "plain-org": "none",
        "silver-org": "silver",
    }
    assert api.get(f"{ORGS_URL}gold-org/").json()["badge_level"] == "gold"


@pytest.mark.parametrize(
    "badge,expected",
    [
        ("bronze", ["Bronze Org", "Gold Org", "Silver Org"]),
        ("silver", ["Gold Org", "Silver Org"]),
        ("gold", ["Gold Org"]),
    ],
)
def test_organisations_api_badge_filter(api, badged, badge, expected):
    response = api.get(ORGS_URL, {"badge": badge})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == expected


@pytest.mark.parametrize("value", ["platinum", "none", ""])
def test_organisations_api_bad_badge_is_400(api, badged, value):
    response = api.get(ORGS_URL, {"badge": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert list(response.json()) == ["badge"]


def test_organisations_api_query_count_with_badges_does_not_grow(api):
    def seed(n):
        for i in range(n):
            org = factories.OrganizationFactory()
            if i % 2:
                give_badge(org, "silver", 70)

    def count(expected):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(ORGS_URL, {"page_size": 200})
        assert response.json()["count"] == expected
        return len(ctx.captured_queries)

    seed(3)
    few = count(3)
    seed(6)
    assert count(9) == few
    with CaptureQueriesContext(connection) as ctx:
        api.get(ORGS_URL, {"badge": "bronze"})
    assert len(ctx.captured_queries) <= 3  # count, page, sectors


def test_organisations_schema_documents_the_badge(api):
    schema = api.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert params["badge"]["schema"]["enum"] == ["bronze", "gold", "silver"]
    organization = schema["components"]["schemas"]["Organization"]["properties"]
    ref = organization["badge_level"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["enum"] == ["none", "bronze", "silver", "gold"]
    assert "/api/v1/transparency/badges/" in schema["paths"]
    assert "/api/v1/transparency/methodology/" in schema["paths"]


def test_inactive_organisations_are_not_listed(api, badged):
    assert "Gone Org" not in [row["organization"]["name"] for row in api.get(BADGES_URL).json()["results"]]
    assert Organization.objects.filter(name="Gone Org").exists()
