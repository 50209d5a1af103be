"""The staff screens of the registry. The MFA middleware is left out here: these tests are
about the admin classes, MFA has its own tests in accounts."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from core.models import EmailOutbox, Sector
from organizations import services
from organizations.models import ApiToken, Invitation, Membership, Organization
from tests import factories
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    staff = factories.StaffFactory(is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def _seed(n):
    sectors = list(Sector.objects.all()[:3])
    for _ in range(n):
        org = factories.OrganizationFactory(sectors=sectors)
        member_of(org, Membership.Role.OWNER)
        member_of(org, Membership.Role.EDITOR)
        factories.InvitationFactory(organization=org)
        services.api_token_create(actor=factories.StaffFactory(), organization=org, name="Partner", scopes=[])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", ["organization", "membership", "invitation", "apitoken"])
def test_changelists_run_a_constant_number_of_queries(admin, model):
    url = reverse(f"admin:organizations_{model}_changelist")
    _seed(3)
    few = _count(admin, url)
    _seed(6)
    many = _count(admin, url)
    assert few == many


def test_organization_changelist_columns_and_member_count(admin):
    org = factories.OrganizationFactory(name="Counted Org")
    member_of(org, Membership.Role.OWNER)
    member_of(org, Membership.Role.VIEWER)
    response = admin.get(reverse("admin:organizations_organization_changelist"))
    row = next(r for r in response.content.decode().split("<tr") if "Counted Org" in r)
    assert 'class="field-member_count">2<' in row
    assert org.municipality.name in row


def test_organization_search_and_filters(admin):
    a = factories.OrganizationFactory(name="Searchable One", email="hello@one.org")
    b = factories.OrganizationFactory(name="Other Two", kind=Organization.Kind.MEDIA, registration_number="")
    url = reverse("admin:organizations_organization_changelist")

    def names(params):
        response = admin.get(url, params)
        assert response.status_code == 200
        return {o.name for o in response.context["cl"].result_list}

    assert names({"q": a.registration_number}) == {a.name}
    assert names({"q": "hello@one"}) == {a.name}
    assert names({"kind__exact": "media"}) == {b.name}
    assert names({"verification_status__exact": "pending"}) == {a.name, b.name}


def test_organization_change_page_with_history_and_inline(admin):
    org = factories.OrganizationFactory()
    member_of(org, Membership.Role.OWNER)
    response = admin.get(reverse("admin:organizations_organization_change", args=[org.pk]))
    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" in response.content.decode()
    assert admin.get(reverse("admin:organizations_organization_history", args=[org.pk])).status_code == 200


@pytest.mark.parametrize(
    "action,status", [("verify_selected", "verified"), ("mark_not_verified", "rejected")]
)
def test_verification_actions(admin, action, status):
    orgs = [factories.OrganizationFactory() for _ in range(2)]
    owners = [member_of(org, Membership.Role.OWNER) for org in orgs]
    untouched = factories.OrganizationFactory()
    response = admin.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": action, "_selected_action": [o.pk for o in orgs]},
        follow=True,
    )
    assert response.status_code == 200
    for org in orgs:
        org.refresh_from_db()
        assert org.verification_status == status
        assert (org.verified_by == admin.staff) is (status == "verified")
    untouched.refresh_from_db()
    assert untouched.verification_status == Organization.Verification.PENDING
    assert set(EmailOutbox.objects.values_list("to", flat=True)) == {o.email for o in owners}
    with translation.override("sq"):
        expected = (
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", 2)
            if status == "verified"
            else ngettext(
                "%(count)d organisation marked not verified.",
                "%(count)d organisations marked not verified.",
                2,
            )
        ) % {"count": 2}
    assert expected in response.content.decode()


def test_export_as_csv(admin):
    org = factories.OrganizationFactory(name="Shqipëri & Co")
    response = admin.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "export_as_csv", "_selected_action": [org.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Shqipëri & Co" in body
    assert org.registration_number in body
    assert org.municipality.name in body


def test_api_tokens_are_read_only_and_never_show_the_key(admin):
    org = factories.OrganizationFactory()
    token, key = services.api_token_create(actor=admin.staff, organization=org, name="Partner X", scopes=[])
    listing = admin.get(reverse("admin:organizations_apitoken_changelist")).content.decode()
    assert "Partner X" in listing and token.prefix in listing
    detail = admin.get(reverse("admin:organizations_apitoken_change", args=[token.pk])).content.decode()
    for page in (listing, detail):
        assert key not in page
        assert token.key_hash not in page
    assert admin.get(reverse("admin:organizations_apitoken_add")).status_code == 403
    response = admin.post(reverse("admin:organizations_apitoken_change", args=[token.pk]), {"name": "Hacked"})
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.name == "Partner X"
    assert ApiToken.objects.count() == 1


def test_invitation_admin_does_not_show_the_token(admin):
    invitation = factories.InvitationFactory()
    html = admin.get(reverse("admin:organizations_invitation_change", args=[invitation.pk])).content.decode()
    assert invitation.email in html
    assert invitation.token not in html
    assert Invitation.objects.count() == 1


@pytest.mark.real_mfa
def test_mfa_middleware_still_guards_the_admin(client):
    """Sanity check that the fixture above is what lets staff in: without it, MFA is asked."""
    assert "accounts.middleware.StaffMFAMiddleware" in settings.MIDDLEWARE
    client.force_login(factories.StaffFactory())
    response = client.get(reverse("admin:organizations_organization_changelist"))
    assert response.status_code == 302
