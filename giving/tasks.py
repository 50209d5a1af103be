"""Background work of the giving tracker. Tasks are idempotent: a refresh rebuilds derived
rows from the records, so running one twice only costs time."""

from datetime import date

from celery import shared_task
from django.core.cache import cache

from giving import aggregates


@shared_task(name="giving.tasks.refresh_aggregates", acks_late=True, soft_time_limit=600, time_limit=660)
def refresh_aggregates(months: list[str] | None = None, record_ids: list[int] | None = None) -> int:
    """Bring the dashboard aggregates of `months` ("YYYY-MM-DD" strings), of the cells of
    `record_ids` (an import), or all of them up to date. Queued (debounced) by
    `giving.aggregates.refresh_on_commit` after every write. Idempotent: a second run finds
    nothing to change."""
    if record_ids:
        return aggregates.refresh(record_ids=record_ids)
    # Clear the debounce marks first: a write committed from now on queues a new refresh.
    cache.delete_many([f"giving:refresh:{m}" for m in months or []] or ["giving:refresh:all"])
    return aggregates.refresh([date.fromisoformat(m) for m in months] if months else None)


@shared_task(
    name="giving.tasks.refresh_aggregates_if_changed", acks_late=True, soft_time_limit=600, time_limit=660
)
def refresh_aggregates_if_changed() -> int | None:
    """Celery beat: rebuild everything when the verified records changed since the last full
    rebuild (a safety net for writes whose refresh was lost, e.g. while the broker was down)."""
    return aggregates.refresh_if_changed()


@shared_task(name="giving.tasks.build_yearly_report", acks_late=True, soft_time_limit=600, time_limit=660)
def build_yearly_report(job_id: str) -> str:
    """Produce the PDF of one yearly-report ReportJob (see giving.exports)."""
    from giving import exports as reports

    return reports.build_yearly_pdf(job_id)


@shared_task(name="giving.tasks.import_validate_task", acks_late=True, soft_time_limit=300, time_limit=330)
def import_validate_task(batch_id: int, amount_language: str | None = None) -> str | None:
    """Validate the uploaded file of a `validating` ImportBatch (queued by the upload page),
    reading amounts as `amount_language` writes them. Idempotent: a batch no longer
    `validating` is left as it is. Bounded: 5 minutes (the soft limit fails the batch with
    a message; 20,000 rows take well under one) and `imports.VALIDATE_MEMORY_MB` of memory
    (core.limits)."""
    from giving.services import imports

    batch = imports.validate_batch(batch_id, amount_language)
    return batch.state if batch is not None else None


@shared_task(name="giving.tasks.import_commit_task", acks_late=True, soft_time_limit=900, time_limit=960)
def import_commit_task(
    batch_id: int, mode: str, verify: bool = False, actor_id: int | None = None
) -> str | None:
    """Create the records of an `importing` ImportBatch (queued by the commit button).
    Idempotent: a batch no longer `importing` is left as it is, and rows already recorded
    are skipped."""
    from giving.services import imports

    batch = imports.commit_batch(batch_id, mode, verify, actor_id)
    return batch.state if batch is not None else None
