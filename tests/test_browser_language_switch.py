"""Issue 13, item 1, in a real browser: from every kind of page, in every language, with the
browser set to every language, each language of the switcher opens the same page in that
language (3 browser languages × 3 page languages × 3 chosen languages, on each page kind);
the choice is kept for `/` (cookie) and, when signed in, in the profile."""

import itertools

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import OrganizationFactory, UserFactory

LANGUAGES = ["sq", "sr-latn", "en"]
BROWSER_LOCALES = {"sq": "sq", "sr-latn": "sr-Latn", "en": "en-US"}


def page_kinds():
    organization = OrganizationFactory()
    return [
        "",  # home
        "grants/?phase=open&q=Ferizaj",  # a list with its filters
        f"organizations/{organization.slug}/",  # a detail page
        "accounts/login/",  # an allauth page
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("browser_language", LANGUAGES)
def test_every_language_from_every_page_in_every_browser_language(
    reference_data, live_server, browser, browser_language
):
    base = live_server.url
    kinds = page_kinds()
    context = browser.new_context(locale=BROWSER_LOCALES[browser_language])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        for rest, page_language, chosen in itertools.product(kinds, LANGUAGES, LANGUAGES):
            page.goto(f"{base}/{page_language}/{rest}")
            expect(page.locator("html")).to_have_attribute("lang", page_language)
            page.locator(f".language-switcher a[hreflang='{chosen}']").click()
            expect(page).to_have_url(f"{base}/{chosen}/{rest}")
            expect(page.locator("html")).to_have_attribute("lang", chosen)
        # The last choice is remembered for the address without a language.
        page.goto(f"{base}/")
        expect(page).to_have_url(f"{base}/{LANGUAGES[-1]}/")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_signed_in_persons_choice_is_saved(reference_data, live_server, browser):
    user = UserFactory(preferred_language="sq")
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/sq/grants/")
        expect(page.locator("form[action*=logout] button")).to_be_visible()  # signed in
        page.locator(".language-switcher a[hreflang='sr-latn']").click()
        expect(page).to_have_url(f"{live_server.url}/sr-latn/grants/")
        expect(page.locator("html")).to_have_attribute("lang", "sr-latn")
        assert User.objects.get(pk=user.pk).preferred_language == "sr-latn"
        page.locator(".language-switcher a[hreflang='en']").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert User.objects.get(pk=user.pk).preferred_language == "en"
    finally:
        context.close()
