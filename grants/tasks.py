"""Celery tasks of grants: the hourly reminders (celery beat, "grants-reminders").

Four sweeps, each idempotent: a reminder goes once per (kind, object, person) because the
`core.SentReminder` row and the outbox email (`core.reminders`) are written in the same transaction, under the
row's unique constraint. A second run — even a concurrent one — finds the row and sends
nothing; a run that fails half-way leaves no row for what was not sent, so the next run
sends it. Each sweep reads the reminders already sent about the objects it finds due, a
batch of 500 at a time, never every reminder of its kind ever sent.

- call_closing   applications still editable (draft, invited to the full proposal) whose
                 deadline is within 3 days → the applicant side (applicant, org editors)
- report_due     grant reports due within 7 days, not sent yet (due / returned) → grantee side
- report_overdue grant reports past their due date, not sent (due / returned) → grantee side
- review_due     reviews not submitted 3 days before the call's review deadline → the reviewer
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from core.reminders import BATCH, already_sent, in_batches, remind_once
from grants.choices import (
    ApplicationStatus,
    AssignmentStatus,
    GrantReportStatus,
    GrantStatus,
    ReminderKind,
    Stage,
)
from grants.models import Application, GrantReport, ReviewAssignment
from grants.services.awards import report_label
from grants.services.common import applicant_recipients
from organizations.selectors import editors_by_organization

logger = logging.getLogger(__name__)

CALL_CLOSING_WITHIN = timedelta(days=3)
REPORT_DUE_WITHIN_DAYS = 7
REVIEW_DUE_WITHIN = timedelta(days=3)
# Statuses in which an application waits for the applicant before a deadline (a resubmission
# KCSF asked for has no deadline of its own, so it is not reminded).
REMINDED_DRAFT_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.INVITED)
OPEN_REPORT_STATUSES = (GrantReportStatus.DUE, GrantReportStatus.RETURNED)


def draft_reminder_key(application: Application) -> int:
    """The object of a call-closing reminder: the application at its current deadline. A
    two-stage call has two deadlines (concept note, full proposal), each reminded once."""
    full_of_two_stage = application.call.two_stage and application.stage == Stage.FULL
    return application.pk * 2 + (1 if full_of_two_stage else 0)


def sweep_calls_closing(now) -> int:
    """(a) Applications still editable whose deadline is within 3 days."""
    window_end = now + CALL_CLOSING_WITHIN
    first_deadline = (Q(call__two_stage=False) | Q(stage=Stage.CONCEPT)) & Q(
        call__closes_at__gt=now, call__closes_at__lte=window_end
    )
    full_deadline = Q(call__two_stage=True, stage=Stage.FULL) & Q(
        call__full_proposal_closes_at__gt=now, call__full_proposal_closes_at__lte=window_end
    )
    applications = (
        Application.objects.filter(status__in=REMINDED_DRAFT_STATUSES, call__is_published=True)
        .filter(first_deadline | full_deadline)
        .select_related("call", "applicant", "organization")
        .order_by("pk")
    )
    count = 0
    for batch in in_batches(applications.iterator(chunk_size=BATCH), BATCH):
        sent_before = already_sent(
            ReminderKind.CALL_CLOSING, object_ids=[draft_reminder_key(a) for a in batch]
        )
        editors = editors_by_organization(a.organization_id for a in batch if a.organization_id)
        for application in batch:
            key = draft_reminder_key(application)
            for person in applicant_recipients(application, editors=editors):
                if (key, person.pk) in sent_before or not person.email:
                    continue
                count += remind_once(
                    kind=ReminderKind.CALL_CLOSING,
                    object_id=key,
                    user=person,
                    template="grants/email/reminder_call_closing",
                    context={
                        "application": application,
                        "call": application.call,
                        "deadline": application.deadline,
                    },
                )
    return count


def _open_reports():
    return (
        GrantReport.objects.filter(status__in=OPEN_REPORT_STATUSES, grant__status=GrantStatus.ACTIVE)
        .select_related(
            "grant__call",
            "grant__application__call",
            "grant__application__applicant",
            "grant__application__organization",
        )
        .order_by("due_on", "pk")
    )


def _sweep_reports(reports, kind: str, template: str, today) -> int:
    count = 0
    for batch in in_batches(reports.iterator(chunk_size=BATCH), BATCH):
        sent_before = already_sent(kind, object_ids=[report.pk for report in batch])
        editors = editors_by_organization(
            r.grant.application.organization_id for r in batch if r.grant.application.organization_id
        )
        for report in batch:
            grant = report.grant
            for person in applicant_recipients(grant.application, editors=editors):
                if (report.pk, person.pk) in sent_before or not person.email:
                    continue
                count += remind_once(
                    kind=kind,
                    object_id=report.pk,
                    user=person,
                    template=template,
                    context={
                        "grant": grant,
                        "application": grant.application,
                        "call": grant.call,
                        "report": report,
                        "report_label": report_label(report),
                        "days_left": (report.due_on - today).days,
                    },
                )
    return count


def sweep_reports_due(today) -> int:
    """(b) Reports due today or within the next 7 days and not sent yet."""
    reports = _open_reports().filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=REPORT_DUE_WITHIN_DAYS)
    )
    return _sweep_reports(reports, ReminderKind.REPORT_DUE, "grants/email/reminder_report_due", today)


def sweep_reports_overdue(today) -> int:
    """(c) Reports whose due date has passed and that were not sent (once)."""
    reports = _open_reports().filter(due_on__lt=today)
    return _sweep_reports(reports, ReminderKind.REPORT_OVERDUE, "grants/email/reminder_report_overdue", today)


def sweep_reviews_due(now) -> int:
    """(d) Reviews not submitted when the call's review deadline is within 3 days."""
    assignments = (
        ReviewAssignment.objects.filter(
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.ACCEPTED],
            application__status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
            stage=F("application__stage"),  # the current stage only: older ones are done
            application__call__review_deadline__gt=now,
            application__call__review_deadline__lte=now + REVIEW_DUE_WITHIN,
            reviewer__is_active=True,
        )
        .select_related("reviewer", "application__call")
        .order_by("pk")
    )
    count = 0
    for batch in in_batches(assignments.iterator(chunk_size=BATCH), BATCH):
        sent_before = already_sent(ReminderKind.REVIEW_DUE, object_ids=[a.pk for a in batch])
        for assignment in batch:
            reviewer = assignment.reviewer
            if (assignment.pk, reviewer.pk) in sent_before or not reviewer.email:
                continue
            application = assignment.application
            count += remind_once(
                kind=ReminderKind.REVIEW_DUE,
                object_id=assignment.pk,
                user=reviewer,
                template="grants/email/reminder_review_due",
                context={
                    "application": application,
                    "call": application.call,
                    "assignment": assignment,
                    "deadline": application.call.review_deadline,
                },
            )
    return count


def run_sweeps(now=None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        ReminderKind.CALL_CLOSING.value.removeprefix("grants."): sweep_calls_closing(now),
        ReminderKind.REPORT_DUE.value.removeprefix("grants."): sweep_reports_due(today),
        ReminderKind.REPORT_OVERDUE.value.removeprefix("grants."): sweep_reports_overdue(today),
        ReminderKind.REVIEW_DUE.value.removeprefix("grants."): sweep_reviews_due(now),
    }


@shared_task(name="grants.tasks.send_reminders", acks_late=True, soft_time_limit=15 * 60, time_limit=16 * 60)
def send_reminders() -> dict[str, int]:
    """Celery beat, hourly: the four reminder sweeps. Returns how many reminders each sent."""
    counts = run_sweeps()
    logger.info("grants reminders sent: %s", counts)
    return counts
