"""Reviews of applications (the kernel's weighted rubric, conflict of interest first), the
staff's selection of participants and a ranked waiting list, the offer of a place
(confirm or decline within 7 days) and the waiting list moving up."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.choices import HOLDS_PLACE, IN_SELECTION, ApplicationStatus, CohortStatus
from academy.models import ApplicationReview, ApplicationScore, Cohort, CohortApplication
from academy.rules import forget_reviews
from academy.services.common import email_applicant, lock_application, lock_cohort, move, require
from academy.workflow import COHORT
from core import review
from core.notifications import email_user_template
from core.review import ReviewStatus

S = ApplicationStatus
R = ReviewStatus
CENT = Decimal("0.01")
OFFER_DAYS = 7
REVIEWERS_GROUP = "Academy reviewers"


# --- reviewers --------------------------------------------------------------------------------


def reviewer_pool():
    """Active staff and the partners of the "Academy reviewers" group."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name=REVIEWERS_GROUP))
        .distinct()
        .order_by("email")
    )


def _refresh_scores(application: CohortApplication) -> None:
    figures = application.reviews.aggregate(
        average=Avg("weighted_score", filter=Q(status=R.SUBMITTED)),
        done=Count("pk", filter=Q(status=R.SUBMITTED)),
    )
    average = figures["average"]
    application.average_score = (
        Decimal(average).quantize(CENT, rounding=ROUND_HALF_UP) if average is not None else None
    )
    application.reviews_done = figures["done"]
    application.save(update_fields=["average_score", "reviews_done", "updated_at"])


@transaction.atomic
def reviewers_assign(*, actor, application: CohortApplication, reviewers) -> list[ApplicationReview]:
    """Assign reviewers from the pool to a submitted application (it goes under review);
    each new reviewer is told by email. Nobody reviews their own application."""
    require(actor, "academy.assign_reviewers", application)
    application = lock_application(application)
    if application.status not in IN_SELECTION:
        raise ValidationError(
            _("Reviewers are assigned to submitted applications only."), code="not_submitted"
        )
    pool = set(reviewer_pool().values_list("pk", flat=True))
    created = []
    for reviewer in reviewers:
        if reviewer.pk not in pool:
            raise ValidationError(
                _("%(person)s is not in the pool of reviewers.") % {"person": reviewer.email},
                code="not_reviewer",
            )
        if reviewer.pk == application.applicant_id:
            raise ValidationError(
                _("%(person)s is the applicant and cannot review it.") % {"person": reviewer.email},
                code="conflict",
            )
        assignment, new = ApplicationReview.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        if new:
            created.append(assignment)
            email_user_template(
                template="academy/email/review_assigned",
                context={"application": application, "cohort": application.cohort},
                user=reviewer,
            )
    if application.status == S.SUBMITTED and created:
        move(application, actor=actor, target=S.UNDER_REVIEW)
    forget_reviews(*reviewers)
    return created


def _lock_review(application, reviewer) -> ApplicationReview:
    assignment = (
        ApplicationReview.objects.select_for_update()
        .filter(application=application, reviewer=reviewer)
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("You are not assigned to review this application."))
    return assignment


def _require_in_selection(application) -> None:
    if application.status not in IN_SELECTION:
        raise ValidationError(_("This application is no longer under review."), code="not_under_review")


@transaction.atomic
def conflict_declare(
    *, actor, application: CohortApplication, has_conflict: bool, note: str = ""
) -> ApplicationReview:
    """Before seeing the application, the reviewer declares a conflict of interest or none."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You do not have permission to do this."))
    application = lock_application(application)
    assignment = _lock_review(application, actor)
    review.check_conflict_open(assignment)
    _require_in_selection(application)
    review.declare_conflict(assignment, actor=actor, has_conflict=has_conflict, note=note)
    forget_reviews(actor)
    if has_conflict and assignment.assigned_by and assignment.assigned_by.is_active:
        email_user_template(
            template="academy/email/review_conflict",
            context={"application": application, "cohort": application.cohort, "assignment": assignment},
            user=assignment.assigned_by,
        )
    return assignment


@transaction.atomic
def review_save(
    *,
    actor,
    application: CohortApplication,
    scores: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
) -> ApplicationReview:
    """Save (and with `submit`, send) a review on the cohort's rubric. A sent review is final."""
    require(actor, "academy.review_application", application)
    application = lock_application(application)
    assignment = _lock_review(application, actor)
    review.check_scoring_open(assignment)
    _require_in_selection(application)
    criteria = list(application.cohort.criteria.all())
    clean, errors = review.clean_scores(criteria, scores, submit=submit)
    if submit and not criteria:
        errors.append(_("This cohort has no rubric yet; ask KCSF."))
    if errors:
        raise ValidationError(errors, code="invalid_review")
    review.store_review(
        assignment,
        actor=actor,
        score_model=ApplicationScore,
        criteria=criteria,
        clean=clean,
        comments=comments,
        comment=comment,
        submit=submit,
    )
    if submit:
        _refresh_scores(application)
        forget_reviews(actor)
    return assignment


# --- selection --------------------------------------------------------------------------------


def _offer(application, *, actor, now, check_perm: bool = True) -> None:
    application.offer_expires_at = now + timedelta(days=OFFER_DAYS)
    application.decided_at, application.decided_by = now, actor
    application.waiting_rank = None
    move(
        application,
        actor=actor,
        target=S.SELECTED,
        fields=["offer_expires_at", "decided_at", "decided_by", "waiting_rank"],
        check_perm=check_perm,
    )
    email_applicant(application, template="academy/email/selected")


@transaction.atomic
def selection_decide(*, actor, cohort: Cohort, selected=(), waiting=(), rejected=()) -> dict:
    """Staff select participants (up to the free places), put others on the waiting list (in
    the order given, after those already on it) and decline the rest they name; applications
    not named stay in selection. Each applicant is emailed the decision in their language.
    Returns the counts."""
    require(actor, "academy.select_participants", cohort)
    cohort = lock_cohort(cohort)  # the cohort first, always: one decision at a time
    if cohort.status not in (CohortStatus.OPEN, CohortStatus.SELECTING, CohortStatus.RUNNING):
        raise ValidationError(_("This cohort is not in selection."), code="not_selecting")
    selected = [int(pk) for pk in selected]
    waiting = [int(pk) for pk in waiting]
    rejected = [int(pk) for pk in rejected]
    named = selected + waiting + rejected
    if len(set(named)) != len(named):
        raise ValidationError(_("Choose one decision per application."), code="both")
    pending = {
        a.pk: a
        for a in CohortApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort")
        .filter(cohort=cohort, status__in=IN_SELECTION)
    }
    unknown = [pk for pk in named if pk not in pending]
    if unknown:
        raise ValidationError(
            _("Some of the chosen applications are no longer in selection; reload the page."), code="stale"
        )
    holding = cohort.applications.filter(status__in=HOLDS_PLACE).count()
    free = cohort.places - holding
    if len(selected) > free:
        raise ValidationError(
            _("Only %(free)s of %(places)s places are free; you selected %(count)s.")
            % {"free": max(free, 0), "places": cohort.places, "count": len(selected)},
            code="over_places",
        )
    now = timezone.now()
    ranked = cohort.applications.filter(status=S.WAITING_LIST).count()
    for pk in selected:
        _offer(pending.pop(pk), actor=actor, now=now)
    for pk in waiting:
        application = pending.pop(pk)
        ranked += 1
        application.waiting_rank = ranked
        application.decided_at, application.decided_by = now, actor
        move(
            application,
            actor=actor,
            target=S.WAITING_LIST,
            fields=["waiting_rank", "decided_at", "decided_by"],
        )
        email_applicant(application, template="academy/email/waiting_list")
    for pk in rejected:
        application = pending.pop(pk)
        application.decided_at, application.decided_by = now, actor
        move(application, actor=actor, target=S.NOT_SELECTED, fields=["decided_at", "decided_by"])
        email_applicant(application, template="academy/email/not_selected")
    return {"selected": len(selected), "waiting": len(waiting), "not_selected": len(rejected)}


@transaction.atomic
def cohort_move(*, actor, cohort: Cohort, target: str) -> Cohort:
    """Open, close for selection, start or finish a cohort (academy.workflow.COHORT)."""
    cohort = lock_cohort(cohort)
    COHORT.move(cohort, target, actor=actor)
    return cohort


def promote_next(cohort: Cohort, *, actor=None, now=None) -> list[CohortApplication]:
    """Offer the free places to the next on the waiting list (lowest rank first). The caller
    holds the transaction and the cohort's lock."""
    now = now or timezone.now()
    promoted = []
    free = cohort.places - cohort.applications.filter(status__in=HOLDS_PLACE).count()
    if free <= 0:
        return promoted
    queue = (
        CohortApplication.objects.select_for_update(of=("self",))
        .select_related("applicant", "cohort")
        .filter(cohort=cohort, status=S.WAITING_LIST)
        .order_by("waiting_rank", "pk")[:free]
    )
    for application in queue:
        _offer(application, actor=actor, now=now, check_perm=False)
        promoted.append(application)
    return promoted


@transaction.atomic
def offer_respond(*, actor, application: CohortApplication, accept: bool) -> CohortApplication:
    """The selected applicant confirms or declines the place (within 7 days); a declined
    place goes to the next on the waiting list."""
    require(actor, "academy.view_application", application)
    cohort = lock_cohort(application.cohort)
    application = lock_application(application)
    if application.status != S.SELECTED:
        raise ValidationError(
            _("There is no place waiting for your answer on this application."), code="no_offer"
        )
    require(actor, "academy.respond_to_offer", application)
    now = timezone.now()
    if accept and application.offer_expires_at and application.offer_expires_at < now:
        raise ValidationError(_("The time to confirm this place has passed."), code="expired")
    application.responded_at = now
    move(application, actor=actor, target=S.CONFIRMED if accept else S.DECLINED, fields=["responded_at"])
    if not accept:
        promote_next(cohort, actor=None, now=now)
    return application


def lapse_expired_offers(*, now=None) -> int:
    """Places not confirmed in time lapse and go to the next on the waiting list. Idempotent:
    each offer is re-read under lock and lapses once. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    expired = (
        CohortApplication.objects.filter(status=S.SELECTED, offer_expires_at__lt=now)
        .values_list("pk", "cohort_id")
        .order_by("cohort_id", "pk")
    )
    for pk, cohort_id in list(expired):
        with transaction.atomic():
            cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
            application = lock_application(CohortApplication(pk=pk))
            if (
                application.status != S.SELECTED
                or not application.offer_expires_at
                or application.offer_expires_at >= now
            ):
                continue
            move(
                application,
                actor=None,
                target=S.LAPSED,
                check_perm=False,
                note="Not confirmed within 7 days.",
            )
            email_applicant(application, template="academy/email/lapsed")
            promote_next(cohort, now=now)
            lapsed += 1
    return lapsed
