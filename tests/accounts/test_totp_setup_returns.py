"""After setting up TOTP, staff come back to the page they were going to (issue 13, item 6):
the recovery codes page leads on to it, and without recovery codes they go straight there."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core.cache import cache

from tests.accounts.helpers import login_with_password, totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.real_mfa


@pytest.mark.django_db(transaction=True)  # allauth sends authenticator_added on commit
def test_after_the_recovery_codes_staff_go_on_to_the_page_they_wanted(client, staff_user):
    login_with_password(client, staff_user)
    client.post("/en/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    wanted = "/en/grants/manage/?page=1"
    response = client.get(wanted)
    assert response.status_code == 302
    setup = response["Location"]
    assert setup.startswith("/en/accounts/2fa/totp/activate/?next=")
    assert client.get(setup).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    cache.clear()
    # allauth's form posts to the page without its query string.
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert f'href="{wanted}"' in codes.content.decode()
    assert client.get(wanted).status_code == 200


@pytest.mark.django_db
def test_an_unsafe_next_is_not_offered(client, staff_user):
    login_with_password(client, staff_user)
    client.post("/en/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    client.get("/en/accounts/2fa/totp/activate/?next=https://evil.example/")
    assert "accounts.mfa_setup_next" not in client.session
