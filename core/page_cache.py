"""Whole public pages kept in the cache for anonymous visitors, until the data behind them changes.

A public page declares it with the view, under its permission::

    @public
    @anonymous_cache(topics=[ORGANIZATIONS, GIVING], query=("municipality", "page"))
    def dashboard(request): ...

An anonymous GET of the page is then answered from the cache, keyed per language, path and
normalised query string, and filed under `topics` exactly as `core.fragments` files its
fragments: the apps' receivers `touch()` a topic when a record, a call, an organisation or a
report changes, which makes every page filed under it out of date at once, in every language
(the next request builds it again). Topics may name URL arguments (``"grants.call.{slug}"``)
or be a callable ``topics(request, **url_kwargs)``.

What is never cached (decided here, in one place):
- requests of anyone who may be signed in or has something per person waiting (a session
  cookie, a messages cookie), and any method but GET/HEAD: they are built as usual;
- query strings with a parameter the page does not declare, one given twice or a value longer
  than MAX_VALUE_LENGTH (nobody can fill the cache with variants of a URL); `page` must be a
  plain positive number; and past PAGE_CACHE_MAX_VARIANTS new copies of one page in a window
  (a client cycling through the values of a declared parameter), pages are built, not kept;
- responses other than a 200 HTML page; responses that set a cookie, carry messages, used a
  CSP nonce or the user's session, or contain a CSRF token (that last one is a bug in the
  page: a form that posts gets its token when it is shown to someone who can post — it is
  logged as an error and the page is not stored).

The decorator may sit above a permission declaration (core.permissions) when the answer of
that permission for a visitor depends only on data filed under the topics (e.g. "the call is
published"): a visitor's copy was built after the same check for a visitor, and a hit then
skips loading the object. The declaration's marker is kept (functools.wraps).

A view may shorten how long its page is kept (say, until the next call opens or closes) by
setting ``response.page_cache_timeout`` (seconds). When the cache does not answer (Redis down
or hung, core.cache.FailSoftRedisCache), pages are built every time. ``PAGE_CACHE_SECONDS``
(0 turns the cache off) bounds how long a page that no topic touches can stay.
"""

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from core import fragments
from core.cache import count

logger = logging.getLogger(__name__)

KEY_PREFIX = "page:"
HEADER = "X-Page-Cache"  # "hit" or "miss" on pages that may be cached (tests, the benchmark)
MESSAGES_COOKIE = "messages"
CSRF_MARKERS = (b"csrfmiddlewaretoken", b"X-CSRFToken")
KEPT_HEADERS = ("Content-Type", "Content-Language")
MAX_PAGE = 10**6
MAX_VALUE_LENGTH = 64  # a longer value of a declared parameter is no filter anyone picks: not kept
MAX_VARIANTS = 500  # new copies of one page a window (PAGE_CACHE_MAX_VARIANTS); then pages are built

# Topics of the public data; each app touches its own from its receivers.
ORGANIZATIONS = "pages.organizations"
GIVING = "pages.giving"
TRANSPARENCY = "pages.transparency"
GRANTS = "pages.grants"
REFERENCE = "pages.reference"  # municipalities, sectors (core reference data)
VOLUNTEERING = "pages.volunteering"
DIALOGUE = "pages.dialogue"
ACADEMY = "pages.academy"
ASSISTANCE = "pages.assistance"
# Home, the directory and an organisation's profile show every app's data (the profile through
# organizations.extensions' snippets: open opportunities, commitments, ...).
EVERYTHING = (
    ORGANIZATIONS,
    GIVING,
    TRANSPARENCY,
    GRANTS,
    REFERENCE,
    VOLUNTEERING,
    DIALOGUE,
    ACADEMY,
    ASSISTANCE,
)


def timeout_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 600))


def may_serve(request) -> bool:
    """Whether `request` is an anonymous visitor's GET with nothing per person waiting."""
    if request.method not in ("GET", "HEAD") or timeout_seconds() <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def query_key(query, allowed: Iterable[str], search: Iterable[str] = ()) -> str | None:
    """The query string in a normal form (sorted, without empty values), or None when the page
    must not be cached for it (an undeclared parameter, one given twice, an odd page number, a
    search text: any text would be a new variant to keep)."""
    allowed = set(allowed)
    items = []
    for name in query:
        values = query.getlist(name)
        if name not in allowed or len(values) > 1 or len(values[0]) > MAX_VALUE_LENGTH:
            return None
        if values[0] != "":
            if name in search:
                return None
            items.append((name, values[0]))
    page = dict(items).get("page")
    if page is not None:
        if not (page.isdecimal() and page[0] != "0" and int(page) <= MAX_PAGE):
            return None
        if page == "1":
            items.remove(("page", "1"))
    return urlencode(sorted(items))


def _topics(spec, request, kwargs) -> list[str]:
    if callable(spec):
        return list(spec(request, **kwargs))
    return [topic.format(**kwargs) if "{" in topic else topic for topic in spec]


def _key(request, name: str, query: str, topics: list[str]) -> str:
    htmx = "hx" if request.headers.get("HX-Request") else ""
    signature = "\x1f".join([name, translation.get_language() or "", request.path, query, htmx, *topics])
    return f"{KEY_PREFIX}{name}:{hashlib.sha256(signature.encode()).hexdigest()}"


def _response(stored: dict, hit: bool) -> HttpResponse:
    response = HttpResponse(stored["content"], status=200)
    for header, value in stored["headers"].items():
        response[header] = value
    response[HEADER] = "hit" if hit else "miss"
    return response


def _storable(request, response) -> bool:
    """Whether `response` (to an anonymous GET) holds nothing per request."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html") or response.cookies:
        return False
    if response.has_header("Set-Cookie") or getattr(response, "page_cache_timeout", None) == 0:
        return False
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    if getattr(request, "_csp_nonce", None):
        return False  # the nonce belongs to this response's CSP header
    session = getattr(request, "session", None)
    if session is not None and (session.modified or (session.accessed and not session.is_empty())):
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (
        getattr(storage, "_queued_messages", None) or getattr(storage, "_loaded_data", None)
    ):
        return False
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or any(marker in content for marker in CSRF_MARKERS):
        logger.error(
            "The public page %s holds a CSRF token for an anonymous visitor: not cached. Show a form "
            "that posts only to people who may post, or fetch it when it is shown.",
            request.path,
        )
        return False
    return True


def may_keep_another(page_name: str) -> bool:
    """Whether one more copy of the page `page_name` may be kept in this window: declared
    parameters still take any value (municipality=1, 2, 3...), and a client cycling through
    them must not fill the cache. At most PAGE_CACHE_MAX_VARIANTS a window (the page cache's
    timeout), counted in one round trip (core.cache.count). Also for other kept copies keyed on
    a query string (core.fragments.cached's `may_store`). May raise when the cache raises (the
    callers fail soft)."""
    limit = int(getattr(settings, "PAGE_CACHE_MAX_VARIANTS", MAX_VARIANTS))
    window = max(1, timeout_seconds())
    key = f"{KEY_PREFIX}variants:{page_name}:{int(time.time() // window)}"
    return count(cache, key, window + 1) <= limit


def anonymous_cache(
    *,
    topics: Iterable[str] | Callable,
    query: Iterable[str] = (),
    search: Iterable[str] = (),
    name: str | None = None,
):
    """Keep the page of anonymous visitors in the cache under `topics` (see the module
    docstring). `query`: the GET parameters the page reads; others make it uncacheable, and so
    does a non-empty value of one of `search` (free text)."""
    search = frozenset(search)
    allowed = (*query, *search)
    spec = topics if callable(topics) else tuple(topics)

    def decorate(view):
        page_name = name or f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may_serve(request):
                return view(request, *args, **kwargs)
            normal = query_key(request.GET, allowed, search)
            if normal is None:
                return view(request, *args, **kwargs)
            page_topics = _topics(spec, request, kwargs)
            key = _key(request, page_name, normal, page_topics)
            token_keys = [f"{fragments.TOKEN_PREFIX}{topic}" for topic in page_topics]
            try:
                found = cache.get_many([key, *token_keys])
                if any(k not in found for k in token_keys):
                    current = fragments.tokens(page_topics)
                else:
                    current = [str(found[k]) for k in token_keys]
            except Exception:
                logger.warning("Page cache unavailable for %s", request.path, exc_info=True)
                return view(request, *args, **kwargs)
            stored = found.get(key)
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == current:
                response = _response(stored[1], hit=True)
                patch_vary_headers(response, ("Cookie",))  # as the page built for this visitor has
                return response
            response = view(request, *args, **kwargs)
            if request.method == "GET" and _storable(request, response):
                timeout = getattr(response, "page_cache_timeout", None) or timeout_seconds()
                value = {
                    "content": response.content,
                    "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
                }
                try:
                    # Replacing an out-of-date copy adds nothing; a new variant counts.
                    if stored is None and not may_keep_another(page_name):
                        return response
                    cache.set(key, (current, value), min(timeout, timeout_seconds()))
                except Exception:
                    logger.warning("Could not store the page %s", request.path, exc_info=True)
                response[HEADER] = "miss"
            return response

        wrapped.page_cache = {"topics": spec, "query": allowed, "search": search}
        return wrapped

    return decorate


def touch_on_change(topic: str, *models, when: Callable | None = None) -> None:
    """Touch `topic` whenever a row of `models` is saved or deleted through the ORM (services,
    the admin); `when(instance, **signal_kwargs)` may say that a save does not matter. Called from
    an app's `ready()`; bulk `QuerySet.update()`/`bulk_create()` paths touch the topic themselves."""
    from django.db.models.signals import post_delete, post_save

    def receiver(sender, instance, **kwargs):
        if when is None or when(instance, **kwargs):
            fragments.touch(topic)

    for model in models:
        uid = f"page-cache:{topic}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
