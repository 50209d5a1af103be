"""Transparency shows amounts as the page's language writes them (issue 11): the report
editor's live totals and messages, "44.500,00 €" in sq and "€44,500.00" in en."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.transparency.factories import TransparencyReportFactory, private_files  # noqa: F401
from tests.transparency.test_views import income_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
HTMX = {"HTTP_HX_REQUEST": "true"}
TOTAL = {"sq": "44.500,00 €", "en": "€44,500.00"}
DECLARED = {"sq": "50.000,00 €", "en": "€50,000.00"}


@pytest.mark.parametrize("language", ["sq", "en"])
def test_report_editor_totals_and_message(client, language):
    org = factories.OrganizationFactory()
    draft = TransparencyReportFactory(organization=org)
    client.force_login(member_of(org, Membership.Role.EDITOR))
    with translation.override(language):
        url = reverse("transparency:report_section", kwargs={"pk": draft.pk, "section": "income"})
    response = client.post(url, income_data(total_income_declared="50000"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    draft.refresh_from_db()
    assert draft.total_income == Decimal("44500")
    assert f'data-total="income">{TOTAL[language]}</dd>' in html
    assert DECLARED[language] in html  # "the total you gave" and the message about the gap
    assert "44500" not in html and "EUR</dd>" not in html


@pytest.mark.parametrize("language", ["sq", "en"])
def test_public_report_page(client, language):
    report = TransparencyReportFactory(published=True, income_foreign_donors=Decimal("1554050"))
    with translation.override(language):
        url = reverse("transparency:report_public", kwargs={"pk": report.pk})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert {"sq": "1.554.050,00", "en": "1,554,050.00"}[language] in html
