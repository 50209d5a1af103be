"""The columns (giving.columns) hold exactly the verified records after an import, an edit, a
deletion and a rejection; a refresh is a handful of statements whatever the records; each
process loads a new version once and keeps the last two; values outside the choices count in
the totals only. The donor-country filter, and unknown parameters answered with a 400. Runs
on SQLite and, with DATABASE_URL, on PostgreSQL (where the columns are read by binary COPY)."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giving import aggregates
from giving import columns as store
from giving.aggregates_models import GivingColumns
from giving.choices import Status
from giving.filters import GivingFilter
from giving.models import GivingRecord
from tests.giving.test_aggregates import assert_same, dashboard, make_records, matching

pytestmark = pytest.mark.django_db


def _stored() -> Counter:
    """The newest stored snapshot, decoded: a multiset of records as plain values."""
    snapshot = GivingColumns.objects.order_by("-version").first()
    cols = store.load(bytes(snapshot.data))
    assert snapshot.rows == len(cols)
    rows = Counter()
    for i in range(len(cols)):
        rows[
            (
                store.from_day(cols.day[i]),
                store.to_money(cols.cents[i]),
                bool(cols.diaspora[i]),
                int(cols.municipality[i]) or None,
                *(cols.vocab[name][cols.codes[name][i]] for name in store.CODED),
            )
        ] += 1
    return rows


def _records() -> Counter:
    return Counter(
        (r.date, r.amount, r.is_diaspora, r.municipality_id, *(str(getattr(r, n)) for n in store.CODED))
        for r in GivingRecord.objects.filter(status=Status.VERIFIED)
    )


def _with_countries(records):
    for i, r in enumerate(records):
        if r.is_diaspora:
            r.donor_country = ["DE", "CH", "US"][i % 3]
    GivingRecord.objects.bulk_update(records, ["donor_country"])
    return records


def test_the_columns_hold_the_verified_records_after_import_edit_delete_reject():
    _with_countries(make_records(150))
    aggregates.refresh()
    assert _stored() == _records()

    # An import.
    imported = _with_countries(make_records(40, seed=11))
    aggregates.refresh(record_ids=[r.pk for r in imported if r.status == Status.VERIFIED])
    assert _stored() == _records()
    assert_same({})

    # An edit moving a record to another month and changing its amount and cause.
    record = GivingRecord.objects.filter(status=Status.VERIFIED).order_by("pk").first()
    GivingRecord.objects.filter(pk=record.pk).update(
        date=record.date - timedelta(days=45), amount=Decimal("12345.67"), cause="culture"
    )
    aggregates.refresh([record.date])
    assert _stored() == _records()

    # A deletion and a rejection.
    victims = list(GivingRecord.objects.filter(status=Status.VERIFIED).order_by("-pk")[:5])
    GivingRecord.objects.filter(pk__in=[v.pk for v in victims[:3]]).delete()
    GivingRecord.objects.filter(pk__in=[v.pk for v in victims[3:]]).update(
        status=Status.REJECTED, rejection_reason="No proof."
    )
    aggregates.refresh()
    assert _stored() == _records()
    assert_same({"diaspora": "yes"})


def test_the_columns_are_sorted_by_day_and_read_alike_both_ways():
    """The binary COPY (PostgreSQL) and the plain rows (elsewhere) read the same columns."""
    _with_countries(make_records(120))
    vocab = store.vocabulary()
    plain = store._read_rows(vocab)
    cols = store.build()
    assert (np.diff(cols.day) >= 0).all()
    if connection.vendor == "postgresql":
        binary = store._read_postgres(vocab)
        for name in plain:
            assert sorted(zip(plain["day"], plain[name], strict=True)) == sorted(
                zip(binary["day"], binary[name], strict=True)
            ), name


def test_a_refresh_is_a_handful_of_statements_whatever_the_records():
    aggregates.refresh()  # the state row and a first snapshot exist
    counts = []
    for n, seed in ((30, 1), (120, 2)):
        make_records(n, seed=seed)
        with CaptureQueriesContext(connection) as queries:
            aggregates.refresh()
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] < 15


def test_a_process_loads_each_version_once_and_the_last_two_are_kept():
    make_records(60)
    first = aggregates.refresh()
    store._loaded = None  # another process: it has no columns yet
    with CaptureQueriesContext(connection) as queries:
        loaded = store.current()
    assert len(loaded) == len(matching({}))
    assert len(queries.captured_queries) == 2  # the newest token, then its data
    with CaptureQueriesContext(connection) as queries:
        assert store.current() is loaded
    assert len(queries.captured_queries) == 1  # the token only

    make_records(10, seed=3)
    aggregates.refresh()
    third = aggregates.refresh()
    assert sorted(GivingColumns.objects.values_list("version", flat=True)) == [third - 1, third]
    assert first < third - 1
    assert len(store.current()) == len(matching({}))


def test_a_snapshot_of_another_format_is_read_again_from_the_records(monkeypatch):
    make_records(40)
    aggregates.refresh()
    store._loaded = None
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    assert store.load(bytes(GivingColumns.objects.get().data)) is None
    assert len(store.current()) == len(matching({}))


def test_no_columns_before_the_first_refresh_means_zeros():
    make_records(20)
    assert dashboard({})["totals"]["count"] == 0
    aggregates.refresh()
    assert dashboard({})["totals"]["count"] == len(matching({}))


def test_a_value_outside_the_choices_counts_in_the_totals_only():
    make_records(40)
    record = GivingRecord.objects.filter(status=Status.VERIFIED).order_by("pk").first()
    GivingRecord.objects.filter(pk=record.pk).update(cause="retired-cause")
    aggregates.refresh()
    got = dashboard({})
    everyone = matching({})
    assert got["totals"]["count"] == len(everyone)
    assert sum(c["count"] for c in got["by_cause"]) == len(everyone) - 1
    assert dashboard({"cause": ["health"]})["totals"]["count"] == len(
        [r for r in everyone if r.cause == "health"]
    )
    rows = aggregates.grouped(aggregates.Criteria(), ["cause"])
    assert rows[-1]["cause"] is None and rows[-1]["count"] == 1  # unknown last


@pytest.mark.parametrize(
    "data",
    [
        {"diaspora": "yes"},
        {"diaspora": "no", "year": "2023"},
        {"cause": ["health", "poverty"]},
        {"confidence": ["confirmed_both"], "date_from": "2023-02-11"},
        {"effect": "strategic"},
        {"support_kind": ["money"], "date_to": "2023-08-17"},
        {"cause": ["health", "education"], "effect": "relief", "diaspora": "no", "date_from": "2023-01-09"},
    ],
)
def test_the_columns_answer_like_the_records(data):
    _with_countries(make_records(250))
    aggregates.refresh()
    assert_same(data)
    filterset = GivingFilter(data)
    assert filterset.is_valid()
    assert aggregates.count(aggregates.Criteria.from_filter(filterset)) == len(matching(data))


@pytest.mark.parametrize(
    "data",
    [
        {"donor_country": ["DE"]},
        {"donor_country": ["DE", "CH"], "year": "2023", "date_to": "2023-10-14"},
        {"donor_country": ["DE"], "cause": ["health", "poverty"]},
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


def test_aggregates_api_reads_the_columns_not_the_records(client):
    make_records(120)
    aggregates.refresh()
    client.get("/api/v1/giving/aggregates/", {"group_by": "month"})  # this process loads the columns
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/giving/aggregates/", {"group_by": "year"})
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "giving_givingrecord" not in sql
    years = {}
    for r in matching({}):
        t, c = years.get(r.date.year, (Decimal("0.00"), 0))
        years[r.date.year] = (t + r.amount, c + 1)
    assert [r["year"] for r in response.json()["results"]] == sorted(years)
    assert {r["year"]: (Decimal(r["total"]), r["count"]) for r in response.json()["results"]} == years
    by_cause = client.get("/api/v1/giving/aggregates/", {"group_by": "cause,year", "diaspora": "yes"}).json()
    expected: dict = {}
    for r in matching({"diaspora": "yes"}):
        t, c = expected.get((r.cause, r.date.year), (Decimal("0.00"), 0))
        expected[(r.cause, r.date.year)] = (t + r.amount, c + 1)
    assert {
        (r["cause"], r["year"]): (Decimal(r["total"]), r["count"]) for r in by_cause["results"]
    } == expected
    assert [(r["cause"], r["year"]) for r in by_cause["results"]] == sorted(expected)


def test_grouped_by_every_dimension_at_once_equals_python():
    _with_countries(make_records(200))
    aggregates.refresh()
    names = list(aggregates.GROUPABLE)
    rows = aggregates.grouped(aggregates.Criteria(), names)
    expected: Counter = Counter()
    for r in matching({}):
        key = (
            r.date.year,
            f"{r.date:%Y-%m}",
            r.donor_type,
            r.cause,
            r.recipient_type,
            r.municipality.slug if r.municipality_id else None,
            r.support_kind,
            r.confidence,
            r.is_diaspora,
            r.geography,
            r.effect,
            r.donor_country or "",
        )
        expected[key] += 1
    assert {tuple(row[n] for n in names): row["count"] for row in rows} == dict(expected)
    assert sum(Decimal(row["total"]) for row in rows) == sum((r.amount for r in matching({})), Decimal("0"))


def test_the_tracker_s_first_year_is_kept_exactly():
    records = make_records(10, start=date(1990, 1, 1), days=30)
    aggregates.refresh()
    assert _stored() == _records()
    assert records


def test_the_codes_are_packed_in_63_bits_or_refused():
    vocab = store.vocabulary()
    layout = store._packing(vocab)
    assert [name for name, _shift, _bits in layout] == list(store.CODED)
    assert all(len(vocab[name]) <= 1 << bits for name, _shift, bits in layout)
    assert layout[-1][1] + layout[-1][2] <= 63
    with pytest.raises(ValueError):
        store._packing({**vocab, "cause": range(2**60)})  # 60 bits for one code


@pytest.mark.parametrize(
    "data",
    [{}, {"diaspora": "yes"}, {"cause": ["health", "poverty"], "date_from": "2023-02-11"}, {"year": "2021"}],
)
def test_the_dashboard_s_pages_of_records_come_newest_first_from_the_columns(data, client):
    make_records(130)
    # Same-day records: the id breaks the tie, as ORDER BY -date, -pk does.
    GivingRecord.objects.filter(pk__in=list(GivingRecord.objects.values_list("pk", flat=True)[:30])).update(
        date=date(2023, 5, 5)
    )
    aggregates.refresh()
    filterset = GivingFilter(data)
    assert filterset.is_valid()
    crit = aggregates.Criteria.from_filter(filterset)
    expected = [r.pk for r in aggregates.records(crit).order_by("-date", "-pk")]
    newest = aggregates.NewestFirst(crit, aggregates.count(crit))
    assert len(newest) == len(expected)
    assert [r.pk for r in newest[0 : len(expected) + 5]] == expected
    assert [r.pk for r in newest[20:40]] == expected[20:40]
    assert newest[len(expected) : len(expected) + 20] == []
    with CaptureQueriesContext(connection) as queries:
        page = list(newest[40:60])  # read when first used
    assert [r.pk for r in page] == expected[40:60]
    assert len(queries.captured_queries) <= 2  # the columns' token, then the page by primary key
    page_obj = client.get(reverse("giving:dashboard"), {**data, "page": 2}).context["page_obj"]
    start = (page_obj.number - 1) * 20  # page 2, or the last page when there is no second
    assert [r.pk for r in page_obj.object_list] == expected[start : start + 20]


def test_a_record_changed_since_the_refresh_leaves_the_page_until_the_next(client):
    make_records(40)
    aggregates.refresh()
    newest = GivingRecord.objects.filter(status=Status.VERIFIED).order_by("-date", "-pk").first()
    GivingRecord.objects.filter(pk=newest.pk).update(status=Status.REJECTED, rejection_reason="x")
    page = client.get(reverse("giving:dashboard")).context["page_obj"].object_list
    assert newest.pk not in [r.pk for r in page]


def test_sparse_group_keys_do_not_allocate_a_slot_per_possible_key():
    """Grouped by all twelve dimensions, a million records make a mixed-radix key of up to
    ~10**14: one bincount slot per possible key would be a MemoryError (a 500, or the
    machine's memory) for anyone calling the aggregates API."""
    cols = store.Columns(
        day=np.array([0, 1, 2], np.int32),
        ids=np.array([1, 2, 3], np.int64),
        cents=np.array([100.0, 250.0, 5.0]),
        diaspora=np.zeros(3, np.int8),
        municipality=np.zeros(3, np.int32),
        codes={name: np.zeros(3, np.uint8) for name in store.CODED},
        vocab=store.vocabulary(),
    )
    selection = cols.select(start=None, end=None, dims={}, diaspora=None)
    values, sums, counts = selection.sums_by(np.array([10**14, 7, 10**14], np.int64))
    assert values.tolist() == [7, 10**14]
    assert sums.tolist() == [250.0, 105.0] and counts.tolist() == [1, 2]
