"""The reviewer's pages of a weighted-rubric review (`core.review`), for every app that has
reviewers: my reviews; one submission behind the conflict-of-interest gate, then its scoring
form; the declaration; saving (or sending) the scores. A person not assigned gets a 404.

An app keeps its URLs, templates, services and permission, and says what differs in a
subclass of `ReviewPages`; the instance holds the four views, already declared
(`core.permissions`), for the app's URLconf:

    class GrantReviews(ReviewPages):
        namespace = "grants"                               # its URLs: grants:review, ...
        review_permission = "grants.review_application"    # needed to save a review
        assignment_model = ReviewAssignment
        form_class = ReviewForm
        templates = {"list": ..., "coi": ..., "detail": ..., "refused": ..., "declined": ...}
        def applications(self): ...                        # what a reviewer may be assigned to
        def criteria(self, application): ...
        def declare_conflict(self, *, actor, application, has_conflict, note): ...  # its service
        def save_review(self, *, actor, application, form, submit): ...             # its service

    pages = GrantReviews()
    my_reviews, review, review_coi, review_save = pages.views()

Every view answers bad input with a 400 that says why (a conflict declared twice, a review
already sent, a submission no longer under review), never a 500, and keeps what was saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from core.permissions import SIGNED_IN, permission, signed_in
from core.review import ConflictForm, ReviewStatus, RubricForm

R = ReviewStatus


class ReviewPages:
    """What the reviewer's pages of one app need to know; override the hooks below."""

    namespace: str = ""  # the app's URL namespace: <namespace>:review, <namespace>:my_reviews
    review_permission: str = ""  # the rules permission to save a review, checked on the submission
    assignment_model = None  # the app's ReviewRecord model (`application`, `reviewer`, `scores`)
    form_class = RubricForm
    open_statuses: tuple = ()  # the submission's statuses in which it is still reviewed
    # "list", "coi", "detail", "refused"; "declined" (optional: else the detail page says it)
    templates: dict = {}  # read only
    list_name = "reviews"  # the rows of the list page, in its context
    page_size = 25
    # A ValidationError of these codes from the app's service refuses the request (declared
    # already, the review was sent, the submission is no longer reviewed); others go back to
    # the form.
    refused_codes = ("already_declared", "submitted", "not_under_review")

    # --- the app's parts ------------------------------------------------------------------

    def assignments_of(self, user):
        """The list page's rows: `user`'s reviews."""
        raise NotImplementedError

    def applications(self):
        """The submissions a reviewer may open (not drafts), with what the pages show."""
        raise NotImplementedError

    def assignment_of(self, application, user):
        """`user`'s review of `application`, or None."""
        return self.assignment_model.objects.filter(application=application, reviewer=user).first()

    def criteria(self, application) -> list:
        raise NotImplementedError

    def declare_conflict(self, *, actor, application, has_conflict: bool, note: str) -> None:
        raise NotImplementedError

    def save_review(self, *, actor, application, form, submit: bool) -> None:
        raise NotImplementedError

    def coi_context(self, application) -> dict:
        """What the conflict-of-interest page shows of the submission (not its content)."""
        return {"application": application}

    def declined_context(self, application) -> dict:
        return {"application": application}

    def detail_context(self, assignment, criteria) -> dict:
        """The app's part of the review page (the submission as the reviewer reads it)."""
        return {}

    def submitted_context(self, assignment) -> dict:
        """The app's part of the review page once the reviewer's own review was sent."""
        return {}

    def refused_context(self, application) -> dict:
        return {"application": application}

    def initial(self, assignment) -> dict:
        """The scoring form as last saved."""
        initial = {"comment": assignment.comment}
        for score in assignment.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    # --- the pages ------------------------------------------------------------------------

    def load(self, request, pk, **kwargs):
        """The signed-in person's review of submission `pk` (found by `applications()`), with
        the submission as `.application`; 404 when there is none."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        application = self.applications().filter(pk=pk).first()
        assignment = self.assignment_of(application, request.user) if application is not None else None
        if assignment is None:
            raise Http404
        assignment.application = application
        return assignment

    def refused(self, request, reason: str, application):
        return render(
            request,
            self.templates["refused"],
            {"reason": reason, **self.refused_context(application)},
            status=400,
        )

    def page(self, request, assignment, *, form=None, status: int = 200):
        """The review page as the review's status has it: the declaration first; declined; the
        submission with the scoring form; the sent review."""
        application = assignment.application
        if assignment.status == R.ASSIGNED:
            context = {
                "assignment": assignment,
                "form": form or ConflictForm(),
                **self.coi_context(application),
            }
            return render(request, self.templates["coi"], context, status=status)
        if assignment.status == R.CONFLICTED and self.templates.get("declined"):
            context = {"assignment": assignment, **self.declined_context(application)}
            return render(request, self.templates["declined"], context, status=status)
        criteria = self.criteria(application)
        context = {
            "assignment": assignment,
            "application": application,
            "criteria": criteria,
            "open_for_review": application.status in self.open_statuses,
            **self.detail_context(assignment, criteria),
        }
        if assignment.status == R.ACCEPTED:
            context["form"] = form or self.form_class(criteria=criteria, initial=self.initial(assignment))
        elif assignment.status == R.SUBMITTED:
            context.update(self.submitted_context(assignment))
        return render(request, self.templates["detail"], context, status=status)

    def my_reviews(self, request):
        page_obj = Paginator(self.assignments_of(request.user), self.page_size).get_page(
            request.GET.get("page")
        )
        return render(
            request, self.templates["list"], {"page_obj": page_obj, self.list_name: page_obj.object_list}
        )

    def review(self, request, pk, assignment):
        return self.page(request, assignment)

    def review_coi(self, request, pk, assignment):
        application = assignment.application
        form = ConflictForm(request.POST)
        if assignment.status != R.ASSIGNED:
            return self.refused(
                request, _("You have already declared your conflict of interest."), application
            )
        if form.is_valid():
            try:
                self.declare_conflict(
                    actor=request.user,
                    application=application,
                    has_conflict=form.cleaned_data["has_conflict"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) in self.refused_codes:  # a list of errors has none
                    return self.refused(request, " ".join(exc.messages), application)
                add_service_errors(form, exc)
            else:
                if form.cleaned_data["has_conflict"]:
                    messages.info(request, _("You declined this review. KCSF has been told."))
                else:
                    messages.success(request, _("Thank you. You can now read and score the application."))
                return redirect(f"{self.namespace}:review", pk=application.pk)
        return self.page(request, assignment, form=form, status=400)

    def review_save(self, request, pk, assignment):
        application = assignment.application
        if assignment.status == R.SUBMITTED:
            return self.refused(
                request, _("Your review was already submitted; it can no longer be changed."), application
            )
        form = self.form_class(request.POST, criteria=self.criteria(application))
        # The button's name: "action=submit" (grants) or "submit" (academy).
        submit = request.POST.get("action") == "submit" or "submit" in request.POST
        if form.is_valid():
            try:
                self.save_review(actor=request.user, application=application, form=form, submit=submit)
            except ValidationError as exc:
                if getattr(exc, "code", None) in self.refused_codes:  # a list of errors has none
                    return self.refused(request, " ".join(exc.messages), application)
                add_service_errors(form, exc)
            else:
                if submit:
                    messages.success(request, _("Your review was submitted. Thank you."))
                else:
                    messages.success(request, _("Your draft review was saved."))
                return redirect(f"{self.namespace}:review", pk=application.pk)
        return self.page(request, assignment, form=form, status=400)

    # --- the declared views -----------------------------------------------------------------

    def views(self) -> tuple:
        """(my_reviews, review, review_coi, review_save): the views for the app's URLconf, each
        with its permission declared. The review's own person opens it (anyone else: 404);
        saving needs the app's `review_permission` on the submission (the conflict of
        interest declared first: 403 with the reason)."""
        own = permission(SIGNED_IN, load=self.load, pass_as="assignment")

        @signed_in
        @require_GET
        def my_reviews(request):
            return self.my_reviews(request)

        @own
        @require_GET
        def review(request, pk, assignment):
            return self.review(request, pk, assignment)

        @own
        @require_POST
        def review_coi(request, pk, assignment):
            return self.review_coi(request, pk, assignment)

        @permission(
            self.review_permission,
            load=self.load,
            on=lambda assignment: assignment.application,
            pass_as="assignment",
            message=gettext_lazy("Declare your conflict of interest first."),
        )
        @require_POST
        def review_save(request, pk, assignment):
            return self.review_save(request, pk, assignment)

        for view in (my_reviews, review, review_coi, review_save):  # named as the app's pages
            view.__module__ = type(self).__module__
            view.__qualname__ = f"{type(self).__name__}.{view.__name__}"
        return my_reviews, review, review_coi, review_save
