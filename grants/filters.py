"""Filters of the public list of calls: phase (open, upcoming, closed; open by default),
who may apply, municipality and sector targeted, and a text search."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Sector
from core.widgets import MemoSelect
from grants.choices import ApplicantType
from grants.models import Call

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
PHASES = [(OPEN, _("Open")), (UPCOMING, _("Upcoming")), (CLOSED, _("Closed"))]

_ALLOW_FIELD = {
    ApplicantType.ORGANIZATION: "allow_organizations",
    ApplicantType.GROUP: "allow_groups",
    ApplicantType.INDIVIDUAL: "allow_individuals",
}


def public_calls():
    """Published calls with what a card shows (municipalities and sectors prefetched)."""
    return Call.objects.published().prefetch_related("municipalities", "sectors")


def phase_queryset(queryset, phase: str, now=None):
    """The calls of one phase, in the order that helps: open calls by the nearest deadline,
    upcoming by the nearest opening, closed by the latest deadline first."""
    now = now or timezone.now()
    if phase == UPCOMING:
        return queryset.filter(opens_at__gt=now).order_by("opens_at", "pk")
    if phase == CLOSED:
        return queryset.filter(closes_at__lte=now).order_by("-closes_at", "-pk")
    return queryset.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")


class CallFilter(django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(
        choices=PHASES,
        method="filter_phase",
        label=_("Calls"),
        empty_label=None,
        widget=MemoSelect(attrs={"class": "form-select"}, memo="grants.calls.phase"),
    )
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("A word from the title, summary or description, or the programme code."),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    applicant_type = django_filters.ChoiceFilter(
        choices=ApplicantType.choices,
        method="filter_applicant_type",
        label=_("Who may apply"),
        empty_label=_("Anyone"),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="grants.calls.applicant_type"),
    )
    municipality = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        method="filter_municipality",
        label=_("Municipality"),
        empty_label=_("All municipalities"),
        help_text=_("Calls that fund projects there, including calls open to all of Kosovo."),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="grants.calls.municipality"),
    )
    sector = django_filters.ModelChoiceFilter(
        to_field_name="slug",
        queryset=Sector.objects.all(),
        method="filter_sector",
        label=_("Sector"),
        empty_label=_("All sectors"),
        widget=MemoSelect(attrs={"class": "form-select"}, memo="grants.calls.sector"),
    )

    class Meta:
        model = Call
        fields = ["phase", "q", "applicant_type", "municipality", "sector"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = public_calls()
        super().__init__(data=data, queryset=queryset, **kwargs)
        self.form.fields["phase"].required = False

    @property
    def phase_value(self) -> str:
        """The phase shown: the valid one asked for, else open."""
        data = getattr(self.form, "cleaned_data", None) or {}
        return data.get("phase") or OPEN

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return phase_queryset(queryset, self.phase_value)

    def filter_phase(self, queryset, name, value):
        return queryset  # applied last, in `filter_queryset`, with its ordering

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q(code__iexact=value)
        for field in ("title", "summary", "description"):
            for lang in ("sq", "sr", "en"):
                query |= Q(**{f"{field}_{lang}__icontains": value})
        return queryset.filter(query)

    def filter_applicant_type(self, queryset, name, value):
        field = _ALLOW_FIELD.get(value)
        return queryset.filter(**{field: True}) if field else queryset

    def filter_municipality(self, queryset, name, value):
        targeted = Call.municipalities.through.objects.values("call_id")
        return queryset.filter(Q(pk__in=targeted.filter(municipality=value)) | ~Q(pk__in=targeted))

    def filter_sector(self, queryset, name, value):
        targeted = Call.sectors.through.objects.values("call_id")
        return queryset.filter(Q(pk__in=targeted.filter(sector=value)) | ~Q(pk__in=targeted))
