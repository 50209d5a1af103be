"""Staff reach /admin/ only through allauth's login with a second factor (TOTP)."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from tests.accounts.helpers import activate_totp, login_with_password, login_with_totp, totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.real_mfa  # what these tests check is the real MFA


@pytest.mark.django_db
def test_anonymous_admin_goes_to_allauth_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/sq/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_admin_password_form_cannot_bypass_mfa(client, totp_staff):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": totp_staff.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_non_staff_is_refused_admin(client, user):
    login_with_password(client, user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(response["Location"]).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_staff_without_totp_is_sent_to_set_it_up(client, staff_user, lang):
    staff_user.preferred_language = lang
    staff_user.save(update_fields=["preferred_language"])
    login_with_password(client, staff_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    # /admin/ has no language prefix: the setup page is in the staff member's language.
    assert response["Location"] == f"/{lang}/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    assert client.get("/admin/auth/group/").status_code == 302


@pytest.mark.django_db
def test_staff_with_totp_logs_in_with_password_then_code_and_reaches_admin(client, totp_staff):
    # /admin/ → /admin/login/ → allauth's login, which keeps next=/admin/
    response = client.post(
        "/sq/accounts/login/?next=/admin/",
        {"login": totp_staff.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/sq/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not log in

    response = client.post("/sq/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200  # wrong code: form again
    assert "_auth_user_id" not in client.session

    response = client.post("/sq/accounts/2fa/authenticate/", {"code": totp_code(totp_staff.totp_secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_session_that_passed_only_the_password_must_reauthenticate(client, staff_user):
    # Logged in with the password alone while TOTP was not set up; TOTP is added afterwards
    # (e.g. from another device), so this session never passed the second factor.
    login_with_password(client, staff_user)
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    secret = activate_totp(staff_user)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/sq/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'lang="sq"' in page.content.decode()

    response = client.post(response["Location"], {"code": "123456"})
    assert response.status_code == 200  # wrong code: asked again
    assert client.get("/admin/").status_code == 302

    response = client.post(
        "/sq/accounts/2fa/reauthenticate/?next=%2Fadmin%2F", {"code": totp_code(secret), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_session_without_any_authentication_record_must_reauthenticate(client, totp_staff):
    client.force_login(totp_staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/reauthenticate/?next=%2Fadmin%2F")


@pytest.mark.django_db
def test_superuser_after_mfa_login_uses_the_user_admin(client, totp_staff):
    totp_staff.is_superuser = True
    totp_staff.save(update_fields=["is_superuser"])
    login_with_totp(client, totp_staff, totp_staff.totp_secret)
    response = client.get("/admin/accounts/user/?q=" + totp_staff.email)
    assert response.status_code == 200
    assert totp_staff.email in response.content.decode()
    assert client.get(f"/admin/accounts/user/{totp_staff.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth sends authenticator_added on commit
def test_activating_totp_counts_as_passing_mfa(client, staff_user):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    login_with_password(client, staff_user)
    client.post("/en/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    cache.clear()
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200
