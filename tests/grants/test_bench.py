"""`manage.py bench grants` runs in a throwaway PostgreSQL database with small numbers and
ends with one line of JSON holding the figures; it refuses other databases."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from grants.models import Application, Call

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark needs PostgreSQL")
def test_bench_grants_runs_in_a_throwaway_database(bench_template_database):
    out = io.StringIO()
    name_before = connection.settings_dict["NAME"]
    call_command(
        "bench",
        "grants",
        "--rows",
        "400",
        "--calls",
        "4",
        "--requests",
        "2",
        "--database-name",
        "cea_bench_grants_pytest",
        "--template-database",
        bench_template_database,
        stdout=out,
    )
    assert connection.settings_dict["NAME"] == name_before
    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["applications"] == 400 and figures["calls"] == 4
    assert figures["database"] == connection.vendor
    for key in (
        "ranking_ms",
        "ranking_orm_ms",
        "ranking_sql_ms",
        "awarded_ms",
        "awarded_orm_ms",
        "awarded_sql_ms",
        "ranking_first_view_ms",
        "awarded_first_view_ms",
        "max_ratio",
        "max_first_view_ratio",
        "max_orm_ratio",
    ):
        assert figures[key] > 0, key
    assert figures["grants"] > 0
    assert figures["cache"] == settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    assert figures["sessions"] == settings.SESSION_ENGINE
    assert any("ranking table" in line for line in lines)
    assert any("awarded grants" in line for line in lines)
    # Nothing of the benchmark is left in the database of the tests.
    assert not Call.objects.filter(slug__startswith="bench-call-").exists()
    assert not Application.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'cea_bench_grants_pytest'")
        assert cursor.fetchone() is None  # dropped


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on other databases")
def test_bench_grants_refuses_other_databases():
    with pytest.raises(CommandError, match="postgresql"):
        call_command("bench", "grants", "--rows", "10")


def test_bench_options_are_checked():
    with pytest.raises(CommandError):
        call_command("bench", "grants", "--rows", "0")
    with pytest.raises(CommandError):
        call_command("bench", "grants", "--rows", "10", "--calls", "0")
    with pytest.raises(CommandError):
        call_command("bench", "grants", "--rows", "10", "--requests", "0")
