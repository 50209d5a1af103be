"""The aggregates equal a direct Python computation on random records, for many filter
combinations (unaligned date ranges included); unverified records never count; the
columns (giving.columns) follow verify / reject after a refresh."""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Municipality
from giving import aggregates
from giving.choices import (
    DIASPORA_DONOR_TYPES,
    Cause,
    Confidence,
    DonorType,
    Effect,
    Geography,
    RecipientType,
    Status,
    SupportKind,
)
from giving.filters import GivingFilter
from giving.models import GivingRecord

pytestmark = pytest.mark.django_db


def make_records(
    n: int, seed: int = 7, start: date = date(2022, 11, 1), days: int = 500
) -> list[GivingRecord]:
    """`n` random records over every dimension, about 80 % verified."""
    rng = random.Random(seed)
    munis = list(Municipality.objects.order_by("pk")[:6])
    records = []
    for i in range(n):
        donor = rng.choice(DonorType.values)
        geography = rng.choice(
            [Geography.MUNICIPALITY] * 4 + [Geography.KOSOVO_WIDE, Geography.OUTSIDE_KOSOVO]
        )
        records.append(
            GivingRecord(
                date=start + timedelta(days=rng.randrange(days)),
                amount=Decimal(rng.randrange(100, 500_000)) / 100,
                support_kind=rng.choice(SupportKind.values),
                donor_type=donor,
                is_diaspora=donor in DIASPORA_DONOR_TYPES,
                recipient_type=rng.choice(RecipientType.values),
                cause=rng.choice(Cause.values),
                beneficiary_group="general",
                geography=geography,
                municipality=rng.choice(munis) if geography == Geography.MUNICIPALITY else None,
                effect=rng.choice([*Effect.values, ""]),
                source="staff",
                status=rng.choice([Status.VERIFIED] * 8 + [Status.REPORTED, Status.REJECTED]),
                rejection_reason="x",
                confidence=rng.choice(Confidence.values),
                fingerprint=f"fp-{seed}-{i}",
            )
        )
    return GivingRecord.objects.bulk_create(records)


def python_numbers(data: dict) -> dict:
    """The dashboard's numbers computed in Python from GivingFilter's queryset."""
    by = defaultdict(lambda: defaultdict(lambda: [Decimal("0.00"), 0]))
    for r in matching(data):
        for name, value in (
            ("all", ""),
            ("month", f"{r.date:%Y-%m}"),
            ("year", r.date.year),
            ("donor_type", r.donor_type),
            ("cause", r.cause),
            ("municipality", r.municipality.slug if r.municipality_id else None),
            ("recipient_type", r.recipient_type),
            ("support_kind", r.support_kind),
            ("diaspora", r.is_diaspora),
        ):
            by[name][value][0] += r.amount
            by[name][value][1] += 1
    return by


def _list(value):
    return value if isinstance(value, list) else [value]


def matching(data: dict) -> list[GivingRecord]:
    """The verified records matching `data`, selected in Python (independent of the SQL)."""
    out = []
    for r in GivingRecord.objects.select_related("municipality").order_by("pk"):
        if r.status != Status.VERIFIED:
            continue
        if "year" in data and r.date.year != int(data["year"]):
            continue
        if "date_from" in data and r.date < date.fromisoformat(data["date_from"]):
            continue
        if "date_to" in data and r.date > date.fromisoformat(data["date_to"]):
            continue
        if "diaspora" in data and r.is_diaspora != (data["diaspora"] == "yes"):
            continue
        if any(
            name in data and getattr(r, name) not in _list(data[name])
            for name in (
                "donor_type",
                "cause",
                "recipient_type",
                "support_kind",
                "confidence",
                "geography",
                "effect",
            )
        ):
            continue
        if "municipality" in data and (
            not r.municipality_id or r.municipality.slug not in _list(data["municipality"])
        ):
            continue
        out.append(r)
    return out


def dashboard(data: dict) -> dict:
    filterset = GivingFilter(data)
    assert filterset.is_valid(), filterset.errors
    return aggregates.dashboard_numbers(aggregates.Criteria.from_filter(filterset), top_causes=20)


def assert_same(data: dict):
    expected = python_numbers(data)
    got = dashboard(data)
    total, count = expected["all"].get("", [Decimal("0.00"), 0])
    assert Decimal(got["totals"]["total"]) == total
    assert got["totals"]["count"] == count
    assert {r["month"]: (Decimal(r["total"]), r["count"]) for r in got["by_month"]} == {
        k: tuple(v) for k, v in expected["month"].items()
    }
    assert {r["year"]: (Decimal(r["total"]), r["count"]) for r in got["by_year"]} == {
        k: tuple(v) for k, v in expected["year"].items()
    }
    for key, name in (
        ("by_donor_type", "donor_type"),
        ("by_cause", "cause"),
        ("by_recipient_type", "recipient_type"),
        ("by_support_kind", "support_kind"),
        ("by_municipality", "municipality"),
    ):
        want = {k: tuple(v) for k, v in expected[name].items() if k is not None}
        assert {r["code"]: (Decimal(r["total"]), r["count"]) for r in got[key]} == want, key
    diaspora = expected["diaspora"].get(True, [Decimal("0.00"), 0])
    assert Decimal(got["diaspora"]["diaspora"]["total"]) == diaspora[0]
    assert got["diaspora"]["diaspora"]["count"] == diaspora[1]
    ranks = [r["rank"] for r in got["by_municipality"]]
    assert ranks == list(range(1, len(ranks) + 1))
    totals = [Decimal(r["total"]) for r in got["by_municipality"]]
    assert totals == sorted(totals, reverse=True)
    return got


FILTERS = [
    {},
    {"year": "2023"},
    {"diaspora": "yes"},
    {"diaspora": "no", "support_kind": ["money", "goods"]},
    {"cause": ["health"], "municipality": ["decan"]},
    {"donor_type": ["company", "foundation_cso"], "date_from": "2023-02-17", "date_to": "2023-11-09"},
    {"date_from": "2023-03-05", "date_to": "2023-03-20"},  # inside one month
    {"date_from": "2023-03-01", "date_to": "2023-03-31"},  # exactly one month
    {"date_from": "2023-01-31"},
    {"date_to": "2023-06-15"},
    {"confidence": ["confirmed_both"], "effect": "strategic"},
    {"geography": "outside_kosovo", "diaspora": "yes"},
    {"recipient_type": ["school", "health"], "year": "2023", "date_from": "2023-04-10"},
    {"year": "2021"},  # no records
    {"year": "2023", "date_from": "2024-02-01"},  # contradictory: nothing
]


@pytest.mark.parametrize("data", FILTERS)
def test_aggregates_equal_python(data):
    make_records(300)
    aggregates.refresh()
    assert_same(data)


def test_the_numbers_change_at_the_refresh_not_before():
    make_records(120)
    aggregates.refresh()
    before = dashboard({})
    # A new verified record: counted after the refresh (the columns are of a data version).
    new = make_records(1, seed=99)[0]
    GivingRecord.objects.filter(pk=new.pk).update(status=Status.VERIFIED, amount=Decimal("1000.00"))
    assert dashboard({}) == before
    aggregates.refresh([new.date])
    after = dashboard({})
    assert after["totals"]["count"] == before["totals"]["count"] + 1
    assert Decimal(after["totals"]["total"]) == Decimal(before["totals"]["total"]) + Decimal("1000.00")
    assert_same({})


def test_unverified_records_never_count():
    records = make_records(80)
    GivingRecord.objects.filter(pk__in=[r.pk for r in records]).update(status=Status.REPORTED)
    aggregates.refresh()
    got = dashboard({})
    assert got["totals"]["count"] == 0
    assert got["by_month"] == []


def test_refresh_on_commit_after_verify_and_reject(django_capture_on_commit_callbacks):
    records = make_records(60)
    aggregates.refresh()
    target = next(r for r in records if r.status == Status.REPORTED)
    count = dashboard({})["totals"]["count"]
    version = aggregates.data_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        GivingRecord.objects.filter(pk=target.pk).update(status=Status.VERIFIED, reviewed_at=timezone.now())
        aggregates.refresh_on_commit([target.date])
    # One refresh; the others renew the pages' topics at commit (core.fragments.touch).
    assert len([c for c in callbacks if not c.__qualname__.startswith("touch.")]) == 1
    assert dashboard({})["totals"]["count"] == count + 1
    assert aggregates.data_version() > version
    with django_capture_on_commit_callbacks(execute=True):
        GivingRecord.objects.filter(pk=target.pk).update(status=Status.REJECTED, rejection_reason="No proof.")
        aggregates.refresh_on_commit([target.date])
    assert dashboard({})["totals"]["count"] == count
    assert_same({})


def test_refresh_if_changed_rebuilds_only_after_a_change():
    make_records(40)
    assert aggregates.refresh_if_changed() is not None
    assert aggregates.refresh_if_changed() is None
    GivingRecord.objects.filter(status=Status.VERIFIED).order_by("pk").first().delete()
    assert aggregates.refresh_if_changed() is not None
    assert_same({})


def test_grouped_matches_python():
    make_records(200)
    aggregates.refresh()
    data = {"date_from": "2023-02-10", "date_to": "2023-09-20", "cause": ["health", "poverty"]}
    crit = aggregates.Criteria.from_filter(_valid(data))
    rows = aggregates.grouped(crit, ["donor_type", "year"])
    expected = defaultdict(lambda: [Decimal("0.00"), 0])
    for r in matching(data):
        expected[(r.donor_type, r.date.year)][0] += r.amount
        expected[(r.donor_type, r.date.year)][1] += 1
    assert {(r["donor_type"], r["year"]): (Decimal(r["total"]), r["count"]) for r in rows} == {
        k: tuple(v) for k, v in expected.items()
    }
    with pytest.raises(ValueError):
        aggregates.grouped(crit, ["nonsense"])


def _valid(data):
    filterset = GivingFilter(data)
    assert filterset.is_valid()
    return filterset


# --- The writes keep the aggregates fresh (refresh_on_commit after commit) --------------------


def _json_numbers(client, **params) -> dict:
    from django.urls import reverse

    response = client.get(reverse("giving:dashboard_data"), params)
    assert response.status_code == 200
    return response.json()


def _refreshes(callbacks) -> list:
    """The refreshes among the callbacks run after commit (the emails leave after commit too)."""
    return [c for c in callbacks if c.__qualname__.startswith("refresh_on_commit.")]


def _months(numbers: dict) -> dict:
    return {row["month"]: (Decimal(row["total"]), row["count"]) for row in numbers["by_month"]}


def test_verify_and_reject_through_the_services_update_the_dashboard(
    client, django_capture_on_commit_callbacks
):
    from giving.services import records as services
    from tests.factories import StaffFactory
    from tests.giving.factories import GivingRecordFactory

    staff = StaffFactory()
    GivingRecordFactory.create_batch(3, verified=True)
    aggregates.refresh()
    before = _json_numbers(client)
    record = GivingRecordFactory(amount=Decimal("777.77"), cause=Cause.EDUCATION)
    month = f"{record.date:%Y-%m}"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_verify(actor=staff, record=record)
    assert len(_refreshes(callbacks)) == 1  # the refresh was queued for after the commit
    after = _json_numbers(client)
    assert after["totals"]["count"] == before["totals"]["count"] + 1
    assert Decimal(after["totals"]["total"]) == Decimal(before["totals"]["total"]) + Decimal("777.77")
    assert _months(after)[month][1] == _months(before).get(month, (0, 0))[1] + 1
    education = _json_numbers(client, cause="education")
    assert Decimal(education["totals"]["total"]) >= Decimal("777.77")

    with django_capture_on_commit_callbacks(execute=True):
        services.record_reject(actor=staff, record=record, reason="Could not be confirmed.")
    assert _json_numbers(client)["totals"] == before["totals"]
    assert _json_numbers(client, cause="education") != education


def test_editing_and_bulk_verifying_refresh_the_months_they_touch(django_capture_on_commit_callbacks):
    from giving.services import records as services
    from tests.factories import StaffFactory
    from tests.giving.factories import GivingRecordFactory

    staff = StaffFactory()
    today = timezone.localdate()
    old_date = today.replace(day=1) - timedelta(days=40)  # two months apart, both in the past
    new_date = today.replace(day=1) - timedelta(days=100)
    record = GivingRecordFactory(verified=True, date=old_date, amount=Decimal("500.00"))
    reported = GivingRecordFactory.create_batch(2, date=new_date)
    aggregates.refresh()
    assert _months(dashboard({}))[f"{old_date:%Y-%m}"] == (Decimal("500.00"), 1)

    # A verified record moves to another month: both months are refreshed.
    with django_capture_on_commit_callbacks(execute=True):
        services.record_update(actor=staff, record=record, data={"date": new_date})
    months = _months(dashboard({}))
    assert f"{old_date:%Y-%m}" not in months
    assert months[f"{new_date:%Y-%m}"] == (Decimal("500.00"), 1)

    # Bulk verification: one refresh of the months of the records done.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done, skipped = services.records_bulk_moderate(
            actor=staff, ids=[r.pk for r in reported] + [record.pk], action=services.VERIFY
        )
    assert sorted(done) == sorted(r.pk for r in reported) and skipped == [record.pk]
    assert len(_refreshes(callbacks)) == 1
    assert_same({})
    assert dashboard({})["totals"]["count"] == 3

    # Rejecting records nobody sees changes no number: nothing is queued (never a full rebuild).
    waiting = GivingRecordFactory(date=new_date)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.records_bulk_moderate(
            actor=staff, ids=[waiting.pk], action=services.REJECT, reason="No proof."
        )
    assert _refreshes(callbacks) == []


def test_a_verified_record_created_by_a_service_is_counted(django_capture_on_commit_callbacks):
    from giving.choices import BeneficiaryGroup, Recurrence, Source
    from giving.services import records as services
    from tests.factories import StaffFactory

    aggregates.refresh()
    staff = StaffFactory()
    muni = Municipality.objects.get(slug="prishtine")
    data = {
        "date": timezone.localdate() - timedelta(days=3),
        "amount": Decimal("2500.00"),
        "support_kind": SupportKind.MONEY,
        "donor_type": DonorType.COMPANY,
        "donor_name": "Banka Ekonomike",
        "recipient_type": RecipientType.SCHOOL,
        "recipient_name": "Shkolla Fillore",
        "cause": Cause.EDUCATION,
        "geography": Geography.MUNICIPALITY,
        "municipality": muni,
        "beneficiary_group": BeneficiaryGroup.CHILDREN,
        "recurrence": Recurrence.ONE_OFF,
        "effect": Effect.STRATEGIC,
        "description": "Laptops for the computer lab.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.record_create(actor=staff, data=data, source=Source.STAFF, status=Status.VERIFIED)
    assert dashboard({})["totals"] == {"total": "2500.00", "count": 1, "average": "2500.00"}


def test_import_commit_of_verified_rows_shows_up(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from giving.services import imports
    from tests.factories import StaffFactory
    from tests.giving.test_imports import csv_bytes, row

    staff = StaffFactory()
    aggregates.refresh()
    rows = [
        row(date="2024-03-05", amount="100.00", donor_name="A L.L.C."),
        row(date="2024-03-20", amount="200.00", donor_name="B L.L.C."),
        row(date="2024-07-01", amount="300.00", donor_name="C L.L.C.", cause="health"),
    ]
    batch = imports.import_validate(actor=staff, uploaded_file=SimpleUploadedFile("g.csv", csv_bytes(rows)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imports.import_commit(actor=staff, batch=batch, mode=imports.MODE_ALL_OR_NOTHING, verify=True)
    assert len(_refreshes(callbacks)) == 1
    numbers = _json_numbers(client)
    assert numbers["totals"]["count"] == 3
    assert Decimal(numbers["totals"]["total"]) == Decimal("600.00")
    assert _months(numbers) == {"2024-03": (Decimal("300.00"), 2), "2024-07": (Decimal("300.00"), 1)}
    assert _json_numbers(client, cause="health")["totals"]["total"] == "300.00"


def test_an_admin_edit_of_a_verified_record_refreshes_the_dashboard(
    client, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.factories import StaffFactory
    from tests.giving.factories import GivingRecordFactory

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    record = GivingRecordFactory(verified=True, amount=Decimal("100.00"))
    aggregates.refresh()
    assert Decimal(_json_numbers(client)["totals"]["total"]) == Decimal("100.00")
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:giving_givingrecord_change", args=[record.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list | bool) or v}
    data["amount"] = "250.00"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert len(_refreshes(callbacks)) == 1
    client.logout()
    assert Decimal(_json_numbers(client)["totals"]["total"]) == Decimal("250.00")
