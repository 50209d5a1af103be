"""KCSF's pages: the calls with their figures, a call's applications, one application
(screening, reviewers, more information, decision, messages), the ranking table and the
background export. Staff only (with their second factor); every change through a service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string, select_template
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import fragments
from core import services as core_services
from core.forms import add_service_errors
from core.permissions import permission, require, staff_page
from grants import selectors, signals
from grants.choices import IN_ASSESSMENT_STATUSES, ApplicationStatus, AssignmentStatus
from grants.forms.staff import (
    ApplicationFilterForm,
    AssignForm,
    DecideForm,
    MessageForm,
    RequestChangesForm,
    ScreenForm,
    StageFilterForm,
)
from grants.models import Application, Call, ReviewAssignment, Score
from grants.services import applications as app_services
from grants.services import assessment
from grants.workflow import APPLICATION

S = ApplicationStatus
PAGE_SIZE = 50
# The ranking table is rebuilt when its data changes; this bounds what a change no signal
# sees (core.fragments) can leave on screen.
RANKING_CACHE_SECONDS = 600
# What the ranking page reads of its call (the rest of the row is not loaded).
RANKING_CALL_FIELDS = ("slug", "title_sq", "title_sr", "title_en", "total_budget", "two_stage")
EXPORT_KIND = "grants.applications"
ANCHORS = {
    S.UNDER_REVIEW: "screen-title",
    S.INELIGIBLE: "screen-title",
    S.CHANGES_REQUESTED: "changes-title",
    S.APPROVED: "decide-title",
    S.REJECTED: "decide-title",
    S.INVITED: "decide-title",
}
EXPORT_FILTERS = ("status", "eligibility", "applicant_type", "municipality", "q")


def _content_include() -> str:
    """The shared renderer of an application's content when it exists, else ours."""
    return select_template(
        ["grants/includes/_application_content.html", "grants/includes/_staff_content.html"]
    ).origin.template_name


def _include(shared: str, own: str) -> str:
    return select_template([shared, own]).origin.template_name


# --- calls and their applications ------------------------------------------------------------


@staff_page("grants.manage_call")
@require_GET
def staff_calls(request):
    page_obj = Paginator(selectors.staff_call_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    for call in page_obj.object_list:
        call.left = call.total_budget - call.awarded
        call.status_counts = [
            (status.label, APPLICATION.colour(status), getattr(call, f"n_{status.value}"))
            for status in S
            if getattr(call, f"n_{status.value}")
        ]
    return render(
        request,
        "grants/staff_calls.html",
        {"page_obj": page_obj, "calls": page_obj.object_list},
    )


def load_call(request, slug, **kwargs) -> Call:
    return get_object_or_404(Call, slug=slug)


def load_ranking_call(request, slug, **kwargs) -> Call:
    """The call with only the fields the ranking page's header reads."""
    return get_object_or_404(Call.objects.only(*RANKING_CALL_FIELDS), slug=slug)


@staff_page("grants.manage_call", load=load_call, pass_as="call")
@require_GET
def staff_applications(request, slug, call):
    form = ApplicationFilterForm(request.GET or None)
    qs = selectors.staff_application_list(call, form.filters() if form.is_bound else {})
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = call.applications.filter(status=S.DRAFT).count()
    return render(
        request,
        "grants/staff_applications.html",
        {
            "call": call,
            "form": form,
            "page_obj": page_obj,
            "applications": page_obj.object_list,
            "drafts": drafts,
            "export_params": {k: request.GET.get(k, "") for k in EXPORT_FILTERS if request.GET.get(k)},
        },
    )


@staff_page("grants.manage_call", load=load_ranking_call, pass_as="call")
@require_GET
def ranking(request, slug, call):
    """The call's ranking table. Everything under the page's title (figures, stage filter,
    table) is a cached fragment, built again only when something it shows has changed
    (grants.signals); a view of unchanged data reads the call's few header fields and the
    fragment."""
    form = StageFilterForm(request.GET or None)
    stage = (form.cleaned_data.get("stage") if form.is_valid() else None) or None
    # A stage filter that is not valid shows every stage; it is not kept as a variant of its own.
    query = (
        None if form.is_bound and not form.is_valid() else fragments.query_key(request.GET, ("stage", "page"))
    )
    if query is None:
        content = _ranking_content(request, call, form, stage)
    else:
        content = fragments.cached(
            "grants.ranking.page",
            [call.pk, translation.get_language(), query],
            topics=signals.ranking_topics(call.pk),
            build=lambda: _ranking_content(request, call, form, stage),
            timeout=RANKING_CACHE_SECONDS,
        )
    return render(request, "grants/staff_ranking.html", {"call": call, "content": content})


def _ranking_content(request, call, form, stage) -> str:
    """The ranking page under its title, rendered: the call's budget, what it has awarded
    and what is left, the stage filter and one page of the ranking (one query)."""
    page_obj, committed = selectors.ranking_page(
        call, stage=stage, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render_to_string(
        "grants/includes/_ranking.html",
        {
            "call": call,
            "form": form,
            "committed": committed,
            "left": call.total_budget - committed,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "request": request,
        },
    )


@staff_page("grants.manage_call", load=load_call, pass_as="call")
@require_POST
def staff_export(request, slug, call):
    """Start the background export of the call's applications and go to the job's page."""
    params = {"call": call.slug}
    for name in EXPORT_FILTERS:
        if value := request.POST.get(name, "").strip():
            params[name] = value[:200]
    try:
        job = core_services.report_job_start(
            actor=request.user, kind=EXPORT_KIND, fmt=request.POST.get("format", ""), params=params
        )
    except core_services.ReportRequestError as exc:
        return render(request, "core/report_bad_request.html", {"reason": str(exc)}, status=400)
    return redirect("core:report_detail", pk=job.pk)


# --- one application -------------------------------------------------------------------------


def load_application(request, pk, **kwargs) -> Application:
    """A sent application; 404 for drafts, unknown ids and people who may not see it."""
    application = (
        Application.objects.exclude(status=S.DRAFT)
        .select_related("call", "applicant", "organization", "municipality", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if application is None or not request.user.has_perm("grants.view_application", application):
        raise Http404
    return application


def _call_of(application: Application) -> Call:
    return application.call


# KCSF's pages of one sent application: 404 for those who may not see it; 403 for those who
# may (the applicant's side, a cleared reviewer) but do not manage its call.
managed_application = permission(
    "grants.manage_call",
    load=load_application,
    on=_call_of,
    pass_as="application",
    staff=True,
    refuse_in_view=True,
)


def _timeline(application) -> list[dict]:
    """The status changes with internal labels, who and every note (for the timeline include)."""
    labels = dict(S.choices)
    return [
        {
            "when": change.created_at,
            "from_label": str(labels.get(change.from_status, change.from_status))
            if change.from_status
            else "",
            "to_label": str(labels.get(change.to_status, change.to_status)),
            "to_status": change.to_status,
            "colour": APPLICATION.colour(change.to_status),
            "note": app_services.note_for_reader(change.note),
            "actor": change.actor.get_full_name() if change.actor else _("(removed account)"),
        }
        for change in application.status_changes.select_related("actor").order_by("created_at", "pk")
    ]


def _page(request, application, *, status=200, **forms):
    """The staff page of one application; `forms` replaces the blank forms (with errors)."""
    call = application.call
    transitions = dict(APPLICATION.available_moves(request.user, application))
    revisions = list(application.revisions.order_by("-number").only("pk", "number", "stage", "created_at"))
    latest = revisions[0] if revisions else None
    snapshot = (
        application.revisions.filter(pk=latest.pk).values_list("snapshot", flat=True).first()
        if latest
        else app_services.snapshot(application)
    )
    assignments = list(
        application.assignments.select_related("reviewer", "assigned_by")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__pk"
                ),
            )
        )
        .order_by("stage", "pk")
    )
    for number, assignment in enumerate(assignments, start=1):
        assignment.number = number
        assignment.can_remove = assignment.status != AssignmentStatus.SUBMITTED and assignment.stage == (
            application.stage
        )
    committed = selectors.committed_total(call)
    decisions = [
        d
        for d, target in (("approve", S.APPROVED), ("reject", S.REJECTED), ("invite", S.INVITED))
        if target in transitions
    ]
    context = {
        "application": application,
        "call": call,
        "snapshot": snapshot,
        "data": snapshot,
        "revision": latest,
        "revisions": revisions,
        "attachments": snapshot.get("attachments", []) if isinstance(snapshot, dict) else [],
        "transitions": transitions,
        # The moves staff may make now (APPLICATION.available_moves), each a link to its form;
        # a move with no form on this page (withdrawing is the applicant's, which a superuser
        # would be offered too) is not a button that leads nowhere.
        "actions": [(label, ANCHORS[target]) for target, label in transitions.items() if target in ANCHORS],
        "can_screen": S.UNDER_REVIEW in transitions or S.INELIGIBLE in transitions,
        "can_assign": application.status in IN_ASSESSMENT_STATUSES
        and request.user.has_perm("grants.assign_reviewers", application),
        "can_request_changes": S.CHANGES_REQUESTED in transitions,
        "decisions": decisions,
        "assignments": assignments,
        "criteria": list(call.criteria.filter(stage=application.stage)),
        "committed": committed,
        "left": call.total_budget - committed,
        "timeline": _timeline(application),
        "thread": application.messages.select_related("author").order_by("created_at", "pk"),
        "screen_form": forms.get("screen_form") or ScreenForm(),
        "assign_form": forms.get("assign_form") or AssignForm(),
        "changes_form": forms.get("changes_form") or RequestChangesForm(),
        "decide_form": forms.get("decide_form")
        or DecideForm(decisions=decisions, initial={"amount": application.requested_amount}),
        "message_form": forms.get("message_form") or MessageForm(),
        "error": forms.get("error"),
        "content_template": _content_include(),
        "timeline_template": _include(
            "grants/includes/_timeline.html", "grants/includes/_staff_timeline.html"
        ),
        # Our own thread include: its form posts to staff_message and comes back here.
        "messages_template": "grants/includes/_staff_messages.html",
        "staff_view": True,
    }
    return render(request, "grants/staff_application.html", context, status=status)


@managed_application
@require_GET
def staff_application(request, pk, application):
    return _page(request, application)


def _act(request, application, *, perm, form_class, form_name, action, success, form_kwargs=None):
    """POST of one of the page's forms: parse, call the service, redirect with a message;
    invalid input or a refusal of the service re-renders the page with the errors (400)."""
    require(request.user, perm, application)
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            action(application, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("grants:staff_application", pk=application.pk)
    application.refresh_from_db()
    return _page(request, application, status=400, **{form_name: form})


@managed_application
@require_POST
def staff_screen(request, pk, application):
    return _act(
        request,
        application,
        perm="grants.screen_application",
        form_class=ScreenForm,
        form_name="screen_form",
        action=lambda app, data: assessment.application_screen(
            actor=request.user,
            application=app,
            eligible=data["decision"] == "eligible",
            reason=data["reason"],
        ),
        success=_("The eligibility decision is recorded."),
    )


@managed_application
@require_POST
def staff_assign(request, pk, application):
    return _act(
        request,
        application,
        perm="grants.assign_reviewers",
        form_class=AssignForm,
        form_name="assign_form",
        action=lambda app, data: assessment.reviewers_assign(
            actor=request.user, application=app, reviewers=list(data["reviewers"])
        ),
        success=_("The reviewers are assigned and told by email."),
    )


@managed_application
@require_POST
def staff_unassign(request, pk, assignment_pk, application):
    require(request.user, "grants.assign_reviewers", application)
    assignment = get_object_or_404(ReviewAssignment, pk=assignment_pk, application=application)
    try:
        assessment.reviewer_unassign(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        return _page(request, application, status=400, error=" ".join(exc.messages))
    messages.success(request, _("The reviewer was removed."))
    return redirect("grants:staff_application", pk=application.pk)


@managed_application
@require_POST
def staff_request_changes(request, pk, application):
    return _act(
        request,
        application,
        perm="grants.request_changes",
        form_class=RequestChangesForm,
        form_name="changes_form",
        action=lambda app, data: assessment.application_request_changes(
            actor=request.user, application=app, note=data["note"]
        ),
        success=_("The applicant was asked for more information."),
    )


@managed_application
@require_POST
def staff_decide(request, pk, application):
    return _act(
        request,
        application,
        perm="grants.decide_application",
        form_class=DecideForm,
        form_name="decide_form",
        action=lambda app, data: assessment.application_decide(
            actor=request.user,
            application=app,
            decision=data["decision"],
            amount=data.get("amount"),
            note=data.get("note") or "",
        ),
        success=_("The decision is recorded and the applicant is told by email."),
    )


@managed_application
@require_POST
def staff_message(request, pk, application):
    return _act(
        request,
        application,
        perm="grants.message_application",
        form_class=MessageForm,
        form_name="message_form",
        action=lambda app, data: app_services.message_post(
            actor=request.user, application=app, body=data["body"]
        ),
        success=_("Your message was sent to the applicant."),
    )
