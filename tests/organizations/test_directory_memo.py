"""The signed-in directory keeps its cards (core.fragments) but shows a change at the next
request, in every language, and never anything of the person who looks."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def url(lang="en"):
    with translation.override(lang):
        return reverse("organizations:directory")


def sign_in(client, email, **extra):
    user = User.objects.create_user(email=email, password="x", full_name=email.split("@")[0], **extra)
    client.force_login(user)
    return user


def test_a_change_shows_at_the_next_signed_in_request(client):
    organization = OrganizationFactory(name="Alpha Shoqata", verification_status="verified")
    sign_in(client, "reader@example.org")
    assert "Alpha Shoqata" in client.get(url()).content.decode()
    assert "Alpha Shoqata" in client.get(url()).content.decode()  # kept
    organization.name = "Beta Shoqata"
    organization.save()
    page = client.get(url()).content.decode()
    assert "Beta Shoqata" in page and "Alpha Shoqata" not in page
    OrganizationFactory(name="Gamma Shoqata", verification_status="verified")
    response = client.get(url())
    assert "Gamma Shoqata" in response.content.decode()
    assert response.context["page_obj"].paginator.count == Organization.objects.filter(is_active=True).count()


def test_kept_cards_carry_nothing_personal_and_each_language_its_own(client):
    OrganizationFactory(name="Alpha Shoqata", verification_status="verified")
    staff = sign_in(client, "staff.person@example.org", is_staff=True)
    client.get(url("en"))
    client.logout()
    member = sign_in(client, "member.person@example.org")
    english = client.get(url("en")).content.decode()
    albanian = client.get(url("sq")).content.decode()
    assert staff.email not in english and staff.full_name not in english
    assert "Verified by KCSF" in english and "Verified by KCSF" not in albanian
    client.logout()
    anonymous = client.get(url("en")).content.decode()
    assert member.email not in anonymous and "csrfmiddlewaretoken" not in anonymous


def test_a_second_signed_in_request_reads_no_organisation(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        OrganizationFactory(verification_status="verified")
    sign_in(client, "reader@example.org")
    client.get(url())
    with CaptureQueriesContext(connection) as second:
        client.get(url())
    assert not [q for q in second.captured_queries if 'FROM "organizations_organization"' in q["sql"]]
