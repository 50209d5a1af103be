"""The reviewer's pages: my assignments; one application behind the conflict-of-interest
gate, its scoring form, and — once the reviewer's own review is sent — the other reviews.
A person not assigned to the application's current stage gets a 404. The pages themselves
are the kernel's (`core.review_views`); grants says what it shows and which services save."""

from django.db.models import Prefetch
from django.template.loader import select_template

from core.review_views import ReviewPages
from grants import selectors
from grants.choices import IN_ASSESSMENT_STATUSES, ApplicationStatus, AssignmentStatus
from grants.forms.staff import ReviewForm
from grants.models import Application, ReviewAssignment, Score
from grants.services import applications as app_services
from grants.services import assessment

A = AssignmentStatus


def _scores_prefetch():
    return Prefetch(
        "scores",
        queryset=Score.objects.select_related("criterion").order_by("criterion__order", "criterion__pk"),
    )


class GrantReviews(ReviewPages):
    namespace = "grants"
    review_permission = "grants.review_application"
    assignment_model = ReviewAssignment
    form_class = ReviewForm
    open_statuses = IN_ASSESSMENT_STATUSES
    templates = {
        "list": "grants/review_list.html",
        "coi": "grants/review_coi.html",
        "declined": "grants/review_declined.html",
        "detail": "grants/review_detail.html",
        "refused": "grants/review_refused.html",
    }
    list_name = "assignments"

    def assignments_of(self, user):
        return selectors.review_assignments_of(user)

    def applications(self):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT).select_related(
            "call", "applicant", "organization", "municipality"
        )

    def assignment_of(self, application, user):
        """The assignment to the application's current stage (an earlier stage's is done)."""
        return ReviewAssignment.objects.filter(
            application=application, stage=application.stage, reviewer=user
        ).first()

    def criteria(self, application):
        return list(application.call.criteria.filter(stage=application.stage))

    def declare_conflict(self, *, actor, application, has_conflict, note):
        assessment.conflict_declare(
            actor=actor, application=application, has_conflict=has_conflict, note=note
        )

    def save_review(self, *, actor, application, form, submit):
        assessment.review_save(
            actor=actor,
            application=application,
            scores=form.scores(),
            comments=form.comments(),
            recommendation=form.cleaned_data["recommendation"],
            comment=form.cleaned_data["comment"],
            submit=submit,
        )

    def coi_context(self, application):
        # Not the application itself: its content stays hidden until the declaration.
        return {
            "application_pk": application.pk,
            "call": application.call,
            "reference": application.reference,
        }

    def declined_context(self, application):
        return {"reference": application.reference, "call": application.call}

    def refused_context(self, application):
        return {"application_pk": application.pk}

    def initial(self, assignment):
        return {**super().initial(assignment), "recommendation": assignment.recommendation}

    def detail_context(self, assignment, criteria):
        application = assignment.application
        revision = application.revisions.order_by("-number").first()
        snapshot = revision.snapshot if revision else app_services.snapshot(application)
        return {
            "call": application.call,
            "snapshot": snapshot,
            "data": snapshot,
            "revision": revision,
            "attachments": snapshot.get("attachments", []) if isinstance(snapshot, dict) else [],
            "content_template": select_template(
                ["grants/includes/_application_content.html", "grants/includes/_staff_content.html"]
            ).origin.template_name,
        }

    def submitted_context(self, assignment):
        """The reviewer's own review and the others of the stage, numbered, without names."""
        application = assignment.application
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
        return {"own": own, "others": others}


pages = GrantReviews()
my_reviews, review, review_coi, review_save = pages.views()
