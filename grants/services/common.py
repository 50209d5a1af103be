"""What every grants service shares: permission checks, row locks, the one function that
moves an application through `grants.workflow` (and records the move), reference numbers
and the emails to the applicant's side."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import require  # noqa: F401  (the services import it from here)
from grants.choices import EDITABLE_STATUSES
from grants.models import Application, Call, ReferenceCounter
from grants.workflow import APPLICATION
from organizations.selectors import editors_by_organization


def lock_application(application: Application) -> Application:
    """The application re-read under a row lock (PostgreSQL: only the application's row)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organization", "applicant")
        .get(pk=application.pk)
    )


def lock_call(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def require_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This application is “%(status)s”: it can no longer be changed.")
            % {"status": application.public_status_label},
            code="not_editable",
        )


def save(application: Application, actor, fields: list[str]) -> None:
    application._history_user = actor  # simple_history: who made this change
    application.save(update_fields=[*fields, "updated_at"])


def move(application: Application, *, actor, target: str, note: str = "", fields=(), check_perm: bool = True):
    """Move a locked application (lock first: `lock_application`) to `target` through
    `grants.workflow.APPLICATION`: check the table and the permission, save the status with
    `fields` and `updated_at`, and record who, when, from what, to what and why (one
    core.StatusChange)."""
    APPLICATION.move(application, target, actor=actor, note=note, fields=fields, check_perm=check_perm)
    return application


def next_reference(now=None) -> str:
    """CEA-<year>-<number>: numbered per year, without gaps under concurrency (row lock)."""
    year = timezone.localtime(now or timezone.now()).year  # the year in Kosovo, not in UTC
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CEA-{year}-{counter.last:04d}"


def applicant_recipients(application: Application, *, editors: dict | None = None) -> list:
    """Who hears about the application: the person who applied and, for an organisation,
    its active owners and editors (each once). A sweep over many applications passes
    `editors` (`organizations.selectors.editors_by_organization` of a batch): no query each."""
    people = {}
    if application.applicant.is_active:
        people[application.applicant_id] = application.applicant
    if application.organization_id:
        if editors is None:
            editors = editors_by_organization([application.organization_id])
        for user in editors.get(application.organization_id, []):
            people.setdefault(user.pk, user)
    return list(people.values())


def email_applicant(application: Application, *, template: str, context: dict | None = None, attachment=None):
    """Queue `template` to everyone on the applicant's side, each in their language."""
    for person in applicant_recipients(application):
        email_user_template(
            template=template,
            context={"application": application, "call": application.call, **(context or {})},
            user=person,
            attachment=attachment,
        )
