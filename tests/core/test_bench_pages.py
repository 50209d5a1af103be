"""`manage.py bench pages` works (PostgreSQL and Redis only; a tiny share of the data set)."""

import io
import json
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="the benchmark needs PostgreSQL and Redis",
)
def test_bench_pages_runs_gunicorn_on_a_separate_database(bench_template_database):
    out = io.StringIO()
    name_before = connection.settings_dict["NAME"]
    call_command(
        "bench",
        "pages",
        "--scale",
        "0.001",
        "--seconds",
        "0.2",
        "--database-name",
        "cea_bench_pages_pytest",
        "--template-database",
        bench_template_database,
        stdout=out,
    )
    assert connection.settings_dict["NAME"] == name_before
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["data"]["giving_records"] == 1000
    assert figures["errors"] == 0
    assert figures["min_anonymous_ratio"] > 0 and figures["min_signed_in_ratio"] > 0
    assert figures["max_filtered_dashboard_ms"] > 0 and figures["import_refresh_s"] > 0
    assert "page/bare" in out.getvalue()


def test_scale_and_seconds_are_for_the_pages_benchmark_only():
    with pytest.raises(CommandError):
        call_command("bench", "giving", "--rows", "10", "--scale", "0.5")
