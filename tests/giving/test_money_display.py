"""Giving shows amounts as the page's language writes them (issue 11): "1.554.050,00" in sq,
"1,554,050.00" in en, on a page, in an email and in the yearly PDF (its HTML)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from giving import aggregates
from giving import exports as reports
from giving.services import records as services
from tests.factories import StaffFactory, UserFactory
from tests.giving.factories import GivingRecordFactory

pytestmark = pytest.mark.django_db

AMOUNT = Decimal("1554050.00")
NUMBER = {"sq": "1.554.050,00", "en": "1,554,050.00"}
WITH_SIGN = {"sq": "1.554.050,00 €", "en": "€1,554,050.00"}


@pytest.mark.parametrize("language", ["sq", "en"])
def test_moderation_page(client, language):
    GivingRecordFactory(amount=AMOUNT)
    client.force_login(StaffFactory())
    with translation.override(language):
        url = reverse("giving:moderation")
    body = client.get(url).content.decode()
    assert f'<td class="text-end">{NUMBER[language]}</td>' in body
    assert "1554050.00" not in body


@pytest.mark.parametrize("language", ["sq", "en"])
def test_verified_email(django_capture_on_commit_callbacks, language):
    person = UserFactory(preferred_language=language)
    record = GivingRecordFactory(amount=AMOUNT, entered_by=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_verify(actor=StaffFactory(), record=record)
    (message,) = [m for m in mail.outbox if person.email in m.to]
    assert WITH_SIGN[language] in message.body
    assert "EUR" not in message.body


@pytest.mark.parametrize("language", ["sq", "en"])
def test_yearly_report_pdf_html(language):
    year = timezone.localdate().year - 1
    GivingRecordFactory(amount=AMOUNT, date=datetime.date(year, 3, 1), verified=True)
    aggregates.refresh()
    with translation.override(language):
        context = reports.yearly_report_context(year)
        context.update(generated=timezone.localtime(), language=language, version=1)
        html = render_to_string("giving/pdf/yearly_report.html", context)
    assert NUMBER[language] in html  # the totals and the tables
    assert WITH_SIGN[language] in html  # the charts' value labels
