"""Two small helpers every app's views and services share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def require(user, perm: str, obj=None) -> None:
    """PermissionDenied (a 403 with a translated reason) unless `user` has `perm` on `obj`."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def error_text(error: ValidationError) -> str:
    """All the messages of a ValidationError as one line, for a refusal page."""
    return " ".join(str(m) for m in error.messages)
