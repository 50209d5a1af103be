"""The pipeline: a finished community project becomes, in one step, a pre-filled grant
application draft or volunteer opportunity draft (through core.handoffs; grants and
volunteering check their own rules)."""

import pytest
from django.urls import reverse
from django.utils import translation

from academy.services import running
from grants.models import Application
from tests.academy.factories import make_cohort, participant
from tests.grants.factories import CallFactory
from tests.volunteering.factories import VerifiedOrganizationFactory, editor_of
from volunteering.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _project(member, *, finished=True):
    project = running.project_start(
        actor=member.applicant,
        cohort=member.cohort,
        data={"title": "Parku i lagjes", "issue": "Mungon një park.", "plan": "Pastrim."},
    )
    running.project_update(actor=member.applicant, project=project, data={"result": "120 të rinj."})
    if finished:
        project = running.project_finish(actor=member.applicant, project=project)
    return project


def _handoff(client, project, target):
    return client.post(reverse("academy:project_handoff", args=[project.pk, target]))


def test_finished_project_becomes_a_prefilled_grant_draft_in_one_step(client):
    CallFactory(allow_organizations=False, allow_groups=True, allow_individuals=True)
    member = participant(make_cohort())
    project = _project(member)
    client.force_login(member.applicant)
    response = _handoff(client, project, "grant")
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_edit", kwargs={"pk": application.pk})
    assert application.applicant == member.applicant and application.status == "draft"
    assert application.title == "Parku i lagjes" and "120 të rinj." in application.summary
    assert application.municipality_id == member.municipality_id


def test_unfinished_project_is_refused_and_nothing_is_created(client):
    CallFactory(allow_individuals=True)
    member = participant(make_cohort())
    project = _project(member, finished=False)
    client.force_login(member.applicant)
    for target in ("grant", "opportunity"):
        response = _handoff(client, project, target)
        assert response.status_code == 409 and "Only a finished project" in response.content.decode()
    assert not Application.objects.exists() and not Opportunity.objects.exists()


def test_opportunity_needs_an_editor_of_a_verified_organisation(client):
    member = participant(make_cohort())
    project = _project(member)
    client.force_login(member.applicant)
    response = _handoff(client, project, "opportunity")
    assert response.status_code == 400 and "verified by KCSF" in response.content.decode()
    assert not Opportunity.objects.exists()
    organization = VerifiedOrganizationFactory()
    from organizations.models import Membership

    Membership.objects.create(organization=organization, user=member.applicant, role=Membership.Role.EDITOR)
    response = _handoff(client, project, "opportunity")
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/opportunities/{opportunity.pk}/edit/"
    )
    assert opportunity.organization == organization and opportunity.title == "Parku i lagjes"
    assert editor_of  # the volunteering factories build the same membership


def test_no_open_call_a_bad_target_or_someone_else_is_a_clear_4xx(client):
    member = participant(make_cohort())
    project = _project(member)
    client.force_login(member.applicant)
    response = _handoff(client, project, "grant")
    assert response.status_code == 400 and "No grant call open now" in response.content.decode()
    assert _handoff(client, project, "elsewhere").status_code == 400
    client.force_login(participant(make_cohort()).applicant)
    assert _handoff(client, project, "grant").status_code == 404
    assert not Application.objects.exists()
