"""The academy's Celery tasks (idempotent; beat runs them)."""

from celery import shared_task

from academy.services import selection


@shared_task(name="academy.tasks.lapse_expired_offers")
def lapse_expired_offers() -> int:
    """Offers not confirmed within 7 days lapse; the next on the waiting list is offered the place."""
    return selection.lapse_expired_offers()


@shared_task(name="academy.tasks.send_session_reminders")
def send_session_reminders() -> int:
    """A reminder 24 hours before each session to its participants (each once)."""
    from academy.services import schedule

    return schedule.send_session_reminders()
