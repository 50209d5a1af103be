"""The giving dashboard in a real browser: filter with the form, the permanent URL, the
headline total, a chart with its table, and the CSV of the records shown."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Municipality
from core.money import format_number
from giving import aggregates
from giving.choices import Cause, DonorType, Status
from giving.models import GivingRecord
from tests.giving.factories import GivingRecordFactory

CAUSES = [Cause.EDUCATION, Cause.HEALTH, Cause.POVERTY]
DOMESTIC_DONORS = [DonorType.COMPANY, DonorType.INDIVIDUAL, DonorType.FOUNDATION_CSO]


def _seed() -> list[GivingRecord]:
    """30 verified records over three causes, several donor types and about three years;
    every third one from the diaspora (both diaspora donor types)."""
    today = timezone.localdate()
    munis = list(Municipality.objects.order_by("pk")[:4])
    records = []
    for i in range(30):
        extra = {}
        if i % 3 == 0:
            extra["diaspora"] = True
            if i % 2:
                extra["donor_type"] = DonorType.DIASPORA_ORGANIZATION
        else:
            extra["donor_type"] = DOMESTIC_DONORS[i % len(DOMESTIC_DONORS)]
        records.append(
            GivingRecordFactory(
                verified=True,
                date=today - timedelta(days=15 + 37 * i),  # ~3 years back
                amount=Decimal(1000 + 123 * i) + Decimal("0.45"),
                cause=CAUSES[(i // 2) % len(CAUSES)],
                municipality=munis[i % len(munis)],
                **extra,
            )
        )
    GivingRecordFactory(rejected=True, cause=Cause.EDUCATION, diaspora=True)  # never shown
    GivingRecordFactory(cause=Cause.EDUCATION, diaspora=True)  # reported: never shown
    return records


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_filter_chart_and_csv(reference_data, live_server, page):
    page.set_default_timeout(10_000)
    records = _seed()
    aggregates.refresh()
    expected = [r for r in records if r.cause == Cause.EDUCATION and r.is_diaspora]
    assert 3 <= len(expected) < len(records)
    assert GivingRecord.objects.exclude(status=Status.VERIFIED).count() == 2
    expected_total = sum((r.amount for r in expected), Decimal("0.00"))
    base = live_server.url

    # 1. The unfiltered dashboard counts every verified record.
    page.goto(f"{base}/en/giving/")
    expect(page.locator("#fig-count")).to_have_text("30")

    # 2. Filter with the form: education, diaspora only.
    form = page.locator("form.giving-filter")
    form.locator("#id_cause").select_option(["education"])
    form.locator("#id_diaspora").select_option("yes")
    form.get_by_role("button", name="Show").click()
    page.wait_for_url("**/en/giving/?*")

    # 3. The URL carries the filters: it is the permanent address of this view.
    params = parse_qs(urlsplit(page.url).query)
    assert params.get("cause") == ["education"]
    assert params.get("diaspora") == ["yes"]

    # 4. The headline figures equal the sum in Python over the matching records.
    expect(page.locator("#fig-total")).to_have_text(format_number(expected_total, language="en"))
    expect(page.locator("#fig-count")).to_have_text(str(len(expected)))

    # 5. A chart and the table of its data.
    expect(page.locator("canvas#chart-by-year")).to_be_attached()
    year_table = page.locator("table#table-by-year")
    expect(year_table).to_be_visible()
    by_year = {}
    for r in expected:
        by_year[r.date.year] = by_year.get(r.date.year, 0) + 1
    expect(year_table.locator("tbody tr")).to_have_count(len(by_year))

    # 6. The CSV of the records shown: exactly the matching records.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Gifts (CSV)").click()
    download = download_info.value
    assert "cause=education" in download.url and "diaspora=yes" in download.url
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(expected)
    assert sum((Decimal(row["amount (EUR)"]) for row in rows), Decimal("0.00")) == expected_total
    assert sorted((row["date"], row["amount (EUR)"]) for row in rows) == sorted(
        (r.date.isoformat(), str(r.amount)) for r in expected
    )
    assert {row["cause"] for row in rows} == {"Education"}  # the page's language
