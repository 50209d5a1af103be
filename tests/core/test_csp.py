"""Pages send a strict Content-Security-Policy and run no inline script without the nonce."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.factories import DEFAULT_PASSWORD

ANONYMOUS_PAGES = [
    "/sq/",
    "/sr-latn/",
    "/en/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/password/reset/",
    "/en/accounts/confirm-email/",
]
USER_PAGES = [
    "/en/me/",
    "/en/me/profile/",
    "/en/accounts/email/",
    "/en/accounts/password/change/",
    "/en/accounts/logout/",
    "/en/accounts/2fa/",
]


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []  # (attrs, has inline code)
        self._current = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._current = [dict(attrs), False]
            self.scripts.append(self._current)

    def handle_data(self, data):
        if self._current is not None and data.strip():
            self._current[1] = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def directives(response):
    header = response["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in (d.strip().split() for d in header.split(";")) if parts}


def check_page(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response)
    script_src = policy["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'self'" in script_src
    assert policy["object-src"] == ["'none'"]
    # django-csp adds the nonce to the header only when a template used it.
    nonces = [re.sub(r"'nonce-(.*)'", r"\1", s) for s in script_src if s.startswith("'nonce-")]

    parser = _Scripts()
    parser.feed(response.content.decode())
    assert parser.scripts, "base.html loads its scripts"
    for attrs, inline in parser.scripts:
        if inline:
            # Inline code only with the nonce; JSON data blocks are not executed.
            assert attrs.get("nonce") in nonces or attrs.get("type") == "application/json", attrs
        else:
            src = attrs["src"]
            assert src.startswith("/static/"), src  # same origin: allowed by 'self'
            assert finders.find(src.removeprefix("/static/")), f"{src} does not exist"
    html = response.content.decode()
    assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages_send_strict_csp(client, path):
    check_page(client.get(path))


@pytest.mark.django_db
def test_user_pages_send_strict_csp(user):
    client = Client()
    client.post("/en/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    for path in USER_PAGES:
        check_page(client.get(path))


@pytest.mark.django_db
def test_error_page_sends_csp(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in directives(response)["script-src"]
