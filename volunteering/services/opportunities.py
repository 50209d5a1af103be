"""Opportunities and expert requests: posted, edited, published and closed by an editor of
a verified organisation (checked here again, whatever the view did)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from volunteering.choices import Language, OpportunityKind, OpportunityStatus
from volunteering.models import Opportunity, OpportunityLanguage, OpportunitySkill
from volunteering.workflow import OPPORTUNITY

EDITABLE = (OpportunityStatus.DRAFT, OpportunityStatus.OPEN)


def lock(opportunity: Opportunity) -> Opportunity:
    return (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=opportunity.pk)
    )


def _check(opportunity: Opportunity) -> None:
    errors = {}
    if opportunity.kind == OpportunityKind.EXPERT_REQUEST:
        if not opportunity.brief.strip():
            errors["brief"] = _("Describe the problem in a short brief.")
        if not opportunity.expertise:
            errors["expertise"] = _("Choose the expertise needed.")
    if not opportunity.remote and opportunity.municipality_id is None:
        errors["municipality"] = _("Choose the municipality, or mark the opportunity as remote.")
    if opportunity.starts_on and opportunity.ends_on and opportunity.ends_on < opportunity.starts_on:
        errors["ends_on"] = _("The end date is before the start date.")
    if opportunity.places < max(opportunity.places_filled, 1):
        errors["places"] = _("At least %(n)s places: that many people are already accepted.") % {
            "n": max(opportunity.places_filled, 1)
        }
    if errors:
        raise ValidationError(errors)


def _set_skills(opportunity: Opportunity, must, nice) -> None:
    must_ids = {s.pk for s in must}
    nice_ids = {s.pk for s in nice} - must_ids
    OpportunitySkill.objects.filter(opportunity=opportunity).delete()
    OpportunitySkill.objects.bulk_create(
        [OpportunitySkill(opportunity=opportunity, skill_id=pk, required=True) for pk in sorted(must_ids)]
        + [OpportunitySkill(opportunity=opportunity, skill_id=pk, required=False) for pk in sorted(nice_ids)]
    )


def _set_languages(opportunity: Opportunity, languages) -> None:
    codes = sorted(set(languages))
    if any(code not in Language.values for code in codes):
        raise ValidationError({"languages": _("Choose the languages from the list.")})
    OpportunityLanguage.objects.filter(opportunity=opportunity).delete()
    OpportunityLanguage.objects.bulk_create(
        [OpportunityLanguage(opportunity=opportunity, language=c) for c in codes]
    )


@transaction.atomic
def opportunity_create(*, actor, organization, fields: dict, must=(), nice=(), languages=()) -> Opportunity:
    """A draft opportunity of `organization` (publish it with `opportunity_publish`)."""
    require(actor, "volunteering.post_opportunity", organization)
    opportunity = Opportunity(organization=organization, created_by=actor, **fields)
    _check(opportunity)
    opportunity.full_clean(exclude=["organization", "created_by"])
    opportunity.save()
    _set_skills(opportunity, must, nice)
    _set_languages(opportunity, languages)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, actor, opportunity: Opportunity, fields: dict, must=(), nice=(), languages=()
) -> Opportunity:
    opportunity = lock(opportunity)
    require(actor, "volunteering.edit_opportunity", opportunity)
    if opportunity.status not in EDITABLE:
        raise ValidationError(_("A closed opportunity can no longer be changed."), code="not_editable")
    deadline_before = opportunity.deadline
    for name, value in fields.items():
        setattr(opportunity, name, value)
    _check(opportunity)
    opportunity.full_clean(exclude=["organization", "created_by"])
    opportunity.save()
    if opportunity.deadline != deadline_before:  # a new deadline: its reminder may go again
        from core.reminders import forget
        from volunteering.services.reminders import DEADLINE_SOON

        forget([DEADLINE_SOON], [opportunity.pk])
    _set_skills(opportunity, must, nice)
    _set_languages(opportunity, languages)
    return opportunity


@transaction.atomic
def opportunity_publish(*, actor, opportunity: Opportunity) -> Opportunity:
    opportunity = lock(opportunity)
    if opportunity.status == OpportunityStatus.OPEN:
        return opportunity  # a double submit
    require(actor, "volunteering.edit_opportunity", opportunity)
    if opportunity.deadline and opportunity.deadline < timezone.localdate():
        raise ValidationError(_("The application deadline has passed: set a new one first."), code="deadline")
    _check(opportunity)
    opportunity.published_at = opportunity.published_at or timezone.now()
    OPPORTUNITY.move(opportunity, OpportunityStatus.OPEN, actor=actor, fields=["published_at"])
    return opportunity


@transaction.atomic
def opportunity_close(*, actor, opportunity: Opportunity, note: str = "") -> Opportunity:
    opportunity = lock(opportunity)
    if opportunity.status == OpportunityStatus.CLOSED:
        return opportunity
    opportunity.closed_at = timezone.now()
    OPPORTUNITY.move(opportunity, OpportunityStatus.CLOSED, actor=actor, note=note, fields=["closed_at"])
    return opportunity
