"""Request bodies the API refuses with a JSON 4xx, never a 500 nor an HTML page (issue 12):
JSON nested deeper than the parser can follow (item 12) and bodies over
DATA_UPLOAD_MAX_MEMORY_SIZE (item 17)."""

import json
import uuid

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import override_settings
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from core.api.parsers import JSONParser
from core.views import bad_request
from tests.core.test_api_infra import make_token

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/giving/records/"
DEEP = "[" * 100_000 + "]" * 100_000


class EchoView(APIView):
    permission_classes = []
    throttle_classes = []

    def post(self, request):
        return Response({"keys": sorted(request.data) if isinstance(request.data, dict) else None})


def _token_client(scopes=("giving:write",)):
    _token, key = make_token(scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    return client


def test_the_default_parser_is_ours():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_PARSER_CLASSES[0] is JSONParser


def test_deeply_nested_json_is_400_on_any_view():
    request = APIRequestFactory().post("/test-only/", DEEP, content_type="application/json")
    response = EchoView.as_view()(request)
    assert response.status_code == 400
    assert "detail" in response.data


@pytest.mark.parametrize("body", [DEEP, '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_deeply_nested_json_is_400_on_a_write_endpoint(body):
    response = _token_client().post(RECORDS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "nested" in response.json()["detail"].lower()


def test_ordinary_json_still_parses():
    request = APIRequestFactory().post(
        "/test-only/", json.dumps({"b": [[1]], "a": 1}), content_type="application/json"
    )
    assert EchoView.as_view()(request).data == {"keys": ["a", "b"]}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_a_json_413_on_a_write_endpoint():
    body = json.dumps({"notes": "x" * 2000})
    response = _token_client().post(RECORDS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"].lower()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_json_on_any_api_view():
    request = APIRequestFactory().post(
        "/test-only/", json.dumps({"x": "y" * 2000}), content_type="application/json"
    )
    response = EchoView.as_view()(request)
    assert response.status_code == 413
    assert "detail" in response.data


@pytest.mark.parametrize(
    ("exception", "status"),
    [(RequestDataTooBig("big"), 413), (TooManyFieldsSent("many"), 400), (None, 400)],
)
def test_djangos_400_handler_answers_json_under_api(rf, exception, status):
    """A body Django refuses before any API view reads it reaches the 400 handler."""
    response = bad_request(rf.post("/api/v1/giving/records/"), exception)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"]


def test_djangos_400_handler_keeps_the_html_page_elsewhere(rf):
    response = bad_request(rf.post("/en/giving/records/report/"), RequestDataTooBig("big"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
