"""Filters of the public CSO directory."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtersets import MemoFiltersMixin
from core.models import Municipality, Sector
from core.widgets import MemoSelect
from organizations import extensions, selectors
from organizations.models import Organization


@extensions.extensible_filterset
class OrganizationFilter(MemoFiltersMixin, django_filters.FilterSet):
    """Search (name, exact registration number or words of the description), municipality,
    sector, kind and "verified only". Municipality and sector are given by slug, so links stay readable.
    Other apps add filters with `extensions.register_directory_filter` (see `extension_fields`).
    Its form class is built once per language (core.filtersets), again when a filter is added."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Name, registration number or a word from the description."),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipality",
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        label=_("Municipality"),
        empty_label=_("All municipalities"),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="organizations.directory.municipality"),
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        empty_label=_("All sectors"),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="organizations.directory.sector"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="organizations.directory.kind"),
    )
    verified = django_filters.BooleanFilter(
        method="filter_verified",
        label=_("Verified only"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Organization
        fields = ["q", "municipality", "sector", "kind", "verified"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.public_organizations().order_by("name", "pk")
        super().__init__(data=data, queryset=queryset, **kwargs)

    @property
    def extension_fields(self) -> list:
        """The bound form fields of the filters other apps registered, for the template."""
        return [self.form[name] for name in extensions.extension_filter_names(self)]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(registration_number__iexact=value) | Q(description__icontains=value)
        )

    def filter_verified(self, queryset, name, value):
        if value:
            return queryset.filter(verification_status=Organization.Verification.VERIFIED)
        return queryset
