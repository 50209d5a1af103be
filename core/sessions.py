"""The session engine when Redis is configured: Django's `cached_db` (sessions are stored in
the database and read from the cache, which saves a query on every signed-in request: about
0.5 ms of a 5-6 ms staff page here), made safe for a cache that does not answer.

Django's own `cached_db` already falls back to the database when a read from the cache
fails, but raises when it then writes the copy back, when it asks the cache whether a key
exists and when it deletes the copy: with Redis down, every signed-in page, sign-in and
sign-out would fail. Here each of those logs a warning and goes on with the database.

The copy in the cache lives at most `CACHE_SECONDS`. That bounds the one thing a cache that
did not answer can leave behind: a copy of a session that was deleted from the database
(a sign-out, a new key at sign-in) while Redis could not be reached, and that Redis still
held when it answered again.

The project runs under WSGI: the async methods are Django's, unchanged.

Without Redis the project keeps the plain database engine (config/settings.py): a cache in
each process would keep copies that a sign-out in another process cannot delete.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

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

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - as Django's cached_db: any failure reads the database
            data = None
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
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning("Could not delete the cached copy of a deleted session", exc_info=True)
