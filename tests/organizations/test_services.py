from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import EmailOutbox, Municipality, Sector
from organizations import services
from organizations.models import ApiToken, Invitation, Membership, Organization
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of
from tests.helpers import t

pytestmark = pytest.mark.django_db


def _data(**over):
    data = {
        "name": "Shoqata Ura",
        "kind": Organization.Kind.REGISTERED_CSO,
        "registration_number": "5123456",
        "municipality": Municipality.objects.get(slug="peje"),
        "description": "Bridges between communities.",
    }
    data.update(over)
    return data


class TestOrganizationCreate:
    def test_creator_becomes_owner_and_org_awaits_verification(self):
        user = UserFactory()
        sectors = list(Sector.objects.filter(slug__in=["youth", "education"]))
        org = services.organization_create(actor=user, data=_data(), sectors=sectors)
        assert org.slug == "shoqata-ura"
        assert org.verification_status == Organization.Verification.PENDING
        assert set(org.sectors.all()) == set(sectors)
        assert Membership.objects.get(organization=org, user=user).role == Membership.Role.OWNER
        assert org.history.exists()  # change history is kept

    def test_slugs_stay_unique(self):
        user = UserFactory()
        a = services.organization_create(actor=user, data=_data(registration_number="1"))
        b = services.organization_create(actor=user, data=_data(registration_number="2"))
        assert (a.slug, b.slug) == ("shoqata-ura", "shoqata-ura-2")

    def test_duplicate_registration_number_refused(self):
        OrganizationFactory(registration_number="5123456")
        with pytest.raises(ValidationError) as exc:
            services.organization_create(actor=UserFactory(), data=_data())
        assert t("An organisation with this registration number is already registered.") in exc.value.messages
        assert Organization.objects.filter(name="Shoqata Ura").count() == 0

    def test_registered_cso_needs_a_number_but_informal_group_does_not(self):
        with pytest.raises(ValidationError):
            services.organization_create(actor=UserFactory(), data=_data(registration_number=""))
        org = services.organization_create(
            actor=UserFactory(), data=_data(kind=Organization.Kind.INFORMAL_GROUP, registration_number="")
        )
        assert org.pk

    def test_two_informal_groups_without_numbers_may_coexist(self):
        user = UserFactory()
        for name in ("A", "B"):
            services.organization_create(
                actor=user,
                data=_data(name=name, kind=Organization.Kind.INFORMAL_GROUP, registration_number=""),
            )
        assert Organization.objects.filter(registration_number="").count() == 2


class TestUpdateAndVerify:
    def test_editor_updates_viewer_cannot(self, org_roles):
        org = org_roles["organization"]
        services.organization_update(
            actor=org_roles["editor"], organization=org, data={"phone": "+383 44 000 000"}
        )
        org.refresh_from_db()
        assert org.phone == "+383 44 000 000"
        with pytest.raises(PermissionDenied):
            services.organization_update(actor=org_roles["viewer"], organization=org, data={"phone": "x"})
        with pytest.raises(PermissionDenied):
            services.organization_update(actor=org_roles["citizen"], organization=org, data={"phone": "x"})

    def test_staff_verify_notifies_owners_in_their_language(
        self, org_roles, django_capture_on_commit_callbacks
    ):
        org = org_roles["organization"]
        owner = org_roles["owner"]
        owner.preferred_language = "en"
        owner.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.organization_verify(actor=org_roles["staff"], organization=org, verified=True)
        org.refresh_from_db()
        assert org.is_verified and org.verified_by == org_roles["staff"] and org.verified_at
        assert EmailOutbox.objects.filter(to=owner.email, status=EmailOutbox.Status.SENT).exists()
        assert [m.to for m in mail.outbox] == [[owner.email]]

    def test_only_staff_verify(self, org_roles):
        with pytest.raises(PermissionDenied):
            services.organization_verify(
                actor=org_roles["owner"], organization=org_roles["organization"], verified=True
            )


class TestInvitations:
    def test_owner_invites_and_invitee_accepts(self, org_roles, django_capture_on_commit_callbacks):
        org = org_roles["organization"]
        with django_capture_on_commit_callbacks(execute=True):
            inv = services.invitation_create(
                actor=org_roles["owner"], organization=org, email="New@Example.org", role="editor"
            )
        assert inv.email == "new@example.org"
        assert len(mail.outbox) == 1 and inv.token in mail.outbox[0].body
        invitee = UserFactory(email="new@example.org")
        membership = services.invitation_accept(actor=invitee, token=inv.token)
        assert membership.role == Membership.Role.EDITOR
        inv.refresh_from_db()
        assert inv.status == Invitation.Status.ACCEPTED and inv.accepted_by == invitee

    def test_editor_cannot_invite(self, org_roles):
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=org_roles["editor"],
                organization=org_roles["organization"],
                email="x@example.org",
                role="viewer",
            )

    def test_reused_invitation_refused(self, org_roles):
        inv = services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="a@example.org",
            role="viewer",
        )
        user = UserFactory(email="a@example.org")
        services.invitation_accept(actor=user, token=inv.token)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=user, token=inv.token)
        assert exc.value.code == "used"

    def test_expired_invitation_refused(self, org_roles):
        inv = services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="b@example.org",
            role="viewer",
        )
        Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=UserFactory(email="b@example.org"), token=inv.token)
        assert exc.value.code == "expired"
        assert not Membership.objects.filter(user__email="b@example.org").exists()

    def test_invitation_for_someone_else_refused(self, org_roles):
        inv = services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="c@example.org",
            role="owner",
        )
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=org_roles["citizen"], token=inv.token)
        assert exc.value.code == "wrong_user"

    def test_unverified_secondary_address_cannot_accept(self, org_roles):
        """Issue 12, item 7: an address added on /accounts/email/ and never confirmed does not
        prove the invitee owns it."""
        from allauth.account.models import EmailAddress

        inv = services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="invited@example.org",
            role="owner",
        )
        intruder = UserFactory(email="intruder@example.org")
        address = EmailAddress.objects.create(
            user=intruder, email="invited@example.org", verified=False, primary=False
        )
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=intruder, token=inv.token)
        assert exc.value.code == "unverified"
        assert not Membership.objects.filter(user=intruder).exists()
        inv.refresh_from_db()
        assert inv.status == Invitation.Status.PENDING
        address.verified = True  # confirmed through the link allauth sent to it
        address.save()
        membership = services.invitation_accept(actor=intruder, token=inv.token)
        assert membership.role == Membership.Role.OWNER

    def test_unverified_primary_address_cannot_accept(self, org_roles):
        inv = services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="fresh@example.org",
            role="viewer",
        )
        user = UserFactory(email="fresh@example.org", verified_email=False)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=user, token=inv.token)
        assert exc.value.code == "unverified"
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email="FRESH@example.org", verified=False, primary=True)
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(actor=user, token=inv.token)
        assert exc.value.code == "unverified"
        assert not Membership.objects.filter(user=user).exists()

    def test_new_invitation_replaces_pending_one(self, org_roles):
        org = org_roles["organization"]
        first = services.invitation_create(
            actor=org_roles["owner"], organization=org, email="d@example.org", role="viewer"
        )
        second = services.invitation_create(
            actor=org_roles["owner"], organization=org, email="d@example.org", role="editor"
        )
        first.refresh_from_db()
        assert first.status == Invitation.Status.REVOKED and second.status == Invitation.Status.PENDING

    def test_cannot_invite_existing_member(self, org_roles):
        with pytest.raises(ValidationError):
            services.invitation_create(
                actor=org_roles["owner"],
                organization=org_roles["organization"],
                email=org_roles["editor"].email,
                role="viewer",
            )


class TestMembers:
    def test_last_owner_cannot_leave_or_be_demoted(self, org_roles):
        org = org_roles["organization"]
        owner_membership = Membership.objects.get(organization=org, user=org_roles["owner"])
        with pytest.raises(ValidationError):
            services.membership_remove(actor=org_roles["owner"], membership=owner_membership)
        with pytest.raises(ValidationError):
            services.membership_change_role(
                actor=org_roles["owner"], membership=owner_membership, role="viewer"
            )
        second = member_of(org, Membership.Role.OWNER)
        services.membership_change_role(actor=second, membership=owner_membership, role="viewer")
        owner_membership.refresh_from_db()
        assert owner_membership.role == "viewer"

    def test_member_may_leave_but_not_remove_others(self, org_roles):
        org = org_roles["organization"]
        viewer_m = Membership.objects.get(organization=org, user=org_roles["viewer"])
        editor_m = Membership.objects.get(organization=org, user=org_roles["editor"])
        with pytest.raises(PermissionDenied):
            services.membership_remove(actor=org_roles["viewer"], membership=editor_m)
        services.membership_remove(actor=org_roles["viewer"], membership=viewer_m)
        assert not Membership.objects.filter(pk=viewer_m.pk).exists()


class TestApiTokens:
    def test_owner_creates_token_shown_once_and_stored_hashed(self, org_roles):
        token, key = services.api_token_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            name="Partner sync",
            scopes=["giving:write"],
        )
        assert key.startswith("cea_") and len(key) > 40
        assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
        assert token.scopes == ["giving:write", "read"]
        assert not ApiToken.objects.filter(key_hash=key).exists()

    def test_unknown_scope_and_non_owner_refused(self, org_roles):
        with pytest.raises(ValidationError):
            services.api_token_create(
                actor=org_roles["owner"], organization=org_roles["organization"], name="x", scopes=["admin"]
            )
        with pytest.raises(PermissionDenied):
            services.api_token_create(
                actor=org_roles["editor"], organization=org_roles["organization"], name="x", scopes=[]
            )

    def test_revoke(self, org_roles):
        token, _key = services.api_token_create(
            actor=org_roles["owner"], organization=org_roles["organization"], name="x", scopes=[]
        )
        services.api_token_revoke(actor=StaffFactory(), token=token)
        token.refresh_from_db()
        assert not token.is_active


class TestVerificationFollowsIdentity:
    def _verified(self, org_roles):
        org = org_roles["organization"]
        services.organization_verify(actor=org_roles["staff"], organization=org, verified=True)
        org.refresh_from_db()
        return org

    def test_changing_the_name_sends_a_verified_org_back_to_verification(self, org_roles):
        org = self._verified(org_roles)
        services.organization_update(actor=org_roles["editor"], organization=org, data={"name": "Renamed"})
        org.refresh_from_db()
        assert org.verification_status == Organization.Verification.PENDING and org.verified_at is None

    def test_changing_contacts_keeps_the_badge(self, org_roles):
        org = self._verified(org_roles)
        services.organization_update(
            actor=org_roles["editor"], organization=org, data={"phone": "044 111 222"}
        )
        org.refresh_from_db()
        assert org.is_verified


def test_invitation_to_an_existing_account_is_in_its_language(org_roles, django_capture_on_commit_callbacks):
    UserFactory(email="serb@example.org", preferred_language="sr-latn")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=org_roles["owner"],
            organization=org_roles["organization"],
            email="serb@example.org",
            role="viewer",
        )
    assert EmailOutbox.objects.get(to="serb@example.org")
    assert len(mail.outbox) == 1
