"""The giving tracker's background jobs, sent again by beat when their send was lost
(`core.jobs`): import batches (checking, then importing) and yearly PDFs."""

from datetime import timedelta

from core import jobs

VALIDATE_TASK = "giving.tasks.import_validate_task"
COMMIT_TASK = "giving.tasks.import_commit_task"
YEARLY_TASK = "giving.tasks.build_yearly_report"


def _waiting_batches():
    from giving.models import ImportBatch

    # Not started: a running task writes its progress (and updated_at) as it goes.
    return ImportBatch.objects.filter(state__in=ImportBatch.RUNNING_STATES, progress=0)


def _batch_default(batch):
    """A batch without a recorded send: its check can be sent again (amounts read in the
    uploader's language); an import cannot (its mode was never recorded), so it is left."""
    from giving.models import ImportBatch

    if batch.state == ImportBatch.State.VALIDATING:
        return VALIDATE_TASK, [batch.pk, None]
    return None


def _waiting_yearly_reports():
    from giving.models import GivingYearlyReport

    return GivingYearlyReport.objects.filter(status=GivingYearlyReport.Status.QUEUED)


def register() -> None:
    jobs.register(
        "giving.import_batch",
        waiting=_waiting_batches,
        tasks=(VALIDATE_TASK, COMMIT_TASK),
        default=_batch_default,
        after=timedelta(minutes=3),  # a large file may take a while before its first progress
    )
    jobs.register(
        "giving.yearly_report",
        waiting=_waiting_yearly_reports,
        tasks=(YEARLY_TASK,),
        default=lambda report: (YEARLY_TASK, [str(report.pk)]),
    )
