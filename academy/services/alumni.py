"""The alumni directory: a participant who completed the Academy joins it (or leaves it) from
their own academy page; only then are their name, cohort, municipality and project public."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import CohortApplication
from academy.services.common import lock_application, require
from academy.services.completion import completion_of


@transaction.atomic
def alumni_listing_set(*, actor, participant: CohortApplication, listed: bool) -> CohortApplication:
    """Join (`listed=True`) or leave the public alumni directory. Joining needs a completed
    Academy (its completion rule); leaving is always possible. Doing it twice changes nothing."""
    require(actor, "academy.join_alumni", participant)
    participant = lock_application(participant)
    if listed == participant.alumni_listed:
        return participant
    if listed and not completion_of(participant).completed:
        raise ValidationError(
            _("Only participants who completed the Academy can join the alumni directory."),
            code="not_completed",
        )
    participant.alumni_listed = listed
    participant.alumni_listed_at = timezone.now() if listed else None
    participant.save(update_fields=["alumni_listed", "alumni_listed_at", "updated_at"])
    return participant
