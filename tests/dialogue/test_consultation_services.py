"""Public consultations: the services (workflow with history, comments only while open, one
support per person and never one's own, answers with reasons, editing an answer), the task
that closes consultations past their date, and the report (XLSX content)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import StatusChange
from dialogue.choices import AnswerVerdict, ConsultationStatus
from dialogue.models import CommentSupport, ConsultationComment
from dialogue.services import consultations as services
from tests import factories
from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section

pytestmark = pytest.mark.django_db
K = ConsultationStatus


def _data(**over):
    now = timezone.now()
    return {
        "title_sq": "Plani",
        "title_sr": "Plan",
        "title_en": "The plan",
        "introduction_sq": "Hyrje",
        "opens_at": now,
        "closes_at": now + timedelta(days=10),
        **over,
    }


@pytest.fixture
def staff():
    return factories.StaffFactory()


def test_publish_needs_a_section_and_writes_history(staff, english):
    consultation = services.consultation_create(actor=staff, data=_data())
    assert consultation.status == K.DRAFT and consultation.created_by == staff
    with pytest.raises(ValidationError) as exc:
        services.consultation_move(consultation=consultation, actor=staff, target=K.OPEN)
    assert exc.value.code == "no_sections"
    services.section_create(consultation=consultation, actor=staff, data={"heading_sq": "A", "body_sq": "B"})
    services.consultation_move(consultation=consultation, actor=staff, target=K.OPEN)
    services.consultation_move(consultation=consultation, actor=staff, target=K.CLOSED)
    consultation.refresh_from_db()
    assert consultation.status == K.CLOSED
    moves = list(
        StatusChange.objects.filter(workflow="dialogue.consultation", object_id=consultation.pk).values_list(
            "from_status", "to_status", "actor"
        )
    )
    assert moves == [(K.DRAFT, K.OPEN, staff.pk), (K.OPEN, K.CLOSED, staff.pk)]
    with pytest.raises(ValidationError):  # closed is final
        services.consultation_move(consultation=consultation, actor=staff, target=K.OPEN)


def test_only_staff_manage(english):
    citizen = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=citizen, data=_data())
    consultation = ConsultationFactory(status=K.DRAFT)
    consultation_section(consultation)
    with pytest.raises(PermissionDenied):
        services.consultation_move(consultation=consultation, actor=citizen, target=K.OPEN)


def test_dates_and_required_fields_checked(staff, english):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(actor=staff, data=_data(title_sq="", closes_at=now - timedelta(days=1)))
    assert set(exc.value.message_dict) == {"title_sq", "closes_at"}


def test_sections_ordered_positions_unique_and_commented_ones_kept(staff, english):
    consultation = ConsultationFactory(status=K.DRAFT)
    first = services.section_create(
        consultation=consultation, actor=staff, data={"heading_sq": "A", "body_sq": "a"}
    )
    second = services.section_create(
        consultation=consultation, actor=staff, data={"heading_sq": "B", "body_sq": "b"}
    )
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        services.section_create(
            consultation=consultation, actor=staff, data={"position": 1, "heading_sq": "C", "body_sq": "c"}
        )
    assert "position" in exc.value.message_dict
    services.section_update(
        section=first, actor=staff, data={"position": 3, "heading_sq": "A2", "heading_en": "", "body_sq": "a"}
    )
    first.refresh_from_db()
    assert (first.position, first.heading_sq) == (3, "A2")
    consultation_comment(second)
    with pytest.raises(ValidationError):
        services.section_delete(section=second, actor=staff)
    services.section_delete(section=first, actor=staff)
    assert list(consultation.sections.values_list("pk", flat=True)) == [second.pk]


def test_comment_only_while_open(english):
    citizen = factories.UserFactory()
    for consultation in (
        ConsultationFactory(status=K.DRAFT),
        ConsultationFactory(status=K.CLOSED),
        ConsultationFactory(
            closes_at=timezone.now() - timedelta(minutes=1), opens_at=timezone.now() - timedelta(days=2)
        ),
        ConsultationFactory(opens_at=timezone.now() + timedelta(days=1)),
    ):
        section = consultation_section(consultation)
        with pytest.raises(ValidationError) as exc:
            services.comment_create(section=section, actor=citizen, body="Hello")
        assert exc.value.code == "not_open"
    assert not ConsultationComment.objects.exists()
    section = consultation_section(ConsultationFactory())
    comment = services.comment_create(section=section, actor=citizen, body="  A comment  ")
    assert comment.body == "A comment" and comment.author == citizen


def test_comment_length_empty_and_rate_limit(english):
    citizen = factories.UserFactory()
    section = consultation_section(ConsultationFactory())
    with pytest.raises(ValidationError) as exc:
        services.comment_create(section=section, actor=citizen, body="   ")
    assert exc.value.code == "empty"
    with pytest.raises(ValidationError) as exc:
        services.comment_create(section=section, actor=citizen, body="x" * 3001)
    assert exc.value.code == "too_long"
    for n in range(services.RATE_MAX_COMMENTS):
        services.comment_create(section=section, actor=citizen, body=f"Comment {n}")
    with pytest.raises(services.TooManyComments):
        services.comment_create(section=section, actor=citizen, body="One more")
    later = timezone.now() + services.RATE_WINDOW + timedelta(seconds=1)
    services.comment_create(section=section, actor=citizen, body="Later", now=later)


def test_anonymous_cannot_comment():
    from django.contrib.auth.models import AnonymousUser

    section = consultation_section(ConsultationFactory())
    with pytest.raises(PermissionDenied):
        services.comment_create(section=section, actor=AnonymousUser(), body="Hi")


def test_support_once_never_own(english):
    author, other = factories.UserFactory(), factories.UserFactory()
    comment = consultation_comment(consultation_section(ConsultationFactory()), author=author)
    with pytest.raises(ValidationError) as exc:
        services.comment_support(comment=comment, actor=author)
    assert exc.value.code == "own_comment"
    services.comment_support(comment=comment, actor=other)
    with pytest.raises(ValidationError) as exc:
        services.comment_support(comment=comment, actor=other)
    assert exc.value.code == "already_supported"
    assert CommentSupport.objects.filter(comment=comment).count() == 1


def test_support_is_unique_in_the_database():
    comment = consultation_comment(consultation_section(ConsultationFactory()))
    user = factories.UserFactory()
    CommentSupport.objects.create(comment=comment, user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentSupport.objects.create(comment=comment, user=user)


def test_support_refused_once_closed(english):
    consultation = ConsultationFactory()
    comment = consultation_comment(consultation_section(consultation))
    consultation.status = K.CLOSED
    consultation.save()
    comment.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.comment_support(comment=comment, actor=factories.UserFactory())
    assert exc.value.code == "not_open"


def test_answers_need_reasons_and_may_be_edited(staff, english):
    comment = consultation_comment(consultation_section(ConsultationFactory()))
    for verdict in (AnswerVerdict.REJECTED, AnswerVerdict.PARTLY):
        with pytest.raises(ValidationError) as exc:
            services.comment_answer(comment=comment, actor=staff, verdict=verdict, reason="  ")
        assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.comment_answer(comment=comment, actor=staff, verdict="maybe")
    services.comment_answer(comment=comment, actor=staff, verdict=AnswerVerdict.ACCEPTED)
    comment.refresh_from_db()
    assert comment.verdict == "accepted" and comment.answered_by == staff and comment.answered_at
    services.comment_answer(
        comment=comment, actor=staff, verdict=AnswerVerdict.REJECTED, reason="Out of scope"
    )
    comment.refresh_from_db()
    assert (comment.verdict, comment.reason) == ("rejected", "Out of scope")
    with pytest.raises(PermissionDenied):
        services.comment_answer(comment=comment, actor=factories.UserFactory(), verdict="accepted")


def test_reason_required_in_the_database():
    comment = consultation_comment(consultation_section(ConsultationFactory()))
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationComment.objects.filter(pk=comment.pk).update(verdict="rejected", reason="")


def test_no_answers_on_a_draft(staff, english):
    comment = consultation_comment(consultation_section(ConsultationFactory(status=K.DRAFT)))
    with pytest.raises(ValidationError) as exc:
        services.comment_answer(comment=comment, actor=staff, verdict="accepted")
    assert exc.value.code == "not_public"


def test_task_closes_consultations_past_their_date():
    from dialogue.tasks import consultations_close_due

    past = ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=5), closes_at=timezone.now() - timedelta(hours=1)
    )
    current = ConsultationFactory()
    assert consultations_close_due() == 1
    assert consultations_close_due() == 0
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, current.status) == (K.CLOSED, K.OPEN)
    assert (
        StatusChange.objects.filter(workflow="dialogue.consultation", object_id=past.pk, actor=None).count()
        == 1
    )


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from core.models import ReportJob

    storage = FileSystemStorage(location=tmp_path / "reports", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_report_lists_comments_and_answers_per_section(
    staff, english, private_media, django_capture_on_commit_callbacks, fmt
):
    """The report runs through core.reports (background job) and its XLSX holds every
    comment in the document's order with its answer."""
    from openpyxl import load_workbook

    from core.models import ReportJob
    from core.services import report_job_start

    consultation = ConsultationFactory()
    first, second = consultation_section(consultation), consultation_section(consultation)
    supporter = factories.UserFactory()
    late = consultation_comment(second, body="On the second section")
    early = consultation_comment(first, body="On the first section")
    services.comment_support(comment=early, actor=supporter)
    services.comment_answer(comment=early, actor=staff, verdict="partly", reason="Half of it")
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_start(
            actor=staff,
            kind="dialogue.consultation_comments",
            fmt=fmt,
            params={"consultation": str(consultation.pk)},
            language="en",
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    data = job.file.open("rb").read()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
        return
    sheet = load_workbook(BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = [str(v) for v in rows[0]]
    assert "section" in header and "answer" in header and "reason" in header
    body = [r for r in rows[1:] if any(r)]
    assert [r[header.index("comment")] for r in body] == ["On the first section", "On the second section"]
    assert body[0][header.index("section")] == "1. Section 1"
    assert body[0][header.index("answer")] == "Partly accepted"
    assert body[0][header.index("reason")] == "Half of it"
    assert body[0][header.index("supports")] == 1
    assert body[1][header.index("answer")] == "Not answered yet"
    assert late.pk


def test_a_pdf_of_too_many_comments_is_refused_with_the_way_out(
    staff, english, private_media, monkeypatch, django_capture_on_commit_callbacks
):
    """The PDF is laid out whole in memory: past PDF_MAX_COMMENTS comments it is refused (a
    400 on the page, saying to take the XLSX), and the XLSX, written as a stream, still goes."""
    from core.models import ReportJob
    from core.services import ReportRequestError, report_job_start
    from dialogue import exports

    monkeypatch.setattr(exports, "PDF_MAX_COMMENTS", 2)
    consultation = ConsultationFactory()
    section = consultation_section(consultation)
    for n in range(3):
        consultation_comment(section, body=f"Comment {n}")
    params = {"consultation": str(consultation.pk)}
    with pytest.raises(ReportRequestError, match="has 3 comments, more than a PDF report holds"):
        report_job_start(actor=staff, kind=exports.CONSULTATION_REPORT, fmt="pdf", params=params)
    assert not ReportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_start(actor=staff, kind=exports.CONSULTATION_REPORT, fmt="xlsx", params=params)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.rows_done == 3


def test_report_refused_to_non_staff_and_empty_for_junk():
    from core.services import report_job_start
    from dialogue.exports import consultation_comment_rows

    with pytest.raises(PermissionDenied):
        report_job_start(
            actor=factories.UserFactory(), kind="dialogue.consultation_comments", fmt="xlsx", params={}
        )
    for junk in ({}, {"consultation": "abc"}, {"consultation": "9" * 30}, {"consultation": ["1", "2"]}):
        total, rows = consultation_comment_rows(junk)
        assert total == 0 or list(rows) == []
