from allauth.account.adapter import get_adapter
from allauth.account.utils import get_next_redirect_url
from allauth.mfa.recovery_codes import views as allauth_recovery_views
from allauth.mfa.totp import views as allauth_totp_views
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


# --- setting up the second factor: back to where the person was going -----------------------

SETUP_NEXT_SESSION_KEY = "accounts.mfa_setup_next"


class ActivateTOTPView(allauth_totp_views.ActivateTOTPView):
    """allauth's "activate an authenticator app", which remembers the page the person was
    going to (`?next=`, as `staff_mfa_redirect` sends it) and leads there after the recovery
    codes (allauth's own view forgets it: its form posts without `next`)."""

    def dispatch(self, request, *args, **kwargs):
        next_url = get_next_redirect_url(request)
        if next_url:
            request.session[SETUP_NEXT_SESSION_KEY] = next_url
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        next_url = self.request.session.get(SETUP_NEXT_SESSION_KEY)
        if next_url and not self.did_generate_recovery_codes:
            del self.request.session[SETUP_NEXT_SESSION_KEY]
            return next_url
        return super().get_success_url()


class ViewRecoveryCodesView(allauth_recovery_views.ViewRecoveryCodesView):
    """allauth's recovery codes page, with "Continue" to the page the person was going to
    when they were sent to set up the second factor (ActivateTOTPView)."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        next_url = self.request.session.get(SETUP_NEXT_SESSION_KEY)
        if next_url and get_adapter().is_safe_url(next_url):
            context["continue_url"] = next_url
        return context


activate_totp = signed_in(ActivateTOTPView.as_view())
view_recovery_codes = signed_in(ViewRecoveryCodesView.as_view())
