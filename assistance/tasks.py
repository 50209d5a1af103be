"""Background work of the help desk (the only Celery tasks module). Idempotent: every
reminder goes once (core.reminders)."""

from celery import shared_task

from assistance.services.reminders import reminders_send, session_reminders_send


@shared_task(name="assistance.tasks.send_reminders")
def send_reminders() -> int:
    """Hourly (beat): requests unassigned for 2 working days, answers past their due day,
    mentoring sessions tomorrow."""
    return reminders_send() + session_reminders_send()
