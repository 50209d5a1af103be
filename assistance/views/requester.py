"""The requester's pages: ask for help, my requests, the request page with its thread (a
message posts with htmx, or as a plain form without JavaScript), files, close with a rating,
consent to publish."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assistance.choices import ANSWERED_STATUSES, THREAD_OPEN_STATUSES, RequestStatus
from assistance.forms.expert import AnswerForm
from assistance.forms.requester import CloseForm, MessageForm, RequestForm
from assistance.forms.staff import AssignForm, DeclineForm
from assistance.models import Attachment, Rating
from assistance.selectors import requests as selectors
from assistance.selectors.targets import is_overdue, working_days_for
from assistance.services import messages as message_services
from assistance.services import requests as services
from assistance.views.common import refused, request_page
from assistance.workflow import REQUEST
from core.forms import add_service_errors
from core.pagination import page_with_total
from core.permissions import permission, signed_in
from core.private_files import file_response
from organizations.selectors import memberships_for_user

PAGE_SIZE = 20


def _organizations(user):
    from organizations.models import Organization

    ids = memberships_for_user(user=user).values_list("organization_id", flat=True)
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name")


@permission("assistance.submit_request")
@require_http_methods(["GET", "POST"])
def request_create(request):
    """ "Ask for help": the question, its category and urgency, and files."""
    organizations = _organizations(request.user)
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, organizations=organizations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                help_request = services.request_submit(
                    actor=request.user,
                    organization=data["organization"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    urgency=data["urgency"],
                    language=data["language"],
                    municipality=data["municipality"],
                    uploads=data["files"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your request %(reference)s was sent. We will tell you by email when an expert takes it."
                    )
                    % {"reference": help_request.reference},
                )
                return redirect("assistance:request_detail", pk=help_request.pk)
        status = 400
    else:
        form = RequestForm(
            organizations=organizations,
            initial={
                "submission_key": uuid.uuid4(),
                "language": _page_language(request),
                "municipality": request.user.municipality_id,
                "organization": organizations.first() if organizations.count() == 1 else None,
            },
        )
        status = 200
    return render(request, "assistance/request_form.html", {"form": form}, status=status)


def _page_language(request) -> str:
    lang = (getattr(request, "LANGUAGE_CODE", "") or "sq").lower()
    return "sr-latn" if lang.startswith("sr") else ("en" if lang.startswith("en") else "sq")


@signed_in
@require_GET
def my_requests(request):
    """The requests of the person and of their organisations, newest first."""
    page = page_with_total(
        selectors.requests_of_requester_side(user=request.user), request.GET.get("page"), PAGE_SIZE
    )
    return render(request, "assistance/my_requests.html", {"page_obj": page, "requests": page.object_list})


def _detail_context(request, help_request, **forms) -> dict:
    user = request.user
    thread = help_request.messages.select_related("author").prefetch_related("attachments")
    files = list(help_request.attachments.filter(message__isnull=True))
    rating = Rating.objects.filter(request=help_request).first()
    may = lambda perm: user.has_perm(perm, help_request)  # noqa: E731
    is_expert_view = may("assistance.answer_request")
    may_assign = help_request.status in (
        RequestStatus.NEW,
        RequestStatus.ASSIGNED,
        RequestStatus.IN_PROGRESS,
    ) and may("assistance.assign_request")
    context = {
        "help_request": help_request,
        "thread": thread,
        "files": files,
        "rating": rating,
        "overdue": is_overdue(help_request),
        "target_days": working_days_for(category=help_request.category, urgency=help_request.urgency),
        "history": REQUEST.history(help_request),
        "may_post": may("assistance.post_message"),
        "may_start": help_request.status == RequestStatus.ASSIGNED and is_expert_view,
        "may_answer": help_request.status in (RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
        and is_expert_view,
        "may_close": help_request.status == RequestStatus.ANSWERED and may("assistance.close_request"),
        "may_rate": help_request.status in ANSWERED_STATUSES
        and rating is None
        and may("assistance.rate_request"),
        "may_consent": may("assistance.give_consent"),
        "may_assign": may_assign,
        "may_decline": REQUEST.allows(help_request.status, RequestStatus.DECLINED)
        and may("assistance.decline_request"),
        "may_publish": may("assistance.publish_knowledge"),
        "thread_open": help_request.status in THREAD_OPEN_STATUSES,
        "message_form": forms.get("message_form") or MessageForm(initial={"submission_key": uuid.uuid4()}),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "close_form": forms.get("close_form")
        or CloseForm(initial={"consent": help_request.consent_to_publish}),
        "decline_form": forms.get("decline_form") or DeclineForm(),
    }
    if may_assign:
        experts = selectors.experts_for(category=help_request.category)
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            experts=experts, initial={"expert": help_request.expert_id}
        )
    return context


@request_page()
@require_GET
@never_cache
def request_detail(request, pk, help_request):
    """A request, its answer, its thread and files: the requester side, the expert, staff."""
    return render(request, "assistance/request_detail.html", _detail_context(request, help_request))


def render_detail(request, help_request, *, status=400, **forms):
    return render(
        request,
        "assistance/request_detail.html",
        _detail_context(request, help_request, **forms),
        status=status,
    )


@request_page("assistance.view_request")
@require_POST
def message_post(request, pk, help_request):
    """Post a message to the thread; with htmx the answer is the thread (and the emptied form)."""
    htmx = bool(getattr(request, "htmx", False))
    if not request.user.has_perm("assistance.post_message", help_request):
        return refused(
            request,
            ValidationError(_("This conversation is closed.")),
            back_url=reverse("assistance:request_detail", args=[help_request.pk]),
            status=403,
        )
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message_services.message_post(
                actor=request.user,
                request=help_request,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["files"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if htmx:
                context = _detail_context(request, help_request)
                return render(request, "assistance/includes/_thread.html", context)
            messages.success(request, _("Your message was sent."))
            return redirect(reverse("assistance:request_detail", args=[help_request.pk]) + "#thread")
    if htmx:
        context = _detail_context(request, help_request, message_form=form)
        return render(request, "assistance/includes/_thread.html", context, status=400)
    return render_detail(request, help_request, message_form=form)


@request_page()
@require_GET
@never_cache
def attachment_download(request, pk, att_pk, help_request):
    """A private file of a request, to whoever may see the request (else 404)."""
    attachment = get_object_or_404(Attachment, pk=att_pk, request=help_request)
    return file_response(attachment.file, filename=attachment.original_name, file_type=attachment.file_type)


@request_page()
@require_POST
def request_close(request, pk, help_request):
    """Close an answered request: the requester rates it (1-5, solved) and may consent to
    publication; staff close without a rating. Rating twice or before the answer is a 400."""
    back = reverse("assistance:request_detail", args=[help_request.pk])
    user = request.user
    rating_exists = Rating.objects.filter(request=help_request).exists()
    is_requester = user.has_perm("assistance.rate_request", help_request)
    if help_request.status == RequestStatus.CLOSED and is_requester:
        # Closed by staff without a rating: the requester may still rate it, once.
        return _rate_only(request, help_request, back)
    if not user.has_perm("assistance.close_request", help_request):
        return refused(
            request, ValidationError(_("You do not have permission to do this.")), back_url=back, status=403
        )
    if help_request.status != RequestStatus.ANSWERED:
        message = (
            _("You can rate the help only once the request is answered.")
            if help_request.status not in ANSWERED_STATUSES
            else _("This request is already closed.")
        )
        return refused(request, ValidationError(message), back_url=back)
    if is_requester and not rating_exists:
        form = CloseForm(request.POST)
        if not form.is_valid():
            return render_detail(request, help_request, close_form=form)
        data = form.cleaned_data
        try:
            services.request_close(
                actor=user,
                request=help_request,
                score=data["score"],
                solved=data["solved"],
                comment=data["comment"],
            )
            if data["consent"] and not help_request.consent_to_publish:
                services.consent_set(actor=user, request=help_request, consent=True)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return render_detail(request, help_request, close_form=form)
    else:
        try:
            services.request_close(actor=user, request=help_request)
        except ValidationError as exc:
            return refused(request, exc, back_url=back)
    messages.success(request, _("The request is closed. Thank you!"))
    return redirect(back)


def _rate_only(request, help_request, back):
    if Rating.objects.filter(request=help_request).exists():
        return refused(request, ValidationError(_("This request has already been rated.")), back_url=back)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return render_detail(request, help_request, close_form=form)
    data = form.cleaned_data
    try:
        services.request_rate(
            actor=request.user,
            request=help_request,
            score=data["score"],
            solved=data["solved"],
            comment=data["comment"],
        )
    except ValidationError as exc:
        return refused(request, exc, back_url=back)
    messages.success(request, _("Thank you for your rating."))
    return redirect(back)


@request_page()
@require_POST
def consent(request, pk, help_request):
    """The requester side gives or withdraws consent to an anonymised knowledge-base entry."""
    back = reverse("assistance:request_detail", args=[help_request.pk])
    if not request.user.has_perm("assistance.give_consent", help_request):
        return refused(
            request, ValidationError(_("You do not have permission to do this.")), back_url=back, status=403
        )
    given = request.POST.get("consent") == "yes"
    services.consent_set(actor=request.user, request=help_request, consent=given)
    messages.success(
        request,
        _("Thank you: KCSF may publish an anonymised version.")
        if given
        else _("Consent withdrawn: nothing will be published."),
    )
    return redirect(back)
