"""The reviewer's pages: my reviews; one application behind the conflict-of-interest gate,
then its scoring form (the kernel's rubric). Not assigned: 404. The pages themselves are the
kernel's (`core.review_views`); the academy says what it shows and which services save."""

from academy import selectors
from academy.choices import IN_SELECTION, ApplicationStatus
from academy.models import ApplicationReview, CohortApplication
from academy.services import selection
from core.review_views import ReviewPages


class AcademyReviews(ReviewPages):
    namespace = "academy"
    review_permission = "academy.review_application"
    assignment_model = ApplicationReview
    open_statuses = IN_SELECTION
    templates = {
        "list": "academy/review_list.html",
        "coi": "academy/review_coi.html",
        "detail": "academy/review_detail.html",  # says when the reviewer declined
        "refused": "academy/refused.html",
    }

    def assignments_of(self, user):
        return selectors.reviews_of(user)

    def applications(self):
        return CohortApplication.objects.exclude(status=ApplicationStatus.DRAFT).select_related(
            "cohort", "municipality"
        )

    def criteria(self, application):
        return list(application.cohort.criteria.all())

    def declare_conflict(self, *, actor, application, has_conflict, note):
        selection.conflict_declare(actor=actor, application=application, has_conflict=has_conflict, note=note)

    def save_review(self, *, actor, application, form, submit):
        selection.review_save(
            actor=actor,
            application=application,
            scores=form.scores(),
            comments=form.comments(),
            comment=form.cleaned_data["comment"],
            submit=submit,
        )

    def refused_context(self, application):
        return {"back": ("academy:review", application.pk)}

    def detail_context(self, assignment, criteria):
        return {"cohort": assignment.application.cohort}

    def submitted_context(self, assignment):
        return {"scores": assignment.scores.select_related("criterion").order_by("criterion__order", "pk")}


pages = AcademyReviews()
my_reviews, review, review_coi, review_save = pages.views()
