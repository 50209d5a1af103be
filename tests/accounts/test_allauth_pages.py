"""Every allauth page renders inside the portal layout, in all three languages, with labelled fields."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.accounts.helpers import activate_totp, login_with_password, login_with_totp, totp_code
from tests.factories import DEFAULT_PASSWORD

LANGS = ["sq", "sr-latn", "en"]

ANONYMOUS_PAGES = [
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
    ("account_reset_password_done", {}),
    ("account_email_verification_sent", {}),
    ("account_confirm_email", {"key": "not-a-real-key"}),
    ("account_reset_password_from_key", {"uidb36": "zz", "key": "bad-token"}),
    ("account_reset_password_from_key_done", {}),
]
MANAGE_PAGES = ["account_email", "account_change_password", "account_logout", "mfa_index"]
MFA_PAGES = [
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_deactivate_totp",
]


class _FormAudit(HTMLParser):
    """Collects the <html lang>, form controls and the ids that a <label for> names."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.controls = []
        self.label_targets = set()
        self.inline_scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if attrs.get("type") not in ("hidden", "submit", "button"):
                self.controls.append(attrs)
        elif tag == "script":
            self._in_script = attrs

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.inline_scripts.append(self._in_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def audit(response):
    parser = _FormAudit()
    parser.feed(response.content.decode())
    return parser


def assert_portal_page(response, lang):
    assert response.status_code == 200, response.status_code
    page = audit(response)
    assert page.lang == lang
    html = response.content.decode()
    # Rendered inside templates/base.html, with Bootstrap:
    assert 'aria-label="' in html and "navbar" in html and "bootstrap.min.css" in html
    assert 'href="#main"' in html
    for control in page.controls:
        assert control.get("id") in page.label_targets or control.get("aria-label"), control
        if control.get("type") not in ("checkbox", "radio"):
            assert "form-control" in control.get("class", "") or "form-select" in control.get("class", "")
    # No executable inline script (JSON data blocks are not executed, nonce'd scripts are allowed).
    for script in page.inline_scripts:
        assert script.get("type") == "application/json" or script.get("nonce"), script
    return html


def url(name, lang, **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "kwargs"), ANONYMOUS_PAGES)
def test_anonymous_allauth_pages_render_in_portal_layout(client, lang, name, kwargs):
    target = url(name, lang, **kwargs)
    assert target.startswith(f"/{lang}/")
    assert_portal_page(client.get(target), lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_account_management_pages_render(client, user, lang):
    assert login_with_password(client, user, lang).status_code == 302
    for name in MANAGE_PAGES:
        html = assert_portal_page(client.get(url(name, lang)), lang)
        assert "account-nav" in html  # the side navigation of the manage layout
    # Activating TOTP asks for the password again first (RECIPES.md).
    response = client.get(url("mfa_activate_totp", lang))
    assert response.status_code == 302
    assert url("account_reauthenticate", lang) in response["Location"]
    assert_portal_page(client.get(response["Location"]), lang)
    client.post(url("account_reauthenticate", lang), {"password": DEFAULT_PASSWORD})
    html = assert_portal_page(client.get(url("mfa_activate_totp", lang)), lang)
    assert "totp-qr" in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_mfa_pages_render(client, user, lang):
    secret = activate_totp(user)
    login_with_password(client, user, lang)
    assert_portal_page(client.get(url("mfa_authenticate", lang)), lang)
    client.post(url("mfa_authenticate", lang), {"code": totp_code(secret)})
    assert client.session.get("_auth_user_id") == str(user.pk)
    # Viewing recovery codes asks to confirm access again, even right after logging in.
    assert_portal_page(client.get(url("account_reauthenticate", lang)), lang)
    client.post(url("account_reauthenticate", lang), {"password": DEFAULT_PASSWORD})
    for name in MFA_PAGES:
        assert_portal_page(client.get(url(name, lang)), lang)


@pytest.mark.django_db
def test_login_error_is_shown_translated(client, user):
    response = client.post("/sq/accounts/login/", {"login": user.email, "password": "wrong-password"})
    assert response.status_code == 200
    html = assert_portal_page(response, "sq")
    assert 'class="alert alert-danger"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_mfa_login_completes(client, user):
    secret = activate_totp(user)
    response = login_with_totp(client, user, secret)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
