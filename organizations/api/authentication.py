from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from organizations.models import ApiToken, Membership


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`). request.user is the person who
    created the token; request.auth is the ApiToken (its organisation and scopes)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        token = (
            ApiToken.objects.select_related("organization", "created_by")
            .annotate(
                creator_is_owner=Exists(
                    Membership.objects.filter(
                        organization=OuterRef("organization"),
                        user=OuterRef("created_by"),
                        role=Membership.Role.OWNER,
                    )
                )
            )
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        creator = token.created_by
        if not token.organization.is_active or creator is None or not creator.is_active:
            raise exceptions.AuthenticationFailed(_("This token's organisation or owner is not active."))
        # A token acts with its creator's authority: an owner of the organisation (or staff,
        # who make tokens for organisations without members). Membership changes revoke the
        # creator's tokens; this check also covers tokens whose creator left before that.
        if not (token.creator_is_owner or creator.is_staff):
            raise exceptions.AuthenticationFailed(
                _(
                    "This token's creator is no longer an owner of its organisation: an owner can create a new one."
                )
            )
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.created_by, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "organizations.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("Partner token: `Token <key>`. Create one on your organisation's page."),
        }
