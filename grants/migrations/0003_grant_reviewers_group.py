"""The pool of external reviewers: staff assign reviewers from active staff and the members
of this group (grants.services.assessment.reviewer_pool). KCSF adds experts to it in admin."""

from django.db import migrations

GROUP = "Grant reviewers"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("grants", "0002_grant_closing_note_historicalgrant_closing_note"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
