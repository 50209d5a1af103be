"""The cache backend when Redis is configured: Django's RedisCache that fails soft.

Everything the portal keeps in the cache can be lost (rate-limit counters, fragment tokens,
import progress, copies of sessions whose rows are in the database), but with Django's own
backend a Redis that refuses connections or does not answer turns every call into an
exception, and sign-in (allauth's rate limits), every API request (throttling) and the
public report form answered 500.

Here, when Redis cannot be reached (refused, reset, timed out) a call logs a warning and
answers as a cache that forgets at once: reads miss (`get` gives the default, `get_many`
gives {}, `has_key` False), writes are no-ops (`set`, `set_many`, `delete`, `touch`, `clear`),
`add` says it stored the value (nothing was there: a lock or a counter goes ahead), and
`incr`/`decr` raise ValueError (the key is not there), as for any missing key.

A Redis that hangs costs each call the socket timeout (settings: short). So that a request
does not pay it on every call, after a failure the cache is left alone for `RETRY_SECONDS`
(per process; the option "RETRY_SECONDS" in CACHES' OPTIONS changes it): calls answer at
once as above, and the first call after that tries Redis again. One warning is logged when
Redis stops answering, one when it answers again.

Anything that must not depend on the cache holds its truth elsewhere: sessions are checked
against their database row (core/sessions.py).

Two costs of Django's backend are cut here, for every request makes several cache calls:
- Django builds a new `redis.Redis` client for each call (copying its ~170 response callbacks):
  one client per connection pool is kept instead (they are thread-safe);
- a counter (the pages' rate limit, the variants of a page kept in a window) took two or three
  round trips (`incr` is EXISTS then INCRBY, and `add` on the first count): `count()` takes one.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0

# What a Redis that cannot be reached raises: redis-py's ConnectionError and TimeoutError
# (both RedisError), and an OSError that escaped them.
FAULTS = (RedisError, OSError)


class _ClientPerPool(RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool instead of one per call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _ClientPerPool
        self._down_until = 0.0
        self._lock = threading.Lock()

    # --- the circuit: skip Redis for a while after it failed ---------------------------

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + self.retry_seconds
        if was_up:
            logger.warning(
                "The cache (Redis) did not answer (%s: %s); going on without it, retrying every %ss",
                operation,
                exc,
                self.retry_seconds,
            )

    def _answered(self) -> None:
        if self._down_until:
            with self._lock:
                if self._down_until:
                    self._down_until = 0.0
                    logger.warning("The cache (Redis) answers again")

    def _call(self, operation: str, fallback, *args, **kwargs):
        return self._run(operation, fallback, getattr(super(), operation), *args, **kwargs)

    def _run(self, operation: str, fallback, function, *args, **kwargs):
        if not self._available():
            return fallback()
        try:
            result = function(*args, **kwargs)
        except FAULTS as exc:
            self._failed(operation, exc)
            return fallback()
        self._answered()
        return result

    # --- the cache API -------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", lambda: _missing(key), key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: None)

    def count(self, key, timeout, version=None) -> int:
        """`count(cache, key, timeout)` (below) in one round trip: SET NX EX and INCR in one
        MULTI/EXEC. 1 when Redis does not answer (a cache that forgets at once)."""
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        seconds = None if seconds is None else max(1, seconds)

        def run() -> int:
            pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
            pipeline.set(key, 0, ex=seconds, nx=True)
            pipeline.incr(key)
            return int(pipeline.execute()[1])

        return self._run("count", lambda: 1, run)

    # decr (BaseCache: incr(key, -delta)), get_or_set, __contains__ and the async methods
    # (BaseCache: run the methods above in a thread) go through the methods above.


def count(cache, key: str, timeout: int) -> int:
    """Add one to the counter `key` of `cache` and return its value: the first count makes it
    (1), to live `timeout` seconds from then (later counts do not extend it). One round trip on
    FailSoftRedisCache; on another cache (memory, in development) `add`, then `incr`. A cache
    that does not answer counts 1 (FailSoftRedisCache); one that raises, raises."""
    counter = getattr(cache, "count", None)
    if counter is not None:
        return counter(key, timeout)
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls: this is a new window's first count
        return 1 if cache.add(key, 1, timeout) else cache.incr(key)


def _missing(key):
    raise ValueError(f"Key '{key}' not found (the cache did not answer).")
