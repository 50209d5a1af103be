"""An informal group of the registry applies as an informal group (issue 13, item 6): no
"only registered CSOs" dead end, no typing the group again; its members are pre-filled."""

import pytest
from django.urls import reverse

from grants.choices import ApplicantType
from grants.models import Application
from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, UserFactory, member_of
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db


def url(call):
    return reverse("grants:apply", kwargs={"slug": call.slug})


@pytest.fixture
def group():
    owner = UserFactory(full_name="Ana Berisha")
    organization = OrganizationFactory(
        name="Friends of the river", kind=Organization.Kind.INFORMAL_GROUP, registration_number=""
    )
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    member_of(organization, Membership.Role.VIEWER)
    organization.owner = owner
    return organization


def test_the_group_is_offered_as_an_informal_group(client, group):
    call = CallFactory()
    client.force_login(group.owner)
    response = client.get(url(call))
    assert response.status_code == 200
    rows = {row["value"]: row for row in response.context["options"]}
    row = rows[f"group-{group.pk}"]
    assert row["allowed"] and row["kind"] == ApplicantType.GROUP
    assert f"org-{group.pk}" not in rows  # not as an organisation: only registered CSOs may
    assert "Only registered CSOs" not in response.content.decode()


def test_starting_as_the_group_names_it_and_fills_in_its_members(client, group):
    call = CallFactory()
    client.force_login(group.owner)
    response = client.post(url(call), {"option": f"group-{group.pk}"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_type == ApplicantType.GROUP and application.organization is None
    assert application.group_name == "Friends of the river"
    members = list(application.group_members.order_by("order"))
    assert len(members) == 2 and members[0].name == "Ana Berisha" and members[0].email == group.owner.email
    # The group section of the editor shows them.
    page = client.get(
        reverse("grants:application_section", kwargs={"pk": application.pk, "section": "group"})
    )
    assert "Ana Berisha" in page.content.decode()
    # One group application per person and call, however it was started.
    again = client.get(url(call))
    assert not {r["value"]: r for r in again.context["options"]}[f"group-{group.pk}"]["allowed"]


def test_a_viewer_of_the_group_cannot_apply_for_it(client, group):
    viewer = Membership.objects.get(organization=group, role=Membership.Role.VIEWER).user
    call = CallFactory()
    client.force_login(viewer)
    assert f"group-{group.pk}" not in {r["value"] for r in client.get(url(call)).context["options"]}
    response = client.post(url(call), {"option": f"group-{group.pk}"})
    assert response.status_code == 400 and not Application.objects.exists()


def test_a_call_without_groups_refuses_the_group(client, group):
    call = CallFactory(allow_groups=False)
    client.force_login(group.owner)
    rows = {r["value"]: r for r in client.get(url(call)).context["options"]}
    assert not rows[f"group-{group.pk}"]["allowed"]
