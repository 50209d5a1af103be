"""What every request page shares: loading a request the person may see (else 404, for
everyone, visitors included: nothing tells that a request exists), and refusals."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from assistance.selectors.requests import request_for_page
from core.permissions import error_text, permission


def load_request(request, pk, **kwargs):
    help_request = request_for_page(pk)
    if help_request is None or not request.user.has_perm("assistance.view_request", help_request):
        raise Http404
    return help_request


def request_page(perm: str = "assistance.view_request", **options):
    """Declare `perm` on the request of the URL; a request the person may not see is a 404,
    for visitors too (login=False: no redirect that would tell it exists)."""
    options.setdefault("refuse", 404 if perm == "assistance.view_request" else 403)
    return permission(perm, load=load_request, pass_as="help_request", login=False, **options)


def refused(request, error: ValidationError, *, back_url: str = "", status: int = 400):
    return render(
        request,
        "assistance/refused.html",
        {"message": error_text(error), "back_url": back_url},
        status=status,
    )
