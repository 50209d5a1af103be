"""`staff_mfa_required`: staff-only portal pages outside /admin/ ask for the same second
factor (allauth MFA, TOTP) as the admin; see accounts.middleware."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts import middleware


def staff_mfa_required(view=None, *, refuse_in_view: bool = False):
    """Signed in (else the login page), active staff (else 403), TOTP set up (else its setup
    page) and passed in this session (else a code is asked again), all coming back here.

    `refuse_in_view=True` is for views that look up the object first and answer 404 to
    people who may not know it exists: a non-staff user is passed on to the view, which
    refuses them itself (the view must check a staff-only permission)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (user.is_staff and user.is_active):
                if refuse_in_view:
                    return view_func(request, *args, **kwargs)
                raise PermissionDenied(_("You do not have permission to do this."))
            response = middleware.staff_mfa_redirect(
                request,
                setup_message=_(
                    "Set up two-factor authentication (an authenticator app) to use staff pages."
                ),
            )
            if response is not None:
                return response
            return view_func(request, *args, **kwargs)

        return wrapped

    if view is not None:
        return decorator(view)
    return decorator
