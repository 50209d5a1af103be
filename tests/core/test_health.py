import os
import time
from unittest import mock

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_ok_with_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "not configured"}}
    assert "no-cache" in response["Cache-Control"]


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_503_when_redis_is_configured_but_down(client):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5  # fails fast, never hangs the load balancer
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error: ")


def test_healthz_503_when_database_fails(client, settings):
    settings.REDIS_URL = ""
    with mock.patch("core.views.connection.cursor", side_effect=RuntimeError("db down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: RuntimeError"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)")
def test_healthz_redis_answers_when_configured(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_healthz_needs_no_language_prefix_or_login(client):
    assert client.get("/healthz").status_code in (200, 503)
