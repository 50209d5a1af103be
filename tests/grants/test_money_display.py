"""Grants show amounts as the page's language writes them (issue 11): "1.554.050,00 €" in sq,
"€1,554,050.00" in en, on a page, in an email and in a PDF (its HTML before WeasyPrint)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, awarded_grant

pytestmark = pytest.mark.django_db

EXPECTED = {
    "sq": ("1.500,00 €", "8.000,00 €", "1.554.050,00 €"),
    "en": ("€1,500.00", "€8,000.00", "€1,554,050.00"),
}


def _call():
    return CallFactory(
        with_form=True,
        min_amount=Decimal("1500.00"),
        max_amount=Decimal("8000.00"),
        total_budget=Decimal("1554050.00"),
    )


@pytest.mark.parametrize("language", ["sq", "en"])
def test_call_page(client, language):
    call = _call()
    with translation.override(language):
        url = reverse("grants:call_detail", kwargs={"slug": call.slug})
    body = client.get(url).content.decode()
    for text in EXPECTED[language]:
        assert text in body
    assert " EUR</dd>" not in body and "1554050" not in body


@pytest.mark.parametrize("language", ["sq", "en"])
def test_call_questions_pdf(client, monkeypatch, language):
    seen = []
    monkeypatch.setattr("grants.views.calls.html_to_pdf", lambda out, html: seen.append(html))
    call = _call()
    with translation.override(language):
        url = reverse("grants:call_questions", kwargs={"slug": call.slug})
    assert client.get(url).status_code == 200
    low, high, _budget = EXPECTED[language]
    assert f"{low} – {high}" in seen[0]


@pytest.mark.parametrize(("language", "amount"), [("sq", "4.000,00 €"), ("en", "€4,000.00")])
def test_decision_email(django_capture_on_commit_callbacks, language, amount):
    applicant = UserFactory(preferred_language=language)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awarded_grant(applicant=applicant, staff=StaffFactory(), amount="4000")
    bodies = [m.body for m in mail.outbox if applicant.email in m.to]
    assert any(amount in body for body in bodies), bodies
    assert not any("4000.00" in body or "4,000.00 EUR" in body for body in bodies)
