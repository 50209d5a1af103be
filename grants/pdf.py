"""PDFs of grants: an application as sent (a revision), and a call's questions."""

import io

from django.template.loader import render_to_string

from core.exports import html_to_pdf
from grants.models import Revision


def revision_pdf(revision_id: int) -> bytes:
    """The PDF of one revision (attached to the confirmation email; downloadable)."""
    revision = Revision.objects.select_related("application__call").get(pk=revision_id)
    html = render_to_string(
        "grants/pdf/revision.html",
        {
            "revision": revision,
            "application": revision.application,
            "call": revision.application.call,
            "data": revision.snapshot,
        },
    )
    out = io.BytesIO()
    html_to_pdf(out, html)
    return out.getvalue()
