"""Helpers of the accounts tests: logging in through allauth, with and without TOTP."""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories import DEFAULT_PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (allauth's default tolerance is 0 steps)."""
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(user) -> str:
    """Give `user` an authenticator app and recovery codes; returns the TOTP secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def login_with_password(client, user, lang="en"):
    return client.post(f"/{lang}/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})


def login_with_totp(client, user, secret, lang="en"):
    """allauth's two-step login: password, then the authenticator code."""
    response = login_with_password(client, user, lang)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{lang}/accounts/2fa/authenticate/")
    return client.post(f"/{lang}/accounts/2fa/authenticate/", {"code": totp_code(secret)})
