from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from kombu.exceptions import OperationalError

from core import services, tasks
from core.models import EmailOutbox, Municipality
from core.notifications import email_user_template
from tests import factories

pytestmark = pytest.mark.django_db

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "mail/hello_subject.txt": "Hello {{ org }}\n from {{ municipality.name }}\n",
                        "mail/hello.txt": (
                            "{% load i18n %}{% get_current_language as lang %}lang={{ lang }} "
                            '{% translate "Yes" %} {{ municipality.name }} {{ org }} {{ site_url }}'
                        ),
                        "mail/hello.html": "<p>{{ org }} {{ municipality.name }}</p>",
                        "mail/plain_subject.txt": "Plain",
                        "mail/plain.txt": "Just text",
                    },
                )
            ],
        },
    }
]


@pytest.fixture(autouse=True)
def _templates():
    with override_settings(TEMPLATES=TEMPLATES, SITE_URL="https://portal.example.org"):
        yield


def _queue(user, **kwargs):
    municipality = Municipality.objects.get(slug="prishtine")
    return email_user_template(
        template="mail/hello", context={"org": "Ana & Co", "municipality": municipality}, user=user, **kwargs
    )


@pytest.mark.parametrize(
    ("language", "city"), [("sq", "Prishtinë"), ("sr-latn", "Priština"), ("en", "Pristina")]
)
def test_renders_in_the_recipients_language(language, city, django_capture_on_commit_callbacks):
    user = factories.UserFactory(preferred_language=language)
    with django_capture_on_commit_callbacks():
        message = _queue(user)
    assert message.to == user.email
    assert message.subject == f"Hello Ana & Co from {city}"  # one line, not HTML-escaped
    with translation.override(language):
        yes = gettext("Yes")
    assert message.body_text == f"lang={language} {yes} {city} Ana & Co https://portal.example.org"
    assert message.body_html == f"<p>Ana &amp; Co {city}</p>"


def test_explicit_language_and_bare_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        message = email_user_template(
            template="mail/plain", context={}, to="someone@example.org", language="en"
        )
    assert (message.to, message.subject, message.body_text, message.body_html) == (
        "someone@example.org",
        "Plain",
        "Just text",
        "",
    )
    with pytest.raises(ValueError):
        email_user_template(template="mail/plain", context={})


def test_queues_a_row_and_sends_only_after_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        message = _queue(user)
    message.refresh_from_db()
    assert message.status == EmailOutbox.Status.PENDING
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [user.email]
    assert sent.subject == message.subject
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert message.status == EmailOutbox.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_sends_after_commit_with_executed_callbacks(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(user)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == EmailOutbox.Status.SENT


def test_running_the_send_task_twice_sends_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        message = _queue(user)
    assert tasks.send_outbox_email(message.pk) == "sent"
    assert tasks.send_outbox_email(message.pk) == "skipped"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_broker_outage_keeps_row_pending_and_callers_transaction(user, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.send_outbox_email, "delay", side_effect=OperationalError("down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        with transaction.atomic():
            org = factories.OrganizationFactory(name="Saved with the email")
            message = _queue(user)
    assert delay.call_count == 1  # the email's on-commit callback ran (and failed to publish)
    assert delay.call_args == mock.call(message.pk)
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == EmailOutbox.Status.PENDING
    assert type(org).objects.filter(pk=org.pk, name="Saved with the email").exists()

    # Celery beat picks it up later.
    EmailOutbox.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.email_outbox_flush() == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == EmailOutbox.Status.SENT


def test_flush_sends_pending_old_ones_only():
    old = timezone.now() - timedelta(minutes=10)
    pending = EmailOutbox.objects.create(to="a@example.org", subject="A", body_text="a")
    young = EmailOutbox.objects.create(to="b@example.org", subject="B", body_text="b")
    done = EmailOutbox.objects.create(to="c@example.org", subject="C", body_text="c", status="sent")
    EmailOutbox.objects.filter(pk__in=[pending.pk, done.pk]).update(created_at=old)
    assert tasks.email_outbox_flush() == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    young.refresh_from_db()
    assert young.status == EmailOutbox.Status.PENDING


def test_failed_sends_are_retried_then_marked_failed():
    message = EmailOutbox.objects.create(to="a@example.org", subject="A", body_text="a")
    with mock.patch("core.tasks.EmailMultiAlternatives.send", side_effect=OSError("smtp down")):
        for attempt in range(1, tasks.MAX_EMAIL_ATTEMPTS + 1):
            assert tasks.send_outbox_email(message.pk) == "failed"
            message.refresh_from_db()
            assert message.attempts == attempt
            assert "smtp down" in message.last_error
    assert message.status == EmailOutbox.Status.FAILED
    assert tasks.send_outbox_email(message.pk) == "skipped"


def test_resend_service_requeues_failed_and_pending_not_sent(django_capture_on_commit_callbacks):
    failed = EmailOutbox.objects.create(
        to="f@example.org", subject="F", body_text="f", status="failed", attempts=5, last_error="x"
    )
    sent = EmailOutbox.objects.create(to="s@example.org", subject="S", body_text="s", status="sent")
    with django_capture_on_commit_callbacks(execute=True):
        count = services.email_outbox_resend(messages=EmailOutbox.objects.all())
    assert count == 1
    assert [m.to for m in mail.outbox] == [["f@example.org"]]
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert sent.status == "sent"
