"""After the award: the grant page of the grantee side (and staff), the report pages, the
private downloads (agreement, report files), and KCSF's management pages (list of grants,
agreement, tranche plan, reporting duties, releases and payments, closing, termination).

Views parse input, check permission with `rules`, call `grants.services.awards` and render.
Refusals: a grant the person may not see is a 404; a missing permission on a grant they may
see is a 403; a move the grant's (or the report's, or the tranche's) status forbids, or any
other service refusal, is a 400 page with the translated reason.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.permissions import permission, require, staff_page
from grants.choices import GrantReportStatus, GrantStatus, TrancheStatus
from grants.forms import awards as forms
from grants.models import Grant, GrantReport, Tranche
from grants.services import awards
from grants.workflow import GRANT, GRANT_REPORT, TRANCHE

STAFF_PAGE_SIZE = 25
OPEN_REPORT_STATUSES = (GrantReportStatus.DUE, GrantReportStatus.RETURNED)
# Errors of these codes mean "not now" (the status forbids it): a 400 page with the reason.
STATUS_CODES = {
    "grant_status_not_allowed",
    "report_status",
    "tranche_status",
    "plan_locked",
    "waits_for_report",
    "open_items",
    "not_found",
    "transition_not_allowed",
}

# --- helpers --------------------------------------------------------------------------------


def _codes(error: ValidationError) -> set:
    return {getattr(e, "code", None) for e in error.error_list} if hasattr(error, "error_list") else set()


def _is_status_refusal(error: ValidationError) -> bool:
    return bool(_codes(error) & STATUS_CODES)


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _grant(request, pk) -> Grant:
    """A grant the person may see (the grantee side, staff); else 404."""
    grant = get_object_or_404(
        Grant.objects.select_related(
            "call", "application__call", "application__organization", "application__applicant"
        ),
        pk=pk,
    )
    if not request.user.has_perm("grants.view_grant", grant):
        raise Http404
    return grant


def load_grant(request, pk, **kwargs) -> Grant:
    """A grant the person may see (the grantee side, staff); else 404."""
    return _grant(request, pk)


def load_report(request, pk, report_pk, **kwargs) -> GrantReport:
    return _report(request, pk, report_pk)


def _grant_of(report: GrantReport) -> Grant:
    return report.grant


grant_page = permission("grants.view_grant", load=load_grant, pass_as="grant")
report_page = permission("grants.view_grant", load=load_report, on=_grant_of, pass_as="report")
# KCSF's pages of one grant: a grant the person cannot see is a 404 (also to non-staff),
# one they see but may not manage a 403.
managed_grant = permission(
    "grants.manage_grant", load=load_grant, pass_as="grant", staff=True, refuse_in_view=True
)


def _refused(request, grant, error: ValidationError, *, back_url: str = ""):
    return render(
        request,
        "grants/grant_refused.html",
        {"grant": grant, "reasons": _messages(error), "back_url": back_url},
        status=400,
    )


def _tranches(grant) -> list[Tranche]:
    tranches = list(grant.tranches.select_related("after_report").order_by("number"))
    for tranche in tranches:
        tranche.waiting = False
        if tranche.after_report_id:
            tranche.after_label = awards.report_label(tranche.after_report)
            tranche.waiting = tranche.after_report.status != GrantReportStatus.ACCEPTED
    return tranches


def _reports(grant) -> list[GrantReport]:
    today = awards.portal_date()
    reports = list(grant.reports.order_by("due_on", "pk"))
    for report in reports:
        report.label = awards.report_label(report)
        report.overdue = report.status in OPEN_REPORT_STATUSES and report.due_on < today
    return reports


def _file_response(field_file, filename: str):
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=awards.CONTENT_TYPES.get(extension, "application/octet-stream"),
    )


def _grant_context(request, grant) -> dict:
    tranches = _tranches(grant)
    return {
        "grant": grant,
        "application": grant.application,
        "call": grant.call,
        "tranches": tranches,
        "reports": _reports(grant),
        "paid_total": sum((t.amount for t in tranches if t.status == TrancheStatus.PAID), 0),
        "can_manage": request.user.has_perm("grants.manage_grant", grant),
        "can_report": request.user.has_perm("grants.submit_grant_report", grant),
        "today": awards.portal_date(),
    }


# --- the grantee side -----------------------------------------------------------------------


@grant_page
@require_GET
def grant_detail(request, pk, grant):
    """The grant: amount, conditions, status, agreement, payments and reporting duties."""
    return render(request, "grants/grant_detail.html", _grant_context(request, grant))


@grant_page
@require_GET
@never_cache
def grant_agreement(request, pk, grant):
    """The signed agreement, to the grantee side and staff only."""
    if not grant.agreement_file:
        raise Http404
    return _file_response(grant.agreement_file, f"agreement-{grant.application.reference}.pdf")


def _report(request, pk, report_pk) -> GrantReport:
    grant = _grant(request, pk)
    report = get_object_or_404(GrantReport, pk=report_pk, grant=grant)
    report.grant = grant
    report.label = awards.report_label(report)
    report.overdue = report.status in OPEN_REPORT_STATUSES and report.due_on < awards.portal_date()
    return report


def _report_page(request, report, *, form=None, review_form=None, status=200):
    grant = report.grant
    # The moves the user may make on the report now (grants.workflow), on an active grant.
    moves = (
        dict(GRANT_REPORT.available_moves(request.user, report)) if grant.status == GrantStatus.ACTIVE else {}
    )
    can_submit = GrantReportStatus.SUBMITTED in moves
    can_review = GrantReportStatus.ACCEPTED in moves
    if can_submit and form is None:
        form = forms.ReportSubmitForm(initial={"text": report.text})
    if can_review and review_form is None:
        review_form = forms.ReportReviewForm()
    return render(
        request,
        "grants/grant_report.html",
        {
            "grant": grant,
            "application": grant.application,
            "report": report,
            "form": form if can_submit else None,
            "review_form": review_form if can_review else None,
            "releases": list(report.releases.order_by("number")),
        },
        status=status,
    )


@report_page
@require_http_methods(["GET", "POST"])
def grant_report(request, pk, report_pk, report):
    """One report: what was sent and its status; the grantee sends it here (POST), staff
    accept or return it (posted to `staff_report_review`)."""
    if request.method == "GET":
        return _report_page(request, report)
    grant = report.grant
    require(request.user, "grants.submit_grant_report", grant)
    form = forms.ReportSubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            awards.grant_report_submit(
                actor=request.user,
                report=report,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            if _is_status_refusal(exc):
                return _refused(
                    request, grant, exc, back_url=reverse("grants:grant_detail", kwargs={"pk": grant.pk})
                )
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you! Your report was sent to KCSF."))
            return redirect("grants:grant_detail", pk=grant.pk)
    messages.error(request, _("The report was not sent. Please correct the errors below."))
    return _report_page(request, report, form=form, status=400)


@report_page
@require_GET
@never_cache
def grant_report_file(request, pk, report_pk, report):
    if not report.file:
        raise Http404
    extension = report.file.name.rsplit(".", 1)[-1].lower()
    return _file_response(report.file, report.original_name or f"report.{extension}")


# --- KCSF -----------------------------------------------------------------------------------


def staff_grant_queryset(*, call=None, status="", overdue=False, query=""):
    """Grants for the staff list with what the table shows, in a fixed number of queries."""
    today = awards.portal_date()
    open_overdue = GrantReport.objects.filter(
        grant=OuterRef("pk"), status__in=OPEN_REPORT_STATUSES, due_on__lt=today
    )
    overdue_count = open_overdue.order_by().values("grant").annotate(n=Count("pk")).values("n")[:1]
    reports_open = (
        GrantReport.objects.filter(grant=OuterRef("pk"))
        .exclude(status=GrantReportStatus.ACCEPTED)
        .order_by()
        .values("grant")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    paid = (
        Tranche.objects.filter(grant=OuterRef("pk"), status=TrancheStatus.PAID)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    qs = (
        Grant.objects.select_related("call", "application__organization", "application__applicant")
        .annotate(
            overdue_reports=Coalesce(Subquery(overdue_count, output_field=IntegerField()), Value(0)),
            open_reports=Coalesce(Subquery(reports_open, output_field=IntegerField()), Value(0)),
            paid_total=Coalesce(
                Subquery(paid, output_field=DecimalField(max_digits=14, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=14, decimal_places=2)),
            ),
        )
        .order_by("-awarded_at", "-pk")
    )
    if call is not None:
        qs = qs.filter(call=call)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(Exists(open_overdue))
    if query:
        qs = qs.filter(
            Q(application__reference__icontains=query)
            | Q(application__title__icontains=query)
            | Q(application__organization__name__icontains=query)
            | Q(application__group_name__icontains=query)
            | Q(application__applicant__full_name__icontains=query)
            | Q(application__applicant__email__icontains=query)
        )
    return qs


@staff_page("grants.manage_grant")
@require_GET
def staff_grants(request):
    """Every grant, filtered by call, status and overdue reports; paginated."""
    form = forms.GrantFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    page_obj = Paginator(
        staff_grant_queryset(
            call=data.get("call"),
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            query=(data.get("q") or "").strip(),
        )
        if valid
        else Grant.objects.none(),
        STAFF_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    grants = list(page_obj.object_list)
    return render(
        request,
        "grants/grant_manage_list.html",
        {"form": form, "page_obj": page_obj, "grants": grants},
        status=200 if valid else 400,
    )


def _staff_page(request, grant, *, status=200, section="", errors=None, **forms_given):
    """The management page of one grant, with the bound form (and errors) of the section
    that failed."""
    context = _grant_context(request, grant)
    tranches, reports = context["tranches"], context["reports"]
    plan_locked = any(t.status != TrancheStatus.PLANNED for t in tranches)
    editable = grant.status in (GrantStatus.AWARDED, GrantStatus.ACTIVE)
    # The buttons of the page: the moves the user may make now (grants.workflow).
    moves = dict(GRANT.available_moves(request.user, grant))
    for tranche in tranches:
        tranche.moves = dict(TRANCHE.available_moves(request.user, tranche))
    context.update(
        {
            "section": section,
            "errors": errors or [],
            "agreement_form": forms_given.get("agreement_form") or forms.AgreementForm(),
            "tranche_rows": forms.tranche_rows_for_table(tranches, forms_given.get("tranche_rows")),
            "report_rows": forms.report_rows_for_table(reports, forms_given.get("report_rows")),
            "period_choices": forms.PERIOD_CHOICES,
            "kind_choices": forms.KIND_CHOICES,
            "paid_form": forms_given.get("paid_form") or forms.TranchePaidForm(),
            "close_form": forms_given.get("close_form") or forms.CloseForm(),
            "terminate_form": forms_given.get("terminate_form") or forms.TerminateForm(),
            "can_edit_agreement": editable,
            "can_edit_plan": editable and not plan_locked,
            "can_edit_duties": editable,
            "can_pay": grant.status == GrantStatus.ACTIVE,
            "can_close": GrantStatus.CLOSED in moves,
            "can_terminate": GrantStatus.TERMINATED in moves,
            "open_items": awards.open_items(grant) if grant.status == GrantStatus.ACTIVE else [],
            "activation_lead": awards.ACTIVATION_LEAD,
            "portal_dates_help": forms.PORTAL_DATES_HELP,
            "activation_missing": (
                awards.activation_missing(grant) if grant.status == GrantStatus.AWARDED else []
            ),
        }
    )
    return render(request, "grants/grant_manage.html", context, status=status)


@managed_grant
@require_GET
def staff_grant(request, pk, grant):
    """KCSF's page of one grant: agreement, tranche plan, reporting duties, payments, closing."""
    return _staff_page(request, grant)


def _failed(request, grant, exc: ValidationError, section: str, **forms_given):
    messages.error(request, _("Nothing was changed. Please correct the errors below."))
    return _staff_page(request, grant, status=400, section=section, errors=_messages(exc), **forms_given)


def _back(grant):
    return redirect("grants:staff_grant", pk=grant.pk)


@managed_grant
@require_POST
def staff_grant_agreement(request, pk, grant):
    form = forms.AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        activating = grant.status == GrantStatus.AWARDED
        try:
            awards.grant_upload_agreement(
                actor=request.user,
                grant=grant,
                upload=form.cleaned_data["file"],
                signed_on=form.cleaned_data["signed_on"],
                release_first=form.cleaned_data["release_first"],
            )
        except ValidationError as exc:
            if _is_status_refusal(exc):
                return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The signed agreement was saved."))
            if activating and form.cleaned_data["release_first"]:
                _say_what_became_of_the_first_tranche(request, grant)
            return _back(grant)
    messages.error(request, _("The agreement was not saved. Please correct the errors below."))
    return _staff_page(request, grant, status=400, section="agreement", agreement_form=form)


def _say_what_became_of_the_first_tranche(request, grant) -> None:
    """ "Release the first tranche" was asked for: say whether it was, or why not."""
    first = grant.tranches.select_related("after_report").order_by("number").first()
    if first is None:
        return
    if first.status == TrancheStatus.RELEASED:
        messages.success(request, _("Tranche %(n)s is released for payment.") % {"n": first.number})
    elif first.after_report_id:
        messages.warning(
            request,
            _("Tranche %(n)s waits for the report “%(report)s”: it is released when that report is accepted.")
            % {"n": first.number, "report": awards.report_label(first.after_report)},
        )


@managed_grant
@require_POST
def staff_grant_tranches(request, pk, grant):
    rows = forms.tranche_rows_from_post(request.POST)
    try:
        awards.tranches_set_plan(actor=request.user, grant=grant, rows=rows)
    except ValidationError as exc:
        if _is_status_refusal(exc):
            return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
        return _failed(request, grant, exc, "tranches", tranche_rows=rows)
    messages.success(request, _("The disbursement plan was saved."))
    return _back(grant)


@managed_grant
@require_POST
def staff_grant_duties(request, pk, grant):
    rows = forms.report_rows_from_post(request.POST)
    try:
        awards.reports_set_duties(actor=request.user, grant=grant, rows=rows)
    except ValidationError as exc:
        if _is_status_refusal(exc):
            return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
        return _failed(request, grant, exc, "duties", report_rows=rows)
    messages.success(request, _("The reporting duties were saved."))
    return _back(grant)


def _tranche(grant, tranche_pk) -> Tranche:
    return get_object_or_404(Tranche.objects.select_related("after_report"), pk=tranche_pk, grant=grant)


@managed_grant
@require_POST
def staff_tranche_release(request, pk, tranche_pk, grant):
    tranche = _tranche(grant, tranche_pk)
    tranche.grant = grant
    try:
        awards.tranche_release(actor=request.user, tranche=tranche)
    except ValidationError as exc:
        return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
    messages.success(request, _("Tranche %(n)s is released for payment.") % {"n": tranche.number})
    return _back(grant)


@managed_grant
@require_POST
def staff_tranche_paid(request, pk, tranche_pk, grant):
    tranche = _tranche(grant, tranche_pk)
    tranche.grant = grant
    form = forms.TranchePaidForm(request.POST)
    if form.is_valid():
        try:
            awards.tranche_mark_paid(
                actor=request.user, tranche=tranche, paid_on=form.cleaned_data["paid_on"]
            )
        except ValidationError as exc:
            if _is_status_refusal(exc):
                return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Tranche %(n)s is marked as paid.") % {"n": tranche.number})
            return _back(grant)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, _("Nothing was changed. Please correct the errors below."))
    return _staff_page(request, grant, status=400, section="payments", errors=errors, paid_form=form)


@managed_grant
@require_POST
def staff_grant_close(request, pk, grant):
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, grant, status=400, section="close", close_form=form)
    try:
        awards.grant_close(actor=request.user, grant=grant, note=form.cleaned_data["note"])
    except ValidationError as exc:
        return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
    messages.success(request, _("The grant is closed."))
    return _back(grant)


@managed_grant
@require_POST
def staff_grant_terminate(request, pk, grant):
    form = forms.TerminateForm(request.POST)
    if form.is_valid():
        try:
            awards.grant_terminate(actor=request.user, grant=grant, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if _is_status_refusal(exc):
                return _refused(request, grant, exc, back_url=reverse("grants:staff_grant", args=[grant.pk]))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The grant is terminated."))
            return _back(grant)
    messages.error(request, _("The grant was not terminated. Please correct the errors below."))
    return _staff_page(request, grant, status=400, section="terminate", terminate_form=form)


@permission(
    "grants.manage_grant", load=load_report, on=_grant_of, pass_as="report", staff=True, refuse_in_view=True
)
@require_POST
def staff_report_review(request, pk, report_pk, report):
    """Accept a submitted report (releasing the tranches that wait for it) or return it."""
    grant = report.grant
    form = forms.ReportReviewForm(request.POST)
    if form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        try:
            if action == forms.ReportReviewForm.ACCEPT:
                awards.grant_report_accept(actor=request.user, report=report, comment=comment)
            else:
                awards.grant_report_return(actor=request.user, report=report, comment=comment)
        except ValidationError as exc:
            if _is_status_refusal(exc):
                return _refused(
                    request, grant, exc, back_url=reverse("grants:grant_report", args=[grant.pk, report.pk])
                )
            add_service_errors(form, exc)
        else:
            if action == forms.ReportReviewForm.ACCEPT:
                messages.success(request, _("The report was accepted."))
            else:
                messages.success(request, _("The report was returned to the grantee."))
            return redirect("grants:grant_report", pk=grant.pk, report_pk=report.pk)
    messages.error(request, _("Nothing was changed. Please correct the errors below."))
    return _report_page(request, report, review_form=form, status=400)
