from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.pages import DASHBOARD
from core.permissions import signed_in


@signed_in
def dashboard(request):
    """My portal; the apps above accounts fill it (accounts.pages.DASHBOARD)."""
    return render(request, "accounts/dashboard.html", DASHBOARD.context(request))


def _remember_language(response, language: str) -> None:
    """The language cookie that LocaleMiddleware and set_language use."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )


@signed_in
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "accounts/profile.html", {"form": form}, status=400)
        user = form.save()
        language = user.preferred_language
        # Confirm in the language just chosen, and show the portal in it from now on.
        with translation.override(language):
            messages.success(request, _("Your profile was saved."))
        response = HttpResponseRedirect(translate_url(request.path, language))
        _remember_language(response, language)
        return response
    return render(request, "accounts/profile.html", {"form": form})
