"""Background work shared by every app. Tasks take ids, re-fetch, and are idempotent."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core.models import EmailOutbox

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


@shared_task(
    name="core.tasks.send_outbox_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=MAX_EMAIL_ATTEMPTS,
)
def send_outbox_email(message_id: int) -> str:
    with transaction.atomic():
        message = (
            EmailOutbox.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=EmailOutbox.Status.PENDING)
            .first()
        )
        if message is None:
            return "skipped"  # already sent, or being sent by another worker
        email = EmailMultiAlternatives(subject=message.subject, body=message.body_text, to=[message.to])
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # noqa: BLE001 - recorded and retried by beat
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if message.attempts >= MAX_EMAIL_ATTEMPTS:
                message.status = EmailOutbox.Status.FAILED
            message.save(update_fields=["attempts", "last_error", "status", "updated_at"])
            logger.warning("Email %s failed: %s", message.pk, exc)
            return "failed"
        message.status = EmailOutbox.Status.SENT
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "status", "sent_at", "updated_at"])
    return "sent"


@shared_task(name="core.tasks.email_outbox_flush")
def email_outbox_flush() -> int:
    """Celery beat: re-send emails still pending a few minutes after they were queued."""
    cutoff = timezone.now() - timedelta(minutes=2)
    ids = list(
        EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    for pk in ids:
        send_outbox_email(pk)
    return len(ids)
