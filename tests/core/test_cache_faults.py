"""Redis refusing or hung (issue 12, items 4 and 15): the cache fails soft everywhere.

Two faults, both on 127.0.0.1 only and without touching the real Redis:
- `refusing`: a port nobody listens on (every connection is refused);
- `hung`: a local TCP server that accepts connections and never answers (Redis stopped
  with SIGSTOP, or a network that drops the replies).
"""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from core.cache import FailSoftRedisCache
from core.sessions import SessionStore
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.giving.factories import public_report_data
from tests.helpers import HungServer, refusing_port

pytestmark = pytest.mark.django_db

BACKEND = "core.cache.FailSoftRedisCache"
TIMEOUT = 0.3  # the socket timeouts of the test cache: short, so that the hung case is quick


def _caches(port: int) -> dict:
    return {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "cea",
            "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
        }
    }


@pytest.fixture(params=["refusing", "hung"])
def broken_cache(request):
    """The default cache (and so sessions, allauth's and the API's rate limits) on a Redis
    that refuses or hangs."""
    server = None
    if request.param == "refusing":
        port = refusing_port()
    else:
        server = HungServer()
        port = server.port
    with override_settings(CACHES=_caches(port), SESSION_ENGINE="core.sessions"):
        yield request.param
    if server is not None:
        server.close()


def test_the_broken_cache_is_really_broken(broken_cache):
    backend = caches["default"]
    client = backend._cache.get_client("k")
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - redis' ConnectionError or TimeoutError
        client.get("k")
    assert time.monotonic() - started < 5


def test_cache_calls_answer_misses_and_no_ops(broken_cache, caplog):
    assert isinstance(caches["default"], FailSoftRedisCache)
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is True  # as a cache that forgets at once: nothing was there
    assert cache.set_many({"a": 1}) == []
    assert cache.get_or_set("k", 5) == 5
    assert cache.has_key("k") is False
    assert "k" not in cache
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    cache.delete_many(["a"])
    cache.clear()
    with pytest.raises(ValueError):
        cache.incr("k")
    assert any("cache" in r.getMessage().lower() for r in caplog.records)


def test_a_dead_cache_is_skipped_for_a_while_so_requests_stay_fast(broken_cache):
    cache.get("k")  # the first call finds it out (at most the socket timeouts)
    started = time.monotonic()
    for _ in range(50):
        cache.get("k")
        cache.set("k", 1)
    assert time.monotonic() - started < 0.5


def test_login_works(broken_cache, client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_a_wrong_password_is_refused_not_a_500(broken_cache, client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_the_api_answers(broken_cache):
    response = APIClient().get("/api/v1/organizations/")
    assert response.status_code == 200


def test_the_api_answers_a_token(broken_cache):
    from tests.core.test_api_infra import make_token

    _token, key = make_token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/organizations/").status_code == 200


def test_the_giving_report_form_is_received(broken_cache, client):
    response = client.post(reverse("giving:report_gift"), public_report_data())
    assert response.status_code == 302


def test_sign_in_and_sign_out(broken_cache, client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get(reverse("accounts:dashboard")).status_code == 302


# --- item 15: a sign-out during a Redis hang is not undone when Redis answers again ---------


@override_settings(SESSION_ENGINE="core.sessions")
def test_a_sign_out_while_the_cache_hangs_wins_when_it_answers_again(client):
    """The copy of the session stays in the cache (the delete could not reach it); when the
    cache answers again, the copy is refused because its database row is gone."""
    user = UserFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    store = SessionStore(key)
    assert store._cache.get(store.cache_key)  # the copy in the (working) cache

    server = HungServer()
    try:
        with override_settings(CACHES=_caches(server.port)):
            assert client.post(reverse("account_logout")).status_code == 302
    finally:
        server.close()
    assert not Session.objects.filter(session_key=key).exists()

    # The cache answers again, and still holds the copy the sign-out could not delete.
    assert SessionStore(key)._cache.get(store.cache_key)
    client.cookies["sessionid"] = key
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert SessionStore(key)._cache.get(store.cache_key) is None  # and dropped


def test_one_redis_client_per_connection_pool():
    """Django's backend builds a redis.Redis (copying its ~170 response callbacks) for every call;
    ours keeps one per pool (several cache calls on every page)."""
    backend = FailSoftRedisCache("redis://127.0.0.1:6379/0", {})
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client("any", write=False) is client
