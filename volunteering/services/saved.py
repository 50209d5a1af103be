"""Saving (bookmarking) an opportunity. `saved_set` is idempotent, so a double submit is
harmless; the person hears once when the deadline of a saved opportunity is near
(volunteering.services.reminders)."""

from django.db import IntegrityError, transaction

from core.permissions import require
from volunteering.models import Opportunity, SavedOpportunity


def saved_set(*, actor, opportunity: Opportunity, saved: bool) -> bool:
    """Save or unsave `opportunity` for `actor`; returns whether it is saved now."""
    require(actor, "volunteering.view_opportunity", opportunity)
    if not saved:
        SavedOpportunity.objects.filter(user=actor, opportunity=opportunity).delete()
        return False
    try:
        with transaction.atomic():
            SavedOpportunity.objects.get_or_create(user=actor, opportunity=opportunity)
    except IntegrityError:  # a concurrent double submit saved it first
        pass
    return True
