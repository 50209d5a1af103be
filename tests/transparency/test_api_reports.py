"""The public API of transparency reports: published only, filters, pagination, 404s and
a query count that does not grow with the rows."""

import pytest
from django.urls import reverse

from tests import factories
from tests.transparency.factories import (
    BoardMemberFactory,
    ReportDocumentFactory,
    TransparencyReportFactory,
    last_year,
    private_files,  # noqa: F401  (fixture)
)
from transparency.choices import ReportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
LIST = "/api/v1/transparency/reports/"


def test_list_shows_published_reports_only(client):
    published = TransparencyReportFactory(published=True, board=2)
    ReportDocumentFactory(report=published)
    TransparencyReportFactory()  # draft
    TransparencyReportFactory(submitted=True)
    TransparencyReportFactory(status=ReportStatus.SUPERSEDED)
    data = client.get(LIST).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["id"] == published.pk
    assert item["organization"]["slug"] == published.organization.slug
    assert item["income"]["income_foreign_donors"] == "40000.00"
    assert item["total_income"] == "42000.00"
    assert len(item["board"]) == 2
    assert item["documents"][0]["kind"] == "statute"
    assert item["documents"][0]["url"].endswith(
        reverse(
            "transparency:report_document",
            kwargs={"pk": published.pk, "doc_pk": published.documents.get().pk},
        )
    )
    assert item["status"] == "published"


def test_filters(client):
    org = factories.OrganizationFactory(slug="zeri-rinjve")
    a = TransparencyReportFactory(organization=org, published=True)
    b = TransparencyReportFactory(organization=org, published=True, year=last_year() - 1)
    TransparencyReportFactory(published=True)
    assert [r["id"] for r in client.get(LIST, {"organization": "zeri-rinjve"}).json()["results"]] == [
        a.pk,
        b.pk,
    ]
    assert [
        r["id"] for r in client.get(LIST, {"organization": "zeri-rinjve", "year": b.year}).json()["results"]
    ] == [b.pk]
    assert client.get(LIST, {"year": "abc"}).status_code == 400
    assert client.get(LIST, {"year": "1850"}).status_code == 400
    assert client.get(LIST, {"organization": "nobody"}).json()["count"] == 0


def test_pagination(client):
    for year in range(2010, 2015):
        TransparencyReportFactory(published=True, year=year)
    data = client.get(LIST, {"page_size": 2}).json()
    assert data["count"] == 5 and len(data["results"]) == 2 and data["next"]
    assert client.get(LIST, {"page": 99}).status_code == 404


def test_detail(client):
    report = TransparencyReportFactory(published=True)
    response = client.get(f"{LIST}{report.pk}/")
    assert response.status_code == 200
    assert response.json()["year"] == report.year


@pytest.mark.parametrize(
    "status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.SUPERSEDED]
)
def test_detail_404_unless_published(client, status):
    report = TransparencyReportFactory(status=status)
    response = client.get(f"{LIST}{report.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_malformed_id_is_a_json_404(client):
    response = client.get(f"{LIST}abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def _seed(n):
    for _ in range(n):
        report = TransparencyReportFactory(published=True, board=2)
        ReportDocumentFactory(report=report)
        BoardMemberFactory(report=report)


def test_query_count_does_not_grow(client, django_assert_max_num_queries):
    _seed(2)
    with django_assert_max_num_queries(10) as small:
        client.get(LIST)
    _seed(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).json()["count"] == 8
