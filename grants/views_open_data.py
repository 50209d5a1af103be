"""Awarded grants, public: the list with filters and totals, its CSV/XLSX downloads
(`?format=csv|xlsx`, the filtered set) and the 360Giving files (JSON and CSV).

Invalid filters answer 400 with the form's errors; downloads are written from the
queryset read in chunks (to a temporary file, or streamed for the JSON), so a large
selection never sits in memory at once."""

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import exports
from grants import open_data, selectors

DOWNLOAD_FORMATS = ("csv", "xlsx")
SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory up to this size, then on disk


class _KnownCountPaginator(Paginator):
    """Told the number of rows (the totals already counted them): no second COUNT(*)."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = known_count

    @property
    def count(self):
        return self._known_count


def _filter_form(request) -> tuple[open_data.AwardedFilterForm, bool]:
    form = open_data.AwardedFilterForm(request.GET or None, years=selectors.public_grant_years())
    valid = form.is_valid() if form.is_bound else True
    return form, valid


def _filtered_grants(form):
    return selectors.filter_public_grants(selectors.public_grants(), **form.filters())


def _invalid(request, form, status=400):
    return render(
        request,
        "grants/awarded_list.html",
        {"form": form, "filtered": True, "page_obj": None, "rows": [], "invalid": True},
        status=status,
    )


def _file(write, columns, rows, *, filename: str, fmt: str, **kwargs) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    write(out, columns, rows, **kwargs)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[fmt])


@require_http_methods(["GET", "HEAD"])
def awarded_list(request):
    form, valid = _filter_form(request)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in DOWNLOAD_FORMATS:
        form.add_error(None, _("Choose a download format: csv or xlsx."))
        valid = False
    if not valid:
        return _invalid(request, form)
    grants = _filtered_grants(form)
    if fmt:
        rows = open_data.table_rows(grants.iterator(chunk_size=open_data.CHUNK_SIZE))
        filename = f"awarded-grants-{timezone.localdate().isoformat()}.{fmt}"
        if fmt == "csv":
            return _file(exports.write_csv, open_data.TABLE_COLUMNS, rows, filename=filename, fmt=fmt)
        return _file(
            exports.write_xlsx,
            open_data.TABLE_COLUMNS,
            rows,
            filename=filename,
            fmt=fmt,
            title=_("Awarded grants"),
        )
    totals = selectors.public_grant_totals(grants)
    page_obj = _KnownCountPaginator(grants, open_data.PAGE_SIZE, known_count=totals["count"]).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "grant": grant,
            "recipient": open_data.recipient_name(grant),
            "recipient_url": open_data.recipient_url(grant),
            "individual": open_data.is_individual(grant),
            "summary": open_data.purpose(grant),
            "starts_on": open_data.planned_dates(grant)[0],
            "ends_on": open_data.planned_dates(grant)[1],
        }
        for grant in page_obj.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "grants/awarded_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "totals": totals,
            "filtered": form.is_bound and any(request.GET.get(name) for name in form.FIELDS),
            "download_query": query.urlencode(),
        },
    )


def _data_source(request, name: str) -> str:
    return request.build_absolute_uri(reverse(name))


@require_http_methods(["GET", "HEAD"])
def awarded_360_json(request):
    """Every public grant (or the filtered set) in 360Giving JSON, streamed."""
    form, valid = _filter_form(request)
    if not valid:
        return _invalid(request, form)
    body = open_data.stream_360_json(
        _filtered_grants(form), data_source=_data_source(request, "grants:awarded_360_json")
    )
    response = StreamingHttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response


@require_http_methods(["GET", "HEAD"])
def awarded_360_csv(request):
    """Every public grant (or the filtered set) in the 360Giving flattened CSV."""
    form, valid = _filter_form(request)
    if not valid:
        return _invalid(request, form)
    rows = open_data.rows_360(
        _filtered_grants(form).iterator(chunk_size=open_data.CHUNK_SIZE),
        data_source=_data_source(request, "grants:awarded_360_csv"),
    )
    return _file(exports.write_csv, open_data.CSV_360_COLUMNS, rows, filename="360giving.csv", fmt="csv")
