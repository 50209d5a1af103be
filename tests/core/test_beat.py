"""Issue 12, item 5: Celery beat survives a database outage (core.beat), and ships with a
supervisor that restarts it (deploy/systemd/), which the README's production commands use.

The outage is real for the scheduler: every query on the connection raises
OperationalError (a `connection.execute_wrapper`), as when PostgreSQL restarts."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app
from core.beat import RETRY_AFTER_SECONDS, ResilientDatabaseScheduler

# The scheduler closes connections as beat does: no test transaction around it.
pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
DUE = "resend-pending-email"


def _refuse(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def _scheduler(cls, monkeypatch):
    scheduler = cls(app=app)
    sent = []
    monkeypatch.setattr(
        scheduler, "apply_async", lambda entry, producer=None, advance=False, **kw: sent.append(entry.name)
    )
    # A task comes due, and the schedule is read again on the next tick (as every 5 minutes).
    PeriodicTask.objects.filter(name=DUE).update(
        last_run_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    )
    scheduler._last_full_sync = datetime.datetime.now() - datetime.timedelta(hours=1)
    return scheduler, sent


def _ticks(scheduler, count=40):
    for _ in range(count):
        scheduler.tick()


def test_the_stock_scheduler_dies_on_a_database_outage(monkeypatch):
    """What beat did before: the error escapes the tick, and beat exits."""
    scheduler, _sent = _scheduler(DatabaseScheduler, monkeypatch)
    with connection.execute_wrapper(_refuse), pytest.raises(OperationalError):
        scheduler.tick()


def test_beat_survives_a_database_outage_and_sends_what_came_due(monkeypatch):
    scheduler, sent = _scheduler(ResilientDatabaseScheduler, monkeypatch)
    with connection.execute_wrapper(_refuse):
        for _ in range(3):  # a 10 s outage: a few ticks
            assert scheduler.tick() == RETRY_AFTER_SECONDS
    assert sent == []
    _ticks(scheduler)  # the database is back
    assert DUE in sent
    scheduler.sync()
    assert PeriodicTask.objects.get(name=DUE).total_run_count >= 1


def test_a_sync_during_an_outage_keeps_the_entries_to_save(monkeypatch):
    scheduler, sent = _scheduler(ResilientDatabaseScheduler, monkeypatch)
    _ticks(scheduler)
    assert DUE in sent and DUE in scheduler._dirty
    before = PeriodicTask.objects.get(name=DUE).total_run_count
    with connection.execute_wrapper(_refuse):
        scheduler.sync()  # logged, not raised
    assert DUE in scheduler._dirty
    scheduler.sync()
    assert not scheduler._dirty
    assert PeriodicTask.objects.get(name=DUE).total_run_count == before + 1


def test_the_settings_use_it():
    assert settings.CELERY_BEAT_SCHEDULER == "core.beat:ResilientDatabaseScheduler"


@pytest.mark.parametrize("unit", ["cea-web.service", "cea-worker.service", "cea-beat.service"])
def test_systemd_units_restart_the_processes(unit):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    assert "Restart=always" in text
    assert "ExecStart=" in text


def test_the_readme_runs_production_under_the_supervisor():
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    assert "deploy/systemd/" in production
    assert "systemctl" in production
