"""The API answers in the language of Accept-Language, English when the client asks for
none (not the site's Albanian default, not the page's cookie), and its 404s never name a
model ("No GivingRecord matches the given query.")."""

import pytest
from django.conf import settings

from tests.helpers import t

pytestmark = pytest.mark.django_db

MISSING_RECORD = "/api/v1/giving/records/999999/"


def test_without_accept_language_errors_are_english(client):
    response = client.get(MISSING_RECORD)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert response["Content-Language"] == "en"
    bad_token = client.get("/api/v1/giving/records/", HTTP_AUTHORIZATION="Token nope")
    assert bad_token.status_code == 401
    assert bad_token.json()["detail"] == t("Invalid or revoked token.", "en")


@pytest.mark.parametrize(
    "header,language", [("sq", "sq"), ("sr-Latn,en;q=0.5", "sr-latn"), ("de, en;q=0.1", "en")]
)
def test_the_language_asked_for(client, header, language):
    response = client.get(MISSING_RECORD, HTTP_ACCEPT_LANGUAGE=header)
    assert response.json() == {"detail": t("Not found.", language)}
    assert "Accept-Language" in response["Vary"]


def test_the_site_cookie_does_not_choose_the_api_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    assert client.get(MISSING_RECORD).json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "url",
    [MISSING_RECORD, "/api/v1/organizations/no-such-slug/", "/api/v1/grants/calls/999999/"],
)
def test_404s_name_no_model(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_pages_keep_the_site_language(client):
    assert client.get("/").status_code in (200, 302)
    response = client.get("/sq/")
    assert response["Content-Language"] == "sq"
