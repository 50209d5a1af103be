"""Permission matrix: every organisation page / endpoint × every role, asserting on the
status and on what changed (or did not change) in the database."""

import pytest
from django.urls import reverse

from core.models import EmailOutbox
from organizations.models import Invitation, Membership, Organization
from tests import factories
from tests.factories import member_of
from tests.helpers import login, t
from tests.organizations.helpers import org_form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "viewer", "editor", "owner", "staff"]
LOGIN = "login"  # expected outcome: redirect to the login page, with ?next=


def _check_status(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
        assert "next=" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:500]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


# --- public pages -------------------------------------------------------------------------


@_matrix(anonymous=200, citizen=200, viewer=200, editor=200, owner=200, staff=200)
def test_directory(client, org_roles, role, expected):
    org = org_roles["organization"]
    response = login(client, org_roles[role]).get(reverse("organizations:directory"))
    _check_status(response, expected, None)
    assert org.name in response.content.decode()


@_matrix(anonymous=False, citizen=False, viewer=True, editor=True, owner=True, staff=True)
def test_detail_shows_manage_link_to_members(client, org_roles, role, expected):
    org = org_roles["organization"]
    response = login(client, org_roles[role]).get(org.get_absolute_url())
    assert response.status_code == 200
    assert (
        reverse("organizations:manage", kwargs={"slug": org.slug}) in response.content.decode()
    ) is expected


@pytest.mark.parametrize("role", ROLES)
def test_inactive_organisation_is_404_for_everyone(client, org_roles, role):
    org = org_roles["organization"]
    Organization.objects.filter(pk=org.pk).update(is_active=False)
    c = login(client, org_roles[role])
    assert c.get(org.get_absolute_url()).status_code == 404
    if role != "anonymous":
        assert c.get(reverse("organizations:manage", kwargs={"slug": org.slug})).status_code == 404


# --- registration ------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=200, viewer=200, editor=200, owner=200, staff=200)
def test_create_get(client, org_roles, role, expected):
    response = login(client, org_roles[role]).get(reverse("organizations:create"))
    _check_status(response, expected, None)


@_matrix(anonymous=LOGIN, citizen=302, viewer=302, editor=302, owner=302, staff=302)
def test_create_post(client, org_roles, role, expected):
    user = org_roles[role]
    response = login(client, user).post(reverse("organizations:create"), org_form_data())
    _check_status(response, expected, None)
    created = Organization.objects.filter(registration_number="7100001").first()
    if expected == LOGIN:
        assert created is None
    else:
        assert created is not None
        assert response["Location"] == reverse("organizations:manage", kwargs={"slug": created.slug})
        assert created.created_by == user
        assert Membership.objects.get(organization=created).user == user
        assert created.memberships.get().role == Membership.Role.OWNER


# --- members' page -----------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=403, viewer=200, editor=200, owner=200, staff=200)
def test_manage_get(client, org_roles, role, expected):
    org = org_roles["organization"]
    response = login(client, org_roles[role]).get(reverse("organizations:manage", kwargs={"slug": org.slug}))
    _check_status(response, expected, None)
    if expected != 200:
        return
    html = response.content.decode()
    # every member sees the member list
    for member_role in ("viewer", "editor", "owner"):
        assert org_roles[member_role].email in html
    can_edit = role in ("editor", "owner", "staff")
    can_manage = role in ("owner", "staff")
    assert ('name="registration_number"' in html) is can_edit
    assert (reverse("organizations:invite", kwargs={"slug": org.slug}) in html) is can_manage
    assert (reverse("organizations:api_tokens", kwargs={"slug": org.slug}) in html) is can_manage
    membership = org.memberships.get(user=org_roles["viewer"])
    assert (reverse("organizations:member_role", kwargs={"slug": org.slug, "pk": membership.pk}) in html) is (
        can_manage
    )


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=302, owner=302, staff=302)
def test_manage_post_updates_profile(client, org_roles, role, expected):
    org = org_roles["organization"]
    data = org_form_data(
        name="Renamed organisation",
        registration_number=org.registration_number,
        municipality=org.municipality_id,
    )
    response = login(client, org_roles[role]).post(
        reverse("organizations:manage", kwargs={"slug": org.slug}), data
    )
    _check_status(response, expected, None)
    org.refresh_from_db()
    assert (org.name == "Renamed organisation") is (expected == 302)
    if expected == 302:
        assert org.history.first().history_user == org_roles[role]


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=302, staff=302)
def test_invite(client, org_roles, role, expected):
    org = org_roles["organization"]
    response = login(client, org_roles[role]).post(
        reverse("organizations:invite", kwargs={"slug": org.slug}),
        {"email": "New.Person@Example.org", "role": "editor"},
    )
    _check_status(response, expected, None)
    invitation = Invitation.objects.filter(organization=org, email="new.person@example.org").first()
    if expected == 302:
        assert invitation.status == Invitation.Status.PENDING
        assert invitation.role == Membership.Role.EDITOR
        assert invitation.invited_by == org_roles[role]
        assert EmailOutbox.objects.filter(to="new.person@example.org").exists()
    else:
        assert invitation is None
        assert not EmailOutbox.objects.exists()


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=302, staff=302)
def test_member_role(client, org_roles, role, expected):
    org = org_roles["organization"]
    target = org.memberships.get(user=org_roles["viewer"])
    response = login(client, org_roles[role]).post(
        reverse("organizations:member_role", kwargs={"slug": org.slug, "pk": target.pk}), {"role": "editor"}
    )
    _check_status(response, expected, None)
    target.refresh_from_db()
    assert target.role == (Membership.Role.EDITOR if expected == 302 else Membership.Role.VIEWER)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=302, staff=302)
def test_member_remove_other(client, org_roles, role, expected):
    org = org_roles["organization"]
    target_user = member_of(org, Membership.Role.VIEWER)
    target = org.memberships.get(user=target_user)
    response = login(client, org_roles[role]).post(
        reverse("organizations:member_remove", kwargs={"slug": org.slug, "pk": target.pk})
    )
    _check_status(response, expected, None)
    assert Membership.objects.filter(pk=target.pk).exists() is (expected != 302)


@pytest.mark.parametrize(
    "role,second_owner,expected",
    [
        ("viewer", False, 302),
        ("editor", False, 302),
        ("owner", True, 302),
        ("owner", False, 400),  # the last owner cannot leave
    ],
)
def test_member_leaves(client, org_roles, role, second_owner, expected):
    org = org_roles["organization"]
    if second_owner:
        member_of(org, Membership.Role.OWNER)
    user = org_roles[role]
    own = org.memberships.get(user=user)
    response = login(client, user).post(
        reverse("organizations:member_remove", kwargs={"slug": org.slug, "pk": own.pk})
    )
    assert response.status_code == expected
    assert Membership.objects.filter(pk=own.pk).exists() is (expected == 400)
    if expected == 302:
        assert response["Location"] == org.get_absolute_url()
    else:
        assert t("An organisation must keep at least one owner.") in response.content.decode()


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=302, staff=302)
def test_invitation_revoke(client, org_roles, role, expected):
    org = org_roles["organization"]
    invitation = factories.InvitationFactory(organization=org)
    response = login(client, org_roles[role]).post(
        reverse("organizations:invitation_revoke", kwargs={"slug": org.slug, "pk": invitation.pk})
    )
    _check_status(response, expected, None)
    invitation.refresh_from_db()
    expected_status = Invitation.Status.REVOKED if expected == 302 else Invitation.Status.PENDING
    assert invitation.status == expected_status


@pytest.mark.parametrize("name", ["invite", "member_role", "member_remove", "invitation_revoke"])
def test_member_endpoints_refuse_get(client, org_roles, name):
    org = org_roles["organization"]
    client.force_login(org_roles["owner"])
    membership = org.memberships.get(user=org_roles["viewer"])
    urls = {
        "invite": reverse("organizations:invite", kwargs={"slug": org.slug}),
        "member_role": reverse("organizations:member_role", kwargs={"slug": org.slug, "pk": membership.pk}),
        "member_remove": reverse(
            "organizations:member_remove", kwargs={"slug": org.slug, "pk": membership.pk}
        ),
        "invitation_revoke": reverse(
            "organizations:invitation_revoke",
            kwargs={"slug": org.slug, "pk": factories.InvitationFactory(organization=org).pk},
        ),
    }
    assert client.get(urls[name]).status_code == 405
    assert Membership.objects.filter(pk=membership.pk, role=Membership.Role.VIEWER).exists()


# --- invitations -------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=200, viewer=200, editor=200, owner=200, staff=200)
def test_invitation_accept_get(client, org_roles, role, expected):
    org = org_roles["organization"]
    invitation = factories.InvitationFactory(organization=org, role=Membership.Role.VIEWER)
    response = login(client, org_roles[role]).get(
        reverse("organizations:invitation_accept", kwargs={"token": invitation.token})
    )
    _check_status(response, expected, None)
    if expected == 200:
        html = response.content.decode()
        assert org.name in html
        assert 'type="submit"' in html


@pytest.mark.parametrize("role", ROLES)
def test_invitation_accept_post(client, org_roles, role):
    """Only the person the invitation was sent to may accept it."""
    other_org = factories.OrganizationFactory()
    user = org_roles[role]
    email = user.email if user else "nobody@example.org"
    invitation = factories.InvitationFactory(organization=other_org, email=email, role="editor")
    response = login(client, user).post(
        reverse("organizations:invitation_accept", kwargs={"token": invitation.token})
    )
    invitation.refresh_from_db()
    if user is None:
        _check_status(response, LOGIN, None)
        assert invitation.status == Invitation.Status.PENDING
    else:
        assert response.status_code == 302
        assert invitation.status == Invitation.Status.ACCEPTED
        assert Membership.objects.get(organization=other_org, user=user).role == "editor"
