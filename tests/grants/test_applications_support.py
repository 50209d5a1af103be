"""Builders shared by the tests of the applicant's pages (test_applications_*.py): an
application in every status, reached through the services, and the roles around it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.choices import ApplicantType, ApplicationStatus, Stage
from grants.services import applications as app_services
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import CallFactory, add_form, complete_draft, submitted_application, verified_cso

S = ApplicationStatus
LOGIN = "login"
ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer_assigned",
    "reviewer_not_assigned",
    "org_editor",
    "org_viewer",
    "staff",
]


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, response.content[:400])


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def draft_application(call=None, applicant=None):
    call = call or CallFactory(with_form=True)
    applicant = applicant or UserFactory()
    return app_services.application_start(actor=applicant, call=call, applicant_type=ApplicantType.INDIVIDUAL)


def two_stage_call():
    call = CallFactory(two_stage=True, full_proposal_closes_at=timezone.now() + timedelta(days=40))
    add_form(call, Stage.CONCEPT)
    add_form(call, Stage.FULL)
    return call


def in_status(status: str, *, staff=None, call=None, applicant=None, **kwargs):
    """An application in `status`, reached through the services."""
    staff = staff or StaffFactory()
    if status == S.DRAFT:
        application = app_services.application_start(
            actor=applicant or UserFactory(),
            call=call or CallFactory(with_form=True),
            applicant_type=kwargs.pop("applicant_type", ApplicantType.INDIVIDUAL),
            **kwargs,
        )
        return complete_draft(application)
    if status == S.INVITED:
        call = call or two_stage_call()
    application = submitted_application(call=call, applicant=applicant, **kwargs)
    if status == S.SUBMITTED:
        return application
    if status == S.WITHDRAWN:
        return app_services.application_withdraw(actor=application.applicant, application=application)
    if status == S.CHANGES_REQUESTED:
        return assessment.application_request_changes(
            actor=staff, application=application, note="Please add the budget of the venue."
        )
    if status == S.INELIGIBLE:
        return assessment.application_screen(
            actor=staff, application=application, eligible=False, reason="The organisation is not registered."
        )
    application = assessment.application_screen(actor=staff, application=application, eligible=True)
    if status == S.UNDER_REVIEW:
        return application
    if status == S.APPROVED:
        return assessment.application_decide(
            actor=staff,
            application=application,
            decision="approve",
            amount="4000",
            note="Send monthly photos.",
        )
    if status == S.REJECTED:
        return assessment.application_decide(
            actor=staff, application=application, decision="reject", note="The plan is too vague."
        )
    if status == S.INVITED:
        return assessment.application_decide(
            actor=staff, application=application, decision="invite", note="Tell us more about the partners."
        )
    raise ValueError(status)


@pytest.fixture(name="cast")
def cast_fixture(db):
    """An organisation's submitted application and everyone around it."""
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    application = submitted_application(
        applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    staff = StaffFactory()
    reviewer = StaffFactory(is_staff=False)
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name="Grant reviewers")
    reviewer.groups.add(group)
    other_reviewer = UserFactory()
    other_reviewer.groups.add(group)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[reviewer])
    application.refresh_from_db()
    return {
        "application": application,
        "organization": organization,
        "anonymous": None,
        "applicant": owner,
        "other_applicant": submitted_application().applicant,
        "reviewer_assigned": reviewer,
        "reviewer_not_assigned": other_reviewer,
        "org_editor": member_of(organization, Membership.Role.EDITOR),
        "org_viewer": member_of(organization, Membership.Role.VIEWER),
        "staff": staff,
    }
