"""Celery beat's scheduler: django-celery-beat's DatabaseScheduler that survives a database
outage (settings: CELERY_BEAT_SCHEDULER = "core.beat:ResilientDatabaseScheduler").

The stock scheduler lets a database error escape from a tick (reading the schedule again when
it changed, or every five minutes, or saving an entry when a task came due), and beat exits:
with nothing to send the outbox and the lost jobs again, emails stay pending and jobs queued.
Here a database error during a tick or a sync is logged, the broken connection is closed
and the tick is tried again a few seconds later; entries not saved are saved on a later sync.
Beat still runs under a supervisor that restarts it (deploy/systemd/), for what this does not
cover (the database down when beat starts, the process killed).
"""

import datetime
import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import Error as DatabaseError
from django.db import close_old_connections, connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


def _drop_broken_connections() -> None:
    """Close every opened connection, so that the next query opens a fresh one (beat never
    runs in a transaction; a connection inside one, as in tests, is left alone)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close()
        except DatabaseError:  # closing a connection to a server that is gone
            connection.connection = None


class ResilientDatabaseScheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        try:
            return super().tick(*args, **kwargs)
        except DatabaseError as exc:
            logger.warning(
                "Beat: the database is unavailable (%s); trying again in %s s", exc, RETRY_AFTER_SECONDS
            )
            _drop_broken_connections()
            # Read the whole schedule again on the next tick (a failed read set the time of
            # the last full read already).
            self._last_full_sync = datetime.datetime.min
            return RETRY_AFTER_SECONDS

    def sync(self):
        """Save the entries that ran (their last run and count); an entry is forgotten only
        once saved, so a database error leaves the rest for the next sync."""
        try:
            close_old_connections()
            while self._dirty:
                name = next(iter(self._dirty))
                entry = self._schedule.get(name)
                if entry is not None:
                    try:
                        entry.save()
                    except (TypeError, ObjectDoesNotExist):  # removed from the admin meanwhile
                        pass
                self._dirty.discard(name)
        except DatabaseError as exc:
            logger.warning("Beat: could not save the schedule (%s); trying again later", exc)
            _drop_broken_connections()
