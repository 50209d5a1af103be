"""The menu's per-person flags (core.navigation) are kept in the cache, not worked out with
queries on every page, and a change of what they read shows at the next request: a role
granted or revoked, an assignment, an expert, a membership, an organisation's verification,
the session's second factor. When the cache does not answer they are worked out as before."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assistance.models import Expert
from core import fragments
from core.cache import FailSoftRedisCache
from grants.models import ReviewAssignment
from organizations.models import Membership, Organization
from tests.assistance.factories import ExpertFactory
from tests.factories import OrganizationFactory, UserFactory, member_of
from tests.grants.factories import submitted_application

pytestmark = pytest.mark.django_db

# What the flags' predicates read (grants, dialogue, assistance).
FLAG_TABLES = ("grants_reviewassignment", "assistance_expert", "auth_group", "organizations_membership")


def menu(client) -> str:
    with translation.override("en"):
        response = client.get(reverse("grants:call_list"))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index('<ul class="navbar-nav align-items-lg-center">', start)]


def signed_in(client, user=None):
    user = user or UserFactory()
    client.force_login(user)
    return user


def test_the_flags_cost_no_query_once_kept(client):
    signed_in(client)
    menu(client)
    with CaptureQueriesContext(connection) as ctx:
        menu(client)
    read = [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in FLAG_TABLES)]
    assert read == []


def test_a_role_granted_shows_at_the_next_request_and_revoked_is_gone(client):
    user = signed_in(client)
    reviewers = Group.objects.get(name="Grant reviewers")
    assert "My reviews" not in menu(client)
    user.groups.add(reviewers)
    assert "My reviews" in menu(client)
    user.groups.remove(reviewers)
    assert "My reviews" not in menu(client)
    reviewers.user_set.add(user)  # from the group's side
    assert "My reviews" in menu(client)
    reviewers.user_set.clear()
    assert "My reviews" not in menu(client)


def test_a_group_renamed_changes_the_menus_of_its_people(client):
    user = signed_in(client)
    reviewers = Group.objects.get(name="Grant reviewers")
    user.groups.add(reviewers)
    assert "My reviews" in menu(client)
    reviewers.name = "Former reviewers"
    reviewers.save()
    assert "My reviews" not in menu(client)


def test_a_review_assignment_shows_my_reviews_until_it_is_deleted(client):
    user = signed_in(client)
    assert "My reviews" not in menu(client)
    application = submitted_application()
    assignment = ReviewAssignment.objects.create(
        application=application, stage=application.stage, reviewer=user
    )
    assert "My reviews" in menu(client)
    # Given to someone else: gone from the first reviewer's menu.
    assignment.reviewer = UserFactory()
    assignment.save()
    assert "My reviews" not in menu(client)
    assignment.reviewer = user
    assignment.save()
    assert "My reviews" in menu(client)
    assignment.delete()
    assert "My reviews" not in menu(client)


def test_an_expert_sees_the_inbox_while_active(client):
    user = signed_in(client)
    assert "Expert inbox" not in menu(client)
    expert = ExpertFactory(user=user)
    assert "Expert inbox" in menu(client)
    expert.active = False
    expert.save()
    assert "Expert inbox" not in menu(client)
    Expert.objects.filter(pk=expert.pk).delete()
    assert "Expert inbox" not in menu(client)


def test_editors_of_a_verified_organisation_organise_events(client):
    organization = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    user = signed_in(client)
    assert "Events I organise" not in menu(client)
    membership = Membership.objects.create(organization=organization, user=user, role=Membership.Role.EDITOR)
    assert "Events I organise" in menu(client)
    membership.role = Membership.Role.VIEWER
    membership.save()
    assert "Events I organise" not in menu(client)
    membership.role = Membership.Role.OWNER
    membership.save()
    assert "Events I organise" in menu(client)
    organization.verification_status = Organization.Verification.PENDING
    organization.save()
    assert "Events I organise" not in menu(client)
    organization.verification_status = Organization.Verification.VERIFIED
    organization.save()
    assert "Events I organise" in menu(client)
    membership.delete()
    assert "Events I organise" not in menu(client)


def test_one_persons_change_leaves_the_others_kept(client):
    organization = OrganizationFactory(verification_status=Organization.Verification.VERIFIED)
    other = member_of(organization, Membership.Role.EDITOR)
    user = signed_in(client)
    menu(client)
    Membership.objects.get(user=other).delete()  # someone else's membership
    with CaptureQueriesContext(connection) as ctx:
        menu(client)
    assert not [q for q in ctx.captured_queries if "organizations_membership" in q["sql"]]
    user.groups.add(Group.objects.get(name="Grant reviewers"))
    assert "My reviews" in menu(client)


@pytest.mark.real_mfa
def test_staff_powers_of_the_session_decide_with_the_second_factor(client, monkeypatch):
    """A superuser (not staff) has "My reviews" through `has_perm` only in a session that passed
    the second factor; the kept flags of one session are not another's."""
    user = signed_in(client, UserFactory(is_superuser=True))
    assert "My reviews" not in menu(client)  # no second factor: a member
    monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: True)
    assert "My reviews" in menu(client)
    monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: False)
    assert "My reviews" not in menu(client)
    assert user.pk


def _dead_cache():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )


def test_without_the_cache_the_flags_are_worked_out_every_time(client, monkeypatch):
    user = signed_in(client)
    monkeypatch.setattr(fragments, "cache", _dead_cache())
    assert "My reviews" not in menu(client)
    user.groups.add(Group.objects.get(name="Grant reviewers"))
    assert "My reviews" in menu(client)


def test_a_cache_that_raises_is_no_500(monkeypatch):
    from core.navigation import menu_flags

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Grant reviewers"))

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(fragments.cache, "get_many", broken)
    monkeypatch.setattr(fragments.cache, "set", broken)
    assert menu_flags(user)["grants_reviews"] is True


def test_the_admins_bulk_actions_change_the_menus_at_the_next_request(client, settings):
    """The admin's actions on many rows (verify the selected organisations, delete the selected
    memberships or groups) go through each row's save or delete, so they
    touch the people's topics like a single change: nothing waits for the flags' timeout."""
    from django.test import Client

    from tests.factories import StaffFactory

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    admin = Client()
    admin.force_login(StaffFactory(is_superuser=True))

    def act(model, action, rows):
        response = admin.post(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            {"action": action, "_selected_action": [row.pk for row in rows], "post": "yes"},
        )
        assert response.status_code == 302, response.content.decode()[:500]

    organization = OrganizationFactory()
    user = signed_in(client)
    membership = Membership.objects.create(organization=organization, user=user, role=Membership.Role.EDITOR)
    assert "Events I organise" not in menu(client)
    act(Organization, "verify_selected", [organization])
    assert "Events I organise" in menu(client)
    act(Organization, "mark_not_verified", [organization])
    assert "Events I organise" not in menu(client)
    act(Organization, "verify_selected", [organization])
    assert "Events I organise" in menu(client)
    act(Membership, "delete_selected", [membership])
    assert "Events I organise" not in menu(client)

    # Review assignments are read-only in the admin (no delete action): their changes go
    # through the grants' services, covered above.
    reviewers = Group.objects.get(name="Grant reviewers")
    user.groups.add(reviewers)
    assert "My reviews" in menu(client)
    act(Group, "delete_selected", [reviewers])
    assert "My reviews" not in menu(client)
