"""The yearly academy report: built in the background (core.reports) as XLSX and PDF, for staff."""

import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from core import reports
from core import services as core_services
from core.models import ReportJob
from tests.academy import figures_world
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
KIND = "academy.yearly_report"


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "reports", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


def _build(fmt, params, django_capture_on_commit_callbacks, actor=None):
    with django_capture_on_commit_callbacks(execute=True):
        job = core_services.report_job_start(
            actor=actor or StaffFactory(), kind=KIND, fmt=fmt, params=params, language="en"
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100
    return job.file.open("rb").read()


def test_the_xlsx_holds_the_figures_of_the_year(private_media, django_capture_on_commit_callbacks):
    world = figures_world.build()
    data = _build("xlsx", {"year": "2023"}, django_capture_on_commit_callbacks)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["table", "row", "participants", "attendance rate (%)"]
    totals = rows[1]
    assert totals[0] == "Totals" and totals[1] == "2023"
    assert totals[2:] == [6, 73.3, 2, 33.3, 2, 1, 37, 1]
    cohort_rows = [r for r in rows if r[0] == "Per cohort"]
    assert len(cohort_rows) == 1 and cohort_rows[0][1].endswith("(2023)")
    gender = {r[1]: r[2] for r in rows if r[0] == "Participants by gender"}
    assert gender == {"Woman": 2, "Man": 1, "Other": 1, "Prefer not to say": 1, "Not recorded": 1}
    ages = {r[1]: r[2] for r in rows if r[0] == "Participants by age group"}
    assert ages == {"under 18": 2, "18–24": 3, "25–29": 0, "30 and over": 1}
    places = {r[1]: r[2] for r in rows if r[0] == "Participants by municipality"}
    assert sum(places.values()) == 6
    assert world["b"].title not in [r[1] for r in cohort_rows]


def test_the_pdf_is_built(private_media, django_capture_on_commit_callbacks):
    figures_world.build()
    data = _build("pdf", {"year": "2024"}, django_capture_on_commit_callbacks)
    assert data.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"year": "-1"},
        {"year": "0"},
        {"year": "1999"},
        {"year": "2024", "cohort": "junk"},
        {"year": "2024", "cohort": "999999"},
    ],
)
def test_junk_filters_are_refused_with_the_reason_and_start_no_job(client, english, params):
    """The report asked for with a year that is not one (or a cohort not in the list) is a
    400 that says why, not the report of this year under another name."""
    client.force_login(StaffFactory())
    response = client.post(
        "/en/reports/start/",
        {"kind": KIND, "format": "xlsx", "params": urlencode(params)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A year between 2000 and 2100." in page or "Choose a cohort from the list." in page
    assert not ReportJob.objects.exists()


def test_without_a_year_it_is_this_years_report(client, private_media, django_capture_on_commit_callbacks):
    for params in ({}, {"year": ""}):
        data = _build("xlsx", params, django_capture_on_commit_callbacks)
        totals = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1]
        assert totals[1] == str(timezone.localdate().year)


def test_only_staff_may_build_it():
    report = reports.get(KIND)
    assert report.allowed_for(StaffFactory())
    assert not report.allowed_for(UserFactory())
    assert set(report.formats) == {"pdf", "xlsx"}
