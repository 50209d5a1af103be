"""Background work of dialogue. Tasks are idempotent."""

from celery import shared_task

from dialogue.services import commitments as commitment_services


@shared_task(name="dialogue.tasks.commitments_mark_late")
def commitments_mark_late() -> int:
    """Daily: open commitments past their date become "late" (one StatusChange each, once)."""
    return commitment_services.commitments_mark_late()


@shared_task(name="dialogue.tasks.commitment_reminders")
def commitment_reminders() -> int:
    """Daily: reminders 14 days before a commitment's date and the day after it (once each)."""
    return commitment_services.commitment_reminders_send()


@shared_task(name="dialogue.tasks.consultations_close_due")
def consultations_close_due() -> int:
    """Every quarter hour: open consultations past their close date-time are closed (once)."""
    from dialogue.services import consultations as consultation_services

    return consultation_services.consultations_close_due()


@shared_task(name="dialogue.tasks.follow_up_notify")
def follow_up_notify(follow_up_id: int) -> int:
    """After publishing an event's follow-up: email the people who held a place (once)."""
    from dialogue.services import followups

    return followups.follow_up_notify(follow_up_id)


@shared_task(name="dialogue.tasks.digests_send")
def digests_send(frequency: str = "daily") -> int:
    """Beat: the daily digest every day, the weekly one on Mondays (each once per person and
    period) of what changed in what people follow."""
    from dialogue.services import digests

    return digests.digests_send(frequency=frequency)
