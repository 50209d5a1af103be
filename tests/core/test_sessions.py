"""core.sessions: sessions in the database, read from the cache, and still working (from
the database) when the cache does not answer."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import sessions
from core.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class DownCache:
    """A cache whose every call fails, as Redis does when it cannot be reached."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail

    def __contains__(self, key):
        raise ConnectionError("cache down")


class RecordingCache:
    def __init__(self, cache):
        self.cache, self.timeouts = cache, []

    def set(self, key, value, timeout):
        self.timeouts.append(timeout)
        return self.cache.set(key, value, timeout)

    def __getattr__(self, name):
        return getattr(self.cache, name)

    def __contains__(self, key):
        return key in self.cache


def saved_session(**data) -> SessionStore:
    store = SessionStore()
    store.update(data)
    store.save(must_create=True)
    return store


def _reads_session_data(queries) -> bool:
    return any("session_data" in q["sql"].split("FROM")[0] for q in queries.captured_queries)


def test_a_saved_session_is_read_from_the_cache_checking_only_that_its_row_exists():
    key = saved_session(colour="green").session_key
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key)["colour"] == "green"
    assert len(queries) == 1  # issue 12 item 15: the row must still exist (a sign-out wins)
    assert not _reads_session_data(queries)


def test_a_session_not_in_the_cache_is_read_from_the_database_and_kept():
    store = saved_session(colour="green")
    store._cache.delete(store.cache_key)
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key)["colour"] == "green"
    assert len(queries) == 1 and _reads_session_data(queries)
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(store.session_key)["colour"] == "green"
    assert len(queries) == 1 and not _reads_session_data(queries)


def test_a_cached_copy_whose_row_is_gone_is_refused_and_dropped():
    """A sign-out (or an expired row purged) that the cache did not hear of."""
    store = saved_session(colour="green")
    key = store.session_key
    Session.objects.filter(session_key=key).delete()  # the row only: the copy stays
    assert store._cache.get(store.cache_key) is not None
    reader = SessionStore(key)
    assert reader.load() == {}
    assert reader.session_key is None
    assert store._cache.get(store.cache_key) is None


def test_an_expired_row_does_not_keep_its_cached_copy_alive():
    store = saved_session(colour="green")
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now())
    assert SessionStore(store.session_key).load() == {}


def test_a_deleted_session_loses_its_cached_copy_before_its_row(monkeypatch):
    store = saved_session(colour="green")
    order = []
    real_delete = store._cache.delete

    def cache_delete(key, *args, **kwargs):
        order.append(("cache", Session.objects.filter(session_key=store.session_key).exists()))
        return real_delete(key, *args, **kwargs)

    store._cache = type("C", (), {"delete": staticmethod(cache_delete)})()
    store.delete()
    assert order == [("cache", True)]  # the row was still there when the copy went
    assert not Session.objects.filter(session_key=store.session_key).exists()


def test_the_cached_copy_lives_at_most_cache_seconds(monkeypatch):
    store = SessionStore()
    store._cache = recording = RecordingCache(store._cache)
    store["colour"] = "green"
    store.save(must_create=True)
    reader = SessionStore(store.session_key)
    reader._cache.delete(reader.cache_key)
    reader._cache = recording
    reader.load()
    assert recording.timeouts and all(0 < t <= sessions.CACHE_SECONDS for t in recording.timeouts)


def test_a_deleted_session_is_gone_from_cache_and_database():
    store = saved_session(colour="green")
    key = store.session_key
    store.delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}
    assert not SessionStore().exists(key)


def test_with_the_cache_down_sessions_work_from_the_database(caplog):
    store = saved_session(colour="green")
    key = store.session_key
    caplog.set_level(logging.WARNING, logger="core.sessions")

    reader = SessionStore(key)
    reader._cache = DownCache()
    assert reader["colour"] == "green"  # load: read and copy-back both fail
    assert reader.exists(key)

    writer = SessionStore(key)
    writer._cache = DownCache()
    writer["colour"] = "blue"
    writer.save()
    assert SessionStore(key)._get_session_from_db().get_decoded()["colour"] == "blue"

    writer.delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert any("session" in r.getMessage() for r in caplog.records)


def test_with_the_cache_down_a_new_session_is_created():
    store = SessionStore()
    store._cache = DownCache()
    store["colour"] = "green"
    store.save(must_create=True)
    assert Session.objects.filter(session_key=store.session_key).exists()


@override_settings(SESSION_ENGINE="core.sessions")
def test_sign_in_and_sign_out_through_the_site(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert SessionStore(key).load() == {}
    # The old cookie no longer signs anyone in.
    client.cookies["sessionid"] = key
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@override_settings(SESSION_ENGINE="core.sessions")
def test_signed_in_pages_work_with_the_cache_down(client, monkeypatch):
    user = UserFactory()
    client.force_login(user)
    monkeypatch.setattr(SessionStore, "__init__", _init_with_down_cache)
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302


_original_init = SessionStore.__init__


def _init_with_down_cache(self, session_key=None):
    _original_init(self, session_key)
    self._cache = DownCache()
