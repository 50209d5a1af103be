"""An organisation's pages: its opportunities, posting and editing one, publishing and
closing, the applicants (members read; editors accept or decline), ranked candidates with
invitations, and confirming or disputing hours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import permission
from organizations.rules import remember_roles
from volunteering.forms import DisputeForm, MessageForm, OpportunityForm
from volunteering.models import VolunteerProfile
from volunteering.selectors import matching
from volunteering.selectors import opportunities as selectors
from volunteering.services import applications, engagements, opportunities
from volunteering.views.common import (
    load_application,
    load_hours,
    load_opportunity,
    load_organization,
    refused,
)
from volunteering.workflow import APPLICATION, OPPORTUNITY

PAGE_SIZE = 20


@permission(
    "volunteering.view_organization_opportunities", load=load_organization, pass_as="organization", refuse=404
)
def organization_opportunities(request, organization, **kwargs):
    page_obj = Paginator(selectors.organization_opportunities(organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "volunteering/organization_opportunities.html",
        {
            "organization": organization,
            "page_obj": page_obj,
            "can_post": request.user.has_perm("volunteering.post_opportunity", organization),
        },
    )


def _opportunity_form(request, *, organization, opportunity=None, saved_message: str):
    """The opportunity's form page, shared by posting a new one (a draft) and editing one."""
    form = OpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kwargs = {
            "actor": request.user,
            "fields": form.opportunity_fields(),
            "must": data["must"],
            "nice": data["nice"],
            "languages": data["languages"],
        }
        try:
            if opportunity is None:
                saved = opportunities.opportunity_create(organization=organization, **kwargs)
            else:
                saved = opportunities.opportunity_update(opportunity=opportunity, **kwargs)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved_message)
            return redirect(saved.get_absolute_url())
    context = {"form": form, "organization": organization}
    if opportunity is not None:
        context["opportunity"] = opportunity
    return render(
        request,
        "volunteering/opportunity_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@permission(
    "volunteering.post_opportunity",
    load=load_organization,
    pass_as="organization",
    message=gettext_lazy("Only editors of a verified organisation can post opportunities."),
)
def opportunity_create(request, organization, **kwargs):
    return _opportunity_form(
        request,
        organization=organization,
        saved_message=_("The opportunity is saved as a draft. Publish it when it is ready."),
    )


@permission("volunteering.edit_opportunity", load=load_opportunity, pass_as="opportunity")
def opportunity_edit(request, opportunity, **kwargs):
    return _opportunity_form(
        request,
        organization=opportunity.organization,
        opportunity=opportunity,
        saved_message=_("The opportunity is saved."),
    )


@require_POST
@permission("volunteering.edit_opportunity", load=load_opportunity, pass_as="opportunity")
def opportunity_move(request, opportunity, **kwargs):
    target = request.POST.get("to")
    try:
        if target == "open":
            opportunities.opportunity_publish(actor=request.user, opportunity=opportunity)
        elif target == "closed":
            opportunities.opportunity_close(actor=request.user, opportunity=opportunity)
        else:
            OPPORTUNITY.check(opportunity.status, target)
    except ValidationError as error:
        return refused(request, error, back_url=opportunity.get_absolute_url())
    return redirect(opportunity.get_absolute_url())


@permission(
    "volunteering.view_applicants",
    load=load_opportunity,
    pass_as="opportunity",
    message=gettext_lazy("Only members of the organisation see its applicants."),
)
def applicants(request, opportunity, **kwargs):
    page_obj = Paginator(selectors.applicants(opportunity), PAGE_SIZE).get_page(request.GET.get("page"))
    remember_roles(request.user, [opportunity.organization_id])
    can_decide = (
        request.user.has_perm("volunteering.decide_application", page_obj.object_list[0])
        if page_obj.object_list
        else False
    )
    rows = []
    for application in page_obj.object_list:
        application.opportunity = opportunity
        rows.append(
            {
                "application": application,
                "profile": application.profile,
                "full": application.profile.visibility == "full",
                "contact": application.status == "accepted",
                "moves": [
                    m
                    for m in APPLICATION.available_moves(request.user, application)
                    if m[0] in ("accepted", "declined")
                ],
            }
        )
    return render(
        request,
        "volunteering/applicants.html",
        {
            "opportunity": opportunity,
            "page_obj": page_obj,
            "rows": rows,
            "can_decide": can_decide,
            "form": MessageForm(),
        },
    )


@require_POST
@permission(
    "volunteering.decide_application",
    load=load_application,
    pass_as="application",
    message=gettext_lazy("Only editors of the organisation accept or decline applications."),
)
def application_decide(request, application, **kwargs):
    target = request.POST.get("to")
    form = MessageForm(request.POST)
    back = application.opportunity.get_absolute_url()
    if target not in ("accepted", "declined") or not form.is_valid():
        return refused(request, ValidationError(_("Choose to accept or decline.")), back_url=back)
    try:
        applications.application_decide(
            actor=request.user,
            application=application,
            accept=target == "accepted",
            response=form.cleaned_data["message"],
        )
    except ValidationError as error:
        return refused(request, error, back_url=back)
    messages.success(request, _("Your answer is sent."))
    return redirect("volunteering:applicants", pk=application.opportunity_id)


@permission(
    "volunteering.invite",
    load=load_opportunity,
    pass_as="opportunity",
    message=gettext_lazy("Only editors of the organisation see and invite candidates."),
)
def candidates(request, opportunity, **kwargs):
    page_obj = matching.people_page(opportunity, request.GET.get("page"), PAGE_SIZE)
    rows = matching.with_explanations(page_obj.object_list)
    invited = set(opportunity.applications.values_list("profile_id", flat=True))
    for row in rows:
        row.already = row.pk in invited
    return render(
        request,
        "volunteering/candidates.html",
        {"opportunity": opportunity, "page_obj": page_obj, "rows": rows, "form": MessageForm()},
    )


@require_POST
@permission("volunteering.invite", load=load_opportunity, pass_as="opportunity")
def invite(request, opportunity, profile_pk, **kwargs):
    profile = get_object_or_404(VolunteerProfile, pk=profile_pk, contact_consent=True)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return refused(request, ValidationError(_("The message is too long.")))
    try:
        applications.application_invite(
            actor=request.user, opportunity=opportunity, profile=profile, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        return refused(request, error, back_url=opportunity.get_absolute_url())
    messages.success(request, _("The invitation is sent."))
    return redirect("volunteering:candidates", pk=opportunity.pk)


@require_POST
@permission("volunteering.confirm_hours", load=load_hours, pass_as="entry")
def hours_confirm(request, entry, **kwargs):
    try:
        engagements.hours_confirm(actor=request.user, entry=entry)
    except ValidationError as error:
        return refused(request, error, back_url=entry.engagement.get_absolute_url())
    messages.success(request, _("The hours are confirmed."))
    return redirect(entry.engagement.get_absolute_url())


@require_POST
@permission("volunteering.confirm_hours", load=load_hours, pass_as="entry")
def hours_dispute(request, entry, **kwargs):
    form = DisputeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason of the dispute."))
        engagements.hours_dispute(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return refused(request, error, back_url=entry.engagement.get_absolute_url())
    messages.success(request, _("The hours are disputed; the volunteer can correct them."))
    return redirect(entry.engagement.get_absolute_url())
