"""Writes of the core app: background report jobs and the email outbox."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import reports
from core.models import EmailOutbox, ReportJob
from core.notifications import enqueue_on_commit

MAX_UNFINISHED_JOBS_PER_USER = 5
# Visitors' jobs (public reports only): an identical one asked for within REUSE_VISITOR_JOB
# is given again (six visitors asking at once make one file), and at most
# MAX_UNFINISHED_VISITOR_JOBS different ones are prepared at a time.
MAX_UNFINISHED_VISITOR_JOBS = 4
REUSE_VISITOR_JOB = timedelta(minutes=15)


class ReportRequestError(ValueError):
    """The request names an unknown report or a format it does not offer (a 400)."""


class TooManyReportJobs(ReportRequestError):
    pass


def _portal_language(language: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").lower()
    if language in codes:
        return language
    for code in codes:
        if language.split("-")[0] == code.split("-")[0]:
            return code
    return settings.LANGUAGE_CODE


def report_job_start(*, actor, kind: str, fmt: str, params=None, language: str | None = None) -> ReportJob:
    """Queue report `kind` in format `fmt` for `actor`.

    Raises ReportRequestError (unknown kind, format not offered, params the report refuses,
    too many jobs running)
    or PermissionDenied. The job is written in `language` (default: the active one).
    A visitor (`actor` None or anonymous) may run a public report: the job has no
    `requested_by`, an identical recent job is returned instead of a new one, and it is
    fetched by its signed link (`core.reports.signed_link`).
    The task is sent after commit; if the broker is down the row stays queued and
    `core.tasks.jobs_requeue` sends it later (core.jobs).
    """
    try:
        report = reports.get(kind)
    except reports.UnknownReport:
        raise ReportRequestError(_("There is no such report.")) from None
    if fmt not in report.formats:
        raise ReportRequestError(_("This report is not available in that format."))
    if not report.allowed_for(actor):
        raise PermissionDenied(_("You may not run this report."))
    reason = report.refusal(report.clean_params(params), fmt) if report.refusal else ""
    if reason:
        raise ReportRequestError(reason)
    if actor is None or not actor.is_authenticated:
        return _visitor_job_start(report, fmt, params, language)
    with transaction.atomic():
        unfinished = ReportJob.objects.filter(
            requested_by=actor, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
        ).count()
        if unfinished >= MAX_UNFINISHED_JOBS_PER_USER:  # a soft guard against double clicks and floods
            raise TooManyReportJobs(
                _("You already have several reports in progress. Please wait until they are ready.")
            )
        job = ReportJob.objects.create(
            kind=kind,
            format=fmt,
            params=report.clean_params(params),
            language=_portal_language(language or translation.get_language()),
            requested_by=actor,
        )
        enqueue_on_commit("core.tasks.run_report_job", str(job.pk))
    return job


def _visitor_job_start(report, fmt: str, params, language: str | None) -> ReportJob:
    cleaned = report.clean_params(params)
    language = _portal_language(language or translation.get_language())
    unfinished = [ReportJob.Status.QUEUED, ReportJob.Status.RUNNING]
    with transaction.atomic():
        recent = ReportJob.objects.filter(
            requested_by=None,
            kind=report.kind,
            format=fmt,
            language=language,
            status__in=[*unfinished, ReportJob.Status.DONE],
            created_at__gte=timezone.now() - REUSE_VISITOR_JOB,
        ).order_by("-created_at")
        for job in recent:
            if job.params == cleaned:
                return job
        if ReportJob.objects.filter(requested_by=None, status__in=unfinished).count() >= (
            MAX_UNFINISHED_VISITOR_JOBS
        ):
            raise TooManyReportJobs(
                _("Many files are being prepared right now. Please try again in a few minutes.")
            )
        job = ReportJob.objects.create(
            kind=report.kind, format=fmt, params=cleaned, language=language, requested_by=None
        )
        enqueue_on_commit("core.tasks.run_report_job", str(job.pk))
    return job


def email_outbox_resend(*, messages: QuerySet[EmailOutbox]) -> int:
    """Put failed or pending emails back in the queue (attempts reset) and send them
    after commit. Sent emails are left alone. Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            messages.filter(status__in=[EmailOutbox.Status.PENDING, EmailOutbox.Status.FAILED]).values_list(
                "pk", flat=True
            )
        )
        EmailOutbox.objects.filter(pk__in=ids).update(
            status=EmailOutbox.Status.PENDING, attempts=0, last_error="", updated_at=timezone.now()
        )
        for pk in ids:
            enqueue_on_commit("core.tasks.send_outbox_email", pk)
    return len(ids)
