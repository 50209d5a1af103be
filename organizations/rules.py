"""Who may do what with organisations. Checked by views (permission_required) and again
by services."""

import rules

from organizations.models import Membership


def _role(user, organization):
    if not user.is_authenticated or organization is None:
        return None
    cache = getattr(user, "_org_role_cache", None)
    if cache is None:
        cache = user._org_role_cache = {}
    if organization.pk not in cache:
        cache[organization.pk] = (
            Membership.objects.filter(organization=organization, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organization.pk]


def remember_roles(user, organization_ids) -> None:
    """Read the user's roles in these organisations at once (one query), so that checking
    the rules on a page of rows costs no query per row."""
    if not user.is_authenticated:
        return
    ids = {pk for pk in organization_ids if pk is not None}
    cache = getattr(user, "_org_role_cache", None)
    if cache is None:
        cache = user._org_role_cache = {}
    found = dict(
        Membership.objects.filter(user=user, organization_id__in=ids).values_list("organization_id", "role")
    )
    for pk in ids:
        cache[pk] = found.get(pk)


@rules.predicate
def is_org_member(user, organization):
    return _role(user, organization) is not None


@rules.predicate
def is_org_editor(user, organization):
    return _role(user, organization) in (Membership.Role.OWNER, Membership.Role.EDITOR)


@rules.predicate
def is_org_owner(user, organization):
    return _role(user, organization) == Membership.Role.OWNER


is_staff = rules.is_staff & rules.is_active

rules.add_perm("organizations.create_organization", rules.is_authenticated)
rules.add_perm("organizations.view_organization_private", is_org_member | is_staff)
rules.add_perm("organizations.change_organization", is_org_editor | is_staff)
rules.add_perm("organizations.manage_members", is_org_owner | is_staff)
rules.add_perm("organizations.manage_api_tokens", is_org_owner | is_staff)
rules.add_perm("organizations.verify_organization", is_staff)
rules.add_perm("organizations.export_directory", is_staff)
