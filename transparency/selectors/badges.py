"""Reads of transparency badges: an organisation's badge and level, the directory filter by badge, the public methodology."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from transparency.badges import (
    LEVELS,
    MAX_SCORE,
    RULES,
    RULES_BY_CODE,
    deadline_label,
    deadline_month_day,
    levels_at_least,
)
from transparency.choices import BadgeLevel, ReportStatus
from transparency.models import OrganizationBadge, TransparencyReport


def organizations_to_recompute():
    """Ids of the organisations whose badge the nightly run refreshes: those with a badge row
    or a published report."""
    from organizations.models import Organization

    with_reports = TransparencyReport.objects.filter(status=ReportStatus.PUBLISHED).values("organization_id")
    with_badge = OrganizationBadge.objects.values("organization_id")
    return (
        Organization.objects.filter(Q(pk__in=with_reports) | Q(pk__in=with_badge))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def methodology() -> dict:
    """The rules and levels as plain data, in the active language."""
    month, day = deadline_month_day()
    return {
        "max_score": MAX_SCORE,
        "deadline": {"month": month, "day": day, "label": deadline_label()},
        "rules": [
            {
                "code": rule.code,
                "title": str(rule.title),
                "explanation": rule.explanation_text,
                "weight": rule.weight,
            }
            for rule in RULES
        ],
        "levels": [
            {
                "level": str(level.level),
                "label": str(level.label),
                "min_score": level.min_score,
                "required": [
                    {"code": code, "title": str(RULES_BY_CODE[code].title)} for code in level.required
                ],
            }
            for level in LEVELS
        ],
    }


def badge_of(organization) -> OrganizationBadge | None:
    """The stored badge, without a query when the directory selected it (None if none)."""
    try:
        return organization.transparency_badge
    except OrganizationBadge.DoesNotExist:
        return None


def level_of(organization) -> str:
    badge = badge_of(organization)
    return badge.level if badge is not None else BadgeLevel.NONE


def with_badge(queryset):
    """The directory's queryset hook: the badge joins the organisations (no query per card)."""
    return queryset.select_related("transparency_badge")


def filter_by_badge(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(transparency_badge__level__in=levels_at_least(value))


def badge_filter_choices() -> list[tuple[str, Promise]]:
    return [
        (BadgeLevel.BRONZE.value, gettext_lazy("Bronze or better")),
        (BadgeLevel.SILVER.value, gettext_lazy("Silver or better")),
        (BadgeLevel.GOLD.value, gettext_lazy("Gold")),
    ]


def make_badge_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=badge_filter_choices(),
        method=filter_by_badge,
        label=gettext_lazy("Transparency badge"),
        help_text=gettext_lazy("At least this level of the transparency badge."),
        empty_label=gettext_lazy("Any"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
