"""Background work shared by every app. Tasks take ids, re-fetch, and are idempotent."""

import logging
import tempfile
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files import File
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from core import exports, jobs, reports
from core.api.idempotency import KEEP_FOR
from core.models import EmailOutbox, IdempotencyKey, ReportJob

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
EMAIL_FLUSH_AFTER = timedelta(minutes=2)
EMAIL_FLUSH_BATCH = 200

REPORT_SOFT_TIME_LIMIT = 15 * 60
REPORT_TIME_LIMIT = REPORT_SOFT_TIME_LIMIT + 60
REPORT_PROGRESS_EVERY = 250  # rows between two progress updates
# A job still "running" after this was killed (hard time limit, lost worker): mark it failed.
REPORT_STALE_AFTER = timedelta(seconds=REPORT_TIME_LIMIT + 5 * 60)


# --- Email outbox --------------------------------------------------------------------------


@shared_task(name="core.tasks.send_outbox_email")
def send_outbox_email(message_id: int) -> str:
    """Send one outbox email. The row lock (skipped when held) and the status guard make a
    second run a no-op; a failed send stays pending for `email_outbox_flush` until
    MAX_EMAIL_ATTEMPTS, then is marked failed (staff can re-send it from the admin)."""
    with transaction.atomic():
        message = (
            EmailOutbox.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=EmailOutbox.Status.PENDING)
            .first()
        )
        if message is None:
            return "skipped"  # already sent, or being sent by another worker
        email = EmailMultiAlternatives(subject=message.subject, body=message.body_text, to=[message.to])
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            if message.attachment_builder:
                *args, language = message.attachment_args
                with translation.override(language):
                    content = import_string(message.attachment_builder)(*args)
                email.attach(message.attachment_name, content, message.attachment_type or None)
            email.send()
        except Exception as exc:  # noqa: BLE001 - recorded and retried by beat
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if message.attempts >= MAX_EMAIL_ATTEMPTS:
                message.status = EmailOutbox.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status", "updated_at"])
            logger.warning("Email %s failed: %s", message.pk, exc)
            return "failed"
        message.status = EmailOutbox.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"])
    return "sent"


@shared_task(name="core.tasks.email_outbox_flush")
def email_outbox_flush() -> int:
    """Celery beat: send emails still pending a few minutes after they were queued (the
    broker was down, or the last attempt failed), oldest first."""
    cutoff = timezone.now() - EMAIL_FLUSH_AFTER
    ids = list(
        EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:EMAIL_FLUSH_BATCH]
    )
    for pk in ids:
        send_outbox_email(pk)
    return len(ids)


# --- Background reports --------------------------------------------------------------------


def _mark_failed(job_id, message: str) -> None:
    ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.FAILED,
        error=message[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _counted(job_id, rows, total: int, counter: list):
    """Yield `rows`, writing rows_done / progress to the job every REPORT_PROGRESS_EVERY rows."""
    for row in rows:
        yield row
        counter[0] += 1
        done = counter[0]
        if done % REPORT_PROGRESS_EVERY == 0:
            progress = min(99, done * 100 // total) if total else 0
            ReportJob.objects.filter(pk=job_id).update(
                rows_done=done, progress=progress, updated_at=timezone.now()
            )


@shared_task(
    name="core.tasks.run_report_job",
    acks_late=True,
    soft_time_limit=REPORT_SOFT_TIME_LIMIT,
    time_limit=REPORT_TIME_LIMIT,
)
def run_report_job(job_id: str) -> str:
    """Produce the file of one ReportJob. Only the run that moves it from queued to
    running does the work, so a duplicate message (requeue, redelivery) does nothing."""
    now = timezone.now()
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING,
        started_at=now,
        updated_at=now,
        progress=0,
        rows_done=0,
        error="",
    )
    if not claimed:
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    counter = [0]
    try:
        report = reports.get(job.kind)
        with translation.override(job.language), tempfile.TemporaryFile() as tmp:
            params = dict(job.params)
            total, rows = report.rows(params, job.requested_by)
            total = max(int(total or 0), 0)
            ReportJob.objects.filter(pk=job.pk).update(rows_total=total)
            columns = report.columns_for(params, job.requested_by)
            exports.write(job.format, tmp, columns, _counted(job.pk, rows, total, counter), str(report.title))
            tmp.seek(0)
            job.file.save(f"{job.kind}-{job.pk}.{job.format}", File(tmp), save=False)
    except SoftTimeLimitExceeded:
        logger.warning("Report job %s hit the time limit after %s rows", job_id, counter[0])
        _mark_failed(job_id, "Time limit exceeded.")
        return "failed"
    except Exception as exc:  # any failure is recorded on the job, never raised
        logger.exception("Report job %s failed", job_id)
        _mark_failed(job_id, f"{exc.__class__.__name__}: {exc}")
        return "failed"
    finished = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.DONE,
        file=job.file.name,
        progress=100,
        rows_done=counter[0],
        rows_total=counter[0],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not finished:  # marked failed meanwhile (stale-job sweep): do not keep an orphan file
        job.file.delete(save=False)
        return "failed"
    return "done"


@shared_task(name="core.tasks.jobs_requeue")
def jobs_requeue() -> int:
    """Celery beat, every minute: mark as failed report jobs left "running" by a killed
    worker, and send again every background job still queued because its send was lost
    (the broker was down): report jobs, imports, yearly PDFs... (`core.jobs`). Returns how
    many were sent."""
    now = timezone.now()
    ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lt=now - REPORT_STALE_AFTER).update(
        status=ReportJob.Status.FAILED,
        error="Interrupted: the worker stopped or the hard time limit was reached.",
        finished_at=now,
        updated_at=now,
    )
    return jobs.requeue()


@shared_task(name="core.tasks.report_jobs_requeue")
def report_jobs_requeue() -> int:
    """The former name of `jobs_requeue` (kept for messages and schedules that still use it)."""
    return jobs_requeue()


# --- Idempotency keys ----------------------------------------------------------------------


@shared_task(name="core.tasks.idempotency_keys_purge")
def idempotency_keys_purge() -> int:
    """Celery beat, hourly: forget Idempotency-Keys older than 24 hours
    (KEEP_FOR); a client retrying later gets a new write, as the
    IETF draft allows. Returns how many were deleted."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
