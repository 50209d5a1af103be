"""Rate limits of the API: one for anonymous clients (per IP), one per partner token.

Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` ("anon", "token") and are
read on every request, so `override_settings` changes them (DRF's own classes freeze
the rates when the module is imported).
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class _RatesFromSettingsMixin:
    scope: str

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No default throttle rate set for '{self.scope}' scope") from None


class AnonBurstThrottle(_RatesFromSettingsMixin, AnonRateThrottle):
    """Anonymous clients, keyed by IP address."""

    scope = "anon"


class TokenThrottle(_RatesFromSettingsMixin, SimpleRateThrottle):
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
