from django.db import migrations

from core.reference_data import MUNICIPALITIES, SECTORS


def load(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    Sector = apps.get_model("core", "Sector")
    for slug, sq, sr, en in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
    for order, (slug, sq, sr, en) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "ordering": order}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
