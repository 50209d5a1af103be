"""Every write that matters to organisations: registration, members, invitations,
verification and API tokens. Each runs in one transaction and checks permission again."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import has_staff_powers
from organizations.models import ApiToken, Invitation, Membership, Organization

IDENTITY_FIELDS = ("name", "kind", "registration_number")


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:200] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def organization_create(*, actor, data: dict, sectors=()) -> Organization:
    """Register an organisation; the person registering it becomes its owner."""
    _require(actor, "organizations.create_organization")
    organization = Organization(**data, created_by=actor)
    organization.slug = _unique_slug(organization.name)
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:  # a race on the registration number
        raise ValidationError(
            {"registration_number": _("An organisation with this registration number is already registered.")}
        ) from exc
    organization.sectors.set(sectors)
    Membership.objects.create(organization=organization, user=actor, role=Membership.Role.OWNER)
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict, sectors=None) -> Organization:
    _require(actor, "organizations.change_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    identity_changed = any(
        field in data and data[field] != getattr(organization, field) for field in IDENTITY_FIELDS
    )
    for field, value in data.items():
        setattr(organization, field, value)
    if identity_changed and organization.is_verified and not has_staff_powers(actor):
        # Verification vouches for a name, a kind and a registration number: a change to
        # any of them sends the organisation back to KCSF for verification.
        organization.verification_status = Organization.Verification.PENDING
        organization.verified_at = None
        organization.verified_by = None
        organization.verification_note = _(
            "Sent back for verification after a change of name, kind or registration number."
        )
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:  # a race on the registration number
        raise ValidationError(
            {"registration_number": _("An organisation with this registration number is already registered.")}
        ) from exc
    if sectors is not None:
        organization.sectors.set(sectors)
    return organization


@transaction.atomic
def organization_verify(*, actor, organization: Organization, verified: bool, note: str = "") -> Organization:
    """Staff mark an organisation verified (or not verified, with a note)."""
    _require(actor, "organizations.verify_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if verified:
        organization.verification_status = Organization.Verification.VERIFIED
        organization.verified_at = timezone.now()
        organization.verified_by = actor
    else:
        organization.verification_status = Organization.Verification.REJECTED
        organization.verified_at = None
        organization.verified_by = None
    organization.verification_note = note
    organization.save(
        update_fields=["verification_status", "verified_at", "verified_by", "verification_note", "updated_at"]
    )
    owners = organization.memberships.filter(role=Membership.Role.OWNER).select_related("user")
    for membership in owners:
        email_user_template(
            user=membership.user,
            template="organizations/email/verification",
            context={"organization": organization, "verified": verified, "note": note},
        )
    return organization


@transaction.atomic
def invitation_create(*, actor, organization: Organization, email: str, role: str) -> Invitation:
    _require(actor, "organizations.manage_members", organization)
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    # A new invitation replaces a pending one to the same address.
    Invitation.objects.filter(
        organization=organization, email=email, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED)
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, invited_by=actor
    )
    from accounts.models import User

    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    email_user_template(
        to=email,
        user=existing,  # an existing account gets the email in its preferred language
        template="organizations/email/invitation",
        context={"invitation": invitation, "organization": organization, "inviter": actor},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, actor, token: str) -> Membership:
    """The invited person accepts. The invitation must be pending, not expired, and sent
    to one of the actor's *verified* email addresses: an address added on /accounts/email/
    and never confirmed proves nothing (issue 12, item 7)."""
    from allauth.account.models import EmailAddress

    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("This invitation does not exist."), code="not_found")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status == Invitation.Status.REVOKED:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask the organisation for a new one."), code="expired"
        )
    invited = invitation.email.lower()
    verified = {
        e.lower()
        for e in EmailAddress.objects.filter(user=actor, verified=True).values_list("email", flat=True)
    }
    if invited not in verified:
        addresses = {actor.email.lower()} | {
            e.lower() for e in EmailAddress.objects.filter(user=actor).values_list("email", flat=True)
        }
        if invited in addresses:
            raise ValidationError(
                _(
                    "Confirm %(email)s first: open the link we sent to it (or send a new one from "
                    "your email addresses), then accept the invitation."
                ),
                code="unverified",
                params={"email": invitation.email},
            )
        raise ValidationError(
            _("This invitation was sent to another email address. Log in with that address to accept it."),
            code="wrong_user",
        )
    membership, _created = Membership.objects.get_or_create(
        organization=invitation.organization, user=actor, defaults={"role": invitation.role}
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = actor
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    return membership


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    _require(actor, "organizations.manage_members", invitation.organization)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    return invitation


def _lock_owners(organization):
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )


def _revoke_tokens_created_by(*, membership: Membership, actor, reason: str) -> int:
    """Revoke the active tokens the member created for the organisation: a token acts with
    its creator's authority, which ends with their ownership (issue 12, item 8). Called
    inside the membership change's transaction; who and why are kept on each token."""
    now = timezone.now()
    return ApiToken.objects.filter(
        organization_id=membership.organization_id,
        created_by_id=membership.user_id,
        revoked_at__isnull=True,
    ).update(revoked_at=now, revoked_by=actor, revoked_reason=reason, updated_at=now)


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    _require(actor, "organizations.manage_members", membership.organization)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    owners = _lock_owners(membership.organization)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.OWNER and role != Membership.Role.OWNER and len(owners) <= 1:
        raise ValidationError(_("An organisation must keep at least one owner."))
    was_owner = membership.role == Membership.Role.OWNER
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    if was_owner and role != Membership.Role.OWNER:
        _revoke_tokens_created_by(
            membership=membership, actor=actor, reason=ApiToken.RevokedReason.CREATOR_NOT_OWNER
        )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Owners remove members; any member may leave by removing themselves."""
    if membership.user_id != actor.pk:
        _require(actor, "organizations.manage_members", membership.organization)
    owners = _lock_owners(membership.organization)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Membership.Role.OWNER and len(owners) <= 1:
        raise ValidationError(_("An organisation must keep at least one owner."))
    _revoke_tokens_created_by(membership=membership, actor=actor, reason=ApiToken.RevokedReason.CREATOR_LEFT)
    membership.delete()


@transaction.atomic
def api_token_create(
    *, actor, organization: Organization, name: str, scopes: list[str]
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain key, which is shown once and never stored."""
    _require(actor, "organizations.manage_api_tokens", organization)
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown:
        raise ValidationError(
            {"scopes": _("Unknown scope: %(scopes)s") % {"scopes": ", ".join(sorted(unknown))}}
        )
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    key = f"cea_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization=organization,
        name=name.strip(),
        prefix=key[4 : 4 + ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        scopes=sorted(set(scopes) | {ApiToken.Scope.READ}),
        created_by=actor,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    _require(actor, "organizations.manage_api_tokens", token.organization)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.revoked_reason = ApiToken.RevokedReason.MANUAL
        token.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    return token
