"""With REDIS_URL (CI), a task is really published through the Redis broker (not eager)."""

import os
import uuid

import pytest

from config.celery import app
from core import tasks

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (CI sets it)")


def test_celery_app_uses_the_redis_broker():
    assert app.conf.broker_url == REDIS_URL
    assert "core.tasks.run_report_job" in app.tasks
    assert "core.tasks.report_jobs_requeue" in app.tasks


def test_task_is_published_to_redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    queue = f"cea-test-{uuid.uuid4().hex}"  # a queue no worker listens to
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = tasks.email_outbox_flush.apply_async(queue=queue)
        assert client.llen(queue) == 1
        message = client.lindex(queue, 0).decode()
        assert result.id in message
        assert "core.tasks.email_outbox_flush" in message
    finally:
        app.conf.task_always_eager = eager
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
    assert client.llen(queue) == 0
