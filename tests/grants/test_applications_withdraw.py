"""Withdrawing: a confirmation page, then the POST; from every status before a decision,
refused (400, nothing changed) after one; the permission matrix."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.models import StatusChange
from grants.choices import ApplicationStatus
from grants.models import Application
from tests.grants.test_applications_support import (  # noqa: F401  (cast_fixture: the `cast` fixture)
    LOGIN,
    cast_fixture,
    check,
    in_status,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _url(application, lang="en"):
    with translation.override(lang):
        return reverse("grants:application_withdraw", kwargs={"pk": application.pk})


def test_url():
    assert reverse("grants:application_withdraw", kwargs={"pk": 5}).endswith(
        "/grants/applications/5/withdraw/"
    )


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.INVITED])
def test_withdraw_from_each_withdrawable_status(client, english, status, django_capture_on_commit_callbacks):
    application = in_status(status)
    client.force_login(application.applicant)
    confirm = client.get(_url(application))
    assert confirm.status_code == 200
    assert "This cannot be undone." in confirm.content.decode()
    assert Application.objects.get(pk=application.pk).status == status  # the GET changed nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(application), {"reason": "We found other funding."})
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_detail", kwargs={"pk": application.pk})
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    change = application.status_changes.get(to_status=S.WITHDRAWN)
    assert change.from_status == status and change.note == "We found other funding."
    if status != S.DRAFT:
        assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    page = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "We found other funding." in page
    assert _url(application) not in page  # no second withdraw button


def test_reason_is_optional(client):
    application = in_status(S.SUBMITTED)
    client.force_login(application.applicant)
    assert client.post(_url(application)).status_code == 302
    assert Application.objects.get(pk=application.pk).status == S.WITHDRAWN


def test_too_long_reason_is_400_and_kept(client, english):
    application = in_status(S.SUBMITTED)
    client.force_login(application.applicant)
    response = client.post(_url(application), {"reason": "r" * 5001})
    assert response.status_code == 400
    assert "r" * 5001 in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.APPROVED, S.REJECTED, S.INELIGIBLE, S.WITHDRAWN])
def test_refused_after_a_decision(client, english, status):
    application = in_status(status)
    before = StatusChange.objects.filter(application=application).count()
    client.force_login(application.applicant)
    for response in (client.get(_url(application)), client.post(_url(application), {"reason": "late"})):
        assert response.status_code == 400
        assert "can no longer be withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert application.status == status
    assert StatusChange.objects.filter(application=application).count() == before


@pytest.mark.parametrize(
    "role,expected",
    {
        "anonymous": LOGIN,
        "applicant": 302,
        "other_applicant": 404,
        "reviewer_assigned": 302,  # to the review page, nothing changed
        "reviewer_not_assigned": 404,
        "org_editor": 302,
        "org_viewer": 403,
        "staff": 403,
    }.items(),
)
def test_withdraw_matrix(client, cast, role, expected):
    application = cast["application"]
    response = login(client, cast[role]).post(_url(application), {"reason": "x"})
    check(response, expected)
    application.refresh_from_db()
    if role in ("applicant", "org_editor"):
        assert application.status == S.WITHDRAWN
    else:
        assert application.status == S.UNDER_REVIEW
        if role == "reviewer_assigned":
            assert response["Location"] == reverse("grants:review", kwargs={"pk": application.pk})


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_confirmation_renders_in_every_language(client, lang):
    application = in_status(S.SUBMITTED)
    client.force_login(application.applicant)
    response = client.get(_url(application, lang))
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
