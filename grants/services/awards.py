"""After the award: the signed agreement, the disbursement plan in tranches, the reporting
duties, the grantee's reports (submitted, accepted or returned), and closing or terminating
the grant.

    awarded ──agreement uploaded──▶ active ──all reports accepted, all tranches paid──▶ closed
       └──────────────── terminate (a reason) ──────┴──────────────────────────────────▶ terminated

    tranche: planned ──release──▶ released ──mark paid──▶ paid
             (a tranche with `after_report` is released when that report is accepted)
    report:  due ──submit──▶ submitted ──accept──▶ accepted
                  returned ◀──return (a comment)──┘

Every service runs in one transaction, checks the permission (`grants.manage_grant` for
KCSF, `grants.submit_grant_report` for the grantee), locks the grant first and then the row
it changes, and emails the other side after commit. The moves follow the tables of
`grants.workflow` (GRANT, TRANCHE, GRANT_REPORT) and go through their `move`, which records
who did it (one core.StatusChange per move, and simple_history).
Refusals are `ValidationError`s with a translated reason.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import reminders
from core.money import format_money, parse_amount
from core.notifications import email_user_template
from core.validators import upload_name, validate_document_upload
from grants.choices import (
    GrantReportStatus,
    GrantStatus,
    ReminderKind,
    ReportKind,
    ReportPeriod,
    TrancheStatus,
)
from grants.models import Grant, GrantReport, Tranche
from grants.services.common import email_applicant, require
from grants.workflow import GRANT, GRANT_REPORT, TRANCHE

G = GrantStatus
T = TrancheStatus
R = GrantReportStatus
CENT = Decimal("0.01")
MAX_TRANCHES = 20
MAX_REPORTS = 20
CONDITION_MAX = 300
AGREEMENT_TYPES = ("pdf",)
REPORT_FILE_TYPES = ("pdf", "docx", "xlsx")
REPORT_TEXT_MAX = 20_000
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Every date on these pages is a day in the portal's time zone (settings.TIME_ZONE,
# Europe/Belgrade): typed dates, "today" and the day of a moment (a release) are compared
# there, whatever time zone is active, and the forms say so (issue 12, item 26).
PORTAL_TIME_ZONE = settings.TIME_ZONE


def portal_date(moment: datetime.datetime | None = None) -> datetime.date:
    """The day of `moment` (default: now) in the portal's time zone."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


# A sane window for every date typed on these pages (no year 9999).
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


# --- helpers --------------------------------------------------------------------------------


def lock_grant(grant: Grant) -> Grant:
    """The grant re-read under a row lock (only the grant's row), with what emails need."""
    return (
        Grant.objects.select_for_update(of=("self",))
        .select_related("call", "application__call", "application__organization", "application__applicant")
        .get(pk=grant.pk)
    )


def _save(obj, actor, fields: list[str]) -> None:
    obj._history_user = actor  # simple_history: who made this change
    obj.save(update_fields=fields)


def _grant_label(status: str) -> str:
    return str(G(status).label)


def _require_status(grant: Grant, allowed, message: str) -> None:
    """`allowed`: the statuses in which the grant may be changed so, or the status the grant
    moves to (then the table of grants.workflow.GRANT decides)."""
    ok = GRANT.allows(grant.status, allowed) if isinstance(allowed, str) else grant.status in allowed
    if not ok:
        raise ValidationError(
            message % {"status": _grant_label(grant.status)}, code="grant_status_not_allowed"
        )


def parse_date(value, *, field_label: str = "") -> datetime.date:
    """A date (or an ISO "YYYY-MM-DD" string) within EARLIEST_DATE..LATEST_DATE; else a
    ValidationError naming `field_label`."""
    if isinstance(value, datetime.datetime):
        value = portal_date(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value or "").strip())
        except (TypeError, ValueError):
            raise ValidationError(
                _("%(field)s: enter a valid date (YYYY-MM-DD).") % {"field": field_label or _("Date")},
                code="invalid_date",
            ) from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("%(field)s: enter a date between %(start)s and %(end)s.")
            % {"field": field_label or _("Date"), "start": EARLIEST_DATE, "end": LATEST_DATE},
            code="invalid_date",
        )
    return value


def validate_upload(upload, allowed: tuple[str, ...], message: str) -> str:
    """Size (GRANTS_ATTACHMENT_MAX_BYTES) and real type from the content; returns the type."""
    return validate_document_upload(
        upload, allowed=allowed, message=message, max_bytes=settings.GRANTS_ATTACHMENT_MAX_BYTES
    )


def _delete_file_on_commit(field_file) -> None:
    if field_file:
        name, storage = field_file.name, field_file.storage
        transaction.on_commit(lambda: storage.delete(name))


def report_label(report: GrantReport):
    """ "Interim — Narrative report", lazily: an email renders it in its recipient's language."""
    return format_lazy("{} — {}", ReportPeriod(report.period).label, ReportKind(report.kind).label)


def grant_staff_followers(grant: Grant) -> list:
    """KCSF staff who follow the grant: who decided it, who changed it or reviewed its
    reports; when nobody has yet, every active staff member."""
    ids = {grant.application.decided_by_id}
    ids |= set(grant.history.exclude(history_user=None).values_list("history_user_id", flat=True))
    ids |= set(grant.reports.exclude(reviewed_by=None).values_list("reviewed_by_id", flat=True))
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    followers = list(users.filter(pk__in=[i for i in ids if i]))
    return followers or list(users)


def _email_grantee(grant: Grant, template: str, **context) -> None:
    email_applicant(grant.application, template=template, context={"grant": grant, **context})


# --- the agreement --------------------------------------------------------------------------

ACTIVATION_LEAD = gettext_lazy(
    "The grant becomes active once its disbursement plan adds up and its final reports are set:"
)


def activation_missing(grant: Grant) -> list[str]:
    """What still stops the signed agreement from making the grant active (empty: nothing):
    a plan of tranches adding up to the grant's amount, and the final narrative and final
    financial report duties. Without them an active grant has nothing to release or report."""
    missing = []
    amounts = list(grant.tranches.values_list("amount", flat=True))
    if not amounts:
        missing.append(_("No disbursement plan has been set."))
    elif sum(amounts, Decimal("0.00")) != grant.amount:
        missing.append(
            _("The tranches add up to %(total)s; they must add up to the grant's %(amount)s exactly.")
            % {"total": format_money(sum(amounts, Decimal("0.00"))), "amount": format_money(grant.amount)}
        )
    present = set(grant.reports.values_list("period", "kind"))
    if (ReportPeriod.FINAL, ReportKind.NARRATIVE) not in present:
        missing.append(_("A final narrative report is required."))
    if (ReportPeriod.FINAL, ReportKind.FINANCIAL) not in present:
        missing.append(_("A final financial report is required."))
    return missing


@transaction.atomic
def grant_upload_agreement(*, actor, grant: Grant, upload, signed_on, release_first: bool = True) -> Grant:
    """Register the signed agreement (a PDF) and the date it was signed: an awarded grant
    becomes active (an active grant's copy may be replaced). With `release_first`, the first
    tranche of the plan is released for payment when it waits for no report."""
    require(actor, "grants.manage_grant", grant)
    grant = lock_grant(grant)
    _require_status(
        grant,
        (G.AWARDED, G.ACTIVE),
        _("The agreement of a grant that is “%(status)s” cannot be changed."),
    )
    signed_on = parse_date(signed_on, field_label=_("Signed on"))
    errors = {}
    if signed_on > portal_date():
        errors["signed_on"] = _("The signing date cannot be in the future.")
    elif signed_on < portal_date(grant.awarded_at):
        errors["signed_on"] = _("The agreement cannot be signed before the grant was awarded.")
    try:
        kind = validate_upload(upload, AGREEMENT_TYPES, _("Upload the signed agreement as a PDF file."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if grant.status == G.AWARDED:
        missing = activation_missing(grant)
        if missing:
            errors[NON_FIELD_ERRORS] = [
                ValidationError(message, code="not_ready") for message in [str(ACTIVATION_LEAD), *missing]
            ]
    if errors:
        raise ValidationError(errors)
    _delete_file_on_commit(grant.agreement_file)
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    grant.agreement_file = upload
    grant.agreement_signed_on = signed_on
    fields = ["agreement_file", "agreement_signed_on", "updated_at"]
    activated = grant.status == G.AWARDED
    if activated:
        GRANT.move(grant, G.ACTIVE, actor=actor, fields=fields, check_perm=False)  # checked above
    else:
        _save(grant, actor, fields)
    released = []
    if activated and release_first:
        first = Tranche.objects.select_for_update().filter(grant=grant).order_by("number").first()
        if first is not None and first.status == T.PLANNED and first.after_report_id is None:
            _release(first, actor)
            released.append(first)
    if activated:
        _email_grantee(grant, "grants/email/grant_active", released=released)
    return grant


# --- the disbursement plan ------------------------------------------------------------------


def _rows_error(errors: list[str]) -> ValidationError:
    return ValidationError(errors, code="invalid_rows")


@transaction.atomic
def tranches_set_plan(*, actor, grant: Grant, rows: list[dict]) -> list[Tranche]:
    """Replace the disbursement plan: rows of number, amount, planned date, condition and
    (optionally) the report whose acceptance releases the tranche. The amounts add up to
    the grant's amount exactly. Only while no tranche has been released."""
    require(actor, "grants.manage_grant", grant)
    grant = lock_grant(grant)
    _require_status(
        grant,
        (G.AWARDED, G.ACTIVE),
        _("The disbursement plan of a grant that is “%(status)s” cannot be changed."),
    )
    existing = list(Tranche.objects.select_for_update().filter(grant=grant))
    if any(t.status != T.PLANNED for t in existing):
        raise ValidationError(
            _("A tranche has already been released: the disbursement plan can no longer be changed."),
            code="plan_locked",
        )
    rows = list(rows or [])
    if not rows:
        raise _rows_error([_("Plan at least one tranche.")])
    if len(rows) > MAX_TRANCHES:
        raise _rows_error([_("A grant has at most %(n)s tranches.") % {"n": MAX_TRANCHES}])
    reports = {r.pk: r for r in grant.reports.all()}
    errors, clean, numbers = [], [], set()
    total = Decimal("0.00")
    for position, row in enumerate(rows, start=1):
        prefix = _("Tranche %(n)s") % {"n": position}
        raw_number = row.get("number")
        try:
            number = int(raw_number) if str(raw_number or "").strip() else position
            if not 1 <= number <= 999:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(_("%(row)s: the number must be a whole number from 1 to 999.") % {"row": prefix})
            number = None
        if number is not None:
            if number in numbers:
                errors.append(
                    _("%(row)s: the number %(number)s is used twice.") % {"row": prefix, "number": number}
                )
            numbers.add(number)
        try:
            amount = parse_amount(row.get("amount"), language=translation.get_language(), allow_zero=False)
            total += amount
        except ValidationError as exc:
            errors.append(f"{prefix}: {exc.messages[0]}")
            amount = None
        try:
            planned_on = parse_date(row.get("planned_on"), field_label=prefix)
        except ValidationError as exc:
            errors.append(exc.messages[0])
            planned_on = None
        condition = str(row.get("condition") or "").strip()
        if len(condition) > CONDITION_MAX:
            errors.append(
                _("%(row)s: keep the condition under %(n)s characters.") % {"row": prefix, "n": CONDITION_MAX}
            )
        after = row.get("after_report")
        after_report = None
        if after not in (None, ""):
            try:
                after_report = reports[int(getattr(after, "pk", after))]
            except (KeyError, TypeError, ValueError):
                errors.append(_("%(row)s: choose one of this grant's reports.") % {"row": prefix})
        clean.append((number, amount, planned_on, condition, after_report))
    if not errors and total != grant.amount:
        errors.append(
            _("The tranches add up to %(total)s; they must add up to the grant's %(amount)s exactly.")
            % {"total": format_money(total), "amount": format_money(grant.amount)}
        )
    if errors:
        raise _rows_error(errors)
    for tranche in existing:
        tranche._history_user = actor
        tranche.delete()
    created = []
    for number, amount, planned_on, condition, after_report in sorted(clean, key=lambda c: c[0]):
        tranche = Tranche(
            grant=grant,
            number=number,
            amount=amount,
            planned_on=planned_on,
            condition=condition,
            after_report=after_report,
        )
        tranche._history_user = actor
        tranche.save()
        created.append(tranche)
    _save(grant, actor, ["updated_at"])
    return created


def _release(tranche: Tranche, actor) -> Tranche:
    """Release a locked tranche (the caller checked `grants.manage_grant`)."""
    tranche.released_at = timezone.now()
    TRANCHE.move(tranche, T.RELEASED, actor=actor, fields=["released_at"], check_perm=False)
    return tranche


def _lock_tranche(grant: Grant, tranche: Tranche) -> Tranche:
    locked = Tranche.objects.select_for_update().filter(pk=tranche.pk, grant=grant).first()
    if locked is None:
        raise ValidationError(_("This tranche is not part of this grant."), code="not_found")
    return locked


@transaction.atomic
def tranche_release(*, actor, tranche: Tranche) -> Tranche:
    """Release a planned tranche for payment (the grant must be active). A tranche that waits
    for a report is released when that report is accepted, not before."""
    require(actor, "grants.manage_grant", tranche.grant)
    grant = lock_grant(tranche.grant)
    _require_status(
        grant, (G.ACTIVE,), _("Tranches are released on active grants only; this grant is “%(status)s”.")
    )
    tranche = _lock_tranche(grant, tranche)
    if not TRANCHE.allows(tranche.status, T.RELEASED):
        raise ValidationError(
            _("Tranche %(n)s is “%(status)s”: only a planned tranche can be released.")
            % {"n": tranche.number, "status": T(tranche.status).label},
            code="tranche_status",
        )
    report = tranche.after_report
    if report is not None and report.status != R.ACCEPTED:
        raise ValidationError(
            _("Tranche %(n)s is released when the report “%(report)s” is accepted.")
            % {"n": tranche.number, "report": report_label(report)},
            code="waits_for_report",
        )
    _release(tranche, actor)
    _email_grantee(grant, "grants/email/grant_tranche_released", tranches=[tranche])
    return tranche


@transaction.atomic
def tranche_mark_paid(*, actor, tranche: Tranche, paid_on) -> Tranche:
    """A released tranche was paid on `paid_on` (not in the future)."""
    require(actor, "grants.manage_grant", tranche.grant)
    grant = lock_grant(tranche.grant)
    _require_status(
        grant, (G.ACTIVE,), _("Payments are recorded on active grants only; this grant is “%(status)s”.")
    )
    tranche = _lock_tranche(grant, tranche)
    if not TRANCHE.allows(tranche.status, T.PAID):
        raise ValidationError(
            _("Tranche %(n)s is “%(status)s”: only a released tranche can be marked as paid.")
            % {"n": tranche.number, "status": T(tranche.status).label},
            code="tranche_status",
        )
    paid_on = parse_date(paid_on, field_label=_("Paid on"))
    if paid_on > portal_date():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if tranche.released_at and paid_on < portal_date(tranche.released_at):
        raise ValidationError(
            {
                "paid_on": _(
                    "The payment date cannot be before the tranche was released (%(date)s, %(zone)s time)."
                )
                % {
                    "date": date_format(portal_date(tranche.released_at), "DATE_FORMAT"),
                    "zone": PORTAL_TIME_ZONE,
                }
            }
        )
    tranche.paid_on = paid_on
    TRANCHE.move(tranche, T.PAID, actor=actor, fields=["paid_on"], check_perm=False)  # checked above
    _email_grantee(grant, "grants/email/grant_tranche_paid", tranche=tranche)
    return tranche


# --- reporting duties -----------------------------------------------------------------------


@transaction.atomic
def reports_set_duties(*, actor, grant: Grant, rows: list[dict]) -> list[GrantReport]:
    """Set the reporting duties: rows of period (interim/final), kind (narrative/financial)
    and due date; a row with `id` changes that duty. At least a final narrative and a final
    financial report. A report already sent keeps its period and kind; a duty that is left out
    is removed (unless it was sent, or a tranche waits for it)."""
    require(actor, "grants.manage_grant", grant)
    grant = lock_grant(grant)
    _require_status(
        grant,
        (G.AWARDED, G.ACTIVE),
        _("The reporting duties of a grant that is “%(status)s” cannot be changed."),
    )
    existing = {r.pk: r for r in GrantReport.objects.select_for_update().filter(grant=grant)}
    rows = list(rows or [])
    if len(rows) > MAX_REPORTS:
        raise _rows_error([_("A grant has at most %(n)s reports.") % {"n": MAX_REPORTS}])
    errors, clean, kept = [], [], set()
    for position, row in enumerate(rows, start=1):
        prefix = _("Report %(n)s") % {"n": position}
        report = None
        raw_id = row.get("id")
        if raw_id not in (None, ""):
            try:
                report = existing[int(raw_id)]
            except (KeyError, TypeError, ValueError):
                errors.append(_("%(row)s: this report is not part of this grant.") % {"row": prefix})
                continue
            if report.pk in kept:
                errors.append(_("%(row)s: this report is listed twice.") % {"row": prefix})
                continue
            kept.add(report.pk)
        period, kind = row.get("period"), row.get("kind")
        if period not in ReportPeriod.values:
            errors.append(_("%(row)s: choose interim or final.") % {"row": prefix})
        if kind not in ReportKind.values:
            errors.append(_("%(row)s: choose narrative or financial.") % {"row": prefix})
        try:
            due_on = parse_date(row.get("due_on"), field_label=prefix)
        except ValidationError as exc:
            errors.append(exc.messages[0])
            due_on = None
        if report is not None and report.status not in (R.DUE, R.RETURNED):
            if (period, kind, due_on) != (report.period, report.kind, report.due_on):
                errors.append(
                    _("%(row)s: the report was already sent (“%(status)s”) and cannot be changed.")
                    % {"row": prefix, "status": R(report.status).label}
                )
        elif (
            report is not None
            and report.status == R.RETURNED
            and (period, kind) != (report.period, report.kind)
        ):
            errors.append(_("%(row)s: a report already sent keeps its period and kind.") % {"row": prefix})
        clean.append((report, period, kind, due_on))
    present = {(p, k) for _r, p, k, _d in clean}
    if (ReportPeriod.FINAL, ReportKind.NARRATIVE) not in present:
        errors.append(_("A final narrative report is required."))
    if (ReportPeriod.FINAL, ReportKind.FINANCIAL) not in present:
        errors.append(_("A final financial report is required."))
    removed = [r for pk, r in existing.items() if pk not in kept]
    for report in removed:
        if report.status != R.DUE or report.submitted_at:
            errors.append(
                _("The report “%(report)s” was already sent: it cannot be removed.")
                % {"report": report_label(report)}
            )
        elif report.releases.exists():
            errors.append(
                _("A tranche is released when the report “%(report)s” is accepted: change the plan first.")
                % {"report": report_label(report)}
            )
    if errors:
        raise _rows_error(errors)
    for report in removed:
        reminders.forget([ReminderKind.REPORT_DUE, ReminderKind.REPORT_OVERDUE], [report.pk])
        report._history_user = actor
        report.delete()
    result = []
    for report, period, kind, due_on in clean:
        if report is None:
            report = GrantReport(grant=grant, period=period, kind=kind, due_on=due_on)
            report._history_user = actor
            report.save()
        elif (period, kind, due_on) != (report.period, report.kind, report.due_on):
            if due_on != report.due_on:  # a new date: its reminders go again
                reminders.forget([ReminderKind.REPORT_DUE, ReminderKind.REPORT_OVERDUE], [report.pk])
            report.period, report.kind, report.due_on = period, kind, due_on
            _save(report, actor, ["period", "kind", "due_on", "updated_at"])
        result.append(report)
    _save(grant, actor, ["updated_at"])
    return result


# --- the grantee's reports ------------------------------------------------------------------


def _lock_report(grant: Grant, report: GrantReport) -> GrantReport:
    locked = GrantReport.objects.select_for_update().filter(pk=report.pk, grant=grant).first()
    if locked is None:
        raise ValidationError(_("This report is not part of this grant."), code="not_found")
    return locked


@transaction.atomic
def grant_report_submit(*, actor, report: GrantReport, text: str = "", upload=None) -> GrantReport:
    """The grantee sends a report (text and/or a PDF, DOCX or XLSX file): due or returned →
    submitted. A returned report keeps its earlier file unless a new one is sent. Staff are told."""
    require(actor, "grants.submit_grant_report", report.grant)
    grant = lock_grant(report.grant)
    _require_status(
        grant, (G.ACTIVE,), _("Reports are sent on active grants only; this grant is “%(status)s”.")
    )
    report = _lock_report(grant, report)
    if not GRANT_REPORT.allows(report.status, R.SUBMITTED):
        raise ValidationError(
            _("This report is “%(status)s”: it cannot be sent again.") % {"status": R(report.status).label},
            code="report_status",
        )
    text = (text or "").strip()
    errors = {}
    if len(text) > REPORT_TEXT_MAX:
        errors["text"] = _("Keep the report under %(n)s characters, or attach it as a file.") % {
            "n": f"{REPORT_TEXT_MAX:,}"
        }
    kind = None
    if upload:
        try:
            kind = validate_upload(
                upload, REPORT_FILE_TYPES, _("Upload the report as a PDF, Word (DOCX) or Excel (XLSX) file.")
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif not text and not report.file:
        errors["text"] = _("Write the report or attach it as a file.")
    if errors:
        raise ValidationError(errors)
    fields = ["text", "submitted_at", "submitted_by"]
    if upload:
        _delete_file_on_commit(report.file)
        report.original_name = upload_name(upload)
        upload.name = f"{uuid.uuid4().hex}.{kind}"
        report.file = upload
        fields += ["file", "original_name"]
    report.text = text
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    GRANT_REPORT.move(report, R.SUBMITTED, actor=actor, fields=fields, check_perm=False)  # checked above
    for person in grant_staff_followers(grant):
        email_user_template(
            template="grants/email/grant_report_submitted",
            context={
                "grant": grant,
                "application": grant.application,
                "call": grant.call,
                "report": report,
                "report_label": report_label(report),
            },
            user=person,
        )
    return report


@transaction.atomic
def grant_report_accept(*, actor, report: GrantReport, comment: str = "") -> GrantReport:
    """KCSF accepts a submitted report; the tranches waiting for it are released."""
    require(actor, "grants.manage_grant", report.grant)
    grant = lock_grant(report.grant)
    _require_status(
        grant, (G.ACTIVE,), _("Reports are reviewed on active grants only; this grant is “%(status)s”.")
    )
    report = _lock_report(grant, report)
    if not GRANT_REPORT.allows(report.status, R.ACCEPTED):
        raise ValidationError(
            _("This report is “%(status)s”: only a submitted report can be accepted.")
            % {"status": R(report.status).label},
            code="report_status",
        )
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.staff_comment = (comment or "").strip()[:5000]
    GRANT_REPORT.move(
        report,
        R.ACCEPTED,
        actor=actor,
        note=report.staff_comment,
        fields=["reviewed_at", "reviewed_by", "staff_comment"],
        check_perm=False,  # checked above
    )
    released = [
        _release(tranche, actor)
        for tranche in Tranche.objects.select_for_update()
        .filter(grant=grant, after_report=report, status=T.PLANNED)
        .order_by("number")
    ]
    _email_grantee(
        grant,
        "grants/email/grant_report_accepted",
        report=report,
        report_label=report_label(report),
        released=released,
    )
    return report


@transaction.atomic
def grant_report_return(*, actor, report: GrantReport, comment: str) -> GrantReport:
    """KCSF returns a submitted report for changes, saying what to change."""
    require(actor, "grants.manage_grant", report.grant)
    comment = (comment or "").strip()
    grant = lock_grant(report.grant)
    _require_status(
        grant, (G.ACTIVE,), _("Reports are reviewed on active grants only; this grant is “%(status)s”.")
    )
    report = _lock_report(grant, report)
    if not GRANT_REPORT.allows(report.status, R.RETURNED):
        raise ValidationError(
            _("This report is “%(status)s”: only a submitted report can be returned.")
            % {"status": R(report.status).label},
            code="report_status",
        )
    if not comment:
        raise ValidationError({"comment": _("Say what the grantee should change.")})
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.staff_comment = comment[:5000]
    GRANT_REPORT.move(
        report,
        R.RETURNED,
        actor=actor,
        note=report.staff_comment,
        fields=["reviewed_at", "reviewed_by", "staff_comment"],
        check_perm=False,  # checked above
    )
    _email_grantee(
        grant, "grants/email/grant_report_returned", report=report, report_label=report_label(report)
    )
    return report


# --- closing --------------------------------------------------------------------------------


def open_items(grant: Grant) -> list[str]:
    """What still stops closing the grant (empty: it may be closed)."""
    items = []
    tranches = list(grant.tranches.all())
    reports = list(grant.reports.all())
    if not tranches:
        items.append(_("No disbursement plan has been set."))
    if not reports:
        items.append(_("No reporting duties have been set."))
    for tranche in tranches:
        if tranche.status != T.PAID:
            items.append(
                _("Tranche %(n)s (%(amount)s) is “%(status)s”, not paid.")
                % {
                    "n": tranche.number,
                    "amount": format_money(tranche.amount),
                    "status": T(tranche.status).label,
                }
            )
    for report in reports:
        if report.status != R.ACCEPTED:
            items.append(
                _("The report “%(report)s” is “%(status)s”, not accepted.")
                % {"report": report_label(report), "status": R(report.status).label}
            )
    return items


@transaction.atomic
def grant_close(*, actor, grant: Grant, note: str = "") -> Grant:
    """Close an active grant once every report is accepted and every tranche is paid;
    otherwise refuse, listing what is still open."""
    require(actor, "grants.manage_grant", grant)
    grant = lock_grant(grant)
    _require_status(grant, G.CLOSED, _("Only an active grant can be closed; this grant is “%(status)s”."))
    items = open_items(grant)
    if items:
        raise ValidationError([_("The grant cannot be closed yet:"), *items], code="open_items")
    grant.closed_at = timezone.now()
    grant.closing_note = (note or "").strip()[:5000]
    GRANT.move(
        grant,
        G.CLOSED,
        actor=actor,
        note=grant.closing_note,
        fields=["closed_at", "closing_note"],
        check_perm=False,
    )
    _email_grantee(grant, "grants/email/grant_closed")
    return grant


@transaction.atomic
def grant_terminate(*, actor, grant: Grant, reason: str) -> Grant:
    """End an awarded or active grant early, with the reason (told to the grantee). Tranches
    not yet released stay unpaid."""
    require(actor, "grants.manage_grant", grant)
    reason = (reason or "").strip()
    grant = lock_grant(grant)
    _require_status(
        grant,
        G.TERMINATED,
        _("Only an awarded or active grant can be terminated; this grant is “%(status)s”."),
    )
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the termination.")})
    grant.closed_at = timezone.now()
    grant.closing_note = reason[:5000]
    GRANT.move(
        grant,
        G.TERMINATED,
        actor=actor,
        note=grant.closing_note,
        fields=["closed_at", "closing_note"],
        check_perm=False,
    )
    _email_grantee(grant, "grants/email/grant_terminated", reason=grant.closing_note)
    return grant
