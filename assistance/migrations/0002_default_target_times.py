"""The default target answer times (working days), which staff change in the admin."""

from django.db import migrations

# (urgent, normal, not urgent) working days per category.
DEFAULTS = {
    "legal": (2, 5, 10),
    "registration": (2, 5, 10),
    "fundraising": (3, 10, 15),
    "finance": (3, 7, 15),
    "communications": (3, 7, 15),
    "technical": (3, 10, 15),
}


def seed(apps, schema_editor):
    TargetTime = apps.get_model("assistance", "TargetTime")
    for category, (urgent, normal, low) in DEFAULTS.items():
        for urgency, days in (("urgent", urgent), ("normal", normal), ("low", low)):
            TargetTime.objects.get_or_create(category=category, urgency=urgency, defaults={"working_days": days})


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
