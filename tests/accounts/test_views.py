"""The account dashboard and the profile page."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Municipality
from organizations.models import Invitation, Membership, Organization
from tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/me/", "/en/me/profile/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={path}"


# --- dashboard -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_lists_memberships_and_pending_invitations(client, user):
    mine = MembershipFactory(
        user=user,
        role=Membership.Role.OWNER,
        organization=OrganizationFactory(
            name="Zëri i Rinisë", verification_status=Organization.Verification.VERIFIED
        ),
    )
    MembershipFactory(organization=OrganizationFactory(name="Someone Else's Org"))
    InvitationFactory(email=user.email, organization=OrganizationFactory(name="Inviting Org"))
    InvitationFactory(
        email=user.email,
        organization=OrganizationFactory(name="Revoked Org"),
        status=Invitation.Status.REVOKED,
    )
    InvitationFactory(email="other@example.org", organization=OrganizationFactory(name="Not For Me"))
    client.force_login(user)

    response = client.get("/en/me/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zëri i Rinisë" in html and f"/en/organizations/{mine.organization.slug}/manage/" in html
    assert "Owner" in html and "Verified" in html
    assert "Inviting Org" in html
    assert "Someone Else" not in html and "Revoked Org" not in html and "Not For Me" not in html


@pytest.mark.django_db
def test_dashboard_empty_state(client, user):
    client.force_login(user)
    html = client.get("/en/me/").content.decode()
    assert "You are not a member of any organisation yet." in html
    assert "/en/organizations/new/" in html


def _dashboard_queries(client, user, count, start):
    for i in range(count):
        MembershipFactory(user=user, organization=OrganizationFactory(name=f"Org {start + i}"))
        InvitationFactory(email=user.email, organization=OrganizationFactory(name=f"Inv {start + i}"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/en/me/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_memberships(client, user):
    client.force_login(user)
    few = _dashboard_queries(client, user, 2, 0)
    many = _dashboard_queries(client, user, 4, 100)  # 6 memberships, 3× as many
    assert many == few


# --- profile -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_page_renders_with_current_values(client, user):
    client.force_login(user)
    response = client.get("/sq/me/profile/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sq"' in html
    assert f'value="{user.full_name}"' in html
    for field in ("id_full_name", "id_preferred_language", "id_municipality", "id_country_of_residence"):
        assert f'for="{field}"' in html


@pytest.mark.django_db
def test_profile_edit_saves_and_switches_language(client, user):
    client.force_login(user)
    prizren = Municipality.objects.get(slug="prizren")
    response = client.post(
        "/sq/me/profile/",
        {
            "full_name": "Arta Berisha",
            "preferred_language": "en",
            "municipality": prizren.pk,
            "country_of_residence": "DE",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/me/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.full_name == "Arta Berisha"
    assert user.preferred_language == "en"
    assert user.municipality == prizren
    assert user.country_of_residence == "DE"
    assert user.is_diaspora

    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'lang="en"' in html
    assert "Your profile was saved." in html


@pytest.mark.django_db
def test_profile_edit_to_serbian(client, user):
    client.force_login(user)
    response = client.post("/en/me/profile/", {"full_name": "Marko", "preferred_language": "sr-latn"})
    assert response.status_code == 302
    assert response["Location"] == "/sr-latn/me/profile/"
    assert client.get(response["Location"]).content.decode().count('lang="sr-latn"') >= 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "X", "preferred_language": "de"}, "preferred_language"),
        ({"full_name": "X", "preferred_language": "en", "municipality": "999999"}, "municipality"),
        (
            {"full_name": "X", "preferred_language": "en", "country_of_residence": "ZZ"},
            "country_of_residence",
        ),
        ({"full_name": "x" * 151, "preferred_language": "en"}, "full_name"),
    ],
)
def test_profile_invalid_input_is_400_with_errors(client, user, data, field):
    client.force_login(user)
    before = (user.full_name, user.preferred_language)
    response = client.post("/en/me/profile/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert f'id="id_{field}_error"' in html
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == before
