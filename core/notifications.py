"""Email notifications: rendered in the recipient's language, stored in the outbox inside
the caller's transaction, and sent by a Celery task after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from core.models import EmailOutbox

logger = logging.getLogger(__name__)


def email_user_template(
    *, template: str, context: dict, user=None, to: str | None = None, language: str | None = None
) -> EmailOutbox:
    """Queue `<template>_subject.txt` / `<template>.txt` (and `.html` when present).

    Give `user` (their preferred language is used) or a bare address in `to`.
    """
    address = to or user.email
    language = language or getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    ctx = {"site_url": settings.SITE_URL, "user": user, **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", ctx).strip().splitlines()[0]
        body_text = render_to_string(f"{template}.txt", ctx)
        try:
            body_html = render_to_string(f"{template}.html", ctx)
        except Exception:  # noqa: BLE001 - the HTML part is optional
            body_html = ""
    message = EmailOutbox.objects.create(
        to=address, subject=subject[:255], body_text=body_text, body_html=body_html
    )
    enqueue_on_commit("core.tasks.send_outbox_email", message.pk)
    return message


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send a Celery task once the current transaction commits; a broker outage is logged,
    never raised (the outbox / job row is already committed and a beat task retries)."""
    from kombu.exceptions import OperationalError

    task = import_string(task_name)

    def _send():
        try:
            task.delay(*args)
        except (OperationalError, RuntimeError, OSError) as exc:
            logger.warning("Could not enqueue %s%r: %s", task_name, args, exc)

    transaction.on_commit(_send, robust=True)
