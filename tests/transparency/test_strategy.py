"""Strategy monitoring: late marking, comments (moderation, rate limit, bad input, unknown
measures), the public pages and the yearly report in the background."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from core.models import ReportJob
from organizations.models import Membership, Organization
from tests import factories
from tests.factories import member_of
from transparency.choices import CommentStatus, MeasureStatus
from transparency.models import MeasureComment, StrategyMeasure, StrategyObjective
from transparency.services import strategy
from transparency.tasks import measures_mark_late

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kw):
    with translation.override(lang):
        return reverse(f"transparency:{name}", kwargs=kw or None)


@pytest.fixture
def plan():
    ministry = factories.OrganizationFactory(
        name="Zyra për Qeverisje të Mirë", kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number=""
    )
    objective = StrategyObjective.objects.create(
        code="O1",
        title_sq="Financimi publik",
        title_sr="Javno finansiranje",
        title_en="Public funding",
        ordering=1,
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    measures = {
        "late": StrategyMeasure.objects.create(
            objective=objective,
            code="1.1",
            title_sq="Rregullore",
            title_sr="Uredba",
            title_en="Regulation",
            responsible_institution=ministry,
            deadline=yesterday,
            status=MeasureStatus.IN_PROGRESS,
            indicator="Adopted",
            evidence_links=["https://example.org/evidence"],
        ),
        "not_started": StrategyMeasure.objects.create(
            objective=objective,
            code="1.2",
            title_sq="Trajnime",
            title_sr="Obuke",
            title_en="Trainings",
            deadline=yesterday,
            status=MeasureStatus.NOT_STARTED,
        ),
        "done": StrategyMeasure.objects.create(
            objective=objective,
            code="1.3",
            title_sq="Databaza",
            title_sr="Baza",
            title_en="Database",
            responsible_institution=ministry,
            deadline=yesterday,
            status=MeasureStatus.IMPLEMENTED,
        ),
        "future": StrategyMeasure.objects.create(
            objective=objective,
            code="1.4",
            title_sq="Ligji",
            title_sr="Zakon",
            title_en="Law",
            deadline=timezone.localdate() + timedelta(days=30),
        ),
    }
    return {"ministry": ministry, "objective": objective, **measures}


def test_mark_late_is_idempotent(plan):
    assert measures_mark_late() == 2
    statuses = dict(StrategyMeasure.objects.values_list("code", "status"))
    assert statuses == {"1.1": "late", "1.2": "late", "1.3": "implemented", "1.4": "not_started"}
    history = plan["late"].history.count()
    assert measures_mark_late() == 0
    assert plan["late"].history.count() == history  # a second run writes nothing
    assert plan["late"].history.first().status == MeasureStatus.LATE


def test_beat_schedule_runs_the_task(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("measures_mark_late")]
    assert len(entries) == 1
    from config.celery import app

    assert "transparency.tasks.measures_mark_late" in app.tasks


# --- Comments ---------------------------------------------------------------------------------


def test_comment_waits_for_moderation_and_only_approved_show(client, plan):
    author = factories.UserFactory(full_name="Arta Krasniqi")
    client.force_login(author)
    response = client.post(
        url("measure_detail", code="1.1"), {"body": "Kur do të miratohet? Šta je sa ovim?"}
    )
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert "appear after moderation" in follow.content.decode()
    comment = MeasureComment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.author == author
    assert "Kur do të miratohet" not in follow.content.decode()

    MeasureComment.objects.create(
        measure=plan["late"], author=author, body="Rejected text", status="rejected"
    )
    strategy.comments_moderate(actor=factories.StaffFactory(), ids=[comment.pk], action="approve")
    anonymous = client.__class__()
    html = anonymous.get(url("measure_detail", code="1.1")).content.decode()
    assert "Kur do të miratohet" in html and "Rejected text" not in html
    assert "Log in" in html  # anonymous people are invited to log in, no form


def test_comment_on_behalf_of_an_organisation(client, plan):
    org = factories.OrganizationFactory(name="Lëvizja FOL")
    editor = member_of(org, Membership.Role.EDITOR)
    stranger_org = factories.OrganizationFactory()
    client.force_login(editor)
    response = client.post(url("measure_detail", code="1.1"), {"body": "Ok", "organization": stranger_org.pk})
    assert response.status_code == 400
    response = client.post(url("measure_detail", code="1.1"), {"body": "Ok", "organization": org.pk})
    assert response.status_code == 302
    assert MeasureComment.objects.get().organization == org


def test_comment_on_unknown_measure_is_404(client, plan):
    client.force_login(factories.UserFactory())
    assert client.post(url("measure_detail", code="9.9"), {"body": "Hello"}).status_code == 404
    assert client.get(url("measure_detail", code="9.9")).status_code == 404
    assert not MeasureComment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * (strategy.COMMENT_MAX_LENGTH + 1)])
def test_empty_or_too_long_comment_is_400(client, plan, body):
    client.force_login(factories.UserFactory())
    response = client.post(url("measure_detail", code="1.1"), {"body": body})
    assert response.status_code == 400
    assert not MeasureComment.objects.exists()
    with pytest.raises(ValidationError):
        strategy.comment_create(actor=factories.UserFactory(), measure=plan["late"], body=body)


def test_anonymous_post_goes_to_login(client, plan):
    response = client.post(url("measure_detail", code="1.1"), {"body": "Hello"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not MeasureComment.objects.exists()


def test_comment_rate_limit_is_429(client, plan):
    user = factories.UserFactory()
    client.force_login(user)
    for i in range(strategy.COMMENT_RATE_LIMIT):
        assert client.post(url("measure_detail", code="1.1"), {"body": f"c{i}"}).status_code == 302
    response = client.post(url("measure_detail", code="1.1"), {"body": "one more"})
    assert response.status_code == 429
    assert MeasureComment.objects.count() == strategy.COMMENT_RATE_LIMIT
    MeasureComment.objects.update(
        created_at=timezone.now() - strategy.COMMENT_RATE_WINDOW - timedelta(seconds=1)
    )
    assert client.post(url("measure_detail", code="1.1"), {"body": "later"}).status_code == 302


def test_moderation_service_needs_staff(plan):
    comment = MeasureComment.objects.create(measure=plan["late"], author=factories.UserFactory(), body="b")
    with pytest.raises(PermissionDenied):
        strategy.comments_moderate(actor=factories.UserFactory(), ids=[comment.pk], action="approve")
    staff = factories.StaffFactory()
    assert strategy.comments_moderate(actor=staff, ids=[comment.pk], action="reject") == 1
    assert strategy.comments_moderate(actor=staff, ids=[comment.pk], action="reject") == 0
    assert strategy.comments_moderate(actor=staff, ids=["²", "9" * 30], action="approve") == 0
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED and comment.moderated_by == staff


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("citizen", 403), ("staff", 200)])
def test_moderation_page_by_role(client, plan, role, expected):
    users = {"anonymous": None, "citizen": factories.UserFactory(), "staff": factories.StaffFactory()}
    if users[role]:
        client.force_login(users[role])
    assert client.get(url("comment_moderation")).status_code == expected


def test_moderation_page_bulk_approve(client, plan):
    author = factories.UserFactory()
    comments = [
        MeasureComment.objects.create(measure=plan["late"], author=author, body=f"b{i}") for i in range(3)
    ]
    client.force_login(factories.StaffFactory())
    response = client.get(url("comment_moderation"))
    assert len(response.context["comments"]) == 3
    response = client.post(
        url("comment_moderation"), {"action": "approve", "comments": [c.pk for c in comments[:2]]}
    )
    assert response.status_code == 302
    assert list(MeasureComment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "pending",
    ]
    assert (
        client.post(url("comment_moderation"), {"action": "delete", "comments": [comments[2].pk]}).status_code
        == 400
    )


@pytest.fixture
def admin_client_no_mfa(client, settings):
    """The MFA middleware is left out: these tests are about the admin classes."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    client.force_login(factories.StaffFactory(is_superuser=True))
    return client


def test_admin_moderation_action(admin_client_no_mfa, plan):
    client = admin_client_no_mfa
    comment = MeasureComment.objects.create(measure=plan["late"], author=factories.UserFactory(), body="b")
    response = client.post(
        reverse("admin:transparency_measurecomment_changelist"),
        {"action": "approve_comments", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


def test_admin_measure_evidence_links_textarea(admin_client_no_mfa, plan):
    client = admin_client_no_mfa
    change = reverse("admin:transparency_strategymeasure_change", args=[plan["late"].pk])
    page = client.get(change)
    assert page.status_code == 200 and "https://example.org/evidence" in page.content.decode()
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "objective": plan["objective"].pk,
            "responsible_institution": plan["ministry"].pk,
            "deadline": "2030-01-01",
            "evidence_links": "https://a.example/1\n\n  https://b.example/2  ",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    plan["late"].refresh_from_db()
    assert plan["late"].evidence_links == ["https://a.example/1", "https://b.example/2"]
    data["evidence_links"] = "not a url"
    assert client.post(change, data).status_code == 200  # the form again, with the error


# --- Public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_strategy_page_shows_progress(client, plan, lang):
    response = client.get(url("strategy", lang))
    assert response.status_code == 200
    overall = response.context["overall"]
    assert overall.total == 4 and overall.counts["implemented"] == 1 and overall.implemented_percent == 25
    by_institution = {p.label: p.total for p in response.context["by_institution"]}
    assert by_institution[plan["ministry"].name] == 2
    html = response.content.decode()
    expected_title = {"sq": "Financimi publik", "sr-latn": "Javno finansiranje", "en": "Public funding"}[lang]
    assert expected_title in html
    assert "report-progress-" in html and "25%" in html


def test_strategy_filters(client, plan):
    response = client.get(url("strategy"), {"institution": plan["ministry"].slug, "status": "implemented"})
    assert response.status_code == 200
    assert [m.code for m in response.context["measures"]] == ["1.3"]
    assert client.get(url("strategy"), {"status": "exploded"}).status_code == 400


def test_strategy_page_query_count(client, plan, django_assert_max_num_queries):
    def seed(n):
        for i in range(n):
            objective = StrategyObjective.objects.create(
                code=f"X{StrategyObjective.objects.count()}", title_sq="t", title_sr="t", title_en="t"
            )
            StrategyMeasure.objects.create(
                objective=objective,
                code=f"M{StrategyMeasure.objects.count()}-{i}",
                title_sq="m",
                title_sr="m",
                title_en="m",
                responsible_institution=factories.OrganizationFactory(kind="public", registration_number=""),
            )

    seed(3)
    with django_assert_max_num_queries(20) as small:
        client.get(url("strategy"))
    seed(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("strategy"))


def test_measure_detail_shows_fields(client, plan):
    html = client.get(url("measure_detail", code="1.1")).content.decode()
    for text in ("Regulation", "Adopted", "https://example.org/evidence", plan["ministry"].name):
        assert text in html


# --- Yearly report ---------------------------------------------------------------------------


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


def _pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names live in object streams)."""
    import re
    import zlib

    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"".join(parts)


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_yearly_report_generated_in_background(
    client, plan, private_media, django_capture_on_commit_callbacks, fmt
):
    user = factories.UserFactory()
    client.force_login(user)
    year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("strategy_report"), {"year": year, "language": "sq", "format": fmt})
    assert len(callbacks) == 1
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{job.pk}/")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100 and job.rows_done == 4 and job.language == "sq"
    assert job.kind == "transparency.strategy_report" and job.params == {"year": str(year)}
    progress_page = client.get(response["Location"])
    assert progress_page.status_code == 200 and "100" in progress_page.content.decode()
    download = client.get(reverse("core:report_download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    if fmt == "pdf":
        assert content.startswith(b"%PDF")
        assert b"DejaVu" in _pdf_objects(content)  # the font that carries ë, ç, š, đ is embedded
    else:
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert len(rows) == 5
        assert rows[1][0] == "O1 Financimi publik" and rows[1][2] == "Rregullore"  # Albanian, as chosen


def test_yearly_report_of_a_past_year_uses_history(plan, private_media):
    from transparency.exports import strategy_report_rows

    total, rows = strategy_report_rows({"year": "2001"}, None)
    assert total == 0 and list(rows) == []
    with translation.override("en"):
        total, rows = strategy_report_rows({"year": str(date.today().year)}, None)
        rows = list(rows)
    assert total == 4 and rows[0][2] == "Regulation"


def test_yearly_report_needs_login_and_valid_input(client, plan):
    response = client.post(url("strategy_report"), {"year": "2024", "language": "sq", "format": "pdf"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(factories.UserFactory())
    response = client.post(url("strategy_report"), {"year": "2024", "language": "sq", "format": "docx"})
    assert response.status_code == 302 and not ReportJob.objects.exists()
