"""Loaders of the URL's objects for the permission declarations, and the refusal page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core.permissions import error_text
from organizations.models import Organization
from volunteering.models import Application, Engagement, HoursEntry, Opportunity


def load_organization(request, slug, **kwargs) -> Organization:
    return get_object_or_404(Organization, slug=slug, is_active=True)


def load_opportunity(request, pk, **kwargs) -> Opportunity:
    return get_object_or_404(
        Opportunity.objects.select_related("organization", "municipality", "cause"),
        pk=pk,
        organization__is_active=True,
    )


def load_visible_opportunity(request, pk, **kwargs) -> Opportunity:
    """An opportunity the person may see (not a draft of someone else's organisation): else 404."""
    opportunity = load_opportunity(request, pk)
    if not request.user.has_perm("volunteering.view_opportunity", opportunity):
        raise Http404
    return opportunity


def load_application(request, pk, **kwargs) -> Application:
    return get_object_or_404(
        Application.objects.select_related("opportunity__organization", "profile__user"), pk=pk
    )


def load_engagement(request, pk, **kwargs) -> Engagement:
    return get_object_or_404(
        Engagement.objects.select_related("opportunity__organization", "profile__user", "application"), pk=pk
    )


def load_visible_engagement(request, pk, **kwargs) -> Engagement:
    """An engagement the person may see (theirs, their organisation's, or staff): else 404."""
    engagement = load_engagement(request, pk)
    if not request.user.has_perm("volunteering.view_engagement", engagement):
        raise Http404
    return engagement


def load_hours(request, pk, **kwargs) -> HoursEntry:
    return get_object_or_404(
        HoursEntry.objects.select_related(
            "engagement__opportunity__organization", "engagement__profile__user"
        ),
        pk=pk,
    )


def refused(request, error, *, back_url: str = "", status: int = 400):
    """A service's refusal (a move the status does not allow, a full opportunity...): 400."""
    return render(
        request,
        "volunteering/refused.html",
        {"reason": error_text(error), "back_url": back_url},
        status=status,
    )
