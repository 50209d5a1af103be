"""Sign-up, email verification, login with mandatory verification, and password reset (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from accounts.models import User

PASSWORD = "a-long-Passphrase-42"
LINK_RE = re.compile(r"https?://[^\s]+")


def signup(client, lang="en", **overrides):
    data = {
        "email": "new.person@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Drita Krasniqi",
        **overrides,
    }
    return client.post(f"/{lang}/accounts/signup/", data)


def links_in(message):
    return LINK_RE.findall(message.body)


@pytest.mark.django_db
def test_signup_sends_verification_mail_and_confirming_verifies(client):
    response = signup(client)
    assert response.status_code == 302

    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "Drita Krasniqi"
    assert user.preferred_language == "en"
    address = EmailAddress.objects.get(user=user)
    assert address.verified is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject.startswith("[CEA] ")
    confirm_links = [link for link in links_in(message) if "/accounts/confirm-email/" in link]
    assert len(confirm_links) == 1
    confirm_path = confirm_links[0].split("testserver", 1)[1]
    assert confirm_path.startswith("/en/accounts/confirm-email/")

    # The link shows a confirmation page (no change on GET), the POST verifies.
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()
    address.refresh_from_db()
    assert address.verified is False
    assert client.post(confirm_path).status_code == 302
    address.refresh_from_db()
    assert address.verified is True


@pytest.mark.django_db
def test_verification_mail_and_link_follow_the_signup_language(client):
    assert signup(client, lang="sr-latn").status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.preferred_language == "sr-latn"
    message = mail.outbox[0]
    # allauth ships Serbian (Latin) strings: the subject is not the English one.
    assert "Please Confirm Your Email Address" not in message.subject
    assert any("/sr-latn/accounts/confirm-email/" in link for link in links_in(message))


@pytest.mark.django_db
@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_mandatory_verification_blocks_login_until_verified(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    # Logging in before verifying: no session (allauth re-sends the mail after a cooldown).
    response = client.post("/en/accounts/login/", {"login": "new.person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session

    confirm_path = next(
        link for link in links_in(mail.outbox[-1]) if "/accounts/confirm-email/" in link
    ).split("testserver", 1)[1]
    client.post(confirm_path)
    client.logout()

    response = client.post("/en/accounts/login/", {"login": "new.person@example.org", "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "overrides", "expected_error"),
    [
        ("sq", {"email": "not-an-email"}, "Jepni një adresë email të vlefshme."),
        ("en", {"email": "not-an-email"}, "Enter a valid email address."),
        ("sr-latn", {"password2": "something-else-42"}, "Svaki put morate da unesete istu lozinku."),
        ("en", {"password2": "something-else-42"}, "You must type the same password each time."),
    ],
)
def test_invalid_signup_rerenders_with_translated_errors(client, lang, overrides, expected_error):
    response = signup(client, lang=lang, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    assert expected_error in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "expected_error"),
    [
        ("en", "A user is already registered with this email address."),
        ("sr-latn", "Korisnik je već registrovan na ovoj adresi e-pošte."),
    ],
)
def test_duplicate_email_is_refused(client, user_factory, lang, expected_error):
    user_factory(email="taken@example.org")
    response = signup(client, lang=lang, email="Taken@Example.org")
    assert response.status_code == 200
    assert expected_error in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


@pytest.mark.django_db
def test_password_reset_mail_and_reset(client, user):
    response = client.post("/en/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    reset_link = next(link for link in links_in(mail.outbox[0]) if "/password/reset/key/" in link)
    reset_path = reset_link.split("testserver", 1)[1]

    # allauth moves the key into the session and redirects to a key-less URL.
    response = client.get(reset_path)
    assert response.status_code == 302
    form_path = response["Location"]
    page = client.get(form_path)
    assert page.status_code == 200
    assert "password1" in page.content.decode()

    response = client.post(
        form_path, {"password1": "Brand-new-secret-77", "password2": "Brand-new-secret-77"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password("Brand-new-secret-77")


@pytest.mark.django_db
def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/done/"
