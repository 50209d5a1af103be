"""The API throttles (issue 12): the anonymous one keys on the client address the last
trusted proxy saw, not on a header anyone can send (item 10); both count atomically, so
concurrent requests cannot pass the rate (item 16); and both let requests through when the
cache does not answer."""

import threading
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from core.api.throttling import AnonBurstThrottle, TokenThrottle
from tests.core.test_api_infra import API_LIST, make_token, small_rates

pytestmark = pytest.mark.django_db


# --- item 10: X-Forwarded-For ------------------------------------------------------------


def test_num_proxies_comes_from_the_environment_and_is_0_by_default():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_a_forged_x_forwarded_for_does_not_buy_a_new_allowance():
    client = APIClient()
    with small_rates(anon="2/min"):
        statuses = [client.get(API_LIST, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 429, 429, 429]


def test_behind_one_proxy_the_address_it_appended_counts():
    client = APIClient()
    rest = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "token": "3/min"},
    }
    with override_settings(REST_FRAMEWORK=rest):
        # The client forges the first entries; the proxy appends the address it saw.
        forged = [
            client.get(API_LIST, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7").status_code
            for n in range(3)
        ]
        other = client.get(API_LIST, HTTP_X_FORWARDED_FOR="10.9.9.1, 198.51.100.8").status_code
    assert forged == [200, 200, 429]
    assert other == 200


# --- item 16: atomic counting --------------------------------------------------------------


class SlowCache:
    """The test cache with a little network latency: DRF's read-then-write history lets
    concurrent requests read the same count."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        attr = getattr(self.real, name)
        if not callable(attr):
            return attr

        def slow(*args, **kwargs):
            time.sleep(0.002)
            return attr(*args, **kwargs)

        return slow


def _admitted(throttle_class, request_for, *, threads=20, per_thread=10) -> int:
    admitted = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def client():
        start.wait()
        for _ in range(per_thread):
            throttle = throttle_class()
            throttle.cache = SlowCache(cache)
            allowed = throttle.allow_request(request_for(), None)
            with lock:
                admitted.append(allowed)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(admitted)


def _anonymous_request():
    return Request(APIRequestFactory().get(API_LIST, REMOTE_ADDR="192.0.2.50"))


def test_concurrent_anonymous_requests_do_not_pass_the_rate():
    with small_rates(anon="30/min"):
        assert _admitted(AnonBurstThrottle, _anonymous_request) == 30


def test_concurrent_token_requests_do_not_pass_the_rate():
    token, _key = make_token()

    def request_for():
        request = Request(APIRequestFactory().get(API_LIST))
        request._authenticator, request._user, request._auth = None, token.created_by, token
        return request

    with small_rates(token="40/min"):
        assert _admitted(TokenThrottle, request_for) == 40


def test_the_wait_is_the_rest_of_the_window():
    throttle = AnonBurstThrottle()
    with small_rates(anon="1/min"):
        throttle = AnonBurstThrottle()
        assert throttle.allow_request(_anonymous_request(), None)
        assert not throttle.allow_request(_anonymous_request(), None)
        assert 1 <= throttle.wait() <= 60


class DownCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_cache_that_does_not_answer_lets_requests_through():
    with small_rates(anon="1/min"):
        throttle = AnonBurstThrottle()
        throttle.cache = DownCache()
        assert all(throttle.allow_request(_anonymous_request(), None) for _ in range(3))


def test_the_next_window_has_a_new_allowance(monkeypatch):
    from core.api import throttling

    now = [1_800_000_059.0]
    monkeypatch.setattr(throttling._FixedWindowMixin, "timer", lambda self: now[0], raising=False)
    with small_rates(anon="1/min"):
        throttle = AnonBurstThrottle()
        assert throttle.allow_request(_anonymous_request(), None)
        assert not throttle.allow_request(_anonymous_request(), None)
        assert throttle.wait() == 1
        now[0] += 1  # the next minute
        assert throttle.allow_request(_anonymous_request(), None)
