"""Attachments of a draft: upload (type, size and count checked), remove, private download."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from grants.choices import QuestionKind, Stage
from grants.models import Attachment, AttachmentRequirement, Question
from grants.services import applications as app_services
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import (
    ApplicationFactory,
    CallFactory,
    exe_upload,
    pdf_bytes,
    pdf_upload,
    png_upload,
    submitted_application,
    verified_cso,
)
from tests.helpers import t

pytestmark = pytest.mark.django_db


def upload_url(application):
    return reverse("grants:attachment_upload", kwargs={"pk": application.pk})


def download_url(attachment):
    return reverse(
        "grants:attachment_download", kwargs={"pk": attachment.application_id, "att_pk": attachment.pk}
    )


@pytest.fixture
def draft(client):
    application = ApplicationFactory(call=CallFactory(with_form=True))
    client.force_login(application.applicant)
    return application


def requirement_of(application):
    return application.call.attachment_requirements.get()


def test_upload_required_document(client, draft):
    requirement = requirement_of(draft)
    response = client.post(
        upload_url(draft), {"file": pdf_upload("my cv.pdf"), "requirement": requirement.pk}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=draft)
    assert attachment.requirement == requirement and attachment.original_name == "my cv.pdf"
    assert attachment.file_type == "pdf"
    page = client.get(
        reverse("grants:application_section", kwargs={"pk": draft.pk, "section": "attachments"})
    )
    assert "my cv.pdf" in page.content.decode() and download_url(attachment) in page.content.decode()
    # Replacing keeps one file in the slot.
    client.post(upload_url(draft), {"file": png_upload(), "requirement": requirement.pk})
    assert Attachment.objects.filter(application=draft).count() == 1


def test_upload_extra_and_file_question(client, draft):
    question = Question.objects.create(
        call=draft.call, stage=Stage.FULL, kind=QuestionKind.FILE, label_sq="Plani", order=9
    )
    assert client.post(upload_url(draft), {"file": png_upload()}).status_code == 302
    assert client.post(upload_url(draft), {"file": pdf_upload(), "question": question.pk}).status_code == 302
    assert Attachment.objects.filter(application=draft, question=question).count() == 1
    assert Attachment.objects.filter(application=draft, question=None, requirement=None).count() == 1


def test_exe_renamed_pdf_refused(client, draft, english):
    response = client.post(
        upload_url(draft), {"file": exe_upload("cv.pdf"), "requirement": requirement_of(draft).pk}
    )
    assert response.status_code == 400
    assert "Upload a PDF, Word (DOCX), Excel (XLSX), JPEG or PNG file." in response.content.decode()
    assert not Attachment.objects.exists()


def test_oversized_refused(client, draft, settings, english):
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 20
    response = client.post(upload_url(draft), {"file": pdf_upload()})
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not Attachment.objects.exists()


def test_count_limit(client, draft, settings):
    settings.GRANTS_MAX_ATTACHMENTS = 1
    assert client.post(upload_url(draft), {"file": pdf_upload()}).status_code == 302
    response = client.post(upload_url(draft), {"file": png_upload()})
    assert response.status_code == 400
    assert t("An application has at most %(n)s files.", n=1) in response.content.decode()
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [{}, {"requirement": "abc"}, {"question": "-1"}, {"requirement": "99999999"}, {"question": "99999999"}],
)
def test_bad_upload_posts(client, draft, payload):
    data = dict(payload)
    if payload:
        data["file"] = pdf_upload()
    response = client.post(upload_url(draft), data)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_requirement_of_another_call_refused(client, draft):
    other = CallFactory(with_form=True)
    response = client.post(
        upload_url(draft), {"file": pdf_upload(), "requirement": other.attachment_requirements.get().pk}
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_remove(client, draft):
    client.post(upload_url(draft), {"file": pdf_upload()})
    attachment = Attachment.objects.get()
    url = reverse("grants:attachment_remove", kwargs={"pk": draft.pk, "att_pk": attachment.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Attachment.objects.exists()


def test_remove_other_applications_file_404(client, draft):
    other = ApplicationFactory()
    app_services.attachment_add(actor=other.applicant, application=other, upload=pdf_upload())
    attachment = Attachment.objects.get(application=other)
    url = reverse("grants:attachment_remove", kwargs={"pk": draft.pk, "att_pk": attachment.pk})
    assert client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_upload_after_submission_refused(client):
    application = submitted_application()
    client.force_login(application.applicant)
    response = client.post(upload_url(application), {"file": pdf_upload()})
    assert response.status_code == 400
    assert Attachment.objects.filter(application=application).count() == 1  # the one sent


# --- download permissions ------------------------------------------------------------------


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    owner = UserFactory()
    org = verified_cso(editor=owner)
    application = submitted_application(applicant=owner, applicant_type="organization", organization=org)
    return application, application.attachments.get()


def test_download_owner_gets_the_file(client, sent):
    application, attachment = sent
    client.force_login(application.applicant)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("other", 404),
        ("staff", 200),
        ("org_viewer", 200),
        ("org_editor", 200),
        ("reviewer_not_cleared", 404),
        ("reviewer_cleared", 200),
        ("reviewer_not_assigned", 404),
    ],
)
def test_download_permissions(client, sent, role, expected):
    application, attachment = sent
    staff = StaffFactory()
    assessment.application_screen(actor=staff, application=application, eligible=True)
    pool = Group.objects.get_or_create(name="Grant reviewers")[0]
    users = {
        "other": UserFactory(),
        "staff": staff,
        "org_viewer": member_of(application.organization, Membership.Role.VIEWER),
        "org_editor": member_of(application.organization, Membership.Role.EDITOR),
    }
    for name in ("reviewer_not_cleared", "reviewer_cleared", "reviewer_not_assigned"):
        users[name] = UserFactory()
        users[name].groups.add(pool)
    assessment.reviewers_assign(
        actor=staff,
        application=application,
        reviewers=[users["reviewer_not_cleared"], users["reviewer_cleared"]],
    )
    assessment.conflict_declare(actor=users["reviewer_cleared"], application=application, has_conflict=False)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(download_url(attachment))
    assert response.status_code == expected
    if expected == 302:
        assert "login" in response["Location"]


def test_download_attachment_of_another_application_is_404(client, sent):
    _application, attachment = sent
    mine = ApplicationFactory()
    client.force_login(mine.applicant)
    url = reverse("grants:attachment_download", kwargs={"pk": mine.pk, "att_pk": attachment.pk})
    assert client.get(url).status_code == 404


def test_missing_requirement_slot_listed(client, draft):
    AttachmentRequirement.objects.create(
        call=draft.call,
        stage=Stage.FULL,
        label_sq="Statuti",
        label_en="Statute",
        applicant_types=["organization"],
    )
    page = client.get(
        reverse("grants:application_section", kwargs={"pk": draft.pk, "section": "attachments"})
    )
    assert "Statuti" not in page.content.decode()  # for organisations only
