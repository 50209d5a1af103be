"""Awarded grants, public: the list with filters and totals, its CSV/XLSX downloads
(`?format=csv|xlsx`, the filtered set) and the 360Giving files (JSON and CSV).

Invalid filters answer 400 with the form's errors; downloads are written from the
queryset read in chunks (to a temporary file, or streamed for the JSON), so a large
selection never sits in memory at once."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import exports, fragments
from core.page_cache import anonymous_cache
from core.permissions import public
from grants import open_data, selectors, signals
from grants.choices import ApplicantType, GrantStatus

DOWNLOAD_FORMATS = ("csv", "xlsx")
SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory up to this size, then on disk
# The list is rebuilt when grants change (grants.signals); this bounds what a change no
# signal sees can leave on screen.
CACHE_SECONDS = 600
# Whole pages for visitors (core.page_cache): the public grants and every name they show.
AWARDED_TOPICS = signals.page_topics()
FILTER_FIELDS = open_data.AwardedFilterForm.FIELDS


def _filter_form(request) -> tuple[open_data.AwardedFilterForm, bool]:
    years = fragments.cached(
        "grants.public.years",
        [],
        topics=signals.public_topics(),
        build=selectors.public_grant_years,
        timeout=CACHE_SECONDS,
    )
    form = open_data.AwardedFilterForm(request.GET or None, years=years)
    valid = form.is_valid() if form.is_bound else True
    return form, valid


def _filtered_grants(form):
    return selectors.filter_public_grants(selectors.public_grants(), **form.filters())


def _list_page(request, content: str, status: int = 200):
    return render(request, "grants/awarded_list.html", {"content": content}, status=status)


def _list_content(request, context: dict) -> str:
    """The list's filters, downloads, totals and rows (the page's content block)."""
    return render_to_string("grants/includes/_awarded_list.html", {**context, "request": request})


def _invalid(request, form, status=400):
    content = _list_content(
        request, {"form": form, "filtered": True, "page_obj": None, "rows": [], "invalid": True}
    )
    return _list_page(request, content, status=status)


def _file(write, columns, rows, *, filename: str, fmt: str, **kwargs) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    write(out, columns, rows, **kwargs)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES[fmt])


@public
@anonymous_cache(topics=AWARDED_TOPICS, query=(*FILTER_FIELDS, "page", "format"), search=("q",))
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
    # Searches are built every time (any text would be a new variant to keep).
    query = (
        None
        if request.GET.get("q")
        else fragments.query_key(request.GET, (*form.FIELDS, "page"), max_page=fragments.UNBOUNDED)
    )
    if query is None:
        content = _awarded_content(request, form, grants)
    else:
        content = fragments.cached(
            "grants.awarded_list",
            [translation.get_language(), query],
            topics=signals.public_topics(),
            build=lambda: _awarded_content(request, form, grants),
            timeout=CACHE_SECONDS,
        )
    return _list_page(request, content)


def _awarded_content(request, form, grants) -> str:
    """One page of the list with the totals of the whole selection, in one query."""
    page_obj, totals = selectors.public_grant_page(grants, request.GET.get("page"), open_data.PAGE_SIZE)
    # Labels and dates written once here, not by template filters row by row.
    status_labels = {value: str(label) for value, label in GrantStatus.choices}
    type_labels = {value: str(label) for value, label in ApplicantType.choices}
    rows = []
    for grant in page_obj.object_list:
        awarded_at = timezone.localtime(grant.awarded_at)
        starts_on, ends_on = open_data.planned_dates(grant)
        rows.append(
            {
                "grant": grant,
                "recipient": open_data.recipient_name(grant),
                "recipient_url": open_data.recipient_url(grant),
                "individual": open_data.is_individual(grant),
                "summary": open_data.purpose(grant),
                "status_label": status_labels.get(grant.status, grant.status),
                "type_label": type_labels.get(grant.application.applicant_type, ""),
                "awarded_iso": awarded_at.isoformat(),
                # As the page's language writes a date (config/formats), not one format for all.
                "awarded_on": date_format(awarded_at.date(), "SHORT_DATE_FORMAT"),
                "starts_on": date_format(starts_on, "SHORT_DATE_FORMAT") if starts_on else "",
                "ends_on": date_format(ends_on, "SHORT_DATE_FORMAT") if ends_on else "",
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return _list_content(
        request,
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


@public
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


@public
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
