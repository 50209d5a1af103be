"""Rate limits of the API: one for anonymous clients (per address), one per partner token.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` ("anon", "token") and are
read on every request, so `override_settings` changes them (DRF's own classes freeze
the rates when the module is imported).

Counting is atomic: a counter per client and fixed window (e.g. the current minute) that
the cache creates with `add` and increments with `incr` — DRF's own history (read the list,
append, write it back) let concurrent requests read the same count, and 681 of 1,500
requests passed a 600/min token at 20-way concurrency. A fixed window lets a client send up
to twice the rate across a window's edge; that is the price of one atomic step per request.
When the cache does not answer, requests go through (a rate limit is not worth an outage).

The anonymous client's address is `REMOTE_ADDR`, or with `NUM_PROXIES` (settings, from the
environment) set to the number of reverse proxies in front of the portal, the address the
last of them put in `X-Forwarded-For`; never what the client itself sent there.
"""

import logging
import math

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)


class _RatesFromSettingsMixin:
    scope: str

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No default throttle rate set for '{self.scope}' scope") from None


class _FixedWindowMixin:
    """`allow_request` and `wait` of SimpleRateThrottle, counted with add + incr."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self.window_ends = (window + 1) * self.duration
        key = f"{self.key}:{window}"
        try:
            self.cache.add(key, 0, self.duration + 1)
            count = self.cache.incr(key)
        except ValueError:  # gone between add and incr, or a cache that did not answer
            return True
        except Exception:  # any cache failure: let the request through
            logger.warning("API throttle: the cache did not answer; request let through", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        return max(1, math.ceil(self.window_ends - self.timer()))


class AnonBurstThrottle(_RatesFromSettingsMixin, _FixedWindowMixin, AnonRateThrottle):
    """Anonymous clients, keyed by address (see NUM_PROXIES above)."""

    scope = "anon"


class TokenThrottle(_RatesFromSettingsMixin, _FixedWindowMixin, SimpleRateThrottle):
    """Per API token (partners); session users share the token rate keyed by user."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "pk"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous: AnonBurstThrottle applies
        return self.cache_format % {"scope": self.scope, "ident": ident}
