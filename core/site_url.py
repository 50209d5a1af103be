"""The address of the portal in links that leave it (emails).

Production sets `SITE_URL` (the settings refuse to start without it). In development it may
stay unset: links then follow the host the current request came to (so a portal run on
another host or port mails links to itself), and outside a request (a Celery worker, beat)
the host given to `make run HOST=…` (`DEV_SITE_URL`).
"""

from contextvars import ContextVar

from django.conf import settings

_request_base_url: ContextVar[str] = ContextVar("cea_request_base_url", default="")


def site_url() -> str:
    """ "https://portal.example.org" (no trailing slash) for links in emails."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    return _request_base_url.get() or settings.DEV_SITE_URL.rstrip("/")


class RequestSiteURLMiddleware:
    """Development without `SITE_URL`: remembers the request's scheme and host for
    `site_url()` while the request runs (eager Celery tasks run inside it too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SITE_URL:
            return self.get_response(request)
        token = _request_base_url.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_base_url.reset(token)
