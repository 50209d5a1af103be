"""Filters of the public list of opportunities, all in the URL: skills, municipality, remote,
cause, dates, organisation, kind and a text search."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Municipality, Sector
from organizations.models import Organization
from volunteering.choices import OpportunityKind
from volunteering.models import Opportunity, OpportunitySkill, Skill

SELECT = {"class": "form-select"}


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    skill = django_filters.ModelMultipleChoiceFilter(
        queryset=Skill.objects.all(),
        to_field_name="slug",
        method="filter_skills",
        label=_("Skills"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        label=_("Municipality"),
        empty_label=_("Anywhere"),
        widget=forms.Select(attrs=SELECT),
    )
    remote = django_filters.BooleanFilter(
        field_name="remote",
        label=_("Remote"),
        widget=forms.Select(
            attrs=SELECT,
            choices=[("", _("On site or remote")), ("true", _("Remote only")), ("false", _("On site only"))],
        ),
    )
    cause = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(),
        to_field_name="slug",
        label=_("Cause"),
        empty_label=_("Any cause"),
        widget=forms.Select(attrs=SELECT),
    )
    kind = django_filters.ChoiceFilter(
        choices=OpportunityKind.choices,
        label=_("Kind"),
        empty_label=_("Any kind"),
        widget=forms.Select(attrs=SELECT),
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Organisation"),
        widget=forms.HiddenInput,
    )
    available_from = django_filters.DateFilter(
        method="filter_from",
        label=_("Available from"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    available_until = django_filters.DateFilter(
        method="filter_until",
        label=_("Available until"),
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    class Meta:
        model = Opportunity
        fields = ["q", "skill", "municipality", "remote", "cause", "kind", "organization"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(brief__icontains=value)
        )

    def filter_skills(self, queryset, name, value):
        if not value:
            return queryset
        needs = OpportunitySkill.objects.filter(skill__in=value).values("opportunity_id")
        return queryset.filter(pk__in=needs)

    def filter_from(self, queryset, name, value):
        # Still running on that day (ongoing, or ending on or after it).
        return queryset.filter(Q(ongoing=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=value))

    def filter_until(self, queryset, name, value):
        # Started by that day (or ongoing / no start date).
        return queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=value))
