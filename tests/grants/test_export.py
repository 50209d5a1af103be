"""The background export of a call's applications ("grants.applications"): the rows
function directly, through a report job in eager mode (CSV and XLSX), and the button."""

import csv
import io

import openpyxl
import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import translation

from core import reports
from core import services as core_services
from core.models import ReportJob
from grants.exports import BASE_COLUMNS, KIND, application_rows, columns
from grants.models import Application
from grants.services import assessment
from tests.factories import UserFactory
from tests.grants.test_staff_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "reports", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def world(db):
    with translation.override("sq"):  # sent in Albanian, exported in English
        world = build_world()
    app = world.application
    criteria = list(app.call.criteria.order_by("order"))
    assessment.review_save(
        actor=world.users["reviewer_assigned"],
        application=app,
        scores={criteria[0].pk: 4, criteria[1].pk: 2},
        recommendation="fund",
        submit=True,
    )
    assessment.application_decide(
        actor=world.users["staff"],
        application=app,
        decision="approve",
        amount="4000",
        note="Monthly reports.",
    )
    # a draft is not exported
    Application.objects.create(call=world.call, applicant=UserFactory(), applicant_type="individual")
    return world


def _header(params, user):
    return [str(c) for c in columns(params, user)]


def test_registered():
    report = reports.get(KIND)
    assert report.formats == ("csv", "xlsx")
    assert report.permission == "grants.manage_call"
    assert "call" in report.params


def test_rows_function(world):
    staff = world.users["staff"]
    total, rows = application_rows({"call": world.call.slug}, staff)
    rows = list(rows)
    header = _header({"call": world.call.slug}, staff)
    assert total == 2 and len(rows) == 2
    assert header[: len(BASE_COLUMNS)] == [str(c) for c in BASE_COLUMNS]
    assert "What is the problem?" in header and "Target group" in header and "budget" in header
    assert "average score: Relevance (0–5)" in header
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    row = by_ref[world.application.reference]
    assert row["applicant"] == world.organization.name and row["organisation"] == world.organization.name
    assert row["status"] == "Approved" and row["eligibility"] == "Eligible"
    assert str(row["requested (EUR)"]) == "4500.00"
    assert str(row["approved amount (EUR)"]) == "4000.00"
    assert row["decision (reason or conditions)"] == "Monthly reports."
    assert row["What is the problem?"] == "The river is full of plastic."
    assert row["Target group"] == "Youth"  # the choice's label in the export's language
    assert "Workshops" in row["budget"] and "Coordinator" in row["budget"]
    assert str(row["average score: Relevance (0–5)"]) == "4.00"
    assert str(row["average score: Budget (0–5)"]) == "2.00"
    assert row["reviews done"] == 1 and row["reviews assigned"] == 1
    other = by_ref[world.other_application.reference]
    assert other["approved amount (EUR)"] is None and other["average score: Relevance (0–5)"] is None


def test_rows_filters_and_refusals(world):
    staff = world.users["staff"]
    _, rows = application_rows({"call": world.call.slug, "status": "approved"}, staff)
    assert [r[0] for r in rows] == [world.application.reference]
    assert application_rows({"call": world.call.slug}, world.users["applicant"])[0] == 0
    assert application_rows({"call": "nope"}, staff)[0] == 0
    assert application_rows({}, staff)[0] == 0
    assert application_rows({"call": world.call.slug, "municipality": "abc"}, staff)[0] == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_through_the_job(world, private_media, django_capture_on_commit_callbacks, fmt):
    with django_capture_on_commit_callbacks(execute=True):
        job = core_services.report_job_start(
            actor=world.users["staff"], kind=KIND, fmt=fmt, params={"call": world.call.slug}, language="en"
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.rows_done == 2 and job.progress == 100
    data = job.file.open("rb").read()
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        table = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
        table = [r for r in table if any(r)]
    header = table[0]
    assert "What is the problem?" in header and "average score: Relevance (0–5)" in header
    references = {r[0] for r in table[1:] if r and r[0]}
    assert world.application.reference in references and world.other_application.reference in references


def test_export_button_starts_a_job(client, world, private_media, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff"])
    url = reverse("grants:staff_export", args=[world.call.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "xlsx", "status": "approved"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:report_detail", args=[job.pk])
    assert job.params == {"call": world.call.slug, "status": "approved"}
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert client.get(response["Location"]).status_code == 200
    # a bad format: 400, no job
    assert client.post(url, {"format": "exe"}).status_code == 400
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize("role", ["applicant", "org_editor", "reviewer_assigned"])
def test_export_refused_to_non_staff(client, world, role):
    client.force_login(world.users[role])
    response = client.post(reverse("grants:staff_export", args=[world.call.slug]), {"format": "csv"})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_export_anonymous_goes_to_login(client, world):
    response = client.post(reverse("grants:staff_export", args=[world.call.slug]), {"format": "csv"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ReportJob.objects.exists()
