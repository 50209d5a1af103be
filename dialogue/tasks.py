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
