"""After the award, every move of a grant, a tranche or a report goes through
grants.workflow (GRANT, TRANCHE, GRANT_REPORT): one core.StatusChange per move, with who,
from, to and the note; a refused move writes none and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import StatusChange
from grants.choices import GrantReportStatus, GrantStatus, TrancheStatus
from grants.services import awards
from grants.workflow import GRANT, GRANT_REPORT, TRANCHE
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import active_grant, awarded_grant, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
G, T, R = GrantStatus, TrancheStatus, GrantReportStatus
TODAY = timezone.localdate


def moves(workflow, obj) -> list[tuple]:
    return [(c.from_status, c.to_status, c.actor, c.note) for c in workflow.history(obj)]


@pytest.fixture
def staff():
    return StaffFactory()


def test_agreement_activation_and_the_first_release_are_recorded(staff):
    grant = active_grant(staff=staff)
    first = grant.tranches.get(number=1)
    assert moves(GRANT, grant) == [(G.AWARDED, G.ACTIVE, staff, "")]
    assert moves(TRANCHE, first) == [(T.PLANNED, T.RELEASED, staff, "")]
    # replacing the agreement of an active grant is not a move
    awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    assert len(moves(GRANT, grant)) == 1


def test_payment_is_recorded_once(staff):
    grant = active_grant(staff=staff)
    first = grant.tranches.get(number=1)
    awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY())
    assert moves(TRANCHE, first)[-1] == (T.RELEASED, T.PAID, staff, "")
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError):
        awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY())
    assert StatusChange.objects.count() == before


def test_report_submit_return_resubmit_accept_are_recorded(staff):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    report = grant.reports.get(period="interim")
    awards.grant_report_submit(actor=applicant, report=report, text="What we did.")
    awards.grant_report_return(actor=staff, report=report, comment="Add the attendance lists.")
    awards.grant_report_submit(actor=applicant, report=report, text="What we did, with lists.")
    awards.grant_report_accept(actor=staff, report=report, comment="Thank you.")
    assert moves(GRANT_REPORT, report) == [
        (R.DUE, R.SUBMITTED, applicant, ""),
        (R.SUBMITTED, R.RETURNED, staff, "Add the attendance lists."),
        (R.RETURNED, R.SUBMITTED, applicant, ""),
        (R.SUBMITTED, R.ACCEPTED, staff, "Thank you."),
    ]
    # the tranche that waited for the report was released by the acceptance
    assert moves(TRANCHE, grant.tranches.get(number=2)) == [(T.PLANNED, T.RELEASED, staff, "")]


def test_refused_report_moves_write_nothing(staff):
    grant = active_grant(staff=staff)
    report = grant.reports.get(period="interim")
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_accept(actor=staff, report=report)
    assert "only a submitted report can be accepted" in " ".join(excinfo.value.messages)
    with pytest.raises(PermissionDenied):
        awards.grant_report_submit(actor=UserFactory(), report=report, text="x")
    report.refresh_from_db()
    assert report.status == R.DUE
    assert StatusChange.objects.count() == before


def test_termination_is_recorded_with_its_reason(staff):
    grant = awarded_grant(staff=staff)
    awards.grant_terminate(actor=staff, grant=grant, reason="The organisation dissolved.")
    assert moves(GRANT, grant) == [(G.AWARDED, G.TERMINATED, staff, "The organisation dissolved.")]
    before = StatusChange.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_close(actor=staff, grant=grant)
    assert "Only an active grant can be closed" in " ".join(excinfo.value.messages)
    grant.refresh_from_db()
    assert grant.status == G.TERMINATED
    assert StatusChange.objects.count() == before


def test_closing_is_recorded_with_its_note(staff):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    for report in grant.reports.all():
        awards.grant_report_submit(actor=applicant, report=report, text="Done.")
        awards.grant_report_accept(actor=staff, report=report)
    for tranche in grant.tranches.order_by("number"):
        tranche.refresh_from_db()
        awards.tranche_mark_paid(actor=staff, tranche=tranche, paid_on=TODAY())
    awards.grant_close(actor=staff, grant=grant, note="All done.")
    assert moves(GRANT, grant)[-1] == (G.ACTIVE, G.CLOSED, staff, "All done.")


def test_the_tables_follow_the_services_rules():
    assert GRANT.allows(G.AWARDED, G.TERMINATED) and GRANT.allows(G.ACTIVE, G.TERMINATED)
    assert not GRANT.allows(G.AWARDED, G.CLOSED)
    assert not TRANCHE.allows(T.PLANNED, T.PAID)
    assert GRANT_REPORT.allows(R.RETURNED, R.SUBMITTED) and not GRANT_REPORT.allows(R.ACCEPTED, R.RETURNED)
