"""A per-client-address rate limit for the HTML pages.

Anonymous clients hammering a page (200 hits on /en/giving/ moved a signed-in person's page
from 10 ms to 660 ms) are answered 429, with a translated page and `Retry-After`, once an
address has made more than `PAGE_RATE_LIMIT` requests (default "600/60": 600 per 60 seconds,
ten a second, far above what a person clicking through pages or a school behind one address
does). "0" turns it off.

The count is one counter per address and window in the cache (Redis in production), counted
in one round trip (core.cache.count): cheap, shared by every worker. When the cache does not
answer (core.cache.FailSoftRedisCache: refused, or hung past its socket timeout) or raises,
the limit fails open: every request goes through.

The client's address is REMOTE_ADDR, unless it is one of `TRUSTED_PROXIES` (addresses or
networks of the reverse proxies in front of the portal): then the right-most address of
X-Forwarded-For that is not itself a trusted proxy. Without trusted proxies the header,
which any client can send, is ignored.

IPv6 clients are counted per /64 network (`counted_as`).

The API (/api/, DRF's own throttles), static and media files and the health check are not
counted here.
"""

import ipaddress
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from core.cache import count as counter

logger = logging.getLogger(__name__)

KEY_PREFIX = "ratelimit:page:"
DEFAULT_RATE = "600/60"
EXEMPT_PREFIXES = ("/api/", "/healthz")


class RateError(ValueError):
    pass


def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) from "600/60" ("0" or "" turns the limit off: (0, 0))."""
    rate = (rate or "").strip()
    if rate in ("", "0", "off"):
        return 0, 0
    try:
        count, _slash, period = rate.partition("/")
        count, period = int(count), int(period or 60)
    except ValueError:
        raise RateError(f"PAGE_RATE_LIMIT must read like 600/60, not {rate!r}") from None
    if count < 0 or period < 1:
        raise RateError(f"PAGE_RATE_LIMIT must read like 600/60, not {rate!r}")
    return count, period


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The address of the client (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # garbage where the proxy should have written an address
    return remote


def counted_as(address: str) -> str:
    """What one counter counts: an IPv4 address (an IPv4-mapped IPv6 one read as IPv4), or the
    /64 network of an IPv6 address — one client (a home, a server) holds a whole /64 and could
    otherwise take a new address for every request."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _exempt(path: str) -> bool:
    static = settings.STATIC_URL or "/static/"
    media = settings.MEDIA_URL or "/media/"
    return path.startswith((static, media, *EXEMPT_PREFIXES))


def hit(address: str, *, limit: int, period: int, now: float | None = None) -> tuple[bool, int]:
    """Count a request of `address`: (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    key = f"{KEY_PREFIX}{address}:{window}"
    try:
        count = counter(cache, key, period + 1)  # one round trip to Redis (core.cache.count)
    except Exception:  # a cache that fails is no reason to refuse anyone
        logger.warning(
            "Page rate limit: the cache did not answer; letting the request through", exc_info=True
        )
        return True, retry_after
    return count <= limit, retry_after


class PageRateLimitMiddleware:
    """429 for an address that asks for too many pages (see the module docstring). After
    LocaleMiddleware, so that the refusal is in the page's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit, period = parse_rate(getattr(settings, "PAGE_RATE_LIMIT", DEFAULT_RATE))
        if limit and not _exempt(request.path_info):
            allowed, retry_after = hit(counted_as(client_address(request)), limit=limit, period=period)
            if not allowed:
                return too_many_requests(request, retry_after)
        return self.get_response(request)


def too_many_requests(request, retry_after: int):
    response = render(request, "errors/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
