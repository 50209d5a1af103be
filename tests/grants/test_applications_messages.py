"""The message thread: who may post, who is told by email, and the refusals (empty, too
long, a draft, someone else's application)."""

import pytest
from django.core import mail
from django.urls import reverse

from grants.choices import ApplicationStatus
from grants.models import Message
from tests.grants.test_applications_support import (  # noqa: F401  (cast_fixture: the `cast` fixture)
    LOGIN,
    cast_fixture,
    check,
    draft_application,
    in_status,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _url(application):
    return f"/en/grants/applications/{application.pk}/messages/"


def test_url_name():
    assert reverse("grants:message_post", kwargs={"pk": 3}).endswith("/grants/applications/3/messages/")


@pytest.mark.parametrize(
    "role,expected",
    {
        "anonymous": LOGIN,
        "applicant": 302,
        "other_applicant": 404,
        "reviewer_assigned": 302,  # to the review page, nothing posted
        "reviewer_not_assigned": 404,
        "org_editor": 302,
        "org_viewer": 403,
        "staff": 302,
    }.items(),
)
def test_post_matrix(client, cast, role, expected, django_capture_on_commit_callbacks):
    application = cast["application"]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, cast[role]).post(_url(application), {"body": "Hello"})
    check(response, expected)
    posted = Message.objects.filter(application=application).count()
    if role in ("applicant", "org_editor", "staff"):
        assert posted == 1
        assert response["Location"].endswith("#messages")
    else:
        assert posted == 0
        if role == "reviewer_assigned":
            assert response["Location"] == reverse("grants:review", kwargs={"pk": application.pk})


def test_get_is_not_allowed(client, cast):
    client.force_login(cast["applicant"])
    assert client.get(_url(cast["application"])).status_code == 405


def test_applicant_post_emails_the_staff_who_follow(
    client, english, django_capture_on_commit_callbacks, staff_user
):
    application = in_status(S.UNDER_REVIEW, staff=staff_user)
    client.force_login(application.applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(application), {"body": "When will we know?"})
    assert response.status_code == 302
    message = Message.objects.get(application=application)
    assert not message.from_staff and message.author == application.applicant
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "When will we know?" in mail.outbox[0].body
    assert f"/grants/manage/applications/{application.pk}/" in mail.outbox[0].body


def test_staff_post_emails_the_applicant_side(client, english, django_capture_on_commit_callbacks, cast):
    application = cast["application"]
    client.force_login(cast["staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(application), {"body": "Please send the statute."})
    assert response.status_code == 302
    assert Message.objects.get(application=application).from_staff
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([cast["applicant"].email, cast["org_editor"].email])  # not the viewer
    assert all("Please send the statute." in m.body for m in mail.outbox)
    # The thread shows the message to the applicant, signed by KCSF, not by the person.
    client.force_login(cast["applicant"])
    html = client.get(reverse("grants:application_detail", kwargs={"pk": application.pk})).content.decode()
    assert "Please send the statute." in html
    assert cast["staff"].get_full_name() not in html


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_empty_or_too_long_is_400_and_keeps_the_text(client, english, cast, body):
    client.force_login(cast["applicant"])
    response = client.post(_url(cast["application"]), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert ("Write a message." in html) or ("Keep the message under 5,000 characters." in html)
    if body.strip():
        assert body in html
    assert not Message.objects.exists()


def test_missing_field_is_400(client, cast):
    client.force_login(cast["applicant"])
    assert client.post(_url(cast["application"]), {}).status_code == 400
    assert not Message.objects.exists()


def test_draft_is_400_with_explanation(client, english):
    application = draft_application()
    client.force_login(application.applicant)
    response = client.post(_url(application), {"body": "Hello?"})
    assert response.status_code == 400
    assert "Messages open once the application is submitted" in response.content.decode()
    assert not Message.objects.exists()


def test_escaping_of_message_body(client, english, cast):
    client.force_login(cast["applicant"])
    client.post(_url(cast["application"]), {"body": "<script>alert(1)</script>"})
    html = client.get(
        reverse("grants:application_detail", kwargs={"pk": cast["application"].pk})
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
