"""Permissions shared by every app's API."""

from typing import Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


@runtime_checkable
class ScopedToken(Protocol):
    """What a partner-token authentication puts in `request.auth` (organizations' `ApiToken`):
    the kernel knows tokens by this shape only, not by their model."""

    @property
    def is_active(self) -> bool: ...

    def has_scope(self, scope: str) -> bool: ...


class HasTokenScope(BasePermission):
    """Only a partner token holding every scope in the view's `required_scopes` passes.

    A view declares `required_scopes = {"giving:write"}`. `request.auth` is the token (a
    `ScopedToken`: organizations' `ApiToken`) when a token authentication succeeded; a
    person logged in with a session is never granted token scopes (they act in the browser,
    not as a partner system). With no `required_scopes` any active token passes.

    Anonymous requests fail authentication (401); a session user or a token missing a
    scope is refused (403) with a message naming the missing scopes.
    """

    message = _("This endpoint needs a partner API token.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ScopedToken) or not token.is_active:
            return False
        required = set(getattr(view, "required_scopes", ()) or ())
        missing = sorted(scope for scope in required if not token.has_scope(scope))
        if missing:
            self.message = _("This token lacks the scope(s): %(scopes)s.") % {"scopes": ", ".join(missing)}
            return False
        return True
