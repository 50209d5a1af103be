"""Rendered parts of pages kept in the cache until the data behind them changes.

A fragment is filed under the *topics* it is built from (e.g. `grants.ranking.42`, the
ranking of call 42). Each topic has a token in the cache; a fragment is stored with the
tokens it was built under and served only while they are the current ones, so
`touch(topic)` — a new token — makes every fragment built from the topic out of date at
once. Nothing is ever served from a stale token:

- `touch` renews the tokens at once and again when the transaction commits, so whatever a
  request read before the commit is filed under a token that is already gone;
- a token that the cache evicted comes back as a new one (a miss, never an old hit);
- fragments also expire after `timeout` seconds, which bounds what a change that touches
  no topic (say, a renamed organisation) can leave on screen.

When the cache does not answer (Redis down), the fragment is built every time and the page
still works. Apps decide their topics and touch them from `post_save` / `post_delete`
receivers (see grants/signals.py), so every save through the ORM counts, services and the
admin alike; bulk `QuerySet.update()` calls must touch the topics themselves.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils.http import urlencode

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "fragment-topic:"
KEY_PREFIX = "fragment:"


def _token_keys(topics: Iterable[str]) -> list[str]:
    return [f"{TOKEN_PREFIX}{topic}" for topic in topics]


def tokens(topics: Iterable[str]) -> list[str]:
    """The current token of each topic (new ones are made for topics without one)."""
    keys = _token_keys(topics)
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        for key, token in missing.items():
            cache.add(key, token, None)  # another request may have made one first: keep that
        found.update(cache.get_many(list(missing)))
    return [str(found.get(key, "")) for key in keys]


def touch(*topics: str) -> None:
    """Fragments built from these topics are out of date: new tokens now (so that the rest of
    this transaction, and a test's transaction that never commits, reads afresh) and again
    when the transaction commits (a request that read the data before the commit may have
    filed it under the first new token)."""
    if topics:
        _new_tokens(topics)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _new_tokens(topics))


def _new_tokens(topics) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in _token_keys(topics)}, None)
    except Exception:
        logger.warning("Could not renew the fragment tokens of %s", ", ".join(topics), exc_info=True)


MAX_CACHED_PAGE = 20
UNBOUNDED = 10**6  # every page of a list (a page past the end is the last one: one more variant)


def query_key(query, allowed: Iterable[str], *, max_page: int = MAX_CACHED_PAGE) -> str | None:
    """The query string (a QueryDict) as part of a fragment's key, when it is worth caching a
    page for: only `allowed` parameters, each once, and a page number from 1 to `max_page`.
    None otherwise (unknown parameters, odd pages): such pages are built every time, so
    nobody can fill the cache with variants of a URL."""
    allowed = set(allowed)
    for name in query:
        if name not in allowed or len(query.getlist(name)) > 1:
            return None
    page = query.get("page")
    if page is not None and not (page.isdecimal() and 1 <= int(page) <= max_page):
        return None
    return urlencode(sorted(query.items()))


def cached(
    name: str,
    parts: Iterable,
    *,
    topics: Iterable[str],
    build: Callable,
    timeout: int,
    may_store: Callable[[], bool] | None = None,
):
    """What `build()` returns for `name` and `parts` (e.g. the language and the page), from the
    cache when the topics have not changed since it was built; built and stored otherwise.
    `build()` must return something the cache can pickle (HTML, numbers, small dicts).

    `may_store()`, when given, is asked before a new variant is stored (nothing was kept under
    this key; replacing an out-of-date copy adds nothing): False builds it without keeping it.
    Where `parts` hold a query string, pass core.page_cache.may_keep_another so that one client
    cycling through values cannot fill the cache.

    One round trip to the cache: the fragment is read together with the topics' tokens and
    stored with the tokens it was built under; it counts only if they are still the same."""
    topics = list(topics)
    token_keys = _token_keys(topics)
    signature = "\x1f".join([*map(str, parts), *topics])
    key = f"{KEY_PREFIX}{name}:{hashlib.sha256(signature.encode()).hexdigest()}"
    try:
        found = cache.get_many([key, *token_keys])
        if any(k not in found for k in token_keys):
            current = tokens(topics)  # makes the missing ones (so the fragment is a miss)
        else:
            current = [str(found[k]) for k in token_keys]
    except Exception:
        logger.warning("Fragment cache unavailable for %s", name, exc_info=True)
        return build()
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
        return stored[1]
    value = build()
    try:
        if stored is None and may_store is not None and not may_store():
            return value  # past the cap of new variants in this window: built, not kept
        cache.set(key, (current, value), timeout)
    except Exception:
        logger.warning("Could not store the fragment %s", name, exc_info=True)
    return value
