"""Fixtures and hooks of the whole suite. Helpers that tests import are in tests/helpers.py and
the factories (tests/factories.py, tests/<app>/factories.py), never in a conftest."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_factoryboy import register

from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.helpers import load_reference_data

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + playwright

register(factories.UserFactory)
register(factories.StaffFactory, "staff_user")
register(factories.OrganizationFactory)
register(factories.MembershipFactory)
register(factories.InvitationFactory)


@pytest.fixture(autouse=True)
def _staff_passed_mfa(request, monkeypatch):
    """Staff logged in with client.force_login count as having passed MFA (TOTP set up and
    a code given in this session), so that tests about other things reach staff pages and
    the admin. Tests marked `real_mfa` get the real check."""
    if request.node.get_closest_marker("real_mfa") is None:
        monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: True)


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: their transactional tests flush the database, data-migration
    rows (municipalities, sectors) included, which the tests after them rely on.
    The benchmark tests share one pytest-xdist worker (`make test` passes --dist loadgroup),
    so that one process migrates the template database they copy (40 s), not each."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    for item in items:
        if "bench_template_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("bench"))


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request, django_db_blocker):
    """A transactional test ends with a flush of every table, data-migration rows included;
    before each test, put them back if an earlier test flushed them (one cheap query). Tests
    that do not use the database skip this (run alone, they have no test database)."""
    if request.node.get_closest_marker("django_db") is None and not DB_FIXTURES & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("django_db_setup")
    from core.models import Municipality

    with django_db_blocker.unblock():
        if not Municipality.objects.exists():
            load_reference_data()
    yield


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--headless=new",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def org_roles(db):
    """One organisation and a user for every role: the permission-matrix fixture."""
    org = factories.OrganizationFactory()
    return {
        "organization": org,
        "anonymous": None,
        "citizen": factories.UserFactory(),
        "viewer": member_of(org, Membership.Role.VIEWER),
        "editor": member_of(org, Membership.Role.EDITOR),
        "owner": member_of(org, Membership.Role.OWNER),
        "staff": factories.StaffFactory(),
    }


@pytest.fixture
def english():
    """Run a test in English: reverse() gives /en/ URLs and services speak English. For
    modules whose assertions quote the English source strings; the other languages have
    their own tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference_data(transactional_db):
    """For browser tests: the data-migration rows, which an earlier transactional test
    flushed (serialized_rollback does not restore them when pytest-playwright's `page` is used)."""
    load_reference_data()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (a request of an earlier test may
    have left another one active in this thread, which reverse() would then use)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def bench_template_database():
    """A migrated PostgreSQL database that the benchmark tests copy (`bench --template-database`)
    instead of migrating a new one each (40 s apiece): CI's template of the test databases
    (settings.TEST_DATABASE_TEMPLATE, kept), else one made by the first benchmark test of the
    process and dropped at the end."""
    from django.conf import settings

    if settings.TEST_DATABASE_TEMPLATE:
        yield settings.TEST_DATABASE_TEMPLATE
        return
    name = f"cea_benchtpl_{os.getpid()}"
    yield name
    from django.db import connection

    if connection.vendor == "postgresql":
        from core.management.commands.bench import _admin_connection

        admin = _admin_connection()
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            admin.close()
