"""Pre-fill of a new report: from last year's published report, from the giving tracker's
verified gifts, skipping apps that are not installed and providers that fail."""

import datetime
from decimal import Decimal

import pytest

from core.models import Municipality
from giving.choices import DonorType, SupportKind
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.giving.factories import GivingRecordFactory
from tests.transparency.factories import BoardMemberFactory, TransparencyReportFactory, last_year
from transparency import prefill
from transparency.models import TransparencyReport
from transparency.services import reports as services

pytestmark = pytest.mark.django_db

YEAR = last_year()


@pytest.fixture
def org():
    return factories.OrganizationFactory()


@pytest.fixture
def editor(org):
    return member_of(org, Membership.Role.EDITOR)


def _gift(org, amount, *, year=YEAR, **kwargs):
    kwargs.setdefault("verified", True)
    return GivingRecordFactory(
        recipient_organization=org, amount=Decimal(amount), date=datetime.date(year, 6, 1), **kwargs
    )


def test_nothing_known_starts_empty(org, editor):
    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.prefill_sources == {}
    assert report.total_income == 0
    assert report.board_members.count() == 0


def test_from_last_years_published_report(org, editor):
    last = TransparencyReportFactory(
        organization=org, year=YEAR - 1, published=True, board=0, main_activities="Youth clubs in Gjilan"
    )
    BoardMemberFactory(report=last, name="Arta Krasniqi", role="Chair", ordering=0)
    BoardMemberFactory(report=last, name="Driton Berisha", role="Treasurer", ordering=1)
    last.municipalities.set(Municipality.objects.filter(slug__in=["gjilan", "prishtine"]))
    TransparencyReportFactory(organization=org, year=YEAR - 2, published=True, income_other=Decimal("9"))

    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.income_foreign_donors == last.income_foreign_donors
    assert report.income_other == 0  # from the newest report, not an older one
    assert (report.staff_full_time, report.volunteers) == (last.staff_full_time, last.volunteers)
    assert report.main_activities == "Youth clubs in Gjilan"
    assert [(m.name, m.role) for m in report.board_members.all()] == [
        ("Arta Krasniqi", "Chair"),
        ("Driton Berisha", "Treasurer"),
    ]
    assert {m.slug for m in report.municipalities.all()} == {"gjilan", "prishtine"}
    assert report.prefill_sources["board"] == {"source": "your last published report", "value": "2"}
    assert report.prefill_sources["income_foreign_donors"]["value"] == "40000.00"
    # expenditure is not carried over (it is this year's to give)
    assert report.total_expenditure == 0


def test_drafts_and_later_years_are_not_used(org, editor):
    TransparencyReportFactory(organization=org, year=YEAR - 1)  # a draft
    TransparencyReportFactory(organization=org, year=YEAR + 1 if YEAR + 1 <= 2100 else YEAR, published=True)
    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.prefill_sources == {}


def test_from_verified_gifts_in_the_giving_tracker(org, editor):
    _gift(org, "700.00", donor_type=DonorType.INDIVIDUAL)
    _gift(org, "500.00", donor_type=DonorType.INDIVIDUAL)
    _gift(org, "2000.00", donor_type=DonorType.COMPANY)
    _gift(org, "300.00", diaspora=True)
    # not counted: unverified, another year, goods, another recipient
    _gift(org, "11.00", verified=False, donor_type=DonorType.INDIVIDUAL)
    _gift(org, "13.00", year=YEAR - 1, donor_type=DonorType.INDIVIDUAL)
    _gift(org, "17.00", donor_type=DonorType.INDIVIDUAL, support_kind=SupportKind.GOODS)
    _gift(factories.OrganizationFactory(), "19.00", donor_type=DonorType.INDIVIDUAL)

    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.income_domestic_individuals == Decimal("1200.00")
    assert report.income_domestic_businesses == Decimal("2000.00")
    assert report.income_diaspora == Decimal("300.00")
    assert report.prefill_sources["income_domestic_individuals"] == {
        "source": "the giving tracker",
        "value": "1200.00",
    }


def test_giving_wins_over_last_years_figure_for_the_same_field(org, editor):
    TransparencyReportFactory(organization=org, year=YEAR - 1, published=True)  # individuals: 1,200
    _gift(org, "450.00", donor_type=DonorType.INDIVIDUAL)
    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.income_domestic_individuals == Decimal("450.00")
    assert report.prefill_sources["income_domestic_individuals"]["source"] == "the giving tracker"
    assert report.prefill_sources["income_foreign_donors"]["source"] == "your last published report"


def test_giving_selector_without_gifts_gives_nothing(org):
    from giving.selectors import transparency_prefill

    assert transparency_prefill(org, YEAR) == []


def test_providers_of_apps_not_installed_are_skipped(org, settings, caplog):
    settings.TRANSPARENCY_PREFILL_PROVIDERS = [
        "grants.selectors.transparency_prefill",
        "volunteering.selectors.transparency_prefill",
        "giving.selectors.transparency_prefill",
    ]
    _gift(org, "80.00", donor_type=DonorType.COMPANY)
    found = prefill.collect(org, YEAR)
    assert set(found) == {"income_domestic_businesses"}
    assert "grants" not in caplog.text


def _failing_provider(organization, year):
    raise RuntimeError("bug in another app")


def _bad_items_provider(organization, year):
    return [
        ("income_other", "-5", "a test"),  # negative
        ("password", "x", "a test"),  # not a report field
        ("income_diaspora", "not a number", "a test"),
        ("volunteer_hours", 120, "a test"),  # the one good item
        "garbage",
    ]


def test_a_failing_provider_does_not_break_the_report(org, editor, settings, caplog, monkeypatch):
    # Providers must belong to an installed app: plant the failing one in giving.selectors.
    monkeypatch.setattr("giving.selectors.broken_prefill", _failing_provider, raising=False)
    settings.TRANSPARENCY_PREFILL_PROVIDERS = [
        "giving.selectors.broken_prefill",
        "giving.selectors.transparency_prefill",
    ]
    _gift(org, "80.00", donor_type=DonorType.COMPANY)
    report = services.report_start(actor=editor, organization=org, year=YEAR)
    assert report.income_domestic_businesses == Decimal("80.00")
    assert "failed" in caplog.text
    assert TransparencyReport.objects.filter(pk=report.pk).exists()


def test_unusable_items_are_ignored(org, settings, monkeypatch):
    monkeypatch.setattr("giving.selectors.bad_prefill", _bad_items_provider, raising=False)
    settings.TRANSPARENCY_PREFILL_PROVIDERS = ["giving.selectors.bad_prefill"]
    found = prefill.collect(org, YEAR)
    assert set(found) == {"volunteer_hours"}
    assert found["volunteer_hours"].value == 120


def test_a_provider_that_cannot_be_imported_is_skipped(org, settings):
    settings.TRANSPARENCY_PREFILL_PROVIDERS = ["giving.selectors.no_such_function"]
    assert prefill.collect(org, YEAR) == {}


def test_the_setting_lists_the_future_apps():
    from django.conf import settings

    assert "grants.selectors.transparency_prefill" in settings.TRANSPARENCY_PREFILL_PROVIDERS
    assert "volunteering.selectors.transparency_prefill" in settings.TRANSPARENCY_PREFILL_PROVIDERS
