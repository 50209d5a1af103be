"""Receivers of allauth signals."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added)
def count_totp_activation_as_mfa(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes the password (reauthentication) and a valid code from the app, so
    this session has passed the second factor: StaffMFAMiddleware need not ask for a code again."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )
