"""Idempotency keys move to the kernel (`core.IdempotencyKey`, `core.api.idempotency`):
copy the partner keys, then drop this app's table.

A key's client is "token:<token id>", as `core.api.idempotency.client_of` names it. Only
keys of the last 24 hours (older ones the new helper purges) with a stored answer it
would keep are copied (2xx and 4xx but 400): a claim without an answer belonged to a
request that is gone, and a stored 400 is no longer replayed (the client may correct the
body and retry with the same key).
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def copy_keys(apps, schema_editor):
    Old = apps.get_model("organizations", "IdempotencyKey")
    New = apps.get_model("core", "IdempotencyKey")
    rows = (
        Old.objects.filter(
            response_status__isnull=False, created_at__gte=timezone.now() - timedelta(hours=24)
        )
        .exclude(response_status=400)
        .exclude(response_status__gte=500)
        .order_by("pk")
    )
    batch = []
    for old in rows.iterator(chunk_size=1000):
        batch.append(
            New(
                client=f"token:{old.token_id}",
                scope=old.scope,
                key=old.key,
                request_hash=old.request_hash,
                response_status=old.response_status,
                response_body=old.response_body,
            )
        )
        if len(batch) == 1000:
            New.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.bulk_create(batch, ignore_conflicts=True)
    # auto_now_add set the copies' dates to now: keep the originals', so they expire on time.
    for old in rows.only("token_id", "scope", "key", "created_at", "updated_at").iterator(chunk_size=1000):
        New.objects.filter(client=f"token:{old.token_id}", scope=old.scope, key=old.key).update(
            created_at=old.created_at, updated_at=old.updated_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_statuschange_idempotencykey"),
        ("organizations", "0002_idempotencykey"),
    ]

    operations = [
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.DeleteModel(name="IdempotencyKey"),
    ]
