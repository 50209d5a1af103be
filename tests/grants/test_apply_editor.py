"""The draft editor: each section by GET and POST (plain and htmx autosave), the budget's
totals and row errors, word limits, the progress list, status notes and query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Municipality
from grants.choices import ApplicantType, ApplicationStatus, BudgetCategory, QuestionKind, Stage
from grants.models import Application, Question
from grants.services import applications as app_services
from grants.services import assessment
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import (
    VALID_BUDGET_ROWS,
    ApplicationFactory,
    CallFactory,
    submitted_application,
)
from tests.helpers import t

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def section_url(application, section):
    return reverse("grants:application_section", kwargs={"pk": application.pk, "section": section})


def budget_post(rows):
    data = {}
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"b-{n}-{key}"] = value
    return data


@pytest.fixture
def draft(client):
    application = ApplicationFactory(call=CallFactory(with_form=True))
    client.force_login(application.applicant)
    return application


@pytest.fixture
def group_draft(client):
    application = ApplicationFactory(
        call=CallFactory(with_form=True), applicant_type=ApplicantType.GROUP, group_name="Friends"
    )
    client.force_login(application.applicant)
    return application


def test_edit_opens_the_first_section_missing_something(client, draft):
    response = client.get(reverse("grants:application_edit", kwargs={"pk": draft.pk}))
    assert response.status_code == 302 and response["Location"] == section_url(draft, "project")


@pytest.mark.parametrize("section", ["project", "questions", "budget", "timeline", "attachments"])
def test_each_section_renders(client, draft, section):
    response = client.get(section_url(draft, section))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="editor-progress"' in body
    assert "grants/js/editor.js" in body
    if section != "attachments":
        assert 'hx-post="' in body and "hx-trigger" in body and 'type="submit"' in body


def test_group_section_only_for_groups(client, draft, group_draft):
    assert client.get(section_url(group_draft, "group")).status_code == 200
    client.force_login(draft.applicant)
    assert client.get(section_url(draft, "group")).status_code == 404
    assert client.get(section_url(draft, "nonsense")).status_code == 404


def test_project_save_plain_and_partly_invalid(client, draft):
    prishtine = Municipality.objects.get(slug="prishtine")
    response = client.post(
        section_url(draft, "project"),
        {
            "title": "Clean river",
            "summary": "We clean.",
            "municipality": prishtine.pk,
            "starts_on": "2030-01-02",
            "ends_on": "2030-03-01",
            "save": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == section_url(draft, "project")
    draft.refresh_from_db()
    assert (draft.title, draft.municipality, str(draft.starts_on)) == ("Clean river", prishtine, "2030-01-02")
    # A date that is no date: shown, not stored; the rest is saved.
    response = client.post(
        section_url(draft, "project"),
        {
            "title": "Cleaner river",
            "summary": "We clean.",
            "municipality": "",
            "starts_on": "not a date",
            "ends_on": "2030-03-01",
        },
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert (
        draft.title == "Cleaner river" and str(draft.starts_on) == "2030-01-02" and draft.municipality is None
    )
    assert 'id="err-starts_on"' in response.content.decode()


def test_project_next_goes_to_following_section(client, draft):
    response = client.post(section_url(draft, "project"), {"title": "T", "next": "1"})
    assert response["Location"] == section_url(draft, "questions")


def test_project_htmx_autosave(client, draft):
    response = client.post(section_url(draft, "project"), {"title": "Autosaved"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="editor-progress"' in body and 'hx-swap-oob="true"' in body
    assert "✓" in body
    draft.refresh_from_db()
    assert draft.title == "Autosaved"


def test_group_name_is_saved_for_groups_only(client, draft, group_draft):
    client.post(section_url(group_draft, "project"), {"group_name": "New name"})
    group_draft.refresh_from_db()
    assert group_draft.group_name == "New name"


def test_questions_saved_and_word_limit_counted(client, draft):
    long_q, choice_q = draft.call.questions.order_by("order")
    text = " ".join(["word"] * 60)
    response = client.post(section_url(draft, "questions"), {long_q.key: text, choice_q.key: "2"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {long_q.key: text, choice_q.key: "2"}
    with translation.override("en"):
        response = client.get(section_url(draft, "questions"))
    body = response.content.decode()
    assert "60 of 50 words" in body
    assert 'data-word-limit="50"' in body
    assert t("The answer has %(words)s words; the limit is %(limit)s.", "en", words=60, limit=50) in body


def test_questions_invalid_choice_is_not_stored(client, draft):
    long_q, choice_q = draft.call.questions.order_by("order")
    client.post(section_url(draft, "questions"), {long_q.key: "Hello", choice_q.key: "1"})
    response = client.post(
        section_url(draft, "questions"), {long_q.key: "Hello again", choice_q.key: "99"}, **HTMX
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.answers == {long_q.key: "Hello again", choice_q.key: "1"}
    assert f'id="err-{choice_q.key}"' in response.content.decode()


def test_other_question_kinds(client, draft):
    call = draft.call
    made = {
        kind: Question.objects.create(
            call=call,
            stage=Stage.FULL,
            order=10 + i,
            kind=kind,
            label_sq=kind,
            choices_sq="A\nB\nC" if "choice" in kind else "",
            required=False,
        )
        for i, kind in enumerate(
            [
                QuestionKind.SHORT_TEXT,
                QuestionKind.NUMBER,
                QuestionKind.DATE,
                QuestionKind.MULTIPLE_CHOICE,
                QuestionKind.FILE,
            ]
        )
    }
    data = {
        made[QuestionKind.SHORT_TEXT].key: "short",
        made[QuestionKind.NUMBER].key: "12.5",
        made[QuestionKind.DATE].key: "2030-05-06",
        made[QuestionKind.MULTIPLE_CHOICE].key: ["1", "3"],
    }
    assert client.post(section_url(draft, "questions"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.answers[made[QuestionKind.MULTIPLE_CHOICE].key] == ["1", "3"]
    assert draft.answers[made[QuestionKind.DATE].key] == "2030-05-06"
    assert draft.answers[made[QuestionKind.NUMBER].key] == "12.5"
    body = client.get(section_url(draft, "questions")).content.decode()
    assert reverse("grants:application_section", kwargs={"pk": draft.pk, "section": "attachments"}) in body


def test_budget_saved_totals_computed(client, draft):
    response = client.post(section_url(draft, "budget"), budget_post(VALID_BUDGET_ROWS), **HTMX)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("4500.00")
    assert draft.cofinancing_amount == Decimal("1500.00")
    assert draft.total_cost == Decimal("6000.00")
    body = response.content.decode()
    from grants.templatetags.grants_content import eur

    assert 'id="budget-totals"' in body and str(eur(Decimal("4500"))) in body
    assert draft.budget_lines.count() == 2
    page = client.get(section_url(draft, "budget"))
    assert page.context["check"]["amount_ok"] and page.context["check"]["cofinancing_ok"]


def test_budget_rule_not_met_is_shown(client, draft):
    rows = [{"category": BudgetCategory.EVENTS, "item": "Big", "quantity": "1", "unit_cost": "20000"}]
    client.post(section_url(draft, "budget"), budget_post(rows))
    page = client.get(section_url(draft, "budget"))
    check = page.context["check"]
    assert (
        check["requested"] == Decimal("20000.00") and not check["amount_ok"] and not check["cofinancing_ok"]
    )
    assert "text-bg-danger" in page.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_budget_row_keeps_the_old_budget(client, draft, htmx):
    client.post(section_url(draft, "budget"), budget_post(VALID_BUDGET_ROWS))
    bad = [
        *VALID_BUDGET_ROWS,
        {"category": BudgetCategory.OTHER, "item": "Paper", "quantity": "abc", "unit_cost": "3"},
    ]
    with translation.override("en"):
        response = client.post(section_url(draft, "budget"), budget_post(bad), **(HTMX if htmx else {}))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="b-err-2"' in body
    assert "Row 3: “quantity” must be a number." in body
    draft.refresh_from_db()
    assert draft.budget_lines.count() == 2 and draft.requested_amount == Decimal("4500.00")
    if not htmx:
        assert 'value="abc"' in body  # what was typed stays on the page


@pytest.mark.parametrize("value", ["NaN", "inf", "1e400", "99999999999", "-5", "1" * 400])
def test_budget_strange_numbers_never_500(client, draft, value):
    rows = [{"category": BudgetCategory.OTHER, "item": "X", "quantity": value, "unit_cost": "2"}]
    response = client.post(section_url(draft, "budget"), budget_post(rows))
    assert response.status_code == 400
    assert draft.budget_lines.count() == 0


def test_budget_empty_rows_are_left_out_and_numbers_follow_the_table(client, draft):
    data = budget_post(VALID_BUDGET_ROWS)
    data.update({"b-7-category": "", "b-7-item": "", "b-9-category": "other"})
    response = client.post(section_url(draft, "budget"), data)
    assert response.status_code == 302
    assert draft.budget_lines.count() == 2


def test_timeline_and_errors(client, draft):
    ok = {"a-0-title": "Workshops", "a-0-starts_on": "2030-01-01", "a-0-ends_on": "2030-02-01"}
    assert client.post(section_url(draft, "timeline"), ok).status_code == 302
    assert draft.activities.count() == 1
    bad = {**ok, "a-1-title": "Backwards", "a-1-starts_on": "2030-03-01", "a-1-ends_on": "2030-01-01"}
    response = client.post(section_url(draft, "timeline"), bad, **HTMX)
    assert response.status_code == 400
    assert 'id="a-err-1"' in response.content.decode()
    assert draft.activities.count() == 1


def test_group_members_and_bad_email(client, group_draft):
    data = {"m-0-name": "Ana", "m-0-role": "lead", "m-1-name": "Besa", "m-1-email": "besa@example.org"}
    assert client.post(section_url(group_draft, "group"), data).status_code == 302
    assert list(group_draft.group_members.values_list("name", flat=True)) == ["Ana", "Besa"]
    response = client.post(section_url(group_draft, "group"), {**data, "m-1-email": "not-an-email"})
    assert response.status_code == 400
    assert group_draft.group_members.get(name="Besa").email == "besa@example.org"


def test_progress_lists_missing(client, draft):
    response = client.get(section_url(draft, "budget"))
    progress = response.context["progress"]
    assert not progress["complete"]
    missing = {s["key"]: s["missing"] for s in progress["steps"]}
    assert missing["budget"] and missing["project"] and missing["attachments"]
    body = response.content.decode()
    assert str(missing["budget"][0]) in body


def test_changes_requested_note_on_top(client, django_capture_on_commit_callbacks):
    application = submitted_application()
    staff = StaffFactory()
    assessment.application_request_changes(actor=staff, application=application, note="Please add a CV.")
    client.force_login(application.applicant)
    response = client.get(section_url(application, "project"))
    assert response.status_code == 200
    assert "Please add a CV." in response.content.decode()


def test_invited_explains_full_proposal_deadline(client, english):
    deadline = timezone.now() + timedelta(days=15)
    call = CallFactory(with_form=True, two_stage=True, full_proposal_closes_at=deadline)
    application = ApplicationFactory(
        call=call, status=ApplicationStatus.INVITED, stage=Stage.FULL, reference="CEA-2030-0001"
    )
    client.force_login(application.applicant)
    response = client.get(section_url(application, "project"))
    assert response.status_code == 200
    assert "You are invited to submit a full proposal" in response.content.decode()


def test_draft_survives_logout(client, draft):
    client.post(section_url(draft, "project"), {"title": "Kept"})
    client.logout()
    client.force_login(draft.applicant)
    assert 'value="Kept"' in client.get(section_url(draft, "project")).content.decode()


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED])
def test_not_editable_status_refused_for_applicant(client, status):
    application = ApplicationFactory(status=status, reference=f"CEA-2030-{status[:4]}")
    client.force_login(application.applicant)
    for url in (
        reverse("grants:application_edit", kwargs={"pk": application.pk}),
        section_url(application, "project"),
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert (
            reverse("grants:application_detail", kwargs={"pk": application.pk}) in response.content.decode()
        )
    response = client.post(section_url(application, "project"), {"title": "Changed"})
    assert response.status_code == 400
    response = client.post(section_url(application, "project"), {"title": "Changed"}, **HTMX)
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.title == ""


def test_malformed_posts_never_500(client, draft):
    for section in ("project", "questions", "budget", "timeline"):
        response = client.post(
            section_url(draft, section),
            {
                "b-99999-quantity": "x",
                "a-1-starts_on": "9" * 50,
                "starts_on": "0000-00-00",
                "municipality": "abc",
            },
        )
        assert response.status_code in (302, 400)
    response = client.post(section_url(draft, "attachments"), {})
    assert response.status_code == 404


def _seed(application, n):
    rows = [
        {"category": BudgetCategory.OTHER, "item": f"Item {i}", "quantity": "1", "unit_cost": "10"}
        for i in range(n)
    ]
    app_services.application_save_budget(actor=application.applicant, application=application, rows=rows)
    app_services.application_save_activities(
        actor=application.applicant,
        application=application,
        rows=[{"title": f"A{i}", "starts_on": "2030-01-01", "ends_on": "2030-01-02"} for i in range(n)],
    )
    for i in range(n):
        Question.objects.create(
            call=application.call,
            stage=Stage.FULL,
            order=20 + i,
            kind=QuestionKind.SHORT_TEXT,
            label_sq=f"Q{i}",
        )
    questions = application.call.questions.filter(kind=QuestionKind.SHORT_TEXT)
    app_services.application_save_answers(
        actor=application.applicant, application=application, answers={q.key: "x" for q in questions}
    )


@pytest.mark.parametrize("section", ["budget", "questions", "timeline"])
def test_editor_query_count_does_not_grow(client, section):
    counts = []
    for n in (4, 12):
        application = ApplicationFactory(call=CallFactory(with_form=True))
        _seed(application, n)
        client.force_login(application.applicant)
        client.get(section_url(application, section))  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(section_url(application, section))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
@pytest.mark.parametrize("section", ["project", "questions", "budget", "timeline", "attachments"])
def test_editor_renders_in_each_language(client, draft, lang, section):
    with translation.override(lang):
        response = client.get(section_url(draft, section))
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()
    assert t("Preview and submit", lang) in response.content.decode()


def test_edit_of_an_application_of_another_person_is_404(client, draft):
    client.force_login(UserFactory())
    assert client.get(section_url(draft, "project")).status_code == 404
    assert client.post(section_url(draft, "project"), {"title": "x"}).status_code == 404
    assert Application.objects.get(pk=draft.pk).title == ""
