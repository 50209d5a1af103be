"""Fuzz the whole public API schema in-process (RECIPES.md): no 500s, responses and
status codes as documented, malformed input rejected with a 4xx.

Twice: anonymously (every operation, on any database), and as a partner whose token holds
every scope with the throttles lifted, so that the writes get past 401 to their validation
and the database (PostgreSQL only: it is the one that refuses what SQLite takes, NUL in
text first). Both runs are deterministic (derandomized, no example database), so CI sees
the same examples each time."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from organizations.models import Organization
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(max_examples=25, allow_x00=False, deterministic=True, database="none")

# The partner run sends NUL too (the parsers answer 400 naming the field), with fewer examples
# per operation: about a minute on two cores.
partner_schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
partner_schema.config.generation.update(max_examples=10, allow_x00=True, deterministic=True, database="none")


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


@pytest.fixture
def partner_headers(monkeypatch):
    monkeypatch.setattr("rest_framework.views.APIView.check_throttles", lambda self, request: None)
    _token, key = factories.partner_token()
    return {"Authorization": f"Token {key}"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the partner fuzz runs on PostgreSQL")
@pytest.mark.django_db
@partner_schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one partner for all examples
def test_api_as_partner_with_every_scope(case, partner_headers):
    # A write may refuse a body the schema allows for what a schema cannot say: a slug of
    # an organisation that does not exist, a municipality required by geography, a future
    # date, a duplicate. Every other check holds (no 500, documented codes and bodies).
    excluded = [positive_data_acceptance] if case.method in ("POST", "PATCH", "PUT") else []
    case.call_and_validate(headers=partner_headers, excluded_checks=excluded)
