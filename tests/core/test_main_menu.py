"""The navbar's main menu (core_tags.main_menu) shows each person the entries meant for them,
in their language, though each process renders each variant only once."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from tests.conftest import t
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def menu(client, language="en") -> str:
    with translation.override(language):
        html = client.get(reverse("grants:call_list")).content.decode()
    start = html.index('<ul class="navbar-nav me-auto">')
    return html[start : html.index('<ul class="navbar-nav align-items-lg-center">', start)]


def test_visitors_see_the_public_entries_only(client):
    html = menu(client)
    assert "Awarded grants" in html and "My applications" not in html and "Manage grants" not in html


def test_signed_in_people_see_their_applications_but_not_reviews(client):
    client.force_login(UserFactory())
    html = menu(client)
    assert "My applications" in html and "My reviews" not in html and "Manage grants" not in html


def test_reviewers_see_their_reviews(client):
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="Grant reviewers"))
    client.force_login(reviewer)
    html = menu(client)
    assert "My reviews" in html and "Manage grants" not in html


def test_staff_see_the_management_pages(client):
    client.force_login(StaffFactory())
    html = menu(client)
    assert "My reviews" in html and "Manage grants" in html


def test_each_language_has_its_menu(client):
    assert t("Awarded grants", "sq") in menu(client, "sq")
    assert t("Awarded grants", "sr-latn") in menu(client, "sr-latn")
    assert "Awarded grants" in menu(client, "en")


def test_nobody_gets_someone_elses_menu(client):
    client.force_login(UserFactory(full_name="First Person"))
    first = menu(client)
    client.force_login(UserFactory(full_name="Second Person"))
    assert menu(client) == first
    assert "First Person" not in first
