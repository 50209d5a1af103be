"""Query parameters of the public organisations API (django-filter).

Every parameter is validated: a malformed value (an unknown kind, `verified=maybe`,
an unknown ordering) makes the filterset invalid, and DjangoFilterBackend answers
400 with the parameter's name and messages.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import NoBlankParametersForm, StableOrderingFilter, StrictBooleanFilter
from core.filtersets import MemoFiltersMixin
from organizations import extensions
from organizations.models import Organization


class DirectoryFilterForm(NoBlankParametersForm):
    """The directory's constrained parameters, and those other apps add
    (extensions.register_directory_filter), which are enums too."""

    NON_BLANK = ("kind", "verified", "ordering")

    def non_blank_names(self):
        return (*self.NON_BLANK, *extensions.directory_filter_names())


@extensions.extensible_filterset
class OrganizationFilter(MemoFiltersMixin, django_filters.FilterSet):
    """Other apps add parameters with `organizations.extensions.register_directory_filter`.
    Its form class is built once per language (core.filtersets), again when a filter is added."""

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
        form = DirectoryFilterForm
        fields = ["q", "municipality", "sector", "kind", "verified"]

    def filter_verified(self, queryset, name, value):
        verified = Organization.Verification.VERIFIED
        if value:
            return queryset.filter(verification_status=verified)
        return queryset.exclude(verification_status=verified)
