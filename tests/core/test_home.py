"""The public home page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Municipality
from organizations.models import Organization
from tests.factories import OrganizationFactory

VERIFIED = Organization.Verification.VERIFIED


def verified_org(**kwargs):
    return OrganizationFactory(verification_status=VERIFIED, verified_at=timezone.now(), **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_home_renders_in_each_language(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    # Directory search box: GET to the directory with `q`, labelled.
    assert f'action="/{lang}/organizations/"' in html and 'method="get"' in html
    assert 'name="q"' in html and 'for="home-search"' in html
    # Calls to action.
    assert f'href="/{lang}/organizations/new/"' in html
    assert f'href="/{lang}/accounts/signup/"' in html


@pytest.mark.django_db
def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sq/"


@pytest.mark.django_db
def test_home_shows_figures_and_latest_verified_organisations(client):
    prizren = Municipality.objects.get(slug="prizren")
    peja = Municipality.objects.get(slug="peje")
    verified_org(name="Fondacioni Ardhmëria", municipality=prizren)
    verified_org(name="Lëvizja Rinore", municipality=peja)
    OrganizationFactory(name="Pending Group", municipality=prizren)
    OrganizationFactory(name="Closed Org", municipality=peja, verification_status=VERIFIED, is_active=False)

    html = client.get("/en/").content.decode()

    assert '<p class="figure-value mb-0">3</p>' in html  # active organisations
    assert '<p class="figure-value mb-0">2</p>' in html  # verified
    assert "2 of 38" in html  # municipalities covered
    assert "Fondacioni Ardhmëria" in html and "Lëvizja Rinore" in html
    assert prizren.name_en in html and peja.name_en in html
    assert "Pending Group" not in html and "Closed Org" not in html
    assert ">FA</span>" in html  # initials when there is no logo


@pytest.mark.django_db
def test_home_municipality_names_follow_the_language(client):
    prizren = Municipality.objects.get(slug="prizren")
    verified_org(name="Org Prizren", municipality=prizren)
    assert prizren.name_sr in client.get("/sr-latn/").content.decode()
    assert prizren.name_sq in client.get("/sq/").content.decode()


@pytest.mark.django_db
def test_home_for_a_logged_in_user_links_to_their_portal(client, user):
    client.force_login(user)
    html = client.get("/en/").content.decode()
    assert 'href="/en/me/"' in html
    assert "/en/accounts/signup/" not in html


@pytest.mark.django_db
def test_home_empty_state(client):
    html = client.get("/en/").content.decode()
    assert "No verified organisations yet." in html
    assert "0 of 38" in html


def _home_queries(client, count):
    for _ in range(count):
        verified_org()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/en/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_organisations(client):
    few = _home_queries(client, 3)
    many = _home_queries(client, 6)  # 9 verified organisations: 3× as many
    assert many == few


@pytest.mark.django_db
def test_the_latest_verified_organisations_put_an_unknown_verification_day_last_on_every_database():
    """Newest verification first; an organisation verified with no day recorded (imported from
    the old registry) comes last on PostgreSQL too, which sorts NULL first when descending."""
    from datetime import timedelta

    from organizations.selectors import latest_verified

    old = verified_org(name="Verified long ago")
    new = verified_org(name="Verified today")
    unknown = verified_org(name="Verified some day")
    Organization.objects.filter(pk=old.pk).update(verified_at=timezone.now() - timedelta(days=400))
    Organization.objects.filter(pk=new.pk).update(verified_at=timezone.now())
    Organization.objects.filter(pk=unknown.pk).update(verified_at=None)
    assert list(latest_verified()) == [new, old, unknown]
