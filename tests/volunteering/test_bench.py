"""`manage.py bench volunteering` works (PostgreSQL only; a tiny scale)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_bench_runs_at_a_tiny_scale_on_a_separate_database(bench_template_database):
    out = io.StringIO()
    name_before = connection.settings_dict["NAME"]
    call_command(
        "bench",
        "volunteering",
        "--scale",
        "0.002",
        "--database-name",
        "cea_volbench_pytest",
        "--template-database",
        bench_template_database,
        stdout=out,
    )
    assert connection.settings_dict["NAME"] == name_before
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (figures["profiles"], figures["opportunities"]) == (200, 10)
    assert figures["same_people_ranking"] and figures["same_opportunity_ranking"]
    assert figures["max_ratio"] > 0 and figures["people_for_opportunity_ms"] > 0
    assert figures["opportunities_for_person_ms"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'cea_volbench_pytest'")
        assert cursor.fetchone() is None  # dropped


def test_scale_is_for_volunteering_only():
    with pytest.raises(CommandError):
        call_command("bench", "giving", "--scale", "0.1")
