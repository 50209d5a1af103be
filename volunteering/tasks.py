"""Background work of volunteering (the only Celery tasks module). Idempotent: every
reminder goes once (core.reminders)."""

from celery import shared_task

from volunteering.services.reminders import reminders_send


@shared_task(name="volunteering.tasks.send_reminders")
def send_reminders() -> int:
    """Hourly (beat): deadlines of saved opportunities, unconfirmed hours, monthly digests."""
    return reminders_send()
