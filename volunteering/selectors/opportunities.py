"""Reads of opportunities, applications and engagements used by the pages."""

from django.db.models import Count, F, Q, Sum

from volunteering.choices import HoursStatus, OpportunityStatus
from volunteering.models import Application, Engagement, Opportunity, SavedOpportunity


def opportunity_skills(opportunity: Opportunity) -> dict:
    needs = list(opportunity.skill_needs.select_related("skill"))
    return {
        "must": [n.skill for n in needs if n.required],
        "nice": [n.skill for n in needs if not n.required],
    }


def organization_open_opportunities(organization, limit: int = 5) -> list:
    return list(
        Opportunity.objects.filter(organization=organization, status=OpportunityStatus.OPEN).order_by(
            F("deadline").asc(nulls_last=True), "-pk"
        )[:limit]
    )


def organization_opportunities(organization):
    return (
        Opportunity.objects.filter(organization=organization)
        .annotate(applicants=Count("applications", filter=Q(applications__status="applied")))
        .order_by("-created_at")
    )


def applicants(opportunity: Opportunity):
    return (
        Application.objects.filter(opportunity=opportunity)
        .select_related("profile__user", "profile__municipality", "engagement")
        .prefetch_related("profile__skills", "profile__languages")
        .order_by("status", "-created_at")
    )


def engagements_of(user):
    return (
        Engagement.objects.filter(profile__user=user)
        .select_related("opportunity__organization")
        .annotate(confirmed=Sum("hours__hours", filter=Q(hours__status=HoursStatus.CONFIRMED)))
        .order_by("-created_at")
    )


def applications_of(user):
    return (
        Application.objects.filter(profile__user=user)
        .select_related("opportunity__organization")
        .order_by("-created_at")
    )


def engagement_hours(engagement: Engagement):
    return engagement.hours.select_related("confirmed_by").order_by("-date", "-pk")


def saved_of(user):
    """The opportunities `user` saved (drafts and inactive organisations left out), newest first."""
    return (
        SavedOpportunity.objects.filter(user=user, opportunity__organization__is_active=True)
        .exclude(opportunity__status=OpportunityStatus.DRAFT)
        .select_related("opportunity__organization", "opportunity__municipality")
        .order_by("-created_at", "-pk")
    )


def is_saved(user, opportunity: Opportunity) -> bool:
    return (
        user.is_authenticated and SavedOpportunity.objects.filter(user=user, opportunity=opportunity).exists()
    )
