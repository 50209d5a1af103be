"""The transparency report's pre-fill from the grants app: what an organisation was
awarded in a year (grants.selectors.transparency_prefill, through transparency.prefill)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grants import selectors
from grants.choices import ApplicantType
from tests.grants.factories import CallFactory, verified_cso
from tests.grants.test_open_data_support import awarded_grant
from transparency import prefill

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BELGRADE)


@pytest.fixture
def org():
    organization = verified_cso(name="Qendra")
    call = CallFactory()
    awarded_grant(call=call, organization=organization, amount=Decimal("4000.00"), awarded_at=at(2026, 2, 10))
    awarded_grant(
        call=CallFactory(), organization=organization, amount=Decimal("2500.50"), awarded_at=at(2026, 11, 3)
    )
    # Late on New Year's Eve in Kosovo (22:30 UTC): the year is the local one, 2025.
    awarded_grant(
        call=call, organization=organization, amount=Decimal("1000.00"), awarded_at=at(2025, 12, 31, 23, 30)
    )
    # Others' grants never count.
    awarded_grant(
        call=call, organization=verified_cso(), amount=Decimal("9999.00"), awarded_at=at(2026, 3, 1)
    )
    awarded_grant(
        call=call, applicant_type=ApplicantType.GROUP, amount=Decimal("777.00"), awarded_at=at(2026, 3, 1)
    )
    return organization


def test_awarded_total_of_a_year(org):
    assert selectors.awarded_totals(org, 2026) == Decimal("6500.50")
    assert selectors.awarded_totals(org, 2025) == Decimal("1000.00")
    assert selectors.awarded_totals(org, 2024) == Decimal("0.00")


def test_transparency_prefill_gives_the_total_as_foreign_donor_income(org):
    items = selectors.transparency_prefill(org, 2026)
    assert [(field, value) for field, value, _source in items] == [
        ("income_foreign_donors", Decimal("6500.50"))
    ]
    assert selectors.transparency_prefill(org, 2024) == []


def test_through_transparency_prefill_collect(org):
    found = prefill.collect(org, 2026)
    assert found["income_foreign_donors"].value == Decimal("6500.50")
    assert found["income_foreign_donors"].source == "grants awarded through the portal"
    assert prefill.collect(org, 2025)["income_foreign_donors"].value == Decimal("1000.00")
    assert "income_foreign_donors" not in prefill.collect(org, 2024)


def test_an_organisation_without_grants_gets_nothing(org):
    assert "income_foreign_donors" not in prefill.collect(verified_cso(), 2026)
