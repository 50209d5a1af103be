"""Control characters (NUL first: PostgreSQL refuses it in text, a 500) in any text input
are a 400 naming the field: JSON, form and multipart API bodies, query strings, page forms."""

import pytest
from rest_framework.test import APIClient

from core.control_characters import find_control_character
from tests.factories import partner_token
from tests.helpers import t

pytestmark = pytest.mark.django_db

FUNDING_BULK = "/api/v1/transparency/public-funding/bulk/"
MESSAGE = "%(field)s contains a control character (such as NUL), which is not allowed."


def funding(**overrides):
    data = {
        "institution": "9100001",
        "recipient": "zeri",
        "year": 2024,
        "amount": "2500.00",
        "programme": "Call 3",
        "procedure": "open_call",
        "call_published": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def partner():
    _token, key = partner_token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_IDEMPOTENCY_KEY="nul")
    return client


@pytest.mark.parametrize("value", ["91\x0000001", "a\x1bb", "\x7f"])
def test_a_control_character_in_a_json_body_is_a_400_naming_the_field(partner, value):
    body = {"records": [funding(), funding(institution=value)]}
    response = partner.post(FUNDING_BULK, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"records.1.institution": [t(MESSAGE, "en", field="records.1.institution")]}


def test_a_control_character_in_a_key_is_refused(partner):
    response = partner.post("/api/v1/giving/records/", {"don\x00or": "x"}, format="json")
    assert response.status_code == 400


def test_tab_and_newlines_pass_the_check(partner):
    assert find_control_character({"a": ["x\ty\r\nz"]}) is None
    assert find_control_character({"a": [{"b": "x\x00"}]}) == "a.0.b"


def test_a_control_character_in_a_form_body_of_the_api_is_a_400(partner):
    response = partner.post("/api/v1/giving/records/", {"donor_name": "a\x00b"}, format="multipart")
    assert response.status_code == 400
    assert "donor_name" in response.json()
    response = partner.post(
        "/api/v1/giving/records/", "donor_name=a%01b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "donor_name" in response.json()


def test_a_control_character_in_a_query_string_is_a_400(client):
    response = client.get("/api/v1/organizations/", {"search": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"search": [t(MESSAGE, "en", field="search")]}
    response = client.get("/en/organizations/", {"q": "x\x00"})
    assert response.status_code == 400
    assert t(MESSAGE, "en", field="q") in response.content.decode()


def test_a_control_character_in_a_page_form_is_a_400_naming_the_field(client):
    response = client.post("/en/accounts/login/", {"login": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert t(MESSAGE, "en", field="login") in response.content.decode()


def test_a_lone_surrogate_in_a_json_body_is_a_400_naming_the_field(partner):
    """JSON may escape half of a UTF-16 pair ("\\ud800"); no database can store the string (a
    UnicodeEncodeError, a 500, at the save)."""
    import json

    body = json.dumps({"records": [funding(), funding(programme="Call \ud800 3")]})  # ASCII-escaped
    response = partner.post(FUNDING_BULK, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"records.1.programme": [t(MESSAGE, "en", field="records.1.programme")]}
