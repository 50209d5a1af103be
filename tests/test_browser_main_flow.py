"""The main flow in a real browser: home → sign up → verify the email → register an
organisation → switch language → find the organisation in the directory."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from organizations.models import Membership, Organization

SCREENS = Path("/tmp/screens")
EMAIL = "besa.gashi@example.org"
PASSWORD = "Kosovo-civic-2026!"
ORG_NAME = "Rrjeti i Vullnetarëve Ferizaj"


def _confirm_path(message) -> str:
    link = next(
        link for link in re.findall(r"https?://\S+", message.body) if "/accounts/confirm-email/" in link
    )
    parts = urlsplit(link)
    return parts.path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_flow(reference_data, live_server, page):
    page.set_default_timeout(10_000)
    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    base = live_server.url

    # 1. Home page, in English; base.html's scripts ran (Bootstrap is there).
    page.goto(f"{base}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert page.evaluate("typeof window.htmx") == "object"

    # 2. Sign up.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(f"{base}/en/accounts/signup/")
    page.get_by_label("Full name").fill("Besa Gashi")
    page.get_by_label(re.compile(r"^Email")).fill(EMAIL)
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)  # label "Password *"
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # 3. The verification email: open its link on the live server and confirm.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    page.goto(base + _confirm_path(mail.outbox[0]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()
    assert EmailAddress.objects.get(email=EMAIL).verified

    # 4. Register an organisation.
    page.goto(f"{base}/en/organizations/new/")
    page.get_by_label(re.compile(r"^Name\W*$")).fill(ORG_NAME)
    page.get_by_label(re.compile(r"^Kind")).select_option(value=Organization.Kind.REGISTERED_CSO)
    page.get_by_label(re.compile(r"^Registration number")).fill("70123456")
    page.get_by_label(re.compile(r"^Municipality")).select_option(label="Ferizaj")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text(ORG_NAME).first).to_be_visible()
    organization = Organization.objects.get(name=ORG_NAME)
    assert Membership.objects.filter(
        organization=organization, user__email=EMAIL, role=Membership.Role.OWNER
    ).exists()

    # 5. Switch the language with the navbar switcher: <html lang> and the URL prefix change.
    page.goto(f"{base}/en/")
    page.locator(".language-switcher a[hreflang='sq']").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page).to_have_url(f"{base}/sq/")

    # 6. Find the organisation in the directory (labels may be translated now: use names).
    page.set_viewport_size({"width": 360, "height": 780})
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "home-360.png"), full_page=True)
    page.locator("form[role=search] input[name=q]").first.fill("Vullnetarëve")
    page.locator("form[role=search] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/sq/organizations/\?q="))
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("link", name=ORG_NAME)).to_be_visible()
    page.screenshot(path=str(SCREENS / "directory-360.png"), full_page=True)

    # Nothing the pages tried to run was blocked by the Content-Security-Policy.
    assert csp_violations == []
