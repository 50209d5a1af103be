"""Email notifications: rendered in the recipient's language, stored in the outbox inside
the caller's transaction, and sent by a Celery task after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from core.models import EmailOutbox
from core.site_url import site_url

logger = logging.getLogger(__name__)


def email_user_template(
    *,
    template: str,
    context: dict,
    user=None,
    to: str | None = None,
    language: str | None = None,
    attachment: tuple[str, str, list, str] | None = None,
) -> EmailOutbox:
    """Queue `<template>_subject.txt` / `<template>.txt` (and `.html` when present).

    Give `user` (their preferred language is used) or a bare address in `to`. The `.txt`
    parts are rendered without HTML escaping. Call it inside the transaction that makes
    the change the email is about: the outbox row commits with it, and the send task is
    enqueued only after commit (a broker outage leaves the row pending for
    `core.tasks.email_outbox_flush`).

    `attachment` is `(file name, builder path, builder args, content type)`: the send task
    calls `builder(*args)` for the bytes, in the recipient's language.
    """
    address = to or getattr(user, "email", "")
    if not address:
        raise ValueError("email_user_template needs a user with an email address or `to`.")
    language = language or getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    ctx = {"site_url": site_url(), "user": user, **context}
    with translation.override(language):
        # One line: a newline in a subject would be a header-injection error when sending.
        subject = " ".join(_render_text(f"{template}_subject.txt", ctx).split())
        body_text = _render_text(f"{template}.txt", ctx)
        try:
            body_html = render_to_string(f"{template}.html", ctx)
        except TemplateDoesNotExist:  # the HTML part is optional; errors in it are not hidden
            body_html = ""
    name, builder, args, content_type = attachment or ("", "", [], "")
    message = EmailOutbox.objects.create(
        to=address,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        attachment_name=name,
        attachment_builder=builder,
        attachment_args=[*args, language] if builder else [],
        attachment_type=content_type,
    )
    enqueue_on_commit("core.tasks.send_outbox_email", message.pk)
    return message


def _render_text(name: str, context: dict) -> str:
    """Render a plain-text template without HTML autoescaping ("Ana & Co", not "Ana &amp; Co")."""
    tpl = get_template(name)
    inner = getattr(tpl, "template", None)  # the Django backend's compiled template
    if inner is not None:
        return inner.render(Context(context, autoescape=False))
    return tpl.render(context)


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send a Celery task once the current transaction commits; a broker outage is logged,
    never raised (the outbox / job row is already committed and a beat task retries: the
    outbox flush, or `core.jobs.requeue` for the jobs registered there)."""
    from kombu.exceptions import OperationalError

    from core import jobs

    task = import_string(task_name)
    jobs.record_send(task_name, args)  # a job's send, remembered for beat (core.jobs)

    def _send():
        try:
            task.delay(*args)
        except (OperationalError, RuntimeError, OSError) as exc:
            logger.warning("Could not enqueue %s%r: %s", task_name, args, exc)

    transaction.on_commit(_send, robust=True)
