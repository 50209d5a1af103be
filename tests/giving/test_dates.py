"""Dates of gifts: before 1990 or after today (in Europe/Belgrade) are refused with a message,
by the model's validation, on every path: services, form, API, bulk API, import (issue 12,
item 11: "0001-01-01" used to overflow in the near-duplicate search and answer 500)."""

import csv
import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from giving.choices import Source
from giving.models import GivingRecord, ImportBatch
from giving.services import imports, records
from organizations import services as org_services
from organizations.models import Membership
from tests.factories import OrganizationFactory, StaffFactory, member_of
from tests.giving.factories import GivingRecordFactory, record_form_data
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TOO_EARLY = "The date of a gift cannot be before 1990."
FUTURE = "The date of a gift cannot be in the future."
BAD_DATES = [("0001-01-01", TOO_EARLY), ("1989-12-31", TOO_EARLY)]


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def near_record():
    """A record the near-duplicate search looks at (it used to overflow before reaching it)."""
    return GivingRecordFactory(date=datetime.date(1990, 1, 3))


@pytest.mark.parametrize("value,message", BAD_DATES)
def test_the_model_refuses_dates_before_1990(value, message):
    record = GivingRecordFactory.build(date=datetime.date.fromisoformat(value))
    with pytest.raises(ValidationError) as exc:
        records.prepare_record(record)
    assert exc.value.message_dict["date"] == [message]


def test_1990_and_today_in_belgrade_are_accepted(near_record):
    for day in (datetime.date(1990, 1, 1), timezone.localdate()):
        records.prepare_record(GivingRecordFactory.build(date=day))


def test_today_is_belgrades_today():
    """At 23:30 UTC on 5 December it is already 6 December in Belgrade: the 6th is today."""
    instant = datetime.datetime(2026, 12, 5, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=instant):
        records.prepare_record(GivingRecordFactory.build(date=datetime.date(2026, 12, 6)))
        with pytest.raises(ValidationError) as exc:
            records.prepare_record(GivingRecordFactory.build(date=datetime.date(2026, 12, 7)))
    assert exc.value.message_dict["date"] == [FUTURE]


@pytest.mark.parametrize("value,message", BAD_DATES)
def test_the_form_says_so(client, near_record, value, message):
    response = login(client, StaffFactory()).post(
        reverse("giving:record_add"), record_form_data(date=value), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["date"])
    assert message in response.content.decode()
    assert GivingRecord.objects.count() == 1


def _gift(**overrides) -> dict:
    body = {
        "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "amount": "750.00",
        "support_kind": "money",
        "donor_type": "diaspora_individual",
        "donor_name": "Arben K.",
        "donor_name_public": False,
        "donor_country": "CH",
        "diaspora_channel": "crowdfunding",
        "recipient_type": "health",
        "recipient_name": "QKMF Podujevë",
        "cause": "health",
        "beneficiary_group": "general",
        "geography": "municipality",
        "municipality": "podujeve",
    }
    body.update(overrides)
    return body


@pytest.fixture
def partner():
    owner = member_of(OrganizationFactory(), Membership.Role.OWNER)
    _token, key = org_services.api_token_create(
        actor=owner, organization=owner.memberships.get().organization, name="feeder", scopes=["giving:write"]
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return api


@pytest.mark.parametrize("value,message", [*BAD_DATES, ("tomorrow", FUTURE)])
def test_the_api_answers_400(partner, value, message):
    value = _tomorrow() if value == "tomorrow" else value
    GivingRecordFactory(date=datetime.date(1990, 1, 3), recipient_type="health", cause="health")
    response = partner.post(
        "/api/v1/giving/records/", _gift(date=value), format="json", HTTP_IDEMPOTENCY_KEY="d-1"
    )
    assert response.status_code == 400, response.content
    assert message in str(response.json()["date"])
    response = partner.post(
        "/api/v1/giving/records/bulk/",
        {"records": [_gift(amount="10.00"), _gift(date=value)]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="d-2",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["records"]
    assert list(errors) == ["1"] and message in str(errors["1"]["date"])
    assert GivingRecord.objects.filter(source=Source.PARTNER).count() == 0


def _csv(dates: list[str]) -> SimpleUploadedFile:
    row = {
        "amount": "1200.50",
        "support_kind": "money",
        "donor_type": "company",
        "donor_name": "Shpresa L.L.C.",
        "donor_name_public": "yes",
        "recipient_type": "cso",
        "recipient_name": "Qendra Rinore",
        "cause": "education",
        "beneficiary_group": "youth",
        "municipality": "prishtine",
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.COLUMN_NAMES)
    for number, date in enumerate(dates):
        values = row | {"date": date, "description": f"Gift {number}"}
        writer.writerow([values.get(column, "") for column in imports.COLUMN_NAMES])
    return SimpleUploadedFile("gifts.csv", out.getvalue().encode())


def test_an_import_reports_the_row_instead_of_failing_the_batch(near_record):
    upload = _csv(["2024-05-10", "0001-01-01", "1989-12-31", "1990-01-01"])
    batch = imports.import_validate(actor=StaffFactory(), uploaded_file=upload)
    assert batch.state == ImportBatch.State.VALIDATED, batch.errors
    found = {(error["row"], error["column"]): error["message"] for error in batch.errors}
    assert found == {(3, "date"): TOO_EARLY, (4, "date"): TOO_EARLY}
    assert batch.rows_valid == 2
