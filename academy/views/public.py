"""Public pages: the cohorts, one cohort with its eligibility and the check form."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from academy import selectors
from academy.forms import EligibilityForm
from academy.services.applications import eligibility_problems
from academy.signals import PAGE_TOPICS
from academy.views.common import load_cohort
from core.page_cache import anonymous_cache
from core.permissions import public

PAGE_SIZE = 20


@public
@anonymous_cache(topics=PAGE_TOPICS, query=("page",))
@require_GET
def cohort_list(request):
    page_obj = Paginator(selectors.public_cohorts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "academy/cohort_list.html", {"page_obj": page_obj, "cohorts": page_obj.object_list}
    )


@public
@require_GET
def cohort_detail(request, pk):
    cohort = load_cohort(request, pk)
    if cohort.status not in selectors.PUBLIC_STATUSES:
        raise Http404
    form, problems, checked = EligibilityForm(), None, False
    status = 200
    if "date_of_birth" in request.GET or "municipality" in request.GET:
        form = EligibilityForm(request.GET)
        checked = True
        if form.is_valid():
            problems = eligibility_problems(
                cohort=cohort,
                date_of_birth=form.cleaned_data["date_of_birth"],
                municipality=form.cleaned_data["municipality"],
            )
        else:
            status = 400
    mine = None
    if request.user.is_authenticated:
        mine = cohort.applications.filter(applicant=request.user).first()
    return render(
        request,
        "academy/cohort_detail.html",
        {
            "cohort": cohort,
            "municipalities": cohort.municipalities.all(),
            "modules": cohort.modules.all(),
            "form": form,
            "problems": problems,
            "checked": checked,
            "mine": mine,
        },
        status=status,
    )
