from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class AnonBurstThrottle(AnonRateThrottle):
    scope = "anon"


class TokenThrottle(SimpleRateThrottle):
    """Per API token (partners); session users share the token rate keyed by user."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "pk"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous: AnonBurstThrottle applies
        return self.cache_format % {"scope": self.scope, "ident": ident}
