"""Every write that matters to transparency reports: start (pre-filled), autosave of a
section, board and documents, submit, return, publish and correct. Each runs in one
transaction, locks the report it changes, checks permission again (defence in depth),
moves the report through `transparency.workflow.REPORT` (one core.StatusChange per move)
and records who did it (history).
"""

import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Municipality
from core.money import format_money
from core.notifications import email_user_template, enqueue_on_commit
from core.permissions import require as _require
from core.validators import DOCUMENT_CONTENT_TYPES, DOCUMENT_TYPES, upload_name, validate_document_upload
from organizations.models import Membership, Organization
from transparency import prefill as prefill_module
from transparency.choices import OPEN_REPORT_STATUSES, DocumentKind, FormSize, ReportStatus
from transparency.forms.reports import SECTION_FORMS, section_fields
from transparency.models import (
    EXPENDITURE_FIELDS,
    INCOME_FIELDS,
    BoardMember,
    ReportDocument,
    TransparencyReport,
)
from transparency.workflow import EDITABLE_STATUSES, REPORT

logger = logging.getLogger(__name__)

S = ReportStatus


def _lock(report: TransparencyReport) -> TransparencyReport:
    return (
        TransparencyReport.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=report.pk)
    )


def _save(report: TransparencyReport, actor, fields: list[str]) -> None:
    report._history_user = actor  # simple_history: who made this change
    report.save(update_fields=[*fields, "updated_at"])


def _require_editable(report: TransparencyReport) -> None:
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This report is “%(status)s”: it can no longer be changed.")
            % {"status": report.get_status_display()},
            code="not_editable",
        )


def _threshold() -> Decimal:
    return Decimal(settings.TRANSPARENCY_SMALL_INCOME_THRESHOLD)


def _editors(organization):
    return [
        m.user
        for m in organization.memberships.filter(
            role__in=[Membership.Role.OWNER, Membership.Role.EDITOR], user__is_active=True
        ).select_related("user")
    ]


# --- start ---------------------------------------------------------------------------------


def reportable_years(today=None) -> list[int]:
    """Years a report can be started for: the last ten, the current one included."""
    year = (today or timezone.localdate()).year
    return list(range(year, max(2000, year - 10) - 1, -1))


def decide_form_size(income: Decimal | None) -> str:
    """Short form when the last known yearly income is below the threshold (or unknown:
    the form grows to the full one as soon as the income typed in reaches it)."""
    if income is not None and income >= _threshold():
        return FormSize.FULL
    return FormSize.SHORT


def _apply_prefill(report: TransparencyReport, found: dict) -> tuple[list, list]:
    """Set the pre-filled figures on the (unsaved) report; returns (board, municipalities)."""
    board, municipalities = [], []
    sources = {}
    for name, item in found.items():
        if name == "board":
            board = item.value
        elif name == "municipalities":
            municipalities = list(Municipality.objects.filter(slug__in=item.value))
            if not municipalities:
                continue
        else:
            setattr(report, name, item.value)
        sources[name] = prefill_module.source_entry(item)
    report.prefill_sources = sources
    return board, municipalities


@transaction.atomic
def report_start(*, actor, organization: Organization, year: int) -> TransparencyReport:
    """Start the report of `year`, pre-filled from last year's report and from the other
    apps (see `transparency.prefill`). Refuses a second open or published report."""
    _require(actor, "transparency.start_report", organization)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Choose a year.")}) from None
    if year not in reportable_years():
        raise ValidationError(
            {
                "year": _("Reports can be filed for the years %(first)s to %(last)s.")
                % {"first": reportable_years()[-1], "last": reportable_years()[0]}
            },
            code="year_out_of_range",
        )
    organization = Organization.objects.select_for_update().get(pk=organization.pk)  # one start at a time
    existing = TransparencyReport.objects.filter(organization=organization, year=year)
    if existing.filter(status__in=OPEN_REPORT_STATUSES).exists():
        raise ValidationError(
            _("There is already a report for %(year)s in progress. Continue that one.") % {"year": year},
            code="duplicate_open",
        )
    if existing.filter(status=S.PUBLISHED).exists():
        raise ValidationError(
            _("The report for %(year)s is already published. To change it, start a correction.")
            % {"year": year},
            code="duplicate_published",
        )
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    report = TransparencyReport(organization=organization, year=year, version=version, status=S.DRAFT)
    found = prefill_module.collect(organization, year)
    board, municipalities = _apply_prefill(report, found)
    known = prefill_module.last_known_income(organization, year)
    if known is None and any(name in INCOME_FIELDS for name in found):
        known = report.total_income
    report.form_size = decide_form_size(known)
    report._history_user = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a race with another start of the same year
        raise ValidationError(
            _("There is already a report for %(year)s in progress. Continue that one.") % {"year": year},
            code="duplicate_open",
        ) from exc
    BoardMember.objects.bulk_create(
        BoardMember(report=report, name=m["name"], role=m["role"], ordering=n) for n, m in enumerate(board)
    )
    if municipalities:
        report.municipalities.set(municipalities)
    return report


@transaction.atomic
def report_set_form_size(*, actor, report: TransparencyReport, form_size: str) -> TransparencyReport:
    """The editor may always switch to the full form; back to the short one only while the
    income typed in is below the threshold."""
    _require(actor, "transparency.edit_report", report)
    report = _lock(report)
    _require_editable(report)
    if form_size not in FormSize.values:
        raise ValidationError(_("Choose the short or the full form."))
    if form_size == FormSize.SHORT and report.total_income >= _threshold():
        raise ValidationError(
            _("With a yearly income of %(limit)s or more, the full form applies.")
            % {"limit": format_money(_threshold())},
            code="too_large_for_short",
        )
    if report.form_size != form_size:
        report.form_size = form_size
        _save(report, actor, ["form_size"])
    return report


# --- autosave of a section -----------------------------------------------------------------


@dataclass
class SectionSaved:
    report: TransparencyReport
    notices: list[str] = field(default_factory=list)


@transaction.atomic
def report_save_section(*, actor, report: TransparencyReport, section: str, data) -> SectionSaved:
    """Save one section (autosave). Invalid data raises ValidationError with the field
    errors and saves nothing of the section; the other sections are never touched."""
    _require(actor, "transparency.edit_report", report)
    if section not in SECTION_FORMS:
        raise ValidationError(_("Unknown section."), code="unknown_section")
    report = _lock(report)
    _require_editable(report)
    form = SECTION_FORMS[section](data, instance=report, form_size=report.form_size)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    # form.is_valid() has set the section's values on the locked instance.
    fields = [name for name in section_fields(section, report.form_size) if name != "municipalities"]
    notices = []
    if section == "income" and report.form_size == FormSize.SHORT and report.total_income >= _threshold():
        report.form_size = FormSize.FULL
        fields.append("form_size")
        notices.append(
            _("Your yearly income is %(limit)s or more, so your organisation fills the full form.")
            % {"limit": format_money(_threshold())}
        )
    if fields:
        _save(report, actor, fields)
    if "municipalities" in form.fields:
        report.municipalities.set(form.cleaned_data["municipalities"])
    if section == "people" and form.cleaned_data.get("board") is not None:
        _replace_board(report, form.cleaned_data["board"])
    return SectionSaved(report=report, notices=notices)


def _replace_board(report: TransparencyReport, board: list[dict]) -> None:
    report.board_members.all().delete()
    BoardMember.objects.bulk_create(
        BoardMember(report=report, name=m["name"], role=m["role"], ordering=n) for n, m in enumerate(board)
    )


@transaction.atomic
def report_set_board(*, actor, report: TransparencyReport, members: list[dict]) -> TransparencyReport:
    """Replace the board with `members` ({"name", "role"} each)."""
    result = report_save_section(actor=actor, report=report, section="people", data={"board": members})
    return result.report


# --- documents -----------------------------------------------------------------------------

# The real type of an upload, from its content (shared with grants).
CONTENT_TYPES = DOCUMENT_CONTENT_TYPES


def validate_document(upload) -> str:
    """Size and real type of a report document; returns its type (extension)."""
    return validate_document_upload(
        upload,
        allowed=DOCUMENT_TYPES,
        message=_("Upload a PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG or PNG file."),
        max_bytes=settings.TRANSPARENCY_DOCUMENT_MAX_BYTES,
    )


@transaction.atomic
def report_add_document(*, actor, report: TransparencyReport, kind: str, upload) -> ReportDocument:
    _require(actor, "transparency.edit_report", report)
    report = _lock(report)
    _require_editable(report)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    extension = validate_document(upload)
    original = upload_name(upload, default="document")
    upload.name = f"{uuid.uuid4().hex}.{extension}"  # never the uploaded name on disk
    document = ReportDocument(
        report=report, kind=kind, file=upload, original_name=original, size=upload.size, uploaded_by=actor
    )
    document.save()
    _save(report, actor, [])  # a history row: the report changed
    return document


@transaction.atomic
def report_remove_document(*, actor, document: ReportDocument) -> None:
    report = document.report
    _require(actor, "transparency.edit_report", report)
    report = _lock(report)
    _require_editable(report)
    document = ReportDocument.objects.select_for_update().get(pk=document.pk, report=report)
    name = document.file.name
    storage = document.file.storage
    document.delete()
    _save(report, actor, [])
    # A correction shares the files of the version it corrects: delete only unused files.
    if name and not ReportDocument.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name), robust=True)


# --- completeness and submission -----------------------------------------------------------


def section_problems(
    report: TransparencyReport, *, board_count=None, municipality_count=None, documents=None
):
    """What is missing or wrong, per section: {section: {field: [messages]}}. Empty when
    the report may be submitted."""
    short = report.form_size == FormSize.SHORT
    if board_count is None:
        board_count = report.board_members.count()
    if municipality_count is None:
        municipality_count = report.municipalities.count()
    if documents is None:
        documents = set(report.documents.values_list("kind", flat=True))
    problems: dict[str, dict[str, list[str]]] = {}

    def add(section, name, message):
        problems.setdefault(section, {}).setdefault(name, []).append(str(message))

    for name in (*INCOME_FIELDS, *EXPENDITURE_FIELDS, "total_income_declared"):
        value = getattr(report, name)
        if value is not None and value < 0:
            add(
                "spending" if name in EXPENDITURE_FIELDS else "income", name, _("Figures cannot be negative.")
            )
    for name in (
        "staff_full_time",
        "staff_part_time",
        "volunteers",
        "volunteer_hours",
        "beneficiaries_reached",
    ):
        value = getattr(report, name)
        if value is not None and value < 0:
            add(
                "people" if name != "beneficiaries_reached" else "activities",
                name,
                _("Figures cannot be negative."),
            )
    total = report.total_income
    if total <= 0:
        add("income", "income", _("Give your income of the year by source."))
    if report.total_income_declared is not None and report.total_income_declared != total:
        add(
            "income",
            "total_income_declared",
            _("The sources add up to %(sum)s, not to the total of %(total)s you gave.")
            % {"sum": format_money(total), "total": format_money(report.total_income_declared)},
        )
    if report.total_expenditure <= 0:
        add("spending", "spending", _("Give your spending of the year."))
    if not report.main_activities.strip():
        add("activities", "main_activities", _("Describe your main activities and results."))
    if board_count < 1:
        add("people", "board", _("List the members of your board."))
    if not short:
        if report.beneficiaries_reached is None:
            add("activities", "beneficiaries_reached", _("Give the number of beneficiaries reached."))
        if municipality_count < 1:
            add("activities", "municipalities", _("Choose the municipalities where you worked."))
        if DocumentKind.STATUTE not in documents:
            add("documents", "documents", _("Upload your statute."))
    return problems


def _problems_error(problems: dict) -> ValidationError:
    flat: dict[str, list[str]] = {}
    for fields in problems.values():
        for name, messages in fields.items():
            flat.setdefault(name, []).extend(messages)
    return ValidationError(flat, code="incomplete")


@transaction.atomic
def report_submit(*, actor, report: TransparencyReport) -> TransparencyReport:
    """Submit for checking by KCSF staff; everything is validated first (the draft stays
    as it is when something is missing)."""
    _require(actor, "transparency.submit_report", report)
    report = _lock(report)
    REPORT.check(report.status, S.SUBMITTED)
    problems = section_problems(report)
    if problems:
        raise _problems_error(problems)
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    REPORT.move(report, S.SUBMITTED, actor=actor, fields=["submitted_by", "submitted_at"], check_perm=False)
    from accounts.models import User

    for staff in User.objects.filter(is_staff=True, is_active=True).exclude(email=""):
        email_user_template(
            user=staff,
            template="transparency/email/report_submitted",
            context={"report": report, "organization": report.organization, "actor": actor},
        )
    return report


# --- review by staff -----------------------------------------------------------------------


@transaction.atomic
def report_return(*, actor, report: TransparencyReport, comments: str) -> TransparencyReport:
    _require(actor, "transparency.review_report", report)
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Say what the organisation should change.")}, code="required")
    report = _lock(report)
    REPORT.check(report.status, S.RETURNED)
    report.review_comments = comments
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    REPORT.move(
        report,
        S.RETURNED,
        actor=actor,
        note=comments,
        fields=["review_comments", "reviewed_by", "reviewed_at"],
        check_perm=False,
    )
    for user in _editors(report.organization):
        email_user_template(
            user=user,
            template="transparency/email/report_returned",
            context={"report": report, "organization": report.organization, "comments": comments},
        )
    return report


def _recompute_badge(organization) -> None:
    """After commit: the badge follows the published reports (its Celery task, by name)."""
    enqueue_on_commit("transparency.tasks.recompute_badge", organization.pk)


@transaction.atomic
def report_publish(*, actor, report: TransparencyReport) -> TransparencyReport:
    """Accept and publish. A published version of the same year becomes superseded (it
    stays public, as history)."""
    _require(actor, "transparency.publish_report", report)
    report = _lock(report)
    REPORT.check(report.status, S.PUBLISHED)
    previous = list(
        TransparencyReport.objects.select_for_update()
        .filter(organization_id=report.organization_id, year=report.year, status=S.PUBLISHED)
        .exclude(pk=report.pk)
    )
    for old in previous:  # a consequence of this publication: the permission is the one above
        REPORT.move(old, S.SUPERSEDED, actor=actor, check_perm=False)
    now = timezone.now()
    report.reviewed_by = actor
    report.reviewed_at = now
    report.published_at = now
    REPORT.move(
        report,
        S.PUBLISHED,
        actor=actor,
        fields=["reviewed_by", "reviewed_at", "published_at"],
        check_perm=False,
    )
    for user in _editors(report.organization):
        email_user_template(
            user=user,
            template="transparency/email/report_published",
            context={"report": report, "organization": report.organization},
        )
    _recompute_badge(report.organization)
    return report


# --- correction after publication ----------------------------------------------------------

COPIED_FIELDS = (
    "form_size",
    *INCOME_FIELDS,
    "total_income_declared",
    *EXPENDITURE_FIELDS,
    "staff_full_time",
    "staff_part_time",
    "volunteers",
    "volunteer_hours",
    "main_activities",
    "beneficiaries_reached",
)


@transaction.atomic
def report_correct(*, actor, report: TransparencyReport) -> TransparencyReport:
    """Start a correction of a published report: a new draft version copied from it. The
    published one stays public until the correction is published."""
    _require(actor, "transparency.correct_report", report)
    old = _lock(report)
    if old.status != S.PUBLISHED:
        raise ValidationError(_("Only a published report can be corrected."), code="not_published")
    if TransparencyReport.objects.filter(
        organization_id=old.organization_id, year=old.year, status__in=OPEN_REPORT_STATUSES
    ).exists():
        raise ValidationError(
            _("A correction of this report is already in progress. Continue that one."),
            code="duplicate_open",
        )
    latest = TransparencyReport.objects.filter(organization_id=old.organization_id, year=old.year).aggregate(
        v=Max("version")
    )["v"]
    new = TransparencyReport(
        organization_id=old.organization_id,
        year=old.year,
        version=latest + 1,
        corrects=old,
        status=S.DRAFT,
        **{name: getattr(old, name) for name in COPIED_FIELDS},
    )
    new._history_user = actor
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("A correction of this report is already in progress. Continue that one."),
            code="duplicate_open",
        ) from exc
    new.municipalities.set(old.municipalities.all())
    BoardMember.objects.bulk_create(
        BoardMember(report=new, name=m.name, role=m.role, ordering=m.ordering)
        for m in old.board_members.all()
    )
    ReportDocument.objects.bulk_create(
        ReportDocument(
            report=new,
            kind=d.kind,
            file=d.file.name,
            original_name=d.original_name,
            size=d.size,
            uploaded_by=d.uploaded_by,
        )
        for d in old.documents.all()
    )
    return new
