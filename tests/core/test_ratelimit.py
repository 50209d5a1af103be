"""The pages' rate limit per client address (core.ratelimit; issue 12, item 14)."""

import socket

import pytest
from django.core.cache import cache, caches
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from core import ratelimit
from core.cache import FailSoftRedisCache
from core.ratelimit import client_address, parse_rate
from tests.factories import UserFactory
from tests.helpers import HungServer

pytestmark = pytest.mark.django_db


def page(language="en"):
    with translation.override(language):
        return reverse("transparency:methodology")


@override_settings(PAGE_RATE_LIMIT="3/60")
def test_an_address_asking_too_many_pages_gets_a_translated_429_with_retry_after(client):
    for _ in range(3):
        assert client.get(page()).status_code == 200
    refused = client.get(page("sq"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-cache" in refused["Cache-Control"]
    with translation.override("sq"):
        assert translation.gettext("Too many requests") in refused.content.decode()
    # Another address is not affected, nor is the API (DRF's own throttles).
    assert client.get(page(), REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200


@override_settings(PAGE_RATE_LIMIT="3/60")
def test_signed_in_people_behind_another_address_are_not_slowed_by_a_hammering_one(client):
    for _ in range(10):
        client.get(page(), REMOTE_ADDR="203.0.113.9")
    member = type(client)()
    member.force_login(UserFactory())
    assert member.get(page(), REMOTE_ADDR="198.51.100.7").status_code == 200


@override_settings(PAGE_RATE_LIMIT="0")
def test_zero_turns_it_off(client):
    for _ in range(5):
        assert client.get(page()).status_code == 200


@override_settings(PAGE_RATE_LIMIT="2/60")
def test_it_fails_open_when_the_cache_does_not_answer(client, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    monkeypatch.setattr(ratelimit, "cache", dead)
    for _ in range(5):
        assert client.get(page()).status_code == 200


@override_settings(PAGE_RATE_LIMIT="2/60")
def test_it_fails_open_when_redis_hangs(client, monkeypatch):
    server = HungServer()
    try:
        hung = FailSoftRedisCache(
            f"redis://127.0.0.1:{server.port}/0",
            {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
        )
        monkeypatch.setattr(ratelimit, "cache", hung)
        for _ in range(5):
            assert client.get(page()).status_code == 200
    finally:
        server.close()


class _RaisingCache:
    """A cache whose every call raises (another backend than ours, broken)."""

    def __getattr__(self, name):
        def broken(*args, **kwargs):
            raise ConnectionError("down")

        return broken


@override_settings(PAGE_RATE_LIMIT="2/60")
def test_it_fails_open_when_the_cache_raises(client, monkeypatch):
    monkeypatch.setattr(ratelimit, "cache", _RaisingCache())
    for _ in range(5):
        assert client.get(page()).status_code == 200


def test_a_counted_request_is_one_round_trip_to_redis(monkeypatch):
    """One MULTI/EXEC (SET NX EX, INCR) per request, the window's first included (it was INCR,
    or EXISTS then INCRBY, then SET NX on the first count: two or three round trips)."""
    from redis.connection import AbstractConnection

    if not isinstance(caches["default"], FailSoftRedisCache):
        pytest.skip("the cache is Redis in production and CI (REDIS_URL)")

    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    cache.get("warm")  # the connection is made (and checked) before counting
    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    for expected in (True, True, False):
        sent.clear()
        allowed, retry_after = ratelimit.hit("192.0.2.55", limit=2, period=60, now=1_000_000.0)
        assert (allowed, len(sent)) == (expected, 1)
    assert retry_after == 20


@pytest.mark.parametrize("backend", ["default", "memory"])
def test_the_counter_counts_in_one_window_that_the_first_count_opens(backend):
    """core.cache.count: 1, 2, 3... for one key; the first count gives it its time to live,
    the next ones do not extend it."""
    from django.core.cache.backends.locmem import LocMemCache

    from core.cache import count

    target = caches["default"] if backend == "default" else LocMemCache("ratelimit-test", {})
    assert [count(target, "counter-test", 30) for _ in range(3)] == [1, 2, 3]
    assert target.get("counter-test") == 3
    if isinstance(target, FailSoftRedisCache):
        client = target._cache.get_client(write=True)
        key = target.make_and_validate_key("counter-test")
        assert 28 <= client.ttl(key) <= 30
        client.expire(key, 5)
        count(target, "counter-test", 30)
        assert client.ttl(key) <= 5  # not extended


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/en/", **extra)


def test_x_forwarded_for_is_believed_only_from_trusted_proxies():
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_address(_request("198.51.100.1", "1.2.3.4")) == "198.51.100.1"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"]):
        # The right-most address that is not one of our proxies; what the client wrote before it is not believed.
        assert client_address(_request("127.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"
        assert client_address(_request("198.51.100.1", "1.2.3.4")) == "198.51.100.1"  # not from a proxy
        assert client_address(_request("127.0.0.1")) == "127.0.0.1"
        assert client_address(_request("127.0.0.1", "garbage")) == "127.0.0.1"


@override_settings(PAGE_RATE_LIMIT="2/60", TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_each_client_is_counted_apart(client):
    for _ in range(2):
        assert client.get(page(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get(page(), HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert client.get(page(), HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200


def test_parse_rate():
    assert parse_rate("600/60") == (600, 60)
    assert parse_rate("0") == (0, 0)
    assert parse_rate("") == (0, 0)
    with pytest.raises(ratelimit.RateError):
        parse_rate("many")


def test_ipv6_clients_are_counted_per_64_network_and_mapped_ipv4_as_ipv4():
    """One IPv6 client holds a whole /64: counting each address apart let it change address on
    every request and never be refused."""
    bucket = ratelimit.counted_as
    assert bucket("2001:db8:1:2:aaaa::1") == bucket("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert bucket("2001:db8:1:3::1") != bucket("2001:db8:1:2::1")
    assert bucket("::ffff:203.0.113.7") == bucket("203.0.113.7") == "203.0.113.7"
    assert bucket("not an address") == "not an address"


@override_settings(PAGE_RATE_LIMIT="2/60")
def test_an_ipv6_client_changing_address_within_its_64_is_still_refused(client):
    for i in range(2):
        assert client.get(page(), REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").status_code == 200
    assert client.get(page(), REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    assert client.get(page(), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_malformed_settings_stop_the_process_at_start_not_every_request(settings):
    from core.checks import rate_limit_settings

    assert rate_limit_settings(None) == []
    settings.PAGE_RATE_LIMIT = "lots"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.example"]
    assert {e.id for e in rate_limit_settings(None)} == {"core.E001", "core.E002"}
