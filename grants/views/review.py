"""The reviewer's pages: my assignments; one application behind the conflict-of-interest
gate, its scoring form, and — once the reviewer's own review is sent — the other reviews.
A person not assigned to the application's current stage gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from core.permissions import SIGNED_IN, permission, signed_in
from grants import selectors
from grants.choices import IN_ASSESSMENT_STATUSES, ApplicationStatus, AssignmentStatus
from grants.forms.staff import ConflictForm, ReviewForm
from grants.models import Application, ReviewAssignment, Score
from grants.services import applications as app_services
from grants.services import assessment

A = AssignmentStatus
PAGE_SIZE = 25


@signed_in
@require_GET
def my_reviews(request):
    page_obj = Paginator(selectors.review_assignments_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "grants/review_list.html",
        {"page_obj": page_obj, "assignments": page_obj.object_list},
    )


def _assignment(request, pk) -> ReviewAssignment:
    """The signed-in person's assignment to the application's current stage, or 404."""
    application = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "applicant", "organization", "municipality")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    assignment = ReviewAssignment.objects.filter(
        application=application, stage=application.stage, reviewer=request.user
    ).first()
    if assignment is None:
        raise Http404
    assignment.application = application
    return assignment


def load_assignment(request, pk, **kwargs) -> ReviewAssignment:
    return _assignment(request, pk)


def _application_of(assignment: ReviewAssignment) -> Application:
    return assignment.application


# The reviewer's own assignment (anyone else: 404); scoring needs the conflict declared.
own_assignment = permission(SIGNED_IN, load=load_assignment, pass_as="assignment")


def _scores_prefetch():
    return Prefetch(
        "scores",
        queryset=Score.objects.select_related("criterion").order_by("criterion__order", "criterion__pk"),
    )


def _page(request, assignment, *, form=None, status=200):
    application = assignment.application
    if assignment.status == A.ASSIGNED:
        return render(
            request,
            "grants/review_coi.html",
            {
                "assignment": assignment,
                "application_pk": application.pk,
                "call": application.call,
                "reference": application.reference,
                "form": form or ConflictForm(),
            },
            status=status,
        )
    if assignment.status == A.CONFLICTED:
        return render(
            request,
            "grants/review_declined.html",
            {"assignment": assignment, "reference": application.reference, "call": application.call},
            status=status,
        )
    criteria = list(application.call.criteria.filter(stage=application.stage))
    revision = application.revisions.order_by("-number").first()
    snapshot = revision.snapshot if revision else app_services.snapshot(application)
    context = {
        "assignment": assignment,
        "application": application,
        "call": application.call,
        "snapshot": snapshot,
        "data": snapshot,
        "revision": revision,
        "attachments": snapshot.get("attachments", []) if isinstance(snapshot, dict) else [],
        "criteria": criteria,
        "content_template": select_template(
            ["grants/includes/_application_content.html", "grants/includes/_staff_content.html"]
        ).origin.template_name,
        "open_for_review": application.status in IN_ASSESSMENT_STATUSES,
    }
    if assignment.status == A.SUBMITTED:
        own = ReviewAssignment.objects.prefetch_related(_scores_prefetch()).get(pk=assignment.pk)
        others = list(
            ReviewAssignment.objects.filter(
                application=application, stage=application.stage, status=A.SUBMITTED
            )
            .exclude(pk=assignment.pk)
            .prefetch_related(_scores_prefetch())
            .order_by("submitted_at", "pk")
        )
        for number, other in enumerate(others, start=1):
            other.number = number
        context.update({"own": own, "others": others})
    else:
        if form is None:
            initial = {"comment": assignment.comment, "recommendation": assignment.recommendation}
            for score in assignment.scores.all():
                initial[f"score_{score.criterion_id}"] = score.score
                initial[f"comment_{score.criterion_id}"] = score.comment
            form = ReviewForm(criteria=criteria, initial=initial)
        context["form"] = form
    return render(request, "grants/review_detail.html", context, status=status)


@own_assignment
@require_GET
def review(request, pk, assignment):
    return _page(request, assignment)


@own_assignment
@require_POST
def review_coi(request, pk, assignment):
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            assessment.conflict_declare(
                actor=request.user,
                application=assignment.application,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if assignment.status != A.ASSIGNED:
                return render(
                    request,
                    "grants/review_refused.html",
                    {"reason": " ".join(exc.messages), "application_pk": assignment.application.pk},
                    status=400,
                )
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.info(request, _("You declined this review. KCSF has been told."))
            else:
                messages.success(request, _("Thank you. You can now read and score the application."))
            return redirect("grants:review", pk=assignment.application.pk)
    if assignment.status != A.ASSIGNED:
        return render(
            request,
            "grants/review_refused.html",
            {
                "reason": _("You have already declared your conflict of interest."),
                "application_pk": assignment.application.pk,
            },
            status=400,
        )
    return _page(request, assignment, form=form, status=400)


@permission(
    "grants.review_application",
    load=load_assignment,
    on=_application_of,
    pass_as="assignment",
    message=gettext_lazy("Declare your conflict of interest first."),
)
@require_POST
def review_save(request, pk, assignment):
    application = assignment.application
    criteria = list(application.call.criteria.filter(stage=application.stage))
    form = ReviewForm(request.POST, criteria=criteria)
    submit = request.POST.get("action") == "submit"
    if assignment.status == A.SUBMITTED:
        return render(
            request,
            "grants/review_refused.html",
            {
                "reason": _("Your review was already submitted; it can no longer be changed."),
                "application_pk": application.pk,
            },
            status=400,
        )
    if form.is_valid():
        try:
            assessment.review_save(
                actor=request.user,
                application=application,
                scores=form.scores(),
                comments=form.comments(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if submit:
                messages.success(request, _("Your review was submitted. Thank you."))
            else:
                messages.success(request, _("Your draft review was saved."))
            return redirect("grants:review", pk=application.pk)
    return _page(request, assignment, form=form, status=400)
