"""Staff reach the admin only after two-factor authentication (allauth MFA, TOTP)."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.permissions import bind_session, second_factor_redirect, staff_powers_withheld


def session_passed_mfa(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def staff_mfa_satisfied(request) -> bool:
    """The one place that decides whether a staff member's session may use staff powers:
    TOTP is set up and this session passed the second factor. (The test suite patches
    this function for tests not marked `real_mfa`.)"""
    return is_mfa_enabled(request.user) and session_passed_mfa(request)


def session_may_use_staff_powers(request) -> bool:
    """core.permissions' hook: `staff_mfa_satisfied`, looked up when called (tests patch it)."""
    return staff_mfa_satisfied(request)


def staff_mfa_redirect(request, *, setup_message: str):
    """For an active staff user: None when `staff_mfa_satisfied`, else the redirect to set up
    TOTP (with `setup_message`) or to give a code again, coming back to this page."""
    if staff_mfa_satisfied(request):
        return None
    user = request.user
    next_q = urlencode({"next": request.get_full_path()})
    if not is_mfa_enabled(user):
        messages.warning(request, setup_message)
        return redirect(f"{reverse('mfa_activate_totp')}?{next_q}")
    return redirect(f"{reverse('mfa_reauthenticate')}?{next_q}")


def staff_page_second_factor(request):
    """The second-factor check of staff pages outside /admin/ (core.permissions' hook)."""
    return staff_mfa_redirect(
        request,
        setup_message=_("Set up two-factor authentication (an authenticator app) to use staff pages."),
    )


class StaffMFAMiddleware:
    """Ties every request's user to its session, so that staff powers need a session that
    passed the second factor (core.permissions); sends staff refused on a page (a
    PermissionDenied or Http404 from a view) to give it. For /admin/: a staff
    user without TOTP is sent to set it up; one whose session did not pass the second
    factor is asked for a code first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request, exception):
        # Refused (403) or hidden (404, as pages hide what an outsider may not see) while
        # their staff powers are withheld: ask for the second factor, then answer for real.
        if isinstance(exception, PermissionDenied | Http404) and staff_powers_withheld(request.user):
            return second_factor_redirect(request)
        return None

    def __call__(self, request):
        bind_session(request)
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            user = request.user
            if user.is_staff and user.is_active:
                # /admin/ has no language prefix: send staff to the pages in their own language.
                with translation.override(user.preferred_language or translation.get_language()):
                    response = staff_mfa_redirect(
                        request,
                        setup_message=_(
                            "Set up two-factor authentication (an authenticator app) to use the administration."
                        ),
                    )
                if response is not None:
                    return response
        return self.get_response(request)
