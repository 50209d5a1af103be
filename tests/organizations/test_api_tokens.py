"""API tokens: the owners' web pages (create, list, revoke) and authentication with a token."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from organizations import services
from organizations.models import ApiToken, Membership
from tests.factories import OrganizationFactory, member_of

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/organizations/"
KEY_RE = re.compile(r"cea_[A-Za-z0-9_\-]{40,}")


def tokens_url(org) -> str:
    return reverse("organizations:api_tokens", kwargs={"slug": org.slug})


def revoke_url(org, token) -> str:
    return reverse("organizations:api_token_revoke", kwargs={"slug": org.slug, "pk": token.pk})


def make_token(org, *, scopes=(), name="Importer"):
    owner = org.memberships.filter(role=Membership.Role.OWNER).first()
    actor = owner.user if owner else member_of(org, Membership.Role.OWNER)
    return services.api_token_create(actor=actor, organization=org, name=name, scopes=list(scopes))


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- the web pages ---------------------------------------------------------------------------


ROLE_STATUS = [
    ("anonymous", 302),
    ("citizen", 403),
    ("viewer", 403),
    ("editor", 403),
    ("owner", 200),
    ("staff", 200),
]


class TestPermissionMatrix:
    @pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
    def test_list_page(self, client, org_roles, role, status):
        org = org_roles["organization"]
        make_token(org, name="Existing token")
        response = login(client, org_roles[role]).get(tokens_url(org))
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith(reverse("account_login"))
        if status == 200:
            assert "Existing token" in response.content.decode()
        else:
            assert b"Existing token" not in response.content

    @pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
    def test_create(self, client, org_roles, role, status):
        org = org_roles["organization"]
        response = login(client, org_roles[role]).post(
            tokens_url(org), {"name": "Importer", "scopes": ["read"]}
        )
        assert response.status_code == status
        assert ApiToken.objects.filter(organization=org).exists() is (status == 200)

    @pytest.mark.parametrize(("role", "status"), [*ROLE_STATUS[:4], ("owner", 302), ("staff", 302)])
    def test_revoke(self, client, org_roles, role, status):
        org = org_roles["organization"]
        token, _key = make_token(org)
        response = login(client, org_roles[role]).post(revoke_url(org, token))
        assert response.status_code == status
        token.refresh_from_db()
        assert (token.revoked_at is not None) is (role in ("owner", "staff"))
        if role in ("owner", "staff"):
            assert response["Location"] == tokens_url(org)


class TestPages:
    def test_owner_creates_a_token_and_sees_the_key_once(self, client, org_roles):
        org, owner = org_roles["organization"], org_roles["owner"]
        login(client, owner)
        response = client.post(tokens_url(org), {"name": "Donations importer", "scopes": ["giving:write"]})
        assert response.status_code == 200
        html = response.content.decode()
        keys = set(KEY_RE.findall(html))
        assert len(keys) == 1
        key = keys.pop()
        token = ApiToken.objects.get(organization=org)
        assert token.name == "Donations importer"
        assert token.scopes == ["giving:write", "read"]
        assert token.created_by == owner
        assert key.startswith(f"cea_{token.prefix}")
        assert 'id="new-key"' in html and 'role="alert"' in html  # the one-time warning
        assert "no-store" in response["Cache-Control"]
        # never again: the list shows only the prefix
        again = client.get(tokens_url(org)).content.decode()
        assert key not in again
        assert f"cea_{token.prefix}…" in again
        assert "Donations importer" in again
        # and the key works
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(API_LIST).status_code == 200

    def test_key_is_not_in_the_session(self, client, org_roles):
        org = org_roles["organization"]
        login(client, org_roles["owner"])
        html = client.post(tokens_url(org), {"name": "x"}).content.decode()
        key = KEY_RE.search(html).group(0)
        assert key not in str(dict(client.session))

    def test_list_shows_tokens_with_their_state(self, client, org_roles):
        org = org_roles["organization"]
        active, _ = make_token(org, name="Active one", scopes=["giving:write"])
        revoked, _ = make_token(org, name="Old one")
        ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
        ApiToken.objects.filter(pk=active.pk).update(last_used_at=timezone.now() - timedelta(hours=2))
        make_token(OrganizationFactory(), name="Someone else's")
        response = login(client, org_roles["owner"]).get(tokens_url(org), HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        assert "Active one" in html and "Old one" in html
        assert "Someone else" not in html
        assert "giving:write" in html
        assert f"cea_{active.prefix}…" in html
        # one revoke button: the revoked token has none
        assert html.count("/revoke/") == 1
        assert revoke_url(org, active) in html and revoke_url(org, revoked) not in html
        # the form offers every scope
        for scope in ApiToken.Scope.values:
            assert f'value="{scope}"' in html

    def test_blank_name_is_refused_and_nothing_created(self, client, org_roles):
        org = org_roles["organization"]
        response = login(client, org_roles["owner"]).post(tokens_url(org), {"name": "  ", "scopes": ["read"]})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
        assert not ApiToken.objects.exists()
        assert not KEY_RE.search(response.content.decode())

    def test_unknown_scope_is_refused(self, client, org_roles):
        org = org_roles["organization"]
        response = login(client, org_roles["owner"]).post(tokens_url(org), {"name": "x", "scopes": ["admin"]})
        assert response.status_code == 400
        assert not ApiToken.objects.exists()

    def test_another_organisations_token_is_404(self, client, org_roles):
        org = org_roles["organization"]
        foreign, _ = make_token(OrganizationFactory())
        response = login(client, org_roles["owner"]).post(revoke_url(org, foreign))
        assert response.status_code == 404
        foreign.refresh_from_db()
        assert foreign.revoked_at is None

    def test_revoke_needs_post(self, client, org_roles):
        org = org_roles["organization"]
        token, _ = make_token(org)
        assert login(client, org_roles["owner"]).get(revoke_url(org, token)).status_code == 405
        token.refresh_from_db()
        assert token.is_active

    def test_revoking_twice_is_harmless(self, client, org_roles):
        org = org_roles["organization"]
        token, _ = make_token(org)
        login(client, org_roles["owner"])
        client.post(revoke_url(org, token))
        first = ApiToken.objects.get(pk=token.pk).revoked_at
        assert client.post(revoke_url(org, token)).status_code == 302
        assert ApiToken.objects.get(pk=token.pk).revoked_at == first

    def test_revoked_token_no_longer_authenticates(self, client, org_roles):
        org = org_roles["organization"]
        token, key = make_token(org)
        login(client, org_roles["owner"]).post(revoke_url(org, token), follow=True)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(API_LIST).status_code == 401

    def test_unknown_or_inactive_organisation_is_404(self, client, org_roles):
        login(client, org_roles["staff"])
        closed = OrganizationFactory(is_active=False)
        assert client.get(tokens_url(closed)).status_code == 404
        assert client.get(reverse("organizations:api_tokens", kwargs={"slug": "nope"})).status_code == 404

    def test_page_queries_do_not_grow_with_tokens(self, client, org_roles):
        org = org_roles["organization"]
        login(client, org_roles["owner"])
        for i in range(2):
            make_token(org, name=f"t{i}")
        client.get(tokens_url(org))  # warm: the menu's flags are worked out once, then kept
        with CaptureQueriesContext(connection) as small:
            assert client.get(tokens_url(org)).status_code == 200
        for i in range(6):
            make_token(org, name=f"u{i}")
        with CaptureQueriesContext(connection) as large:
            assert client.get(tokens_url(org)).status_code == 200
        assert len(large.captured_queries) == len(small.captured_queries)


# --- authentication with a token -----------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


class TestTokenAuthentication:
    def test_valid_token_reads(self, api):
        org = OrganizationFactory(name="Partner")
        _token, key = make_token(org)
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = api.get(API_LIST)
        assert response.status_code == 200
        assert [r["name"] for r in response.json()["results"]] == ["Partner"]

    def test_bearer_keyword_works_too(self, api):
        _token, key = make_token(OrganizationFactory())
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get(API_LIST).status_code == 200

    def test_revoked_token_is_401(self, api):
        org = OrganizationFactory()
        token, key = make_token(org)
        services.api_token_revoke(actor=token.created_by, token=token)
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = api.get(API_LIST)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert "detail" in response.json()

    @pytest.mark.parametrize(
        "header",
        ["Token", "Token a b", "Token cea_not-a-real-key", "Bearer ", "Token \u00e9\u00e9"],
    )
    def test_malformed_or_unknown_header_is_401(self, api, header):
        OrganizationFactory()
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get(API_LIST)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")

    def test_other_schemes_are_ignored_as_anonymous(self, api):
        api.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
        assert api.get(API_LIST).status_code == 200

    def test_last_used_at_is_recorded(self, api):
        token, key = make_token(OrganizationFactory())
        assert token.last_used_at is None
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        api.get(API_LIST)
        token.refresh_from_db()
        assert token.last_used_at is not None
        assert timezone.now() - token.last_used_at < timedelta(seconds=30)
        # an hour later it moves again
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(hours=1))
        api.get(API_LIST)
        token.refresh_from_db()
        assert timezone.now() - token.last_used_at < timedelta(seconds=30)

    def test_key_is_not_stored_in_plain_text(self):
        token, key = make_token(OrganizationFactory())
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        assert key not in {str(value) for value in stored.values()}
        assert all(key not in str(value) for value in stored.values())
        assert stored["key_hash"] == ApiToken.hash_key(key) != key
        assert len(stored["prefix"]) == ApiToken.PREFIX_LENGTH

    def test_token_of_an_inactive_organisation_is_401(self, api):
        org = OrganizationFactory()
        _token, key = make_token(org)
        org.is_active = False
        org.save(update_fields=["is_active"])
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(API_LIST).status_code == 401

    def test_token_of_a_deactivated_creator_is_401(self, api):
        token, key = make_token(OrganizationFactory())
        token.created_by.is_active = False
        token.created_by.save(update_fields=["is_active"])
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(API_LIST).status_code == 401


# --- a token dies with its creator's ownership (issue 12, item 8) ---------------------------

GIVING_RECORDS = "/api/v1/giving/records/"


def _gift() -> dict:
    return {
        "date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "amount": "750.00",
        "support_kind": "money",
        "donor_type": "diaspora_individual",
        "donor_name": "Arben K.",
        "donor_name_public": False,
        "donor_country": "CH",
        "diaspora_channel": "crowdfunding",
        "recipient_type": "health",
        "recipient_name": "QKMF Podujevë",
        "cause": "health",
        "beneficiary_group": "general",
        "geography": "municipality",
        "municipality": "podujeve",
    }


def _post_gift(api, key, idem="k-1", amount="750.00"):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.post(GIVING_RECORDS, _gift() | {"amount": amount}, format="json", HTTP_IDEMPOTENCY_KEY=idem)


@pytest.mark.usefixtures("english")  # restores the language the API requests switch to
class TestTokensOfFormerOwners:
    def _two_owners(self):
        org = OrganizationFactory()
        creator, other = member_of(org, "owner"), member_of(org, "owner")
        token, key = services.api_token_create(
            actor=creator, organization=org, name="Feeder", scopes=["giving:write"]
        )
        kept, kept_key = services.api_token_create(
            actor=other, organization=org, name="Other's", scopes=["giving:write"]
        )
        return org, creator, other, token, key, kept, kept_key

    @pytest.mark.parametrize("who", ["another owner", "themselves"])
    def test_removing_the_creator_revokes_their_tokens(self, api, who):
        org, creator, other, token, key, kept, kept_key = self._two_owners()
        assert _post_gift(api, key).status_code == 201
        actor = other if who == "another owner" else creator
        services.membership_remove(actor=actor, membership=org.memberships.get(user=creator))
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert token.revoked_by == actor
        assert token.revoked_reason == ApiToken.RevokedReason.CREATOR_LEFT
        kept.refresh_from_db()
        assert kept.is_active and kept.revoked_reason == ""
        assert _post_gift(api, key, "k-2").status_code == 401
        assert _post_gift(api, kept_key, "k-3", amount="80.00").status_code == 201

    def test_demoting_the_creator_revokes_their_tokens(self, api):
        org, creator, other, token, key, kept, _kept_key = self._two_owners()
        services.membership_change_role(
            actor=other, membership=org.memberships.get(user=creator), role="editor"
        )
        token.refresh_from_db()
        assert token.revoked_at is not None and token.revoked_by == other
        assert token.revoked_reason == ApiToken.RevokedReason.CREATOR_NOT_OWNER
        kept.refresh_from_db()
        assert kept.is_active
        assert _post_gift(api, key).status_code == 401

    def test_the_tokens_page_says_why_a_token_was_revoked(self, client):
        org, creator, other, _token, _key, _kept, _kept_key = self._two_owners()
        services.membership_remove(actor=other, membership=org.memberships.get(user=creator))
        html = login(client, other).get(tokens_url(org), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Its creator left the organisation" in html

    def test_a_role_change_that_keeps_ownership_revokes_nothing(self):
        org, creator, other, token, _key, _kept, _kept_key = self._two_owners()
        services.membership_change_role(
            actor=other, membership=org.memberships.get(user=creator), role="owner"
        )
        token.refresh_from_db()
        assert token.is_active

    def test_an_owner_revoking_is_recorded_too(self):
        _org, _creator, other, token, _key, _kept, _kept_key = self._two_owners()
        services.api_token_revoke(actor=other, token=token)
        token.refresh_from_db()
        assert token.revoked_by == other and token.revoked_reason == ApiToken.RevokedReason.MANUAL

    @pytest.mark.parametrize("change", ["removed", "demoted"])
    def test_tokens_made_before_the_fix_stop_working(self, api, change):
        """The membership changed without the service (as before the fix): the token is still
        marked active, and authentication refuses it because its creator is no owner now."""
        org, creator, _other, token, key, _kept, _kept_key = self._two_owners()
        membership = Membership.objects.filter(organization=org, user=creator)
        if change == "removed":
            membership.delete()
        else:
            membership.update(role="viewer")
        response = _post_gift(api, key)
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "This token's creator is no longer an owner of its organisation: an owner can create a new one."
        )
        token.refresh_from_db()
        assert token.is_active  # refused on use; nothing written on a read path

    def test_a_staff_members_token_keeps_working(self, api):
        from tests.factories import StaffFactory

        org = OrganizationFactory()
        _token, key = services.api_token_create(
            actor=StaffFactory(), organization=org, name="Ministry feed", scopes=["giving:write"]
        )
        assert _post_gift(api, key).status_code == 201
