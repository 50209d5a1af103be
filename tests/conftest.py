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
