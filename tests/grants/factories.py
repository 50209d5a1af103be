"""factory_boy factories and builders of the grants app, shared by every grants test module.

- `CallFactory()` an open, published one-stage call (organisations, groups and individuals
  may apply; 1,000–10,000 EUR; budget 50,000; 20% co-financing) with `with_form=True`
  adding two questions (long text, single choice), a rubric of two criteria and one
  required attachment.
- `ApplicationFactory(call=..., applicant=...)` a draft of an individual.
- `complete_draft(application)` fills everything a submission needs (valid budget within
  the call's rules, an activity, answers, the required attachment).
- `submitted_application(call=..., ...)` a submitted application (through the service).
- `pdf_upload()`, `png_upload()`, `exe_upload()` uploads for attachment tests.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Municipality
from grants.choices import ApplicantType, BudgetCategory, QuestionKind, Stage
from grants.models import Application, AttachmentRequirement, Call, Criterion, Question
from grants.services import applications as app_services
from organizations.models import Membership, Organization
from tests.factories import OrganizationFactory, UserFactory
from tests.transparency.factories import docx_bytes, pdf_bytes, png_bytes  # noqa: F401


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"call-{n}")
    code = factory.Sequence(lambda n: f"CEA-CALL-{n}")
    title_sq = factory.Sequence(lambda n: f"Thirrja {n}")
    title_sr = factory.Sequence(lambda n: f"Poziv {n}")
    title_en = factory.Sequence(lambda n: f"Call {n}")
    summary_en = "Small grants for community initiatives."
    description_sq = "Përshkrimi i thirrjes."
    description_sr = "Opis poziva."
    description_en = "Description of the call."
    allow_organizations = True
    allow_groups = True
    allow_individuals = True
    total_budget = Decimal("50000.00")
    min_amount = Decimal("1000.00")
    max_amount = Decimal("10000.00")
    cofinancing_percent = Decimal("20.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    review_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=40))
    is_published = True

    @factory.post_generation
    def with_form(obj, create, extracted, **kwargs):
        if create and extracted:
            add_form(obj)


def add_form(call: Call, stage: str = Stage.FULL) -> Call:
    Question.objects.create(
        call=call,
        stage=stage,
        order=1,
        kind=QuestionKind.LONG_TEXT,
        label_sq="Cili është problemi?",
        label_sr="Koji je problem?",
        label_en="What is the problem?",
        word_limit=50,
    )
    Question.objects.create(
        call=call,
        stage=stage,
        order=2,
        kind=QuestionKind.SINGLE_CHOICE,
        label_sq="Grupi i synuar",
        label_en="Target group",
        choices_sq="Të rinjtë\nGratë",
        choices_en="Youth\nWomen",
    )
    Criterion.objects.create(
        call=call, stage=stage, order=1, title_sq="Rëndësia", title_en="Relevance", weight=2
    )
    Criterion.objects.create(call=call, stage=stage, order=2, title_sq="Buxheti", title_en="Budget", weight=1)
    AttachmentRequirement.objects.create(
        call=call, stage=stage, label_sq="CV e udhëheqësit", label_en="CV of the project lead", required=True
    )
    return call


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    applicant_type = ApplicantType.INDIVIDUAL
    stage = Stage.FULL


def verified_cso(editor=None, **kwargs) -> Organization:
    organization = OrganizationFactory(verification_status=Organization.Verification.VERIFIED, **kwargs)
    if editor is not None:
        Membership.objects.create(organization=organization, user=editor, role=Membership.Role.OWNER)
    return organization


def pdf_upload(name="cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_upload(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def exe_upload(name="cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


BUDGET_ROWS = [
    {
        "category": BudgetCategory.EVENTS,
        "item": "Workshops",
        "quantity": "4",
        "unit_cost": "1000",
        "cofinancing": "1000",
    },
    {
        "category": BudgetCategory.STAFF,
        "item": "Coordinator",
        "quantity": "1",
        "unit_cost": "2000",
        "cofinancing": "0",
    },
]  # requested 5,000; co-financing 1,000 of 6,000 (16.7%: raise it for 20%)
VALID_BUDGET_ROWS = [
    {
        "category": BudgetCategory.EVENTS,
        "item": "Workshops",
        "quantity": "4",
        "unit_cost": "1000",
        "cofinancing": "1500",
    },
    {
        "category": BudgetCategory.STAFF,
        "item": "Coordinator",
        "quantity": "1",
        "unit_cost": "2000",
        "cofinancing": "0",
    },
]  # requested 4,500; co-financing 1,500 of 6,000 (25%)


def complete_draft(application: Application, actor=None) -> Application:
    """Fill everything the submission checks, through the services."""
    actor = actor or application.applicant
    app_services.application_save_project(
        actor=actor,
        application=application,
        data={
            "title": "Clean river",
            "summary": "Cleaning the river with youth volunteers.",
            "municipality": Municipality.objects.get(slug="prishtine"),
            "starts_on": timezone.localdate() + timedelta(days=60),
            "ends_on": timezone.localdate() + timedelta(days=240),
            "group_name": application.group_name or "Friends of the river",
        },
    )
    answers = {}
    for question in application.call.questions.filter(stage=application.stage):
        if question.kind == QuestionKind.LONG_TEXT:
            answers[question.key] = "The river is full of plastic."
        elif question.kind == QuestionKind.SHORT_TEXT:
            answers[question.key] = "Short answer"
        elif question.kind == QuestionKind.NUMBER:
            answers[question.key] = "12"
        elif question.kind == QuestionKind.DATE:
            answers[question.key] = "2027-03-01"
        elif question.is_choice:
            answers[question.key] = "1" if question.kind == QuestionKind.SINGLE_CHOICE else ["1"]
        elif question.kind == QuestionKind.FILE:
            app_services.attachment_add(
                actor=actor, application=application, upload=pdf_upload(), question=question
            )
    app_services.application_save_answers(actor=actor, application=application, answers=answers)
    app_services.application_save_budget(actor=actor, application=application, rows=VALID_BUDGET_ROWS)
    app_services.application_save_activities(
        actor=actor,
        application=application,
        rows=[
            {
                "title": "Workshops",
                "starts_on": timezone.localdate() + timedelta(days=60),
                "ends_on": timezone.localdate() + timedelta(days=90),
            }
        ],
    )
    if application.applicant_type == ApplicantType.GROUP:
        app_services.application_save_group_members(
            actor=actor, application=application, rows=[{"name": "Ana"}, {"name": "Besa"}]
        )
    for requirement in application.call.attachment_requirements.filter(stage=application.stage):
        if requirement.applies_to(application.applicant_type):
            app_services.attachment_add(
                actor=actor, application=application, upload=pdf_upload(), requirement=requirement
            )
    application.refresh_from_db()
    return application


def submitted_application(call: Call | None = None, applicant=None, **kwargs) -> Application:
    call = call or CallFactory(with_form=True)
    applicant = applicant or UserFactory()
    application = app_services.application_start(
        actor=applicant,
        call=call,
        applicant_type=kwargs.pop("applicant_type", ApplicantType.INDIVIDUAL),
        **kwargs,
    )
    complete_draft(application, applicant)
    return app_services.application_submit(actor=applicant, application=application)


# --- after the award (helper D) -------------------------------------------------------------


def awarded_grant(call: Call | None = None, applicant=None, staff=None, amount="4000", **kwargs):
    """An approved application's grant, through the services: submit → screen → assign →
    no conflict → review → approve. `kwargs` go to `submitted_application` (e.g.
    applicant_type/organization)."""
    from grants.services import assessment
    from tests.factories import StaffFactory

    staff = staff or StaffFactory()
    application = submitted_application(call=call, applicant=applicant, **kwargs)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[staff])
    assessment.conflict_declare(actor=staff, application=application, has_conflict=False)
    assessment.review_save(
        actor=staff,
        application=application,
        scores={c.pk: 4 for c in application.call.criteria.filter(stage=application.stage)},
        recommendation="fund",
        submit=True,
    )
    assessment.application_decide(
        actor=staff, application=application, decision="approve", amount=amount, note="Report monthly."
    )
    application.refresh_from_db()
    return application.grant


def ready_grant(staff=None, **kwargs):
    """An awarded grant with reporting duties (interim narrative, final narrative and final
    financial) and a plan of two tranches (the second after the interim report): ready for
    the signed agreement that makes it active."""
    from grants.services import awards
    from tests.factories import StaffFactory

    staff = staff or StaffFactory()
    grant = awarded_grant(staff=staff, **kwargs)
    today = timezone.localdate()
    interim, _final_n, _final_f = awards.reports_set_duties(
        actor=staff,
        grant=grant,
        rows=[
            {"period": "interim", "kind": "narrative", "due_on": today + timedelta(days=30)},
            {"period": "final", "kind": "narrative", "due_on": today + timedelta(days=90)},
            {"period": "final", "kind": "financial", "due_on": today + timedelta(days=90)},
        ],
    )
    half = (grant.amount / 2).quantize(Decimal("0.01"))
    awards.tranches_set_plan(
        actor=staff,
        grant=grant,
        rows=[
            {"number": 1, "amount": half, "planned_on": today},
            {
                "number": 2,
                "amount": grant.amount - half,
                "planned_on": today + timedelta(days=40),
                "after_report": interim.pk,
            },
        ],
    )
    grant.refresh_from_db()
    return grant


def active_grant(staff=None, **kwargs):
    """`ready_grant` with the signed agreement (so active, the first tranche released)."""
    from grants.services import awards
    from tests.factories import StaffFactory

    staff = staff or StaffFactory()
    grant = ready_grant(staff=staff, **kwargs)
    awards.grant_upload_agreement(
        actor=staff, grant=grant, upload=pdf_upload("agreement.pdf"), signed_on=timezone.localdate()
    )
    grant.refresh_from_db()
    return grant
