"""The applicant's services: eligibility and start, the draft (project, answers, budget,
plan, group, attachments), the checks of a whole application, submit, withdraw, messages."""

import re
import zlib
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import EmailOutbox, Municipality, StatusChange
from grants.choices import ApplicantType, ApplicationStatus, BudgetCategory, QuestionKind, Stage
from grants.models import (
    Application,
    Attachment,
    AttachmentRequirement,
    BudgetLine,
    Message,
    Question,
    ReferenceCounter,
    Revision,
)
from grants.services import applications as services
from grants.services import assessment
from grants.services.common import next_reference
from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of
from tests.grants.factories import (
    VALID_BUDGET_ROWS,
    CallFactory,
    complete_draft,
    docx_bytes,
    exe_upload,
    pdf_upload,
    png_upload,
    verified_cso,
)
from tests.grants.states import bring_to, draft, footprint
from tests.helpers import t

pytestmark = pytest.mark.django_db

S = ApplicationStatus
I = ApplicantType.INDIVIDUAL  # noqa: E741


def start(call=None, user=None, **kwargs):
    call = call or CallFactory(with_form=True)
    user = user or UserFactory()
    kwargs.setdefault("applicant_type", I)
    return services.application_start(actor=user, call=call, **kwargs)


def pdf_language(content: bytes) -> str:
    """The document language of a WeasyPrint PDF (/Lang of its catalog, in a compressed
    object stream)."""
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            found = re.search(rb"/Lang \(([^)]*)\)", zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
        if found:
            return found.group(1).decode()
    return ""


def budget(requested_rows):
    """Rows of (quantity, unit cost, co-financing)."""
    return [
        {
            "category": BudgetCategory.OTHER,
            "item": f"Item {i}",
            "quantity": q,
            "unit_cost": u,
            "cofinancing": c,
        }
        for i, (q, u, c) in enumerate(requested_rows)
    ]


# --- eligibility and start ------------------------------------------------------------------


def reason(**kwargs):
    return services.check_eligibility(**kwargs)


def test_eligibility_refusal_reasons(english):
    user = UserFactory()
    call = CallFactory()
    ok = reason(user=user, call=call, applicant_type=I)
    assert ok.allowed and ok.reason == ""

    def refused(expected, **kwargs):
        verdict = reason(**{"user": user, "call": call, "applicant_type": I, **kwargs})
        assert not verdict.allowed
        assert expected in verdict.reason, verdict.reason

    refused("Sign in", user=AnonymousUser())
    refused("not published", call=CallFactory(is_published=False))
    refused("not open yet", call=CallFactory(opens_at=timezone.now() + timedelta(days=1)))
    refused(
        "deadline",
        call=CallFactory(
            opens_at=timezone.now() - timedelta(days=5), closes_at=timezone.now() - timedelta(seconds=1)
        ),
    )
    refused("Choose how you apply", applicant_type="company")
    refused("open only to: Registered CSO", call=CallFactory(allow_individuals=False, allow_groups=False))
    refused("Choose the organisation", applicant_type=ApplicantType.ORGANIZATION)
    stranger_org = verified_cso()
    refused("editor", applicant_type=ApplicantType.ORGANIZATION, organization=stranger_org)
    viewer_org = verified_cso()
    Membership.objects.create(organization=viewer_org, user=user, role=Membership.Role.VIEWER)
    refused("editor", applicant_type=ApplicantType.ORGANIZATION, organization=viewer_org)
    inactive = verified_cso(editor=user, is_active=False)
    refused("editor", applicant_type=ApplicantType.ORGANIZATION, organization=inactive)
    company = verified_cso(editor=user, kind=Organization.Kind.COMPANY)
    refused("Only registered CSOs", applicant_type=ApplicantType.ORGANIZATION, organization=company)
    pending = OrganizationFactory()
    Membership.objects.create(organization=pending, user=user, role=Membership.Role.EDITOR)
    refused("verified", applicant_type=ApplicantType.ORGANIZATION, organization=pending)
    refused("only when you apply for it", organization=verified_cso(editor=user))


def test_one_application_per_applicant_and_call_until_withdrawn(english):
    user = UserFactory()
    call = CallFactory()
    first = start(call, user)
    with pytest.raises(ValidationError, match="already an application"):
        start(call, user)
    # Another way of applying is another applicant.
    start(call, user, applicant_type=ApplicantType.GROUP, group_name="Youth of Lipjan")
    services.application_withdraw(actor=user, application=first)
    again = start(call, user)
    assert again.pk != first.pk and again.status == S.DRAFT


def test_one_application_per_organisation_whoever_starts_it(english):
    owner, editor = UserFactory(), UserFactory()
    organization = verified_cso(editor=owner)
    Membership.objects.create(organization=organization, user=editor, role=Membership.Role.EDITOR)
    call = CallFactory()
    app = start(call, owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization)
    assert app.organization == organization and app.applicant == owner and app.stage == Stage.FULL
    with pytest.raises(ValidationError, match="already an application"):
        start(call, editor, applicant_type=ApplicantType.ORGANIZATION, organization=organization)


def test_start_refusals(english):
    with pytest.raises(PermissionDenied):
        start(user=AnonymousUser())
    with pytest.raises(ValidationError, match="name of your group"):
        start(applicant_type=ApplicantType.GROUP, group_name="  ")
    with pytest.raises(ValidationError, match="not published"):
        start(call=CallFactory(is_published=False))
    assert not Application.objects.exists()


def test_start_of_a_two_stage_call_is_a_concept_note():
    call = CallFactory(two_stage=True, full_proposal_closes_at=timezone.now() + timedelta(days=50))
    group = start(call, applicant_type=ApplicantType.GROUP, group_name=" River friends ")
    assert group.stage == Stage.CONCEPT and group.group_name == "River friends" and group.organization is None


def test_applicant_options_list_every_way_of_applying():
    user = UserFactory()
    organization = verified_cso(editor=user)
    options = services.applicant_options(user=user, call=CallFactory())
    kinds = [(kind, org) for kind, org, _verdict in options]
    assert (ApplicantType.INDIVIDUAL, None) in kinds
    assert (ApplicantType.ORGANIZATION, organization) in kinds
    assert all(verdict.allowed for _kind, _org, verdict in options)


# --- the draft ------------------------------------------------------------------------------


def test_a_draft_keeps_partial_and_invalid_answers():
    app = start()
    call = app.call
    long_q = call.questions.get(kind=QuestionKind.LONG_TEXT)
    choice_q = call.questions.get(kind=QuestionKind.SINGLE_CHOICE)
    services.application_save_project(actor=app.applicant, application=app, data={"title": "  Half  "})
    services.application_save_answers(
        actor=app.applicant,
        application=app,
        answers={long_q.key: "word " * 80, choice_q.key: "9", "q999999": "ignored", "evil": "x"},
    )
    app.refresh_from_db()
    assert app.title == "Half" and app.status == S.DRAFT
    assert app.answers == {long_q.key: ("word " * 80).strip(), choice_q.key: "9"}
    problems = services.application_problems(app)
    assert f"answer:{long_q.key}" in problems and f"answer:{choice_q.key}" in problems


def test_a_failed_submit_loses_nothing(english):
    app = start()
    services.application_save_project(actor=app.applicant, application=app, data={"title": "Only a title"})
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=app.applicant, application=app)
    assert "budget" in refused.value.problems
    app.refresh_from_db()
    assert app.title == "Only a title" and app.status == S.DRAFT and app.reference is None
    assert not Revision.objects.exists() and not EmailOutbox.objects.exists()


@pytest.mark.parametrize(
    "value",
    [5, 4.5, {"a": 1}, None, ["1", "2"], ("1",)],
)
def test_answers_of_any_shape_are_stored_without_error(value):
    app = start()
    multi = Question.objects.create(
        call=app.call, stage=Stage.FULL, kind=QuestionKind.MULTIPLE_CHOICE, label_sq="M", choices_sq="A\nB"
    )
    short = Question.objects.create(
        call=app.call, stage=Stage.FULL, kind=QuestionKind.SHORT_TEXT, label_sq="S"
    )
    services.application_save_answers(
        actor=app.applicant, application=app, answers={multi.key: value, short.key: value}
    )
    app.refresh_from_db()
    assert isinstance(app.answers[multi.key], list)
    assert isinstance(app.answers[short.key], str)


def test_project_fields_refuse_tampered_dates_and_places():
    app = start()
    with pytest.raises(ValidationError):
        services.application_save_project(
            actor=app.applicant, application=app, data={"starts_on": "31/02/2026"}
        )
    with pytest.raises(ValidationError):
        services.application_save_project(
            actor=app.applicant, application=app, data={"municipality": "99999999999"}
        )
    with pytest.raises(ValidationError):
        services.application_save_project(actor=app.applicant, application=app, data={"municipality": "x"})
    with pytest.raises(ValidationError):  # a digit int() does not read
        services.application_save_project(actor=app.applicant, application=app, data={"municipality": "²"})
    prishtine = Municipality.objects.get(slug="prishtine")
    services.application_save_project(
        actor=app.applicant,
        application=app,
        data={"municipality": str(prishtine.pk), "starts_on": "2027-01-02", "ends_on": ""},
    )
    app.refresh_from_db()
    assert app.municipality == prishtine and str(app.starts_on) == "2027-01-02" and app.ends_on is None


def test_budget_totals_are_computed():
    app = start()
    services.application_save_budget(actor=app.applicant, application=app, rows=VALID_BUDGET_ROWS)
    app.refresh_from_db()
    assert app.requested_amount == Decimal("4500.00")
    assert app.cofinancing_amount == Decimal("1500.00")
    assert app.total_cost == Decimal("6000.00")
    assert [line.amount for line in app.budget_lines.all()] == [Decimal("4000.00"), Decimal("2000.00")]
    # An explicit requested amount must add up with the co-financing.
    rows = budget([("2", "1000,50", "1")])
    rows[0]["requested"] = "2000"
    services.application_save_budget(actor=app.applicant, application=app, rows=rows)
    app.refresh_from_db()
    assert (app.requested_amount, app.cofinancing_amount, app.total_cost) == (
        Decimal("2000.00"),
        Decimal("1.00"),
        Decimal("2001.00"),
    )


@pytest.mark.parametrize(
    "row",
    [
        {"quantity": "NaN"},
        {"quantity": "1e309"},
        {"unit_cost": "-5"},
        {"unit_cost": "abc"},
        {"unit_cost": "Infinity"},
        {"unit_cost": "sNaN"},
        {"quantity": "0"},
        {"quantity": "100000000", "unit_cost": "1"},
        {"unit_cost": "99999999999"},
        {"cofinancing": "999999"},
        {"requested": "1", "cofinancing": "0"},
        {"category": "bribes"},
        {"item": ""},
        {"cofinancing": [1, 2]},
    ],
)
def test_a_bad_budget_row_refuses_the_whole_table_and_keeps_the_old_one(row):
    app = start()
    services.application_save_budget(actor=app.applicant, application=app, rows=VALID_BUDGET_ROWS)
    bad = {"category": BudgetCategory.OTHER, "item": "Bad", "quantity": "1", "unit_cost": "100", **row}
    with pytest.raises(ValidationError) as refused:
        services.application_save_budget(
            actor=app.applicant, application=app, rows=[VALID_BUDGET_ROWS[0], bad]
        )
    assert any("2" in message for message in refused.value.messages)  # the row is named
    app.refresh_from_db()
    assert app.budget_lines.count() == 2 and app.requested_amount == Decimal("4500.00")


@pytest.mark.parametrize("rows", ["rows", [["a"]], [None], {"a": 1}, None, [1, 2]])
def test_tables_that_are_not_tables_are_refused(rows):
    app = start(applicant_type=ApplicantType.GROUP, group_name="G")
    for save in (
        services.application_save_budget,
        services.application_save_activities,
        services.application_save_group_members,
    ):
        with pytest.raises(ValidationError):
            save(actor=app.applicant, application=app, rows=rows)


def test_budget_limits_of_the_table(english):
    app = start()
    with pytest.raises(ValidationError, match="at most 100 lines"):
        services.application_save_budget(
            actor=app.applicant, application=app, rows=budget([("1", "1", "0")] * 101)
        )
    # Empty rows of the form are skipped.
    services.application_save_budget(
        actor=app.applicant, application=app, rows=[{"category": "", "item": ""}, *VALID_BUDGET_ROWS]
    )
    assert app.budget_lines.count() == 2


def budget_messages(app):
    return services.application_problems(app).get("budget", [])


@pytest.mark.parametrize(
    ("rows", "ok"),
    [
        ([("1", "1250", "250")], True),  # 1,000 requested: the minimum, 20% exactly
        ([("1", "1249.99", "250")], False),  # 999.99: below the minimum
        ([("1", "12500", "2500")], True),  # 10,000: the maximum, 20% exactly
        ([("1", "12500.01", "2500")], False),  # 10,000.01: above the maximum
        ([("1", "5000", "999.99")], False),  # 19.99998% co-financing: 0.01 short
        ([("1", "5000", "1000")], True),  # exactly 20%
    ],
)
def test_budget_rules_of_the_call_at_their_boundaries(rows, ok):
    app = start()
    services.application_save_budget(actor=app.applicant, application=app, rows=budget(rows))
    app.refresh_from_db()
    assert (budget_messages(app) == []) is ok, budget_messages(app)


def test_budget_problems_name_what_is_wrong(english):
    app = start()
    assert budget_messages(app) == ["Add at least one line to the budget."]
    services.application_save_budget(actor=app.applicant, application=app, rows=budget([("1", "500", "0")]))
    app.refresh_from_db()
    messages = budget_messages(app)
    assert any("below the minimum" in m for m in messages)
    assert any("co-financing" in m for m in messages)


def test_activities_and_group_members(english):
    app = start(applicant_type=ApplicantType.GROUP, group_name="G")
    with pytest.raises(ValidationError) as refused:
        services.application_save_activities(
            actor=app.applicant,
            application=app,
            rows=[
                {"title": "A", "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
                {"title": "", "starts_on": "2027-02-01", "ends_on": "2027-03-01"},
                {"title": "C", "starts_on": "never"},
            ],
        )
    assert len(refused.value.messages) == 3
    services.application_save_activities(
        actor=app.applicant,
        application=app,
        rows=[{"title": "A", "starts_on": "2027-02-01", "ends_on": "2027-02-01"}, {"title": ""}],
    )
    assert app.activities.count() == 1
    with pytest.raises(ValidationError, match="not a valid email"):
        services.application_save_group_members(
            actor=app.applicant, application=app, rows=[{"name": "Ana", "email": "nope"}]
        )
    services.application_save_group_members(
        actor=app.applicant,
        application=app,
        rows=[{"name": "Ana", "email": "ana@example.org"}, {"name": " "}],
    )
    assert list(app.group_members.values_list("name", flat=True)) == ["Ana"]
    individual = start()
    with pytest.raises(ValidationError, match="Only an informal group"):
        services.application_save_group_members(actor=individual.applicant, application=individual, rows=[])


# --- attachments ----------------------------------------------------------------------------


def test_attachment_types_are_sniffed_from_the_content():
    app = start()
    from django.core.files.uploadedfile import SimpleUploadedFile

    for upload, kind in (
        (pdf_upload(), "pdf"),
        (png_upload("scan.pdf"), "png"),  # the name lies; the content decides
        (SimpleUploadedFile("plan.docx", docx_bytes()), "docx"),
    ):
        attachment = services.attachment_add(actor=app.applicant, application=app, upload=upload)
        assert attachment.file_type == kind
        assert attachment.file.name.endswith(f".{kind}")
    for upload in (exe_upload(), SimpleUploadedFile("empty.pdf", b""), SimpleUploadedFile("x.txt", b"hello")):
        with pytest.raises(ValidationError):
            services.attachment_add(actor=app.applicant, application=app, upload=upload)
    assert app.attachments.count() == 3


def test_attachment_size_limit(settings, english):
    settings.GRANTS_ATTACHMENT_MAX_BYTES = len(pdf_upload().read()) - 1
    app = start()
    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(actor=app.applicant, application=app, upload=pdf_upload())
    assert not app.attachments.exists()


def test_attachment_count_limit_but_a_slot_can_still_be_replaced(settings, english):
    settings.GRANTS_MAX_ATTACHMENTS = 2
    app = start()
    requirement = app.call.attachment_requirements.get()
    services.attachment_add(
        actor=app.applicant, application=app, upload=pdf_upload(), requirement=requirement
    )
    services.attachment_add(actor=app.applicant, application=app, upload=pdf_upload("other.pdf"))
    with pytest.raises(ValidationError, match="at most 2 files"):
        services.attachment_add(actor=app.applicant, application=app, upload=pdf_upload("third.pdf"))
    services.attachment_add(
        actor=app.applicant, application=app, upload=pdf_upload("new-cv.pdf"), requirement=requirement
    )
    assert sorted(a.original_name for a in services.current_attachments(app)) == ["new-cv.pdf", "other.pdf"]


def test_replacing_a_draft_file_deletes_the_old_one(grants_files, django_capture_on_commit_callbacks):
    app = start()
    requirement = app.call.attachment_requirements.get()
    with django_capture_on_commit_callbacks(execute=True):
        old = services.attachment_add(
            actor=app.applicant, application=app, upload=pdf_upload(), requirement=requirement
        )
    name = old.file.name
    assert grants_files.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.attachment_add(
            actor=app.applicant, application=app, upload=pdf_upload("v2.pdf"), requirement=requirement
        )
    assert not Attachment.objects.filter(pk=old.pk).exists() and not grants_files.exists(name)
    assert [a.pk for a in services.current_attachments(app)] == [new.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=app.applicant, attachment=new)
    assert not app.attachments.exists() and not grants_files.exists(new.file.name)


def test_attachments_must_belong_to_the_call_and_stage(english):
    app = start()
    other = CallFactory(with_form=True)
    with pytest.raises(ValidationError, match="not asked for"):
        services.attachment_add(
            actor=app.applicant,
            application=app,
            upload=pdf_upload(),
            requirement=other.attachment_requirements.get(),
        )
    concept = AttachmentRequirement.objects.create(call=app.call, stage=Stage.CONCEPT, label_sq="Koncept")
    with pytest.raises(ValidationError, match="not asked for"):
        services.attachment_add(
            actor=app.applicant, application=app, upload=pdf_upload(), requirement=concept
        )
    text_q = app.call.questions.first()
    with pytest.raises(ValidationError, match="does not take a file"):
        services.attachment_add(actor=app.applicant, application=app, upload=pdf_upload(), question=text_q)
    assert not app.attachments.exists()


def test_frozen_files_are_kept_after_resubmission(grants_files, django_capture_on_commit_callbacks):
    case = bring_to(S.SUBMITTED)
    app, applicant = case.application, case.applicant
    first = {a.original_name: a for a in app.attachments.all()}
    assert all(a.frozen for a in first.values())
    assessment.application_request_changes(actor=case.staff, application=app, note="New CV please")
    app.refresh_from_db()
    requirement = app.call.attachment_requirements.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            actor=applicant, application=app, upload=pdf_upload("cv-2.pdf"), requirement=requirement
        )
    old_cv = first["cv.pdf"]
    old_cv.refresh_from_db()
    assert grants_files.exists(old_cv.file.name) and old_cv.requirement is None
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=applicant, application=app)
    revisions = list(Revision.objects.filter(application=app).order_by("number"))
    assert [a["name"] for a in revisions[0].snapshot["attachments"]] == ["cv.pdf"]
    assert [a["name"] for a in revisions[1].snapshot["attachments"]] == ["cv-2.pdf"]
    assert revisions[0].snapshot["attachments"][0]["id"] == old_cv.pk
    assert Attachment.objects.filter(application=app, frozen=True).count() == 2


def test_other_files_survive_a_resubmission_until_removed(grants_files, django_capture_on_commit_callbacks):
    app = draft().application
    applicant = app.applicant
    annex = services.attachment_add(actor=applicant, application=app, upload=pdf_upload("annex.pdf"))
    services.application_submit(actor=applicant, application=app)
    staff = StaffFactory()
    assessment.application_request_changes(actor=staff, application=app, note="More")
    app.refresh_from_db()
    assert "annex.pdf" in [a.original_name for a in services.current_attachments(app)]
    services.application_submit(actor=applicant, application=app)
    second = app.revisions.order_by("number").last()
    assert "annex.pdf" in [a["name"] for a in second.snapshot["attachments"]]

    assessment.application_request_changes(actor=staff, application=app, note="Drop the annex")
    app.refresh_from_db()
    stale = Attachment.objects.get(pk=annex.pk)
    stale.frozen = False  # an object read before the submission froze it
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(actor=applicant, attachment=stale)
    annex.refresh_from_db()
    assert grants_files.exists(annex.file.name)  # kept for the revisions that hold it
    app.refresh_from_db()
    assert "annex.pdf" not in [a.original_name for a in services.current_attachments(app)]
    services.application_submit(actor=applicant, application=app)
    third = app.revisions.order_by("number").last()
    assert "annex.pdf" not in [a["name"] for a in third.snapshot["attachments"]]
    assert "annex.pdf" in [a["name"] for a in second.snapshot["attachments"]]


def test_a_file_of_another_application_cannot_be_removed():
    mine = draft().application
    theirs = draft().application
    attachment = theirs.attachments.first()
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=mine.applicant, attachment=attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- the checks of a whole application -------------------------------------------------------


def test_application_problems_by_section(english):
    call = CallFactory(with_form=True)
    call.municipalities.add(Municipality.objects.get(slug="prizren"))
    app = start(call, applicant_type=ApplicantType.GROUP, group_name="G")
    services.application_save_project(actor=app.applicant, application=app, data={"group_name": ""})
    app.refresh_from_db()
    problems = services.application_problems(app)
    questions = list(call.questions.all())
    assert set(problems) == {
        "project",
        "group",
        *(f"answer:{q.key}" for q in questions),
        "budget",
        "activities",
        "attachments",
    }
    assert "Give the project a title." in problems["project"]
    assert "Give the name of your group." in problems["group"]
    assert "Name at least two members of the group." in problems["group"]
    assert problems["attachments"] == ["Attach: CV of the project lead."]

    complete_draft(app)
    app.refresh_from_db()
    problems = services.application_problems(app)
    assert problems == {"project": ["This call funds projects only in the municipalities it names."]}
    services.application_save_project(
        actor=app.applicant, application=app, data={"municipality": Municipality.objects.get(slug="prizren")}
    )
    app.refresh_from_db()
    assert services.application_problems(app) == {}


@pytest.mark.parametrize(
    ("kind", "extra", "value", "problem"),
    [
        (QuestionKind.NUMBER, {"min_value": 1, "max_value": 10}, "11", "at most 10"),
        (QuestionKind.NUMBER, {"min_value": 1, "max_value": 10}, "0", "at least 1"),
        (QuestionKind.NUMBER, {}, "NaN", "Enter a number"),
        (QuestionKind.NUMBER, {}, "ten", "Enter a number"),
        (QuestionKind.NUMBER, {"max_value": 10}, "1e309", "at most 10"),
        (QuestionKind.NUMBER, {"min_value": 1, "max_value": 10}, "10", None),
        (QuestionKind.DATE, {}, "2027-02-30", "Enter a date"),
        (QuestionKind.DATE, {}, "2027-02-28", None),
        (QuestionKind.MULTIPLE_CHOICE, {"choices_sq": "A\nB"}, ["1", "3"], "Choose one of the options"),
        (QuestionKind.MULTIPLE_CHOICE, {"choices_sq": "A\nB"}, ["1", "2"], None),
        (QuestionKind.SINGLE_CHOICE, {"choices_sq": "A\nB"}, "2", None),
        (QuestionKind.LONG_TEXT, {"word_limit": 3}, "one two three four", "4 words; the limit is 3"),
        (QuestionKind.LONG_TEXT, {"word_limit": 3}, "one two three", None),
        (QuestionKind.SHORT_TEXT, {}, "   ", "needs an answer"),
    ],
)
def test_answer_problems(kind, extra, value, problem, english):
    app = start(call=CallFactory())
    question = Question.objects.create(call=app.call, stage=Stage.FULL, kind=kind, label_sq="Q", **extra)
    services.application_save_answers(actor=app.applicant, application=app, answers={question.key: value})
    app.refresh_from_db()
    found = services.application_problems(app).get(f"answer:{question.key}")
    if problem is None:
        assert found is None
    else:
        assert found and problem in found[0], found


def test_optional_and_file_questions():
    app = start(call=CallFactory())
    optional = Question.objects.create(
        call=app.call, kind=QuestionKind.SHORT_TEXT, label_sq="O", required=False
    )
    file_q = Question.objects.create(call=app.call, kind=QuestionKind.FILE, label_sq="F")
    problems = services.application_problems(app)
    assert f"answer:{optional.key}" not in problems and f"answer:{file_q.key}" in problems
    services.attachment_add(actor=app.applicant, application=app, upload=pdf_upload(), question=file_q)
    assert f"answer:{file_q.key}" not in services.application_problems(app)


# --- submit ---------------------------------------------------------------------------------


def test_submit_stamps_the_reference_freezes_and_confirms(django_capture_on_commit_callbacks, english):
    case = draft()
    app, applicant = case.application, case.applicant
    applicant.preferred_language = "en"
    applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=applicant, application=app)
    app.refresh_from_db()
    year = timezone.localdate().year
    assert re.fullmatch(rf"CEA-{year}-\d{{4}}", app.reference)
    assert app.status == S.SUBMITTED and app.submitted_at is not None
    change = StatusChange.objects.get(application=app)
    assert (change.from_status, change.to_status, change.actor) == (S.DRAFT, S.SUBMITTED, applicant)
    revision = Revision.objects.get(application=app)
    assert revision.number == 1 and revision.stage == Stage.FULL and revision.created_by == applicant
    data = revision.snapshot
    assert data["title"] == "Clean river" and data["applicant"] == applicant.get_full_name()
    assert data["totals"] == {"requested": "4500.00", "cofinancing": "1500.00", "total": "6000.00"}
    assert [row["item"] for row in data["budget"]] == ["Workshops", "Coordinator"]
    assert data["activities"][0]["title"] == "Workshops"
    assert [a["name"] for a in data["attachments"]] == ["cv.pdf"]
    choice = next(a for a in data["answers"] if a["kind"] == QuestionKind.SINGLE_CHOICE)
    assert choice["value"] == "1" and choice["display"] == "Youth"  # as the applicant saw it
    assert choice["display_i18n"] == {"sq": "Të rinjtë", "sr": "Të rinjtë", "en": "Youth"}
    assert all(a.frozen for a in app.attachments.all())

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [applicant.email]
    assert email.subject == f"Application {app.reference} received"
    assert app.call.title_en in email.body
    name, content, content_type = email.attachments[0]
    assert name == f"{app.reference}.pdf" and content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    assert pdf_language(content) == "en"


@pytest.mark.parametrize(
    ("language", "title_field"), [("sq", "title_sq"), ("sr-latn", "title_sr"), ("en", "title_en")]
)
def test_confirmation_in_each_recipients_language(language, title_field, django_capture_on_commit_callbacks):
    owner = UserFactory(preferred_language=language)
    organization = verified_cso(editor=owner)
    editor = member_of(organization, Membership.Role.EDITOR)  # sq by default
    member_of(organization, Membership.Role.VIEWER)  # readers are not emailed
    with django_capture_on_commit_callbacks(execute=True):
        case = bring_to(
            S.SUBMITTED,
            applicant=owner,
            applicant_type=ApplicantType.ORGANIZATION,
            organization=organization,
        )
    by_address = {email.to[0]: email for email in mail.outbox}
    assert set(by_address) == {owner.email, editor.email}
    call = case.call
    mine = by_address[owner.email]
    assert getattr(call, title_field) in mine.body
    assert mine.attachments[0][1].startswith(b"%PDF")
    assert pdf_language(mine.attachments[0][1]) == language
    assert pdf_language(by_address[editor.email].attachments[0][1]) == "sq"
    assert call.title_sq in by_address[editor.email].body
    outbox = EmailOutbox.objects.get(to=owner.email)
    assert outbox.attachment_args[-1] == language


def test_references_count_per_year_without_gaps():
    first = bring_to(S.SUBMITTED).application
    second = bring_to(S.SUBMITTED).application
    year = timezone.localdate().year
    assert first.reference == f"CEA-{year}-0001" and second.reference == f"CEA-{year}-0002"
    assert ReferenceCounter.objects.get(year=year).last == 2
    assert next_reference(datetime(2031, 6, 1, tzinfo=ZoneInfo("UTC"))) == "CEA-2031-0001"
    assert next_reference(datetime(2031, 6, 1, tzinfo=ZoneInfo("UTC"))) == "CEA-2031-0002"
    # New year's night in Kosovo is still the old year in UTC: the year is Kosovo's.
    assert next_reference(datetime(2032, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == "CEA-2033-0001"


def test_a_second_click_never_submits_twice(django_capture_on_commit_callbacks, english):
    app = draft().application
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=app.applicant, application=app)
    before = footprint(app)
    stale = Application.objects.get(pk=app.pk)
    stale.status = S.DRAFT  # the page the second click came from
    with pytest.raises(ValidationError, match="already submitted"):
        services.application_submit(actor=app.applicant, application=stale)
    assert footprint(app) == before
    assert Revision.objects.filter(application=app).count() == 1 and len(mail.outbox) == 1


def test_nobody_submits_after_the_deadline(english):
    app = draft().application
    app.call.closes_at = timezone.now() - timedelta(minutes=1)
    app.call.opens_at = timezone.now() - timedelta(days=30)
    app.call.save()
    before = footprint(app)
    with pytest.raises(ValidationError, match="deadline") as refused:
        services.application_submit(actor=app.applicant, application=app)
    assert refused.value.code == "deadline_passed"
    assert footprint(app) == before
    app.refresh_from_db()
    assert app.title == "Clean river" and app.budget_lines.count() == 2  # the draft is kept


def test_a_full_proposal_has_its_own_deadline(english):
    case = bring_to(S.INVITED)
    complete_draft(case.application, case.applicant)
    call = case.call
    call.closes_at = timezone.now() - timedelta(days=1)  # the concept deadline is over
    call.save()
    # Still before the full proposal's deadline: accepted.
    services.application_submit(actor=case.applicant, application=case.application)
    assert case.refresh().status == S.SUBMITTED

    late = bring_to(S.INVITED)
    complete_draft(late.application, late.applicant)
    late.call.full_proposal_closes_at = timezone.now() - timedelta(seconds=1)
    late.call.save()
    before = footprint(late.application)
    with pytest.raises(ValidationError, match="deadline"):
        services.application_submit(actor=late.applicant, application=late.application)
    assert footprint(late.application) == before


def test_a_resubmission_kcsf_asked_for_is_accepted_after_the_call_closed():
    case = bring_to(S.CHANGES_REQUESTED)
    case.call.closes_at = timezone.now() - timedelta(days=1)
    case.call.save()
    services.application_submit(actor=case.applicant, application=case.application)
    app = case.refresh()
    assert app.status == S.SUBMITTED and app.revisions.count() == 2
    assert app.reference.endswith("0001")  # the same reference


def test_resubmission_keeps_every_revision(django_capture_on_commit_callbacks):
    case = bring_to(S.CHANGES_REQUESTED)
    app = case.application
    services.application_save_project(actor=case.applicant, application=app, data={"title": "Cleaner river"})
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=case.applicant, application=app)
    titles = list(app.revisions.order_by("number").values_list("snapshot__title", flat=True))
    assert titles == ["Clean river", "Cleaner river"]
    assert mail.outbox[-1].attachments[0][0] == f"{case.refresh().reference}.pdf"


def test_only_the_applicant_side_submits():
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    case = draft(applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization)
    viewer = member_of(organization, Membership.Role.VIEWER)
    for person in (viewer, UserFactory(), StaffFactory(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.application_submit(actor=person, application=case.application)
    assert case.refresh().status == S.DRAFT
    editor = member_of(organization, Membership.Role.EDITOR)
    services.application_submit(actor=editor, application=case.application)
    assert case.refresh().status == S.SUBMITTED


@pytest.mark.parametrize(
    "action",
    [
        lambda a, u: services.application_save_project(actor=u, application=a, data={"title": "Mine now"}),
        lambda a, u: services.application_save_answers(actor=u, application=a, answers={}),
        lambda a, u: services.application_save_budget(actor=u, application=a, rows=VALID_BUDGET_ROWS),
        lambda a, u: services.application_save_activities(actor=u, application=a, rows=[]),
        lambda a, u: services.attachment_add(actor=u, application=a, upload=pdf_upload()),
        lambda a, u: services.application_submit(actor=u, application=a),
        lambda a, u: services.application_withdraw(actor=u, application=a),
    ],
)
def test_another_persons_application_is_out_of_reach(action):
    case = draft()
    before = footprint(case.application)
    with pytest.raises(PermissionDenied):
        action(case.application, UserFactory())
    assert footprint(case.application) == before
    assert case.refresh().title == "Clean river"


def test_a_sent_application_cannot_be_edited(english):
    case = bring_to(S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.application_save_project(
            actor=case.applicant, application=case.application, data={"title": "X"}
        )
    assert case.refresh().title == "Clean river"


# --- withdraw -------------------------------------------------------------------------------


def test_withdraw_after_submission_tells_the_applicant_and_calls_off_reviews(
    django_capture_on_commit_callbacks,
):
    case = bring_to(S.UNDER_REVIEW)
    reviewer = StaffFactory()
    assessment.reviewers_assign(actor=case.staff, application=case.application, reviewers=[reviewer])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(actor=case.applicant, application=case.application, reason=None)
    app = case.refresh()
    assert app.status == S.WITHDRAWN and not app.assignments.exists() and app.reviews_assigned == 0
    assert [email.to for email in mail.outbox] == [[case.applicant.email]]
    assert app.reference in mail.outbox[0].subject


def test_withdrawing_a_draft_sends_nothing(django_capture_on_commit_callbacks):
    case = draft()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(actor=case.applicant, application=case.application, reason="Oops")
    app = case.refresh()
    assert app.status == S.WITHDRAWN and app.reference is None and not mail.outbox
    assert StatusChange.objects.get(application=app).note == "Oops"


@pytest.mark.parametrize("status", [S.APPROVED, S.REJECTED, S.INELIGIBLE, S.WITHDRAWN])
def test_no_withdrawal_after_a_decision(status):
    case = bring_to(status)
    before = footprint(case.application)
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=case.applicant, application=case.application)
    assert footprint(case.application) == before


# --- messages -------------------------------------------------------------------------------


def test_messages_open_after_submission(english):
    case = draft()
    with pytest.raises(ValidationError, match="once the application is submitted"):
        services.message_post(actor=case.applicant, application=case.application, body="Hello?")
    app = case.application
    services.application_submit(actor=case.applicant, application=app)
    with pytest.raises(ValidationError):
        services.message_post(actor=case.applicant, application=app, body="   ")
    with pytest.raises(ValidationError):
        services.message_post(actor=case.applicant, application=app, body="x" * 5001)
    assert not Message.objects.exists()


def test_message_thread_emails_the_other_side(django_capture_on_commit_callbacks):
    creator = StaffFactory(preferred_language="en")
    case = bring_to(S.SUBMITTED, call=CallFactory(with_form=True, created_by=creator))
    app = case.application
    with django_capture_on_commit_callbacks(execute=True):
        first = services.message_post(actor=case.applicant, application=app, body="Is the CV enough?")
    assert not first.from_staff
    assert [email.to for email in mail.outbox] == [[creator.email]]  # nobody acted yet: the call's creator
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.message_post(actor=case.staff, application=app, body="Yes.")
    assert answer.from_staff
    assert [email.to for email in mail.outbox] == [[case.applicant.email]]
    assessment.application_screen(actor=case.staff, application=app, eligible=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=case.applicant, application=app, body="Thanks")
    assert sorted(email.to[0] for email in mail.outbox) == [case.staff.email]


def test_strangers_and_readers_cannot_post():
    owner = UserFactory()
    organization = verified_cso(editor=owner)
    case = bring_to(
        S.SUBMITTED, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    for person in (UserFactory(), member_of(organization, Membership.Role.VIEWER), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.message_post(actor=person, application=case.application, body="Hi")
    assert not Message.objects.exists()
    assert BudgetLine.objects.filter(application=case.application).count() == 2


def test_an_organisation_that_lost_its_verification_cannot_submit():
    """Eligibility is checked at the start and again at the submission."""
    from grants.services.applications import application_problems, application_start, application_submit
    from organizations.models import Organization
    from tests.factories import UserFactory
    from tests.grants.factories import CallFactory, complete_draft, verified_cso

    editor = UserFactory()
    organization = verified_cso(editor=editor)
    draft = application_start(
        actor=editor,
        call=CallFactory(with_form=True),
        applicant_type="organization",
        organization=organization,
    )
    complete_draft(draft, editor)
    assert application_problems(draft) == {}
    Organization.objects.filter(pk=organization.pk).update(
        verification_status=Organization.Verification.PENDING
    )
    draft.refresh_from_db()
    problems = application_problems(draft)
    assert problems["project"] == [str(t("The organisation must be verified by KCSF before it applies."))]
    with pytest.raises(ValidationError):
        application_submit(actor=editor, application=draft)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.reference is None
