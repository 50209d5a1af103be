from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from organizations import selectors as org_selectors


@login_required
def dashboard(request):
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": org_selectors.memberships_for_user(user=request.user),
            "invitations": org_selectors.pending_invitations_for_user(user=request.user),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile was saved."))
        # Show the portal in the language just chosen.
        target = translate_url(request.path, user.preferred_language)
        response = HttpResponseRedirect(target)
        translation.activate(user.preferred_language)
        response.set_cookie(
            "django_language", user.preferred_language, samesite="Lax", max_age=365 * 24 * 3600
        )
        return response
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)
