"""Pages of the organisation registry: public directory and profiles, registration, the
members' management page and invitations. Views parse input, check permission with
`rules`, call a service or selector and render; services check permission again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import fragments, page_cache
from core.forms import add_service_errors
from core.page_cache import EVERYTHING, anonymous_cache
from core.pagination import KnownCountPaginator
from core.permissions import error_text, permission, public, require, signed_in
from organizations import selectors, services
from organizations.filters import OrganizationFilter
from organizations.forms import InvitationForm, OrganizationForm
from organizations.models import Invitation, Membership, Organization

DIRECTORY_PAGE_SIZE = 20

# How a refused invitation answers: gone for good (410) or the wrong account (400).
INVITATION_GONE_CODES = {"expired", "used", "revoked"}


def _active_organization(slug: str) -> Organization:
    return get_object_or_404(
        Organization.objects.filter(is_active=True).select_related("municipality"), slug=slug
    )


def load_organization(request, slug, **kwargs) -> Organization:
    """The active organisation of the URL (404 otherwise), for the permission declarations."""
    return _active_organization(slug)


# --- Public pages -----------------------------------------------------------------------


def _directory_page(request, filterset) -> tuple:
    """The page of the directory asked for and its cards, rendered. The cards are the same for
    everyone who looks (they are rendered without the reader), so they and the number of
    matches are kept in the cache per language and filters (core.fragments) under the topics
    of the visitors' copy of the page: a change shows at the next request. Searches are built
    every time (any text would be a new variant to keep), as are odd query strings."""
    number = request.GET.get("page")
    query = (
        None
        if request.GET.get("q")
        else fragments.query_key(
            request.GET, (*OrganizationFilter.base_filters, "page"), max_page=fragments.UNBOUNDED
        )
    )

    def build() -> dict:
        page_obj = Paginator(filterset.qs, DIRECTORY_PAGE_SIZE).get_page(number)
        organizations = list(page_obj.object_list)
        cards = (
            render_to_string("organizations/includes/_directory_cards.html", {"organizations": organizations})
            if organizations
            else ""
        )
        return {"count": page_obj.paginator.count, "cards": cards}

    if query is None:
        content = build()
    else:
        content = fragments.cached(
            "organizations.directory",
            [translation.get_language(), query],
            topics=EVERYTHING,
            build=build,
            timeout=page_cache.timeout_seconds(),
        )
    paginator = KnownCountPaginator(filterset.qs, DIRECTORY_PAGE_SIZE, known_count=content["count"])
    return paginator.get_page(number), content["cards"]


@public
@anonymous_cache(topics=EVERYTHING, query=(*OrganizationFilter.base_filters, "page"), search=("q",))
@require_http_methods(["GET", "HEAD"])
def directory(request):
    filterset = OrganizationFilter(request.GET or None)
    valid = filterset.is_valid() if filterset.is_bound else True
    page_obj, cards = (_directory_page(request, filterset)) if valid else (None, "")
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        "cards": mark_safe(cards),
        "organizations": page_obj.object_list if page_obj is not None else [],
        "filtered": filterset.is_bound and any(request.GET.get(name) for name in filterset.filters),
        "can_export": request.user.has_perm("organizations.export_directory"),
    }
    return render(request, "organizations/organization_directory.html", context, status=200 if valid else 400)


@public
@anonymous_cache(topics=EVERYTHING)
@require_http_methods(["GET", "HEAD"])
def organization_detail(request, slug):
    organization = get_object_or_404(selectors.public_organizations(), slug=slug)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "can_manage": request.user.has_perm("organizations.view_organization_private", organization),
        },
    )


# --- Registration -----------------------------------------------------------------------


@permission("organizations.create_organization")
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, sectors = form.service_data()
        try:
            organization = services.organization_create(actor=request.user, data=data, sectors=sectors)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered. KCSF staff will verify it soon.") % {"name": organization.name},
            )
            return redirect("organizations:manage", slug=organization.slug)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- Members' page ----------------------------------------------------------------------


def _manage_context(request, organization, *, profile_form=None, invite_form=None) -> dict:
    user = request.user
    can_change = user.has_perm("organizations.change_organization", organization)
    can_manage_members = user.has_perm("organizations.manage_members", organization)
    members = list(selectors.members_of(organization=organization))
    if can_change and profile_form is None:
        profile_form = OrganizationForm(instance=Organization.objects.get(pk=organization.pk))
    if can_manage_members and invite_form is None:
        invite_form = InvitationForm()
    invitations = []
    if can_manage_members:
        invitations = organization.invitations.filter(status=Invitation.Status.PENDING).select_related(
            "invited_by"
        )
    return {
        "organization": organization,
        "members": members,
        "my_membership": next((m for m in members if m.user_id == user.pk), None),
        "can_change": can_change,
        "can_manage_members": can_manage_members,
        "can_manage_tokens": user.has_perm("organizations.manage_api_tokens", organization),
        "profile_form": profile_form if can_change else None,
        "invite_form": invite_form if can_manage_members else None,
        "invitations": invitations,
        "role_choices": Membership.Role.choices,
    }


def _render_manage(request, organization, *, status=200, **forms):
    return render(
        request,
        "organizations/organization_manage.html",
        _manage_context(request, organization, **forms),
        status=status,
    )


@permission("organizations.view_organization_private", load=load_organization, pass_as="organization")
@require_http_methods(["GET", "POST"])
def organization_manage(request, slug, organization):
    """Members see the profile and member list; editors edit the profile (POST here);
    owners also manage members, invitations and API tokens (separate POST endpoints)."""
    if request.method != "POST":
        return _render_manage(request, organization)

    require(request.user, "organizations.change_organization", organization)
    form = OrganizationForm(
        request.POST, request.FILES, instance=Organization.objects.get(pk=organization.pk)
    )
    if form.is_valid():
        data, sectors = form.service_data()
        try:
            organization = services.organization_update(
                actor=request.user, organization=organization, data=data, sectors=sectors
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("organizations:manage", slug=organization.slug)
    messages.error(request, _("The profile was not saved. Please correct the errors below."))
    return _render_manage(request, organization, profile_form=form, status=400)


def _member_action(request, organization, action, success_message):
    """Run a service for the members' page: success → redirect with a message; a refusal
    of the service → the page again with the reason and status 400."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_manage(request, organization, status=400)
    messages.success(request, success_message)
    return redirect("organizations:manage", slug=organization.slug)


@permission("organizations.manage_members", load=load_organization, pass_as="organization")
@require_POST
def invite(request, slug, organization):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
            return redirect("organizations:manage", slug=organization.slug)
    messages.error(request, _("The invitation was not sent. Please correct the errors below."))
    return _render_manage(request, organization, invite_form=form, status=400)


@permission("organizations.manage_members", load=load_organization, pass_as="organization")
@require_POST
def member_role(request, slug, pk, organization):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organization"), pk=pk, organization=organization
    )
    role = request.POST.get("role", "")
    return _member_action(
        request,
        organization,
        lambda: services.membership_change_role(actor=request.user, membership=membership, role=role),
        _("The role of %(person)s is now: %(role)s.")
        % {"person": membership.user, "role": dict(Membership.Role.choices).get(role, role)},
    )


@permission("organizations.view_organization_private", load=load_organization, pass_as="organization")
@require_POST
def member_remove(request, slug, pk, organization):
    """Owners remove members; any member may leave (remove their own membership)."""
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organization"), pk=pk, organization=organization
    )
    leaving = membership.user_id == request.user.pk
    if not leaving:
        require(request.user, "organizations.manage_members", organization)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return _render_manage(request, organization, status=400)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": organization.name})
        return redirect(organization.get_absolute_url())
    messages.success(
        request,
        _("%(person)s is no longer a member of %(name)s.")
        % {"person": membership.user, "name": organization.name},
    )
    return redirect("organizations:manage", slug=organization.slug)


@permission("organizations.manage_members", load=load_organization, pass_as="organization")
@require_POST
def invitation_revoke(request, slug, pk, organization):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization"), pk=pk, organization=organization
    )
    return _member_action(
        request,
        organization,
        lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
        _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
    )


# --- Invitations ------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"),
        token=token,
        organization__is_active=True,
    )
    problem, status, confirm_email = None, 200, False
    if request.method == "POST":
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            if exc.code == "not_found":  # deleted since the page was loaded
                raise Http404(error_text(exc)) from None
            problem = error_text(exc)
            status = 410 if exc.code in INVITATION_GONE_CODES else 400
            confirm_email = exc.code == "unverified"
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(name)s.") % {"name": membership.organization.name},
            )
            return redirect("organizations:manage", slug=membership.organization.slug)
    elif invitation.status == Invitation.Status.ACCEPTED:
        problem, status = _("This invitation has already been used."), 410
    elif invitation.status == Invitation.Status.REVOKED:
        problem, status = _("This invitation was withdrawn."), 410
    elif invitation.is_expired:
        problem, status = _("This invitation has expired. Ask the organisation for a new one."), 410
    return render(
        request,
        "organizations/invitation_accept.html",
        {
            "invitation": invitation,
            "organization": invitation.organization,
            "problem": problem,
            "confirm_email": confirm_email,
        },
        status=status,
    )
