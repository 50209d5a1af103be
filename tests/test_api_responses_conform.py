"""Every list and detail response of the API conforms to the published schema (issue 12,
item 21: clients generated from the schema rejected real data: a blank diaspora_channel, a
null municipality, donor and recipient organisations). Data with the blanks and nulls real
records have, every GET operation of the schema, and each detail reached from its list."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections

from config.wsgi import application
from giving import aggregates
from giving.choices import DonorType, Geography
from organizations.models import Organization
from tests import factories
from tests.giving.factories import GivingRecordFactory
from tests.grants.factories import awarded_grant
from tests.transparency.factories import TransparencyReportFactory
from transparency.choices import FundingProcedure
from transparency.models import PublicFundingRecord

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_db_connection():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def data():
    cso = factories.OrganizationFactory(
        name="Zëri", slug="zeri", verification_status=Organization.Verification.VERIFIED
    )
    # The blanks and nulls of real records: no diaspora channel, no effect, no organisations,
    # no municipality (Kosovo-wide); and one with everything.
    GivingRecordFactory(verified=True, kosovo_wide=True, effect="")
    GivingRecordFactory(verified=True, donor_type=DonorType.INDIVIDUAL, donor_name_public=False)
    GivingRecordFactory(
        verified=True, diaspora=True, recipient_organization=cso, geography=Geography.MUNICIPALITY
    )
    awarded_grant()
    TransparencyReportFactory(published=True, organization=cso)
    ministry = factories.OrganizationFactory(
        kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number="9100001"
    )
    # The public funding to CSOs: one record known by its recipient, one only by a name.
    for recipient, name in ((cso, cso.name), (None, "Shoqata pa profil")):
        PublicFundingRecord.objects.create(
            institution=ministry,
            recipient=recipient,
            recipient_name=name,
            year=2024,
            amount="2500.00",
            procedure=FundingProcedure.OPEN_CALL,
        )
    aggregates.refresh()
    _token, key = factories.partner_token()
    return {"Authorization": f"Token {key}"}


def _get(path: str, headers: dict, query=None, path_parameters=None):
    operation = schema[path]["GET"]
    case = operation.Case(query=query or {}, path_parameters=path_parameters or {}, headers=headers)
    response = case.call()
    assert response.status_code == 200, (path, response.text[:500])
    case.validate_response(response)
    return response.json()


LISTS = [
    path for path, operations in schema.raw_schema["paths"].items() if "get" in operations and "{" not in path
]
DETAILS = [
    path for path, operations in schema.raw_schema["paths"].items() if "get" in operations and "{" in path
]


@pytest.mark.parametrize("path", LISTS)
def test_list_responses_conform(data, path):
    _get(path, data)


@pytest.mark.parametrize("group_by", ["", "municipality", "effect,diaspora", "year,month,cause"])
def test_aggregate_rows_conform(data, group_by):
    body = _get("/api/v1/giving/aggregates/", data, query={"group_by": group_by} if group_by else {})
    assert body["results"]


@pytest.mark.parametrize("path", DETAILS)
def test_detail_responses_conform(data, path):
    parent, _slash, rest = path.rpartition("/{")
    name = rest.split("}")[0]
    body = _get(parent + "/", data)
    results = body.get("results", body) if isinstance(body, dict) else body
    if not results:
        pytest.skip(f"no {parent} in the test data")
    for item in results:
        value = item.get(name)
        if value is None and name == "slug":
            value = (item.get("organization") or {}).get("slug")
        _get(path, data, path_parameters={name: value})
