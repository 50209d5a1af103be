"""Applications driven into each status through the real services (no direct writes), for
the state-machine, service, rules and concurrency tests."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import EmailOutbox, StatusChange
from grants.choices import ApplicantType, ApplicationStatus, Stage
from grants.models import Application, Call
from grants.services import applications as app_services
from grants.services import assessment
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, add_form, complete_draft

S = ApplicationStatus


def two_stage_call(**kwargs) -> Call:
    """An open two-stage call: a concept-note form and a full-proposal form, each with its
    questions, rubric and required attachment; full proposals close in 60 days."""
    kwargs.setdefault("full_proposal_closes_at", timezone.now() + timedelta(days=60))
    call = CallFactory(two_stage=True, **kwargs)
    add_form(call, Stage.CONCEPT)
    add_form(call, Stage.FULL)
    return call


@dataclass
class Case:
    application: Application
    applicant: object
    staff: object
    call: Call
    extra: dict = field(default_factory=dict)

    def refresh(self) -> Application:
        self.application.refresh_from_db()
        return self.application


def draft(call=None, applicant=None, staff=None, **start) -> Case:
    call = call or CallFactory(with_form=True)
    applicant = applicant or UserFactory()
    start.setdefault("applicant_type", ApplicantType.INDIVIDUAL)
    application = app_services.application_start(actor=applicant, call=call, **start)
    complete_draft(application, applicant)
    return Case(application, applicant, staff or StaffFactory(), call)


def bring_to(status: str, *, two_stage: bool = False, call=None, applicant=None, staff=None, **start) -> Case:
    """An application in `status`, every step made by the service a person would use.
    `two_stage`: the call has a concept note first (its applications start at "concept")."""
    if status == S.INVITED:
        two_stage = True
    if call is None:
        call = two_stage_call() if two_stage else CallFactory(with_form=True)
    case = draft(call=call, applicant=applicant, staff=staff, **start)
    app, staff = case.application, case.staff
    if status == S.DRAFT:
        return case
    if status == S.WITHDRAWN:
        app_services.application_withdraw(actor=case.applicant, application=app, reason="Changed plans")
        case.refresh()
        return case
    app_services.application_submit(actor=case.applicant, application=app)
    if status == S.SUBMITTED:
        case.refresh()
        return case
    if status == S.INELIGIBLE:
        assessment.application_screen(actor=staff, application=app, eligible=False, reason="Out of scope")
        case.refresh()
        return case
    if status == S.CHANGES_REQUESTED:
        assessment.application_request_changes(actor=staff, application=app, note="Add the CV")
        case.refresh()
        return case
    assessment.application_screen(actor=staff, application=app, eligible=True)
    if status == S.UNDER_REVIEW:
        case.refresh()
        return case
    if status == S.APPROVED:
        assessment.application_decide(actor=staff, application=app, decision="approve", amount="4000")
    elif status == S.REJECTED:
        assessment.application_decide(actor=staff, application=app, decision="reject", note="Weak plan")
    elif status == S.INVITED:
        assessment.application_decide(actor=staff, application=app, decision="invite", note="Welcome")
    else:  # pragma: no cover - every status is handled above
        raise AssertionError(status)
    case.refresh()
    return case


def footprint(application: Application) -> tuple:
    """What a refused move must leave as it was: status, stage, eligibility, reference,
    the status-change rows, the revisions, the grant and every queued email."""
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.stage,
        application.eligibility,
        application.reference,
        list(StatusChange.objects.filter(application=application).values_list("pk", flat=True)),
        application.revisions.count(),
        hasattr(application, "grant") and application.grant.amount,
        EmailOutbox.objects.count(),
    )


AMOUNT = Decimal("4000")
