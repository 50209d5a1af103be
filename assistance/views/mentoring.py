"""Pages of the mentoring series: the list (the mentor's series, the organisation's series;
staff see all), staff open a series, the series page (plan, progress, the organisation's
gifts received since it started, from the giving tracker), plan/edit a session, log a session,
complete or cancel. A series the person may not see is a 404 for everyone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance.forms.mentoring import SeriesForm, SessionLogForm, SessionPlanForm
from assistance.selectors import mentoring as selectors
from assistance.services import mentoring as services
from assistance.views.common import refused
from assistance.workflow import MENTORING
from core.forms import add_service_errors
from core.pagination import page_with_total
from core.permissions import permission, staff_page

PAGE_SIZE = 20


def load_series(request, pk, **kwargs):
    series = selectors.series_for_page(pk)
    if series is None or not request.user.has_perm("assistance.view_series", series):
        raise Http404
    return series


def series_page(perm: str = "assistance.view_series", **options):
    options.setdefault("refuse", 404 if perm == "assistance.view_series" else 403)
    return permission(perm, load=load_series, pass_as="series", login=False, **options)


def _session_or_404(series, session_pk):
    session = selectors.session_of(series, session_pk)
    if session is None:
        raise Http404
    return session


@permission("assistance.mentoring_list")
@require_GET
def series_list(request):
    page = page_with_total(selectors.series_visible_to(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "assistance/mentoring_list.html",
        {"page_obj": page, "series_list": page.object_list},
    )


@staff_page("assistance.create_series")
@require_http_methods(["GET", "POST"])
def series_create(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The mentoring series was opened."))
            return redirect("assistance:series_detail", pk=series.pk)
    status = 400 if form.is_bound else 200
    return render(request, "assistance/mentoring_series_form.html", {"form": form}, status=status)


def render_series(request, series, *, status=200):
    from giving.selectors import gifts_received_since

    sessions = list(series.sessions.select_related("logged_by"))
    return render(
        request,
        "assistance/mentoring_detail.html",
        {
            "series": series,
            "sessions": sessions,
            "progress": selectors.progress(sessions),
            "gifts": gifts_received_since(series.organization, series.started_on),
            "moves": MENTORING.available_moves(request.user, series),
            "history": MENTORING.history(series),
            "can_plan": request.user.has_perm("assistance.plan_session", series),
            "can_log": request.user.has_perm("assistance.log_session", series),
        },
        status=status,
    )


@series_page()
@require_GET
def series_detail(request, pk, series):
    return render_series(request, series)


def _session_form_page(request, series, form, *, session=None, template, status=200):
    return render(
        request,
        template,
        {"series": series, "session": session, "form": form},
        status=status,
    )


@series_page("assistance.plan_session")
@require_http_methods(["GET", "POST"])
def session_add(request, pk, series):
    form = SessionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_plan(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was added to the plan."))
            return redirect("assistance:series_detail", pk=series.pk)
    return _session_form_page(
        request,
        series,
        form,
        template="assistance/mentoring_session_form.html",
        status=400 if form.is_bound else 200,
    )


@series_page("assistance.plan_session")
@require_http_methods(["GET", "POST"])
def session_edit(request, pk, session_pk, series):
    session = _session_or_404(series, session_pk)
    back = reverse("assistance:series_detail", args=[series.pk])
    if session.held_on is not None:
        return refused(
            request,
            ValidationError(_("This session was already held; its plan cannot change.")),
            back_url=back,
        )
    form = SessionPlanForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_edit(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session's plan was saved."))
            return redirect(back)
    return _session_form_page(
        request,
        series,
        form,
        session=session,
        template="assistance/mentoring_session_form.html",
        status=400 if form.is_bound else 200,
    )


@series_page("assistance.log_session")
@require_http_methods(["GET", "POST"])
def session_log(request, pk, session_pk, series):
    session = _session_or_404(series, session_pk)
    form = SessionLogForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was logged; the organisation sees the notes."))
            return redirect("assistance:series_detail", pk=series.pk)
    return _session_form_page(
        request,
        series,
        form,
        session=session,
        template="assistance/mentoring_session_log.html",
        status=400 if form.is_bound else 200,
    )


@series_page()
@require_POST
def series_move(request, pk, series):
    back = reverse("assistance:series_detail", args=[series.pk])
    target = request.POST.get("target", "")
    try:
        services.series_move(
            actor=request.user, series=series, target=target, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        return refused(request, exc, back_url=back)
    messages.success(request, _("The series is now “%(status)s”.") % {"status": MENTORING.label(target)})
    return redirect(back)
