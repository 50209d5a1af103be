"""The application's page: who sees what (public labels for the applicant's side, internal
labels and actors for staff), the decision, the timeline, and the permission matrix."""

import pytest
from django.urls import reverse
from django.utils import translation

from grants.choices import PUBLIC_LABELS, ApplicationStatus
from grants.services import assessment
from tests.factories import UserFactory
from tests.grants.test_applications_support import (  # noqa: F401  (cast_fixture: the `cast` fixture)
    LOGIN,
    ROLES,
    cast_fixture,
    check,
    draft_application,
    in_status,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _url(application, lang="en"):
    with translation.override(lang):
        return reverse("grants:application_detail", kwargs={"pk": application.pk})


@pytest.mark.parametrize(
    "role,expected",
    {
        "anonymous": LOGIN,
        "applicant": 200,
        "other_applicant": 404,
        "reviewer_assigned": 302,
        "reviewer_not_assigned": 404,
        "org_editor": 200,
        "org_viewer": 200,
        "staff": 200,
    }.items(),
)
def test_detail_matrix(client, cast, role, expected):
    assert set(ROLES) >= {role}
    application = cast["application"]
    response = login(client, cast[role]).get(_url(application))
    check(response, expected)
    if role == "reviewer_assigned":
        assert response["Location"] == reverse("grants:review", kwargs={"pk": application.pk})


def test_unknown_and_huge_ids_are_404(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/en/grants/applications/999999/").status_code == 404
    assert client.get("/en/grants/applications/99999999999999999999999999/").status_code == 404


def test_applicant_sees_public_label_not_internal(client, english):
    application = in_status(S.UNDER_REVIEW)
    client.force_login(application.applicant)
    response = client.get(_url(application))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(PUBLIC_LABELS[S.UNDER_REVIEW]) in html
    assert str(S.UNDER_REVIEW.label) not in html  # "Eligible, under review"
    assert str(S.SUBMITTED.label) not in html  # the timeline uses public labels too
    assert "Received" in html
    # No actor on the applicant's side.
    staff_change = application.status_changes.get(to_status=S.UNDER_REVIEW)
    assert staff_change.actor.get_full_name() not in html
    assert reverse("grants:staff_application", kwargs={"pk": application.pk}) not in html


def test_staff_sees_internal_label_actor_and_notes(client, english, staff_user):
    application = in_status(S.UNDER_REVIEW, staff=staff_user)
    assessment.application_request_changes(
        actor=staff_user, application=application, note="Internal-ish note"
    )
    client.force_login(staff_user)
    html = client.get(_url(application)).content.decode()
    assert str(S.CHANGES_REQUESTED.label) in html
    assert str(S.UNDER_REVIEW.label) in html
    assert staff_user.get_full_name() in html
    assert 'text-break">Revision 1</div>' in html  # the submission's note, staff only
    assert reverse("grants:staff_application", kwargs={"pk": application.pk}) in html


def test_applicant_sees_only_public_notes(client, english):
    application = in_status(S.CHANGES_REQUESTED)
    client.force_login(application.applicant)
    html = client.get(_url(application)).content.decode()
    assert "Please add the budget of the venue." in html
    assert 'text-break">Revision 1</div>' not in html  # the submission's note is KCSF's
    assert str(PUBLIC_LABELS[S.CHANGES_REQUESTED]) in html
    assert reverse("grants:application_edit", kwargs={"pk": application.pk}) in html


@pytest.mark.parametrize(
    "status,shown",
    [
        (S.APPROVED, ["€4,000.00", "Send monthly photos."]),
        (S.REJECTED, ["The plan is too vague."]),
        (S.INELIGIBLE, ["The organisation is not registered."]),
    ],
)
def test_decision_is_shown(client, english, status, shown):
    application = in_status(status)
    client.force_login(application.applicant)
    response = client.get(_url(application))
    html = response.content.decode()
    assert 'id="decision"' in html
    for text in shown:
        assert text in html
    if status == S.APPROVED:
        assert reverse("grants:grant_detail", kwargs={"pk": application.grant.pk}) in html


def test_no_decision_before_deciding(client, english):
    application = in_status(S.SUBMITTED)
    client.force_login(application.applicant)
    html = client.get(_url(application)).content.decode()
    assert 'id="decision"' not in html
    assert reverse("grants:application_withdraw", kwargs={"pk": application.pk}) in html


def test_draft_explains_the_thread_and_offers_edit(client, english):
    application = draft_application()
    client.force_login(application.applicant)
    html = client.get(_url(application)).content.decode()
    assert "Messages open once the application is submitted" in html
    assert reverse("grants:application_edit", kwargs={"pk": application.pk}) in html
    assert 'name="body"' not in html


def test_viewer_reads_without_forms(client, english, cast):
    client.force_login(cast["org_viewer"])
    html = client.get(_url(cast["application"])).content.decode()
    assert 'name="body"' not in html
    assert reverse("grants:application_withdraw", kwargs={"pk": cast["application"].pk}) not in html


def test_reviewer_names_never_reach_the_applicant(client, english, cast):
    client.force_login(cast["applicant"])
    html = client.get(_url(cast["application"])).content.decode()
    assert cast["reviewer_assigned"].email not in html
    assert cast["reviewer_assigned"].get_full_name() not in html


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_detail_renders_in_every_language(client, lang):
    application = in_status(S.APPROVED)
    client.force_login(application.applicant)
    response = client.get(_url(application, lang))
    assert response.status_code == 200
    with translation.override(lang):
        assert str(PUBLIC_LABELS[S.APPROVED]) in response.content.decode()


@pytest.mark.real_mfa
def test_staff_without_second_factor_are_asked_for_it(client, cast):
    client.force_login(cast["staff"])
    response = client.get(_url(cast["application"]))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]
    # The applicant's side is not asked for a second factor.
    client.force_login(cast["applicant"])
    assert client.get(_url(cast["application"])).status_code == 200
