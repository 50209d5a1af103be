"""Grants' side of `core.handoffs`: a pre-filled draft application from facts another app
hands over (e.g. a finished academy community project), through grants' own services."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

APPLICATION_DRAFT = "grants.application_draft"


@transaction.atomic
def application_draft(*, user, facts: dict) -> str:
    """A draft application of `user` to an open call that allows individuals or informal
    groups (facts["call_id"] if given, else the one closing first), as an individual when the
    call allows it, else as an informal group named after the project; the project's title,
    summary and municipality pre-filled. The URL of the draft's editor."""
    from grants.choices import ApplicantType
    from grants.models import Call
    from grants.services import applications

    calls = Call.objects.open_now().filter(Q(allow_individuals=True) | Q(allow_groups=True))
    if facts.get("call_id"):
        calls = calls.filter(pk=facts["call_id"])
    options = []
    for call in calls.order_by("closes_at", "pk")[:20]:
        for kind in (ApplicantType.INDIVIDUAL, ApplicantType.GROUP):
            if kind in call.applicant_types:
                verdict = applications.check_eligibility(user=user, call=call, applicant_type=kind)
                options.append((call, kind, verdict))
    chosen = next(((call, kind) for call, kind, verdict in options if verdict.allowed), None)
    if chosen is None:
        if options:
            raise ValidationError(options[0][2].reason, code="not_eligible")
        raise ValidationError(
            _("No grant call open now accepts individuals or informal groups."), code="no_call"
        )
    call, kind = chosen
    application = applications.application_start(
        actor=user,
        call=call,
        applicant_type=kind,
        group_name=str(facts.get("title") or "") if kind == ApplicantType.GROUP else "",
    )
    summary = "\n\n".join(str(facts.get(name) or "").strip() for name in ("issue", "plan", "result"))
    applications.application_save_project(
        actor=user,
        application=application,
        data={
            "title": facts.get("title") or "",
            "summary": summary.strip(),
            "municipality": facts.get("municipality_id") or "",
        },
    )
    return reverse("grants:application_edit", kwargs={"pk": application.pk})


def register() -> None:
    from core import handoffs

    handoffs.register(APPLICATION_DRAFT, create=application_draft)
