"""KCSF's side of an application: screening, asking for more information, assigning
reviewers, the reviewer's conflict-of-interest declaration and review, and the decision
(approve within the call's budget, reject, or invite a concept note to the full proposal).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import review
from core.money import format_money
from core.notifications import email_user_template
from core.review import weighted_score  # noqa: F401 (grants.services.assessment.weighted_score, as before)
from grants.choices import ApplicationStatus, AssignmentStatus, Eligibility, Recommendation, Stage
from grants.models import Application, Grant, ReviewAssignment, Score
from grants.rules import forget_assignments
from grants.selectors import committed_total
from grants.services.common import email_applicant, lock_application, lock_call, move, require, save
from grants.workflow import check_transition

S = ApplicationStatus
A = AssignmentStatus
CENT = Decimal("0.01")


# --- screening and more information ---------------------------------------------------------


@transaction.atomic
def application_screen(*, actor, application: Application, eligible: bool, reason: str = "") -> Application:
    """Eligible → under review; ineligible (a reason is required) → ineligible, and the
    applicant is told why."""
    require(actor, "grants.screen_application", application)
    application = lock_application(application)
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError({"reason": _("Say why the application is ineligible.")})
    application.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
    application.eligibility_reason = reason[:5000]
    target = S.UNDER_REVIEW if eligible else S.INELIGIBLE
    fields = ["eligibility", "eligibility_reason"]
    if not eligible:
        application.decided_at, application.decided_by, application.decision_note = (
            timezone.now(),
            actor,
            reason,
        )
        fields += ["decided_at", "decided_by", "decision_note"]
    move(application, actor=actor, target=target, note=reason, fields=fields)
    if not eligible:
        email_applicant(application, template="grants/email/decision", context={"reason": reason})
    return application


@transaction.atomic
def application_request_changes(*, actor, application: Application, note: str) -> Application:
    """Ask the applicant for more information or changes: they edit and resubmit (a new revision)."""
    require(actor, "grants.request_changes", application)
    application = lock_application(application)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the applicant should add or change.")})
    move(application, actor=actor, target=S.CHANGES_REQUESTED, note=note)
    email_applicant(application, template="grants/email/changes_requested", context={"note": note})
    return application


# --- reviewers ------------------------------------------------------------------------------


def reviewer_pool():
    """People who may be assigned as reviewers: active staff and the "Grant reviewers" group."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name="Grant reviewers"))
        .distinct()
        .order_by("email")
    )


def _refresh_review_counts(application: Application) -> None:
    """The ranking table's figures of one application: average weighted score of the
    submitted reviews of its current stage, reviews done and assigned."""
    current = application.assignments.filter(stage=application.stage).exclude(status=A.CONFLICTED)
    figures = current.aggregate(
        average=Avg("weighted_score", filter=Q(status=A.SUBMITTED)),
        done=Count("pk", filter=Q(status=A.SUBMITTED)),
        assigned=Count("pk"),
    )
    average = figures["average"]
    application.average_score = (
        Decimal(average).quantize(CENT, rounding=ROUND_HALF_UP) if average is not None else None
    )
    application.reviews_done = figures["done"]
    application.reviews_assigned = figures["assigned"]
    application.save(update_fields=["average_score", "reviews_done", "reviews_assigned", "updated_at"])


@transaction.atomic
def reviewers_assign(*, actor, application: Application, reviewers) -> list[ReviewAssignment]:
    """Assign reviewers (from the pool) to the application's current stage; already assigned
    ones are kept. Each new reviewer is told by email."""
    require(actor, "grants.assign_reviewers", application)
    application = lock_application(application)
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("Reviewers are assigned to submitted applications only."))
    pool = set(reviewer_pool().values_list("pk", flat=True))
    created = []
    for reviewer in reviewers:
        if reviewer.pk not in pool:
            raise ValidationError(
                _("%(person)s is not in the pool of reviewers.") % {"person": reviewer.email},
                code="not_reviewer",
            )
        if reviewer.pk == application.applicant_id or (
            application.organization_id
            and application.organization.memberships.filter(user=reviewer).exists()
        ):
            raise ValidationError(
                _("%(person)s is on the applicant's side and cannot review it.") % {"person": reviewer.email},
                code="conflict",
            )
        assignment, new = ReviewAssignment.objects.get_or_create(
            application=application,
            stage=application.stage,
            reviewer=reviewer,
            defaults={"assigned_by": actor},
        )
        if new:
            created.append(assignment)
            email_user_template(
                template="grants/email/review_assigned",
                context={"application": application, "call": application.call, "assignment": assignment},
                user=reviewer,
            )
    _refresh_review_counts(application)
    save(application, actor, [])
    forget_assignments(*reviewers)
    return created


@transaction.atomic
def reviewer_unassign(*, actor, assignment: ReviewAssignment) -> None:
    require(actor, "grants.assign_reviewers", assignment.application)
    application = lock_application(assignment.application)
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == A.SUBMITTED:
        raise ValidationError(_("A submitted review cannot be removed."))
    assignment.delete()
    forget_assignments(assignment.reviewer)
    _refresh_review_counts(application)


def _lock_assignment(application: Application, reviewer) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .filter(application=application, stage=application.stage, reviewer=reviewer)
        .first()
    )
    if assignment is None:  # someone else's application: no access, not a bad request
        raise PermissionDenied(_("You are not assigned to review this application."))
    return assignment


@transaction.atomic
def conflict_declare(
    *, actor, application: Application, has_conflict: bool, note: str = ""
) -> ReviewAssignment:
    """The reviewer declares, before seeing the application, whether they have a conflict of
    interest. A conflict declines the assignment (staff are told); none opens the application."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You do not have permission to do this."))
    application = lock_application(application)
    assignment = _lock_assignment(application, actor)  # PermissionDenied when not assigned
    review.check_conflict_open(assignment)
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("This application is no longer under review."), code="not_under_review")
    review.declare_conflict(assignment, actor=actor, has_conflict=has_conflict, note=note)
    forget_assignments(actor)
    if has_conflict:
        _refresh_review_counts(application)
        if assignment.assigned_by and assignment.assigned_by.is_active:
            email_user_template(
                template="grants/email/review_conflict",
                context={"application": application, "call": application.call, "assignment": assignment},
                user=assignment.assigned_by,
            )
    return assignment


@transaction.atomic
def review_save(
    *,
    actor,
    application: Application,
    scores: dict,
    comments: dict | None = None,
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> ReviewAssignment:
    """Save (and with `submit`, send) a review: a score per criterion of the stage's rubric
    (0..max), comments and a recommendation. A sent review cannot be changed."""
    require(actor, "grants.review_application", application)
    application = lock_application(application)
    assignment = _lock_assignment(application, actor)
    review.check_scoring_open(assignment)  # conflict of interest first; not after sending
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("This application is no longer under review."), code="not_under_review")
    criteria = list(application.call.criteria.filter(stage=application.stage))
    clean, errors = review.clean_scores(criteria, scores, submit=submit)
    if recommendation and recommendation not in Recommendation.values:
        errors.append(_("Choose a recommendation."))
    if submit and not recommendation:
        errors.append(_("Choose a recommendation."))
    if submit and not criteria:
        errors.append(_("This call has no rubric for this stage yet; ask KCSF."))
    if errors:
        raise ValidationError(errors, code="invalid_review")
    assignment.recommendation = recommendation
    review.store_review(
        assignment,
        actor=actor,
        score_model=Score,
        criteria=criteria,
        clean=clean,
        comments=comments,
        comment=comment,
        submit=submit,
        fields=["recommendation"],
    )
    if submit:
        _refresh_review_counts(application)
    return assignment


# --- decisions ------------------------------------------------------------------------------


@transaction.atomic
def application_decide(
    *, actor, application: Application, decision: str, amount=None, note: str = ""
) -> Application:
    """approve (full proposals: an amount, conditions in `note`), reject (a reason), or
    invite (concept notes: on to the full proposal).

    Approvals never take the call past its budget: the call's row is locked first, so two
    approvals at the same moment are counted one after the other."""
    require(actor, "grants.decide_application", application)
    note = (note or "").strip()
    if decision == "approve":
        call = lock_call(application.call)  # the call first, always: no deadlock between deciders
        application = lock_application(application)
        check_transition(application.status, S.APPROVED)  # a second click: "already approved"
        if application.stage != Stage.FULL:
            raise ValidationError(_("A concept note is not approved: invite it to the full proposal."))
        try:
            amount = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
            if not amount.is_finite():
                raise ValueError
        except (ArithmeticError, ValueError, TypeError):
            raise ValidationError({"amount": _("Enter the approved amount in EUR.")}) from None
        if amount <= 0:
            raise ValidationError({"amount": _("The approved amount must be more than zero.")})
        if amount > application.requested_amount:
            raise ValidationError(
                {
                    "amount": _("The approved amount cannot exceed the amount requested (%(requested)s).")
                    % {"requested": format_money(application.requested_amount)}
                }
            )
        if amount > call.max_amount:
            raise ValidationError(
                {
                    "amount": _("The call's maximum per grant is %(max)s.")
                    % {"max": format_money(call.max_amount)}
                }
            )
        left = call.total_budget - committed_total(call)
        if amount > left:
            over = _(
                "Approving %(amount)s would exceed the call's budget: %(left)s of %(budget)s is left."
            ) % {
                "amount": format_money(amount),
                "left": format_money(max(left, Decimal("0.00"))),
                "budget": format_money(call.total_budget),
            }
            raise ValidationError({"amount": ValidationError(over, code="over_budget")})
        now = timezone.now()
        application.decided_at, application.decided_by, application.decision_note = now, actor, note
        move(
            application,
            actor=actor,
            target=S.APPROVED,
            note=note,
            fields=["decided_at", "decided_by", "decision_note"],
        )
        grant = Grant.objects.create(
            application=application,
            call=call,
            amount=amount,
            conditions=note,
            awarded_at=now,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
        )
        email_applicant(
            application, template="grants/email/decision", context={"grant": grant, "reason": note}
        )
        return application

    application = lock_application(application)
    if decision == "reject":
        if not note:
            raise ValidationError({"note": _("Give the reason of the rejection.")})
        application.decided_at, application.decided_by, application.decision_note = (
            timezone.now(),
            actor,
            note,
        )
        move(
            application,
            actor=actor,
            target=S.REJECTED,
            note=note,
            fields=["decided_at", "decided_by", "decision_note"],
        )
        email_applicant(application, template="grants/email/decision", context={"reason": note})
        return application
    if decision == "invite":
        if application.stage != Stage.CONCEPT:
            raise ValidationError(_("Only a concept note is invited to the full proposal."))
        call = application.call
        if not call.full_proposal_closes_at or call.full_proposal_closes_at <= timezone.now():
            raise ValidationError(_("Set a future deadline for full proposals on the call first."))
        application.stage = Stage.FULL
        application.decision_note = note
        application.eligibility = Eligibility.PENDING
        application.average_score = None
        application.reviews_done = application.reviews_assigned = 0
        move(
            application,
            actor=actor,
            target=S.INVITED,
            note=note,
            fields=[
                "stage",
                "decision_note",
                "eligibility",
                "average_score",
                "reviews_done",
                "reviews_assigned",
            ],
        )
        email_applicant(application, template="grants/email/invited", context={"note": note})
        return application
    if decision == "changes":
        return application_request_changes(actor=actor, application=application, note=note)
    raise ValidationError({"decision": _("Choose a decision.")})
