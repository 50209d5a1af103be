"""Starting an application: every way to apply with its verdict, and the refusals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.choices import ApplicantType, ApplicationStatus
from grants.models import Application
from organizations.models import Membership
from tests.factories import OrganizationFactory, UserFactory, member_of
from tests.grants.factories import ApplicationFactory, CallFactory, verified_cso
from tests.helpers import t

pytestmark = pytest.mark.django_db


def url(call):
    return reverse("grants:apply", kwargs={"slug": call.slug})


def test_anonymous_goes_to_login_with_next(client):
    call = CallFactory()
    response = client.get(url(call))
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]


def test_get_lists_every_way_with_verdicts(client):
    user = UserFactory()
    good = verified_cso(editor=user, name="Good CSO")
    pending = OrganizationFactory(name="Pending CSO")
    Membership.objects.create(organization=pending, user=user, role=Membership.Role.EDITOR)
    call = CallFactory(allow_individuals=False)
    client.force_login(user)
    response = client.get(url(call))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Good CSO" in body and "Pending CSO" in body
    assert t("The organisation must be verified by KCSF before it applies.") in body
    assert 'value="individual"' in body and "disabled" in body  # shown, not allowed
    rows = {r["value"]: r for r in response.context["options"]}
    assert rows["individual"]["allowed"] is False
    assert rows["group"]["allowed"] is True
    assert rows[f"org-{good.pk}"]["allowed"] is True
    assert rows[f"org-{pending.pk}"]["allowed"] is False


def test_start_as_individual(client):
    user = UserFactory()
    call = CallFactory()
    client.force_login(user)
    response = client.post(url(call), {"option": "individual"})
    application = Application.objects.get(call=call, applicant=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_edit", kwargs={"pk": application.pk})
    assert application.applicant_type == ApplicantType.INDIVIDUAL
    assert application.status == ApplicationStatus.DRAFT


def test_start_as_group_needs_a_name(client):
    user = UserFactory()
    call = CallFactory()
    client.force_login(user)
    response = client.post(url(call), {"option": "group", "group_name": "  "})
    assert response.status_code == 400
    assert t("Give the name of your group.") in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(url(call), {"option": "group", "group_name": "River friends"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_type == ApplicantType.GROUP and application.group_name == "River friends"


def test_start_for_organisation(client):
    user = UserFactory()
    org = verified_cso(editor=user)
    call = CallFactory()
    client.force_login(user)
    response = client.post(url(call), {"option": f"org-{org.pk}"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.organization == org and application.applicant_type == ApplicantType.ORGANIZATION


def test_type_not_allowed(client):
    user = UserFactory()
    call = CallFactory(allow_individuals=False, allow_groups=False)
    client.force_login(user)
    response = client.post(url(call), {"option": "individual"})
    assert response.status_code == 400
    assert not Application.objects.exists()
    assert t("Registered CSO") in response.content.decode()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "opens_at": timezone.now() - timedelta(days=30),
                "closes_at": timezone.now() - timedelta(days=1),
            },
            "The deadline of this call has passed.",
        ),
        (
            {
                "opens_at": timezone.now() + timedelta(days=3),
                "closes_at": timezone.now() + timedelta(days=30),
            },
            "This call is not open yet.",
        ),
        ({"is_published": False}, "This call is not published."),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_closed_upcoming_unpublished_calls(client, kwargs, message, method):
    call = CallFactory(**kwargs)
    client.force_login(UserFactory())
    response = getattr(client, method)(url(call), {"option": "individual"} if method == "post" else None)
    assert response.status_code == 400
    assert t(message) in response.content.decode()
    assert not Application.objects.exists()


def test_unverified_and_non_editor_organisations_refused(client):
    user = UserFactory()
    unverified = OrganizationFactory()
    Membership.objects.create(organization=unverified, user=user, role=Membership.Role.OWNER)
    other = verified_cso()
    member_of(other, Membership.Role.VIEWER)
    Membership.objects.create(organization=other, user=user, role=Membership.Role.VIEWER)
    call = CallFactory()
    client.force_login(user)
    response = client.post(url(call), {"option": f"org-{unverified.pk}"})
    assert response.status_code == 400
    assert t("The organisation must be verified by KCSF before it applies.") in response.content.decode()
    # A viewer is not offered the organisation; a forged option is refused.
    response = client.post(url(call), {"option": f"org-{other.pk}"})
    assert response.status_code == 400
    assert t("Choose how you apply.") in response.content.decode()
    assert not Application.objects.exists()


def test_duplicate_start_refused_with_link(client):
    user = UserFactory()
    call = CallFactory()
    existing = ApplicationFactory(call=call, applicant=user)
    client.force_login(user)
    response = client.post(url(call), {"option": "individual"})
    assert response.status_code == 400
    body = response.content.decode()
    assert t("There is already an application to this call for this applicant.") in body
    assert reverse("grants:application_edit", kwargs={"pk": existing.pk}) in body
    assert Application.objects.count() == 1


@pytest.mark.parametrize("payload", [{}, {"option": "x" * 500}, {"option": "org-999999999999999999999"}])
def test_malformed_posts(client, payload):
    client.force_login(UserFactory())
    response = client.post(url(CallFactory()), payload)
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_unknown_call_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("grants:apply", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_renders_in_each_language(client, lang):
    from django.utils import translation

    call = CallFactory()
    client.force_login(UserFactory())
    with translation.override(lang):
        response = client.get(url(call))
        assert response.status_code == 200
        assert f'lang="{lang}"' in response.content.decode()
        assert t("How do you apply?", lang) in response.content.decode()
