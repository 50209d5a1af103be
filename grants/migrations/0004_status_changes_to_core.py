"""The application's status history moves to the one audit table of every workflow,
core.StatusChange (core.workflow): each grants.StatusChange row is copied (same actor, note
and time) and grants.StatusChange is removed. Reversible: the rows of the workflow
"grants.application" are copied back."""

from django.db import migrations

WORKFLOW = "grants.application"
BATCH = 1000


def _application_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="grants", model="application")[0]


def to_core(apps, schema_editor):
    Old = apps.get_model("grants", "StatusChange")
    New = apps.get_model("core", "StatusChange")
    # Keep each row's time: created_at is auto_now_add (this migration's copy of the model only).
    created_at = New._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        _copy(Old, New, _application_type(apps))
    finally:
        created_at.auto_now_add = True


def _copy(Old, New, content_type):
    batch = []
    for old in Old.objects.order_by("created_at", "pk").iterator(chunk_size=BATCH):
        batch.append(
            New(
                content_type=content_type,
                object_id=old.application_id,
                workflow=WORKFLOW,
                from_status=old.from_status or "",
                to_status=old.to_status,
                actor_id=old.actor_id,
                note=old.note,
                created_at=old.created_at,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


def to_grants(apps, schema_editor):
    Old = apps.get_model("grants", "StatusChange")
    New = apps.get_model("core", "StatusChange")
    rows = New.objects.filter(workflow=WORKFLOW, content_type=_application_type(apps))
    Old.objects.bulk_create(
        [
            Old(
                application_id=row.object_id,
                from_status=row.from_status,
                to_status=row.to_status,
                actor_id=row.actor_id,
                note=row.note,
                created_at=row.created_at,
            )
            for row in rows.order_by("created_at", "pk")
        ],
        batch_size=BATCH,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_statuschange_idempotencykey"),
        ("grants", "0003_grant_reviewers_group"),
    ]

    operations = [
        migrations.RunPython(to_core, to_grants),
        migrations.DeleteModel(name="StatusChange"),
    ]
