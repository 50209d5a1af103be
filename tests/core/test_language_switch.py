"""Issue 13, item 1: the language switcher lands on the same page in the chosen language,
whatever the page's language, the browser's language or the cookie; a signed-in person's
choice is saved in the profile. (The browser matrix is tests/test_browser_language_switch.py.)"""

import itertools
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.i18n import path_in_language, swap_language_prefix
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["sq", "sr-latn", "en"]
COOKIE = settings.LANGUAGE_COOKIE_NAME


def switcher_links(html: str) -> dict[str, str]:
    nav = html[html.index('<nav class="language-switcher') :]
    nav = nav[: nav.index("</nav>")]
    return {
        lang: href.replace("&amp;", "&")
        for href, lang in re.findall(r'href="([^"]*)" hreflang="([^"]+)"', nav)
    }


def page_kinds() -> dict[str, str]:
    """The path after the language prefix of each kind of page."""
    organization = OrganizationFactory()
    return {
        "home": "",
        "list with a query": "grants/?phase=open&q=Ferizaj",
        "detail": f"organizations/{organization.slug}/",
        "allauth": "accounts/login/?next=/en/me/",
        "not found": "no-such-page/",
    }


@pytest.mark.parametrize("browser", LANGUAGES)
def test_every_link_of_the_switcher_is_this_page_in_its_language(client, browser):
    for kind, rest in page_kinds().items():
        for page_language, target in itertools.product(LANGUAGES, LANGUAGES):
            response = client.get(f"/{page_language}/{rest}", HTTP_ACCEPT_LANGUAGE=browser)
            assert response.status_code == (404 if kind == "not found" else 200), (kind, page_language)
            href = switcher_links(response.content.decode())[target]
            assert href == f"/{target}/{rest}", (kind, page_language, target, browser)
            landed = client.get(href, HTTP_ACCEPT_LANGUAGE=browser)
            assert f'<html lang="{target}">' in landed.content.decode(), (kind, page_language, target)


def test_the_current_language_is_marked_and_the_cookie_does_not_matter(client):
    client.cookies[COOKIE] = "en"
    html = client.get("/sr-latn/grants/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sr-latn">' in html
    assert switcher_links(html) == {"sq": "/sq/grants/", "sr-latn": "/sr-latn/grants/", "en": "/en/grants/"}
    assert re.search(r'hreflang="sr-latn"[^>]*aria-current="page"', html)
    assert not re.search(r'hreflang="en"[^>]*aria-current', html)


def test_paths_in_another_language():
    with translation.override("en"):
        assert path_in_language("/sr-latn/grants/", "sq") == "/sq/grants/"
        assert path_in_language("/sq/no/such/page/", "en") == "/en/no/such/page/"
        assert path_in_language("/", "sr-latn") == "/sr-latn/"
        assert path_in_language("/admin/", "sq") == "/admin/"  # no prefix: one URL for all
    assert swap_language_prefix("/en/grants/awarded/", "sr-latn") == "/sr-latn/grants/awarded/"
    assert swap_language_prefix("/grants/", "sq") == "/sq/grants/"


# --- POST /i18n/setlang/ (the old form's endpoint, still there for scripts and old pages) ----


@pytest.mark.parametrize(
    ("page", "chosen", "browser"), list(itertools.product(LANGUAGES, LANGUAGES, LANGUAGES))
)
def test_set_language_translates_next_from_its_own_language(client, page, chosen, browser):
    response = client.post(
        reverse("set_language"),
        {"language": chosen, "next": f"/{page}/grants/?phase=open"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{chosen}/grants/?phase=open"
    assert response.cookies[COOKIE].value == chosen


def test_set_language_refuses_other_sites_and_unknown_languages(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/sq/"})
    assert response["Location"] == "/en/"
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/sq/grants/"})
    assert response["Location"] == "/sq/grants/" and COOKIE not in response.cookies
    assert client.get(reverse("set_language")).status_code == 405


def test_set_language_saves_a_signed_in_persons_choice(client):
    user = UserFactory(preferred_language="sq")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/sq/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


# --- the preference of a signed-in person (core.i18n.PreferredLanguageMiddleware) ------------


def test_following_a_switcher_link_saves_the_preferred_language(client):
    user = UserFactory(preferred_language="sq")
    client.force_login(user)
    client.cookies[COOKIE] = "sr-latn"  # what static/js/portal.js sets on the click
    assert client.get("/sr-latn/grants/").status_code == 200
    user.refresh_from_db()
    assert user.preferred_language == "sr-latn"


def test_a_link_in_another_language_alone_changes_no_preference(client):
    user = UserFactory(preferred_language="sq")
    client.force_login(user)
    client.get("/en/grants/")  # no cookie: e.g. a link someone shared
    client.cookies[COOKIE] = "sq"
    client.get("/en/grants/")  # the cookie says otherwise
    user.refresh_from_db()
    assert user.preferred_language == "sq"


def test_anonymous_switching_touches_no_profile(client):
    client.cookies[COOKIE] = "en"
    response = client.get("/en/grants/")
    assert response.status_code == 200
    assert COOKIE not in response.cookies  # links set no cookie on the server side: pages stay cacheable
