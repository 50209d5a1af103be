"""Issue 13, item 7: running the portal elsewhere. Emails link to where the portal runs, the
console shows mails readably (attachments as one line), PDF libraries log at WARNING."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from core.mail import ConsoleEmailBackend
from core.models import EmailOutbox
from core.site_url import site_url

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(expression: str, **env) -> subprocess.CompletedProcess:
    """Evaluate `expression` on config.settings loaded with the environment `env` (no .env)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL", "RUN_HOST"))}
    code = f"import config.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- SITE_URL ---------------------------------------------------------------------------------


def test_production_refuses_to_start_without_site_url():
    production = {
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    }
    result = settings_in_subprocess("s.SITE_URL", **production)
    assert result.returncode != 0 and "SITE_URL must be set" in result.stderr
    result = settings_in_subprocess("s.SITE_URL", **production, SITE_URL="https://portal.example.org")
    assert result.returncode == 0 and result.stdout.strip() == "https://portal.example.org"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (None, "http://127.0.0.1:8000"),
        ("0.0.0.0:8080", "http://localhost:8080"),
        ("192.168.1.20:9000", "http://192.168.1.20:9000"),
        ("8001", "http://127.0.0.1:8001"),
    ],
)
def test_make_run_host_gives_the_links_outside_a_request(host, expected):
    env = {"RUN_HOST": host} if host else {}
    result = settings_in_subprocess("s.DEV_SITE_URL", **env)
    assert result.stdout.strip() == expected, result.stderr


def test_an_explicit_site_url_wins(settings):
    settings.SITE_URL = "https://portal.example.org/"
    assert site_url() == "https://portal.example.org"


def test_without_site_url_outside_a_request_the_run_host_is_used(settings):
    settings.SITE_URL = ""
    settings.DEV_SITE_URL = "http://localhost:8080"
    assert site_url() == "http://localhost:8080"


@pytest.mark.django_db
def test_in_development_emails_link_to_the_host_of_the_request(
    client, org_roles, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["localhost"]
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    with translation.override("en"):
        url = reverse("organizations:invite", kwargs={"slug": org.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "someone@example.org", "role": "viewer"}, HTTP_HOST="localhost:8765"
        )
    assert response.status_code == 302
    body = EmailOutbox.objects.get(to="someone@example.org").body_text
    assert "http://localhost:8765/" in body and "127.0.0.1:8000" not in body
    assert site_url() == settings.DEV_SITE_URL  # and forgotten after the request


# --- the console email backend ------------------------------------------------------------------


def test_the_console_shows_attachments_as_name_type_and_size():
    link = "http://localhost:8080/en/accounts/confirm-email/MQ:1tAbCdEf:Xy-z_0123456789abcdefghijklmnopqrstuvwxyz/"
    message = EmailMultiAlternatives(
        "Potvrdite adresu — ë ç š đ",
        f"Open this link:\n{link}\n",
        "CEA <no-reply@cea.test>",
        ["besa@example.org"],
    )
    message.attach_alternative("<p>html</p>", "text/html")
    message.attach("application-12.pdf", b"%PDF-1.7 " + b"x" * 50_000, "application/pdf")
    stream = io.StringIO()
    ConsoleEmailBackend(stream=stream).send_messages([message])
    out = stream.getvalue()
    assert "Subject: Potvrdite adresu — ë ç š đ" in out
    assert "To: besa@example.org" in out
    assert link in out  # whole, not quoted-printable
    assert "[attachment: application-12.pdf, application/pdf, 50,009 bytes]" in out
    assert "[alternative: text/html, 11 bytes]" in out
    assert "eHh4eHh4" not in out and "base64" not in out.lower()
    assert len(out.splitlines()) < 20


def test_development_uses_the_readable_console_backend():
    result = settings_in_subprocess("s.EMAIL_BACKEND")
    assert result.stdout.strip() == "core.mail.ConsoleEmailBackend", result.stderr


# --- library logs -------------------------------------------------------------------------------


def test_pdf_libraries_log_warnings_only():
    for name in ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO), name
        assert logger.isEnabledFor(logging.WARNING), name


# --- PostgreSQL connection options ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://postgres@127.0.0.1:5432/portal", "-c jit=off"),
        # Options of the URL's own are kept and JIT is still turned off.
        (
            "postgres://postgres@127.0.0.1:5432/portal?options=-c%20statement_timeout%3D5000",
            "-c statement_timeout=5000 -c jit=off",
        ),
        # A URL that says what JIT should be is obeyed.
        ("postgres://postgres@127.0.0.1:5432/portal?options=-c%20jit%3Don", "-c jit=on"),
    ],
)
def test_postgresql_connections_run_with_jit_off(url, expected):
    result = settings_in_subprocess("s.DATABASES['default']['OPTIONS']['options']", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
