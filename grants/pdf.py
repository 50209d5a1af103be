"""PDFs of grants: an application as sent (a revision) or, before it is sent, its current
content marked as a draft. Rendered in the active language (the email's send task calls
`revision_pdf` inside `translation.override(<recipient's language>)`)."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from core.exports import html_to_pdf
from grants.models import Application, Revision


def _render(
    application: Application, data: dict, *, revision: Revision | None, hide_contacts: bool = False
) -> bytes:
    html = render_to_string(
        "grants/pdf/revision.html",
        {
            "application": application,
            "call": application.call,
            "revision": revision,
            "draft": revision is None,
            "data": data if isinstance(data, dict) else {},
            "printed_at": timezone.now(),
            "hide_contacts": hide_contacts,
        },
    )
    out = io.BytesIO()
    html_to_pdf(out, html)
    return out.getvalue()


def application_pdf(
    application: Application, revision: Revision | None = None, *, hide_contacts: bool = False
) -> bytes:
    """The PDF of `revision` (default: the latest); an application never sent gives its
    current content, marked "DRAFT — not submitted". `hide_contacts` leaves out the group
    members' email addresses (for reviewers)."""
    if revision is None:
        revision = application.revisions.order_by("-number").first()
    if revision is None:
        from grants.services.applications import snapshot

        return _render(application, snapshot(application), revision=None, hide_contacts=hide_contacts)
    return _render(application, revision.snapshot, revision=revision, hide_contacts=hide_contacts)


def revision_pdf(revision_id: int) -> bytes:
    """The PDF of one revision (attached to the confirmation email; downloadable)."""
    revision = Revision.objects.select_related(
        "application__call", "application__organization", "application__applicant"
    ).get(pk=revision_id)
    return application_pdf(revision.application, revision)
