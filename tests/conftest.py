import os

import pytest
from django.core.cache import cache
from django.utils import translation
from pytest_factoryboy import register

from organizations.models import Membership
from tests import factories

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
    rows (municipalities, sectors) included, which the tests after them rely on."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def load_reference_data():
    """The rows the data migrations load (municipalities, sectors, the site)."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    from core.models import Municipality, Sector
    from core.reference_data import MUNICIPALITIES, SECTORS

    for slug, sq, sr, en in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en}
        )
    for order, (slug, sq, sr, en) in enumerate(SECTORS):
        Sector.objects.update_or_create(
            slug=slug, defaults={"name_sq": sq, "name_sr": sr, "name_en": en, "ordering": order}
        )
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "testserver", "name": "CEA Portal"}
    )
    Site.objects.clear_cache()


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(django_db_setup, django_db_blocker):
    """A transactional test ends with a flush of every table, data-migration rows included;
    before each test, put them back if an earlier test flushed them (one cheap query)."""
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


def member_of(organization, role):
    """A fresh user holding `role` in `organization`."""
    user = factories.UserFactory()
    Membership.objects.create(organization=organization, user=user, role=role)
    return user


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


def t(message: str, language: str = "sq", **params) -> str:
    """`message` as a page in `language` shows it (the portal's default language is sq)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


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
