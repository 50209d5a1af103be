"""A person's model permissions (ModelBackend's two queries on every page that asks has_perm)
are kept in the cache (accounts.backends.CachedPermissionsBackend) and a change shows at the
next request: a permission granted or revoked, to the person or to one of their groups, a
group left, a superuser made. When the cache does not answer they are read as before."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core import fragments
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERM = "giving.view_givingrecord"


def fresh(user) -> User:
    """The person as the next request loads them."""
    return User.objects.get(pk=user.pk)


def permission() -> Permission:
    return Permission.objects.get(content_type__app_label="giving", codename="view_givingrecord")


def test_once_kept_they_cost_no_query():
    user = UserFactory()
    assert not fresh(user).has_perm(PERM)
    with CaptureQueriesContext(connection) as ctx:
        assert not fresh(user).has_perm(PERM)
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_the_directory_asks_no_permission_query_once_warm(client):
    client.force_login(UserFactory())
    with translation.override("en"):
        url = reverse("organizations:directory")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not [q for q in ctx.captured_queries if "auth_permission" in q["sql"]]


def test_a_permission_of_a_group_shows_at_the_next_request_and_goes():
    user = UserFactory()
    group = Group.objects.create(name="Readers")
    assert not fresh(user).has_perm(PERM)
    group.permissions.add(permission())
    user.groups.add(group)
    assert fresh(user).has_perm(PERM)
    group.permissions.remove(permission())
    assert not fresh(user).has_perm(PERM)
    group.permissions.add(permission())
    assert fresh(user).has_perm(PERM)
    user.groups.remove(group)
    assert not fresh(user).has_perm(PERM)
    group.user_set.add(user)
    assert fresh(user).has_perm(PERM)
    group.delete()
    assert not fresh(user).has_perm(PERM)


def test_a_persons_own_permission_and_superuser():
    user = UserFactory()
    user.user_permissions.add(permission())
    assert fresh(user).has_perm(PERM)
    user.user_permissions.clear()
    assert not fresh(user).has_perm(PERM)
    user.is_superuser = True
    user.save()
    assert fresh(user).has_perm(PERM) and fresh(user).has_module_perms("giving")
    user.is_active = False
    user.save()
    assert not fresh(user).has_perm(PERM)


def test_without_the_cache_they_are_read_every_time(monkeypatch):
    user = UserFactory()
    assert not fresh(user).has_perm(PERM)

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(fragments.cache, "get_many", broken)
    user.user_permissions.add(permission())
    assert fresh(user).has_perm(PERM)
