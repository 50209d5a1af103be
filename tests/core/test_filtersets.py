"""core.filtersets.MemoFiltersMixin: the form class once per FilterSet class and language;
nothing memoised of a FilterSet whose choices depend on the request."""

import django_filters
import pytest
from django.test import RequestFactory
from django.utils import translation

from core.filtersets import MemoFiltersMixin
from core.models import Municipality, Sector
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class MunicipalityFilter(MemoFiltersMixin, django_filters.FilterSet):
    slug = django_filters.ModelMultipleChoiceFilter(
        field_name="slug", to_field_name="slug", queryset=Municipality.objects.all()
    )
    named = django_filters.CharFilter(method="filter_named")

    class Meta:
        model = Municipality
        fields: list[str] = []

    def filter_named(self, queryset, name, value):
        return queryset.filter(name_en__icontains=value)


def _own_sectors(request):
    # A queryset of the request: here, the sectors whose slug starts with the user's first letter.
    return Sector.objects.filter(slug__startswith=request.user.email[0])


class PerUserFilter(MemoFiltersMixin, django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(
        field_name="slug", to_field_name="slug", queryset=_own_sectors, method="filter_sector"
    )

    class Meta:
        model = Sector
        fields: list[str] = []

    def filter_sector(self, queryset, name, value):
        return queryset.filter(pk=value.pk)


def test_the_form_class_is_kept_per_language():
    with translation.override("en"):
        first = MunicipalityFilter({}).get_form_class()
        assert MunicipalityFilter({}).get_form_class() is first
    with translation.override("sq"):
        assert MunicipalityFilter({}).get_form_class() is not first


def test_method_filters_answer_for_their_own_filterset():
    a = MunicipalityFilter({"named": "Peja"}, queryset=Municipality.objects.all())
    b = MunicipalityFilter({"named": "Prizren"}, queryset=Municipality.objects.all())
    assert [m.slug for m in a.qs] == ["peje"]
    assert [m.slug for m in b.qs] == ["prizren"]
    assert (
        getattr(MunicipalityFilter.base_filters["named"], "parent", None) is None
    )  # the class's filters untouched


def test_reference_data_added_later_is_accepted():
    assert not MunicipalityFilter({"slug": ["later"]}).is_valid()
    Municipality.objects.create(slug="later", name_sq="Më vonë", name_sr="Kasnije", name_en="Later")
    filterset = MunicipalityFilter({"slug": ["later"]})
    assert filterset.is_valid(), filterset.errors
    assert [m.slug for m in filterset.qs] == ["later"]


def test_a_filterset_with_choices_of_the_request_is_not_memoised():
    Sector.objects.create(slug="alpha-x", name_sq="A", name_sr="A", name_en="A")
    Sector.objects.create(slug="beta-x", name_sq="B", name_sr="B", name_en="B")
    rf = RequestFactory()

    def filterset(email, slug):
        request = rf.get("/")
        request.user = UserFactory(email=email)
        return PerUserFilter({"sector": slug}, request=request)

    first = filterset("a@example.org", "alpha-x")
    assert first.is_valid()
    assert [s.slug for s in first.qs] == ["alpha-x"]
    # Another user's choices are theirs, not the first request's.
    assert not filterset("b@example.org", "alpha-x").is_valid()
    second = filterset("b2@example.org", "beta-x")
    assert second.is_valid()
    assert [s.slug for s in second.qs] == ["beta-x"]
    assert first.get_form_class() is not second.get_form_class()
