"""Preview, submit (reference, revision, email with the PDF; incomplete, double, late,
resubmission) and the PDF of an application."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.models import EmailOutbox
from grants.choices import ApplicationStatus
from grants.models import Revision
from grants.pdf import application_pdf, revision_pdf
from grants.services import assessment
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, complete_draft, submitted_application
from tests.helpers import t

pytestmark = pytest.mark.django_db


def url(name, application, **params):
    base = reverse(f"grants:{name}", kwargs={"pk": application.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def ready(client):
    application = complete_draft(ApplicationFactory(call=CallFactory(with_form=True)))
    client.force_login(application.applicant)
    return application


def test_preview_shows_everything_and_enabled_submit(client, ready):
    response = client.get(url("application_preview", ready))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Clean river" in body and "Workshops" in body and "The river is full of plastic." in body
    assert "Cili është problemi?" in body  # the question's label in the page's language
    assert url("application_submit", ready) in body
    assert response.context["can_submit"] is True
    assert "data-submit-once" in body


def test_preview_of_incomplete_draft_disables_submit(client):
    application = ApplicationFactory(call=CallFactory(with_form=True))
    client.force_login(application.applicant)
    response = client.get(url("application_preview", application))
    assert response.status_code == 200
    assert response.context["can_submit"] is False
    body = response.content.decode()
    assert 'disabled aria-describedby="submit-reasons"' in body
    assert t("Add at least one line to the budget.") in body


def test_submit_success(client, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("application_submit", ready))
    ready.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:application_detail", kwargs={"pk": ready.pk})
    year = timezone.now().year
    assert ready.reference.startswith(f"CEA-{year}-") and len(ready.reference) == len(f"CEA-{year}-0001")
    assert ready.status == ApplicationStatus.SUBMITTED
    assert list(ready.revisions.values_list("number", flat=True)) == [1]
    assert len(mail.outbox) == 1
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == f"{ready.reference}.pdf" and content.startswith(b"%PDF") and mimetype == "application/pdf"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(ready.reference in m for m in messages)


def test_submit_incomplete_is_400_and_nothing_lost(client, django_capture_on_commit_callbacks):
    application = ApplicationFactory(call=CallFactory(with_form=True), title="Half done")
    client.force_login(application.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("application_submit", application))
    assert response.status_code == 400
    assert t("Add at least one line to the budget.") in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.title == "Half done"
    assert application.reference is None and not Revision.objects.exists() and not mail.outbox


def test_double_submit(client, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("application_submit", ready))
        second = client.post(url("application_submit", ready))
    assert first.status_code == 302
    assert second.status_code == 400
    assert Revision.objects.filter(application=ready).count() == 1
    assert len(mail.outbox) == 1
    assert EmailOutbox.objects.count() == 1
    ready.refresh_from_db()
    assert ready.public_status_label in second.content.decode()


def test_submit_after_deadline(client, ready, django_capture_on_commit_callbacks):
    # The call closes.
    call = ready.call
    call.opens_at = timezone.now() - timedelta(days=30)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    preview = client.get(url("application_preview", ready))
    assert preview.context["can_submit"] is False
    assert t("The deadline for submissions has passed.") in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("application_submit", ready))
    assert response.status_code == 400
    assert t("The deadline for submissions has passed.") in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.DRAFT and not mail.outbox


def test_resubmit_after_changes_requested(client, django_capture_on_commit_callbacks):
    application = submitted_application()
    staff = StaffFactory()
    assessment.application_request_changes(actor=staff, application=application, note="Add the CV.")
    client.force_login(application.applicant)
    # The applicant edits, then resubmits: revision 2, the same reference.
    reference = application.reference
    edit = client.post(
        reverse("grants:application_section", kwargs={"pk": application.pk, "section": "project"}),
        {"title": "Clean river, revised"},
    )
    assert edit.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("application_submit", application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reference == reference
    assert list(application.revisions.values_list("number", flat=True)) == [1, 2]
    assert application.revisions.get(number=2).snapshot["title"] == "Clean river, revised"
    assert application.revisions.get(number=1).snapshot["title"] == "Clean river"


def test_submit_get_not_allowed(client, ready):
    assert client.get(url("application_submit", ready)).status_code == 405


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_of_draft_marked_draft(client, ready):
    response = client.get(url("application_pdf", ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert f"draft-{ready.pk}.pdf" in response["Content-Disposition"]


def test_pdf_of_revisions(client, django_capture_on_commit_callbacks):
    application = submitted_application()
    client.force_login(application.applicant)
    response = client.get(url("application_pdf", application))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert f"{application.reference}-r1.pdf" in response["Content-Disposition"]
    assert client.get(url("application_pdf", application, revision=1)).status_code == 200
    for bad in ("2", "abc", "-1", "0", "99999999999999999999", "²"):
        assert client.get(url("application_pdf", application, revision=bad)).status_code == 404


def test_pdf_html_has_labels_in_the_readers_language(django_capture_on_commit_callbacks):
    from django.template.loader import render_to_string

    application = submitted_application()
    revision = application.revisions.get()
    for lang, label, category in (
        ("en", "What is the problem?", "Events and activities"),
        ("sq", "Cili është problemi?", None),
    ):
        with translation.override(lang):
            html = render_to_string(
                "grants/pdf/revision.html",
                {
                    "application": application,
                    "call": application.call,
                    "revision": revision,
                    "data": revision.snapshot,
                    "draft": False,
                },
            )
        assert label in html
        assert application.reference in html
        assert "Workshops" in html and "Clean river" in html
        if category:
            assert category in html and "CV of the project lead" in html
            assert "Revision" in html and "By category" in html


def test_pdf_builders():
    application = submitted_application()
    revision = application.revisions.get()
    assert revision_pdf(revision.pk).startswith(b"%PDF")
    with translation.override("sr-latn"):
        assert application_pdf(application).startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_preview_and_pdf_in_each_language(client, ready, lang):
    with translation.override(lang):
        response = client.get(url("application_preview", ready))
        assert response.status_code == 200
        assert f'lang="{lang}"' in response.content.decode()
        assert t("Preview of the whole application", lang) in response.content.decode()
        assert client.get(url("application_pdf", ready)).status_code == 200


def test_submit_by_someone_else_404(client, ready):
    client.force_login(UserFactory())
    assert client.post(url("application_submit", ready)).status_code == 404
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.DRAFT
