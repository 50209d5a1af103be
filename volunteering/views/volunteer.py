"""A volunteer's pages: the profile, "my matches", applying and withdrawing, "my
volunteering" and the hours of an engagement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.pagination import page_with_total
from core.permissions import permission, signed_in
from volunteering.forms import DisputeForm, FeedbackForm, HoursForm, MessageForm, ProfileForm
from volunteering.selectors import matching
from volunteering.selectors import opportunities as selectors
from volunteering.services import applications, engagements, profiles, saved
from volunteering.services.profiles import profile_for
from volunteering.views.common import (
    load_application,
    load_engagement,
    load_hours,
    load_visible_engagement,
    load_visible_opportunity,
    refused,
)
from volunteering.workflow import ENGAGEMENT, HOURS

PAGE_SIZE = 20
HOURS_PAGE_SIZE = 25


@signed_in
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            profiles.profile_save(
                actor=request.user,
                fields=form.profile_fields(),
                skills=form.cleaned_data["skills"],
                languages=form.languages(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteering:my_matches")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "volunteering/profile_edit.html", {"form": form, "profile": profile}, status=status
    )


@signed_in
def my_matches(request):
    profile = profile_for(request.user)
    if profile is None:
        messages.info(
            request, _("Tell us what you can offer, and we will show the opportunities that fit you.")
        )
        return redirect("volunteering:profile_edit")
    page_obj = matching.opportunities_page(profile, request.GET.get("page"), PAGE_SIZE)
    rows = matching.with_explanations(page_obj.object_list)
    return render(
        request,
        "volunteering/my_matches.html",
        {"profile": profile, "page_obj": page_obj, "rows": rows},
    )


@signed_in
def my_volunteering(request):
    """Two lists, each paged with its own parameter (`page`, `applications_page`)."""
    engagements_page = page_with_total(
        selectors.engagements_of(request.user), request.GET.get("page"), PAGE_SIZE
    )
    applications_page = page_with_total(
        selectors.applications_of(request.user), request.GET.get("applications_page"), PAGE_SIZE
    )
    context = {
        "engagements_page": engagements_page,
        "engagements": engagements_page.object_list,
        "applications_page": applications_page,
        "applications": applications_page.object_list,
    }
    return render(request, "volunteering/my_volunteering.html", context)


@require_POST
@permission("volunteering.apply", load=load_visible_opportunity, pass_as="opportunity")
def apply(request, opportunity, **kwargs):
    form = MessageForm(request.POST)
    if not form.is_valid():
        return refused(
            request, ValidationError(_("The message is too long.")), back_url=opportunity.get_absolute_url()
        )
    try:
        applications.application_submit(
            actor=request.user, opportunity=opportunity, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        return refused(request, error, back_url=opportunity.get_absolute_url())
    messages.success(
        request, _("Your application is sent. The organisation will answer you here and by email.")
    )
    return redirect(opportunity.get_absolute_url())


@require_POST
@permission("volunteering.withdraw_application", load=load_application, pass_as="application", refuse=404)
def withdraw(request, application, **kwargs):
    try:
        applications.application_withdraw(actor=request.user, application=application)
    except ValidationError as error:
        return refused(request, error)
    messages.success(request, _("Withdrawn."))
    return redirect("volunteering:my_volunteering")


@permission("volunteering.view_engagement", load=load_engagement, pass_as="engagement", refuse=404)
def engagement_detail(request, engagement, hours_form=None, status=200, **kwargs):
    page_obj = page_with_total(
        selectors.engagement_hours(engagement), request.GET.get("page"), HOURS_PAGE_SIZE
    )
    entries = page_obj.object_list
    user = request.user
    confirmed = engagements.confirmed_hours(engagement)
    for entry in entries:
        entry.can_confirm = user.has_perm("volunteering.confirm_hours", entry) and HOURS.allows(
            entry.status, "confirmed"
        )
        entry.can_correct = user.has_perm("volunteering.correct_hours", entry) and entry.status == "disputed"
    context = {
        "engagement": engagement,
        "opportunity": engagement.opportunity,
        "entries": entries,
        "page_obj": page_obj,
        "confirmed": confirmed,
        "is_volunteer": engagement.profile.user_id == user.pk,
        "can_log": user.has_perm("volunteering.log_hours", engagement) and engagement.status == "active",
        "hours_form": hours_form or HoursForm(),
        "dispute_form": DisputeForm(),
        "moves": ENGAGEMENT.available_moves(user, engagement),
        "history": ENGAGEMENT.history(engagement),
        "show_contact": user.has_perm("volunteering.view_contact", engagement.application),
        "certificate_ready": engagement.profile.user_id == user.pk and confirmed > 0,
        **_feedback_context(user, engagement),
    }
    return render(request, "volunteering/engagement_detail.html", context, status=status)


@require_POST
@permission("volunteering.log_hours", load=load_visible_engagement, pass_as="engagement")
def hours_log(request, engagement, **kwargs):
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            engagements.hours_log(actor=request.user, engagement=engagement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your hours are logged. The organisation will confirm them."))
            return redirect(engagement.get_absolute_url())
    return engagement_detail.__wrapped__(request, engagement=engagement, hours_form=form, status=400)


@require_POST
@permission("volunteering.correct_hours", load=load_hours, pass_as="entry", refuse=404)
def hours_correct(request, entry, **kwargs):
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            engagements.hours_correct(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The hours are corrected and wait for confirmation again."))
            return redirect(entry.engagement.get_absolute_url())
    return engagement_detail.__wrapped__(request, engagement=entry.engagement, hours_form=form, status=400)


@permission("volunteering.download_certificate", load=load_visible_engagement, pass_as="engagement")
def certificate(request, engagement, **kwargs):
    """The PDF certificate of the confirmed hours, in the volunteer's language."""
    from core import certificates

    try:
        issued = engagements.certificate_issue(actor=request.user, engagement=engagement)
    except ValidationError as error:
        return refused(request, error, back_url=engagement.get_absolute_url())
    response = HttpResponse(certificates.pdf(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.code}.pdf"'
    return response


@require_POST
@permission("volunteering.end_engagement", load=load_visible_engagement, pass_as="engagement")
def engagement_end(request, engagement, **kwargs):
    target = request.POST.get("to")
    if target not in ("completed", "cancelled"):
        return refused(request, ValidationError(_("Choose how the engagement ends.")))
    try:
        engagements.engagement_end(
            actor=request.user,
            engagement=engagement,
            completed=target == "completed",
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as error:
        return refused(request, error, back_url=engagement.get_absolute_url())
    return redirect(engagement.get_absolute_url())


@require_POST
@permission("volunteering.view_opportunity", load=load_visible_opportunity, pass_as="opportunity", refuse=404)
def saved_toggle(request, opportunity, **kwargs):
    """Save or unsave (`saved` = "1" or "0"): the same answer however often it is sent."""
    wanted = request.POST.get("saved")
    if wanted not in ("0", "1"):
        return refused(
            request,
            ValidationError(_("Choose to save or to remove.")),
            back_url=opportunity.get_absolute_url(),
        )
    now_saved = saved.saved_set(actor=request.user, opportunity=opportunity, saved=wanted == "1")
    messages.success(request, _("Saved.") if now_saved else _("Removed from your saved opportunities."))
    return redirect(opportunity.get_absolute_url())


@signed_in
def saved_list(request):
    page_obj = Paginator(selectors.saved_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "volunteering/saved_list.html", {"page_obj": page_obj})


def _feedback_context(user, engagement) -> dict:
    """The feedback of an ended expert request, and the form while the person has not given theirs."""
    if not engagement.opportunity.is_expert_request:
        return {"feedback": [], "feedback_form": None}
    given = list(engagement.feedback.all())
    can_give = (
        engagement.status != "active"
        and user.has_perm("volunteering.give_feedback", engagement)
        and not any(f.author_id == user.pk for f in given)
    )
    return {"feedback": given, "feedback_form": FeedbackForm() if can_give else None}


@require_POST
@permission("volunteering.give_feedback", load=load_visible_engagement, pass_as="engagement", refuse=404)
def feedback_give(request, engagement, **kwargs):
    form = FeedbackForm(request.POST)
    back = engagement.get_absolute_url()
    if not form.is_valid():
        return refused(
            request, ValidationError(_("Choose the outcome and a rating from 1 to 5.")), back_url=back
        )
    try:
        engagements.feedback_give(actor=request.user, engagement=engagement, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, error, back_url=back)
    messages.success(request, _("Thank you for your feedback."))
    return redirect(back)
