"""Services after the award: agreement, tranche plan, reporting duties, releases and
payments, reports (submit, accept, return), closing and termination — every move, and
the refused ones (wrong status, wrong sums, open items, the grantee trying KCSF's moves)."""

import datetime
import zoneinfo
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import EmailOutbox, SentReminder
from grants.choices import ApplicantType, GrantReportStatus, GrantStatus, ReminderKind, TrancheStatus
from grants.models import Grant, GrantReport, Tranche
from grants.services import awards
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import (
    active_grant,
    awarded_grant,
    docx_bytes,
    exe_upload,
    pdf_upload,
    png_upload,
    ready_grant,
    verified_cso,
)
from tests.helpers import t

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
G, T, R = GrantStatus, TrancheStatus, GrantReportStatus
TODAY = timezone.localdate


def docx_upload(name="report.docx"):
    return SimpleUploadedFile(name, docx_bytes(), content_type="application/octet-stream")


def duties(grant, staff, interim=True):
    rows = [
        {"period": "final", "kind": "narrative", "due_on": TODAY() + timedelta(days=90)},
        {"period": "final", "kind": "financial", "due_on": TODAY() + timedelta(days=90)},
    ]
    if interim:
        rows.insert(0, {"period": "interim", "kind": "narrative", "due_on": TODAY() + timedelta(days=30)})
    return awards.reports_set_duties(actor=staff, grant=grant, rows=rows)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def grant(staff):
    return awarded_grant(staff=staff)


# --- agreement --------------------------------------------------------------------------------


def test_awarded_grant_starts_awarded(grant):
    assert grant.status == G.AWARDED and grant.amount == Decimal("4000.00")
    assert grant.application.status == "approved"


def test_agreement_activates_grant_and_releases_first_tranche(
    grant, staff, django_capture_on_commit_callbacks
):
    interim, *_ = duties(grant, staff)
    awards.tranches_set_plan(
        actor=staff,
        grant=grant,
        rows=[
            {"amount": "1000", "planned_on": TODAY()},
            {"amount": "3000", "planned_on": TODAY() + timedelta(days=40), "after_report": interim.pk},
        ],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_upload_agreement(
            actor=staff, grant=grant, upload=pdf_upload("signed.pdf"), signed_on=TODAY()
        )
    grant.refresh_from_db()
    assert grant.status == G.ACTIVE and grant.agreement_signed_on == TODAY()
    assert grant.agreement_file.name.endswith(".pdf") and "signed" not in grant.agreement_file.name
    first, second = grant.tranches.order_by("number")
    assert first.status == T.RELEASED and first.released_at
    assert second.status == T.PLANNED
    assert [m.to for m in mail.outbox] == [[grant.application.applicant.email]]
    assert mail.outbox[0].subject.startswith(t("Your grant %(ref)s is active", ref="CEA-")[:8])
    assert (
        "CEA-" in mail.outbox[0].subject
        and t("Your grant %(ref)s is active", ref="X").split("X")[-1] in mail.outbox[0].subject
    )
    assert grant.history.first().history_user == staff


def test_agreement_without_release_first(grant, staff):
    duties(grant, staff)
    awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    awards.grant_upload_agreement(
        actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY(), release_first=False
    )
    assert grant.tranches.get().status == T.PLANNED


NO_PLAN = "No disbursement plan has been set."
NO_FINAL_NARRATIVE = "A final narrative report is required."
NO_FINAL_FINANCIAL = "A final financial report is required."


@pytest.mark.parametrize(
    "plan,reports,missing",
    [
        (False, False, [NO_PLAN, NO_FINAL_NARRATIVE, NO_FINAL_FINANCIAL]),
        (True, False, [NO_FINAL_NARRATIVE, NO_FINAL_FINANCIAL]),
        (False, True, [NO_PLAN]),
    ],
)
def test_agreement_refused_until_the_plan_and_the_final_reports_are_set(grant, staff, plan, reports, missing):
    """Issue 12, item 25: a grant became active with nothing to release or report."""
    if reports:
        duties(grant, staff)
    if plan:
        awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    assert awards.activation_missing(grant) == missing
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    assert excinfo.value.messages == [
        "The grant becomes active once its disbursement plan adds up and its final reports are set:",
        *missing,
    ]
    grant.refresh_from_db()
    assert grant.status == G.AWARDED and not grant.agreement_file
    assert not grant.tranches.exclude(status=T.PLANNED).exists()


def test_agreement_refused_while_the_plan_does_not_add_up(grant, staff):
    duties(grant, staff)
    awards.tranches_set_plan(
        actor=staff,
        grant=grant,
        rows=[{"amount": "1000", "planned_on": TODAY()}, {"amount": "3000", "planned_on": TODAY()}],
    )
    Tranche.objects.filter(grant=grant, number=2).update(amount=Decimal("2500.00"))  # e.g. an old plan
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    assert "The tranches add up to €3,500.00; they must add up to the grant's €4,000.00 exactly." in (
        excinfo.value.messages
    )
    grant.refresh_from_db()
    assert grant.status == G.AWARDED


def test_a_ready_grant_has_nothing_missing(staff):
    grant = ready_grant(staff=staff)
    assert awards.activation_missing(grant) == []
    active = active_grant(staff=staff)
    assert awards.activation_missing(active) == []


@pytest.mark.parametrize(
    "upload,message",
    [
        (lambda: docx_upload("agreement.pdf"), "as a PDF"),
        (lambda: png_upload(), "as a PDF"),
        (lambda: exe_upload(), "as a PDF"),
        (lambda: SimpleUploadedFile("empty.pdf", b""), "empty"),
    ],
)
def test_agreement_file_type_refused(grant, staff, upload, message):
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=upload(), signed_on=TODAY())
    assert message in messages_of(excinfo)
    grant.refresh_from_db()
    assert grant.status == G.AWARDED and not grant.agreement_file


def test_agreement_too_large(grant, staff, settings):
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    assert "too large" in messages_of(excinfo)
    grant.refresh_from_db()
    assert grant.status == G.AWARDED


@pytest.mark.parametrize("days", [1, 400])
def test_agreement_date_refused(grant, staff, days):
    signed = TODAY() + timedelta(days=days) if days < 100 else TODAY() - timedelta(days=days)
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=signed)
    assert "signed_on" in excinfo.value.message_dict
    grant.refresh_from_db()
    assert grant.status == G.AWARDED


@pytest.mark.parametrize("value", ["", "not a date", "31.12.2026", "99999-01-01"])
def test_agreement_malformed_date(grant, staff, value):
    with pytest.raises(ValidationError):
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=value)


def test_agreement_by_grantee_is_permission_denied(grant):
    with pytest.raises(PermissionDenied):
        awards.grant_upload_agreement(
            actor=grant.application.applicant, grant=grant, upload=pdf_upload(), signed_on=TODAY()
        )
    grant.refresh_from_db()
    assert grant.status == G.AWARDED


def test_agreement_replaced_on_active_grant_keeps_it_active(staff):
    grant = active_grant(staff=staff)
    old = grant.agreement_file.name
    awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload("v2.pdf"), signed_on=TODAY())
    grant.refresh_from_db()
    assert grant.status == G.ACTIVE and grant.agreement_file.name != old


def test_agreement_refused_on_terminated_grant(grant, staff):
    awards.grant_terminate(actor=staff, grant=grant, reason="Fraud")
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    assert "Terminated" in messages_of(excinfo)


# --- tranche plan -----------------------------------------------------------------------------


def test_plan_must_add_up_exactly(grant, staff):
    with pytest.raises(ValidationError) as excinfo:
        awards.tranches_set_plan(
            actor=staff,
            grant=grant,
            rows=[{"amount": "1000", "planned_on": TODAY()}, {"amount": "2999.99", "planned_on": TODAY()}],
        )
    assert "€3,999.99" in messages_of(excinfo) and "€4,000.00 exactly" in messages_of(excinfo)
    assert not grant.tranches.exists()


def test_plan_is_replaced_while_nothing_released(grant, staff):
    interim, *_ = duties(grant, staff)
    awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    created = awards.tranches_set_plan(
        actor=staff,
        grant=grant,
        rows=[
            {
                "number": "2",
                "amount": "1500.50",
                "planned_on": str(TODAY() + timedelta(days=5)),
                "condition": "After the interim report",
                "after_report": str(interim.pk),
            },
            {"number": "1", "amount": "2499.50", "planned_on": TODAY().isoformat()},
        ],
    )
    assert [t.number for t in created] == [1, 2]
    tranches = list(grant.tranches.order_by("number"))
    assert [t.amount for t in tranches] == [Decimal("2499.50"), Decimal("1500.50")]
    assert tranches[1].after_report == interim and tranches[1].condition == "After the interim report"


@pytest.mark.parametrize(
    "row,message",
    [
        # core.money.parse_amount's messages (one parser for every amount)
        ({"amount": "abc"}, "not an amount"),
        ({"amount": "-5"}, "must be positive"),
        ({"amount": "0"}, "must be positive"),
        ({"amount": "1.001"}, "two decimals"),
        ({"amount": "NaN"}, "not an amount"),
        ({"amount": "1e30"}, "not an amount"),
        ({"amount": "1000000000000"}, "too large"),
        ({"amount": "4000", "planned_on": "tomorrow"}, "valid date"),
        ({"amount": "4000", "number": "x"}, "whole number"),
        ({"amount": "4000", "after_report": "999999"}, "this grant's reports"),
        ({"amount": "4000", "condition": "x" * 301}, "300 characters"),
    ],
)
def test_plan_row_errors(grant, staff, row, message):
    with pytest.raises(ValidationError) as excinfo:
        awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"planned_on": TODAY(), **row}])
    assert message in messages_of(excinfo)
    assert not grant.tranches.exists()


def test_plan_refuses_report_of_another_grant(grant, staff):
    other = awarded_grant(staff=staff)
    other_reports = duties(other, staff)
    with pytest.raises(ValidationError):
        awards.tranches_set_plan(
            actor=staff,
            grant=grant,
            rows=[{"amount": "4000", "planned_on": TODAY(), "after_report": other_reports[0].pk}],
        )


def test_plan_refuses_duplicate_numbers_and_empty(grant, staff):
    with pytest.raises(ValidationError) as excinfo:
        awards.tranches_set_plan(
            actor=staff,
            grant=grant,
            rows=[
                {"number": 1, "amount": "2000", "planned_on": TODAY()},
                {"number": 1, "amount": "2000", "planned_on": TODAY()},
            ],
        )
    assert "used twice" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        awards.tranches_set_plan(actor=staff, grant=grant, rows=[])
    assert "at least one tranche" in messages_of(excinfo)


def test_plan_locked_once_a_tranche_is_released(staff):
    grant = active_grant(staff=staff)
    before = list(grant.tranches.values_list("pk", "amount", "status"))
    with pytest.raises(ValidationError) as excinfo:
        awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    assert "already been released" in messages_of(excinfo)
    assert list(grant.tranches.values_list("pk", "amount", "status")) == before


def test_plan_by_grantee_is_permission_denied(grant):
    with pytest.raises(PermissionDenied):
        awards.tranches_set_plan(
            actor=grant.application.applicant, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}]
        )
    assert not grant.tranches.exists()


# --- reporting duties -------------------------------------------------------------------------


def test_duties_need_final_narrative_and_financial(grant, staff):
    with pytest.raises(ValidationError) as excinfo:
        awards.reports_set_duties(
            actor=staff,
            grant=grant,
            rows=[{"period": "final", "kind": "narrative", "due_on": TODAY()}],
        )
    assert "final financial report is required" in messages_of(excinfo)
    assert not grant.reports.exists()


@pytest.mark.parametrize(
    "row,message",
    [
        ({"period": "yearly"}, "interim or final"),
        ({"kind": "poem"}, "narrative or financial"),
        ({"due_on": "2026-02-30"}, "valid date"),
        ({"due_on": "1900-01-01"}, "between"),
        ({"id": "999999"}, "not part of this grant"),
    ],
)
def test_duties_row_errors(grant, staff, row, message):
    rows = [
        {"period": "final", "kind": "narrative", "due_on": TODAY(), **row},
        {"period": "final", "kind": "financial", "due_on": TODAY()},
    ]
    with pytest.raises(ValidationError) as excinfo:
        awards.reports_set_duties(actor=staff, grant=grant, rows=rows)
    assert message in messages_of(excinfo)
    assert not grant.reports.exists()


def test_duties_update_and_remove(grant, staff):
    _interim, final_n, final_f = duties(grant, staff)
    SentReminder.objects.create(
        kind=ReminderKind.REPORT_DUE, object_id=final_n.pk, user=grant.application.applicant
    )
    new_date = TODAY() + timedelta(days=120)
    awards.reports_set_duties(
        actor=staff,
        grant=grant,
        rows=[
            {"id": final_n.pk, "period": "final", "kind": "narrative", "due_on": new_date},
            {"id": final_f.pk, "period": "final", "kind": "financial", "due_on": final_f.due_on},
        ],
    )
    assert set(grant.reports.values_list("pk", flat=True)) == {final_n.pk, final_f.pk}
    final_n.refresh_from_db()
    assert final_n.due_on == new_date
    assert not SentReminder.objects.filter(object_id=final_n.pk).exists()  # reminded again for the new date


def test_duties_cannot_remove_report_a_tranche_waits_for(grant, staff):
    interim, final_n, final_f = duties(grant, staff)
    awards.tranches_set_plan(
        actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY(), "after_report": interim.pk}]
    )
    with pytest.raises(ValidationError) as excinfo:
        awards.reports_set_duties(
            actor=staff,
            grant=grant,
            rows=[
                {"id": final_n.pk, "period": "final", "kind": "narrative", "due_on": final_n.due_on},
                {"id": final_f.pk, "period": "final", "kind": "financial", "due_on": final_f.due_on},
            ],
        )
    assert "change the plan first" in messages_of(excinfo)
    assert grant.reports.count() == 3


def test_duties_cannot_remove_or_change_a_sent_report(staff):
    grant = active_grant(staff=staff)
    interim, final_n, final_f = grant.reports.order_by("due_on", "pk")
    awards.grant_report_submit(actor=grant.application.applicant, report=final_n, text="Done")
    rows = [
        {"id": interim.pk, "period": "interim", "kind": "narrative", "due_on": interim.due_on},
        {"id": final_f.pk, "period": "final", "kind": "financial", "due_on": final_f.due_on},
        {"period": "final", "kind": "narrative", "due_on": TODAY()},
    ]
    with pytest.raises(ValidationError) as excinfo:
        awards.reports_set_duties(actor=staff, grant=grant, rows=rows)
    assert "cannot be removed" in messages_of(excinfo)
    rows[2] = {
        "id": final_n.pk,
        "period": "final",
        "kind": "narrative",
        "due_on": TODAY() + timedelta(days=1),
    }
    with pytest.raises(ValidationError) as excinfo:
        awards.reports_set_duties(actor=staff, grant=grant, rows=rows)
    assert "cannot be changed" in messages_of(excinfo)
    assert grant.reports.count() == 3


def test_duties_by_grantee_is_permission_denied(grant):
    with pytest.raises(PermissionDenied):
        duties(grant, grant.application.applicant)


# --- releases and payments --------------------------------------------------------------------


def test_release_refused_before_agreement(grant, staff):
    duties(grant, staff)
    awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    tranche = grant.tranches.get()
    with pytest.raises(ValidationError) as excinfo:
        awards.tranche_release(actor=staff, tranche=tranche)
    assert "active grants only" in messages_of(excinfo)
    tranche.refresh_from_db()
    assert tranche.status == T.PLANNED


def test_release_waits_for_its_report(staff):
    grant = active_grant(staff=staff)
    second = grant.tranches.get(number=2)
    with pytest.raises(ValidationError) as excinfo:
        awards.tranche_release(actor=staff, tranche=second)
    assert "is accepted" in messages_of(excinfo)
    second.refresh_from_db()
    assert second.status == T.PLANNED


def test_release_then_pay(staff, django_capture_on_commit_callbacks):
    grant = active_grant(staff=staff)
    first = grant.tranches.get(number=1)
    assert first.status == T.RELEASED
    with pytest.raises(ValidationError) as excinfo:
        awards.tranche_release(actor=staff, tranche=first)
    assert "only a planned tranche" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY() + timedelta(days=1))
    with pytest.raises(ValidationError):
        awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY() - timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY())
    first.refresh_from_db()
    assert first.status == T.PAID and first.paid_on == TODAY()
    assert len(mail.outbox) == 1
    assert t("A payment of your grant %(ref)s was made", ref="X").split("X")[0] in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=TODAY())


def test_mark_paid_refused_for_planned(staff):
    grant = active_grant(staff=staff)
    second = grant.tranches.get(number=2)
    with pytest.raises(ValidationError) as excinfo:
        awards.tranche_mark_paid(actor=staff, tranche=second, paid_on=TODAY())
    assert "only a released tranche" in messages_of(excinfo)


def test_manual_release_of_tranche_without_condition(grant, staff):
    duties(grant, staff)
    awards.tranches_set_plan(
        actor=staff,
        grant=grant,
        rows=[{"amount": "2000", "planned_on": TODAY()}, {"amount": "2000", "planned_on": TODAY()}],
    )
    awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    second = grant.tranches.get(number=2)
    awards.tranche_release(actor=staff, tranche=second)
    second.refresh_from_db()
    assert second.status == T.RELEASED


def test_grantee_cannot_release_or_pay(staff):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    first, second = grant.tranches.order_by("number")
    with pytest.raises(PermissionDenied):
        awards.tranche_release(actor=applicant, tranche=second)
    with pytest.raises(PermissionDenied):
        awards.tranche_mark_paid(actor=applicant, tranche=first, paid_on=TODAY())
    assert list(grant.tranches.order_by("number").values_list("status", flat=True)) == [T.RELEASED, T.PLANNED]


# --- reports ----------------------------------------------------------------------------------


def test_submit_accept_releases_linked_tranche(staff, django_capture_on_commit_callbacks):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    interim = grant.reports.get(period="interim")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_report_submit(actor=applicant, report=interim, text="We held 4 workshops.")
    interim.refresh_from_db()
    assert interim.status == R.SUBMITTED and interim.submitted_by == applicant and interim.submitted_at
    assert [m.to for m in mail.outbox] == [[staff.email]]  # the staff member who decided
    assert t("Grant report received: %(ref)s", ref="X").split("X")[0] in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_report_accept(actor=staff, report=interim, comment="Good work")
    interim.refresh_from_db()
    assert interim.status == R.ACCEPTED and interim.reviewed_by == staff
    second = grant.tranches.get(number=2)
    assert second.status == T.RELEASED and second.released_at
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    released = t("Tranche %(n)s (%(amount)s) is released for payment.", n=2, amount="X").split(" (")[0]
    assert released in mail.outbox[0].body and "Good work" in mail.outbox[0].body
    assert t("Interim") in mail.outbox[0].body  # the report's label in the recipient's language


def test_submit_needs_text_or_file_and_right_type(staff, settings):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    report = grant.reports.get(period="interim")
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_submit(actor=applicant, report=report, text="   ")
    assert "Write the report" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_submit(actor=applicant, report=report, upload=png_upload())
    assert "PDF, Word (DOCX) or Excel (XLSX)" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        awards.grant_report_submit(actor=applicant, report=report, upload=exe_upload())
    with pytest.raises(ValidationError):
        awards.grant_report_submit(actor=applicant, report=report, text="x" * 20001)
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_submit(actor=applicant, report=report, upload=pdf_upload())
    assert "too large" in messages_of(excinfo)
    report.refresh_from_db()
    assert report.status == R.DUE and not report.file


def test_submit_file_then_return_then_resubmit_keeps_file(staff, django_capture_on_commit_callbacks):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    report = grant.reports.get(period="final", kind="financial")
    awards.grant_report_submit(actor=applicant, report=report, upload=docx_upload("Financat.docx"))
    report.refresh_from_db()
    assert report.original_name == "Financat.docx" and report.file.name.endswith(".docx")
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_submit(actor=applicant, report=report, text="again")
    assert "cannot be sent again" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_return(actor=staff, report=report, comment="  ")
    assert "comment" in excinfo.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_report_return(actor=staff, report=report, comment="Add the bank statements.")
    report.refresh_from_db()
    assert report.status == R.RETURNED and report.staff_comment == "Add the bank statements."
    assert len(mail.outbox) == 1 and "Add the bank statements." in mail.outbox[0].body
    awards.grant_report_submit(actor=applicant, report=report, text="Statements in the file.")
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.original_name == "Financat.docx"


def test_accept_or_return_refused_unless_submitted(staff):
    grant = active_grant(staff=staff)
    report = grant.reports.get(period="interim")
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_accept(actor=staff, report=report)
    assert "only a submitted report" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        awards.grant_report_return(actor=staff, report=report, comment="No")
    report.refresh_from_db()
    assert report.status == R.DUE


def test_report_permissions(staff):
    organization = verified_cso()
    owner = member_of(organization, Membership.Role.OWNER)
    editor = member_of(organization, Membership.Role.EDITOR)
    viewer = member_of(organization, Membership.Role.VIEWER)
    grant = active_grant(
        staff=staff, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    report = grant.reports.get(period="interim")
    for person in (viewer, UserFactory(), staff):
        with pytest.raises(PermissionDenied):
            awards.grant_report_submit(actor=person, report=report, text="x")
    report.refresh_from_db()
    assert report.status == R.DUE
    awards.grant_report_submit(actor=editor, report=report, text="From the editor")
    with pytest.raises(PermissionDenied):
        awards.grant_report_accept(actor=editor, report=report)
    with pytest.raises(PermissionDenied):
        awards.grant_report_return(actor=owner, report=report, comment="x")
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.submitted_by == editor


def test_submit_refused_before_agreement(grant, staff):
    report = duties(grant, staff)[0]
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_report_submit(actor=grant.application.applicant, report=report, text="x")
    assert "active grants only" in messages_of(excinfo)


# --- closing and termination ------------------------------------------------------------------


def test_close_lists_open_items_then_closes(staff, django_capture_on_commit_callbacks):
    grant = active_grant(staff=staff)
    applicant = grant.application.applicant
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_close(actor=staff, grant=grant)
    text = messages_of(excinfo)
    assert "cannot be closed yet" in text
    assert "Tranche 1" in text and "Tranche 2" in text
    assert "Interim — Narrative report" in text and "Final — Financial report" in text
    grant.refresh_from_db()
    assert grant.status == G.ACTIVE
    for report in grant.reports.all():
        awards.grant_report_submit(actor=applicant, report=report, text="Done")
        awards.grant_report_accept(actor=staff, report=report)
    for tranche in grant.tranches.all():
        awards.tranche_mark_paid(actor=staff, tranche=tranche, paid_on=TODAY())
    with pytest.raises(PermissionDenied):
        awards.grant_close(actor=applicant, grant=grant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_close(actor=staff, grant=grant, note="All fine")
    grant.refresh_from_db()
    assert grant.status == G.CLOSED and grant.closed_at and grant.closing_note == "All fine"
    assert len(mail.outbox) == 1
    assert t("Your grant %(ref)s is closed", ref="X").split("X")[-1] in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        awards.grant_close(actor=staff, grant=grant)
    with pytest.raises(ValidationError):
        awards.grant_terminate(actor=staff, grant=grant, reason="x")


def test_close_without_plan_or_duties(staff, grant):
    duties(grant, staff)
    awards.tranches_set_plan(actor=staff, grant=grant, rows=[{"amount": "4000", "planned_on": TODAY()}])
    awards.grant_upload_agreement(actor=staff, grant=grant, upload=pdf_upload(), signed_on=TODAY())
    Tranche.objects.filter(grant=grant).delete()
    GrantReport.objects.filter(grant=grant).delete()
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_close(actor=staff, grant=grant)
    assert "No disbursement plan" in messages_of(excinfo) and "No reporting duties" in messages_of(excinfo)


def test_close_refused_for_awarded(grant, staff):
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_close(actor=staff, grant=grant)
    assert "Only an active grant" in messages_of(excinfo)


def test_terminate(grant, staff, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        awards.grant_terminate(actor=grant.application.applicant, grant=grant, reason="x")
    with pytest.raises(ValidationError) as excinfo:
        awards.grant_terminate(actor=staff, grant=grant, reason=" ")
    assert "reason" in excinfo.value.message_dict
    grant.refresh_from_db()
    assert grant.status == G.AWARDED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        awards.grant_terminate(actor=staff, grant=grant, reason="The organisation was dissolved.")
    grant.refresh_from_db()
    assert grant.status == G.TERMINATED and grant.closing_note == "The organisation was dissolved."
    assert "The organisation was dissolved." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        awards.grant_terminate(actor=staff, grant=grant, reason="again")
    with pytest.raises(ValidationError):
        duties(grant, staff)


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_emails_go_in_the_grantees_language(grant, staff, language):
    applicant = grant.application.applicant
    applicant.preferred_language = language
    applicant.save(update_fields=["preferred_language"])
    EmailOutbox.objects.all().delete()
    awards.grant_terminate(actor=staff, grant=grant, reason="Arsye")
    message = EmailOutbox.objects.get(to=applicant.email)
    assert f"/{language}/grants/awards/{grant.pk}/" in message.body_text and "Arsye" in message.body_text


# --- dates are the portal's (Europe/Belgrade), whatever zone is active (issue 12, item 26) ----

# 22:30 UTC on 5 December: 23:30 in Belgrade (still the 5th), 11:30 on the 6th in Auckland,
# 17:30 on the 5th in New York.
NEAR_MIDNIGHT = datetime.datetime(2026, 12, 5, 22, 30, tzinfo=datetime.UTC)


def _ready_before_near_midnight(staff):
    grant = ready_grant(staff=staff)
    Grant.objects.filter(pk=grant.pk).update(awarded_at=NEAR_MIDNIGHT - timedelta(days=10))
    grant.refresh_from_db()
    return grant


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/New_York", "Europe/Belgrade"])
def test_payment_near_midnight_is_compared_in_belgrade(staff, zone):
    """The tranche is released at 23:30 Belgrade time on 5 December and paid the same
    Belgrade day: accepted whichever time zone is active when the payment is recorded."""
    grant = _ready_before_near_midnight(staff)
    with mock.patch("django.utils.timezone.now", return_value=NEAR_MIDNIGHT):
        awards.grant_upload_agreement(
            actor=staff, grant=grant, upload=pdf_upload(), signed_on=datetime.date(2026, 12, 5)
        )
        first = grant.tranches.get(number=1)
        assert first.status == T.RELEASED and first.released_at == NEAR_MIDNIGHT
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=datetime.date(2026, 12, 5))
    first.refresh_from_db()
    assert first.status == T.PAID and first.paid_on == datetime.date(2026, 12, 5)


def test_payment_before_the_release_names_the_release_date_and_the_zone(staff):
    grant = _ready_before_near_midnight(staff)
    with mock.patch("django.utils.timezone.now", return_value=NEAR_MIDNIGHT):
        awards.grant_upload_agreement(
            actor=staff, grant=grant, upload=pdf_upload(), signed_on=datetime.date(2026, 12, 5)
        )
        first = grant.tranches.get(number=1)
        with (
            timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")),
            pytest.raises(ValidationError) as excinfo,
        ):
            awards.tranche_mark_paid(actor=staff, tranche=first, paid_on=datetime.date(2026, 12, 4))
    assert excinfo.value.message_dict["paid_on"] == [
        "The payment date cannot be before the tranche was released (5 December 2026, Europe/Belgrade time)."
    ]
