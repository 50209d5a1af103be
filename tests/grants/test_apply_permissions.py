"""Every role × every view of starting, editing, preview, submit, attachments and PDF:
the status code, and that nothing changed for those refused."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from grants.choices import ApplicantType
from grants.models import Application, Attachment
from grants.services import applications as app_services
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import CallFactory, complete_draft, pdf_upload, verified_cso

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "reviewer_assigned",
    "reviewer_not_cleared",
    "reviewer_not_assigned",
    "org_editor",
    "org_viewer",
    "staff",
]


def build(status: str):
    """An organisation's application (draft, or submitted and under review with reviewers)
    and a user for every role."""
    owner = UserFactory()
    org = verified_cso(editor=owner)
    call = CallFactory(with_form=True)
    application = app_services.application_start(
        actor=owner, call=call, applicant_type=ApplicantType.ORGANIZATION, organization=org
    )
    complete_draft(application, owner)
    staff = StaffFactory()
    pool = Group.objects.get_or_create(name="Grant reviewers")[0]
    users = {
        "anonymous": None,
        "applicant": owner,
        "other_applicant": UserFactory(),
        "org_editor": member_of(org, Membership.Role.EDITOR),
        "org_viewer": member_of(org, Membership.Role.VIEWER),
        "staff": staff,
    }
    for name in ("reviewer_assigned", "reviewer_not_cleared", "reviewer_not_assigned"):
        users[name] = UserFactory()
        users[name].groups.add(pool)
    if status == "submitted":
        app_services.application_submit(actor=owner, application=application)
        assessment.application_screen(actor=staff, application=application, eligible=True)
        assessment.reviewers_assign(
            actor=staff,
            application=application,
            reviewers=[users["reviewer_assigned"], users["reviewer_not_cleared"]],
        )
        assessment.conflict_declare(
            actor=users["reviewer_assigned"], application=application, has_conflict=False
        )
    application.refresh_from_db()
    return application, users


def state(application):
    application.refresh_from_db()
    return (
        application.status,
        application.title,
        application.attachments.count(),
        application.revisions.count(),
        application.budget_lines.count(),
    )


def requests_for(application):
    """(method, url, data) of every view, in an order where the successful ones do not get in
    each other's way: the file uploaded is the one removed, and submit comes last."""
    pk = application.pk
    first = Attachment.objects.filter(application=application).first()
    section = reverse("grants:application_section", kwargs={"pk": pk, "section": "project"})

    def last_attachment():
        latest = Attachment.objects.filter(application=application).order_by("-pk").first()
        return reverse("grants:attachment_remove", kwargs={"pk": pk, "att_pk": latest.pk})

    return {
        "edit": ("get", reverse("grants:application_edit", kwargs={"pk": pk}), None),
        "section_get": ("get", section, None),
        "section_post": ("post", section, {"title": "Changed by someone"}),
        "download": (
            "get",
            reverse("grants:attachment_download", kwargs={"pk": pk, "att_pk": first.pk}),
            None,
        ),
        "preview": ("get", reverse("grants:application_preview", kwargs={"pk": pk}), None),
        "pdf": ("get", reverse("grants:application_pdf", kwargs={"pk": pk}), None),
        "upload": ("post", reverse("grants:attachment_upload", kwargs={"pk": pk}), "upload"),
        "remove": ("post", last_attachment, {}),
        "submit": ("post", reverse("grants:application_submit", kwargs={"pk": pk}), {}),
    }


# Expected status codes. 302 for anonymous is the login redirect; a success redirect is 302 too.
EDITOR = {
    "edit": 302,
    "section_get": 200,
    "section_post": 302,
    "upload": 302,
    "remove": 302,
    "download": 200,
    "preview": 200,
    "submit": 302,
    "pdf": 200,
}
READER = {
    "edit": 403,
    "section_get": 403,
    "section_post": 403,
    "upload": 403,
    "remove": 403,
    "download": 200,
    "preview": 200,
    "submit": 403,
    "pdf": 200,
}
HIDDEN = dict.fromkeys(EDITOR, 404)
LOGIN = dict.fromkeys(EDITOR, 302)

DRAFT = {
    "anonymous": LOGIN,
    "applicant": EDITOR,
    "org_editor": EDITOR,
    "other_applicant": HIDDEN,
    "reviewer_assigned": HIDDEN,
    "reviewer_not_cleared": HIDDEN,
    "reviewer_not_assigned": HIDDEN,
    "org_viewer": READER,
    "staff": READER,
}
SENT_APPLICANT = {
    **EDITOR,
    "edit": 400,
    "section_get": 400,
    "section_post": 400,
    "upload": 400,
    "remove": 400,
    "submit": 400,
}
SUBMITTED = {
    "anonymous": LOGIN,
    "applicant": SENT_APPLICANT,
    "org_editor": SENT_APPLICANT,
    "other_applicant": HIDDEN,
    "reviewer_assigned": {**READER, "preview": 403},
    "reviewer_not_cleared": HIDDEN,
    "reviewer_not_assigned": HIDDEN,
    "org_viewer": READER,
    "staff": READER,
}


@pytest.mark.parametrize("status", ["draft", "submitted"])
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, status, role, django_capture_on_commit_callbacks):
    application, users = build(status)
    expected = (DRAFT if status == "draft" else SUBMITTED)[role]
    if users[role] is not None:
        client.force_login(users[role])
    for view, (method, url, data) in requests_for(application).items():
        before = state(application)
        url = url() if callable(url) else url
        if data == "upload":
            data = {"file": pdf_upload()}
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == expected[view], (view, response.status_code)
        if role == "anonymous":
            assert "login" in response["Location"]
        if role == "anonymous" or response.status_code >= 400:
            assert state(application) == before, view
    if expected["submit"] == 302 and role != "anonymous":
        assert state(application)[0] == "submitted"


@pytest.mark.parametrize("role", ["anonymous", "applicant", "org_viewer", "staff", "reviewer_assigned"])
def test_apply_page_by_role(client, role):
    application, users = build("draft")
    if users[role] is not None:
        client.force_login(users[role])
    before = Application.objects.count()
    response = client.get(reverse("grants:apply", kwargs={"slug": application.call.slug}))
    assert response.status_code == (302 if role == "anonymous" else 200)
    response = client.post(
        reverse("grants:apply", kwargs={"slug": application.call.slug}),
        {"option": f"org-{application.organization_id}"},
    )
    # The organisation has its application already (or the person may not act for it).
    assert response.status_code == (302 if role == "anonymous" else 400)
    assert Application.objects.count() == before
