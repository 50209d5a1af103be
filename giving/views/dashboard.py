"""The public giving dashboard, its data as JSON, downloads of exactly what it shows, and
the yearly PDF reports. Every view takes GivingFilter's GET parameters, so each view of
the data has a permanent URL; invalid filters answer 400 with the form's errors."""

import io
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import exports, fragments, page_cache
from core import reports as core_reports
from core import services as core_services
from core.page_cache import anonymous_cache
from core.pagination import KnownCountPaginator
from core.permissions import public
from giving import aggregates
from giving import exports as reports
from giving.aggregates_models import GivingYearlyReport
from giving.filters import GivingFilter, unknown_parameters
from giving.signals import PAGE_TOPICS

PAGE_SIZE = 20
# Records anyone may download directly, bounded in time: CSV is streamed from
# `values_list().iterator()` (50,000 rows in a few seconds, flat memory); an XLSX is built
# whole before it is sent, so fewer. Larger selections are prepared by the background
# export (core reports, kind "giving.records"), for visitors too: they get a signed link.
MAX_DIRECT_DOWNLOAD_ROWS = 50_000
MAX_DIRECT_XLSX_ROWS = 10_000


def _filter(request) -> tuple[GivingFilter, bool]:
    filterset = GivingFilter(request.GET or None)
    valid = filterset.is_valid() if filterset.is_bound else True
    return filterset, valid


def _criteria(filterset) -> aggregates.Criteria:
    if not filterset.is_bound:
        return aggregates.Criteria()
    return aggregates.Criteria.from_filter(filterset)


def _filtered(request, filterset) -> bool:
    return filterset.is_bound and any(request.GET.getlist(name) for name in filterset.filters)


def _numbers(crit: aggregates.Criteria) -> dict:
    """The dashboard's numbers for `crit` and the figures and charts that show them, rendered:
    the same for everyone who looks, so kept in the cache per language and filters
    (core.fragments) under the page's topics, which a change of a record, an organisation or
    a municipality and every refresh of the aggregates touch: a change shows at the next
    request. Signed-in people (whose pages core.page_cache does not keep) are spared the
    numbers' queries, the charts' tables and their data's JSON on every request."""

    def build() -> dict:
        data = aggregates.dashboard_numbers(crit)
        context = {
            "data": data,
            "max_share": max((Decimal(m["total"]) for m in data["by_municipality"]), default=Decimal(0)),
        }
        chart_data = {
            **data,
            "labels": {
                "total": _("Total (EUR)"),
                "count": _("Gifts"),
                "diaspora": _("Diaspora"),
                "domestic": _("Domestic"),
            },
        }
        return {
            "data": data,
            "figures": render_to_string("giving/includes/_dashboard_figures.html", context),
            "charts": render_to_string("giving/includes/_dashboard_charts.html", context),
            "chart_script": json_script(chart_data, "giving-data"),
        }

    return fragments.cached(
        "giving.dashboard",
        [translation.get_language(), repr(crit)],
        topics=PAGE_TOPICS,
        build=build,
        timeout=page_cache.timeout_seconds(),
    )


def _records_table(crit: aggregates.Criteria, page_obj) -> str:
    """The table of one page of the matching records ("" when the page has none), kept like
    `_numbers` (the page's links are drawn around it per request: they carry its query)."""

    def build() -> str:
        records = list(page_obj.object_list)
        if not records:
            return ""
        return render_to_string("giving/includes/_dashboard_records.html", {"records": records})

    return fragments.cached(
        "giving.dashboard.records",
        [translation.get_language(), repr(crit), page_obj.number],
        topics=PAGE_TOPICS,
        build=build,
        timeout=page_cache.timeout_seconds(),
    )


def _filters_html(request, form, *, filtered: bool, valid: bool) -> str:
    """The filter form, rendered: the same for everyone who sends the same filters (it holds
    no token and nothing personal), so kept like `_numbers` per language and filters; refused
    filters, repeated parameters and new variants past the page cache's cap are rendered each
    time. A signed-in person's page (never kept whole) spent a third of its time on it."""

    def build() -> str:
        return render_to_string(
            "giving/includes/_dashboard_filters.html", {"form": form, "filtered": filtered}
        )

    query = request.GET.copy()
    query.pop("page", None)
    key = fragments.query_key(query, GivingFilter.base_filters) if valid else None
    if key is None:
        return build()
    return fragments.cached(
        "giving.dashboard.filters",
        [translation.get_language(), key],
        topics=PAGE_TOPICS,
        build=build,
        timeout=page_cache.timeout_seconds(),
        may_store=lambda: page_cache.may_keep_another("giving.dashboard.filters"),
    )


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*GivingFilter.base_filters, "page"))
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    filterset, valid = _filter(request)
    context = {
        "filter": filterset,
        "form": filterset.form,
        "filtered": _filtered(request, filterset),
        "query": _query_without(request, "page"),
        "max_direct_rows": MAX_DIRECT_DOWNLOAD_ROWS,
    }
    context["dashboard_filters"] = mark_safe(
        _filters_html(request, filterset.form, filtered=context["filtered"], valid=valid)
    )
    if not valid:
        return render(request, "giving/dashboard.html", context, status=400)
    crit = _criteria(filterset)
    numbers = _numbers(crit)
    data = numbers["data"]
    count = data["totals"]["count"]
    records = aggregates.NewestFirst(crit, count)
    page_obj = KnownCountPaginator(records, PAGE_SIZE, known_count=count).get_page(request.GET.get("page"))
    context.update(
        data=data,
        dashboard_figures=mark_safe(numbers["figures"]),
        dashboard_charts=mark_safe(numbers["charts"]),
        dashboard_records=mark_safe(_records_table(crit, page_obj)),
        page_obj=page_obj,
        records=page_obj.object_list,
        too_many_to_download=count > MAX_DIRECT_DOWNLOAD_ROWS,
        too_many_for_xlsx=count > MAX_DIRECT_XLSX_ROWS,
        dashboard_chart_script=numbers["chart_script"],
    )
    return render(request, "giving/dashboard.html", context)


@public
@require_http_methods(["GET", "HEAD"])
def dashboard_data(request):
    """The numbers of the dashboard as JSON (for its charts, and for anyone). An unknown
    parameter is a 400 (the HTML dashboard ignores it: a link may carry tracking tags)."""
    unknown = unknown_parameters(request.GET)
    if unknown:
        return JsonResponse({"errors": unknown}, status=400)
    filterset, valid = _filter(request)
    if not valid:
        return JsonResponse({"errors": {k: list(v) for k, v in filterset.form.errors.items()}}, status=400)
    return JsonResponse(aggregates.dashboard_numbers(_criteria(filterset)))


@public
@require_GET
def dashboard_download(request, what: str, fmt: str):
    """CSV / XLSX of what the dashboard shows for the same filters: the matching records
    (up to MAX_DIRECT_DOWNLOAD_ROWS, for anyone) or the tables of the aggregates."""
    if fmt not in ("csv", "xlsx") or what not in ("records", "aggregates"):
        raise Http404
    filterset, valid = _filter(request)
    if not valid:
        return render(
            request,
            "giving/dashboard.html",
            {"filter": filterset, "form": filterset.form, "filtered": True, "query": ""},
            status=400,
        )
    crit = _criteria(filterset)
    stamp = timezone.localdate().isoformat()
    filename = f"giving-{what}-{stamp}.{fmt}"
    if what == "records":
        count = aggregates.count(crit)
        limit = MAX_DIRECT_XLSX_ROWS if fmt == "xlsx" else MAX_DIRECT_DOWNLOAD_ROWS
        if count > limit:
            return render(
                request,
                "giving/dashboard_too_large.html",
                {"count": count, "limit": limit, "format": fmt, "query": request.GET.urlencode()},
                status=400,
            )
        columns = reports.RECORD_COLUMNS
        rows = reports.record_rows(aggregates.records(crit).order_by("-date", "-pk"))
        if fmt == "csv":
            response = StreamingHttpResponse(
                _in_language(translation.get_language(), exports.csv_chunks(columns, rows)),
                content_type=exports.CONTENT_TYPES[fmt],
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        title = _("Giving records")
    else:
        columns = reports.AGGREGATE_COLUMNS
        rows = reports.aggregate_rows(aggregates.dashboard_numbers(crit))
        title = _("Giving aggregates")
    buffer = io.BytesIO()
    exports.write(fmt, buffer, columns, rows, title=title)
    response = HttpResponse(buffer.getvalue(), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _in_language(language, chunks):
    """Stream `chunks` in `language`: a streamed body is produced after the view returned,
    when the request's language may no longer be active."""
    with translation.override(language):
        yield from chunks


@public  # public data; a visitor's job is fetched by its signed link (core.reports)
@require_POST
def records_export(request, fmt: str):
    """Prepare the matching records as a file in the background (core.reports
    "giving.records"), for a selection too large to download directly. Signed-in users
    follow it on their report page; visitors on a page whose signed link stays valid for
    a while (core.reports.LINK_MAX_AGE). An identical visitor's request made a few minutes
    earlier gets the same file."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset, valid = _filter(request)
    if not valid:
        return render(
            request,
            "giving/dashboard.html",
            {"filter": filterset, "form": filterset.form, "filtered": True, "query": ""},
            status=400,
        )
    try:
        job = core_services.report_job_start(
            actor=request.user, kind="giving.records", fmt=fmt, params=request.GET
        )
    except core_services.ReportRequestError as exc:
        return render(request, "core/report_bad_request.html", {"reason": str(exc)}, status=400)
    if request.user.is_authenticated:
        return redirect("core:report_detail", pk=job.pk)
    return redirect("core:report_link", token=core_reports.signed_link(job))


# --- Yearly report -----------------------------------------------------------------------------


@public
@anonymous_cache(topics=PAGE_TOPICS)
@require_http_methods(["GET", "HEAD"])
def yearly_report(request):
    years = reports.report_years()
    return render(request, "giving/yearly_report.html", {"years": years})


@public
@csrf_exempt
@require_POST
def yearly_report_start(request, year: int):
    """Get the PDF of `year` in the current language: the cached one when the data has not
    changed, else a new one built in the background (a progress page follows).

    Without CSRF check: it does the same for everyone, signed in or not, and changes nothing
    of anyone's (the same file for the same year, language and data), so the yearly page
    carries no token and is kept whole for visitors (core.page_cache)."""
    if year not in {y["year"] for y in reports.report_years()}:
        raise Http404
    report = reports.yearly_report_request(year=year, language=translation.get_language())
    return redirect("giving:yearly_report_status", pk=report.pk)


@public
@require_GET
@never_cache
def yearly_report_status(request, pk: int):
    report = get_object_or_404(GivingYearlyReport, pk=pk)
    context = {"report": report}
    if request.htmx:
        return render(request, "giving/yearly_report_progress.html", context)
    return render(request, "giving/yearly_report_status.html", context)


@public
@require_GET
def yearly_report_download(request, pk: int):
    report = get_object_or_404(GivingYearlyReport, pk=pk, status=GivingYearlyReport.Status.DONE)
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"giving-{report.year}-{report.language}.pdf",
        content_type="application/pdf",
    )
