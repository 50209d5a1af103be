"""API infrastructure shared by every app: token scopes, throttling, the exception
handler, pagination, and the OpenAPI schema / Swagger UI served offline."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.api.exceptions import exception_handler
from core.api.permissions import HasTokenScope
from organizations import services
from organizations.models import Membership
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/organizations/"


def make_token(*, scopes=()):
    org = OrganizationFactory()
    owner = member_of(org, Membership.Role.OWNER)
    return services.api_token_create(actor=owner, organization=org, name="partner", scopes=list(scopes))


# --- HasTokenScope -------------------------------------------------------------------------


class GivingWriteView(APIView):
    """A test-only endpoint that needs the giving:write scope."""

    permission_classes = [HasTokenScope]
    required_scopes = {"giving:write"}
    throttle_classes = []

    def get(self, request):
        return Response({"organization": request.auth.organization.slug})

    def post(self, request):
        return Response({"ok": True}, status=201)


class AnyTokenView(GivingWriteView):
    required_scopes = set()


factory = APIRequestFactory()


def call(view_class, *, key=None, user=None, method="get"):
    extra = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    request = getattr(factory, method)("/test-only/", **extra)
    if user is not None:
        force_authenticate(request, user=user)
    return view_class.as_view()(request)


class TestHasTokenScope:
    def test_token_with_the_scope_passes(self):
        token, key = make_token(scopes=["giving:write"])
        response = call(GivingWriteView, key=key)
        assert response.status_code == 200
        assert response.data == {"organization": token.organization.slug}
        assert call(GivingWriteView, key=key, method="post").status_code == 201

    def test_token_without_the_scope_is_403_naming_it(self):
        _token, key = make_token(scopes=["grants:read"])
        response = call(GivingWriteView, key=key)
        assert response.status_code == 403
        assert "giving:write" in str(response.data["detail"])

    def test_anonymous_is_401(self):
        response = call(GivingWriteView)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    @pytest.mark.parametrize("make_user", [UserFactory, StaffFactory])
    def test_session_users_never_get_token_scopes(self, make_user):
        response = call(GivingWriteView, user=make_user())
        assert response.status_code == 403

    def test_owner_of_a_scoped_token_logged_in_by_session_is_refused(self):
        token, _key = make_token(scopes=["giving:write"])
        assert call(GivingWriteView, user=token.created_by).status_code == 403

    def test_revoked_token_is_401(self):
        token, key = make_token(scopes=["giving:write"])
        services.api_token_revoke(actor=token.created_by, token=token)
        assert call(GivingWriteView, key=key).status_code == 401

    def test_a_forced_revoked_token_does_not_pass(self):
        token, _key = make_token(scopes=["giving:write"])
        services.api_token_revoke(actor=token.created_by, token=token)
        token.refresh_from_db()
        request = factory.get("/test-only/")
        force_authenticate(request, user=token.created_by, token=token)
        assert GivingWriteView.as_view()(request).status_code == 403

    def test_a_non_token_auth_object_does_not_pass(self):
        request = factory.get("/test-only/")
        force_authenticate(request, user=UserFactory(), token="some-other-credential")
        assert GivingWriteView.as_view()(request).status_code == 403

    def test_the_kernel_knows_tokens_by_shape_not_by_model(self):
        """core does not import organizations: any `request.auth` with `is_active` and
        `has_scope` is a token; half the shape, or an inactive one, is refused."""

        class Token:
            def __init__(self, active, scopes):
                self.is_active, self.scopes = active, set(scopes)

            def has_scope(self, scope):
                return scope in self.scopes

        class ActiveWithoutScopes:
            is_active = True

        def status(token, view=AnyTokenView):
            request = factory.post("/test-only/")
            force_authenticate(request, user=UserFactory(), token=token)
            return view.as_view()(request)

        assert status(Token(True, ["giving:write"]), GivingWriteView).status_code == 201
        refused = status(Token(True, ["grants:read"]), GivingWriteView)
        assert refused.status_code == 403
        assert "giving:write" in str(refused.data["detail"])
        assert status(Token(False, ["giving:write"]), GivingWriteView).status_code == 403
        assert status(ActiveWithoutScopes()).status_code == 403

    def test_without_required_scopes_any_token_passes(self):
        _token, key = make_token()
        assert call(AnyTokenView, key=key).status_code == 200
        assert call(AnyTokenView, user=UserFactory()).status_code == 403
        assert call(AnyTokenView).status_code == 401


# --- throttling ----------------------------------------------------------------------------


def small_rates(anon="2/min", token="3/min"):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "token": token}}
    )


class TestThrottling:
    def test_test_settings_raise_the_rates(self):
        from rest_framework.settings import api_settings

        assert api_settings.DEFAULT_THROTTLE_RATES == {"anon": "10000/min", "token": "10000/min"}

    def test_anonymous_gets_429(self):
        client = APIClient()
        with small_rates(anon="2/min"):
            assert [client.get(API_LIST).status_code for _ in range(3)] == [200, 200, 429]
            response = client.get(API_LIST)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert "detail" in response.json()
        # another address has its own allowance
        with small_rates(anon="2/min"):
            assert client.get(API_LIST, REMOTE_ADDR="10.0.0.9").status_code == 200

    def test_a_token_gets_429_on_its_own_budget(self):
        _token, key = make_token()
        _other, other_key = make_token()
        client = APIClient()
        with small_rates(anon="1/min", token="3/min"):
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            assert [client.get(API_LIST).status_code for _ in range(4)] == [200, 200, 200, 429]
            # another token, and anonymous clients, are counted apart
            client.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
            assert client.get(API_LIST).status_code == 200
            client.credentials()
            assert client.get(API_LIST).status_code == 200

    def test_throttled_response_is_json_and_says_when(self):
        client = APIClient()
        with small_rates(anon="1/min"):
            client.get(API_LIST)
            response = client.get(API_LIST, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 429
        assert response["Content-Type"].startswith("application/json")
        assert "throttled" in response.json()["detail"].lower()


# --- exception handler ---------------------------------------------------------------------


class ServiceErrorView(APIView):
    """A test-only endpoint whose service raises Django's exceptions."""

    permission_classes = []
    throttle_classes = []
    error: Exception

    def post(self, request):
        raise self.error


def raise_in_view(error):
    view = type("V", (ServiceErrorView,), {"error": error})
    return view.as_view()(factory.post("/test-only/", {}, format="json"))


class TestExceptionHandler:
    def test_field_validation_error_is_400_by_field(self):
        response = raise_in_view(DjangoValidationError({"name": ["Give the token a name."]}))
        assert response.status_code == 400
        assert response.data == {"name": ["Give the token a name."]}

    def test_plain_validation_error_is_400_non_field(self):
        response = raise_in_view(DjangoValidationError("This invitation has expired."))
        assert response.status_code == 400
        assert response.data == {"non_field_errors": ["This invitation has expired."]}

    def test_all_key_becomes_non_field_errors(self):
        response = raise_in_view(DjangoValidationError({"__all__": ["Both are needed."], "a": ["x"]}))
        assert response.status_code == 400
        assert response.data == {"non_field_errors": ["Both are needed."], "a": ["x"]}

    def test_permission_denied_is_403_with_the_reason(self):
        response = raise_in_view(DjangoPermissionDenied("You do not have permission to do this."))
        assert response.status_code == 403
        assert response.data["detail"] == "You do not have permission to do this."

    def test_permission_denied_without_message_gets_the_default(self):
        response = raise_in_view(DjangoPermissionDenied())
        assert response.status_code == 403
        assert response.data["detail"]

    def test_other_exceptions_are_left_to_django(self):
        assert exception_handler(RuntimeError("boom"), {}) is None


# --- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"), [("1", 200), ("200", 200), ("201", 200), ("0", 400), ("x", 400)]
)
def test_page_size_parameter(value, status):
    OrganizationFactory()
    response = APIClient().get(API_LIST, {"page_size": value})
    assert response.status_code == status
    if status == 400:
        assert list(response.json()) == ["page_size"]


# --- schema and Swagger UI -----------------------------------------------------------------


def test_schema_generation_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/organizations/" in text


class TestSchemaEndpoint:
    @pytest.fixture
    def schema(self):
        response = APIClient().get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        return response.json()

    def test_list_documents_error_responses(self, schema):
        responses = schema["paths"]["/api/v1/organizations/"]["get"]["responses"]
        assert {"200", "400", "401", "404", "429"} <= set(responses)
        error_ref = responses["401"]["content"]["application/json"]["schema"]["$ref"]
        assert error_ref.endswith("/Error")
        assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]

    def test_detail_documents_404_and_slug_pattern(self, schema):
        operation = schema["paths"]["/api/v1/organizations/{slug}/"]["get"]
        assert {"200", "401", "404", "429"} <= set(operation["responses"])
        (slug,) = [p for p in operation["parameters"] if p["name"] == "slug"]
        assert slug["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"

    def test_filters_are_documented(self, schema):
        names = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
        # "badge": added by the transparency app (organizations.extensions)
        assert names == {
            "q",
            "municipality",
            "sector",
            "kind",
            "verified",
            "badge",
            "ordering",
            "page",
            "page_size",
        }

    def test_token_security_scheme(self, schema):
        assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
        operation = schema["paths"]["/api/v1/organizations/"]["get"]
        assert {} in operation["security"]  # anonymous allowed

    def test_catch_all_is_not_in_the_schema(self, schema):
        organization_paths = {p for p in schema["paths"] if p.startswith("/api/v1/organizations/")}
        assert organization_paths == {"/api/v1/organizations/", "/api/v1/organizations/{slug}/"}
        # No app's JSON-404 catch-all route (a regex of "anything") is documented.
        assert not any("[" in p or "(" in p or "*" in p for p in schema["paths"])


class TestSwaggerUI:
    @pytest.mark.parametrize("path", ["/api/", "/api/v1/"])
    def test_the_apis_own_addresses_open_the_documentation(self, client, path):
        """A partner exploring the API types its address: the documentation, not a 404; the
        endpoints under it are unchanged."""
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/api/docs/"
        assert client.get("/api/v1/organizations/").status_code == 200

    def test_page_uses_local_assets_only(self, client):
        response = client.get("/api/docs/")
        assert response.status_code == 200
        html = response.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, html
        for url in sources:
            assert url.startswith("/"), url  # same origin: no CDN, no external host
        assert "cdn" not in html.lower()
        assert "//" not in "".join(s.split("?")[0] for s in sources)
        assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources

    def test_sidecar_assets_exist_and_are_served(self, client):
        html = client.get("/api/docs/").content.decode()
        static_paths = [u for u in re.findall(r'(?:src|href)="([^"]+)"', html) if u.startswith("/static/")]
        assert len(static_paths) >= 3
        for url in static_paths:
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
            fresh = Client()  # builds its middleware (WhiteNoise) under these settings
            for url in static_paths:
                response = fresh.get(url)
                assert response.status_code == 200, url
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert len(body) > 100, url

    def test_init_script_is_served_from_the_same_view(self, client):
        response = client.get("/api/docs/", {"script": ""})
        assert response.status_code == 200
        assert "javascript" in response["Content-Type"]
        body = response.content.decode()
        assert "/api/schema/" in body
        assert "validator.swagger.io" not in body
        assert '"validatorUrl": null' in body

    def test_csp_allows_what_swagger_ui_needs_and_no_more(self, client):
        policy = client.get("/api/docs/")["Content-Security-Policy"]
        directives = {
            part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
        }
        assert "'self'" in directives["script-src"]
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert "'unsafe-inline'" in directives["style-src"]  # Swagger UI's inline styles
        assert "data:" in directives["img-src"]  # its SVG icons
        assert "'self'" in directives["connect-src"]  # it fetches /api/schema/
        assert not any(d.startswith("http") for values in directives.values() for d in values)

    def test_other_pages_keep_the_strict_style_policy(self, client):
        policy = client.get("/api/schema/")["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy
