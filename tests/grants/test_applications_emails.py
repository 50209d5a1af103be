"""Every email the application and assessment services send renders in each language,
with the context those services pass: the reference, working links in the recipient's
language, no empty values and no template syntax."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from grants.choices import ApplicationStatus
from grants.services import applications as app_services
from grants.services import assessment
from tests.factories import StaffFactory, UserFactory
from tests.grants.test_applications_support import in_status, two_stage_call

pytestmark = pytest.mark.django_db
S = ApplicationStatus
LANGUAGES = ["sq", "sr-latn", "en"]


def _sent(callback, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        callback()
    return list(mail.outbox)


def _check(message, lang, *, must=()):
    text = message.subject + "\n" + message.body
    assert message.subject.strip() and "\n" not in message.subject
    for bad in ("{{", "{%", "None", "&quot;", "&amp;", "&lt;"):
        assert bad not in text, (bad, text)
    for link in re.findall(r"https?://\S+", message.body):
        assert f"/{lang}/" in link, link
    for expected in must:
        assert expected in text, (expected, text)


def _applicant(lang):
    return UserFactory(preferred_language=lang, full_name="Ana & Besa")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_submitted_withdrawn_and_messages(lang, django_capture_on_commit_callbacks):
    applicant = _applicant(lang)
    sent = []
    application = None

    def submit():
        nonlocal application
        application = in_status(S.SUBMITTED, applicant=applicant)

    [confirmation] = _sent(submit, django_capture_on_commit_callbacks)
    _check(confirmation, lang, must=[application.reference, "Ana & Besa"])
    assert confirmation.attachments and confirmation.attachments[0][0] == f"{application.reference}.pdf"

    staff = StaffFactory(preferred_language=lang)
    sent = _sent(
        lambda: app_services.message_post(
            actor=staff, application=application, body="Send the <statute> & CV"
        ),
        django_capture_on_commit_callbacks,
    )
    [to_applicant] = sent
    _check(to_applicant, lang, must=[application.reference, "Send the <statute> & CV"])
    sent = _sent(
        lambda: app_services.message_post(actor=applicant, application=application, body="Here it is."),
        django_capture_on_commit_callbacks,
    )
    [to_staff] = sent
    assert to_staff.to == [staff.email]
    _check(to_staff, lang, must=["Here it is.", "Ana & Besa"])

    [withdrawn] = _sent(
        lambda: app_services.application_withdraw(actor=applicant, application=application),
        django_capture_on_commit_callbacks,
    )
    _check(withdrawn, lang, must=[application.reference])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("decision", ["approve", "reject", "ineligible", "changes", "invite"])
def test_decisions(lang, decision, django_capture_on_commit_callbacks):
    applicant = _applicant(lang)
    staff = StaffFactory()
    application = in_status(
        S.SUBMITTED, applicant=applicant, call=two_stage_call() if decision == "invite" else None
    )
    if decision != "ineligible":
        application = assessment.application_screen(actor=staff, application=application, eligible=True)

    def act():
        if decision == "ineligible":
            assessment.application_screen(
                actor=staff, application=application, eligible=False, reason="Not a CSO."
            )
        elif decision == "approve":
            assessment.application_decide(
                actor=staff,
                application=application,
                decision="approve",
                amount="4000",
                note="Photos monthly.",
            )
        elif decision == "reject":
            assessment.application_decide(
                actor=staff, application=application, decision="reject", note="Too vague."
            )
        elif decision == "changes":
            assessment.application_request_changes(
                actor=staff, application=application, note="Add the venue."
            )
        else:
            assessment.application_decide(
                actor=staff, application=application, decision="invite", note="Welcome."
            )

    [message] = _sent(act, django_capture_on_commit_callbacks)
    assert message.to == [applicant.email]
    expected = {
        "approve": ["Photos monthly."],
        "reject": ["Too vague."],
        "ineligible": ["Not a CSO."],
        "changes": ["Add the venue."],
        "invite": ["Welcome."],
    }[decision]
    _check(message, lang, must=[application.reference, *expected])
    if decision == "approve":
        assert "4" in message.body and "000" in message.body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reviewer_emails(lang, django_capture_on_commit_callbacks):
    staff = StaffFactory(preferred_language=lang)
    reviewer = UserFactory(preferred_language=lang)
    reviewer.groups.add(Group.objects.get_or_create(name="Grant reviewers")[0])
    application = in_status(S.UNDER_REVIEW, staff=staff)
    [assigned] = _sent(
        lambda: assessment.reviewers_assign(actor=staff, application=application, reviewers=[reviewer]),
        django_capture_on_commit_callbacks,
    )
    assert assigned.to == [reviewer.email]
    _check(assigned, lang, must=[application.reference])
    [conflict] = _sent(
        lambda: assessment.conflict_declare(
            actor=reviewer, application=application, has_conflict=True, note="My cousin runs it."
        ),
        django_capture_on_commit_callbacks,
    )
    assert conflict.to == [staff.email]
    _check(conflict, lang, must=[application.reference, "My cousin runs it."])
