from csp.decorators import csp_update
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from core import exports, page_cache, reports, services
from core.models import ReportJob
from core.page_cache import anonymous_cache
from core.pages import HOME
from core.permissions import public, signed_in

REPORT_LIST_PAGE_SIZE = 25


@public
@anonymous_cache(topics=page_cache.EVERYTHING)
def home(request):
    """The home page; the apps above core fill it (core.pages.HOME)."""
    return render(request, "core/home.html", HOME.context(request))


@public
@never_cache
def healthz(request):
    """Whether the database and (when configured) Redis answer. 200 when all do, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
            client.ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured"
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


# --- Background reports ------------------------------------------------------------------


def _visible_jobs(user):
    jobs = ReportJob.objects.select_related("requested_by")
    return jobs if user.has_perm("core.view_all_report_jobs") else jobs.filter(requested_by=user)


@signed_in
@require_GET
def report_list(request):
    """My report jobs, newest first (staff see everyone's)."""
    page_obj = Paginator(_visible_jobs(request.user), REPORT_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for job in page_obj.object_list:
        job.title = reports.title_of(job.kind)
    return render(request, "core/report_list.html", {"page_obj": page_obj, "jobs": page_obj.object_list})


@signed_in
@require_POST
def report_start(request):
    """Start a report from an export button: kind, format and the page's query string."""
    params = QueryDict(request.POST.get("params", "")[:2000])
    try:
        job = services.report_job_start(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            fmt=request.POST.get("format", ""),
            params=params,
        )
    except services.ReportRequestError as exc:
        return render(request, "core/report_bad_request.html", {"reason": str(exc)}, status=400)
    return redirect("core:report_detail", pk=job.pk)


@signed_in
@require_GET
@never_cache
def report_detail(request, pk):
    """The job page; with htmx (HX-Request) only the progress fragment, polled every second."""
    job = get_object_or_404(_visible_jobs(request.user), pk=pk)
    job.title = reports.title_of(job.kind)
    context = {"job": job, "link": reports.signed_link(job) if reports.is_public(job.kind) else ""}
    if request.htmx:
        return render(request, "core/includes/_report_progress.html", context)
    return render(request, "core/report_detail.html", context)


@signed_in
@require_GET
@never_cache
def report_download(request, pk):
    """The file of a finished job, to the person who asked for it or to staff (others: 404)."""
    job = get_object_or_404(_visible_jobs(request.user), pk=pk, status=ReportJob.Status.DONE)
    if not job.file:
        raise Http404
    try:  # someone who has since lost the report's permission no longer gets its file
        if not request.user.has_perm("core.view_all_report_jobs") and not reports.get(job.kind).allowed_for(
            request.user
        ):
            raise Http404
    except reports.UnknownReport:
        pass
    return _job_file(job)


def _job_file(job) -> FileResponse:
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    with override(job.language):
        name = slugify(reports.title_of(job.kind)) or "report"
    filename = f"{name}-{timezone.localdate(job.created_at):%Y-%m-%d}.{job.format}"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=exports.CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )


def _job_by_link(token: str):
    job = reports.job_from_link(token)
    if job is None:
        raise Http404
    job.title = reports.title_of(job.kind)
    return job


@public  # the signed link is the permission: it names one job of a public report
@require_GET
@never_cache
def report_link(request, token):
    """A public report's job by its signed link (visitors' jobs, or a link someone shared):
    its progress, then the download. An expired or changed link is a 404."""
    job = _job_by_link(token)
    context = {"job": job, "link": token, "via_link": True}
    if request.htmx:
        return render(request, "core/includes/_report_progress.html", context)
    return render(request, "core/report_detail.html", context)


@public
@require_GET
@never_cache
def report_link_download(request, token):
    job = _job_by_link(token)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    return _job_file(job)


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's local assets; its inline styles need a relaxed CSP."""

    permission_classes = [AllowAny]  # public


def bad_request(request, exception=None):
    """Django's 400 (a SuspiciousOperation, e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE read
    before any view): JSON under /api/, as every API error."""
    if request.path.startswith("/api/"):
        from core.api.exceptions import BadRequest, api_error_for

        error = api_error_for(exception) or BadRequest()
        return JsonResponse({"detail": str(error.detail)}, status=error.status_code)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
