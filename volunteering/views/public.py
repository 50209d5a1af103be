"""Public pages: the list of opportunities (filters in the URL) and one opportunity."""

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render

from core.page_cache import anonymous_cache
from core.permissions import permission, public
from volunteering.filters import OpportunityFilter
from volunteering.forms import MessageForm
from volunteering.models import Application
from volunteering.selectors import matching
from volunteering.selectors.opportunities import is_saved, opportunity_skills
from volunteering.services.profiles import profile_for
from volunteering.signals import PAGE_TOPICS
from volunteering.views.common import load_visible_opportunity

PAGE_SIZE = 20


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*OpportunityFilter.base_filters, "page"))
def opportunity_list(request):
    filterset = OpportunityFilter(
        request.GET,
        queryset=matching.open_opportunities()
        .select_related("organization", "municipality", "cause")
        .order_by(F("deadline").asc(nulls_last=True), "-pk"),
    )
    valid = filterset.is_valid()
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page")) if valid else None
    filtered = any(v for k, v in request.GET.items() if k != "page")
    return render(
        request,
        "volunteering/opportunity_list.html",
        {
            "form": filterset.form,
            "page_obj": page_obj,
            "opportunities": page_obj.object_list if page_obj else [],
            "filtered": filtered,
        },
        status=200 if valid else 400,
    )


@permission(
    "volunteering.view_opportunity",
    load=load_visible_opportunity,
    pass_as="opportunity",
    login=False,
    refuse=404,
)
def opportunity_detail(request, opportunity, **kwargs):
    profile = profile_for(request.user)
    application = None
    if profile is not None:
        application = Application.objects.filter(opportunity=opportunity, profile=profile).first()
    explanation = None
    if profile is not None:
        row = matching.ranked_opportunities(
            profile, queryset=type(opportunity).objects.filter(pk=opportunity.pk)
        ).first()
        if row is not None:
            explanation = matching.with_explanations([row])[0]
    context = {
        "opportunity": opportunity,
        "needs": opportunity_skills(opportunity),
        "languages": list(opportunity.languages.all()),
        "profile": profile,
        "application": application,
        "saved": is_saved(request.user, opportunity),
        "match": explanation,
        "form": MessageForm(),
        "can_edit": request.user.has_perm("volunteering.edit_opportunity", opportunity),
        "can_see_applicants": request.user.has_perm("volunteering.view_applicants", opportunity),
    }
    return render(request, "volunteering/opportunity_detail.html", context)
