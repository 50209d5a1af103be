"""System checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(deploy=True)
def shared_cache(app_configs, **kwargs):
    """Cached fragments (core.fragments) are made out of date by the process that saves the
    data; other processes see that only through a shared cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PROCESS_LOCAL_CACHES:
        return [
            CheckWarning(
                "The cache is not shared between processes (no REDIS_URL).",
                hint="Set REDIS_URL: with several workers, a page cached by one would not learn of "
                "changes saved through another for up to ten minutes.",
                id="core.W001",
            )
        ]
    return []
