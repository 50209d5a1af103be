"""Every form that takes money reads the three amount cases of issue 11 the way the page's
language writes them: "1.500,00" (both), "1.500" (one thousand five hundred in sq and
sr-Latn, refused in en), "1,500" (refused in sq, one thousand five hundred in en)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.money import MoneyField
from giving.forms import GivingRecordForm, PublicReportForm
from grants.choices import BudgetCategory
from grants.forms.staff import DecideForm
from grants.services import awards
from tests.factories import StaffFactory
from tests.grants.factories import ApplicationFactory, CallFactory, awarded_grant
from transparency.forms.reports import IncomeForm, SpendingForm

pytestmark = pytest.mark.django_db

REFUSED = "refused"
CASES = [
    ("sq", "1.500,00", Decimal("1500.00")),
    ("sq", "1.500", Decimal("1500.00")),
    ("sq", "1,500", REFUSED),
    ("sr-latn", "1.500,00", Decimal("1500.00")),
    ("sr-latn", "1.500", Decimal("1500.00")),
    ("sr-latn", "1,500", REFUSED),
    ("en", "1.500,00", Decimal("1500.00")),
    ("en", "1.500", REFUSED),
    ("en", "1,500", Decimal("1500.00")),
]


def money_fields():
    staff = StaffFactory()
    yield "giving record", GivingRecordForm(user=staff).fields["amount"]
    yield "giving public report", PublicReportForm().fields["amount"]
    yield "grant decision", DecideForm().fields["amount"]
    for form in (IncomeForm(), SpendingForm()):
        for name, field in form.fields.items():
            if isinstance(field, MoneyField):
                yield f"transparency {name}", field


def _read(field, typed):
    try:
        return field.clean(typed)
    except ValidationError:
        return REFUSED


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_every_money_form_field(language, typed, expected):
    with translation.override(language):
        fields = list(money_fields())
        assert len(fields) > 5  # the transparency sections hold several amounts
        for label, field in fields:
            assert isinstance(field, MoneyField), label
            assert _read(field, typed) == expected, label


def test_transparency_sections_take_every_amount_through_money_field():
    for form in (IncomeForm(), SpendingForm()):
        assert form.fields and all(isinstance(f, MoneyField) for f in form.fields.values())


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_public_report_form_whole(language, typed, expected):
    with translation.override(language):
        form = PublicReportForm({"amount": typed})
        form.is_valid()
    if expected == REFUSED:
        assert "amount" in form.errors
    else:
        assert "amount" not in form.errors and form.cleaned_data["amount"] == expected


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_grant_budget_editor(client, language, typed, expected):
    application = ApplicationFactory(call=CallFactory(with_form=True))
    client.force_login(application.applicant)
    with translation.override(language):
        url = reverse("grants:application_section", kwargs={"pk": application.pk, "section": "budget"})
    data = {
        "b-0-category": BudgetCategory.EVENTS,
        "b-0-item": "Workshops",
        "b-0-quantity": "2",
        "b-0-unit_cost": typed,
        "b-0-cofinancing": typed,
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    application.refresh_from_db()
    if expected == REFUSED:
        assert response.status_code == 400
        assert application.total_cost == Decimal("0.00")
    else:
        assert response.status_code in (200, 302)
        assert application.total_cost == 2 * expected
        assert application.cofinancing_amount == expected and application.requested_amount == expected


@pytest.mark.parametrize(("language", "typed", "expected"), CASES)
def test_tranche_plan(language, typed, expected):
    staff = StaffFactory()
    grant = awarded_grant(staff=staff)  # 4000 EUR
    rows = [
        {"number": "1", "amount": typed, "planned_on": "2030-01-01"},
        {"number": "2", "amount": "2500", "planned_on": "2030-06-01"},
    ]
    with translation.override(language):
        if expected == REFUSED:
            with pytest.raises(ValidationError):
                awards.tranches_set_plan(actor=staff, grant=grant, rows=rows)
            assert not grant.tranches.exists()
        else:
            awards.tranches_set_plan(actor=staff, grant=grant, rows=rows)
            assert grant.tranches.get(number=1).amount == expected


def test_decision_form_shows_the_amount_as_the_page_writes_it():
    for language, shown in (("sq", "4.500,00"), ("sr-latn", "4.500,00"), ("en", "4,500.00")):
        with translation.override(language):
            html = str(DecideForm(initial={"amount": Decimal("4500")})["amount"])
            assert f'value="{shown}"' in html and 'inputmode="decimal"' in html and 'type="text"' in html
            form = DecideForm({"decision": "approve", "amount": shown})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["amount"] == Decimal("4500.00")
