"""Commitments: the public tracker (by institution, status and event, overdue marked), a
commitment's page with its moderated comments, recording one (the event's organiser or the
committed organisation's editors), updating it (the committed organisation's editors) and
the moderation queue (staff)."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from core.page_cache import anonymous_cache
from core.permissions import permission, public, staff_page
from dialogue import selectors
from dialogue.choices import CommentStatus
from dialogue.forms import CommentForm, CommitmentFilterForm, CommitmentForm, CommitmentUpdateForm
from dialogue.models import CommitmentComment
from dialogue.services import commitments as commitment_services
from dialogue.signals import PAGE_TOPICS
from dialogue.views._common import load_commitment, load_event, load_public_commitment
from dialogue.workflow import COMMITMENT

PAGE_SIZE = 25


def _measure_choices():
    if not apps.is_installed("transparency"):
        return []
    from transparency.selectors import strategy as strategy_selectors

    return [(m.pk, f"{m.code} — {m.title}") for m in strategy_selectors.public_measures()]


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*CommitmentFilterForm.base_fields, "page"))
@require_GET
def tracker(request):
    form = CommitmentFilterForm(request.GET or None, institutions=selectors.committed_organizations())
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    event = selectors.event_detail(data["event"]) if data.get("event") else None
    commitments = selectors.public_commitments(
        organization=data.get("institution"), status=data.get("status") or "", event=event
    )
    page_obj = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/tracker.html",
        {"form": form, "page_obj": page_obj, "commitments": page_obj.object_list, "event": event},
        status=200 if valid else 400,
    )


def _render_detail(request, commitment, form=None, status=200):
    measure = None
    if commitment.strategy_measure_id and apps.is_installed("transparency"):
        from transparency.selectors import strategy as strategy_selectors

        measure = strategy_selectors.public_measures().filter(pk=commitment.strategy_measure_id).first()
    return render(
        request,
        "dialogue/commitment_detail.html",
        {
            "commitment": commitment,
            "comments": selectors.approved_comments(commitment),
            "history": COMMITMENT.history(commitment),
            "form": form if form is not None else (CommentForm() if request.user.is_authenticated else None),
            "may_update": request.user.has_perm("dialogue.update_commitment", commitment),
            "measure": measure,
        },
        status=status,
    )


@public
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_detail(request, pk):
    commitment = load_public_commitment(request, pk)
    if request.method != "POST":
        return _render_detail(request, commitment)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            commitment_services.comment_create(
                commitment=commitment, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your comment will appear after moderation."))
            return redirect("dialogue:commitment_detail", pk=commitment.pk)
    return _render_detail(request, commitment, form, status=400)


@permission("dialogue.record_commitment", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_create(request, pk, event):
    if request.method != "POST":
        form = CommitmentForm(measures=_measure_choices())
        return render(request, "dialogue/commitment_form.html", {"form": form, "event": event})
    form = CommitmentForm(request.POST, measures=_measure_choices())
    if form.is_valid():
        data = form.cleaned_data
        try:
            commitment = commitment_services.commitment_create(
                event=event,
                organization=data["organization"],
                what=data["what"],
                due_date=data["due_date"],
                indicator=data.get("indicator", ""),
                evidence_links=data.get("evidence_links") or [],
                strategy_measure_id=data.get("strategy_measure_id"),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is recorded."))
            return redirect("dialogue:commitment_detail", pk=commitment.pk)
    return render(request, "dialogue/commitment_form.html", {"form": form, "event": event}, status=400)


def _status_choices(user, commitment):
    current = (commitment.status, commitment.get_status_display())
    return [current, *COMMITMENT.available_moves(user, commitment)]


@permission("dialogue.update_commitment", load=load_commitment, pass_as="commitment", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_update(request, pk, commitment):
    statuses = _status_choices(request.user, commitment)
    if request.method != "POST":
        form = CommitmentUpdateForm(
            initial={
                "what": commitment.what,
                "due_date": commitment.due_date,
                "indicator": commitment.indicator,
                "evidence_links": "\n".join(commitment.evidence_links),
                "strategy_measure_id": commitment.strategy_measure_id,
                "status": commitment.status,
                "progress_note": commitment.progress_note,
            },
            measures=_measure_choices(),
            statuses=statuses,
        )
        return render(request, "dialogue/commitment_update.html", {"form": form, "commitment": commitment})
    form = CommitmentUpdateForm(request.POST, measures=_measure_choices(), statuses=statuses)
    if form.is_valid():
        data = form.cleaned_data
        try:
            commitment_services.commitment_update(
                commitment=commitment,
                actor=request.user,
                status=data["status"],
                what=data["what"],
                due_date=data["due_date"],
                indicator=data.get("indicator", ""),
                progress_note=data.get("progress_note", ""),
                evidence_links=data.get("evidence_links") or [],
                strategy_measure_id=data.get("strategy_measure_id"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is updated."))
            return redirect("dialogue:commitment_detail", pk=commitment.pk)
    return render(
        request, "dialogue/commitment_update.html", {"form": form, "commitment": commitment}, status=400
    )


@staff_page("dialogue.moderate_comments")
@require_http_methods(["GET", "HEAD", "POST"])
def comment_moderation(request):
    if request.method == "POST":
        raw = request.POST.get("comment", "")
        comment = (
            CommitmentComment.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        )
        status = request.POST.get("status", "")
        if comment is None:
            messages.error(request, _("There is no such comment."))
            return redirect("dialogue:comment_moderation")
        try:
            commitment_services.comment_moderate(comment=comment, actor=request.user, status=status)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The comment is published.")
                if status == CommentStatus.APPROVED
                else _("The comment will not be published."),
            )
        return redirect("dialogue:comment_moderation")
    page_obj = Paginator(selectors.pending_comments(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "dialogue/comment_moderation.html", {"page_obj": page_obj, "comments": page_obj.object_list}
    )
