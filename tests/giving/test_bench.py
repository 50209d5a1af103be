"""`manage.py bench giving` works (PostgreSQL only; a small number of rows)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_bench_runs_on_a_separate_database(bench_template_database):
    out = io.StringIO()
    name_before = connection.settings_dict["NAME"]
    call_command(
        "bench",
        "giving",
        "--rows",
        "2000",
        "--requests",
        "2",
        "--database-name",
        "cea_bench_pytest",
        "--template-database",
        bench_template_database,
        stdout=out,
    )
    assert connection.settings_dict["NAME"] == name_before
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["rows"] == 2000
    assert len(figures["cases"]) == 12
    assert figures["max_filtered_dashboard_ms"] > 0 and figures["import_refresh_s"] >= 0
    assert figures["full_rebuild_s"] >= 0
    assert figures["max_ratio"] > 0 and figures["unfiltered_ms"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'cea_bench_pytest'")
        assert cursor.fetchone() is None  # dropped


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on other databases")
def test_bench_refuses_other_databases():
    with pytest.raises(CommandError):
        call_command("bench", "giving", "--rows", "10")
