"""Public consultations: the public list (open / closed) and a consultation's page with its
sections, comments and answers (both kept for anonymous visitors in core.page_cache);
commenting on a section and supporting a comment (signed in); and the staff pages: their
list, create / edit, sections, open / close, answering comments and the queue of comments
still unanswered. The report of comments and answers is dialogue.exports (core.reports)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.page_cache import anonymous_cache
from core.permissions import error_text, permission, public, staff_page
from dialogue import selectors
from dialogue.forms import (
    AnswerForm,
    ConsultationCommentForm,
    ConsultationFilterForm,
    ConsultationForm,
    SectionForm,
)
from dialogue.models import ConsultationSection
from dialogue.services import consultations as services
from dialogue.signals import PAGE_TOPICS
from dialogue.workflow import CONSULTATION

PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 30


def _pk(raw) -> int | None:
    return int(raw) if isinstance(raw, int) or (str(raw).isdigit() and len(str(raw)) < 12) else None


def load_consultation(request, pk, **kwargs):
    consultation = selectors.consultation_detail(pk)
    if consultation is None:
        raise Http404(_("There is no such consultation."))
    return consultation


def load_section(request, pk, **kwargs):
    section = ConsultationSection.objects.select_related("consultation").filter(pk=pk).first()
    if section is None:
        raise Http404(_("There is no such section."))
    return section


def load_comment(request, pk, **kwargs):
    comment = selectors.consultation_comment(pk)
    if comment is None:
        raise Http404(_("There is no such comment."))
    return comment


def _refused(request, message: str, status: int = 400):
    """A refusal: the message alone for htmx (shown by the page), else a page with a way back."""
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(request, "errors/400.html", {"message": message}, status=status)


# --- public --------------------------------------------------------------------------------


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*ConsultationFilterForm.base_fields, "page"))
@require_GET
def consultation_list(request):
    form = ConsultationFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    page_obj = Paginator(selectors.public_consultations(state=data.get("state") or ""), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/consultation_list.html",
        {"form": form, "page_obj": page_obj, "consultations": page_obj.object_list},
        status=200 if valid else 400,
    )


def _render_detail(request, consultation, *, bound=None, status=200):
    """The consultation's page; `bound`: (section pk, form) of a comment refused."""
    user = request.user
    sections = selectors.consultation_sections(consultation, user)
    comments = [c for s in sections for c in s.comments.all()]
    may_manage = user.has_perm("dialogue.manage_consultations")
    open_now = consultation.accepting_comments()
    forms = {}
    if open_now and user.is_authenticated:
        for section in sections:
            forms[section.pk] = ConsultationCommentForm(auto_id=f"id_s{section.pk}_%s")
        if bound is not None:
            forms[bound[0]] = bound[1]
    for section in sections:
        section.comment_form = forms.get(section.pk)
    return render(
        request,
        "dialogue/consultation_detail.html",
        {
            "consultation": consultation,
            "sections": sections,
            "comment_total": len(comments),
            "answered_total": sum(1 for c in comments if c.verdict),
            "open_now": open_now,
            "may_manage": may_manage,
            "may_answer": user.has_perm("dialogue.answer_comment"),
            "moves": CONSULTATION.available_moves(user, consultation),
            "history": CONSULTATION.history(consultation) if may_manage else [],
        },
        status=status,
    )


@permission(
    "dialogue.view_consultation", load=load_consultation, pass_as="consultation", login=False, refuse=404
)
@anonymous_cache(topics=PAGE_TOPICS)
@require_GET
def consultation_detail(request, pk, consultation):
    return _render_detail(request, consultation)


@permission("dialogue.comment_on_consultation", load=load_section, pass_as="section", refuse=404)
@require_POST
def comment_create(request, pk, section):
    consultation = section.consultation
    if not request.user.has_perm("dialogue.view_consultation", consultation):
        raise Http404(_("There is no such consultation."))
    form = ConsultationCommentForm(request.POST, auto_id=f"id_s{section.pk}_%s")
    status = 400
    if form.is_valid():
        try:
            comment = services.comment_create(
                section=section, actor=request.user, body=form.cleaned_data["body"]
            )
        except services.TooManyComments as exc:
            add_service_errors(form, exc)
            status = 429
        except ValidationError as exc:
            if getattr(exc, "code", "") == "not_open":
                return _refused(request, error_text(exc))
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your comment is published."))
            return redirect(f"{consultation.get_absolute_url()}#comment-{comment.pk}")
    if not consultation.accepting_comments():
        return _refused(request, _("This consultation is not open for comments."))
    return _render_detail(request, consultation, bound=(section.pk, form), status=status)


@permission("dialogue.support_comment", load=load_comment, pass_as="comment", refuse=404)
@require_POST
def comment_support(request, pk, comment):
    consultation = comment.section.consultation
    if not request.user.has_perm("dialogue.view_consultation", consultation):
        raise Http404(_("There is no such comment."))
    try:
        services.comment_support(comment=comment, actor=request.user)
    except ValidationError as exc:
        return _refused(request, error_text(exc))
    if request.htmx:
        count = comment.supports.count()
        return render(
            request,
            "dialogue/includes/_support_button.html",
            {"comment": comment, "support_count": count, "supported": True, "open_now": True},
        )
    messages.success(request, _("You support this comment."))
    return redirect(f"{consultation.get_absolute_url()}#comment-{comment.pk}")


# --- staff ---------------------------------------------------------------------------------


@staff_page("dialogue.manage_consultations")
@require_GET
def consultation_manage(request):
    page_obj = Paginator(selectors.consultations_for_staff(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/consultation_manage.html",
        {"page_obj": page_obj, "consultations": page_obj.object_list},
    )


@staff_page("dialogue.manage_consultations")
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_create(request):
    if request.method != "POST":
        return render(request, "dialogue/consultation_form.html", {"form": ConsultationForm()})
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            consultation = services.consultation_create(
                actor=request.user,
                data=form.consultation_data(),
                organization=form.cleaned_data.get("organization"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consultation is saved as a draft. Add its sections."))
            return redirect("dialogue:section_create", pk=consultation.pk)
    return render(request, "dialogue/consultation_form.html", {"form": form}, status=400)


@staff_page("dialogue.manage_consultations", load=load_consultation, pass_as="consultation")
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_edit(request, pk, consultation):
    context = {"consultation": consultation}
    if request.method != "POST":
        form = ConsultationForm(instance=consultation)
        return render(request, "dialogue/consultation_form.html", {**context, "form": form})
    form = ConsultationForm(request.POST, instance=consultation)
    if form.is_valid():
        try:
            services.consultation_update(
                consultation=consultation,
                actor=request.user,
                data=form.consultation_data(),
                organization=form.cleaned_data.get("organization"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect(consultation.get_absolute_url())
    consultation.refresh_from_db()
    return render(request, "dialogue/consultation_form.html", {**context, "form": form}, status=400)


@staff_page("dialogue.manage_consultations", load=load_consultation, pass_as="consultation")
@require_POST
def consultation_move(request, pk, consultation):
    target = request.POST.get("target", "")
    try:
        consultation = services.consultation_move(
            consultation=consultation, actor=request.user, target=target
        )
    except ValidationError as exc:
        return _refused(request, error_text(exc))
    messages.success(
        request, _("The consultation is now “%(status)s”.") % {"status": consultation.get_status_display()}
    )
    return redirect(consultation.get_absolute_url())


def _section_form_page(request, consultation, form, section=None, status=200):
    return render(
        request,
        "dialogue/section_form.html",
        {"consultation": consultation, "section": section, "form": form},
        status=status,
    )


@staff_page("dialogue.manage_consultations", load=load_consultation, pass_as="consultation")
@require_http_methods(["GET", "HEAD", "POST"])
def section_create(request, pk, consultation):
    if request.method != "POST":
        form = SectionForm(initial={"position": services.next_position(consultation)})
        return _section_form_page(request, consultation, form)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_create(consultation=consultation, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The section is added."))
            if "another" in request.POST:
                return redirect("dialogue:section_create", pk=consultation.pk)
            return redirect(consultation.get_absolute_url())
    return _section_form_page(request, consultation, form, status=400)


@staff_page("dialogue.manage_consultations", load=load_section, pass_as="section")
@require_http_methods(["GET", "HEAD", "POST"])
def section_edit(request, pk, section):
    consultation = section.consultation
    if request.method != "POST":
        return _section_form_page(request, consultation, SectionForm(instance=section), section)
    if "delete" in request.POST:
        try:
            services.section_delete(section=section, actor=request.user)
        except ValidationError as exc:
            return _refused(request, error_text(exc))
        messages.success(request, _("The section is removed."))
        return redirect(consultation.get_absolute_url())
    form = SectionForm(request.POST, instance=section)
    if form.is_valid():
        try:
            services.section_update(section=section, actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(consultation.get_absolute_url())
    return _section_form_page(request, consultation, form, section, status=400)


@staff_page("dialogue.answer_comment", load=load_comment, pass_as="comment")
@require_http_methods(["GET", "HEAD", "POST"])
def comment_answer(request, pk, comment):
    """Answer a comment, or edit the answer given."""
    context = {"comment": comment, "consultation": comment.section.consultation}
    if request.method != "POST":
        initial = {"verdict": comment.verdict, "reason": comment.reason} if comment.verdict else None
        return render(
            request, "dialogue/comment_answer.html", {**context, "form": AnswerForm(initial=initial)}
        )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.comment_answer(
                comment=comment,
                actor=request.user,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is published under the comment."))
            following = request.POST.get("next", "")
            if following == "queue":
                return redirect("dialogue:answer_queue")
            return redirect(f"{comment.section.consultation.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "dialogue/comment_answer.html", {**context, "form": form}, status=400)


@staff_page("dialogue.answer_comment")
@require_GET
def answer_queue(request):
    consultation = None
    raw = request.GET.get("consultation", "")
    if raw:
        pk = _pk(raw)
        consultation = selectors.consultation_detail(pk) if pk else None
        if consultation is None:
            return _refused(request, _("There is no such consultation."))
    page_obj = Paginator(selectors.unanswered_comments(consultation), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/answer_queue.html",
        {"page_obj": page_obj, "comments": page_obj.object_list, "consultation": consultation},
    )
