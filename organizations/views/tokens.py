"""API token pages for organisation owners (and staff): list, create, revoke.

The plain key is shown once, in the response to the POST that created it; it is never
stored (only its SHA-256 digest) nor put in the session, and that response is not cached.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from core.permissions import permission
from organizations import services
from organizations.models import ApiToken, Organization


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Say which system uses it, e.g. “Donations importer”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        initial=[ApiToken.Scope.READ],
        help_text=gettext_lazy("“Read public data” is always included."),
    )


def load_organization(request, slug, **kwargs) -> Organization:
    return get_object_or_404(Organization, slug=slug, is_active=True)


manage_api_tokens = permission(
    "organizations.manage_api_tokens",
    load=load_organization,
    pass_as="organization",
    message=gettext_lazy("Only the organisation's owners can manage its API tokens."),
)


@never_cache
@manage_api_tokens
@require_http_methods(["GET", "POST"])
def token_list(request, slug, organization):
    created_token, created_key = None, None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created_token, created_key = services.api_token_create(
                actor=request.user,
                organization=organization,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    tokens = organization.api_tokens.select_related("created_by").order_by("-created_at", "-pk")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "organizations/api_tokens.html",
        {
            "organization": organization,
            "tokens": tokens,
            "form": form,
            "created_token": created_token,
            "created_key": created_key,
        },
        status=status,
    )


@manage_api_tokens
@require_POST
def token_revoke(request, slug, pk, organization):
    token = get_object_or_404(ApiToken, pk=pk, organization=organization)
    if token.is_active:
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(
            request,
            _("The token “%(name)s” is revoked; requests with it are now refused.") % {"name": token.name},
        )
    else:
        messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
    return redirect("organizations:api_tokens", slug=organization.slug)
