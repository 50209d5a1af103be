"""Pages of the yearly transparency report: the public list and report pages, the
organisation's "my reports" page, the editor (one screen per section, autosaved with
htmx), preview and submit, and the staff review page. Views parse input, check
permission with `rules`, call a service or selector and render; services check again.

Refusals: a report the person may not see is a 404 (never revealing another
organisation's drafts); a move the report's status does not allow is a 400 with the
reason; a missing permission on a report they may see is a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.money import format_money
from core.page_cache import anonymous_cache
from core.permissions import error_text, permission, public, require, staff_page
from core.private_files import file_response
from organizations.models import Organization
from transparency import workflow
from transparency.choices import FormSize, ReportStatus
from transparency.forms.reports import (
    MAX_BOARD_ROWS,
    SECTION_FORMS,
    SECTION_HELP,
    SECTION_ORDER,
    SECTION_TITLES,
    DocumentForm,
    ReportFilterForm,
    ReturnForm,
    StartReportForm,
)
from transparency.models import EXPENDITURE_FIELDS, INCOME_FIELDS, ReportDocument, TransparencyReport
from transparency.selectors import reports as selectors
from transparency.services import reports as services
from transparency.signals import PAGE_TOPICS

PUBLIC_PAGE_SIZE = 20
MY_REPORTS_PAGE_SIZE = 20


def _private_report(request, pk) -> TransparencyReport:
    """A report of an organisation the person belongs to (or any, for staff); else 404."""
    report = get_object_or_404(
        TransparencyReport.objects.select_related("organization"), pk=pk, organization__is_active=True
    )
    if not request.user.has_perm("transparency.view_report_private", report):
        raise Http404
    return report


def load_private_report(request, pk, **kwargs) -> TransparencyReport:
    """`_private_report` for the permission declarations: others' reports are 404."""
    return _private_report(request, pk)


def load_organization(request, slug, **kwargs) -> Organization:
    return _organization(slug)


def load_visible_report(request, pk, **kwargs) -> TransparencyReport:
    """A report the person may see (published, or theirs, or any for staff); else 404."""
    report = get_object_or_404(
        TransparencyReport.objects.select_related("organization"), pk=pk, organization__is_active=True
    )
    if not request.user.has_perm("transparency.view_report", report):
        raise Http404
    return report


def private_report(perm: str, **options):
    """Declare `perm` on the report of the URL, which the person must be able to see (else 404)."""
    return permission(perm, load=load_private_report, pass_as="report", **options)


def _refused(request, report, error: ValidationError, *, back_url: str = ""):
    """A move the report's status does not allow (or a service's refusal): 400 with the reason."""
    return render(
        request,
        "transparency/report_refused.html",
        {"report": report, "reason": error_text(error), "back_url": back_url},
        status=400,
    )


def _money(value) -> str:
    return format_money(value)


# --- progress of the editor --------------------------------------------------------------


def _progress(report) -> dict:
    """Which sections are done (nothing missing), for the progress indicator."""
    board = len(report.board_members.all())
    municipalities = len(report.municipalities.all())
    kinds = {d.kind for d in report.documents.all()}
    problems = services.section_problems(
        report, board_count=board, municipality_count=municipalities, documents=kinds
    )
    steps = [
        {
            "key": key,
            "title": SECTION_TITLES[key],
            "done": key not in problems,
            "url": reverse("transparency:report_section", kwargs={"pk": report.pk, "section": key}),
        }
        for key in SECTION_ORDER
    ]
    done = sum(1 for s in steps if s["done"])
    return {
        "steps": steps,
        "done": done,
        "total": len(steps),
        "percent": round(100 * done / len(steps)),
        "problems": problems,
    }


def _prefill_notes(report) -> dict[str, str]:
    notes = {}
    for name, entry in (report.prefill_sources or {}).items():
        source = _(entry.get("source") or "")
        value = entry.get("value", "")
        if name in INCOME_FIELDS or name in EXPENDITURE_FIELDS:
            try:
                shown = _money(value) or value
            except (TypeError, ValueError):
                shown = value
            notes[name] = _("From %(source)s: %(value)s") % {"source": source, "value": shown}
        elif name == "board":
            notes[name] = _("From %(source)s: %(count)s board members") % {"source": source, "count": value}
        elif name == "municipalities":
            notes[name] = _("From %(source)s: %(count)s municipalities") % {"source": source, "count": value}
        elif name == "main_activities":
            notes[name] = _("From %(source)s.") % {"source": source}
        else:
            notes[name] = _("From %(source)s: %(value)s") % {"source": source, "value": value}
    return notes


def _totals(report) -> dict:
    income = report.total_income
    declared = report.total_income_declared
    expenditure = report.total_expenditure
    return {
        "income_rows": [(label, getattr(report, name)) for name, label in INCOME_FIELDS.items()],
        "expenditure_rows": [(label, getattr(report, name)) for name, label in EXPENDITURE_FIELDS.items()],
        "income": income,
        "declared": declared,
        "mismatch": declared is not None and declared != income,
        "difference": (declared - income) if declared is not None else None,
        "expenditure": expenditure,
        "balance": income - expenditure,
    }


# --- public pages ------------------------------------------------------------------------


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*ReportFilterForm.base_fields, "page"), search=("q",))
@require_http_methods(["GET", "HEAD"])
def report_list(request):
    """Published reports: search, filter by year and municipality, paginated."""
    form = ReportFilterForm(request.GET or None, years=selectors.published_years())
    valid = form.is_valid() if form.is_bound else True
    page_obj = None
    if valid:
        data = form.cleaned_data if form.is_bound else {}
        qs = selectors.public_report_list(
            query=(data.get("q") or "").strip(), year=data.get("year"), municipality=data.get("municipality")
        )
        page_obj = Paginator(qs, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/report_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "reports": page_obj.object_list if page_obj else [],
            "filtered": form.is_bound and any(request.GET.get(n) for n in ("q", "year", "municipality")),
        },
        status=200 if valid else 400,
    )


@public
@anonymous_cache(topics=PAGE_TOPICS)
@require_http_methods(["GET", "HEAD"])
def report_public(request, pk):
    """A published report (or an earlier, superseded version) with its history."""
    report = selectors.public_report_detail(pk)
    if report is None:
        raise Http404
    versions = list(selectors.report_versions(report))
    current = next((v for v in versions if v.status == ReportStatus.PUBLISHED), None)
    return render(
        request,
        "transparency/report_public.html",
        {
            "report": report,
            "versions": versions,
            "current": current,
            "totals": _totals(report),
            "can_correct": report.status == ReportStatus.PUBLISHED
            and request.user.has_perm("transparency.correct_report", report),
        },
    )


def load_document(request, pk, doc_pk, **kwargs) -> ReportDocument:
    return get_object_or_404(
        ReportDocument.objects.select_related("report__organization"),
        pk=doc_pk,
        report_id=pk,
        report__organization__is_active=True,
    )


def _report_of(document: ReportDocument) -> TransparencyReport:
    return document.report


@permission(
    "transparency.view_report_document",
    load=load_document,
    on=_report_of,
    pass_as="document",
    login=False,
    refuse=404,
)
@require_GET
@never_cache
def report_document(request, pk, doc_pk, document):
    """Stream a private document: to anyone once the report is public, before that only
    to the organisation's members and staff (others: 404)."""
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    return file_response(
        document.file, filename=document.original_name or f"document.{extension}", file_type=extension
    )


# --- the organisation's reports ----------------------------------------------------------


def _start_years(organization) -> list[int]:
    taken = set(
        TransparencyReport.objects.filter(
            organization=organization,
            status__in=[
                ReportStatus.DRAFT,
                ReportStatus.SUBMITTED,
                ReportStatus.RETURNED,
                ReportStatus.PUBLISHED,
            ],
        ).values_list("year", flat=True)
    )
    return [y for y in services.reportable_years() if y not in taken]


def _my_reports(request, organization, *, start_form=None, status=200):
    page_obj = Paginator(selectors.reports_of_organization(organization), MY_REPORTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_start = request.user.has_perm("transparency.start_report", organization)
    years = _start_years(organization) if can_start else []
    if can_start and start_form is None:
        start_form = StartReportForm(years=years, initial={"year": years[1] if len(years) > 1 else None})
    return render(
        request,
        "transparency/report_mine.html",
        {
            "organization": organization,
            "page_obj": page_obj,
            "reports": page_obj.object_list,
            "can_start": can_start and bool(years),
            "can_edit": can_start,
            "start_form": start_form,
        },
        status=status,
    )


def _organization(slug) -> Organization:
    return get_object_or_404(Organization.objects.filter(is_active=True), slug=slug)


@permission("transparency.view_organization_reports", load=load_organization, pass_as="organization")
@require_GET
def report_mine(request, slug, organization):
    """The organisation's reports, year by year, and "start the report of a year"."""
    return _my_reports(request, organization)


@permission("transparency.start_report", load=load_organization, pass_as="organization")
@require_POST
def report_start(request, slug, organization):
    form = StartReportForm(request.POST, years=services.reportable_years())
    if form.is_valid():
        try:
            report = services.report_start(
                actor=request.user, organization=organization, year=form.cleaned_data["year"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if report.prefill_sources:
                messages.info(request, _("We filled in what the portal already knew. Check every figure."))
            return redirect("transparency:report_edit", pk=report.pk)
    messages.error(
        request,
        _("The report was not started.")
        + " "
        + " ".join(str(e) for errors in form.errors.values() for e in errors),
    )
    return _my_reports(request, organization, start_form=form, status=400)


# --- the editor --------------------------------------------------------------------------


@private_report("transparency.view_report_private")
@require_GET
def report_edit(request, pk, report):
    """Open the editor at the first section that still needs something."""
    if report.status not in workflow.EDITABLE_STATUSES or not request.user.has_perm(
        "transparency.edit_report", report
    ):
        return redirect("transparency:report_preview", pk=report.pk)
    report = selectors.report_for_editing(report.pk)
    progress = _progress(report)
    first = next((s["key"] for s in progress["steps"] if not s["done"]), SECTION_ORDER[0])
    return redirect("transparency:report_section", pk=report.pk, section=first)


def _board_rows(report, data=None) -> list[dict]:
    if data is not None and any(k.startswith("board_name_") for k in data):
        rows = [
            {"name": data.get(f"board_name_{n}", ""), "role": data.get(f"board_role_{n}", "")}
            for n in range(MAX_BOARD_ROWS)
            if f"board_name_{n}" in data
        ]
    else:
        rows = [{"name": m.name, "role": m.role} for m in report.board_members.all()]
    filled = sum(1 for r in rows if r["name"] or r["role"])
    rows = rows[: max(filled, len(rows))]
    while len(rows) < min(MAX_BOARD_ROWS, max(3, filled + 2)):
        rows.append({"name": "", "role": ""})
    return [{**row, "n": n} for n, row in enumerate(rows)]


def _section_context(request, report, section, *, form=None, doc_form=None, board_data=None) -> dict:
    editable = report.status in workflow.EDITABLE_STATUSES and request.user.has_perm(
        "transparency.edit_report", report
    )
    if section in SECTION_FORMS and form is None:
        form = SECTION_FORMS[section](instance=report, form_size=report.form_size)
    notes = _prefill_notes(report)
    index = SECTION_ORDER.index(section)
    progress = _progress(report)
    return {
        "report": report,
        "organization": report.organization,
        "section": section,
        "section_title": SECTION_TITLES[section],
        "section_help": SECTION_HELP[section],
        "form": form,
        "fields": [(form[name], notes.get(name)) for name in form.fields] if form is not None else [],
        "board_rows": _board_rows(report, board_data) if section == "people" else [],
        "board_note": notes.get("board"),
        "board_errors": getattr(form, "board_errors", {}) if form is not None else {},
        "doc_form": doc_form or (DocumentForm() if section == "documents" else None),
        "documents": list(report.documents.all()) if section == "documents" else [],
        "statute_required": report.form_size == FormSize.FULL,
        "progress": progress,
        "section_problems": progress["problems"].get(section, {}),
        "totals": _totals(report),
        "editable": editable,
        "is_short": report.form_size == FormSize.SHORT,
        "previous_url": progress["steps"][index - 1]["url"] if index > 0 else None,
        "next_url": progress["steps"][index + 1]["url"] if index + 1 < len(SECTION_ORDER) else None,
        "preview_url": reverse("transparency:report_preview", kwargs={"pk": report.pk}),
        "section_url": reverse("transparency:report_section", kwargs={"pk": report.pk, "section": section}),
    }


@private_report("transparency.view_report_private")
@require_http_methods(["GET", "POST"])
def report_section(request, pk, section, report):
    """One section of the editor. POST saves it: by htmx (autosave) the answer is the
    "saved" / errors fragment with the totals and progress swapped out of band; without
    JavaScript the Save button posts the form and comes back here."""
    if section not in SECTION_ORDER:
        raise Http404
    if request.method == "GET":
        report = selectors.report_for_editing(report.pk)
        if request.user.has_perm("transparency.edit_report", report) and (
            report.status in workflow.EDITABLE_STATUSES
        ):
            return render(
                request, "transparency/report_section.html", _section_context(request, report, section)
            )
        return redirect("transparency:report_preview", pk=report.pk)

    require(request.user, "transparency.edit_report", report)
    if section not in SECTION_FORMS:
        raise Http404  # documents are posted to their own URLs
    htmx = bool(getattr(request, "htmx", False))
    form_cls = SECTION_FORMS[section]
    try:
        result = services.report_save_section(
            actor=request.user, report=report, section=section, data=request.POST
        )
    except ValidationError as exc:
        report = selectors.report_for_editing(report.pk)
        if getattr(exc, "code", None) in ("not_editable", "unknown_section"):
            if htmx:
                return render(
                    request,
                    "transparency/includes/_report_autosave.html",
                    {"error": error_text(exc), "report": report, "progress": _progress(report)},
                    status=400,
                )
            return _refused(
                request, report, exc, back_url=reverse("transparency:report_preview", args=[report.pk])
            )
        form = form_cls(request.POST, instance=report, form_size=report.form_size)
        form.is_valid()  # the errors to show, on a throw-away instance
        report = selectors.report_for_editing(report.pk)  # the saved values, untouched
        context = _section_context(request, report, section, form=form, board_data=request.POST)
        if htmx:
            context["failed"] = True
            return render(request, "transparency/includes/_report_autosave.html", context, status=400)
        messages.error(request, _("This section was not saved. Please correct the errors below."))
        return render(request, "transparency/report_section.html", context, status=400)
    report = selectors.report_for_editing(result.report.pk)
    if htmx:
        context = _section_context(request, report, section)
        context.update({"saved": True, "notices": result.notices})
        return render(request, "transparency/includes/_report_autosave.html", context)
    for notice in result.notices:
        messages.info(request, notice)
    messages.success(request, _("Saved."))
    if "next" in request.POST:
        index = SECTION_ORDER.index(section)
        if index + 1 < len(SECTION_ORDER):
            return redirect("transparency:report_section", pk=report.pk, section=SECTION_ORDER[index + 1])
        return redirect("transparency:report_preview", pk=report.pk)
    return redirect("transparency:report_section", pk=report.pk, section=section)


@private_report("transparency.edit_report")
@require_POST
def report_form_size(request, pk, report):
    try:
        services.report_set_form_size(
            actor=request.user, report=report, form_size=request.POST.get("form_size", "")
        )
    except ValidationError as exc:
        return _refused(request, report, exc, back_url=reverse("transparency:report_edit", args=[report.pk]))
    messages.success(request, _("The form was changed."))
    return redirect("transparency:report_edit", pk=report.pk)


@private_report("transparency.edit_report")
@require_POST
def report_document_add(request, pk, report):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_add_document(
                actor=request.user,
                report=report,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "not_editable":
                return _refused(
                    request, report, exc, back_url=reverse("transparency:report_preview", args=[pk])
                )
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect("transparency:report_section", pk=report.pk, section="documents")
    report = selectors.report_for_editing(report.pk)
    messages.error(request, _("The document was not added. Please correct the errors below."))
    return render(
        request,
        "transparency/report_section.html",
        _section_context(request, report, "documents", doc_form=form),
        status=400,
    )


@private_report("transparency.edit_report")
@require_POST
def report_document_delete(request, pk, doc_pk, report):
    document = get_object_or_404(ReportDocument, pk=doc_pk, report=report)
    try:
        services.report_remove_document(actor=request.user, document=document)
    except ValidationError as exc:
        return _refused(request, report, exc, back_url=reverse("transparency:report_preview", args=[pk]))
    messages.success(request, _("The document was removed."))
    return redirect("transparency:report_section", pk=report.pk, section="documents")


@private_report("transparency.view_report_private")
@require_GET
def report_preview(request, pk, report):
    """The whole report as it will be published, what is still missing, and Submit."""
    report = selectors.report_for_editing(report.pk)
    progress = _progress(report)
    moves = dict(workflow.REPORT.available_moves(request.user, report))  # the buttons of this page
    return render(
        request,
        "transparency/report_preview.html",
        {
            "report": report,
            "organization": report.organization,
            "progress": progress,
            "totals": _totals(report),
            "editable": report.status in workflow.EDITABLE_STATUSES
            and request.user.has_perm("transparency.edit_report", report),
            "can_submit": ReportStatus.SUBMITTED in moves,
            "can_review": ReportStatus.RETURNED in moves,
            "can_correct": report.status == ReportStatus.PUBLISHED
            and request.user.has_perm("transparency.correct_report", report),
            "section_titles": SECTION_TITLES,
        },
    )


@private_report("transparency.submit_report")
@require_POST
def report_submit(request, pk, report):
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as exc:
        if isinstance(exc, workflow.TransitionNotAllowed):
            return _refused(request, report, exc, back_url=reverse("transparency:report_preview", args=[pk]))
        report = selectors.report_for_editing(report.pk)
        progress = _progress(report)
        messages.error(request, _("The report was not submitted: something is still missing (see below)."))
        return render(
            request,
            "transparency/report_preview.html",
            {
                "report": report,
                "organization": report.organization,
                "progress": progress,
                "totals": _totals(report),
                "editable": True,
                "can_submit": True,
                "section_titles": SECTION_TITLES,
            },
            status=400,
        )
    messages.success(request, _("Thank you! KCSF staff will check your report and publish it."))
    return redirect("transparency:report_mine", slug=report.organization.slug)


@permission("transparency.correct_report", load=load_visible_report, pass_as="report")
@require_POST
def report_correct(request, pk, report):
    try:
        new = services.report_correct(actor=request.user, report=report)
    except ValidationError as exc:
        return _refused(
            request,
            report,
            exc,
            back_url=reverse("transparency:report_mine", args=[report.organization.slug]),
        )
    messages.info(
        request,
        _(
            "You are correcting the report of %(year)s. The published version stays public until KCSF publishes the correction."
        )
        % {"year": new.year},
    )
    return redirect("transparency:report_edit", pk=new.pk)


# --- staff review ------------------------------------------------------------------------


@staff_page("transparency.review_report")
@require_GET
def report_review_queue(request):
    page_obj = Paginator(selectors.review_queue(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/report_review_queue.html",
        {"page_obj": page_obj, "reports": page_obj.object_list},
    )


def _review_page(request, report, *, return_form=None, status=200):
    report = selectors.report_for_editing(report.pk)
    moves = dict(workflow.REPORT.available_moves(request.user, report))  # the buttons of this page
    return render(
        request,
        "transparency/report_review.html",
        {
            "report": report,
            "organization": report.organization,
            "progress": _progress(report),
            "totals": _totals(report),
            "return_form": return_form or ReturnForm(),
            "can_publish": ReportStatus.PUBLISHED in moves,
            "can_return": ReportStatus.RETURNED in moves,
            "versions": list(selectors.report_versions(report)) if report.corrects_id else [],
            "section_titles": SECTION_TITLES,
        },
        status=status,
    )


@private_report("transparency.review_report", staff=True, refuse_in_view=True)
@require_GET
def report_review(request, pk, report):
    return _review_page(request, report)


@private_report("transparency.publish_report", staff=True, refuse_in_view=True)
@require_POST
def report_publish(request, pk, report):
    try:
        services.report_publish(actor=request.user, report=report)
    except ValidationError as exc:
        return _refused(request, report, exc, back_url=reverse("transparency:report_review", args=[pk]))
    messages.success(request, _("The report is published."))
    return redirect("transparency:report_public", pk=report.pk)


@private_report("transparency.review_report", staff=True, refuse_in_view=True)
@require_POST
def report_return(request, pk, report):
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(actor=request.user, report=report, comments=form.cleaned_data["comments"])
        except ValidationError as exc:
            if isinstance(exc, workflow.TransitionNotAllowed):
                return _refused(
                    request, report, exc, back_url=reverse("transparency:report_review", args=[pk])
                )
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report was returned to the organisation with your comments."))
            return redirect("transparency:report_review_queue")
    return _review_page(request, report, return_form=form, status=400)
