"""The refresh by difference leaves the cube and the rollups exactly as a rebuild from
scratch would, after an import (only its records' cells), an edit, a deletion and a
rejection (only the touched months); a second refresh changes nothing. The rollups answer
the period + one filter like the cube does. The donor-country filter, and unknown
parameters answered with a 400. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giving import aggregates
from giving.aggregates_models import GivingMonthlyMarginal, GivingMonthlySummary
from giving.choices import Status
from giving.models import GivingRecord
from tests.giving.test_aggregates import assert_same, dashboard, make_records, matching

pytestmark = pytest.mark.django_db


def _tables() -> tuple[set, set]:
    cube = {
        (
            r["month"],
            r["donor_type"],
            r["is_diaspora"],
            r["cause"],
            r["recipient_type"],
            r["support_kind"],
            r["confidence"],
            r["geography"],
            r["municipality_id"],
            r["effect"],
            r["donor_country"],
            aggregates.money(r["total"]),
            r["count"],
        )
        for r in GivingMonthlySummary.objects.values()
    }
    rollups = {
        (
            r["month"],
            r["filter_dimension"],
            r["filter_value"],
            r["dimension"],
            r["value"],
            aggregates.money(r["total"]),
            r["count"],
        )
        for r in GivingMonthlyMarginal.objects.values()
    }
    return cube, rollups


def _assert_equals_rebuild():
    refreshed = _tables()
    aggregates.refresh(rebuild=True)
    rebuilt = _tables()
    assert refreshed[0] == rebuilt[0]
    assert refreshed[1] == rebuilt[1]
    assert all(row[-1] > 0 for row in rebuilt[0]) and all(row[-1] > 0 for row in rebuilt[1])


def _with_countries(records):
    for i, r in enumerate(records):
        if r.is_diaspora:
            r.donor_country = ["DE", "CH", "US"][i % 3]
    GivingRecord.objects.bulk_update(records, ["donor_country"])
    return records


def test_import_edit_delete_reject_keep_the_tables_equal_to_a_rebuild():
    _with_countries(make_records(150))
    aggregates.refresh()
    _assert_equals_rebuild()

    # An import: only its records' cells are recomputed.
    imported = _with_countries(make_records(40, seed=11))
    verified = [r.pk for r in imported if r.status == Status.VERIFIED]
    aggregates.refresh(record_ids=verified)
    _assert_equals_rebuild()
    assert_same({})

    # An edit moving a record to another month and changing its amount and cause.
    record = GivingRecord.objects.filter(status=Status.VERIFIED).order_by("pk").first()
    old_date = record.date
    GivingRecord.objects.filter(pk=record.pk).update(
        date=old_date - timedelta(days=45), amount=Decimal("12345.67"), cause="culture"
    )
    aggregates.refresh([old_date, old_date - timedelta(days=45)])
    _assert_equals_rebuild()

    # A deletion that empties cells, and a rejection.
    victims = list(GivingRecord.objects.filter(status=Status.VERIFIED).order_by("-pk")[:5])
    GivingRecord.objects.filter(pk__in=[v.pk for v in victims[:3]]).delete()
    GivingRecord.objects.filter(pk__in=[v.pk for v in victims[3:]]).update(
        status=Status.REJECTED, rejection_reason="No proof."
    )
    aggregates.refresh([v.date for v in victims])
    _assert_equals_rebuild()
    assert_same({"diaspora": "yes"})


def test_a_second_refresh_changes_nothing():
    make_records(80)
    aggregates.refresh()
    before = _tables()
    with CaptureQueriesContext(connection) as queries:
        aggregates.refresh()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(
            ("UPDATE giving_summary", "INSERT INTO giving_summary", "DELETE FROM giving_summary")
        )
    ]
    assert writes == []  # nothing differs: no cell is rewritten
    assert _tables() == before


def test_import_refresh_is_a_handful_of_statements_whatever_the_months():
    make_records(60)
    aggregates.refresh()
    imported = make_records(30, seed=5, start=date(2015, 1, 1), days=3000)  # ~30 months
    with CaptureQueriesContext(connection) as queries:
        aggregates.refresh(record_ids=[r.pk for r in imported])
    assert len(queries.captured_queries) < 25
    _assert_equals_rebuild()


@pytest.mark.parametrize(
    "data",
    [
        {"diaspora": "yes"},
        {"diaspora": "no", "year": "2023"},
        {"cause": ["health", "poverty"]},
        {"confidence": ["confirmed_both"], "date_from": "2023-02-11"},
        {"effect": "strategic"},
        {"support_kind": ["money"], "date_to": "2023-08-17"},
    ],
)
def test_the_rollups_answer_like_the_records(data):
    _with_countries(make_records(250))
    aggregates.refresh()
    assert_same(data)


@pytest.mark.parametrize(
    "data",
    [
        {"donor_country": ["DE"]},
        {"donor_country": ["DE", "CH"], "year": "2023", "date_to": "2023-10-14"},
        {"donor_country": ["DE"], "cause": ["health", "poverty"]},  # two dimensions: the cube
    ],
)
def test_donor_country_numbers_equal_python(data):
    _with_countries(make_records(250))
    aggregates.refresh()
    countries = data["donor_country"]
    rest = {k: v for k, v in data.items() if k != "donor_country"}
    chosen = [r for r in matching(rest) if r.donor_country in countries]
    got = dashboard(data)
    assert got["totals"]["count"] == len(chosen)
    assert Decimal(got["totals"]["total"]) == sum((r.amount for r in chosen), Decimal("0.00"))
    months: dict = {}
    for r in chosen:
        t, c = months.get(f"{r.date:%Y-%m}", (Decimal("0.00"), 0))
        months[f"{r.date:%Y-%m}"] = (t + r.amount, c + 1)
    assert {m["month"]: (Decimal(m["total"]), m["count"]) for m in got["by_month"]} == months
    causes: dict = {}
    for r in chosen:
        t, c = causes.get(r.cause, (Decimal("0.00"), 0))
        causes[r.cause] = (t + r.amount, c + 1)
    assert {m["code"]: (Decimal(m["total"]), m["count"]) for m in got["by_cause"]} == causes


def test_donor_country_filter_in_json_and_apis(client):
    records = _with_countries(make_records(200))
    aggregates.refresh()
    germans = [r for r in matching({}) if r.donor_country == "DE"]
    assert germans and len(germans) < len(matching({}))
    expected = (sum((r.amount for r in germans), Decimal("0.00")), len(germans))

    data = client.get(reverse("giving:dashboard_data"), {"donor_country": "DE"}).json()
    assert (Decimal(data["totals"]["total"]), data["totals"]["count"]) == expected

    api = client.get("/api/v1/giving/aggregates/", {"donor_country": "DE"}).json()
    assert (Decimal(api["results"][0]["total"]), api["results"][0]["count"]) == expected

    listed = client.get("/api/v1/giving/records/", {"donor_country": "DE", "page_size": 500}).json()
    assert len(listed["results"]) == len(germans)

    page = client.get(reverse("giving:dashboard"), {"donor_country": "DE"})
    assert page.status_code == 200
    assert page.context["data"]["totals"]["count"] == len(germans)

    bad = client.get(reverse("giving:dashboard_data"), {"donor_country": "XX"})
    assert bad.status_code == 400 and "donor_country" in bad.json()["errors"]
    assert records  # (made above)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/giving/aggregates/", "/api/v1/giving/records/", "dashboard_data"],
)
def test_unknown_parameters_are_a_400_naming_them(client, url):
    make_records(20)
    aggregates.refresh()
    if not url.startswith("/"):
        url = reverse(f"giving:{url}")
    response = client.get(url, {"donor_countyr": "DE", "cause": "health"})
    assert response.status_code == 400
    body = response.json()
    errors = body.get("errors", body)
    assert "donor_countyr" in errors
    assert "cause" not in errors


def test_the_html_dashboard_ignores_unknown_parameters(client):
    make_records(20)
    aggregates.refresh()
    response = client.get(reverse("giving:dashboard"), {"utm_source": "newsletter"})
    assert response.status_code == 200


def test_aggregates_api_by_year_unfiltered_reads_the_rollups(client):
    make_records(120)
    aggregates.refresh()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/giving/aggregates/", {"group_by": "year"})
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "giving_summary_marginal" in sql and "giving_summary_month" not in sql
    years = {}
    for r in matching({}):
        t, c = years.get(r.date.year, (Decimal("0.00"), 0))
        years[r.date.year] = (t + r.amount, c + 1)
    assert {r["year"]: (Decimal(r["total"]), r["count"]) for r in response.json()["results"]} == years
    by_cause = client.get("/api/v1/giving/aggregates/", {"group_by": "cause,year", "diaspora": "yes"}).json()
    expected: dict = {}
    for r in matching({"diaspora": "yes"}):
        t, c = expected.get((r.cause, r.date.year), (Decimal("0.00"), 0))
        expected[(r.cause, r.date.year)] = (t + r.amount, c + 1)
    assert {
        (r["cause"], r["year"]): (Decimal(r["total"]), r["count"]) for r in by_cause["results"]
    } == expected


def test_dashboard_json_unchanged_by_the_source():
    """The same numbers from the rollups and from the cube (one filter both ways)."""
    make_records(200)
    aggregates.refresh()
    one = dashboard({"cause": ["health"]})
    crit = aggregates.Criteria(
        dims={"cause": ["health"], "geography": ["municipality", "kosovo_wide", "outside_kosovo"]}
    )
    both = aggregates.dashboard_numbers(crit, top_causes=20)
    assert one["totals"] == both["totals"]
    assert one["by_month"] == both["by_month"]
    assert one["by_municipality"] == both["by_municipality"]
