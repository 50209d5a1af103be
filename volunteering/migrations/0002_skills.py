from django.db import migrations

from volunteering.skills_data import SKILLS


def load(apps, schema_editor):
    Skill = apps.get_model("volunteering", "Skill")
    for order, (slug, sq, sr, en) in enumerate(SKILLS):
        Skill.objects.update_or_create(slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "ordering": order})


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
