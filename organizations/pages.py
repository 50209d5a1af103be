"""What organisations show on the pages of the layers below (core's home page, accounts'
dashboard); registered from OrganizationsConfig.ready(), see core.pages."""

from accounts.pages import DASHBOARD
from core.pages import HOME
from organizations import selectors


@HOME.register
def directory_figures(request) -> dict:
    return {"stats": selectors.directory_stats(), "latest": selectors.latest_verified(limit=6)}


@DASHBOARD.register
def my_organizations(request) -> dict:
    return {
        "memberships": selectors.memberships_for_user(user=request.user),
        "invitations": selectors.pending_invitations_for_user(user=request.user),
    }
