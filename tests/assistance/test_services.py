"""The services of the help desk: the workflow with its history, assignment rules, the overdue
rule, the thread's emails, rating once, consent before publication, voting once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assistance.choices import Category, RequestStatus
from assistance.models import KnowledgeEntry, KnowledgeVote, Rating
from assistance.selectors.requests import triage_requests, with_overdue
from assistance.selectors.targets import is_overdue
from assistance.services import knowledge as knowledge_services
from assistance.services import messages as message_services
from assistance.services import requests as services
from assistance.workflow import REQUEST
from core.models import EmailOutbox
from organizations.models import Membership
from tests.assistance.factories import (
    ExpertFactory,
    answered,
    assigned,
    pdf_upload,
    private_files,  # noqa: F401  (fixture)
    submitted,
)
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]
S = RequestStatus
BELGRADE = ZoneInfo("Europe/Belgrade")


def test_submit_gives_a_reference_a_due_day_history_and_files():
    request = submitted(uploads=[pdf_upload()])
    assert request.status == S.NEW
    assert request.reference == f"AS-{request.submitted_at.astimezone(BELGRADE).year}-{request.pk:05d}"
    assert request.due_on is not None
    assert [c.to_status for c in REQUEST.history(request)] == [S.NEW]
    assert request.attachments.get().file_type == "pdf"
    assert EmailOutbox.objects.filter(to=request.requester.email).count() == 1


def test_submit_refuses_a_wrong_file_and_saves_nothing():
    org = OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    fake = SimpleUploadedFile("contract.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        submitted(requester=editor, organization=org, uploads=[fake])
    assert "contract.pdf" in str(exc.value)
    assert not editor.assistance_requests.exists()


def test_submit_refuses_a_too_large_file(settings, monkeypatch):
    monkeypatch.setattr("assistance.services.attachments.MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="too large"):
        submitted(uploads=[pdf_upload()])


def test_submit_for_an_organisation_one_does_not_belong_to_is_refused():
    with pytest.raises(ValidationError):
        submitted(requester=UserFactory(), organization=OrganizationFactory())


def test_an_individual_civic_initiative_needs_no_organisation():
    request = submitted(requester=UserFactory(), organization=None)
    assert request.organization is None


def test_full_workflow_writes_history():
    staff = StaffFactory()
    expert = ExpertFactory()
    request = submitted()
    request = services.request_assign(actor=staff, request=request, expert=expert)
    request = services.request_start(actor=expert.user, request=request)
    request = services.request_answer(actor=expert.user, request=request, answer="Po, me vendim të kuvendit.")
    request = services.request_close(actor=request.requester, request=request, score=5, solved=True)
    assert request.status == S.CLOSED
    assert [c.to_status for c in REQUEST.history(request)] == [
        S.NEW,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.ANSWERED,
        S.CLOSED,
    ]
    assert Rating.objects.get(request=request).score == 5


def test_assign_only_by_staff_to_an_active_expert_who_covers_the_category():
    request = submitted(category=Category.FUNDRAISING)
    with pytest.raises(PermissionDenied):
        services.request_assign(actor=request.requester, request=request, expert=ExpertFactory())
    with pytest.raises(ValidationError, match="does not answer"):
        services.request_assign(actor=StaffFactory(), request=request, expert=ExpertFactory())
    with pytest.raises(ValidationError, match="does not take"):
        services.request_assign(
            actor=StaffFactory(),
            request=request,
            expert=ExpertFactory(active=False, categories=["fundraising"]),
        )
    request.refresh_from_db()
    assert request.status == S.NEW and request.expert is None


def test_reassignment_keeps_the_status_and_moves_the_due_day():
    request = assigned()
    other = ExpertFactory()
    request = services.request_assign(actor=StaffFactory(), request=request, expert=other)
    assert request.status == S.ASSIGNED and request.expert == other


def test_only_the_assigned_expert_answers():
    request = assigned()
    with pytest.raises(PermissionDenied):
        services.request_answer(actor=ExpertFactory().user, request=request, answer="x")
    with pytest.raises(PermissionDenied):
        services.request_answer(actor=request.requester, request=request, answer="x")


def test_decline_needs_a_reason_and_staff():
    request = submitted()
    with pytest.raises(ValidationError):
        services.request_decline(actor=StaffFactory(), request=request, reason="  ")
    with pytest.raises(PermissionDenied):
        services.request_decline(actor=request.requester, request=request, reason="no")
    request = services.request_decline(actor=StaffFactory(), request=request, reason="Outside our mandate.")
    assert request.status == S.DECLINED and request.decline_reason == "Outside our mandate."
    with pytest.raises(ValidationError):
        services.request_assign(actor=StaffFactory(), request=request, expert=ExpertFactory())


def test_overdue_rule_counts_working_days_from_submission_then_assignment(monkeypatch):
    friday = datetime(2026, 12, 11, 10, 0, tzinfo=BELGRADE)
    monkeypatch.setattr("django.utils.timezone.now", lambda: friday)
    request = submitted(urgency="urgent")  # legal / urgent: 2 working days
    assert request.due_on == date(2026, 12, 15)  # Friday + 2 working days = Tuesday
    assert not is_overdue(request, today=date(2026, 12, 15))
    assert is_overdue(request, today=date(2026, 12, 16))
    wednesday = datetime(2026, 12, 16, 9, 0, tzinfo=BELGRADE)
    monkeypatch.setattr("django.utils.timezone.now", lambda: wednesday)
    request = services.request_assign(actor=StaffFactory(), request=request, expert=ExpertFactory())
    assert request.due_on == date(2026, 12, 18)  # counted again from the assignment
    assert not is_overdue(request, today=date(2026, 12, 18))
    request = services.request_answer(actor=request.expert.user, request=request, answer="ok")
    assert not is_overdue(request, today=date(2027, 1, 30))  # answered: never overdue


def test_overdue_in_the_database_matches_the_rule(monkeypatch):
    request = submitted()
    type(request).objects.filter(pk=request.pk).update(due_on=date(2020, 1, 1))
    assert with_overdue(type(request).objects.filter(pk=request.pk)).get().overdue
    assert list(triage_requests(view="overdue")) == [request]


def test_a_message_is_emailed_to_the_other_side_in_their_language():
    expert = ExpertFactory(user=UserFactory(preferred_language="en"))
    request = assigned(expert=expert)
    request.requester.preferred_language = "sr-latn"
    request.requester.save()
    EmailOutbox.objects.all().delete()
    message_services.message_post(actor=request.requester, request=request, body="Kemi edhe një pyetje.")
    mail = EmailOutbox.objects.get()
    assert mail.to == expert.user.email and "/en/assistance/requests/" in mail.body_text
    assert "Kemi edhe" not in mail.body_text  # the body stays on the portal
    message_services.message_post(actor=expert.user, request=request, body="Dërgoni statutin.")
    mail = EmailOutbox.objects.exclude(to=expert.user.email).get()
    # Rendered in the requester's language (the link too; the words once the .po files compile).
    assert mail.to == request.requester.email and "/sr-latn/assistance/requests/" in mail.body_text


def test_another_member_of_the_organisation_may_write_but_not_a_stranger():
    request = assigned()
    colleague = member_of(request.organization, Membership.Role.VIEWER)
    message_services.message_post(actor=colleague, request=request, body="Also this.")
    with pytest.raises(PermissionDenied):
        message_services.message_post(actor=UserFactory(), request=request, body="Hi")
    with pytest.raises(PermissionDenied):  # staff read, they do not write
        message_services.message_post(actor=StaffFactory(), request=request, body="Hi")


def test_no_messages_on_a_closed_request():
    request = answered()
    request = services.request_close(actor=request.requester, request=request, score=4, solved=True)
    with pytest.raises(PermissionDenied):
        message_services.message_post(actor=request.requester, request=request, body="Hi")


def test_rating_once_and_only_after_the_answer():
    request = assigned()
    with pytest.raises(ValidationError, match="once the request is answered"):
        services.request_rate(actor=request.requester, request=request, score=5, solved=True)
    request = services.request_answer(actor=request.expert.user, request=request, answer="ok")
    services.request_rate(actor=request.requester, request=request, score=4, solved=False)
    with pytest.raises(ValidationError, match="already been rated"):
        services.request_rate(actor=request.requester, request=request, score=5, solved=True)
    other = answered()
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.request_rate(actor=other.requester, request=other, score=9, solved=True)
    assert Rating.objects.get(request=request).score == 4


def _texts():
    return {
        f"{part}_{lang}": f"{part} {lang}" for part in ("question", "answer") for lang in ("sq", "sr", "en")
    }


def test_publication_needs_consent_and_an_answer():
    staff = StaffFactory()
    request = answered()
    with pytest.raises(ValidationError, match="not agreed"):
        knowledge_services.knowledge_publish(actor=staff, request=request, category="legal", **_texts())
    assert not KnowledgeEntry.objects.exists()
    services.consent_set(actor=request.requester, request=request, consent=True)
    entry = knowledge_services.knowledge_publish(actor=staff, request=request, category="legal", **_texts())
    assert entry.published and entry.question_sq == "question sq"
    open_request = assigned()
    services.consent_set(actor=open_request.requester, request=open_request, consent=True)
    with pytest.raises(ValidationError, match="Only an answered"):
        knowledge_services.knowledge_publish(actor=staff, request=open_request, category="legal", **_texts())


def test_only_staff_publish_and_every_language_is_required():
    request = answered()
    services.consent_set(actor=request.requester, request=request, consent=True)
    with pytest.raises(PermissionDenied):
        knowledge_services.knowledge_publish(
            actor=request.requester, request=request, category="legal", **_texts()
        )
    with pytest.raises(ValidationError):
        knowledge_services.knowledge_publish(
            actor=StaffFactory(), request=request, category="legal", **{**_texts(), "answer_sr": ""}
        )


def test_withdrawn_consent_unpublishes_the_entry():
    request = answered()
    services.consent_set(actor=request.requester, request=request, consent=True)
    entry = knowledge_services.knowledge_publish(
        actor=StaffFactory(), request=request, category="legal", **_texts()
    )
    services.consent_set(actor=request.requester, request=request, consent=False)
    entry.refresh_from_db()
    assert not entry.published


def test_consent_only_by_the_requester_side():
    request = answered()
    with pytest.raises(PermissionDenied):
        services.consent_set(actor=request.expert.user, request=request, consent=True)
    with pytest.raises(PermissionDenied):
        services.consent_set(actor=StaffFactory(), request=request, consent=True)


def test_a_vote_counts_once_per_user_and_per_session():
    request = answered()
    services.consent_set(actor=request.requester, request=request, consent=True)
    entry = knowledge_services.knowledge_publish(
        actor=StaffFactory(), request=request, category="legal", **_texts()
    )
    user = UserFactory()
    assert knowledge_services.knowledge_vote(entry=entry, helpful=True, user=user)
    assert not knowledge_services.knowledge_vote(entry=entry, helpful=False, user=user)
    assert knowledge_services.knowledge_vote(entry=entry, helpful=False, session_key="abc")
    assert not knowledge_services.knowledge_vote(entry=entry, helpful=True, session_key="abc")
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (1, 1)
    assert KnowledgeVote.objects.count() == 2


def test_the_triage_list_puts_requests_without_a_due_day_last_on_every_database():
    """Due soonest first, then those with no due day: the same
    order on PostgreSQL and on SQLite (`make run`), which puts NULL first unless told."""
    waiting, later, sooner = submitted(), submitted(), submitted()
    type(waiting).objects.filter(pk=waiting.pk).update(due_on=None)
    type(later).objects.filter(pk=later.pk).update(due_on=date(2026, 12, 20))
    type(sooner).objects.filter(pk=sooner.pk).update(due_on=date(2026, 12, 10))
    assert list(triage_requests(view="all")) == [sooner, later, waiting]


def test_requests_by_default_put_the_unsent_first_then_the_newest_on_every_database():
    """The model's own order (a requester's list): what has no submission time yet first, then
    the newest; SQLite (`make run`) now sorts as PostgreSQL does."""
    older, newer, unsent = submitted(), submitted(), submitted()
    model = type(older)
    model.objects.filter(pk=older.pk).update(submitted_at=datetime(2026, 12, 1, 9, tzinfo=BELGRADE))
    model.objects.filter(pk=newer.pk).update(submitted_at=datetime(2026, 12, 3, 9, tzinfo=BELGRADE))
    model.objects.filter(pk=unsent.pk).update(submitted_at=None)
    assert list(model.objects.filter(pk__in=[older.pk, newer.pk, unsent.pk])) == [unsent, newer, older]
