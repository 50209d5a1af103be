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


@register()
def rate_limit_settings(app_configs, **kwargs):
    """A malformed PAGE_RATE_LIMIT or TRUSTED_PROXIES would raise on every request (a 500 on
    every page): refuse it when the process starts instead."""
    import ipaddress

    from django.core.checks import Error

    from core.ratelimit import RateError, parse_rate

    errors = []
    try:
        parse_rate(str(getattr(settings, "PAGE_RATE_LIMIT", "") or ""))
    except RateError as exc:
        errors.append(Error(str(exc), id="core.E001"))
    for proxy in getattr(settings, "TRUSTED_PROXIES", ()) or ():
        try:
            ipaddress.ip_network(str(proxy).strip(), strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES holds {proxy!r}, which is not an address or network.",
                    hint="Give addresses or networks, e.g. 10.0.0.5 or 10.0.0.0/8.",
                    id="core.E002",
                )
            )
    return errors
