"""Reads of organisations reused by views, the API, tasks and other apps."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import Sector
from organizations import extensions
from organizations.models import Invitation, Membership, Organization


def public_organizations() -> QuerySet[Organization]:
    """Organisations the public may see: active ones. Verification shows as a badge.
    Other apps add what their cards need through `extensions.register_directory_queryset_hook`."""
    qs = (
        Organization.objects.filter(is_active=True)
        .select_related("municipality")
        .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("ordering")))
    )
    return extensions.apply_directory_queryset_hooks(qs)


def directory_stats() -> dict:
    return Organization.objects.filter(is_active=True).aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=Q(verification_status=Organization.Verification.VERIFIED)),
        municipalities=Count("municipality", distinct=True),
    )


def latest_verified(*, limit: int = 6) -> QuerySet[Organization]:
    return (
        public_organizations()
        .filter(verification_status=Organization.Verification.VERIFIED)
        .order_by(F("verified_at").desc(nulls_last=True), "-pk")[:limit]
    )


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def organizations_editable_by(*, user) -> QuerySet[Organization]:
    """Organisations a user may act for (owner or editor): other apps use this to let
    a person apply or report on behalf of an organisation."""
    return Organization.objects.filter(
        is_active=True,
        memberships__user=user,
        memberships__role__in=[Membership.Role.OWNER, Membership.Role.EDITOR],
    ).distinct()


def pending_invitations_for_user(*, user) -> QuerySet[Invitation]:
    from allauth.account.models import EmailAddress

    emails = set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    emails.add(user.email)
    return Invitation.objects.filter(
        email__in=[e.lower() for e in emails],
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).select_related("organization")


def members_of(*, organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__email")


def editors_by_organization(organization_ids) -> dict[int, list]:
    """The active owners and editors of each of these organisations, in one query: {organisation
    id: [users]} (an organisation without any is left out). For sweeps that write to the
    organisations of many rows at once."""
    editors: dict[int, list] = {}
    memberships = (
        Membership.objects.filter(
            organization_id__in=set(organization_ids),
            role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("organization_id", "pk")
    )
    for membership in memberships:
        editors.setdefault(membership.organization_id, []).append(membership.user)
    return editors
