"""The directory's filtersets (HTML and API) build their form class once per language
(core.filtersets.MemoFiltersMixin), yet a filter another app registers later
(organizations.extensions.register_directory_filter) works at the next request."""

import django_filters
import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from organizations import extensions
from organizations.api.filters import OrganizationFilter as ApiFilter
from organizations.filters import OrganizationFilter as DirectoryFilter
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

API_LIST = "/api/v1/organizations/"


def _starts_with(queryset, name, value):
    return queryset.filter(name__istartswith=value)


def make_initial_filter():
    return django_filters.ChoiceFilter(
        choices=[("a", "A"), ("z", "Z")], method=_starts_with, label="Initial", empty_label="Any"
    )


@pytest.fixture
def registry():
    """Put the registry and the filtersets back as they were after the test."""
    factories = dict(extensions._filter_factories)
    saved = [
        (cls, dict(cls.base_filters), list(cls._extension_filter_names)) for cls in extensions._filtersets
    ]
    yield
    extensions._filter_factories.clear()
    extensions._filter_factories.update(factories)
    for cls, base_filters, names in saved:
        cls.base_filters.clear()
        cls.base_filters.update(base_filters)
        cls._extension_filter_names = names
        cls.forget_form()


def test_the_form_class_is_kept_per_language():
    for filterset_class in (ApiFilter, DirectoryFilter):
        with translation.override("en"):
            first = filterset_class({}).get_form_class()
            assert filterset_class({}).get_form_class() is first
        with translation.override("sq"):
            assert filterset_class({}).get_form_class() is not first


def test_a_filter_registered_after_the_memo_was_built_works(registry):
    OrganizationFactory(name="Alpha", verification_status="verified")
    OrganizationFactory(name="Zeta", verification_status="verified")
    api = APIClient()
    assert api.get(API_LIST).status_code == 200  # the form classes are built
    with translation.override("en"):
        directory_url = reverse("organizations:directory")
    assert APIClient().get(directory_url).status_code == 200

    extensions.register_directory_filter("initial", make_initial_filter)

    response = api.get(API_LIST, {"initial": "z"})
    assert response.status_code == 200, response.content
    assert [o["name"] for o in response.json()["results"]] == ["Zeta"]
    assert api.get(API_LIST, {"initial": "q"}).status_code == 400  # validated by the new field
    assert api.get(API_LIST, {"initial": ""}).status_code == 400  # an extension enum: no blank value
    page = APIClient().get(directory_url, {"initial": "a"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="initial"' in html  # drawn with the directory's form
    assert "Alpha" in html and "Zeta" not in html
