"""Settings of the gunicorn that `manage.py bench pages` starts (config/bench_pages.py): the real
settings (DEBUG off from the environment it sets), plus the bare view the pages are measured
against, plain static files (no collectstatic manifest in a throwaway run), the cache under a
key prefix of the run's own, and a page rate limit high enough never to refuse the load (it
still counts every request, as in production)."""

import os

from .settings import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
if "default" in CACHES:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "cea-bench")  # noqa: F405
PAGE_RATE_LIMIT = "100000000/60"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/min", "token": "100000000/min"},
}
