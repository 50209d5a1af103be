"""The academy's admin: every changelist, change and add page opens for KCSF staff, and a
cohort is built there (rubric and curriculum inline); statuses are read-only."""

import pytest
from django.urls import reverse

from academy.models import CommunityProject
from academy.services import running
from tests.academy.factories import make_cohort, participant, reviewer, running_session, scored, submitted
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "cohort",
    "session",
    "cohortapplication",
    "applicationreview",
    "attendance",
    "mentornote",
    "communityproject",
]


@pytest.fixture
def rows():
    staff = StaffFactory()
    cohort = make_cohort(places=3)
    scored(submitted(cohort), staff=staff, person=reviewer())
    member = participant(cohort, staff=staff)
    session = running_session(cohort)
    running.project_start(actor=member.applicant, cohort=cohort, data={"title": "Parku", "issue": "Mungon"})
    return {"cohort": cohort, "member": member, "session": session}


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_open(admin_client, rows, model):
    changelist = admin_client.get(reverse(f"admin:academy_{model}_changelist"))
    assert changelist.status_code == 200
    obj = {
        "cohort": rows["cohort"],
        "session": rows["session"],
        "cohortapplication": rows["member"],
        "applicationreview": rows["cohort"].applications.first().reviews.first(),
        "communityproject": CommunityProject.objects.first(),
    }.get(model)
    if obj is not None:
        assert admin_client.get(reverse(f"admin:academy_{model}_change", args=[obj.pk])).status_code == 200


def test_status_is_read_only_in_the_admin(admin_client, rows):
    page = admin_client.get(reverse("admin:academy_cohort_change", args=[rows["cohort"].pk])).content.decode()
    assert 'name="status"' not in page
    assert admin_client.get(reverse("admin:academy_cohortapplication_add")).status_code == 403
