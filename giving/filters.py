"""The one filter of giving records, shared by the dashboard, the record list, exports
and the API, so that every view of "the same filters" means the same rows."""

import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from core.filtersets import MemoFiltersMixin
from core.models import Municipality
from core.widgets import MemoSelect, MemoSelectMultiple
from giving import selectors
from giving.choices import Cause, Confidence, DonorType, Effect, Geography, RecipientType, SupportKind
from giving.models import GivingRecord


@extend_schema_field({"type": "string", "enum": [code for code, _name in countries]})  # each value
class CountryFilter(django_filters.MultipleChoiceFilter):
    """Countries by their ISO code; the schema lists the codes (the choices are a callable, in
    the active language, which the schema generator cannot read)."""


def _multi(name: str) -> dict:
    # The options are listed and rendered once per language and process (core.widgets).
    return {
        "widget": MemoSelectMultiple(attrs={"class": "form-select", "size": 4}, memo=f"giving.filter.{name}")
    }


def _select(name: str) -> MemoSelect:
    return MemoSelect(attrs={"class": "form-select"}, memo=f"giving.filter.{name}")


class GivingFilter(MemoFiltersMixin, django_filters.FilterSet):
    """Filters of verified records. Every filter is optional; a malformed value makes the
    filter invalid (the views answer 400 with the form's errors). Its form class is built once
    per language and process (core.filtersets)."""

    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    year = django_filters.NumberFilter(
        field_name="date",
        lookup_expr="year",
        label=_("Year"),
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    diaspora = django_filters.ChoiceFilter(
        choices=[("yes", _("Diaspora only")), ("no", _("Domestic only"))],
        method="filter_diaspora",
        label=_("Diaspora or domestic"),
        empty_label=_("Both"),
        widget=_select("diaspora"),
    )
    donor_type = django_filters.MultipleChoiceFilter(
        choices=DonorType.choices, label=_("Donor type"), **_multi("donor_type")
    )
    cause = django_filters.MultipleChoiceFilter(choices=Cause.choices, label=_("Cause"), **_multi("cause"))
    recipient_type = django_filters.MultipleChoiceFilter(
        choices=RecipientType.choices, label=_("Recipient type"), **_multi("recipient_type")
    )
    support_kind = django_filters.MultipleChoiceFilter(
        choices=SupportKind.choices, label=_("Kind of support"), **_multi("support_kind")
    )
    confidence = django_filters.MultipleChoiceFilter(
        choices=Confidence.choices, label=_("Confidence"), **_multi("confidence")
    )
    geography = django_filters.ChoiceFilter(
        choices=Geography.choices,
        label=_("Where"),
        empty_label=_("Anywhere"),
        widget=_select("geography"),
    )
    municipality = django_filters.ModelMultipleChoiceFilter(
        field_name="municipality__slug",
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        label=_("Municipality"),
        **_multi("municipality"),
    )
    effect = django_filters.ChoiceFilter(
        choices=Effect.choices,
        label=_("Effect"),
        empty_label=_("Any effect"),
        widget=_select("effect"),
    )

    donor_country = CountryFilter(
        choices=lambda: list(countries),  # in the active language
        label=_("Donor's country"),
        help_text=_("Where diaspora donors live."),
        **_multi("donor_country"),
    )

    class Meta:
        model = GivingRecord
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.public_records()
        super().__init__(data=data, queryset=queryset, **kwargs)

    def filter_diaspora(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(is_diaspora=True)
        if value == "no":
            return queryset.filter(is_diaspora=False)
        return queryset


def unknown_parameters(query, allowed=()) -> dict[str, list[str]]:
    """Errors for the parameters of `query` that are neither GivingFilter's filters nor in
    `allowed` (the JSON of the dashboard and the API refuse them: a misspelt or unsupported
    filter would otherwise silently give the numbers of another selection)."""
    known = [*GivingFilter.base_filters, *allowed]
    unknown = sorted(name for name in query if name not in known)
    message = gettext("Unknown parameter. Allowed: %(allowed)s.") % {"allowed": ", ".join(known)}
    return {name: [message] for name in unknown}
