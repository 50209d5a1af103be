"""An organisation's self-assessment (baseline and follow-up, the change per area) and its
community map (stakeholders on an interest/influence grid, private unless shared), and
their public pages: the aggregate change and a shared map."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy import selectors
from academy.choices import AssessmentKind, StakeholderKind
from academy.forms import AssessmentForm, MapSettingsForm, StakeholderForm
from academy.models import CommunityMap
from academy.services import assessment as assessment_service
from academy.services import mapping
from academy.views.common import error_status, load_organization, refusal
from core.forms import add_service_errors
from core.permissions import permission, public
from organizations.selectors import public_organizations

# --- self-assessment --------------------------------------------------------------------------


@permission(
    "academy.view_organization_assessment", load=load_organization, pass_as="organization", refuse=404
)
@require_GET
def organization_assessment(request, pk, organization):
    done = selectors.assessments_of(organization)
    baseline = done.get(AssessmentKind.BASELINE)
    opens_at = assessment_service.follow_up_opens_at(baseline) if baseline else None
    return render(
        request,
        "academy/assessment.html",
        {
            "organization": organization,
            "baseline": baseline,
            "follow_up": done.get(AssessmentKind.FOLLOW_UP),
            "opens_at": opens_at,
            "follow_up_open": opens_at is not None and timezone.now() >= opens_at,
            "rows": selectors.assessment_change(organization),
            "can_fill": request.user.has_perm("academy.fill_organization_assessment", organization),
        },
    )


def _refuse_early(organization, kind):
    """The reason the form cannot be filled now (409), or None."""
    done = selectors.assessments_of(organization)
    if kind in done:
        return _("This self-assessment was already filled in.")
    if kind == AssessmentKind.FOLLOW_UP:
        baseline = done.get(AssessmentKind.BASELINE)
        if baseline is None:
            return _("Fill in the baseline first.")
        opens = assessment_service.follow_up_opens_at(baseline)
        if timezone.now() < opens:
            return _("The follow-up opens six months after the baseline, on %(date)s.") % {
                "date": formats.date_format(opens, "DATE_FORMAT")
            }
    return None


@permission(
    "academy.fill_organization_assessment",
    load=load_organization,
    pass_as="organization",
    message=gettext_lazy("Only the organisation's owners and editors fill its self-assessment."),
)
@require_http_methods(["GET", "POST"])
def assessment_fill(request, pk, kind, organization):
    if kind not in AssessmentKind.values:
        return render(request, "academy/refused.html", {"reason": _("Choose from the list.")}, status=404)
    reason = _refuse_early(organization, kind)
    if reason:
        return render(
            request,
            "academy/refused.html",
            {"reason": reason, "back": ("academy:organization_assessment", organization.pk)},
            status=409,
        )
    questions = list(assessment_service.active_questions())
    form, status = AssessmentForm(questions=questions), 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                assessment_service.assessment_submit(
                    actor=request.user, organization=organization, kind=kind, answers=form.answers()
                )
            except (ValidationError, PermissionDenied) as exc:
                return refusal(request, exc, back=("academy:organization_assessment", organization.pk))
            messages.success(request, _("The self-assessment was saved."))
            return redirect("academy:organization_assessment", pk=organization.pk)
        status = 400
    return render(
        request,
        "academy/assessment_form.html",
        {"organization": organization, "kind": kind, "kind_label": AssessmentKind(kind).label, "form": form},
        status=status,
    )


@public
@require_GET
def assessment_public(request):
    return render(request, "academy/assessment_public.html", {"aggregate": selectors.assessment_aggregate()})


# --- community mapping ------------------------------------------------------------------------


def _registry():
    return (
        public_organizations().prefetch_related(None).select_related(None).only("pk", "name").order_by("name")
    )


def _map_page(request, organization, *, form=None, settings_form=None, status=200):
    community_map = CommunityMap.objects.filter(organization=organization).first()
    can_edit = request.user.has_perm("academy.edit_community_map", organization)
    if can_edit and form is None:
        form = StakeholderForm(organizations=_registry())
    if can_edit and settings_form is None:
        settings_form = MapSettingsForm(
            initial={"shared": community_map.shared, "locality": community_map.locality}
            if community_map
            else None
        )
    return render(
        request,
        "academy/community_map.html",
        {
            "organization": organization,
            "community_map": community_map,
            "grid": selectors.community_grid(community_map),
            "form": form if can_edit else None,
            "settings_form": settings_form if can_edit else None,
            "kinds": dict(StakeholderKind.choices),
            "public": False,
        },
        status=status,
    )


@permission("academy.view_community_map", load=load_organization, pass_as="organization", refuse=404)
@require_GET
def community_map(request, pk, organization):
    return _map_page(request, organization)


MAP_EDITOR = {
    "load": load_organization,
    "pass_as": "organization",
    "message": gettext_lazy("Only the organisation's owners and editors change its community map."),
}


@permission("academy.edit_community_map", **MAP_EDITOR)
@require_POST
def stakeholder_add(request, pk, organization):
    form = StakeholderForm(request.POST, organizations=_registry())
    if form.is_valid():
        try:
            mapping.stakeholder_add(actor=request.user, organization=organization, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return _map_page(request, organization, form=form, status=error_status(exc))
        messages.success(request, _("The stakeholder was added to the map."))
        return redirect("academy:community_map", pk=organization.pk)
    return _map_page(request, organization, form=form, status=400)


@permission("academy.edit_community_map", **MAP_EDITOR)
@require_POST
def stakeholder_remove(request, pk, organization):
    try:
        mapping.stakeholder_remove(
            actor=request.user, organization=organization, stakeholder_id=request.POST.get("stakeholder")
        )
    except ValidationError as exc:
        return refusal(request, exc, back=("academy:community_map", organization.pk))
    messages.success(request, _("The stakeholder was removed from the map."))
    return redirect("academy:community_map", pk=organization.pk)


@permission("academy.edit_community_map", **MAP_EDITOR)
@require_POST
def map_settings(request, pk, organization):
    form = MapSettingsForm(request.POST)
    if not form.is_valid():
        return _map_page(request, organization, settings_form=form, status=400)
    saved = mapping.map_settings(
        actor=request.user,
        organization=organization,
        shared=form.cleaned_data["shared"],
        locality=form.cleaned_data["locality"],
    )
    messages.success(
        request,
        _("The map is now public.") if saved.shared else _("The map is now private to your organisation."),
    )
    return redirect("academy:community_map", pk=organization.pk)


@public
@require_GET
def shared_map(request, ref):
    """A map its organisation shared, by the organisation's address (slug) or id; else 404."""
    organization = load_organization(request, ref=ref)
    community_map = CommunityMap.objects.filter(organization=organization, shared=True).first()
    if community_map is None:
        return render(
            request,
            "academy/refused.html",
            {"reason": _("This organisation has not shared a community map.")},
            status=404,
        )
    return render(
        request,
        "academy/community_map.html",
        {
            "organization": organization,
            "community_map": community_map,
            "grid": selectors.community_grid(community_map),
            "kinds": dict(StakeholderKind.choices),
            "public": True,
        },
    )
