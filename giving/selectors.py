"""Reads of giving records reused by views, the API, exports and other apps."""

from django.db.models import QuerySet

from giving.choices import Status
from giving.models import GivingRecord


def public_records() -> QuerySet[GivingRecord]:
    """Verified records, the only ones the public ever sees."""
    return GivingRecord.objects.filter(status=Status.VERIFIED).select_related(
        "municipality", "donor_organization", "recipient_organization"
    )
