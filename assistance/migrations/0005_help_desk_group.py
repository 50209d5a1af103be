"""The help desk team: the "unassigned request" reminders go to the members of this group who
are active staff with a second factor (assistance.services.reminders.help_desk_staff); while it
has none, they go to every active staff member. KCSF adds people to it in admin."""

from django.db import migrations

GROUP = "Help desk"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("assistance", "0004_mentoring"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
