"""What the academy's services share: locks, the move through `academy.workflow`, and the
emails to an applicant in their language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from academy.models import Cohort, CohortApplication
from academy.workflow import APPLICATION
from core.notifications import email_user_template
from core.permissions import require  # noqa: F401  (the services import it from here)


def lock_application(application) -> CohortApplication:
    return (
        CohortApplication.objects.select_for_update(of=("self",))
        .select_related("cohort", "applicant")
        .get(pk=application.pk)
    )


def lock_cohort(cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def move(application, *, actor, target, note: str = "", fields=(), check_perm: bool = True):
    APPLICATION.move(application, target, actor=actor, note=note, fields=fields, check_perm=check_perm)
    return application


def email_applicant(application, *, template: str, context: dict | None = None) -> None:
    if application.applicant.is_active and application.applicant.email:
        email_user_template(
            template=template,
            context={"application": application, "cohort": application.cohort, **(context or {})},
            user=application.applicant,
        )


def not_found() -> ValidationError:
    return ValidationError(_("Choose from the list."), code="invalid_choice")
