"""Fixtures of the accounts tests (their helpers are in tests/accounts/helpers.py)."""

import pytest

from tests.accounts.helpers import activate_totp


@pytest.fixture
def totp_staff(staff_user):
    """A staff user with TOTP; the secret is on `.totp_secret`."""
    staff_user.totp_secret = activate_totp(staff_user)
    return staff_user
