import csv
import io
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import QueryDict
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from core import exports, reports, services, tasks
from core.models import Municipality, ReportJob, Sector
from organizations.models import Organization
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def _read_csv(job) -> tuple[bytes, list[list[str]]]:
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        raw = fh.read()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _read_xlsx(job) -> list[tuple]:
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    return list(wb.active.iter_rows(values_only=True))


def _job(user, kind, fmt="csv", params=None, language="en"):
    return ReportJob.objects.create(
        kind=kind, format=fmt, params=params or {}, language=language, requested_by=user
    )


# --- registry ---------------------------------------------------------------------------------


def test_directory_report_is_registered_from_app_ready():
    report = reports.get("organizations.directory")
    assert report.permission == "organizations.export_directory"
    assert report.formats == ("csv", "xlsx")
    assert len(report.columns) == 10
    assert set(report.params) == {"q", "municipality", "sector", "kind", "verified"}


def test_register_refuses_duplicates_and_formats_without_writer(open_report):
    with pytest.raises(ImproperlyConfigured):
        reports.register(kind=open_report.kind, title="x", columns=[], rows=lambda p, u: (0, []))
    with pytest.raises(ImproperlyConfigured):
        reports.register(kind="tests.odt", title="x", columns=[], rows=lambda p, u: (0, []), formats=("odt",))
    with pytest.raises(reports.UnknownReport):
        reports.get("tests.odt")
    with pytest.raises(reports.UnknownReport):
        reports.get("nope")
    assert reports.title_of("nope") == "nope"


def test_clean_params_keeps_declared_names_only():
    report = reports.get("organizations.directory")
    query = QueryDict("q=ngo&page=3&kind=cso&csrfmiddlewaretoken=x&sector=a&sector=b&verified=")
    assert report.clean_params(query) == {"q": "ngo", "kind": "cso", "sector": ["a", "b"]}
    assert report.clean_params({"q": "x" * 500, "other": "1"}) == {"q": "x" * 200}
    assert report.clean_params(None) == {}


def test_allowed_for(org_roles):
    report = reports.get("organizations.directory")
    assert report.allowed_for(org_roles["staff"])
    for role in ("citizen", "viewer", "owner"):
        assert not report.allowed_for(org_roles[role])
    assert not report.allowed_for(None)


# --- service ----------------------------------------------------------------------------------


def test_start_checks_kind_format_and_permission(org_roles):
    staff, citizen = org_roles["staff"], org_roles["citizen"]
    with pytest.raises(services.ReportRequestError):
        services.report_job_start(actor=staff, kind="nope", fmt="csv", params={})
    with pytest.raises(services.ReportRequestError):
        services.report_job_start(actor=staff, kind="organizations.directory", fmt="pdf", params={})
    with pytest.raises(PermissionDenied):
        services.report_job_start(actor=citizen, kind="organizations.directory", fmt="csv", params={})
    assert not ReportJob.objects.exists()


def test_start_creates_queued_job_and_runs_it_after_commit(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.report_job_start(
            actor=staff_user,
            kind="organizations.directory",
            fmt="xlsx",
            params={"q": "x", "page": "2"},
            language="sr-Latn",
        )
        job.refresh_from_db()
        assert job.status == ReportJob.Status.QUEUED  # nothing sent before commit
    assert len(callbacks) == 1
    assert job.params == {"q": "x"}
    assert job.language == "sr-latn"
    assert job.requested_by == staff_user
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


def test_start_uses_active_language(staff_user, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks():
        job = services.report_job_start(actor=staff_user, kind="organizations.directory", fmt="csv")
    assert job.language == "en"


def test_broker_outage_keeps_job_queued_and_requeue_sends_it(staff_user, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.run_report_job, "delay", side_effect=OperationalError("down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = services.report_job_start(actor=staff_user, kind="organizations.directory", fmt="csv")
    assert delay.called
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED

    assert tasks.report_jobs_requeue() == 0  # too young: a worker may still pick it up
    ReportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert tasks.report_jobs_requeue() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.file


def test_requeue_marks_stale_running_jobs_failed(staff_user):
    job = _job(staff_user, "organizations.directory")
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    fresh = _job(staff_user, "organizations.directory")
    ReportJob.objects.filter(pk=fresh.pk).update(status=ReportJob.Status.RUNNING, started_at=timezone.now())
    tasks.report_jobs_requeue()
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error
    assert fresh.status == ReportJob.Status.RUNNING


def test_too_many_unfinished_jobs_are_refused(user, open_report, django_capture_on_commit_callbacks):
    for _ in range(services.MAX_UNFINISHED_JOBS_PER_USER):
        _job(user, open_report.kind)
    with pytest.raises(services.TooManyReportJobs):
        services.report_job_start(actor=user, kind=open_report.kind, fmt="csv")


# --- task -------------------------------------------------------------------------------------


def test_task_is_idempotent(user, open_report):
    job = _job(user, open_report.kind)
    assert tasks.run_report_job(str(job.pk)) == "done"
    name = ReportJob.objects.get(pk=job.pk).file.name
    assert tasks.run_report_job(str(job.pk)) == "skipped"
    job.refresh_from_db()
    assert job.file.name == name
    assert len(open_report.calls) == 1
    assert open_report.calls[0][1] == user  # the generator learns who asked


def test_csv_contents(user, open_report):
    job = _job(user, open_report.kind, params={"n": "4"})
    tasks.run_report_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert (job.progress, job.rows_done, job.rows_total) == (100, 4, 4)
    assert job.started_at and job.finished_at
    assert job.file.name.startswith("reports/") and job.file.name.endswith(".csv")
    raw, rows = _read_csv(job)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0] == ["number", "label", "letters"]
    assert rows[1:] == [[str(i), f"row {i}", "Ëç Šđ"] for i in range(1, 5)]


def test_xlsx_contents(user, open_report):
    job = _job(user, open_report.kind, fmt="xlsx", params={"n": "2"})
    tasks.run_report_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.progress == 100
    rows = _read_xlsx(job)
    assert rows == [("number", "label", "letters"), (1, "row 1", "Ëç Šđ"), (2, "row 2", "Ëç Šđ")]


def test_progress_is_written_while_running(user, monkeypatch):
    seen = []

    def rows(params, user):
        def gen():
            for i in range(10):
                if i in (5, 9):
                    job = ReportJob.objects.get(kind="tests.slow")
                    seen.append((job.status, job.rows_done, job.progress, job.rows_total))
                yield [i]

        return 10, gen()

    monkeypatch.setattr(tasks, "REPORT_PROGRESS_EVERY", 4)
    reports.register(kind="tests.slow", title="Slow", columns=["i"], rows=rows)
    try:
        job = _job(user, "tests.slow")
        tasks.run_report_job(str(job.pk))
    finally:
        reports.unregister("tests.slow")
    assert seen == [("running", 4, 40, 10), ("running", 8, 80, 10)]
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows_done) == ("done", 100, 10)


@pytest.mark.parametrize("error", [ValueError("boom"), SoftTimeLimitExceeded()])
def test_failed_job_on_generator_error(user, error):
    def rows(params, user):
        def gen():
            yield [1]
            raise error

        return 2, gen()

    reports.register(kind="tests.broken", title="Broken", columns=["i"], rows=rows)
    try:
        job = _job(user, "tests.broken", fmt="xlsx")
        assert tasks.run_report_job(str(job.pk)) == "failed"
    finally:
        reports.unregister("tests.broken")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error
    assert job.finished_at
    assert not job.file


def test_job_of_unregistered_kind_fails(user):
    job = _job(user, "gone.report")
    assert tasks.run_report_job(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "gone.report" in job.error


# --- the directory report ---------------------------------------------------------------------


def test_directory_xlsx_in_the_jobs_language_with_filters(staff_user):
    prishtine = Municipality.objects.get(slug="prishtine")
    education = Sector.objects.get(slug="education")
    match = factories.OrganizationFactory(
        name="Zëri i Rinisë",
        municipality=prishtine,
        sectors=[education],
        phone="+383 44 123 456",
        website="https://zeri.example.org",
        verification_status=Organization.Verification.VERIFIED,
    )
    factories.OrganizationFactory(
        name="Zëri Tjetër", municipality=prishtine, sectors=[education]
    )  # not verified
    factories.OrganizationFactory(
        name="Zëri Prizren",
        municipality=Municipality.objects.get(slug="prizren"),
        verification_status=Organization.Verification.VERIFIED,
    )
    factories.OrganizationFactory(name="Other", municipality=prishtine, is_active=False)
    job = _job(
        staff_user,
        "organizations.directory",
        fmt="xlsx",
        language="sr-latn",
        params={"q": "zëri", "municipality": "prishtine", "sector": "education", "verified": "on"},
    )
    tasks.run_report_job(str(job.pk))
    rows = _read_xlsx(job)
    assert len(rows) == 2
    with translation.override("sr-latn"):
        assert rows[0] == tuple(str(c) for c in reports.get("organizations.directory").columns)
        verified_label = str(Organization.Verification.VERIFIED.label)
    row = rows[1]
    assert row[0] == "Zëri i Rinisë"
    assert row[2] == match.registration_number
    assert row[3] == "Priština"  # the job's language, not the active one
    assert education.name_sr in row[4]
    assert row[5:8] == (match.email, "+383 44 123 456", "https://zeri.example.org")
    assert row[8] == verified_label
    assert row[9].date() == timezone.localdate(match.created_at)


def test_directory_csv_all_rows_and_unknown_slug(staff_user):
    factories.OrganizationFactory.create_batch(3)
    job = _job(staff_user, "organizations.directory", language="en")
    tasks.run_report_job(str(job.pk))
    job.refresh_from_db()
    _, rows = _read_csv(job)
    assert len(rows) == 4
    assert job.rows_total == 3

    job = _job(staff_user, "organizations.directory", params={"municipality": "atlantis"})
    tasks.run_report_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    with translation.override("en"):
        header = [str(c) for c in reports.get("organizations.directory").columns]
    assert _read_csv(job)[1] == [header]  # the job's language (en), whatever is active


# --- writers ----------------------------------------------------------------------------------


def test_writers_defuse_formulas_and_format_values():
    values = ["=HYPERLINK(1)", "+383 44 1", "-12.5", "@SUM(A1)", True, None]
    out = io.BytesIO()
    with translation.override("en"):
        exports.write_csv(out, ["a", "b", "c", "d", "e", "f"], [values])
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(1)", "+383 44 1", "-12.5", "'@SUM(A1)", "Yes", ""]

    out = io.BytesIO()
    exports.write_xlsx(out, ["a"], [["=1+1"], [timezone.now()]], title="A: title/with*bad?chars")
    out.seek(0)
    ws = openpyxl.load_workbook(out).active
    assert ws["A2"].value == "=1+1"
    assert ws["A2"].data_type == "s"  # text, not a formula
    assert ws["A3"].is_date
    assert ws.freeze_panes == "A2"
