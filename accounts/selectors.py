"""Reads of accounts that other apps use (apps import accounts, never the reverse)."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet


def with_second_factor(users: QuerySet) -> QuerySet:
    """The people of `users` who have set up a second factor (an authenticator app, TOTP)."""
    return users.filter(pk__in=Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id"))
