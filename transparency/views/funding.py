"""Pages of public funding to CSOs: the public dashboard (with downloads), and for staff the
import and the reconciliation. Views parse input, check permission, call
`transparency.funding` and render."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from core import exports
from core.page_cache import anonymous_cache
from core.permissions import public, staff_page
from core.tabular import TabularFileError
from transparency.exports import RECONCILIATION_COLUMNS, reconciliation_table
from transparency.forms.funding import FundingDashboardForm, FundingImportForm, ReconciliationForm
from transparency.selectors import funding as funding_selectors
from transparency.services import funding as funding_services
from transparency.signals import PAGE_TOPICS

INSTITUTION_YEAR_PAGE_SIZE = 25
RECONCILIATION_PAGE_SIZE = 50
TOP_RECIPIENTS = 10
DOWNLOAD_FORMATS = ("csv", "xlsx")


def _file_response(fmt: str, name: str, columns, rows, title: str) -> HttpResponse:
    buffer = io.BytesIO()
    exports.write(fmt, buffer, columns, rows, title=title)
    response = HttpResponse(buffer.getvalue(), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    return response


# --- Public dashboard -----------------------------------------------------------------------

SECTIONS = {
    "trend": gettext_lazy("Trend over years"),
    "institutions": gettext_lazy("Totals per institution and year"),
    "recipients": gettext_lazy("Top recipients"),
    "municipalities": gettext_lazy("Per municipality of the recipient"),
}


def _pct(value) -> str:
    return "" if value is None else f"{value}"


def _section_table(section: str, data: dict) -> tuple[list, list[list]]:
    """The columns and rows of one table of the dashboard, as shown and as downloaded."""
    if section == "trend":
        return (
            [
                _("Year"),
                _("Total (EUR)"),
                _("Through open calls (EUR)"),
                _("Open-call share (%)"),
                _("Records"),
            ],
            [
                [r["year"], r["total"], r["open_call"], _pct(r["open_call_share"]), r["records"]]
                for r in data["trend"]
            ],
        )
    if section == "institutions":
        return (
            [
                _("Institution"),
                _("Year"),
                _("Total (EUR)"),
                _("Through open calls (EUR)"),
                _("Open-call share (%)"),
                _("Recipients"),
                _("Records"),
            ],
            [
                [
                    r["institution__name"],
                    r["year"],
                    r["total"],
                    r["open_call"],
                    _pct(r["open_call_share"]),
                    r["recipients"],
                    r["records"],
                ]
                for r in data["institution_years"]
            ],
        )
    if section == "recipients":
        return (
            [_("Recipient"), _("Total (EUR)"), _("Institutions"), _("Records")],
            [[r["label"], r["total"], r["institutions"], r["records"]] for r in data["top_recipients"]],
        )
    return (
        [_("Municipality"), _("Total (EUR)"), _("Recipients"), _("Records")],
        [[r["name"], r["total"], r["recipients"], r["records"]] for r in data["municipalities"]],
    )


def _with_share(rows):
    rows = list(rows)
    for row in rows:
        row["open_call_share"] = funding_selectors._share(row["open_call"], row["total"])
    return rows


def _chart_data(data: dict) -> dict:
    """What the charts draw (numbers as floats: Chart.js needs numbers; the tables show
    the exact amounts)."""
    trend = data["trend"]
    return {
        "trend": {
            "labels": [str(r["year"]) for r in trend],
            "series": [
                {"label": _("Total (EUR)"), "data": [float(r["total"]) for r in trend]},
                {"label": _("Through open calls (EUR)"), "data": [float(r["open_call"]) for r in trend]},
            ],
        },
        "institutions": {
            "labels": [r["institution__name"] for r in data["by_institution"]],
            "series": [
                {"label": _("Total (EUR)"), "data": [float(r["total"]) for r in data["by_institution"]]}
            ],
        },
        "procedure": {
            "labels": [_("Open public call"), _("Other procedures")],
            "series": [
                {
                    "label": _("Amount (EUR)"),
                    "data": [
                        float(data["totals"]["open_call"]),
                        float(data["totals"]["total"] - data["totals"]["open_call"]),
                    ],
                }
            ],
        },
        "recipients": {
            "labels": [r["label"] for r in data["top_recipients"]],
            "series": [
                {"label": _("Total (EUR)"), "data": [float(r["total"]) for r in data["top_recipients"]]}
            ],
        },
        "municipalities": {
            "labels": [r["name"] for r in data["municipalities"]],
            "series": [
                {"label": _("Total (EUR)"), "data": [float(r["total"]) for r in data["municipalities"]]}
            ],
        },
    }


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*FundingDashboardForm.base_fields, "page"))
@require_http_methods(["GET", "HEAD"])
def funding_dashboard(request):
    """Totals per institution and year, the open-call share, top recipients, per
    municipality and the trend, for the filters in the URL. Every figure is an aggregate
    of the database; the number of queries does not depend on the number of records."""
    form = FundingDashboardForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    qs = (
        funding_selectors.funding_records(form.filters())
        if valid
        else funding_selectors.funding_records().none()
    )

    download = request.GET.get("download", "")
    fmt = request.GET.get("format", "csv")
    if download and (download not in SECTIONS or fmt not in DOWNLOAD_FORMATS):
        return HttpResponse(_("Unknown download."), status=400, content_type="text/plain; charset=utf-8")

    data = {"totals": funding_selectors.dashboard_totals(qs), "trend": funding_selectors.dashboard_trend(qs)}
    institution_years = funding_selectors.dashboard_by_institution_year(qs)
    data["top_recipients"] = funding_selectors.dashboard_top_recipients(qs, limit=TOP_RECIPIENTS)
    data["municipalities"] = funding_selectors.dashboard_by_municipality(qs)
    if download:
        # The downloads hold what the page shows, with every page of the institution table.
        data["institution_years"] = _with_share(institution_years) if download == "institutions" else []
        columns, rows = _section_table(download, data)
        return _file_response(fmt, f"public-funding-{download}", columns, rows, str(SECTIONS[download]))

    page_obj = Paginator(institution_years, INSTITUTION_YEAR_PAGE_SIZE).get_page(request.GET.get("page"))
    data["institution_years"] = _with_share(page_obj.object_list)
    data["by_institution"] = funding_selectors.dashboard_by_institution(qs)
    tables = {key: dict(zip(("columns", "rows"), _section_table(key, data), strict=True)) for key in SECTIONS}
    query = request.GET.copy()
    for name in ("page", "download", "format"):
        query.pop(name, None)
    return render(
        request,
        "transparency/funding_dashboard.html",
        {
            "form": form,
            "totals": data["totals"],
            "tables": tables,
            "sections": SECTIONS,
            "page_obj": page_obj,
            "chart_data": _chart_data(data),
            "filter_query": query.urlencode(),
            "filtered": form.is_bound and any(request.GET.get(n) for n in form.fields),
        },
        status=200 if valid else 400,
    )


# --- Staff: import --------------------------------------------------------------------------


@staff_page("transparency.manage_public_funding")
@require_http_methods(["GET", "POST"])
def funding_import(request):
    """Upload a CSV/XLSX file: "Check" validates only; "Import" validates the whole file and
    imports it only if every row is valid (nothing half imported)."""
    form = FundingImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            dry_run = request.POST.get("action") != "import"
            try:
                result = funding_services.funding_import(
                    actor=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    dry_run=dry_run,
                    amount_language=form.cleaned_data["amount_format"],
                )
            except TabularFileError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                if not result.ok:
                    messages.error(
                        request,
                        ngettext(
                            "%(count)d row has errors: nothing was imported. Correct the file and upload it again.",
                            "%(count)d rows have errors: nothing was imported. Correct the file and upload it again.",
                            result.error_count,
                        )
                        % {"count": result.error_count},
                    )
                elif dry_run:
                    status = 200
                    messages.info(
                        request,
                        _(
                            "The file is valid: %(new)d new records, %(dup)d already recorded. Nothing imported yet."
                        )
                        % {"new": result.to_create, "dup": len(result.duplicates)},
                    )
                else:
                    status = 200
                    messages.success(
                        request,
                        _("%(new)d records imported; %(dup)d already recorded were skipped.")
                        % {"new": result.created, "dup": len(result.duplicates)},
                    )
    return render(
        request,
        "transparency/funding_import.html",
        {
            "form": form,
            "result": result,
            "columns": funding_services.IMPORT_COLUMNS,
            "max_rows": funding_services.IMPORT_MAX_ROWS,
        },
        status=status,
    )


@staff_page("transparency.manage_public_funding")
@require_http_methods(["GET", "HEAD"])
def funding_import_template(request):
    buffer = io.BytesIO()
    exports.write_csv(buffer, funding_services.IMPORT_COLUMNS, funding_services.import_template_rows())
    response = HttpResponse(buffer.getvalue(), content_type=exports.CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="public-funding-template.csv"'
    return response


# --- Staff: reconciliation ------------------------------------------------------------------


@staff_page("transparency.view_funding_reconciliation")
@require_http_methods(["GET", "HEAD"])
def funding_reconciliation(request):
    """Per recipient and year: declared, found by monitoring and reported by the CSO, with
    flags. One year at a time (the latest by default)."""
    years = funding_selectors.funding_years()
    data = request.GET.copy()
    if years and not data.get("year"):
        data["year"] = str(years[0])
    form = ReconciliationForm(data, years=years)
    rows, valid = [], True
    if years:
        valid = form.is_valid()
        if valid:
            rows = funding_selectors.reconciliation(
                year=form.cleaned_data["year"],
                institution=form.cleaned_data.get("institution"),
                flag=form.cleaned_data.get("flag") or "",
            )
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in DOWNLOAD_FORMATS or not valid:
            return HttpResponse(_("Unknown download."), status=400, content_type="text/plain; charset=utf-8")
        return _file_response(
            fmt,
            "public-funding-reconciliation",
            RECONCILIATION_COLUMNS,
            reconciliation_table(rows),
            _("Public funding reconciliation"),
        )
    page_obj = Paginator(rows, RECONCILIATION_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return render(
        request,
        "transparency/funding_reconciliation.html",
        {
            "form": form,
            "years": years,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "filter_query": query.urlencode(),
            "tolerance_eur": funding_selectors.TOLERANCE_EUR,
            "tolerance_percent": funding_selectors.TOLERANCE_PERCENT,
            "flag_labels": funding_selectors.FLAG_LABELS,
        },
        status=200 if valid else 400,
    )
