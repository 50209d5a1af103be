"""Under pytest-xdist each worker has its own cache: a key prefix and (Django's RedisCache.clear()
is FLUSHDB) its own Redis database; the Celery broker stays on REDIS_URL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default'].get('LOCATION'), s.CACHES['default'].get('KEY_PREFIX'),"
    " s.CELERY_BROKER_URL]))"
)


def _test_settings(**env):
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "REDIS_URL")}
    environ.update(env, DJANGO_SETTINGS_MODULE="config.settings_test")
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT, env=environ, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("worker", "location", "prefix"),
    [
        ("", "redis://127.0.0.1:6379/15", "cea"),
        ("gw0", "redis://127.0.0.1:6379/15", "cea-gw0"),
        ("gw1", "redis://127.0.0.1:6379/14", "cea-gw1"),
        ("gw3", "redis://127.0.0.1:6379/12", "cea-gw3"),
    ],
)
def test_each_worker_has_its_own_redis_database_and_prefix(worker, location, prefix):
    env = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
    if worker:
        env["PYTEST_XDIST_WORKER"] = worker
    assert _test_settings(**env) == [location, prefix, "redis://127.0.0.1:6379/15"]


def test_without_redis_each_worker_has_its_own_prefix():
    location, prefix, broker = _test_settings(PYTEST_XDIST_WORKER="gw1")
    assert (location, prefix, broker) == (None, "cea-gw1", "memory://")
