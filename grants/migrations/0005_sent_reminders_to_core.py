"""The reminders grants sent move to the kernel's `core.SentReminder` (`core.reminders`), their
kinds namespaced ("call_closing" → "grants.call_closing"), so that none goes a second time."""

from django.db import migrations


def forwards(apps, schema_editor):
    Old = apps.get_model("grants", "SentReminder")
    New = apps.get_model("core", "SentReminder")
    rows = [
        New(kind=f"grants.{row.kind}", object_id=row.object_id, user_id=row.user_id, sent_at=row.sent_at)
        for row in Old.objects.iterator()
    ]
    New.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    # auto_now_add ignored the old times: put them back.
    for row in Old.objects.iterator():
        New.objects.filter(kind=f"grants.{row.kind}", object_id=row.object_id, user_id=row.user_id).update(
            sent_at=row.sent_at
        )


def backwards(apps, schema_editor):
    Old = apps.get_model("grants", "SentReminder")
    New = apps.get_model("core", "SentReminder")
    Old.objects.bulk_create(
        [
            Old(
                kind=row.kind.removeprefix("grants."),
                object_id=row.object_id,
                user_id=row.user_id,
                sent_at=row.sent_at,
            )
            for row in New.objects.filter(kind__startswith="grants.").iterator()
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_sent_reminder"),
        ("grants", "0004_status_changes_to_core"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="SentReminder"),
    ]
