"""The applicant's pages: my applications, the application's page (public status, what
happens next, the decision, the timeline, revisions, the message thread), withdrawing,
and a revision with its comparison to another.

Refusals: an application the person may not see is a 404 (never revealing that it
exists); a move its status does not allow, or a service's ValidationError, is a 400 page
with the reason; a missing permission on an application they may see is a 403. Staff
who look at an application as staff pass the second factor first, as on staff pages.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.permissions import require as _require
from core.permissions import second_factor_redirect, signed_in
from grants import selectors, workflow
from grants.choices import (
    EDITABLE_STATUSES,
    PUBLIC_LABELS,
    WITHDRAWABLE_STATUSES,
    ApplicantType,
    ApplicationStatus,
    AssignmentStatus,
)
from grants.models import Application, ReviewAssignment, Revision
from grants.revisions import diff_snapshots, with_highlights, without_contacts
from grants.rules import is_applicant_reader
from grants.services import applications as services
from organizations.rules import remember_roles

S = ApplicationStatus
PAGE_SIZE = 20
DEADLINE_WARNING = timedelta(days=3)
MESSAGE_MAX = 5000
REASON_MAX = 5000

# What happens next, as the applicant's side reads it under the public status.
NEXT_STEPS = {
    S.DRAFT: gettext_lazy(
        "This application is not submitted yet. Complete it and submit it before the deadline; "
        "until then only you can see it."
    ),
    S.SUBMITTED: gettext_lazy(
        "We received your application. KCSF first checks that it meets the eligibility rules of the "
        "call; eligible applications are then assessed by independent reviewers. We will write to you "
        "when there is news."
    ),
    S.UNDER_REVIEW: gettext_lazy(
        "Your application is eligible and is being assessed by independent reviewers. KCSF decides "
        "after the assessment and will email you the decision."
    ),
    S.CHANGES_REQUESTED: gettext_lazy(
        "KCSF needs more information or changes before it can continue (see the request below). "
        "Edit the application and submit it again; the assessment continues once you do."
    ),
    S.INVITED: gettext_lazy(
        "Your concept note was selected. Prepare the full proposal and submit it before the deadline."
    ),
    S.INELIGIBLE: gettext_lazy(
        "The application does not meet the eligibility rules of the call, so it was not assessed. "
        "The reason is below; you may write to KCSF if something is unclear."
    ),
    S.APPROVED: gettext_lazy(
        "Congratulations: the application was approved. The grant page holds the agreement, the "
        "payments and the reports you will send."
    ),
    S.REJECTED: gettext_lazy(
        "The application was not selected for funding this time. The reason is below; you are welcome "
        "to apply to future calls."
    ),
    S.WITHDRAWN: gettext_lazy("The application was withdrawn and will not be assessed."),
}

INTERNAL_LABELS = dict(S.choices)

# The applicant's side sees the note of these moves (the request, the reasons, the
# conditions); the other notes are KCSF's own.
PUBLIC_NOTE_STATUSES = (S.CHANGES_REQUESTED, S.INELIGIBLE, S.REJECTED, S.APPROVED, S.INVITED, S.WITHDRAWN)


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _application(pk) -> Application:
    return get_object_or_404(
        Application.objects.select_related("call", "organization", "applicant", "municipality"), pk=pk
    )


def _is_reviewer(user, application) -> bool:
    return (
        ReviewAssignment.objects.filter(application=application, reviewer=user)
        .exclude(status=AssignmentStatus.CONFLICTED)
        .exists()
    )


def _as_staff(user, application) -> bool:
    """Looks at the application as KCSF (internal labels, who did what), not as the applicant."""
    return user.has_perm("grants.decide_application", application) and not is_applicant_reader(
        user, application
    )


def _private_application(request, pk):
    """(application, None) for who may see the applicant's side; (None, redirect) for an
    assigned reviewer (to their review page) or staff who still owe the second factor;
    404 for everyone else."""
    application = _application(pk)
    user = request.user
    if not user.has_perm("grants.view_application_private", application):
        if _is_reviewer(user, application):
            return None, redirect("grants:review", pk=application.pk)
        raise Http404
    if _as_staff(user, application):
        response = second_factor_redirect(request)
        if response is not None:
            return None, response
    return application, None


# --- my applications ------------------------------------------------------------------------


def _next_action(application, *, acts: bool) -> tuple[str, str] | None:
    """(label, url) of what the applicant's side does next with this row."""
    status = application.status
    detail = reverse("grants:application_detail", kwargs={"pk": application.pk})
    if status in EDITABLE_STATUSES and acts:
        edit = reverse("grants:application_edit", kwargs={"pk": application.pk})
        if status == S.CHANGES_REQUESTED:
            return _("Respond to the request"), edit
        if status == S.INVITED:
            return _("Prepare the full proposal"), edit
        return _("Continue the draft"), edit
    if status == S.APPROVED:
        grant = getattr(application, "grant", None)
        if grant is not None:
            return _("Grant page"), reverse("grants:grant_detail", kwargs={"pk": grant.pk})
    if status in (S.REJECTED, S.INELIGIBLE, S.APPROVED):
        return _("See the decision"), f"{detail}#decision"
    return _("View"), detail


@signed_in
@require_http_methods(["GET", "HEAD"])
def my_applications(request):
    """Every application the person started or that an organisation of theirs made."""
    user = request.user
    page_obj = Paginator(selectors.applications_for_applicant(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The rule (grants.is_applicant), with the roles read once: no query per row.
    remember_roles(user, [application.organization_id for application in page_obj.object_list])
    now = timezone.now()
    rows = []
    for application in page_obj.object_list:
        acts = user.has_perm("grants.submit_application", application)
        deadline = application.deadline if application.status in (S.DRAFT, S.INVITED) else None
        label, url = _next_action(application, acts=acts)
        rows.append(
            {
                "application": application,
                "deadline": deadline,
                "deadline_passed": deadline is not None and deadline <= now,
                "deadline_soon": deadline is not None and now < deadline <= now + DEADLINE_WARNING,
                "action_label": label,
                "action_url": url,
                "action_primary": acts and application.status in EDITABLE_STATUSES,
            }
        )
    return render(
        request,
        "grants/my_applications.html",
        {"page_obj": page_obj, "rows": rows},
    )


# --- the application's page -----------------------------------------------------------------


def _timeline(application, *, staff: bool) -> list[dict]:
    entries = []
    for change in application.status_changes.select_related("actor").order_by("created_at", "pk"):
        labels = INTERNAL_LABELS if staff else PUBLIC_LABELS
        from_label = str(labels.get(change.from_status, change.from_status)) if change.from_status else ""
        to_label = str(labels.get(change.to_status, change.to_status))
        show_note = staff or change.to_status in PUBLIC_NOTE_STATUSES
        entries.append(
            {
                "when": change.created_at,
                "from_label": from_label,
                "to_label": to_label,
                "to_status": change.to_status,
                "colour": workflow.APPLICATION.colour(change.to_status),
                "note": services.note_for_reader(change.note) if show_note else "",
                "actor": (change.actor.get_full_name() if change.actor else _("(removed account)"))
                if staff
                else "",
            }
        )
    return entries


def _decision(application) -> dict | None:
    status = application.status
    if status == S.APPROVED:
        grant = getattr(application, "grant", None)
        return {
            "kind": "approved",
            "amount": grant.amount if grant else None,
            "conditions": (grant.conditions if grant else "") or application.decision_note,
            "grant": grant,
            "when": application.decided_at,
        }
    if status == S.REJECTED:
        return {"kind": "rejected", "reason": application.decision_note, "when": application.decided_at}
    if status == S.INELIGIBLE:
        return {
            "kind": "ineligible",
            "reason": application.eligibility_reason or application.decision_note,
            "when": application.decided_at,
        }
    return None


def _latest_note(application, status: str) -> str:
    change = application.status_changes.filter(to_status=status).order_by("-created_at", "-pk").first()
    return change.note if change else ""


def _detail_context(request, application, *, message_body: str = "", message_errors=None) -> dict:
    user = request.user
    staff = _as_staff(user, application)
    buttons = []
    moves = dict(workflow.APPLICATION.available_moves(user, application))
    can_edit = user.has_perm("grants.edit_application", application)
    if can_edit:
        label = _("Respond to the request") if application.status == S.CHANGES_REQUESTED else _("Edit")
        buttons.append(
            {
                "label": label,
                "url": reverse("grants:application_edit", kwargs={"pk": application.pk}),
                "primary": True,
            }
        )
    if S.SUBMITTED in moves:
        try:
            preview = reverse("grants:application_preview", kwargs={"pk": application.pk})
        except NoReverseMatch:  # the editor's preview page, until that part ships it
            preview = reverse("grants:application_edit", kwargs={"pk": application.pk})
        buttons.append({"label": _("Preview and submit"), "url": preview, "primary": not can_edit})
    can_withdraw = S.WITHDRAWN in moves and application.status in WITHDRAWABLE_STATUSES
    revisions = list(application.revisions.order_by("number").only("pk", "number", "stage", "created_at"))
    thread = list(application.messages.select_related("author").order_by("created_at", "pk"))
    deadline = application.deadline if application.status in (S.DRAFT, S.INVITED) else None
    now = timezone.now()
    return {
        "application": application,
        "call": application.call,
        "staff_view": staff,
        "public_label": application.public_status_label,
        "next_step": NEXT_STEPS.get(application.status, ""),
        "request_note": _latest_note(application, S.CHANGES_REQUESTED)
        if application.status == S.CHANGES_REQUESTED
        else "",
        "invite_note": application.decision_note if application.status == S.INVITED else "",
        "withdraw_note": _latest_note(application, S.WITHDRAWN) if application.status == S.WITHDRAWN else "",
        "deadline": deadline,
        "deadline_passed": deadline is not None and deadline <= now,
        "deadline_soon": deadline is not None and now < deadline <= now + DEADLINE_WARNING,
        "decision": _decision(application),
        "timeline": _timeline(application, staff=staff),
        "revisions": revisions,
        "thread": thread,
        "can_message": user.has_perm("grants.message_application", application),
        "thread_open": application.status != S.DRAFT,
        "message_body": message_body,
        "message_errors": message_errors or [],
        "message_max": MESSAGE_MAX,
        "buttons": buttons,
        "can_withdraw": can_withdraw,
        "is_group": application.applicant_type == ApplicantType.GROUP,
    }


@signed_in
@require_http_methods(["GET", "HEAD"])
def application_detail(request, pk):
    application, response = _private_application(request, pk)
    if response is not None:
        return response
    return render(request, "grants/application_detail.html", _detail_context(request, application))


@signed_in
@require_POST
def message_post(request, pk):
    application, response = _private_application(request, pk)
    if response is not None:
        return response
    _require(request.user, "grants.message_application", application)
    body = str(request.POST.get("body", ""))
    try:
        services.message_post(actor=request.user, application=application, body=body)
    except ValidationError as exc:
        context = _detail_context(
            request, application, message_body=body[: MESSAGE_MAX * 2], message_errors=_errors(exc)
        )
        return render(request, "grants/application_detail.html", context, status=400)
    messages.success(request, _("Your message was sent."))
    return redirect(f"{reverse('grants:application_detail', kwargs={'pk': application.pk})}#messages")


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request, pk):
    """GET: the confirmation (with an optional reason); POST: withdraw."""
    application, response = _private_application(request, pk)
    if response is not None:
        return response
    _require(request.user, "grants.withdraw_application", application)
    context = {"application": application, "call": application.call, "reason": "", "errors": []}
    if application.status not in WITHDRAWABLE_STATUSES:
        context["errors"] = [
            _("This application is “%(status)s”: it can no longer be withdrawn.")
            % {"status": application.public_status_label}
        ]
        return render(request, "grants/application_withdraw.html", context, status=400)
    if request.method == "POST":
        reason = str(request.POST.get("reason", "")).strip()
        if len(reason) > REASON_MAX:
            context.update(
                reason=reason[: REASON_MAX * 2],
                errors=[_("Keep the reason under %(n)s characters.") % {"n": f"{REASON_MAX:,}"}],
                can_confirm=True,
            )
            return render(request, "grants/application_withdraw.html", context, status=400)
        try:
            services.application_withdraw(actor=request.user, application=application, reason=reason)
        except ValidationError as exc:
            context.update(reason=reason, errors=_errors(exc))
            return render(request, "grants/application_withdraw.html", context, status=400)
        messages.success(request, _("The application was withdrawn."))
        return redirect("grants:application_detail", pk=application.pk)
    context["can_confirm"] = True
    return render(request, "grants/application_withdraw.html", context)


# --- revisions ------------------------------------------------------------------------------


def _readable_application(request, pk):
    """(application, None) for the applicant's side, staff and cleared reviewers; else 404
    (or the second-factor redirect for staff)."""
    application = _application(pk)
    user = request.user
    if not user.has_perm("grants.view_application", application):
        raise Http404
    if _as_staff(user, application):
        response = second_factor_redirect(request)
        if response is not None:
            return None, response
    return application, None


def _revision(application, number) -> Revision:
    return get_object_or_404(Revision, application=application, number=number)


def _revision_numbers(application) -> list[int]:
    return list(application.revisions.order_by("number").values_list("number", flat=True))


@signed_in
@require_http_methods(["GET", "HEAD"])
def revision_detail(request, pk, number):
    application, response = _readable_application(request, pk)
    if response is not None:
        return response
    revision = _revision(application, number)
    numbers = _revision_numbers(application)
    earlier = [n for n in numbers if n < revision.number]
    private = request.user.has_perm("grants.view_application_private", application)
    return render(
        request,
        "grants/revision_detail.html",
        {
            "application": application,
            "call": application.call,
            "revision": revision,
            "snapshot": revision.snapshot if isinstance(revision.snapshot, dict) else {},
            "numbers": numbers,
            "previous": earlier[-1] if earlier else None,
            "private": private,
            "hide_contacts": not private,  # reviewers do not see the group's email addresses
            "staff_view": _as_staff(request.user, application),
        },
    )


@signed_in
@require_http_methods(["GET", "HEAD"])
def revision_compare(request, pk, number):
    application, response = _readable_application(request, pk)
    if response is not None:
        return response
    revision = _revision(application, number)
    numbers = _revision_numbers(application)
    context = {
        "application": application,
        "call": application.call,
        "revision": revision,
        "numbers": numbers,
        "other": None,
        "changes": [],
        "errors": [],
        "private": request.user.has_perm("grants.view_application_private", application),
        "staff_view": _as_staff(request.user, application),
    }
    raw = request.GET.get("with")
    if raw in (None, ""):
        earlier = [n for n in numbers if n < revision.number]
        if not earlier:
            return render(request, "grants/revision_compare.html", context)
        other_number = earlier[-1]
    else:
        try:
            other_number = int(raw)
            if not 0 < other_number < 32768:
                raise ValueError
        except (TypeError, ValueError):
            context["errors"] = [_("Choose the number of another revision of this application.")]
            return render(request, "grants/revision_compare.html", context, status=400)
    other = _revision(application, other_number)
    old, new = (other, revision) if other.number <= revision.number else (revision, other)
    old_data, new_data = old.snapshot, new.snapshot
    if not request.user.has_perm("grants.view_application_private", application):
        old_data, new_data = without_contacts(old_data), without_contacts(new_data)  # a reviewer
    changes = with_highlights(diff_snapshots(old_data, new_data))
    context.update({"other": other, "old": old, "new": new, "changes": changes})
    return render(request, "grants/revision_compare.html", context)
