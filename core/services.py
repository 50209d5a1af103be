"""Writes of the core app: background report jobs and the email outbox."""

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

    Raises ReportRequestError (unknown kind, format not offered, too many jobs running)
    or PermissionDenied. The job is written in `language` (default: the active one).
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
