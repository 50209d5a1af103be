"""Query parameters of the public organisations API (django-filter).

Every parameter is validated: a malformed value (an unknown kind, `verified=maybe`,
an unknown ordering) makes the filterset invalid, and DjangoFilterBackend answers
400 with the parameter's name and messages.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from organizations import extensions
from organizations.models import Organization


class StrictBooleanField(forms.Field):
    """true/false/1/0; anything else is an error (Django's NullBooleanField would
    silently read it as "no filter")."""

    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE_VALUES = frozenset({"true", "1"})
    FALSE_VALUES = frozenset({"false", "0"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        value = str(value).strip().lower()
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with the primary key as last tie-breaker, so that
    pages never overlap."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


class NoBlankParametersForm(forms.Form):
    """A parameter given with an empty value (`?kind=`) is an error for the parameters
    whose values are constrained (enums, booleans): leave it out to mean "any"."""

    NON_BLANK = ("kind", "verified", "ordering")

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        # The parameters other apps add (extensions.register_directory_filter) are enums too.
        for name in (*self.NON_BLANK, *extensions.directory_filter_names()):
            if name not in self.fields:  # a form of another filterset (the same rule, reused)
                continue
            values = getlist(name) if getlist else [self.data.get(name)]
            if name in self.data and all(value in ("", None) for value in values):
                self.add_error(name, _("Leave this parameter out, or give it a value."))
        return cleaned


@extensions.extensible_filterset
class OrganizationFilter(django_filters.FilterSet):
    """Other apps add parameters with `organizations.extensions.register_directory_filter`."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=_("Municipality (slug, e.g. prishtine)")
    )
    sector = django_filters.CharFilter(field_name="sectors__slug", distinct=True, label=_("Sector (slug)"))
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind of organisation"))
    verified = StrictBooleanFilter(method="filter_verified", label=_("Verified by KCSF (true or false)"))
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("created_at", "created_at")),
        label=_("Order by name or created_at; prefix with - for descending"),
    )

    class Meta:
        model = Organization
        form = NoBlankParametersForm
        fields = ["q", "municipality", "sector", "kind", "verified"]

    def filter_verified(self, queryset, name, value):
        verified = Organization.Verification.VERIFIED
        if value:
            return queryset.filter(verification_status=verified)
        return queryset.exclude(verification_status=verified)
