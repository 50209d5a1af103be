"""Applying to a cohort: the eligibility check before starting, the draft, the submission."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.choices import ApplicationStatus, Gender
from academy.models import Cohort, CohortApplication
from academy.services.common import email_applicant, lock_application, lock_cohort, move, require

S = ApplicationStatus
DRAFT_FIELDS = (
    "motivation",
    "community_issue",
    "availability",
    "reference_name",
    "reference_contact",
)
LIMITS = {
    "motivation": 5000,
    "community_issue": 5000,
    "availability": 1000,
    "reference_name": 150,
    "reference_contact": 200,
}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def eligibility_problems(*, cohort: Cohort, date_of_birth: date | None, municipality) -> list[str]:
    """Why this person may not apply (translated sentences); empty when they may."""
    problems = []
    if not cohort.is_open:
        problems.append(_("This cohort is not open for applications."))
    if date_of_birth is None:
        problems.append(_("Enter your date of birth."))
    else:
        age = age_on(date_of_birth, cohort.starts_on)
        if not cohort.min_age <= age <= cohort.max_age:
            problems.append(
                _(
                    "On the start date (%(start)s) you will be %(age)s: this cohort is for people aged"
                    " %(min)s to %(max)s."
                )
                % {
                    "start": cohort.starts_on.strftime("%d.%m.%Y"),
                    "age": age,
                    "min": cohort.min_age,
                    "max": cohort.max_age,
                }
            )
    if municipality is None:
        problems.append(_("Choose your municipality."))
    elif not cohort.municipalities.filter(pk=municipality.pk).exists():
        problems.append(
            _("This cohort is for young people of %(list)s.")
            % {"list": ", ".join(m.name for m in cohort.municipalities.all())}
        )
    return problems


@transaction.atomic
def application_start(*, actor, cohort: Cohort, date_of_birth: date, municipality) -> CohortApplication:
    """Start a draft once the person is eligible; one application per person per cohort."""
    require(actor, "academy.apply_to_cohort", cohort)
    cohort = lock_cohort(cohort)  # two starts at once are counted one after the other
    if CohortApplication.objects.filter(cohort=cohort, applicant=actor).exists():
        raise ValidationError(_("You have already applied to this cohort."), code="duplicate")
    problems = eligibility_problems(cohort=cohort, date_of_birth=date_of_birth, municipality=municipality)
    if problems:
        raise ValidationError(problems, code="not_eligible")
    try:
        with transaction.atomic():
            return CohortApplication.objects.create(
                cohort=cohort, applicant=actor, date_of_birth=date_of_birth, municipality=municipality
            )
    except IntegrityError:
        raise ValidationError(_("You have already applied to this cohort."), code="duplicate") from None


@transaction.atomic
def application_save(*, actor, application: CohortApplication, data: dict) -> CohortApplication:
    """Save the draft as it is (blank answers allowed until submission)."""
    require(actor, "academy.edit_application", application)
    application = lock_application(application)
    if application.status != S.DRAFT:
        raise ValidationError(
            _("This application was submitted; it can no longer be changed."), code="submitted"
        )
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(application, name, str(data[name] or "").strip()[: LIMITS[name]])
    if "gender" in data:  # optional: blank is "not recorded"
        gender = str(data["gender"] or "")
        if gender and gender not in Gender.values:
            raise ValidationError({"gender": _("Choose from the list.")}, code="invalid_choice")
        application.gender = gender
    application.save(update_fields=[*DRAFT_FIELDS, "gender", "updated_at"])
    return application


@transaction.atomic
def application_submit(*, actor, application: CohortApplication) -> CohortApplication:
    """Check completeness and eligibility again, number it (ACA-<year>-<cohort>-<n>) and submit;
    the applicant gets an email. A second click is told it was already submitted."""
    require(actor, "academy.view_application", application)
    cohort = lock_cohort(application.cohort)
    application = lock_application(application)
    if application.status != S.DRAFT:
        raise ValidationError(_("This application was already submitted."), code="submitted")
    require(actor, "academy.submit_application", application)
    missing = [
        str(CohortApplication._meta.get_field(name).verbose_name)
        for name in DRAFT_FIELDS
        if not getattr(application, name).strip()
    ]
    errors = []
    if missing:
        errors.append(_("Fill in: %(fields)s.") % {"fields": ", ".join(missing)})
    errors += eligibility_problems(
        cohort=cohort, date_of_birth=application.date_of_birth, municipality=application.municipality
    )
    if errors:
        raise ValidationError(errors, code="incomplete")
    cohort.last_reference += 1
    cohort.save(update_fields=["last_reference"])
    application.reference = f"ACA-{cohort.year}-{cohort.pk:02d}-{cohort.last_reference:04d}"
    application.submitted_at = timezone.now()
    move(application, actor=actor, target=S.SUBMITTED, fields=["reference", "submitted_at"])
    email_applicant(application, template="academy/email/submitted")
    return application
