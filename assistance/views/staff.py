"""Staff pages (a passed second factor): the triage list (unassigned, overdue, by category),
assign, decline with a reason, publish an answered request to the knowledge base."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance.forms.staff import AssignForm, DeclineForm, KnowledgeForm, TriageFilterForm
from assistance.models import KnowledgeEntry
from assistance.selectors import figures
from assistance.selectors import requests as selectors
from assistance.services import knowledge as knowledge_services
from assistance.services import requests as services
from assistance.views.common import load_request, refused
from assistance.views.requester import render_detail
from core.forms import add_service_errors
from core.pagination import page_with_total
from core.permissions import staff_page

PAGE_SIZE = 25


def staff_request_page(perm: str):
    return staff_page(perm, load=load_request, pass_as="help_request")


@staff_page("assistance.manage_requests")
@require_GET
def triage(request):
    form = TriageFilterForm(request.GET or None)
    filters = form.filters()
    page = page_with_total(selectors.triage_requests(**filters), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "assistance/staff_triage.html",
        {"form": form, "filters": filters, "page_obj": page, "requests": page.object_list},
    )


@staff_request_page("assistance.assign_request")
@require_POST
def request_assign(request, pk, help_request):
    back = reverse("assistance:request_detail", args=[help_request.pk])
    form = AssignForm(request.POST, experts=selectors.experts_for(category=help_request.category))
    if not form.is_valid():
        return render_detail(request, help_request, assign_form=form)
    try:
        services.request_assign(actor=request.user, request=help_request, expert=form.cleaned_data["expert"])
    except ValidationError as exc:
        if exc.code == "transition_not_allowed":
            return refused(request, exc, back_url=back)
        add_service_errors(form, exc)
        return render_detail(request, help_request, assign_form=form)
    messages.success(request, _("The request was assigned; the expert and the requester were told by email."))
    return redirect(back)


@staff_request_page("assistance.decline_request")
@require_POST
def request_decline(request, pk, help_request):
    back = reverse("assistance:request_detail", args=[help_request.pk])
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render_detail(request, help_request, decline_form=form)
    try:
        services.request_decline(actor=request.user, request=help_request, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return refused(request, exc, back_url=back)
    messages.success(request, _("The request was declined; the requester was told why."))
    return redirect(back)


@staff_request_page("assistance.view_request")
@require_http_methods(["GET", "POST"])
def knowledge_publish(request, pk, help_request):
    """Turn an answered request into an anonymised question and answer in three languages.
    Without the requester's consent (or before the answer) the page refuses with a 400."""
    back = reverse("assistance:request_detail", args=[help_request.pk])
    entry = KnowledgeEntry.objects.filter(source_request=help_request).first()
    if not help_request.consent_to_publish:
        return refused(
            request,
            ValidationError(_("The requester has not agreed to publish this question and answer.")),
            back_url=back,
        )
    if not request.user.has_perm("assistance.publish_knowledge", help_request):
        return refused(
            request,
            ValidationError(_("Only an answered request can go to the knowledge base.")),
            back_url=back,
        )
    if request.method == "POST":
        form = KnowledgeForm(request.POST, instance=entry)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = knowledge_services.knowledge_publish(actor=request.user, request=help_request, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The answer is published in the knowledge base."))
                return redirect("assistance:knowledge_detail", pk=entry.pk)
        status = 400
    else:
        initial = {
            "category": help_request.category,
            "question_sq": help_request.description,
            "answer_sq": help_request.answer,
        }
        form = KnowledgeForm(instance=entry, initial=None if entry else initial)
        status = 200
    return render(
        request,
        "assistance/knowledge_publish.html",
        {"form": form, "help_request": help_request},
        status=status,
    )


@staff_page("assistance.manage_requests")
@require_GET
def figures_page(request):
    """Workload per expert, overdue requests, and monthly figures per category, partner and
    municipality (the last 12 months); the export of the requests."""
    return render(
        request,
        "assistance/staff_figures.html",
        {
            "totals": figures.totals(),
            "experts": figures.expert_workload(),
            "tables": [
                (_("By category"), figures.monthly_table("category")),
                (_("By partner organisation"), figures.monthly_table("partner")),
                (_("By municipality"), figures.monthly_table("municipality")),
            ],
        },
    )
