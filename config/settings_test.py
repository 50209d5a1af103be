"""Test settings: the real settings with a fast hasher, in-memory email and plain static files."""

import os
from urllib.parse import urlsplit, urlunsplit

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405  (manifest storage 404s under live_server)
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
# With REDIS_URL the suite uses the Redis cache (tests clear it); tasks still run eagerly so
# that tests see their effects, and tests/core/test_celery.py publishes through the broker.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "token": "10000/min"}}  # noqa: F405

# pytest-xdist: each worker (PYTEST_XDIST_WORKER=gw0, gw1, ...) has its own test database
# (pytest-django names it test_<name>_gw0), and here its own cache: a key prefix and, since
# Django's RedisCache.clear() is FLUSHDB (it ignores the prefix), its own Redis database
# (REDIS_URL's number, then the ones below it), so that one worker's cache.clear() does not
# wipe another's cache and sessions. The Celery broker stays on REDIS_URL: tasks run eagerly,
# and tests/core/test_celery.py publishes to a queue of its own name that no worker reads.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    CACHES["default"]["KEY_PREFIX"] = f"{CACHES['default'].get('KEY_PREFIX', 'cea')}-{XDIST_WORKER}"  # noqa: F405
    if REDIS_URL:  # noqa: F405
        _redis = urlsplit(REDIS_URL)  # noqa: F405
        _base = int(_redis.path.strip("/") or 0)
        _db = (_base - int(XDIST_WORKER.removeprefix("gw") or 0)) % 16
        CACHES["default"]["LOCATION"] = urlunsplit(_redis._replace(path=f"/{_db}"))  # noqa: F405
# The pages' rate limit per address would refuse the suite's many requests from 127.0.0.1;
# tests/core/test_ratelimit.py turns it on.
PAGE_RATE_LIMIT = "0"

# CI migrates one database before the suite and names it in TEST_DATABASE_TEMPLATE (.ci/run):
# each pytest-xdist worker's test database is then a copy of it (CREATE DATABASE … TEMPLATE;
# Django's migrate finds nothing to apply), instead of migrating its own (40-60 s apiece), and
# the benchmark tests copy it too (tests/conftest.py, bench_template_database).
TEST_DATABASE_TEMPLATE = os.environ.get("TEST_DATABASE_TEMPLATE", "")
if TEST_DATABASE_TEMPLATE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = TEST_DATABASE_TEMPLATE  # noqa: F405
