"""The public organisations API: /api/v1/organizations/ (list) and /<slug>/ (retrieve)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Municipality, Sector
from organizations import services
from organizations.models import Organization
from tests.factories import OrganizationFactory, member_of
from tests.organizations.helpers import png_bytes

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/organizations/"

PUBLIC_FIELDS = {
    "name",
    "slug",
    "kind",
    "registration_number",
    "municipality",
    "sectors",
    "description",
    "email",
    "phone",
    "website",
    "founded_year",
    "logo",
    "verification_status",
    "verified",
    "created_at",
    "url",
    "badge_level",  # added by the transparency app through organizations.extensions
}


def detail_url(slug: str) -> str:
    return f"/api/v1/organizations/{slug}/"


@pytest.fixture
def api():
    return APIClient()


def _names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_urls_are_named():
    assert reverse("organizations-api:organization-list") == LIST_URL
    assert reverse("organizations-api:organization-detail", kwargs={"slug": "ura"}) == detail_url("ura")


class TestList:
    def test_anonymous_reads_public_fields_only(self, api):
        sectors = list(Sector.objects.order_by("ordering")[:2])
        org = OrganizationFactory(
            name="Shoqata Ura",
            slug="shoqata-ura",
            municipality=Municipality.objects.get(slug="peje"),
            sectors=sectors,
            website="https://ura.org",
            phone="+383 44 000 000",
            founded_year=2005,
            address="Rr. Private 1",
            verification_note="internal note",
        )
        response = api.get(LIST_URL)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1 and body["next"] is None
        row = body["results"][0]
        assert set(row) == PUBLIC_FIELDS
        assert row["slug"] == "shoqata-ura"
        assert row["kind"] == "cso"
        assert row["registration_number"] == org.registration_number
        assert row["municipality"] == {"slug": "peje", "name_sq": "Pejë", "name_sr": "Peć", "name_en": "Peja"}
        assert [s["slug"] for s in row["sectors"]] == [s.slug for s in sectors]
        assert set(row["sectors"][0]) == {"slug", "name_sq", "name_sr", "name_en"}
        assert row["website"] == "https://ura.org"
        assert row["founded_year"] == 2005
        assert row["logo"] is None
        assert row["verification_status"] == "pending"
        assert row["verified"] is False
        assert row["url"] == f"http://testserver{org.get_absolute_url()}"
        assert "internal note" not in response.content.decode()
        assert "Rr. Private 1" not in response.content.decode()

    def test_blank_email_and_website_are_null(self, api):
        OrganizationFactory(email="", website="")
        row = api.get(LIST_URL).json()["results"][0]
        assert row["email"] is None and row["website"] is None

    def test_logo_is_an_absolute_url(self, api):
        org = OrganizationFactory()
        org.logo.save("logo.png", SimpleUploadedFile("logo.png", png_bytes()), save=True)
        row = api.get(detail_url(org.slug)).json()
        assert row["logo"].startswith("http://testserver/media/logos/")

    def test_verified_flag(self, api):
        OrganizationFactory(name="A", verification_status=Organization.Verification.VERIFIED)
        row = api.get(LIST_URL).json()["results"][0]
        assert row["verified"] is True and row["verification_status"] == "verified"

    def test_inactive_organisations_are_hidden(self, api):
        OrganizationFactory(name="Visible")
        OrganizationFactory(name="Closed", is_active=False)
        assert _names(api.get(LIST_URL)) == ["Visible"]

    def test_ordered_by_name_by_default_and_paginated(self, api):
        for name in ["Cedar", "Apple", "Birch"]:
            OrganizationFactory(name=name)
        response = api.get(LIST_URL, {"page_size": 2})
        assert _names(response) == ["Apple", "Birch"]
        assert response.json()["count"] == 3
        assert "page=2" in response.json()["next"]
        assert _names(api.get(LIST_URL, {"page_size": 2, "page": 2})) == ["Cedar"]

    def test_page_size_is_capped(self, api):
        OrganizationFactory()
        response = api.get(LIST_URL, {"page_size": 10_000})
        assert response.status_code == 200

    def test_page_past_the_end_is_404(self, api):
        OrganizationFactory()
        response = api.get(LIST_URL, {"page": 9})
        assert response.status_code == 404
        assert "detail" in response.json()


class TestFilters:
    @pytest.fixture
    def orgs(self):
        youth = Sector.objects.get(slug="youth")
        education = Sector.objects.get(slug="education")
        return {
            "ura": OrganizationFactory(
                name="Ura e Rinisë",
                municipality=Municipality.objects.get(slug="peje"),
                sectors=[youth, education],
                verification_status=Organization.Verification.VERIFIED,
            ),
            "zeri": OrganizationFactory(
                name="Zëri",
                municipality=Municipality.objects.get(slug="prishtine"),
                sectors=[education],
            ),
            "grupi": OrganizationFactory(
                name="Grupi i Lagjes",
                kind=Organization.Kind.INFORMAL_GROUP,
                registration_number="",
                municipality=Municipality.objects.get(slug="peje"),
                sectors=[],
                verification_status=Organization.Verification.REJECTED,
            ),
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"q": "ura"}, ["Ura e Rinisë"]),
            ({"q": "RINI"}, ["Ura e Rinisë"]),
            ({"q": "zëri"}, ["Zëri"]),
            ({"municipality": "peje"}, ["Grupi i Lagjes", "Ura e Rinisë"]),
            ({"municipality": "no-such-place"}, []),
            ({"sector": "education"}, ["Ura e Rinisë", "Zëri"]),  # no duplicates from the join
            ({"sector": "youth"}, ["Ura e Rinisë"]),
            ({"kind": "informal"}, ["Grupi i Lagjes"]),
            ({"verified": "true"}, ["Ura e Rinisë"]),
            ({"verified": "1"}, ["Ura e Rinisë"]),
            ({"verified": "false"}, ["Grupi i Lagjes", "Zëri"]),
            ({"municipality": "peje", "kind": "cso"}, ["Ura e Rinisë"]),
            ({"ordering": "-name"}, ["Zëri", "Ura e Rinisë", "Grupi i Lagjes"]),
            ({"ordering": "name"}, ["Grupi i Lagjes", "Ura e Rinisë", "Zëri"]),
        ],
    )
    def test_filter(self, api, orgs, params, expected):
        response = api.get(LIST_URL, params)
        assert response.status_code == 200, response.content
        assert _names(response) == expected

    def test_ordering_by_created_at(self, api, orgs):
        Organization.objects.filter(pk=orgs["zeri"].pk).update(created_at=timezone.now() - timedelta(days=9))
        Organization.objects.filter(pk=orgs["grupi"].pk).update(created_at=timezone.now() + timedelta(days=1))
        assert _names(api.get(LIST_URL, {"ordering": "created_at"})) == [
            "Zëri",
            "Ura e Rinisë",
            "Grupi i Lagjes",
        ]
        assert _names(api.get(LIST_URL, {"ordering": "-created_at"}))[0] == "Grupi i Lagjes"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"verified": "maybe"}, "verified"),
            ({"verified": ""}, "verified"),
            ({"kind": "church"}, "kind"),
            ({"kind": ""}, "kind"),
            ({"ordering": "registration_number"}, "ordering"),
            ({"ordering": "name,password"}, "ordering"),
            ({"page_size": "many"}, "page_size"),
            ({"page_size": "0"}, "page_size"),
            ({"page_size": "-5"}, "page_size"),
            ({"page": ""}, "page"),
            ({"q": "a\x00b"}, "q"),  # PostgreSQL cannot hold NUL: never a 500
            ({"municipality": "\x00"}, "municipality"),
            ({"sector": "\x00"}, "sector"),
        ],
    )
    def test_malformed_values_are_400_naming_the_field(self, api, orgs, params, field):
        response = api.get(LIST_URL, params)
        assert response.status_code == 400
        body = response.json()
        assert list(body) == [field]
        assert isinstance(body[field], list) and body[field][0]

    def test_error_messages_follow_the_language(self, api, orgs):
        english = api.get(LIST_URL, {"verified": "maybe"}, HTTP_ACCEPT_LANGUAGE="en").json()
        assert english == {"verified": ["Enter true or false."]}


class TestRetrieve:
    def test_by_slug(self, api):
        org = OrganizationFactory(name="Ura", slug="ura")
        response = api.get(detail_url("ura"))
        assert response.status_code == 200
        assert set(response.json()) == PUBLIC_FIELDS
        assert response.json()["name"] == "Ura"
        assert response.json()["url"].endswith(org.get_absolute_url())

    @pytest.mark.parametrize("slug", ["no-such-org", "closed", "%C2%84", "a%2Fb", "ë", "a%0Ab", "%0A"])
    def test_unknown_inactive_or_malformed_slug_is_a_json_404(self, api, slug):
        OrganizationFactory(slug="closed", is_active=False)
        response = api.get(detail_url(slug))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()

    def test_read_only(self, api):
        org = OrganizationFactory()
        assert api.post(LIST_URL, {"name": "x"}).status_code == 405
        assert api.delete(detail_url(org.slug)).status_code == 405
        assert api.patch(detail_url(org.slug), {"name": "x"}).status_code == 405
        assert Organization.objects.get(pk=org.pk).name == org.name


class TestQueryCount:
    """The number of queries does not grow with the rows shown."""

    def _count(self, client, n_rows):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST_URL, {"page_size": 200})
        assert response.status_code == 200
        assert response.json()["count"] == n_rows
        return len(ctx.captured_queries)

    def _seed(self, n):
        sectors = list(Sector.objects.order_by("pk")[:3])
        for _ in range(n):
            OrganizationFactory(sectors=sectors)

    def test_anonymous_list(self, api, django_assert_max_num_queries):
        self._seed(3)
        small = self._count(api, 3)
        self._seed(6)
        assert self._count(api, 9) == small
        with django_assert_max_num_queries(3):  # count, page, sectors
            api.get(LIST_URL)

    def test_list_with_a_token(self, api):
        self._seed(3)
        owner = member_of(OrganizationFactory(name="Partner"), "owner")
        _token, key = services.api_token_create(
            actor=owner, organization=owner.memberships.get().organization, name="importer", scopes=[]
        )
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api.get(LIST_URL)  # first use records last_used_at (one UPDATE), later ones within a minute do not
        small = self._count(api, 4)
        self._seed(9)
        assert self._count(api, 13) == small

    def test_detail(self, api, django_assert_max_num_queries):
        org = OrganizationFactory(sectors=list(Sector.objects.all()[:5]))
        with django_assert_max_num_queries(2):  # the organisation, its sectors
            assert api.get(detail_url(org.slug)).status_code == 200
