"""grants 0005: the reminders grants sent move to core.SentReminder with namespaced kinds, their
times kept, so that none goes a second time after the upgrade."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.models import SentReminder
from grants.choices import ReminderKind
from tests.factories import UserFactory

BEFORE, AFTER = ("grants", "0004_status_changes_to_core"), ("grants", "0005_sent_reminders_to_core")


@pytest.fixture
def at_latest_again():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_sent_reminders_move_to_core(at_latest_again):
    user = UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    Old = executor.loader.project_state([BEFORE]).apps.get_model("grants", "SentReminder")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Old.objects.create(kind="call_closing", object_id=10, user_id=user.pk, sent_at=long_ago)
    Old.objects.create(kind="report_overdue", object_id=3, user_id=user.pk, sent_at=long_ago)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])

    rows = {(r.kind, r.object_id, r.user_id): r.sent_at for r in SentReminder.objects.all()}
    assert set(rows) == {
        (ReminderKind.CALL_CLOSING, 10, user.pk),
        (ReminderKind.REPORT_OVERDUE, 3, user.pk),
    }
    assert all(abs(sent_at - long_ago) < datetime.timedelta(seconds=1) for sent_at in rows.values())
    assert "grants_sentreminder" not in connection.introspection.table_names()
