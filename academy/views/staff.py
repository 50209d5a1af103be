"""KCSF's pages: the cohorts, and one cohort's selection — the ranking by average weighted
score, reviewers, the decision (select up to the places, a ranked waiting list), and the
cohort's status moves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from academy import selectors
from academy.choices import HOLDS_PLACE, IN_SELECTION
from academy.forms import DECISIONS, AssignForm, ReviewerSearchForm
from academy.models import Cohort
from academy.services import selection
from academy.views.common import load_application, load_cohort
from academy.workflow import COHORT
from core.permissions import staff_page

PAGE_SIZE = 50
REVIEWER_RESULTS = 20


@staff_page("academy.manage_cohort")
@require_GET
def cohorts(request):
    page_obj = Paginator(Cohort.objects.order_by("-starts_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "academy/staff_cohorts.html", {"page_obj": page_obj, "cohorts": page_obj.object_list}
    )


def _selection_page(request, cohort, *, errors=(), status=200):
    page_obj = Paginator(selectors.ranking(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    holding = cohort.applications.filter(status__in=HOLDS_PLACE).count()
    return render(
        request,
        "academy/staff_selection.html",
        {
            "cohort": cohort,
            "page_obj": page_obj,
            "applications": page_obj.object_list,
            "in_selection": IN_SELECTION,
            "decisions": DECISIONS,
            "holding": holding,
            "free": max(cohort.places - holding, 0),
            "errors": errors,
            "moves": COHORT.available_moves(request.user, cohort),
        },
        status=status,
    )


@staff_page("academy.select_participants", load=load_cohort, pass_as="cohort")
@require_GET
def selection_page(request, pk, cohort):
    return _selection_page(request, cohort)


@staff_page("academy.select_participants", load=load_cohort, pass_as="cohort")
@require_POST
def select(request, pk, cohort):
    """decision_<pk> = select | wait | no (blank: left for later); the waiting list follows
    wait_rank_<pk> when given, else the ranking's order."""
    selected, waiting, rejected = [], [], []
    order = [a.pk for a in selectors.ranking(cohort).filter(status__in=IN_SELECTION)]
    ranks = {}
    for pk_ in order:
        choice = request.POST.get(f"decision_{pk_}", "")
        if choice == "select":
            selected.append(pk_)
        elif choice == "wait":
            waiting.append(pk_)
            try:
                ranks[pk_] = int(request.POST.get(f"rank_{pk_}") or 0) or 10**6
            except ValueError:
                ranks[pk_] = 10**6
        elif choice == "no":
            rejected.append(pk_)
    waiting.sort(key=lambda pk_: (ranks[pk_], order.index(pk_)))
    if not (selected or waiting or rejected):
        return _selection_page(
            request, cohort, errors=[_("Choose a decision for at least one application.")], status=400
        )
    try:
        counts = selection.selection_decide(
            actor=request.user, cohort=cohort, selected=selected, waiting=waiting, rejected=rejected
        )
    except ValidationError as exc:
        return _selection_page(request, cohort, errors=exc.messages, status=400)
    messages.success(
        request,
        _(
            "Decisions saved: %(selected)s selected, %(waiting)s on the waiting list, %(not_selected)s not selected."
        )
        % counts,
    )
    return redirect("academy:staff_selection", pk=cohort.pk)


@staff_page("academy.assign_reviewers", load=load_application, pass_as="application")
@require_POST
def assign(request, pk, application):
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _selection_page(
            request, application.cohort, errors=[e for es in form.errors.values() for e in es], status=400
        )
    try:
        created = selection.reviewers_assign(
            actor=request.user, application=application, reviewers=form.cleaned_data["reviewers"]
        )
    except ValidationError as exc:
        return _selection_page(request, application.cohort, errors=exc.messages, status=400)
    messages.success(request, _("%(count)s reviewers assigned.") % {"count": len(created)})
    return redirect("academy:staff_selection", pk=application.cohort_id)


@staff_page("academy.assign_reviewers", load=load_application, pass_as="application")
@require_GET
def reviewer_search(request, pk, application):
    """Find reviewers by name or email among everyone who may review (staff and the "Academy
    reviewers" group): the list htmx puts under the search box, or a whole page without it."""
    form = ReviewerSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = selectors.reviewer_search(query, limit=REVIEWER_RESULTS) if len(query) >= 2 else None
    context = {
        "application": application,
        "people": people,
        "query": query,
        "assigned": set(application.reviews.values_list("reviewer_id", flat=True)),
        "limit": REVIEWER_RESULTS,
    }
    if request.htmx:
        return render(request, "academy/includes/_reviewer_results.html", context)
    return render(request, "academy/staff_reviewer_search.html", context)


@staff_page("academy.manage_cohort", load=load_cohort, pass_as="cohort")
@require_POST
def cohort_move(request, pk, cohort):
    target = request.POST.get("target", "")
    try:
        selection.cohort_move(actor=request.user, cohort=cohort, target=target)
    except ValidationError as exc:
        return _selection_page(request, cohort, errors=exc.messages, status=400)
    messages.success(request, _("The cohort is now “%(status)s”.") % {"status": COHORT.label(target)})
    return redirect("academy:staff_selection", pk=cohort.pk)
