"""Pages of the Strategy monitoring: progress per objective and institution, a measure with
its approved comments (signed-in people comment, staff moderate), and the yearly report
generated in the background."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core import services as core_services
from core.forms import add_service_errors
from core.page_cache import DIALOGUE, anonymous_cache
from core.permissions import public, signed_in, staff_page
from transparency.forms.funding import MeasureCommentForm, StrategyFilterForm, StrategyReportForm
from transparency.selectors import strategy as strategy_selectors
from transparency.services import strategy as strategy_services
from transparency.signals import PAGE_TOPICS

MEASURE_PAGE_SIZE = 25
MODERATION_PAGE_SIZE = 50
REPORT_KIND = "transparency.strategy_report"


def _report_years() -> list[int]:
    first = 2019  # the Strategy 2019–2023 and its successor
    return list(range(timezone.localdate().year, first - 1, -1))


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*StrategyFilterForm.base_fields, "page"))
@require_http_methods(["GET", "HEAD"])
def strategy_overview(request):
    form = StrategyFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    measures = strategy_selectors.measures_filtered(
        objective=data.get("objective"), institution=data.get("institution"), status=data.get("status") or ""
    )
    if not valid:
        measures = measures.none()
    listing = (
        strategy_selectors.public_measures()
        .filter(pk__in=measures.values("pk"))
        .order_by("objective__ordering", "objective__code", "code")
    )
    page_obj = Paginator(listing, MEASURE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/strategy.html",
        {
            "form": form,
            "overall": strategy_selectors.progress_overall(measures),
            "by_objective": strategy_selectors.progress_by_objective(measures),
            "by_institution": strategy_selectors.progress_by_institution(measures),
            "page_obj": page_obj,
            "measures": page_obj.object_list,
            "report_form": StrategyReportForm(
                initial={"year": timezone.localdate().year, "language": request.LANGUAGE_CODE},
                years=_report_years(),
            ),
            "filtered": form.is_bound and any(request.GET.get(n) for n in form.fields),
        },
        status=200 if valid else 400,
    )


def _measure_or_404(code: str):
    measure = strategy_selectors.measure_detail(code)
    if measure is None:
        raise Http404(_("There is no such measure."))
    return measure


def _dialogue_of(measure):
    """The dialogue events and commitments about this measure, when dialogue is installed
    (through its selector: apps never import each other's views or models)."""
    if not apps.is_installed("dialogue"):
        return None
    from dialogue.selectors import for_strategy_measure

    return for_strategy_measure(measure.pk)


def _render_measure(request, measure, form, status=200):
    return render(
        request,
        "transparency/measure_detail.html",
        {"measure": measure, "comments": measure.approved, "form": form, "dialogue": _dialogue_of(measure)},
        status=status,
    )


@public
@anonymous_cache(topics=(*PAGE_TOPICS, DIALOGUE))  # it lists dialogue's events and commitments
@require_http_methods(["GET", "HEAD", "POST"])
def measure_detail(request, code):
    measure = _measure_or_404(code)
    if request.method != "POST":
        form = MeasureCommentForm(user=request.user) if request.user.is_authenticated else None
        return _render_measure(request, measure, form)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    form = MeasureCommentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            strategy_services.comment_create(
                actor=request.user,
                measure=measure,
                body=form.cleaned_data["body"],
                organization=form.cleaned_data.get("organization"),
            )
        except strategy_services.CommentRateLimited as exc:
            form.add_error(None, str(exc))
            return _render_measure(request, measure, form, status=429)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your comment will appear after moderation."))
            return redirect("transparency:measure_detail", code=measure.code)
    return _render_measure(request, measure, form, status=400)


@signed_in
@require_POST
def strategy_report(request):
    """Start the yearly report (PDF or XLSX, in the chosen language) in the background and
    go to its progress page."""
    form = StrategyReportForm(request.POST, years=_report_years())
    if not form.is_valid():
        messages.error(request, _("Choose a year, a language and a format."))
        return redirect("transparency:strategy")
    try:
        job = core_services.report_job_start(
            actor=request.user,
            kind=REPORT_KIND,
            fmt=form.cleaned_data["format"],
            params={"year": str(form.cleaned_data["year"])},
            language=form.cleaned_data["language"],
        )
    except core_services.ReportRequestError as exc:
        return render(request, "core/report_bad_request.html", {"reason": str(exc)}, status=400)
    return redirect("core:report_detail", pk=job.pk)


@staff_page("transparency.moderate_measure_comments")
@require_http_methods(["GET", "HEAD", "POST"])
def comment_moderation(request):
    """Staff approve or reject pending comments, several at once."""
    if request.method == "POST":
        action = request.POST.get("action", "")
        ids = request.POST.getlist("comments")
        if action not in strategy_services.MODERATION_ACTIONS or not ids:
            messages.error(request, _("Select comments and choose approve or reject."))
        else:
            done = strategy_services.comments_moderate(actor=request.user, ids=ids, action=action)
            text = (
                ngettext("%(count)d comment approved.", "%(count)d comments approved.", done)
                if action == "approve"
                else ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", done)
            )
            messages.success(request, text % {"count": done})
            return redirect("transparency:comment_moderation")
    page_obj = Paginator(
        strategy_selectors.pending_comments().order_by("created_at", "pk"), MODERATION_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "transparency/strategy_moderation.html",
        {"page_obj": page_obj, "comments": page_obj.object_list},
        status=400 if request.method == "POST" else 200,
    )
