"""Celery tasks of the Strategy monitoring (the badge's tasks live in transparency/tasks.py)."""

from celery import shared_task

from transparency import strategy


@shared_task(name="transparency.tasks_strategy.measures_mark_late", acks_late=True)
def measures_mark_late() -> int:
    """Celery beat, nightly: measures past their deadline and not implemented become late.
    Idempotent: a second run the same night changes nothing."""
    return strategy.measures_mark_late()
