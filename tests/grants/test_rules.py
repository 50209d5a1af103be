"""Every permission of grants × every role (× the statuses where it matters)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from grants.choices import ApplicantType, ApplicationStatus, AssignmentStatus, Stage
from grants.models import Grant, ReviewAssignment
from grants.rules import forget_assignments
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import ApplicationFactory, CallFactory, verified_cso

pytestmark = pytest.mark.django_db

S = ApplicationStatus
A = AssignmentStatus
EDITABLE = {S.DRAFT, S.CHANGES_REQUESTED, S.INVITED}

ROLES = [
    "anonymous",
    "another applicant",
    "owner",
    "editor",
    "viewer",
    "reviewer assigned",
    "reviewer cleared",
    "reviewer submitted",
    "reviewer conflicted",
    "reviewer not assigned",
    "staff",
    "inactive staff",
]
APPLICANT_SIDE = {"owner", "editor"}
READERS = {"owner", "editor", "viewer"}
CLEARED = {"reviewer cleared", "reviewer submitted"}
STAFF = {"staff"}

# permission → the roles that hold it on an organisation's application (any status)
EXPECTED = {
    "grants.view_application": READERS | STAFF | CLEARED,
    "grants.view_application_private": READERS | STAFF,
    "grants.submit_application": APPLICANT_SIDE,
    "grants.withdraw_application": APPLICANT_SIDE,
    "grants.message_application": APPLICANT_SIDE | STAFF,
    "grants.screen_application": STAFF,
    "grants.assign_reviewers": STAFF,
    "grants.request_changes": STAFF,
    "grants.decide_application": STAFF,
    "grants.view_all_reviews": STAFF,
    "grants.declare_conflict": {"reviewer assigned"},
    "grants.review_application": CLEARED,
}


def pool_member(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    return user


def org_application(status, stage=Stage.FULL):
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    application = ApplicationFactory(
        applicant=owner,
        applicant_type=ApplicantType.ORGANIZATION,
        organization=organization,
        status=status,
        stage=stage,
        reference=None
        if status == S.DRAFT
        else f"CEA-2026-{ApplicationFactory._meta.model.objects.count() + 1:04d}",
    )
    people = {
        "anonymous": AnonymousUser(),
        "another applicant": UserFactory(),
        "owner": owner,
        "editor": member_of(organization, Membership.Role.EDITOR),
        "viewer": member_of(organization, Membership.Role.VIEWER),
        "reviewer not assigned": pool_member(),
        "staff": StaffFactory(),
        "inactive staff": StaffFactory(is_active=False),
    }
    for role, status_ in (
        ("reviewer assigned", A.ASSIGNED),
        ("reviewer cleared", A.ACCEPTED),
        ("reviewer submitted", A.SUBMITTED),
        ("reviewer conflicted", A.CONFLICTED),
    ):
        reviewer = pool_member()
        ReviewAssignment.objects.create(
            application=application,
            stage=stage,
            reviewer=reviewer,
            status=status_,
            submitted_at=timezone.now() if status_ == A.SUBMITTED else None,
            weighted_score=Decimal("70") if status_ == A.SUBMITTED else None,
        )
        people[role] = reviewer
    return application, people


@pytest.mark.parametrize("status", list(S))
def test_permissions_on_an_organisations_application(status):
    application, people = org_application(status)
    expected = {**EXPECTED, "grants.edit_application": APPLICANT_SIDE if status in EDITABLE else set()}
    for perm, holders in expected.items():
        for role in ROLES:
            assert people[role].has_perm(perm, application) is (role in holders), (perm, role, status)


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED])
def test_permissions_on_an_individuals_application(status):
    applicant = UserFactory()
    application = ApplicationFactory(
        applicant=applicant, status=status, reference=None if status == S.DRAFT else f"CEA-2026-9{status[:3]}"
    )
    stranger, staff = UserFactory(), StaffFactory()
    for perm in (
        "grants.view_application",
        "grants.view_application_private",
        "grants.submit_application",
        "grants.withdraw_application",
        "grants.message_application",
    ):
        assert applicant.has_perm(perm, application)
        assert not stranger.has_perm(perm, application)
    assert applicant.has_perm("grants.edit_application", application) is (status in EDITABLE)
    assert not stranger.has_perm("grants.edit_application", application)
    assert not staff.has_perm("grants.edit_application", application)
    assert not applicant.has_perm("grants.screen_application", application)
    assert staff.has_perm("grants.view_application", application)


def test_a_former_editor_reads_but_no_longer_acts():
    application, people = org_application(S.SUBMITTED)
    owner = people["owner"]
    Membership.objects.filter(user=owner).update(role=Membership.Role.VIEWER)
    owner = UserFactory._meta.model.objects.get(pk=owner.pk)  # a new request: no cached role
    assert owner.has_perm("grants.view_application", application)
    assert not owner.has_perm("grants.submit_application", application)
    assert not owner.has_perm("grants.withdraw_application", application)
    Membership.objects.filter(user=owner).delete()
    owner = UserFactory._meta.model.objects.get(pk=owner.pk)
    assert owner.has_perm("grants.view_application", application)  # they started it
    assert not owner.has_perm("grants.message_application", application)


def test_reviewers_see_only_the_stage_they_were_assigned_to():
    application, people = org_application(S.UNDER_REVIEW, stage=Stage.CONCEPT)
    reviewer = people["reviewer cleared"]
    assert reviewer.has_perm("grants.review_application", application)
    application.stage = Stage.FULL  # invited: a new stage, new reviewers
    application.save()
    assert not reviewer.has_perm("grants.view_application", application)
    assert not reviewer.has_perm("grants.review_application", application)


def test_the_assignment_cache_is_forgotten_on_request():
    application, people = org_application(S.UNDER_REVIEW)
    reviewer = people["reviewer assigned"]
    assert not reviewer.has_perm("grants.view_application", application)
    ReviewAssignment.objects.filter(reviewer=reviewer).update(status=A.ACCEPTED)
    assert not reviewer.has_perm("grants.view_application", application)  # cached for this request
    forget_assignments(reviewer, None, AnonymousUser())
    assert reviewer.has_perm("grants.view_application", application)


def test_permissions_on_calls_and_the_reviewer_pool():
    call = CallFactory()
    anonymous, citizen, staff = AnonymousUser(), UserFactory(), StaffFactory()
    expert, former = pool_member(), pool_member(is_active=False)
    assert not anonymous.has_perm("grants.apply_to_call", call)
    assert citizen.has_perm("grants.apply_to_call", call) and staff.has_perm("grants.apply_to_call", call)
    assert staff.has_perm("grants.manage_call", call)
    for person in (anonymous, citizen, expert, StaffFactory(is_active=False)):
        assert not person.has_perm("grants.manage_call", call)
    assert expert.has_perm("grants.act_as_reviewer") and staff.has_perm("grants.act_as_reviewer")
    for person in (anonymous, citizen, former, StaffFactory(is_active=False)):
        assert not person.has_perm("grants.act_as_reviewer")


def test_permissions_on_a_grant():
    application, people = org_application(S.APPROVED)
    grant = Grant.objects.create(application=application, call=application.call, amount=Decimal("1000"))
    expected = {
        "grants.view_grant": READERS | STAFF,
        "grants.submit_grant_report": APPLICANT_SIDE,
        "grants.manage_grant": STAFF,
    }
    for perm, holders in expected.items():
        for role in ROLES:
            assert people[role].has_perm(perm, grant) is (role in holders), (perm, role)


def test_no_permission_without_an_object():
    staff, citizen = StaffFactory(), UserFactory()
    for perm in ("grants.view_application", "grants.edit_application", "grants.submit_application"):
        assert not citizen.has_perm(perm, None)
    assert not citizen.has_perm("grants.declare_conflict", None)
    assert staff.has_perm("grants.screen_application", None)  # staff-wide, e.g. the list pages
