"""Issue 12, item 6: a job queued while the broker is down is sent again by beat.

The broker is really down here: the Celery app is switched from eager to a Redis broker on a
port where nothing listens, so `.delay` raises kombu's OperationalError within a second (the
settings of RECIPES.md), exactly as in production during the outage. Then the broker comes
back (eager again, as the rest of the suite) and the beat task `core.tasks.jobs_requeue`
sends what was lost: report exports, import checks and imports, yearly PDFs."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from config.celery import app
from core import jobs, services, tasks
from core.models import JobDispatch, ReportJob
from giving import aggregates
from giving import exports as giving_exports
from giving.aggregates_models import GivingYearlyReport
from giving.models import ImportBatch
from giving.services import imports
from tests.factories import StaffFactory
from tests.giving.test_aggregates import make_records
from tests.giving.test_imports import csv_bytes, row, upload

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens: refused at once


@pytest.fixture
def broker():
    """`broker.down()` / `broker.up()`: publish to a dead Redis broker, or run eagerly again."""

    def fresh_connections():  # pools made by earlier tests still point at the old broker
        app._pool = None
        app.amqp._producer_pool = None

    class Broker:
        def down(self):
            app.conf.task_always_eager = False
            app.conf.broker_url = DEAD_BROKER
            fresh_connections()

        def up(self):
            app.conf.task_always_eager = True
            app.conf.broker_url = saved_url
            fresh_connections()

    saved_url, saved_eager = app.conf.broker_url, app.conf.task_always_eager
    yield Broker()
    app.conf.task_always_eager, app.conf.broker_url = saved_eager, saved_url
    fresh_connections()


def _age(model, pk, minutes):
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


def test_import_check_queued_while_the_broker_is_down_is_sent_again(
    broker, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    broker.down()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        batch = imports.import_start(
            actor=staff, uploaded_file=upload(csv_bytes([row(amount="1,200.50")])), amount_language="en"
        )
    batch.refresh_from_db()
    assert (batch.state, batch.progress) == (ImportBatch.State.VALIDATING, 0)  # "validating 0 %"
    assert JobDispatch.objects.get(job=f"giving.import_batch:{batch.pk}").args == [batch.pk, "en"]

    broker.up()
    assert tasks.jobs_requeue() == 0  # too young: a worker may still take it
    _age(ImportBatch, batch.pk, 4)
    assert tasks.jobs_requeue() == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED
    assert batch.rows_valid == 1 and not batch.errors  # "1,200.50" read the English way, as sent
    assert tasks.jobs_requeue() == 0  # done: nothing more to send


def test_import_queued_while_the_broker_is_down_is_sent_again_with_its_mode(
    broker, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        batch = imports.import_start(actor=staff, uploaded_file=upload(csv_bytes([row(), row(amount="x")])))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.VALIDATED and batch.errors

    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.import_commit_start(actor=staff, batch=batch, mode=imports.MODE_VALID_ONLY)
    batch.refresh_from_db()
    assert (batch.state, batch.progress) == (ImportBatch.State.IMPORTING, 0)

    broker.up()
    _age(ImportBatch, batch.pk, 4)
    assert tasks.jobs_requeue() == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED
    assert batch.rows_imported == 1  # the valid row only: the mode that was chosen


def test_yearly_pdf_queued_while_the_broker_is_down_is_built_later(
    broker, django_capture_on_commit_callbacks
):
    make_records(20)
    aggregates.refresh()
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        report = giving_exports.yearly_report_request(year=2023, language="en")
    report.refresh_from_db()
    assert report.status == GivingYearlyReport.Status.QUEUED
    # A later visitor is sent to the same job, still queued.
    assert giving_exports.yearly_report_request(year=2023, language="en").pk == report.pk

    broker.up()
    _age(GivingYearlyReport, report.pk, 2)
    assert tasks.jobs_requeue() == 1
    report.refresh_from_db()
    assert report.status == GivingYearlyReport.Status.DONE and report.file


def test_report_export_queued_while_the_broker_is_down(broker, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_job_start(actor=staff, kind="organizations.directory", fmt="csv")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED

    # Beat runs while the broker is still down: nothing is lost, the job waits for the next run.
    _age(ReportJob, job.pk, 2)
    assert tasks.jobs_requeue() == 0
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED

    broker.up()
    _age(ReportJob, job.pk, 2)
    assert tasks.jobs_requeue() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.file


def test_a_job_is_sent_once_per_window_and_two_runs_do_not_double_it(broker, monkeypatch):
    staff = StaffFactory()
    sent = []
    monkeypatch.setattr(jobs, "_send", lambda task, args: sent.append((task, list(args))))
    job = ReportJob.objects.create(kind="organizations.directory", format="csv", requested_by=staff)
    _age(ReportJob, job.pk, 5)
    assert tasks.jobs_requeue() == 1
    assert tasks.jobs_requeue() == 0  # touched: not again before the window passes
    assert sent == [("core.tasks.run_report_job", [str(job.pk)])]


def test_every_model_with_a_queued_state_is_registered():
    """Anything new with a queued state must register with core.jobs."""
    waiting_models = {kind.waiting().model for kind in jobs.kinds()}
    queued_states = {"queued", "validating", "importing", "pending_send"}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in {
            "core",
            "accounts",
            "organizations",
            "grants",
            "giving",
            "transparency",
        }:
            continue
        for field in model._meta.get_fields():
            choices = {str(value) for value, _label in getattr(field, "choices", None) or []}
            if choices & queued_states and model not in waiting_models:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []
