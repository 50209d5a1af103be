"""The grants models: database constraints and the properties templates and services use."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from grants.choices import (
    PUBLIC_LABELS,
    ApplicantType,
    ApplicationStatus,
    AssignmentStatus,
    QuestionKind,
    Stage,
)
from grants.models import (
    Application,
    BudgetLine,
    Call,
    Criterion,
    Grant,
    PlannedActivity,
    Question,
    ReviewAssignment,
    Revision,
    Score,
    Tranche,
)
from tests.factories import UserFactory
from tests.grants.factories import ApplicationFactory, CallFactory, verified_cso

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


# --- constraints ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"min_amount": Decimal("5000"), "max_amount": Decimal("4000")},
        {"max_amount": Decimal("60000"), "total_budget": Decimal("50000")},
        {"closes_at": "opens_at"},
        {"allow_organizations": False, "allow_groups": False, "allow_individuals": False},
        {"cofinancing_percent": Decimal("100.01")},
        {"cofinancing_percent": Decimal("-1")},
    ],
)
def test_call_constraints(fields):
    call = CallFactory()
    for name, value in fields.items():
        setattr(call, name, getattr(call, value) if value == "opens_at" else value)
    refused(call.save)


def test_a_valid_call_at_its_limits_saves():
    call = CallFactory(
        min_amount=Decimal("50000"),
        max_amount=Decimal("50000"),
        cofinancing_percent=Decimal("100"),
        allow_groups=False,
    )
    assert Call.objects.filter(pk=call.pk).exists()


def test_question_and_criterion_constraints():
    call = CallFactory()
    refused(lambda: Question.objects.create(call=call, kind="essay", label_sq="Q"))
    refused(lambda: Criterion.objects.create(call=call, title_sq="C", weight=Decimal("0")))
    refused(lambda: Criterion.objects.create(call=call, title_sq="C", max_score=0))


def test_application_constraints():
    call = CallFactory()
    refused(lambda: ApplicationFactory(call=call, status="lost"))
    refused(lambda: ApplicationFactory(call=call, applicant_type=ApplicantType.ORGANIZATION))
    refused(lambda: ApplicationFactory(call=call, organization=verified_cso()))
    refused(lambda: ApplicationFactory(call=call, status=S.SUBMITTED))  # sent without a reference
    refused(lambda: ApplicationFactory(call=call, requested_amount=Decimal("-1")))
    first = ApplicationFactory(call=call, status=S.SUBMITTED, reference="CEA-2026-0001")
    refused(lambda: ApplicationFactory(call=call, status=S.SUBMITTED, reference=first.reference))
    # A draft withdrawn before it was sent has no reference.
    assert ApplicationFactory(call=call, status=S.WITHDRAWN, reference=None).pk


def test_budget_activity_and_revision_constraints():
    application = ApplicationFactory()
    line = {"application": application, "category": "other", "item": "x", "unit_cost": 1, "requested": 1}
    refused(lambda: BudgetLine.objects.create(**{**line, "quantity": 0}))
    refused(lambda: BudgetLine.objects.create(**{**line, "quantity": 1, "unit_cost": -1}))
    refused(lambda: BudgetLine.objects.create(**{**line, "quantity": 1, "cofinancing": -1}))
    refused(
        lambda: PlannedActivity.objects.create(
            application=application, title="A", starts_on=date(2027, 2, 1), ends_on=date(2027, 1, 1)
        )
    )
    Revision.objects.create(application=application, number=1, stage=Stage.FULL, snapshot={})
    refused(lambda: Revision.objects.create(application=application, number=1, stage=Stage.FULL, snapshot={}))


def test_review_constraints():
    application = ApplicationFactory(status=S.SUBMITTED, reference="CEA-2026-0009")
    reviewer = UserFactory()
    assignment = ReviewAssignment.objects.create(application=application, stage=Stage.FULL, reviewer=reviewer)
    refused(
        lambda: ReviewAssignment.objects.create(application=application, stage=Stage.FULL, reviewer=reviewer)
    )
    assert ReviewAssignment.objects.create(application=application, stage=Stage.CONCEPT, reviewer=reviewer).pk
    assignment.status = AssignmentStatus.SUBMITTED
    refused(assignment.save)  # a sent review has a score and a date
    criterion = Criterion.objects.create(call=application.call, title_sq="C")
    Score.objects.create(assignment=assignment, criterion=criterion, score=3)
    refused(lambda: Score.objects.create(assignment=assignment, criterion=criterion, score=4))


def test_grant_tranche_and_reminder_constraints():
    application = ApplicationFactory(status=S.APPROVED, reference="CEA-2026-0010")
    refused(lambda: Grant.objects.create(application=application, call=application.call, amount=0))
    grant = Grant.objects.create(application=application, call=application.call, amount=Decimal("100"))
    refused(lambda: Tranche.objects.create(grant=grant, number=1, amount=0, planned_on=date(2027, 1, 1)))
    Tranche.objects.create(grant=grant, number=1, amount=50, planned_on=date(2027, 1, 1))
    refused(lambda: Tranche.objects.create(grant=grant, number=1, amount=50, planned_on=date(2027, 2, 1)))


# --- calls ----------------------------------------------------------------------------------


def test_call_phase_and_deadlines():
    now = timezone.now()
    upcoming = CallFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=9))
    open_ = CallFactory()
    closed = CallFactory(opens_at=now - timedelta(days=9), closes_at=now - timedelta(seconds=1))
    assert (upcoming.phase, open_.phase, closed.phase) == ("upcoming", "open", "closed")
    assert open_.is_open() and not upcoming.is_open() and not closed.is_open()
    assert not CallFactory(is_published=False).is_open()
    assert set(Call.objects.open_now()) == {open_}
    assert set(Call.objects.upcoming()) == {upcoming}
    assert set(Call.objects.closed()) == {closed}

    assert open_.first_stage == Stage.FULL and open_.deadline_for(Stage.FULL) == open_.closes_at
    two = CallFactory(two_stage=True, full_proposal_closes_at=now + timedelta(days=60))
    assert two.first_stage == Stage.CONCEPT
    assert two.deadline_for(Stage.CONCEPT) == two.closes_at
    assert two.deadline_for(Stage.FULL) == two.full_proposal_closes_at


def test_call_applicant_types():
    assert CallFactory().applicant_types == [
        ApplicantType.ORGANIZATION,
        ApplicantType.GROUP,
        ApplicantType.INDIVIDUAL,
    ]
    only = CallFactory(allow_organizations=False, allow_groups=False)
    assert only.applicant_types == [ApplicantType.INDIVIDUAL]


@pytest.mark.parametrize(
    ("language", "title"),
    [("sq", "Thirrja"), ("sr-latn", "Poziv"), ("en", "Call"), ("de", "Thirrja")],
)
def test_call_title_in_each_language(language, title):
    call = CallFactory(title_sq="Thirrja", title_sr="Poziv", title_en="Call", description_en="")
    with translation.override(language):
        assert call.title == title and str(call) == title
        assert call.description == (
            "Përshkrimi i thirrjes." if language in ("en", "sq", "de") else "Opis poziva."
        )


@pytest.mark.parametrize("language", ["sr-latn", "en"])
def test_call_title_falls_back_to_albanian(language):
    call = CallFactory(title_sq="Thirrja", title_sr="", title_en="")
    with translation.override(language):
        assert call.title == "Thirrja"


# --- questions and applications -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "labels"),
    [("sq", ["Po", "Jo"]), ("sr-latn", ["Da", "Ne"]), ("en", ["Yes", "No"])],
)
def test_question_options_per_language(language, labels):
    question = Question.objects.create(
        call=CallFactory(),
        kind=QuestionKind.SINGLE_CHOICE,
        label_sq="Pyetje",
        choices_sq="Po\n\nJo\n",
        choices_sr="Da\nNe",
        choices_en=" Yes \nNo",
    )
    with translation.override(language):
        assert question.options == [("1", labels[0]), ("2", labels[1])]
    assert question.is_choice and question.key == f"q{question.pk}"


def test_question_options_fall_back_when_a_translation_does_not_match():
    question = Question.objects.create(
        call=CallFactory(),
        kind=QuestionKind.MULTIPLE_CHOICE,
        label_sq="P",
        choices_sq="A\nB\nC",
        choices_en="A\nB",
    )
    with translation.override("en"):
        assert question.options == [("1", "A"), ("2", "B"), ("3", "C")]
    with translation.override("sr-latn"):
        assert [label for _value, label in question.options] == ["A", "B", "C"]
    assert not Question(kind=QuestionKind.NUMBER).is_choice


def test_application_labels_names_and_deadline():
    user = UserFactory(full_name="Ana Krasniqi")
    individual = ApplicationFactory(applicant=user)
    assert individual.applicant_name == "Ana Krasniqi"
    assert str(individual).endswith(f"#{individual.pk}")
    group = ApplicationFactory(applicant_type=ApplicantType.GROUP, group_name="River friends")
    assert group.applicant_name == "River friends"
    organization = verified_cso(name="Lëvizja")
    org_app = ApplicationFactory(applicant_type=ApplicantType.ORGANIZATION, organization=organization)
    assert org_app.applicant_name == "Lëvizja"
    for status in S:
        individual.status = status
        assert individual.public_status_label == str(PUBLIC_LABELS[status])
        assert individual.status_colour
    assert individual.deadline == individual.call.closes_at
    sent = ApplicationFactory(status=S.SUBMITTED, reference="CEA-2026-0042")
    assert str(sent) == "CEA-2026-0042"
    assert Application.objects.filter(reference="CEA-2026-0042").exists()


@pytest.mark.django_db
def test_the_call_says_why_it_is_closed_in_one_place():
    from datetime import timedelta

    from django.utils import timezone, translation

    from tests.grants.factories import CallFactory

    now = timezone.now()
    call = CallFactory(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    with translation.override("en"):
        assert call.closed_reason(now) == "" and call.is_open(now)
        assert call.closed_reason(now - timedelta(days=2)) == "This call is not open yet."
        assert call.closed_reason(now + timedelta(days=2)) == "The deadline of this call has passed."
        call.is_published = False
        assert call.closed_reason(now) == "This call is not published." and not call.is_open(now)
