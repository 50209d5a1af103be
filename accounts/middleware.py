"""Staff reach the admin only after two-factor authentication (allauth MFA, TOTP)."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def session_passed_mfa(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class StaffMFAMiddleware:
    """For /admin/: a staff user without TOTP is sent to set it up; one whose session did
    not pass the second factor is asked for a code first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            user = request.user
            if user.is_staff and user.is_active:
                next_q = urlencode({"next": request.get_full_path()})
                # /admin/ has no language prefix: send staff to the pages in their own language.
                with translation.override(user.preferred_language or translation.get_language()):
                    if not is_mfa_enabled(user):
                        messages.warning(
                            request,
                            _(
                                "Set up two-factor authentication (an authenticator app) to use the administration."
                            ),
                        )
                        return redirect(f"{reverse('mfa_activate_totp')}?{next_q}")
                    if not session_passed_mfa(request):
                        return redirect(f"{reverse('mfa_reauthenticate')}?{next_q}")
        return self.get_response(request)
