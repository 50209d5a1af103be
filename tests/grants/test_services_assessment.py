"""KCSF's services: screening, more information, reviewers (pool, conflict of interest,
reviews and their weighted scores) and decisions within the call's budget."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import EmailOutbox, StatusChange
from grants.choices import ApplicantType, ApplicationStatus, AssignmentStatus, Eligibility, Stage
from grants.models import Criterion, Grant, ReviewAssignment, Score
from grants.services import assessment
from grants.services.assessment import committed_total, weighted_score
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import CallFactory, verified_cso
from tests.grants.states import bring_to, footprint
from tests.helpers import t

pytestmark = pytest.mark.django_db

S = ApplicationStatus
A = AssignmentStatus


def pool_member(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    return user


def cleared(case, reviewer=None):
    """A reviewer assigned to the case's application who declared no conflict."""
    reviewer = reviewer or pool_member()
    assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[reviewer])
    assessment.conflict_declare(actor=reviewer, application=case.application, has_conflict=False)
    return reviewer


def scores_of(application, *values):
    criteria = application.call.criteria.filter(stage=application.stage).order_by("order")
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


# --- screening and more information ----------------------------------------------------------


def test_screening_eligible_sends_to_review_quietly(django_capture_on_commit_callbacks):
    case = bring_to(S.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_screen(actor=case.staff, application=case.application, eligible=True)
    app = case.refresh()
    assert (app.status, app.eligibility) == (S.UNDER_REVIEW, Eligibility.ELIGIBLE)
    assert app.decided_at is None and not mail.outbox
    assert StatusChange.objects.filter(application=app, to_status=S.UNDER_REVIEW, actor=case.staff).exists()


@pytest.mark.parametrize(
    ("language", "title_field"), [("sq", "title_sq"), ("sr-latn", "title_sr"), ("en", "title_en")]
)
def test_screening_ineligible_needs_a_reason_and_tells_the_applicant(
    language, title_field, django_capture_on_commit_callbacks
):
    case = bring_to(S.SUBMITTED, applicant=UserFactory(preferred_language=language))
    before = footprint(case.application)
    with pytest.raises(ValidationError):
        assessment.application_screen(
            actor=case.staff, application=case.application, eligible=False, reason="  "
        )
    assert footprint(case.application) == before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_screen(
            actor=case.staff, application=case.application, eligible=False, reason="Registered outside Kosovo"
        )
    app = case.refresh()
    assert (app.status, app.eligibility) == (S.INELIGIBLE, Eligibility.INELIGIBLE)
    assert app.eligibility_reason == "Registered outside Kosovo" and app.decided_by == case.staff
    [email] = mail.outbox
    assert "Registered outside Kosovo" in email.body and getattr(case.call, title_field) in email.body


@pytest.mark.parametrize("who", ["applicant", "stranger", "reviewer", "inactive staff", "anonymous"])
def test_only_active_staff_screen_ask_and_decide(who):
    case = bring_to(S.UNDER_REVIEW)
    person = {
        "applicant": case.applicant,
        "stranger": UserFactory(),
        "reviewer": cleared(case),
        "inactive staff": StaffFactory(is_active=False),
        "anonymous": AnonymousUser(),
    }[who]
    app = case.application
    before = footprint(app)
    for action in (
        lambda: assessment.application_screen(actor=person, application=app, eligible=True),
        lambda: assessment.application_request_changes(actor=person, application=app, note="x"),
        lambda: assessment.application_decide(
            actor=person, application=app, decision="approve", amount="4000"
        ),
        lambda: assessment.application_decide(actor=person, application=app, decision="reject", note="x"),
        lambda: assessment.reviewers_assign(actor=person, application=app, reviewers=[pool_member()]),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert footprint(app) == before


@pytest.mark.parametrize("source", [S.SUBMITTED, S.UNDER_REVIEW])
def test_more_information_needs_a_note_and_emails_it(source, django_capture_on_commit_callbacks, english):
    case = bring_to(source)
    with pytest.raises(ValidationError):
        assessment.application_request_changes(actor=case.staff, application=case.application, note="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_request_changes(
            actor=case.staff, application=case.application, note="Send the budget in detail"
        )
    assert case.refresh().status == S.CHANGES_REQUESTED
    [email] = mail.outbox
    assert email.to == [case.applicant.email] and "Send the budget in detail" in email.body
    assert case.application.reference in email.subject


# --- reviewers ------------------------------------------------------------------------------


def test_reviewers_come_from_the_pool(english, django_capture_on_commit_callbacks):
    case = bring_to(S.UNDER_REVIEW)
    outsider = UserFactory()
    with pytest.raises(ValidationError, match="not in the pool"):
        assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[outsider])
    inactive = pool_member(is_active=False)
    with pytest.raises(ValidationError, match="not in the pool"):
        assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[inactive])
    assert not ReviewAssignment.objects.exists()

    expert = pool_member(preferred_language="en")
    colleague = StaffFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        created = assessment.reviewers_assign(
            actor=case.staff, application=case.application, reviewers=[expert, colleague, expert]
        )
    assert {a.reviewer for a in created} == {expert, colleague}
    assert sorted(email.to[0] for email in mail.outbox) == sorted([expert.email, colleague.email])
    english_mail = next(e for e in mail.outbox if e.to == [expert.email])
    assert english_mail.subject == f"Review request: {case.application.reference}"
    # Assigning again keeps them (no second email).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[expert])
            == []
        )
    assert not mail.outbox
    app = case.refresh()
    assert app.reviews_assigned == 2 and app.reviews_done == 0
    assert set(ReviewAssignment.objects.values_list("stage", flat=True)) == {Stage.FULL}


def test_the_applicant_side_never_reviews(english):
    owner = StaffFactory()  # even staff, when it is their own application
    organization = verified_cso(editor=owner)
    case = bring_to(
        S.SUBMITTED, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    viewer = pool_member()
    Membership.objects.create(organization=organization, user=viewer, role=Membership.Role.VIEWER)
    for person in (owner, viewer):
        with pytest.raises(ValidationError, match="applicant's side"):
            assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[person])
    assert not ReviewAssignment.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.CHANGES_REQUESTED, S.APPROVED, S.WITHDRAWN])
def test_reviewers_only_for_applications_in_assessment(status):
    case = bring_to(status)
    with pytest.raises(ValidationError):
        assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[pool_member()])
    assert not ReviewAssignment.objects.exists()


def test_unassign_but_never_a_sent_review():
    case = bring_to(S.UNDER_REVIEW)
    sent_by = cleared(case)
    waiting = pool_member()
    assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[waiting])
    assessment.review_save(
        actor=sent_by,
        application=case.application,
        scores=scores_of(case.application, 3, 3),
        recommendation="fund",
        submit=True,
    )
    assessment.reviewer_unassign(actor=case.staff, assignment=ReviewAssignment.objects.get(reviewer=waiting))
    assert case.refresh().reviews_assigned == 1
    sent = ReviewAssignment.objects.get(reviewer=sent_by)
    with pytest.raises(ValidationError):
        assessment.reviewer_unassign(actor=case.staff, assignment=sent)
    with pytest.raises(PermissionDenied):
        assessment.reviewer_unassign(actor=sent_by, assignment=sent)
    assert ReviewAssignment.objects.filter(pk=sent.pk).exists()


# --- conflict of interest -------------------------------------------------------------------


def test_nothing_is_seen_before_declaring_no_conflict():
    case = bring_to(S.UNDER_REVIEW)
    reviewer = pool_member()
    app = case.application
    assessment.reviewers_assign(actor=case.staff, application=app, reviewers=[reviewer])
    assert reviewer.has_perm("grants.declare_conflict", app)
    assert not reviewer.has_perm("grants.view_application", app)
    assert not reviewer.has_perm("grants.review_application", app)
    with pytest.raises(PermissionDenied):
        assessment.review_save(actor=reviewer, application=app, scores=scores_of(app, 1, 1))

    assignment = assessment.conflict_declare(actor=reviewer, application=app, has_conflict=False)
    assert assignment.status == A.ACCEPTED and assignment.coi_declared_at is not None
    assert reviewer.has_perm("grants.view_application", app)  # the same user object sees it now
    assert reviewer.has_perm("grants.review_application", app)
    assert not reviewer.has_perm("grants.view_application_private", app)
    assert not reviewer.has_perm("grants.declare_conflict", app)
    with pytest.raises(ValidationError, match=""):
        assessment.conflict_declare(
            actor=reviewer, application=app, has_conflict=True, note="Changed my mind"
        )
    assert ReviewAssignment.objects.get(pk=assignment.pk).status == A.ACCEPTED


def test_a_conflict_declines_and_tells_who_assigned(django_capture_on_commit_callbacks, english):
    case = bring_to(S.UNDER_REVIEW)
    reviewer = pool_member()
    app = case.application
    assessment.reviewers_assign(actor=case.staff, application=app, reviewers=[reviewer])
    with pytest.raises(ValidationError):
        assessment.conflict_declare(actor=reviewer, application=app, has_conflict=True, note=" ")
    assert ReviewAssignment.objects.get(reviewer=reviewer).status == A.ASSIGNED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.conflict_declare(
            actor=reviewer, application=app, has_conflict=True, note="My sister leads it"
        )
    assignment = ReviewAssignment.objects.get(reviewer=reviewer)
    assert assignment.status == A.CONFLICTED and assignment.coi_note == "My sister leads it"
    [email] = mail.outbox
    assert email.to == [case.staff.email] and app.reference in email.subject
    assert not reviewer.has_perm("grants.view_application", app)
    assert not reviewer.has_perm("grants.review_application", app)
    assert case.refresh().reviews_assigned == 0


def test_declaring_on_an_application_one_is_not_assigned_to_is_denied():
    case = bring_to(S.UNDER_REVIEW)
    for person in (pool_member(), case.applicant, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            assessment.conflict_declare(actor=person, application=case.application, has_conflict=False)
    assert not ReviewAssignment.objects.exists()


# --- reviews --------------------------------------------------------------------------------


def test_weighted_score_arithmetic():
    call = CallFactory()
    relevance = Criterion.objects.create(call=call, title_sq="R", weight=2, max_score=5)
    budget = Criterion.objects.create(call=call, title_sq="B", weight=1, max_score=5)
    extra = Criterion.objects.create(call=call, title_sq="E", weight=Decimal("0.5"), max_score=10)
    criteria = [relevance, budget, extra]
    assert weighted_score({relevance.pk: 5, budget.pk: 5, extra.pk: 10}, criteria) == Decimal("100.00")
    assert weighted_score({relevance.pk: 0, budget.pk: 0, extra.pk: 0}, criteria) == Decimal("0.00")
    # (2×1/5 + 1×5/5 + 0.5×7/10) / 3.5 × 100 = 1.75 / 3.5 × 100
    assert weighted_score({relevance.pk: 1, budget.pk: 5, extra.pk: 7}, criteria) == Decimal("50.00")
    # (2×5/5 + 0) / 3 × 100 = 66.666… → 66.67
    assert weighted_score({relevance.pk: 5, budget.pk: 0}, criteria[:2]) == Decimal("66.67")
    assert weighted_score({}, []) == Decimal("0.00")


@pytest.mark.parametrize(
    "bad",
    ["4.5", 4.5, "abc", True, float("inf"), float("nan"), "1e309", -1, 6, "", None, [4], {"a": 1}],
)
def test_scores_must_be_whole_numbers_within_the_scale(bad):
    case = bring_to(S.UNDER_REVIEW)
    reviewer = cleared(case)
    app = case.application
    with pytest.raises(ValidationError):
        assessment.review_save(
            actor=reviewer, application=app, scores=scores_of(app, bad, 3), recommendation="fund", submit=True
        )
    assignment = ReviewAssignment.objects.get(reviewer=reviewer)
    assert assignment.status == A.ACCEPTED and not Score.objects.exists()


def test_a_review_is_saved_as_a_draft_then_sent_once(english):
    case = bring_to(S.UNDER_REVIEW)
    reviewer = cleared(case)
    app = case.application
    relevance, budget = app.call.criteria.order_by("order")
    with pytest.raises(ValidationError, match="Choose a recommendation"):
        assessment.review_save(actor=reviewer, application=app, scores={}, recommendation="maybe")
    draft = assessment.review_save(
        actor=reviewer,
        application=app,
        scores={str(relevance.pk): "4"},
        comments={relevance.pk: "Clear need"},
        comment="Good so far",
    )
    assert draft.status == A.ACCEPTED and draft.weighted_score is None
    assert Score.objects.get(criterion=relevance).comment == "Clear need"
    with pytest.raises(ValidationError) as refused:
        assessment.review_save(actor=reviewer, application=app, scores={relevance.pk: 4}, submit=True)
    assert any("Budget" in m for m in refused.value.messages)
    assert any("recommendation" in m for m in refused.value.messages)
    sent = assessment.review_save(
        actor=reviewer,
        application=app,
        scores={relevance.pk: 4, budget.pk: 2},
        recommendation="fund",
        submit=True,
    )
    # (2×4/5 + 1×2/5) / 3 × 100 = 66.67
    assert sent.status == A.SUBMITTED and sent.weighted_score == Decimal("66.67") and sent.submitted_at
    with pytest.raises(ValidationError, match="already submitted"):
        assessment.review_save(
            actor=reviewer,
            application=app,
            scores={relevance.pk: 5, budget.pk: 5},
            recommendation="fund",
            submit=True,
        )
    assert ReviewAssignment.objects.get(pk=sent.pk).weighted_score == Decimal("66.67")


def test_average_counts_submitted_reviews_only():
    case = bring_to(S.UNDER_REVIEW)
    app = case.application
    first, second, drafting, conflicted = pool_member(), pool_member(), pool_member(), pool_member()
    for reviewer in (first, second, drafting):
        cleared(case, reviewer)
    assessment.reviewers_assign(actor=case.staff, application=app, reviewers=[conflicted])
    assessment.conflict_declare(actor=conflicted, application=app, has_conflict=True, note="Board member")
    assessment.review_save(
        actor=first, application=app, scores=scores_of(app, 4, 4), recommendation="fund", submit=True
    )
    assessment.review_save(
        actor=drafting, application=app, scores=scores_of(app, 0, 0), recommendation="do_not_fund"
    )
    app = case.refresh()
    assert (app.average_score, app.reviews_done, app.reviews_assigned) == (Decimal("80.00"), 1, 3)
    assessment.review_save(
        actor=second,
        application=app,
        scores=scores_of(app, 5, 0),
        recommendation="fund_with_changes",
        submit=True,
    )
    app = case.refresh()
    # (80 + 66.67) / 2 = 73.335 → 73.34
    assert (app.average_score, app.reviews_done, app.reviews_assigned) == (Decimal("73.34"), 2, 3)


def test_reviewers_score_only_what_they_are_assigned_to():
    case = bring_to(S.UNDER_REVIEW)
    other = bring_to(S.UNDER_REVIEW)
    reviewer = cleared(case)
    for person in (reviewer, case.applicant, UserFactory()):
        with pytest.raises(PermissionDenied):
            assessment.review_save(
                actor=person,
                application=other.application,
                scores=scores_of(other.application, 3, 3),
                submit=True,
                recommendation="fund",
            )
    assert not Score.objects.exists()


def test_no_review_once_the_application_left_assessment(english):
    case = bring_to(S.UNDER_REVIEW)
    reviewer = cleared(case)
    assessment.application_request_changes(actor=case.staff, application=case.application, note="More")
    app = case.refresh()
    with pytest.raises(ValidationError, match="no longer under review"):
        assessment.review_save(
            actor=reviewer, application=app, scores=scores_of(app, 3, 3), recommendation="fund", submit=True
        )


# --- decisions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title_field"), [("sq", "title_sq"), ("sr-latn", "title_sr"), ("en", "title_en")]
)
def test_approve_creates_the_grant_and_tells_the_applicant(
    language, title_field, django_capture_on_commit_callbacks
):
    case = bring_to(S.UNDER_REVIEW, applicant=UserFactory(preferred_language=language))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_decide(
            actor=case.staff,
            application=case.application,
            decision="approve",
            amount="4000.004",
            note="Report monthly",
        )
    app = case.refresh()
    assert app.status == S.APPROVED and app.decided_by == case.staff and app.decision_note == "Report monthly"
    grant = Grant.objects.get(application=app)
    assert (
        grant.amount == Decimal("4000.00")
        and grant.call == case.call
        and grant.conditions == "Report monthly"
    )
    assert committed_total(case.call) == Decimal("4000.00")
    [email] = mail.outbox
    assert getattr(case.call, title_field) in email.body and app.reference in email.body
    assert "Report monthly" in email.body


@pytest.mark.parametrize(
    "amount",
    [
        None,
        "",
        "abc",
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "-100",
        "0",
        "0.004",
        [1],
        {"a": 1},
        "4500.01",
    ],
)
def test_tampered_amounts_are_refused(amount):
    case = bring_to(S.UNDER_REVIEW)
    before = footprint(case.application)
    with pytest.raises(ValidationError) as refused:
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="approve", amount=amount
        )
    assert "amount" in refused.value.message_dict
    assert footprint(case.application) == before and not Grant.objects.exists()


def test_approval_within_the_calls_maximum(english):
    case = bring_to(S.UNDER_REVIEW)  # 4,500 requested
    case.call.max_amount = Decimal("4000")
    case.call.save()
    with pytest.raises(ValidationError, match=r"maximum per grant is €4,000\.00"):
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="approve", amount="4000.01"
        )
    assessment.application_decide(
        actor=case.staff, application=case.application, decision="approve", amount="4000"
    )
    assert case.refresh().status == S.APPROVED


def test_approvals_never_exceed_the_calls_budget(english):
    call = CallFactory(with_form=True, total_budget=Decimal("6000"), max_amount=Decimal("5000"))
    first = bring_to(S.UNDER_REVIEW, call=call)
    second = bring_to(S.UNDER_REVIEW, call=call)
    third = bring_to(S.UNDER_REVIEW, call=call)
    assessment.application_decide(
        actor=first.staff, application=first.application, decision="approve", amount="4000"
    )
    before = footprint(second.application)
    with pytest.raises(ValidationError, match=r"€2,000\.00 of €6,000\.00 is left") as refused:
        assessment.application_decide(
            actor=second.staff, application=second.application, decision="approve", amount="2000.01"
        )
    assert refused.value.error_dict["amount"][0].code == "over_budget"
    assert footprint(second.application) == before
    # Exactly what is left passes; then nothing is left.
    assessment.application_decide(
        actor=second.staff, application=second.application, decision="approve", amount="2000"
    )
    assert committed_total(call) == call.total_budget
    with pytest.raises(ValidationError, match=r" €0\.00 of €6,000\.00 is left"):
        assessment.application_decide(
            actor=third.staff, application=third.application, decision="approve", amount="1000"
        )
    assert third.refresh().status == S.UNDER_REVIEW


def test_a_second_approval_of_the_same_application_is_refused():
    case = bring_to(S.UNDER_REVIEW)
    assessment.application_decide(
        actor=case.staff, application=case.application, decision="approve", amount="4000"
    )
    before = footprint(case.application)
    with pytest.raises(ValidationError) as refused:
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="approve", amount="4000"
        )
    assert refused.value.code == "transition_not_allowed"
    assert footprint(case.application) == before and Grant.objects.count() == 1


def test_reject_needs_a_reason_and_emails_it(django_capture_on_commit_callbacks, english):
    case = bring_to(S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="reject", note=""
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="reject", note="Score below the line"
        )
    app = case.refresh()
    assert app.status == S.REJECTED and app.decision_note == "Score below the line" and app.decided_at
    [email] = mail.outbox
    sorry = t(
        "We are sorry: your application %(ref)s to the call “%(call)s” was not successful.", ref="X", call="Y"
    )
    assert sorry.split("X")[0] in email.body and "Score below the line" in email.body
    assert not Grant.objects.exists()


def test_invite_turns_a_concept_into_a_full_proposal(django_capture_on_commit_callbacks, english):
    case = bring_to(S.UNDER_REVIEW, two_stage=True)
    app = case.application
    reviewer = cleared(case)
    assessment.review_save(
        actor=reviewer, application=app, scores=scores_of(app, 5, 5), recommendation="fund", submit=True
    )
    assert case.refresh().average_score == Decimal("100.00")
    with pytest.raises(ValidationError, match="not approved"):
        assessment.application_decide(actor=case.staff, application=app, decision="approve", amount="1000")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_decide(actor=case.staff, application=app, decision="invite", note="Welcome")
    app = case.refresh()
    assert (app.status, app.stage, app.eligibility) == (S.INVITED, Stage.FULL, Eligibility.PENDING)
    assert (app.average_score, app.reviews_done, app.reviews_assigned) == (None, 0, 0)
    assert app.deadline == case.call.full_proposal_closes_at
    [email] = mail.outbox
    assert "Welcome" in email.body
    # The concept's reviewer does not see the full proposal.
    assert not UserFactory._meta.model.objects.get(pk=reviewer.pk).has_perm("grants.view_application", app)


def test_invite_needs_a_future_full_proposal_deadline(english):
    case = bring_to(S.UNDER_REVIEW, two_stage=True)
    for deadline in (None, timezone.now()):
        case.call.full_proposal_closes_at = deadline
        case.call.save()
        before = footprint(case.application)
        with pytest.raises(ValidationError, match="future deadline"):
            assessment.application_decide(actor=case.staff, application=case.application, decision="invite")
        assert footprint(case.application) == before


def test_decide_can_ask_for_changes_and_refuses_unknown_decisions():
    case = bring_to(S.UNDER_REVIEW)
    before = footprint(case.application)
    for decision in ("maybe", "", None, "APPROVE"):
        with pytest.raises(ValidationError):
            assessment.application_decide(
                actor=case.staff, application=case.application, decision=decision, note="x"
            )
    assert footprint(case.application) == before
    assessment.application_decide(
        actor=case.staff, application=case.application, decision="changes", note="Fix the plan"
    )
    assert case.refresh().status == S.CHANGES_REQUESTED


def test_emails_go_to_the_organisations_editors_each_in_their_language(django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language="en")
    organization = verified_cso(editor=owner)
    editor = member_of(organization, Membership.Role.EDITOR)
    editor.preferred_language = "sr-latn"
    editor.save()
    member_of(organization, Membership.Role.VIEWER)
    case = bring_to(
        S.UNDER_REVIEW, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    EmailOutbox.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment.application_decide(
            actor=case.staff, application=case.application, decision="reject", note="No"
        )
    by_address = {email.to[0]: email for email in mail.outbox}
    assert set(by_address) == {owner.email, editor.email}
    assert case.call.title_en in by_address[owner.email].body
    assert case.call.title_sr in by_address[editor.email].body
