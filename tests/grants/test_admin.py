"""The staff screens of grants: the call form builder (call + inline questions, rubric,
attachments, documents) with its validation, and the read-only screens of applications,
reviews, grants, tranches, reports and reminders (query counts, no state edits)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import SentReminder
from grants.choices import ApplicationStatus, QuestionKind, ReminderKind, ReportKind, ReportPeriod, Stage
from grants.models import (
    Application,
    AttachmentRequirement,
    Call,
    CallDocument,
    Criterion,
    Grant,
    GrantReport,
    Question,
    ReviewAssignment,
    Tranche,
)
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, pdf_bytes, submitted_application

pytestmark = pytest.mark.django_db

PREFIXES = ("questions", "criteria", "attachment_requirements", "documents")


@pytest.fixture
def admin_client(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    # The admin is outside the language prefixes: ask for English, as the assertions quote it.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _call_data(**overrides):
    data = {
        "title_sq": "Thirrje për të rinjtë",
        "title_sr": "Poziv za mlade",
        "title_en": "Call for youth",
        "slug": "call-for-youth",
        "code": "CEA-Y-1",
        "summary_sq": "",
        "summary_sr": "",
        "summary_en": "",
        "description_sq": "Përshkrimi.",
        "description_sr": "",
        "description_en": "",
        "allow_organizations": "on",
        "allow_groups": "on",
        "total_budget": "50000",
        "min_amount": "1000",
        "max_amount": "10000",
        "cofinancing_percent": "10",
        "opens_at_0": "2030-01-01",
        "opens_at_1": "09:00:00",
        "closes_at_0": "2030-02-01",
        "closes_at_1": "17:00:00",
        "full_proposal_closes_at_0": "",
        "full_proposal_closes_at_1": "",
        "review_deadline_0": "",
        "review_deadline_1": "",
        "is_published": "on",
        "_save": "Save",
    }
    for prefix in PREFIXES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def _question(index, **fields):
    row = {
        "stage": "full",
        "order": str(index + 1),
        "kind": "short_text",
        "required": "on",
        "label_sq": f"Pyetja {index}",
        "label_sr": "",
        "label_en": f"Question {index}",
        "help_sq": "",
        "help_sr": "",
        "help_en": "",
        "word_limit": "",
        "min_value": "",
        "max_value": "",
        "choices_sq": "",
        "choices_sr": "",
        "choices_en": "",
    }
    row.update(fields)
    return {f"questions-{index}-{key}": value for key, value in row.items() if value is not None}


def _with_questions(*rows, **overrides):
    data = _call_data(**overrides)
    for index, fields in enumerate(rows):
        data.update(_question(index, **fields))
    data["questions-TOTAL_FORMS"] = str(len(rows))
    return data


def _add(client, data):
    return client.post(reverse("admin:grants_call_add"), data)


def _errors(response) -> str:
    """Every error of the admin form and its inlines, as text."""
    parts = [str(response.context["adminform"].form.errors)]
    for inline in response.context["inline_admin_formsets"]:
        parts.append(str(inline.formset.errors))
        parts.append(str(inline.formset.non_form_errors()))
    return " ".join(parts)


def test_add_page_renders_with_the_form_builder(admin_client):
    response = admin_client.get(reverse("admin:grants_call_add"))
    assert response.status_code == 200
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == list(PREFIXES)


def test_add_a_call_with_inline_questions_rubric_attachments_and_documents(admin_client):
    data = _with_questions(
        {"kind": "long_text", "word_limit": "300", "help_en": "Be concrete."},
        {"kind": "single_choice", "choices_sq": "Të rinjtë\nGratë", "choices_en": "Youth\nWomen"},
        {"kind": "number", "min_value": "1", "max_value": "500", "required": None},
    )
    data.update(
        {
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-stage": "full",
            "criteria-0-order": "1",
            "criteria-0-title_sq": "Rëndësia",
            "criteria-0-title_sr": "",
            "criteria-0-title_en": "Relevance",
            "criteria-0-guidance_sq": "",
            "criteria-0-guidance_sr": "",
            "criteria-0-guidance_en": "",
            "criteria-0-weight": "2",
            "criteria-0-max_score": "5",
            "attachment_requirements-TOTAL_FORMS": "1",
            "attachment_requirements-0-stage": "full",
            "attachment_requirements-0-order": "1",
            "attachment_requirements-0-required": "on",
            "attachment_requirements-0-label_sq": "Certifikata",
            "attachment_requirements-0-label_sr": "",
            "attachment_requirements-0-label_en": "Certificate",
            "attachment_requirements-0-applicant_types": ["organization"],
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Udhëzuesi",
            "documents-0-language": "sq",
            "documents-0-order": "0",
            "documents-0-file": SimpleUploadedFile("guide.pdf", pdf_bytes(), content_type="application/pdf"),
        }
    )
    response = _add(admin_client, data)
    assert response.status_code == 302, _errors(response)
    call = Call.objects.get(slug="call-for-youth")
    assert call.created_by == admin_client.staff
    assert call.is_published and call.allow_organizations and call.allow_groups and not call.allow_individuals
    questions = list(call.questions.order_by("order"))
    assert [q.kind for q in questions] == [
        QuestionKind.LONG_TEXT,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.NUMBER,
    ]
    assert questions[0].word_limit == 300 and questions[0].help_en == "Be concrete."
    assert questions[1].choices_sq.splitlines() == ["Të rinjtë", "Gratë"]
    assert questions[1].choices_en.splitlines() == ["Youth", "Women"]
    assert questions[2].required is False and questions[2].max_value == Decimal("500")
    assert Criterion.objects.get(call=call).weight == Decimal("2")
    assert AttachmentRequirement.objects.get(call=call).applicant_types == ["organization"]
    assert CallDocument.objects.get(call=call).file.read().startswith(b"%PDF")
    # The new call is on the public page at once.
    assert admin_client.get(reverse("grants:call_detail", kwargs={"slug": call.slug})).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"min_amount": "20000"}, "max_amount", "must not be below the minimum"),
        ({"max_amount": "60000"}, "max_amount", "must not exceed the total budget"),
        ({"closes_at_0": "2029-12-01"}, "closes_at", "must close after it opens"),
        ({"allow_organizations": None, "allow_groups": None}, "allow_organizations", "Choose who may apply"),
        ({"two_stage": "on"}, "full_proposal_closes_at", "needs the deadline of the full proposals"),
        (
            {
                "two_stage": "on",
                "full_proposal_closes_at_0": "2030-01-15",
                "full_proposal_closes_at_1": "10:00",
            },
            "full_proposal_closes_at",
            "after the concept notes close",
        ),
        (
            {"full_proposal_closes_at_0": "2030-03-15", "full_proposal_closes_at_1": "10:00"},
            "full_proposal_closes_at",
            "Only a two-stage call",
        ),
        (
            {"review_deadline_0": "2030-01-15", "review_deadline_1": "10:00"},
            "review_deadline",
            "Reviews must be due after",
        ),
    ],
)
def test_call_validation_errors_are_clear(admin_client, english, overrides, field, message):
    data = _call_data(**{k: v for k, v in overrides.items() if v is not None})
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
    response = _add(admin_client, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert message in response.content.decode()
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("question", "field", "message"),
    [
        ({"kind": "single_choice"}, "choices_sq", "needs at least two options"),
        ({"kind": "single_choice", "choices_sq": "Po"}, "choices_sq", "needs at least two options"),
        ({"kind": "multiple_choice"}, "choices_sq", "needs at least one option"),
        ({"kind": "single_choice", "choices_sq": "A\nA"}, "choices_sq", "Two options are the same"),
        (
            {"kind": "single_choice", "choices_sq": "Po\nJo", "choices_en": "Yes\nNo\nMaybe"},
            "choices_en",
            "same number of options as in Albanian (2)",
        ),
        (
            {"kind": "multiple_choice", "choices_sq": "A\nB\nC", "choices_sr": "A\nB"},
            "choices_sr",
            "same number of options",
        ),
        ({"kind": "short_text", "choices_sq": "A\nB"}, "choices_sq", "Only single- and multiple-choice"),
        ({"kind": "short_text", "word_limit": "100"}, "word_limit", "only to long-text"),
        ({"kind": "long_text", "word_limit": "0"}, "word_limit", "at least 1"),
        ({"kind": "date", "min_value": "1"}, "min_value", "only to number questions"),
        ({"kind": "number", "min_value": "10", "max_value": "5"}, "max_value", "not be below the minimum"),
        ({"kind": "long_text", "stage": "concept"}, "stage", "This call has one stage"),
        ({"kind": "teleport"}, "kind", "valid choice"),
    ],
)
def test_question_inline_validation(admin_client, english, question, field, message):
    response = _add(admin_client, _with_questions({"kind": "short_text"}, question))
    assert response.status_code == 200
    questions_formset = response.context["inline_admin_formsets"][0].formset
    assert questions_formset.prefix == "questions"
    errors = questions_formset.forms[1].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not questions_formset.forms[0].errors
    assert message in response.content.decode()
    assert not Call.objects.exists() and not Question.objects.exists()


def test_two_stage_call_accepts_concept_questions(admin_client):
    data = _with_questions(
        {"stage": "concept", "kind": "long_text", "word_limit": "200"},
        {"stage": "full", "kind": "date"},
        two_stage="on",
        full_proposal_closes_at_0="2030-04-01",
        full_proposal_closes_at_1="17:00",
    )
    response = _add(admin_client, data)
    assert response.status_code == 302, _errors(response)
    call = Call.objects.get()
    assert call.two_stage and call.full_proposal_closes_at > call.closes_at
    assert sorted(call.questions.values_list("stage", flat=True)) == [Stage.CONCEPT, Stage.FULL]


def test_criterion_in_concept_stage_of_one_stage_call_is_refused(admin_client, english):
    data = _call_data()
    data.update(
        {
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-stage": "concept",
            "criteria-0-order": "1",
            "criteria-0-title_sq": "Rëndësia",
            "criteria-0-weight": "0",
            "criteria-0-max_score": "5",
        }
    )
    response = _add(admin_client, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].errors
    assert "stage" in errors and "weight" in errors
    assert not Call.objects.exists()


def test_edit_a_call_and_change_a_question(admin_client):
    call = CallFactory(with_form=True, title_en="Old title")
    url = reverse("admin:grants_call_change", args=[call.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert reverse("grants:call_detail", kwargs={"slug": call.slug}) in response.content.decode()
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name.endswith(("_at", "deadline")) and value:
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        elif value is not None:
            data[name] = str(value)
    data["title_en"] = "New title"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for index, child in enumerate(formset.forms):
            for name in child.fields:
                value = child[name].value()
                key = f"{formset.prefix}-{index}-{name}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif isinstance(value, list):
                    data[key] = value
                elif value is not None and name != "file":
                    data[key] = str(value)
    question = call.questions.get(kind=QuestionKind.SINGLE_CHOICE)
    index = list(call.questions.order_by("stage", "order", "pk")).index(question)
    data[f"questions-{index}-choices_en"] = "Youth\nWomen\nElders"  # 3 options against 2 in Albanian
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "same number of options as in Albanian (2)" in _errors(response) or "(2)" in _errors(response)
    data[f"questions-{index}-choices_en"] = "Young people\nWomen"
    response = admin_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    call.refresh_from_db()
    question.refresh_from_db()
    assert call.title_en == "New title"
    assert question.choices_en == "Young people\nWomen"


def test_questions_may_not_be_deleted_once_applications_were_sent(admin_client):
    call = CallFactory(with_form=True)
    url = reverse("admin:grants_call_change", args=[call.pk])
    inlines = admin_client.get(url).context["inline_admin_formsets"]
    assert inlines[0].has_delete_permission and inlines[1].has_delete_permission
    submitted_application(call=call)
    inlines = admin_client.get(url).context["inline_admin_formsets"]
    assert not inlines[0].has_delete_permission and not inlines[1].has_delete_permission


# --- changelists ----------------------------------------------------------------------------


def _seed(n):
    for i in range(n):
        call = CallFactory(with_form=True)
        app = ApplicationFactory(call=call)
        ApplicationFactory(call=call, status=ApplicationStatus.SUBMITTED, reference=f"CEA-T-{call.pk}-{i}")
        granted = ApplicationFactory(
            call=call, status=ApplicationStatus.APPROVED, reference=f"CEA-G-{call.pk}"
        )
        grant = Grant.objects.create(application=granted, call=call, amount=Decimal("5000"))
        Tranche.objects.create(grant=grant, number=1, amount=Decimal("2500"), planned_on=date(2030, 1, 1))
        GrantReport.objects.create(
            grant=grant, period=ReportPeriod.FINAL, kind=ReportKind.NARRATIVE, due_on=date(2030, 6, 1)
        )
        ReviewAssignment.objects.create(application=granted, stage=granted.stage, reviewer=UserFactory())
        SentReminder.objects.create(kind=ReminderKind.CALL_CLOSING, object_id=app.pk, user=app.applicant)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


MODELS = [
    "call",
    "application",
    "reviewassignment",
    "grant",
    "tranche",
    "grantreport",
    "referencecounter",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelists_run_a_constant_number_of_queries(admin_client, model):
    url = reverse(f"admin:grants_{model}_changelist")
    _seed(2)
    few = _count(admin_client, url)
    _seed(5)
    many = _count(admin_client, url)
    assert few == many


def test_call_changelist_shows_counts_and_awarded(admin_client):
    call = CallFactory(title_en="Counted call")
    ApplicationFactory(call=call)
    ApplicationFactory(call=call, status=ApplicationStatus.SUBMITTED, reference="CEA-X-1")
    ApplicationFactory(call=call, status=ApplicationStatus.UNDER_REVIEW, reference="CEA-X-2")
    granted = ApplicationFactory(call=call, status=ApplicationStatus.APPROVED, reference="CEA-X-3")
    Grant.objects.create(application=granted, call=call, amount=Decimal("1234.50"))
    response = admin_client.get(reverse("admin:grants_call_changelist"))
    body = response.content.decode()
    assert "Counted call" in body
    assert "3 (1)" in body
    assert "1234.50" in body or "1234,50" in body or "1.234,50" in body


def test_call_phase_filter(admin_client):
    CallFactory(title_sq="E hapur")
    CallFactory(
        title_sq="E mbyllur",
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )
    response = admin_client.get(reverse("admin:grants_call_changelist"), {"phase": "closed"})
    titles = [c.title_sq for c in response.context["cl"].result_list]
    assert titles == ["E mbyllur"]


def test_calls_export_as_csv(admin_client):
    call = CallFactory(title_sq="Eksporti")
    response = admin_client.post(
        reverse("admin:grants_call_changelist"),
        {"action": "export_as_csv", "_selected_action": [call.pk]},
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Eksporti" in content and "submitted_count" in content


# --- applications and the other read-only screens -------------------------------------------


def test_application_is_read_only_and_submitted_ones_cannot_be_deleted(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application()
    change_url = reverse("admin:grants_application_change", args=[application.pk])
    response = admin_client.get(change_url)
    assert response.status_code == 200
    body = response.content.decode()
    assert application.reference in body
    assert "The river is full of plastic." in body  # the answers, readable
    assert reverse("grants:staff_application", kwargs={"pk": application.pk}) in body
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    history = admin_client.get(reverse("admin:grants_application_history", args=[application.pk]))
    assert history.status_code == 200
    # Editing the status through the admin does nothing.
    admin_client.post(change_url, {"status": ApplicationStatus.APPROVED, "requested_amount": "1"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    # Nor can it be deleted, or added.
    assert (
        admin_client.post(
            reverse("admin:grants_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Application.objects.filter(pk=application.pk).exists()
    assert admin_client.get(reverse("admin:grants_application_add")).status_code == 403
    # The bulk delete action is not offered.
    changelist = admin_client.get(reverse("admin:grants_application_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_a_draft_application_may_be_deleted(admin_client):
    draft = ApplicationFactory()
    response = admin_client.post(reverse("admin:grants_application_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_application_search_and_export(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application()
    other = ApplicationFactory(title="Something else")
    response = admin_client.get(reverse("admin:grants_application_changelist"), {"q": application.reference})
    assert list(response.context["cl"].result_list) == [application]
    response = admin_client.get(
        reverse("admin:grants_application_changelist"), {"q": application.applicant.email}
    )
    assert application in list(response.context["cl"].result_list)
    assert other not in list(response.context["cl"].result_list)
    response = admin_client.post(
        reverse("admin:grants_application_changelist"),
        {"action": "export_as_csv", "_selected_action": [application.pk]},
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert application.reference in content and application.applicant_name in content


@pytest.mark.parametrize("model", ["reviewassignment", "grant", "tranche", "grantreport"])
def test_other_screens_are_view_only(admin_client, model):
    _seed(1)
    obj = {
        "reviewassignment": ReviewAssignment,
        "grant": Grant,
        "tranche": Tranche,
        "grantreport": GrantReport,
    }[model].objects.get()
    response = admin_client.get(reverse(f"admin:grants_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert admin_client.get(reverse(f"admin:grants_{model}_add")).status_code == 403
    assert (
        admin_client.post(reverse(f"admin:grants_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_plain_user_cannot_reach_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:grants_call_add"))
    assert response.status_code == 302
    assert not Call.objects.exists()


def test_kcsf_staff_without_model_permissions_build_calls_and_read_the_rest(client):
    staff = StaffFactory()  # is_staff, not a superuser, no model permissions
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200
    response = _add(client, _with_questions({"kind": "long_text", "word_limit": "100"}))
    assert response.status_code == 302, _errors(response)
    call = Call.objects.get()
    assert call.created_by == staff and call.questions.count() == 1
    _seed(1)
    for model in ("application", "reviewassignment", "grant", "tranche", "grantreport"):
        assert client.get(reverse(f"admin:grants_{model}_changelist")).status_code == 200, model
    application = Application.objects.filter(status=ApplicationStatus.SUBMITTED).first()
    response = client.get(reverse("admin:grants_application_change", args=[application.pk]))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert len(response.context["inline_admin_formsets"]) == 8  # the read-only inlines are shown
