"""The public dashboard: languages, 400 on invalid filters, permanent URLs, downloads equal
to what is shown, constant query counts, table views of the charts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from giving import aggregates
from giving.models import GivingRecord
from tests.giving.test_aggregates import make_records, matching

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(f"giving:{name}", kwargs=kwargs or None)


@pytest.fixture
def records():
    recs = make_records(150)
    aggregates.refresh()
    return recs


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_dashboard_renders_in_every_language(client, records, lang):
    response = client.get(url("dashboard", lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert 'id="giving-data"' in html
    assert "chart.umd.min.js" in html and "giving/js/dashboard.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline script (CSP)
    # every chart is followed by a table of its data
    for chart in (
        "by-year",
        "by-month",
        "by-donor-type",
        "top-causes",
        "by-recipient-type",
        "by-support-kind",
    ):
        assert f'id="chart-{chart}"' in html
        assert f'id="table-{chart}"' in html


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_the_charts_data_are_the_numbers_shown_with_labels_in_the_pages_language(client, records, lang):
    """The charts' JSON (kept with the numbers per language and filters) is the dashboard's
    numbers for the filters asked, with the legend in the page's language; another filter or
    language gets its own."""
    import json
    import re

    from tests.helpers import t

    def chart_data(query):
        html = client.get(url("dashboard", lang), query).content.decode()
        found = re.search(r'<script id="giving-data" type="application/json">(.*?)</script>', html, re.S)
        return json.loads(found.group(1))

    everything = chart_data({})
    assert everything["totals"] == client.get(url("dashboard_data")).json()["totals"]
    assert everything["labels"]["count"] == t("Gifts", lang)
    assert everything["labels"]["diaspora"] == t("Diaspora", lang)
    diaspora = chart_data({"diaspora": "yes"})
    assert diaspora["totals"] == client.get(url("dashboard_data"), {"diaspora": "yes"}).json()["totals"]
    assert diaspora["totals"]["count"] < everything["totals"]["count"]


def test_invalid_filters_answer_400(client, records):
    response = client.get(url("dashboard"), {"year": "abc", "cause": "nonsense"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    response = client.get(url("dashboard_data"), {"date_from": "2023-13-45"})
    assert response.status_code == 400
    assert "date_from" in response.json()["errors"]


def test_permanent_url_shows_the_filtered_numbers(client, records):
    params = {"year": "2023", "cause": ["health", "education"], "municipality": ["decan"]}
    expected = matching(params)
    response = client.get(url("dashboard"), params)
    assert response.status_code == 200
    assert response.context["data"]["totals"]["count"] == len(expected)
    assert response.context["page_obj"].paginator.count == len(expected)
    data = client.get(url("dashboard_data"), params).json()
    assert data["totals"]["count"] == len(expected)
    assert Decimal(data["totals"]["total"]) == sum((r.amount for r in expected), Decimal("0.00"))
    # the same URL again gives the same page
    assert client.get(url("dashboard"), params).context["data"] == response.context["data"]


def test_record_list_is_paginated_and_hides_private_donor_names(client, records):
    GivingRecord.objects.filter(status="verified", donor_type="individual").update(
        donor_name="Private Person", donor_name_public=False
    )
    response = client.get(url("dashboard"))
    assert len(response.context["records"]) == 20
    assert "Private Person" not in response.content.decode()


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_and_xlsx_downloads_equal_what_is_shown(client, records):
    params = {"diaspora": "no", "date_from": "2023-02-11", "date_to": "2023-12-20"}
    expected = matching(params)
    response = client.get(url("dashboard_download", what="records", fmt="csv"), params)
    assert response.status_code == 200
    rows = _csv(b"".join(response.streaming_content))  # streamed since issue 12
    assert len(rows) == len(expected) + 1
    assert sorted(Decimal(r[1]) for r in rows[1:]) == sorted(r.amount for r in expected)
    response = client.get(url("dashboard_download", what="records", fmt="xlsx"), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == len(expected) + 1
    # the aggregates table: the total row equals the dashboard's headline figures
    shown = client.get(url("dashboard_data"), params).json()
    rows = _csv(client.get(url("dashboard_download", what="aggregates", fmt="csv"), params).content)
    assert Decimal(rows[1][2]) == Decimal(shown["totals"]["total"])
    assert int(rows[1][3]) == shown["totals"]["count"]
    causes = {r[1]: Decimal(r[2]) for r in rows if r[0] == "By cause"}
    assert causes == {c["label"]: Decimal(c["total"]) for c in shown["by_cause"]}
    xlsx = client.get(url("dashboard_download", what="aggregates", fmt="xlsx"), params)
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == len(rows)


def test_too_many_rows_for_a_direct_download(client, records, monkeypatch):
    from giving.views import dashboard as views_dashboard

    monkeypatch.setattr(views_dashboard, "MAX_DIRECT_DOWNLOAD_ROWS", 5)
    response = client.get(url("dashboard_download", what="records", fmt="csv"))
    assert response.status_code == 400
    # Issue 12: visitors too get the file prepared in the background (no sign-in asked).
    assert "Prepare the file (CSV)" in response.content.decode()


def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    make_records(40, seed=1)
    aggregates.refresh()
    cases = [{}, {"date_from": "2023-01-15", "diaspora": "no"}, {"cause": ["health", "poverty", "education"]}]
    counts = []
    for params in cases:
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url("dashboard"), params)
        assert response.context["records"]
        counts.append(len(captured.captured_queries))
    make_records(400, seed=2)
    aggregates.refresh()
    for params, count in zip(cases, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url("dashboard"), params)
