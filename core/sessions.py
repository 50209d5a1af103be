"""The session engine when Redis is configured: Django's `cached_db` (sessions are stored in
the database and read from the cache, which saves a query on every signed-in request: about
0.5 ms of a 5-6 ms staff page here), made safe for a cache that does not answer.

Django's own `cached_db` already falls back to the database when a read from the cache
fails, but raises when it then writes the copy back, when it asks the cache whether a key
exists and when it deletes the copy: with Redis down, every signed-in page, sign-in and
sign-out would fail. Here each of those logs a warning and goes on with the database.

A sign-out must win, even against a cache that did not answer when the session was
deleted (Redis hung, or down and back with its data) and that still holds a copy: the copy
is deleted first, then the row, and a copy is used only while its database row exists (one
small query on the primary key, without the session data; a copy whose row is gone is
dropped and the session is empty). The copy still saves reading and decoding the data, and
lives at most `CACHE_SECONDS`.

The project runs under WSGI: the async methods are Django's, unchanged.

Without Redis the project keeps the plain database engine (config/settings.py): a cache in
each process would keep copies that a sign-out in another process cannot delete.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    def _cache_seconds(self, **expiry) -> int:
        return max(0, min(self.get_expiry_age(**expiry), CACHE_SECONDS))

    def _keep_copy(self, data, seconds: int) -> None:
        try:
            self._cache.set(self.cache_key, data, seconds)
        except Exception:
            logger.warning("Could not keep a copy of a session in the cache", exc_info=True)

    def _row_exists(self) -> bool:
        return self.model.objects.filter(
            session_key=self.session_key, expire_date__gt=timezone.now()
        ).exists()

    def _forget_copy(self, session_key) -> None:
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning("Could not delete the cached copy of a deleted session", exc_info=True)

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - as Django's cached_db: any failure reads the database
            data = None
        if data is not None and not self._row_exists():
            # A copy that outlived its row (a sign-out the cache did not hear of): refused.
            self._forget_copy(self.session_key)
            self._session_key = None
            return {}
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._keep_copy(data, self._cache_seconds(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("Could not ask the cache for a session", exc_info=True)
        return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        self._keep_copy(self._session, self._cache_seconds())

    def delete(self, session_key=None):
        # The copy first: a request reading the session between the two finds no row.
        key = session_key or self.session_key
        if key is not None:
            self._forget_copy(key)
        DBStore.delete(self, session_key)
