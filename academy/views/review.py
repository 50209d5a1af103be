"""The reviewer's pages: my reviews; one application behind the conflict-of-interest gate,
then its scoring form (the kernel's rubric). Not assigned: 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from academy import selectors
from academy.choices import IN_SELECTION, ApplicationStatus
from academy.models import ApplicationReview, CohortApplication
from academy.services import selection
from core.forms import add_service_errors
from core.permissions import SIGNED_IN, permission, signed_in
from core.review import ConflictForm, ReviewStatus, RubricForm

R = ReviewStatus
PAGE_SIZE = 25


@signed_in
@require_GET
def my_reviews(request):
    page_obj = Paginator(selectors.reviews_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "academy/review_list.html", {"page_obj": page_obj, "reviews": page_obj.object_list}
    )


def load_review(request, pk, **kwargs) -> ApplicationReview:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    application = (
        CohortApplication.objects.exclude(status=ApplicationStatus.DRAFT)
        .select_related("cohort", "municipality")
        .filter(pk=pk)
        .first()
    )
    assignment = (
        ApplicationReview.objects.filter(application=application, reviewer=request.user).first()
        if application
        else None
    )
    if assignment is None:
        raise Http404
    assignment.application = application
    return assignment


own_review = permission(SIGNED_IN, load=load_review, pass_as="assignment")


def _page(request, assignment, *, form=None, status=200):
    application = assignment.application
    if assignment.status == R.ASSIGNED:
        return render(
            request,
            "academy/review_coi.html",
            {"assignment": assignment, "application": application, "form": form or ConflictForm()},
            status=status,
        )
    context = {"assignment": assignment, "application": application, "cohort": application.cohort}
    if assignment.status == R.ACCEPTED:
        criteria = list(application.cohort.criteria.all())
        if form is None:
            initial = {"comment": assignment.comment}
            for score in assignment.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"comment_{score.criterion_id}"] = score.comment
            form = RubricForm(criteria=criteria, initial=initial)
        context.update(form=form, open_for_review=application.status in IN_SELECTION)
    elif assignment.status == R.SUBMITTED:
        context["scores"] = assignment.scores.select_related("criterion").order_by("criterion__order", "pk")
    return render(request, "academy/review_detail.html", context, status=status)


@own_review
@require_GET
def review(request, pk, assignment):
    return _page(request, assignment)


@own_review
@require_POST
def review_coi(request, pk, assignment):
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            selection.conflict_declare(
                actor=request.user,
                application=assignment.application,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if assignment.status != R.ASSIGNED:
                return render(
                    request,
                    "academy/refused.html",
                    {"reason": " ".join(exc.messages), "back": ("academy:review", assignment.application.pk)},
                    status=400,
                )
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("You declined this review. KCSF has been told."))
            else:
                messages.success(request, _("Thank you. You can now read and score the application."))
            return redirect("academy:review", pk=assignment.application.pk)
    if assignment.status != R.ASSIGNED:
        return render(
            request,
            "academy/refused.html",
            {
                "reason": _("You have already declared your conflict of interest."),
                "back": ("academy:review", assignment.application.pk),
            },
            status=400,
        )
    return _page(request, assignment, form=form, status=400)


def _application_of(assignment):
    return assignment.application


@permission(
    "academy.review_application",
    load=load_review,
    on=_application_of,
    pass_as="assignment",
    message=gettext_lazy("Declare your conflict of interest first."),
)
@require_POST
def review_save(request, pk, assignment):
    application = assignment.application
    form = RubricForm(request.POST, criteria=list(application.cohort.criteria.all()))
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            selection.review_save(
                actor=request.user,
                application=application,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as exc:
            if exc.code in ("submitted", "not_under_review"):
                return render(
                    request,
                    "academy/refused.html",
                    {"reason": " ".join(exc.messages), "back": ("academy:review", application.pk)},
                    status=400,
                )
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your review was submitted.") if submit else _("Your scores were saved.")
            )
            return redirect("academy:review", pk=application.pk)
    return _page(request, assignment, form=form, status=400)
