"""Indexes for the organisation's ranked people (`matching.people_window`): the pre-filter
reads the skill postings of the opportunity's skills — (skill, person), an index-only scan on
the many-to-many table that Django creates itself, hence plain SQL — and each candidate's
languages — (person, language, level)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0004_expert_feedback"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="profilelanguage",
            index=models.Index(fields=["profile", "language", "level"], name="volunteering_pl_probe_idx"),
        ),
        migrations.RunSQL(
            "CREATE INDEX volunteering_profile_skill_posting_idx"
            " ON volunteering_volunteerprofile_skills (skill_id, volunteerprofile_id)",
            "DROP INDEX volunteering_profile_skill_posting_idx",
        ),
    ]
