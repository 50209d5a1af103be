"""The public verification of certificates (`core.certificates`): a form to type a code, and
the page of one code, which shows only what the certificate states."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import certificates
from core.permissions import public


@public
@require_GET
def verify_form(request):
    """`?code=` goes to the code's page; a code that cannot be one is refused here (400)."""
    typed = request.GET.get("code", "")
    error = ""
    if typed:
        code = certificates.normalise_code(typed)
        if code:
            return redirect("certificates:verify", code=code)
        error = _("This is not a certificate code: it has 16 letters and digits, e.g. ABCD-EFGH-JKMN-PQRS.")
    return render(
        request,
        "core/certificate_verify.html",
        {"typed": typed[:40], "error": error},
        status=400 if error else 200,
    )


@public
@require_GET
def verify(request, code):
    certificate = certificates.find(code)
    if certificate is None:
        return render(
            request,
            "core/certificate_verify.html",
            {
                "typed": code[:40],
                "error": _("No certificate has this code. Check that you typed it as printed."),
            },
            status=404,
        )
    return render(
        request,
        "core/certificate_verify.html",
        {"certificate": certificate, "typed": certificate.code, **certificates.text(certificate)},
    )
