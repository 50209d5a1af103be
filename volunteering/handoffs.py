"""Volunteering's side of `core.handoffs`: a pre-filled draft volunteer opportunity from facts
another app hands over (e.g. a finished academy community project), through volunteering's
own services. Only an editor of a verified organisation posts opportunities."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

OPPORTUNITY_DRAFT = "volunteering.opportunity_draft"


@transaction.atomic
def opportunity_draft(*, user, facts: dict) -> str:
    """A draft opportunity of the verified organisation `user` edits (facts["organization_id"]
    if given, else the first by name) with the project's title, description and municipality
    (remote when there is none). The URL of the draft's editor."""
    from organizations.models import Organization
    from organizations.selectors import organizations_editable_by
    from volunteering.services import opportunities

    organizations = organizations_editable_by(user=user).filter(
        verification_status=Organization.Verification.VERIFIED
    )
    if facts.get("organization_id"):
        organizations = organizations.filter(pk=facts["organization_id"])
    organization = organizations.order_by("name", "pk").first()
    if organization is None or not user.has_perm("volunteering.post_opportunity", organization):
        raise ValidationError(
            _(
                "A volunteer opportunity is posted by an organisation: you need to be an editor "
                "of an organisation verified by KCSF."
            ),
            code="no_organization",
        )
    parts = [str(facts.get(name) or "").strip() for name in ("issue", "plan", "result")]
    municipality_id = facts.get("municipality_id") or None
    opportunity = opportunities.opportunity_create(
        actor=user,
        organization=organization,
        fields={
            "title": str(facts.get("title") or "")[:200],
            "description": "\n\n".join(p for p in parts if p)[:5000],
            "municipality_id": municipality_id,
            "remote": municipality_id is None,
        },
    )
    return reverse("volunteering:opportunity_edit", kwargs={"pk": opportunity.pk})


def register() -> None:
    from core import handoffs

    handoffs.register(OPPORTUNITY_DRAFT, create=opportunity_draft)
