"""Test settings: the real settings with a fast hasher, in-memory email and plain static files."""

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
