"""Issue 12, item 3: direct downloads of the giving records are bounded in time (CSV
streamed from values_list, XLSX built write-only, fewer rows), and larger selections are
prepared in the background for everyone, visitors included, who fetch the file by a
signed link valid for a while."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import resolve, reverse
from django.utils import translation

from core import reports as core_reports
from core import services as core_services
from core.models import ReportJob
from giving import aggregates
from giving import exports as giving_exports
from giving.choices import DonorType
from giving.views import dashboard as views_dashboard
from tests.giving.factories import GivingRecordFactory
from tests.giving.test_aggregates import make_records

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"giving:{name}", kwargs=kwargs or None)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def records():
    recs = make_records(30)
    aggregates.refresh()
    return recs


def test_the_csv_is_streamed_with_flat_queries(client, records, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(url("dashboard_download", what="records", fmt="csv"))
        assert response.status_code == 200 and response.streaming
        rows = rows_of(b"".join(response.streaming_content))
    assert len(rows) == aggregates.records(aggregates.Criteria()).count() + 1
    assert response["Content-Disposition"].startswith('attachment; filename="giving-records-')


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_rows_from_values_equal_the_records_rows(records, lang):
    """The values_list rows are what `record_row` gives for each record, in every language,
    private donor names hidden."""
    GivingRecordFactory(
        status="verified",
        donor_type=DonorType.INDIVIDUAL,
        donor_name="Drita Hoxha",
        donor_name_public=False,
        donor_country="DE",
    )
    queryset = aggregates.records(aggregates.Criteria()).order_by("-date", "-pk")
    with translation.override(lang):
        expected = [giving_exports.record_row(r) for r in queryset]
        got = list(giving_exports.record_rows(queryset))
    assert got == expected
    assert not any("Drita Hoxha" in str(cell) for row in got for cell in row)


def test_formulas_are_neutralised_in_the_streamed_csv(client):
    GivingRecordFactory(status="verified", donor_type=DonorType.COMPANY, donor_name='=HYPERLINK("x")')
    aggregates.refresh()
    response = client.get(url("dashboard_download", what="records", fmt="csv"))
    rows = rows_of(b"".join(response.streaming_content))
    assert rows[1][5] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_over_the_direct_limit_the_page_offers_the_background_file_to_visitors(
    client, records, monkeypatch, fmt
):
    monkeypatch.setattr(views_dashboard, "MAX_DIRECT_DOWNLOAD_ROWS", 100)
    monkeypatch.setattr(views_dashboard, "MAX_DIRECT_XLSX_ROWS", 5)
    response = client.get(url("dashboard_download", what="records", fmt=fmt), {"diaspora": "no"})
    if fmt == "csv":  # 30 rows: within the CSV limit, over the XLSX one
        assert response.status_code == 200 and response.streaming
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert url("records_export", fmt="xlsx") + "?diaspora=no" in html
    dashboard = client.get(url("dashboard")).content.decode()
    assert "Prepare the gifts (XLSX)" in dashboard and "Gifts (CSV)" in dashboard


def _prepare(client, capture, fmt="csv", params="?diaspora=no"):
    with capture(execute=True):  # the task runs eagerly after commit
        return client.post(url("records_export", fmt=fmt) + params)


def test_a_visitor_gets_the_file_by_a_signed_link(client, records, django_capture_on_commit_callbacks):
    response = _prepare(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    link = response["Location"]
    job = ReportJob.objects.get()
    assert job.requested_by is None and job.params == {"diaspora": "no"}
    assert core_reports.job_from_link(resolve(link).kwargs["token"]) == job

    page = client.get(link)
    assert page.status_code == 200
    download = reverse("core:report_link_download", kwargs={"token": resolve(link).kwargs["token"]})
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    rows = rows_of(b"".join(response.streaming_content))
    expected = aggregates.records(aggregates.Criteria()).filter(is_diaspora=False)
    assert sorted(Decimal(r[1]) for r in rows[1:]) == sorted(r.amount for r in expected)

    # Six visitors asking for the same file make one job.
    for _ in range(5):
        again = _prepare(client, django_capture_on_commit_callbacks)["Location"]
        assert core_reports.job_from_link(resolve(again).kwargs["token"]) == job
    assert ReportJob.objects.count() == 1
    # Someone else's job pages stay private: the signed link is the only way in.
    assert client.get(reverse("core:report_detail", kwargs={"pk": job.pk})).status_code == 302


def test_a_changed_or_expired_link_is_a_404(client, records, monkeypatch, django_capture_on_commit_callbacks):
    _prepare(client, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    token = core_reports.signed_link(job)
    forged = signing.dumps(str(job.pk), salt="another")
    for bad in (token[:-2] + "xx", forged):
        assert client.get(reverse("core:report_link", kwargs={"token": bad})).status_code == 404
        assert client.get(reverse("core:report_link_download", kwargs={"token": bad})).status_code == 404
    monkeypatch.setattr(core_reports, "LINK_MAX_AGE", -1)
    assert client.get(reverse("core:report_link", kwargs={"token": token})).status_code == 404


def test_a_link_never_serves_a_private_report(client, records):
    from tests.factories import StaffFactory

    job = ReportJob.objects.create(
        kind="grants.applications", format="csv", requested_by=StaffFactory(), status="done"
    )
    token = core_reports.signed_link(job)
    assert client.get(reverse("core:report_link", kwargs={"token": token})).status_code == 404
    assert client.get(reverse("core:report_link_download", kwargs={"token": token})).status_code == 404
    with pytest.raises(core_services.PermissionDenied):
        core_services.report_job_start(actor=None, kind="grants.applications", fmt="csv")


def test_visitors_jobs_are_capped(client, records, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(core_services, "MAX_UNFINISHED_VISITOR_JOBS", 1)
    with django_capture_on_commit_callbacks(execute=False):  # the jobs stay queued
        assert client.post(url("records_export", fmt="csv") + "?diaspora=no").status_code == 302
        response = client.post(url("records_export", fmt="csv") + "?diaspora=yes")
    assert response.status_code == 400
    assert "Many files are being prepared right now" in response.content.decode()
    assert ReportJob.objects.count() == 1


def test_a_signed_in_user_follows_the_job_on_the_report_page(
    client, records, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = _prepare(client, django_capture_on_commit_callbacks, fmt="xlsx")
    job = ReportJob.objects.get()
    assert job.requested_by == user
    assert response["Location"] == reverse("core:report_detail", kwargs={"pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert reverse("core:report_link", kwargs={"token": "TOKEN"}).replace("TOKEN/", "") in page


def test_invalid_filters_or_format_are_refused(client):
    assert client.post(url("records_export", fmt="pdf")).status_code == 404
    assert client.post(url("records_export", fmt="csv") + "?date_from=nonsense").status_code == 400
    assert ReportJob.objects.count() == 0
