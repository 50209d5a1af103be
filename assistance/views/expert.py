"""The expert's pages: the inbox (requests assigned to them only), start, answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assistance.forms.expert import AnswerForm
from assistance.selectors import requests as selectors
from assistance.services import requests as services
from assistance.views.common import refused, request_page
from assistance.views.requester import render_detail
from core.forms import add_service_errors
from core.pagination import page_with_total
from core.permissions import permission

PAGE_SIZE = 20


@permission("assistance.expert_inbox")
@require_GET
def inbox(request):
    expert = selectors.expert_of(request.user)
    page = page_with_total(selectors.requests_of_expert(expert=expert), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "assistance/expert_inbox.html",
        {"expert": expert, "page_obj": page, "requests": page.object_list},
    )


@request_page()
@require_POST
def request_start(request, pk, help_request):
    back = reverse("assistance:request_detail", args=[help_request.pk])
    try:
        services.request_start(actor=request.user, request=help_request)
    except ValidationError as exc:
        return refused(request, exc, back_url=back)
    messages.success(request, _("The requester sees that you are working on it."))
    return redirect(back)


@request_page()
@require_POST
def request_answer(request, pk, help_request):
    back = reverse("assistance:request_detail", args=[help_request.pk])
    if not request.user.has_perm("assistance.answer_request", help_request):
        return refused(
            request,
            ValidationError(_("Only the assigned expert answers a request.")),
            back_url=back,
            status=403,
        )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return render_detail(request, help_request, answer_form=form)
    try:
        services.request_answer(actor=request.user, request=help_request, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        if exc.code == "transition_not_allowed":
            return refused(request, exc, back_url=back)
        add_service_errors(form, exc)
        return render_detail(request, help_request, answer_form=form)
    messages.success(request, _("Your answer was sent to the requester."))
    return redirect(back)
