"""Builders shared by the staff, review and export tests (no tests here): a call with two
sent applications, every role of the permission matrix, and reviewers."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from grants.choices import ApplicantType
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import CallFactory, submitted_application, verified_cso

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer_assigned",
    "reviewer_not_assigned",
    "org_editor",
    "staff",
]
LOGIN = "login"


def reviewer(**kwargs):
    """A person in the pool of reviewers (the "Grant reviewers" group), not staff."""
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name="Grant reviewers")
    user.groups.add(group)
    return user


def build_world(*, cleared=True):
    """A call; an organisation's application (sent by its owner, screened eligible, one
    reviewer assigned who declared no conflict when `cleared`); another person's application."""
    call = CallFactory(with_form=True)
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    org_editor = member_of(organization, Membership.Role.EDITOR)
    application = submitted_application(
        call=call, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    application.title = "Clean river of the organisation"
    application.save(update_fields=["title"])
    revision = application.revisions.get()
    revision.snapshot["title"] = application.title
    revision.save(update_fields=["snapshot"])
    other_applicant = UserFactory()
    other_application = submitted_application(call=call, applicant=other_applicant)
    staff = StaffFactory()
    assessment.application_screen(actor=staff, application=application, eligible=True)
    reviewer_assigned, reviewer_not_assigned = reviewer(), reviewer()
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[reviewer_assigned])
    if cleared:
        assessment.conflict_declare(actor=reviewer_assigned, application=application, has_conflict=False)
    application.refresh_from_db()
    return SimpleNamespace(
        call=call,
        organization=organization,
        application=application,
        other_application=other_application,
        users={
            "anonymous": None,
            "applicant": owner,
            "other_applicant": other_applicant,
            "reviewer_assigned": reviewer_assigned,
            "reviewer_not_assigned": reviewer_not_assigned,
            "org_editor": org_editor,
            "staff": staff,
        },
    )


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, response.content[:500])


def matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))
