"""Every write to the giving tracker: entry, confirmation, moderation. Each runs in one
transaction, locks the row it changes and checks permission again."""

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giving.choices import DIASPORA_DONOR_TYPES, Confidence, Geography, Source, Status
from giving.models import GivingRecord

NEAR_DUPLICATE_DAYS = 7
NEAR_DUPLICATE_AMOUNT_SHARE = Decimal("0.02")  # amounts within 2 % of each other


def _norm(value) -> str:
    return " ".join(str(value or "").lower().split())


def record_fingerprint(data: dict) -> str:
    """The natural key of a gift: same date, amount, donor, recipient, place and cause.

    Re-importing a file or retrying a submission yields the same fingerprint, so the
    duplicate is recognised; `data` holds model field values (objects or ids)."""

    def _id(name):
        value = data.get(name)
        return getattr(value, "pk", value) or ""

    parts = [
        str(data.get("date") or ""),
        f"{Decimal(str(data.get('amount') or 0)):.2f}",
        _norm(data.get("donor_type")),
        _norm(data.get("donor_name")),
        str(_id("donor_organization")),
        _norm(data.get("recipient_type")),
        _norm(data.get("recipient_name")),
        str(_id("recipient_organization")),
        _norm(data.get("geography") or Geography.MUNICIPALITY),
        str(_id("municipality")),
        _norm(data.get("cause")),
        _norm(data.get("support_kind")),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def find_near_duplicate(record: GivingRecord) -> GivingRecord | None:
    """A different, not rejected record that looks like the same gift: same recipient type,
    place and cause, amount within 2 %, date within a week."""
    amount = Decimal(record.amount)
    qs = GivingRecord.objects.exclude(status=Status.REJECTED).filter(
        recipient_type=record.recipient_type,
        cause=record.cause,
        geography=record.geography,
        municipality_id=record.municipality_id,
        amount__gte=amount * (1 - NEAR_DUPLICATE_AMOUNT_SHARE),
        amount__lte=amount * (1 + NEAR_DUPLICATE_AMOUNT_SHARE),
        date__gte=record.date - timedelta(days=NEAR_DUPLICATE_DAYS),
        date__lte=record.date + timedelta(days=NEAR_DUPLICATE_DAYS),
    )
    if record.pk:
        qs = qs.exclude(pk=record.pk)
    if record.recipient_organization_id:
        qs = qs.filter(recipient_organization_id=record.recipient_organization_id)
    return qs.order_by("pk").first()


def compute_confidence(record: GivingRecord) -> str:
    if record.confirmed_by_donor_at and record.confirmed_by_recipient_at:
        return Confidence.CONFIRMED_BOTH
    if record.source == Source.MEDIA and not (
        record.confirmed_by_donor_at or record.confirmed_by_recipient_at
    ):
        return Confidence.MEDIA_ONLY
    return Confidence.SELF_REPORTED


def prepare_record(record: GivingRecord) -> GivingRecord:
    """Fill the derived fields (diaspora flag, fingerprint, confidence) and validate.
    Raises ValidationError with field errors; used by every path that creates records."""
    record.is_diaspora = record.donor_type in DIASPORA_DONOR_TYPES
    if record.geography != Geography.MUNICIPALITY:
        record.municipality = None
    if record.date and record.date > timezone.localdate():
        raise ValidationError({"date": _("The date of a gift cannot be in the future.")})
    record.confidence = compute_confidence(record)
    record.full_clean(exclude=["fingerprint"])
    record.fingerprint = record_fingerprint(
        {f.name: getattr(record, f.name) for f in record._meta.concrete_fields}
    )
    return record


class DuplicateRecord(ValidationError):
    """The same gift (same fingerprint) is already recorded."""

    def __init__(self, existing: GivingRecord):
        super().__init__(_("This gift is already recorded."), code="duplicate")
        self.existing = existing


@transaction.atomic
def record_create(
    *,
    actor,
    data: dict,
    source: str,
    entered_for=None,
    status: str = Status.REPORTED,
    allow_duplicate: bool = False,
) -> GivingRecord:
    """Create one record from model field values. Refuses an exact duplicate (same
    fingerprint, not rejected) with DuplicateRecord; flags a near duplicate for review.
    Permission is the caller's: `giving.add_record` for the web, a `giving:write` token
    for the API, anyone for a public report (which stays `reported`)."""
    record = GivingRecord(
        **data,
        source=source,
        status=status,
        entered_by=actor if getattr(actor, "pk", None) else None,
        entered_for=entered_for,
    )
    prepare_record(record)
    if not allow_duplicate:
        existing = (
            GivingRecord.objects.filter(fingerprint=record.fingerprint)
            .exclude(status=Status.REJECTED)
            .first()
        )
        if existing is not None:
            raise DuplicateRecord(existing)
    record.possible_duplicate_of = find_near_duplicate(record)
    if status == Status.VERIFIED:
        record.reviewed_by = actor
        record.reviewed_at = timezone.now()
    record.save()
    return record


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
