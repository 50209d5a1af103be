"""The application's state machine: the table, every move through its service, every
refused move through the service (nothing changes), and the buttons per role."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from core.models import StatusChange
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, Stage
from grants.services import applications as app_services
from grants.services import assessment
from grants.workflow import TRANSITIONS, TransitionNotAllowed, available_transitions, check_transition
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import complete_draft, verified_cso
from tests.grants.states import AMOUNT, bring_to, footprint

pytestmark = pytest.mark.django_db

S = ApplicationStatus
ALL = list(S)
ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
REFUSED = [pair for pair in itertools.product(ALL, ALL) if pair not in ALLOWED]


# --- the table ------------------------------------------------------------------------------


def test_the_table_names_every_status_and_only_known_permissions():
    assert set(TRANSITIONS) == set(ALL)
    for targets in TRANSITIONS.values():
        assert set(targets) <= set(ALL)
        assert all(perm.startswith("grants.") for perm in targets.values())
    # Final statuses have no way out; nothing leads back to a draft.
    for final in (S.INELIGIBLE, S.APPROVED, S.REJECTED, S.WITHDRAWN):
        assert TRANSITIONS[final] == {}
    assert not any(S.DRAFT in targets for targets in TRANSITIONS.values())


@pytest.mark.parametrize(("current", "target"), list(itertools.product(ALL, ALL)))
def test_check_transition_allows_exactly_the_table(current, target):
    if (current, target) in ALLOWED:
        assert check_transition(current, target) == TRANSITIONS[current][target]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            check_transition(current, target)
        assert refused.value.code == "transition_not_allowed"
        assert isinstance(refused.value, ValidationError)


@pytest.mark.parametrize(
    ("current", "target"), [("bogus", S.SUBMITTED), (S.DRAFT, "bogus"), (S.DRAFT, ["x"])]
)
def test_check_transition_refuses_tampered_statuses(current, target):
    with pytest.raises(TransitionNotAllowed):
        check_transition(current, target)


# --- every allowed move, through its service ------------------------------------------------


def perform(case, target):
    """Make the move to `target` with the service a person would use for it."""
    app, applicant, staff = case.application, case.applicant, case.staff
    if target == S.SUBMITTED or (target == S.UNDER_REVIEW and app.status == S.CHANGES_REQUESTED):
        return app_services.application_submit(actor=applicant, application=app)
    if target == S.UNDER_REVIEW:
        return assessment.application_screen(actor=staff, application=app, eligible=True)
    if target == S.INELIGIBLE:
        return assessment.application_screen(actor=staff, application=app, eligible=False, reason="No")
    if target == S.CHANGES_REQUESTED:
        return assessment.application_request_changes(actor=staff, application=app, note="More please")
    if target == S.INVITED:
        return assessment.application_decide(actor=staff, application=app, decision="invite", note="Go on")
    if target == S.APPROVED:
        return assessment.application_decide(actor=staff, application=app, decision="approve", amount=AMOUNT)
    if target == S.REJECTED:
        return assessment.application_decide(actor=staff, application=app, decision="reject", note="No")
    if target == S.WITHDRAWN:
        return app_services.application_withdraw(actor=applicant, application=app, reason="Plans changed")
    raise AssertionError(f"no service moves an application to {target}")


def source_case(source, target):
    if source == S.CHANGES_REQUESTED and target == S.UNDER_REVIEW:
        # Asked for more information after screening: the resubmission skips screening.
        case = bring_to(S.UNDER_REVIEW)
        assessment.application_request_changes(actor=case.staff, application=case.application, note="CV")
        case.refresh()
        return case
    if source == S.UNDER_REVIEW and target == S.INVITED:
        return bring_to(S.UNDER_REVIEW, two_stage=True)
    case = bring_to(source)
    if source == S.INVITED and target == S.SUBMITTED:
        complete_draft(case.application, case.applicant)  # the full proposal's own questions
    return case


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_move_through_its_service(source, target):
    case = source_case(source, target)
    assert case.application.status == source
    before = StatusChange.objects.filter(application=case.application).count()

    perform(case, target)

    app = case.refresh()
    assert app.status == target
    changes = list(StatusChange.objects.filter(application=app))
    assert len(changes) == before + 1
    last = changes[-1]
    assert (last.from_status, last.to_status) == (source, target)
    expected_actor = (
        case.applicant
        if target in (S.SUBMITTED, S.WITHDRAWN) or source == S.CHANGES_REQUESTED
        else case.staff
    )
    assert last.actor == expected_actor
    if target == S.APPROVED:
        assert app.grant.amount == AMOUNT
    if target == S.INVITED:
        assert app.stage == Stage.FULL and app.eligibility == Eligibility.PENDING
    if source == S.INVITED and target == S.SUBMITTED:
        assert app.revisions.count() == 2 and app.revisions.last().stage == Stage.FULL
    if source == S.CHANGES_REQUESTED and target != S.WITHDRAWN:
        assert app.revisions.count() == 2


def test_resubmission_goes_to_review_only_when_already_eligible():
    pending = bring_to(S.CHANGES_REQUESTED)  # asked before screening
    app_services.application_submit(actor=pending.applicant, application=pending.application)
    assert pending.refresh().status == S.SUBMITTED

    eligible = source_case(S.CHANGES_REQUESTED, S.UNDER_REVIEW)
    assert eligible.application.eligibility == Eligibility.ELIGIBLE
    app_services.application_submit(actor=eligible.applicant, application=eligible.application)
    assert eligible.refresh().status == S.UNDER_REVIEW


# --- every refused move, through the service: refused and nothing changed --------------------

SOURCES = [(status, False) for status in ALL if status != S.INVITED] + [
    (status, True) for status in ALL if status != S.APPROVED
]


@pytest.mark.parametrize(("source", "two_stage"), SOURCES)
def test_refused_moves_change_nothing(source, two_stage):
    case = bring_to(source, two_stage=two_stage)
    targets = [t for t in ALL if t != S.DRAFT and (source, t) not in ALLOWED]
    assert targets
    for target in targets:
        before = footprint(case.application)
        with pytest.raises(ValidationError):
            perform(case, target)
        assert footprint(case.application) == before, (source, target)


def test_stage_rules_refuse_approving_a_concept_and_inviting_a_full_proposal():
    concept = bring_to(S.UNDER_REVIEW, two_stage=True)
    before = footprint(concept.application)
    with pytest.raises(ValidationError):
        perform(concept, S.APPROVED)
    assert footprint(concept.application) == before

    full = bring_to(S.UNDER_REVIEW)
    before = footprint(full.application)
    with pytest.raises(ValidationError):
        perform(full, S.INVITED)
    assert footprint(full.application) == before


# --- the buttons each person sees ---------------------------------------------------------

APPLICANT_MOVES = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.WITHDRAWN},
    S.UNDER_REVIEW: {S.WITHDRAWN},
    S.CHANGES_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
    S.INVITED: {S.SUBMITTED, S.WITHDRAWN},
}
STAFF_MOVES = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.INELIGIBLE, S.CHANGES_REQUESTED},
    S.UNDER_REVIEW: {S.APPROVED, S.REJECTED, S.CHANGES_REQUESTED},
}
STAFF_MOVES_CONCEPT = {**STAFF_MOVES, S.UNDER_REVIEW: {S.INVITED, S.REJECTED, S.CHANGES_REQUESTED}}


def moves(user, application):
    targets = [target for target, _label in available_transitions(user, application)]
    assert len(targets) == len(set(targets))
    return set(targets)


@pytest.mark.parametrize(
    ("status", "two_stage"), [(status, False) for status in ALL] + [(S.UNDER_REVIEW, True), (S.INVITED, True)]
)
def test_available_transitions_per_role(status, two_stage):
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    case = bring_to(
        status,
        two_stage=two_stage,
        applicant=owner,
        applicant_type=ApplicantType.ORGANIZATION,
        organization=organization,
    )
    app = case.application
    editor = member_of(organization, Membership.Role.EDITOR)
    viewer = member_of(organization, Membership.Role.VIEWER)
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    if app.status in (S.SUBMITTED, S.UNDER_REVIEW):
        assessment.reviewers_assign(actor=case.staff, application=app, reviewers=[reviewer])
        assessment.conflict_declare(actor=reviewer, application=app, has_conflict=False)
    inactive_staff = StaffFactory(is_active=False)

    applicant_side = APPLICANT_MOVES.get(status, set())
    staff_side = (STAFF_MOVES_CONCEPT if app.stage == Stage.CONCEPT else STAFF_MOVES).get(status, set())
    assert moves(owner, app) == applicant_side
    assert moves(editor, app) == applicant_side
    assert moves(viewer, app) == set()
    assert moves(UserFactory(), app) == set()
    assert moves(reviewer, app) == set()
    assert moves(case.staff, app) == staff_side
    assert moves(inactive_staff, app) == set()


def test_available_transitions_of_an_individual_application():
    case = bring_to(S.CHANGES_REQUESTED)
    assert moves(case.applicant, case.application) == {S.SUBMITTED, S.WITHDRAWN}
    labels = dict(available_transitions(case.applicant, case.application))
    assert labels[S.SUBMITTED] and labels[S.WITHDRAWN]
    assert moves(case.staff, case.application) == set()
