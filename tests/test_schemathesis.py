"""Fuzz the whole public API schema in-process (RECIPES.md): no 500s, responses and
status codes as documented, malformed input rejected with a 4xx."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections

from config.wsgi import application
from organizations.models import Organization
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=25, allow_x00=False)


@pytest.fixture(autouse=True)
def _keep_test_db_connection():  # else "connection already closed" → 500s
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _some_organizations(db):
    factories.OrganizationFactory(name="Alpha", slug="alpha")
    factories.OrganizationFactory(
        name="Beta", slug="beta", verification_status=Organization.Verification.VERIFIED
    )
    factories.OrganizationFactory(
        name="Gamma", slug="gamma", kind=Organization.Kind.INFORMAL_GROUP, registration_number=""
    )


@pytest.mark.django_db
@schema.parametrize()
def test_api(case):
    case.call_and_validate()
