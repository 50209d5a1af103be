"""Staff figures of volunteering: totals (volunteers, diaspora share, open places), confirmed
hours by municipality, cause and month, the export registered with core.reports, and the
page for staff only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core import reports
from core.models import Sector
from tests.factories import StaffFactory, UserFactory, municipality
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, editor_of, engagement
from volunteering.models import HoursEntry
from volunteering.selectors import figures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def data():
    ProfileFactory(country="DE")
    cause = Sector.objects.first()
    opportunity = OpportunityFactory(places=3, cause=cause, municipality=municipality("prishtine"))
    eng, _editor, _volunteer = engagement(opportunity)  # a third profile; one place taken
    for day, hours, status in (
        (datetime.date(2026, 10, 5), "2", "confirmed"),
        (datetime.date(2026, 11, 5), "3.5", "confirmed"),
        (datetime.date(2026, 11, 6), "9", "logged"),
    ):
        HoursEntry.objects.create(
            engagement=eng, date=day, hours=Decimal(hours), description="x", status=status
        )
    return cause


def test_totals_and_breakdowns(data):
    totals = figures.totals()
    assert totals["volunteers"] == 2
    assert (totals["diaspora"], totals["diaspora_share"]) == (1, 50.0)
    assert totals["open_places"] == 2
    assert totals["confirmed_hours"] == Decimal("5.5")
    assert figures.hours_by_municipality() == [(municipality("prishtine").name, Decimal("5.5"))]
    assert figures.hours_by_cause() == [(data.name, Decimal("5.5"))]
    months = [(m.strftime("%Y-%m"), h) for m, h in figures.hours_by_month()]
    assert months == [("2026-11", Decimal("3.5")), ("2026-10", Decimal("2"))]


def test_export_is_registered_for_staff(data):
    report = reports.get("volunteering.figures")
    assert report.permission == "volunteering.view_figures"
    assert report.formats == ("csv", "xlsx")
    total, rows = report.rows({}, StaffFactory())
    rows = list(rows)
    assert total == len(rows)
    assert ["Totals", "Volunteers", 2] in rows
    assert ["Confirmed hours by month", "2026-11", Decimal("3.5")] in rows


@pytest.mark.parametrize("role,expected", [("staff", 200), ("citizen", 403), ("editor", 403)])
def test_figures_page_for_staff_only(client, data, role, expected):
    user = {"staff": StaffFactory, "citizen": UserFactory}.get(
        role, lambda: editor_of(OpportunityFactory().organization)
    )()
    client.force_login(user)
    response = client.get(reverse("volunteering:figures"))
    assert response.status_code == expected
    if expected == 200:
        assert "50.0%" in response.content.decode()
        assert not UserFactory().has_perm("volunteering.view_figures")


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("volunteering:figures")).status_code == 302


def test_figures_page_query_count_is_flat(client, data, django_assert_max_num_queries):
    client.force_login(StaffFactory())
    with django_assert_max_num_queries(20):
        assert client.get(reverse("volunteering:figures")).status_code == 200
