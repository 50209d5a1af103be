"""Reads of giving records reused by views, the API, exports and other apps."""

from collections.abc import Iterable

from django.db.models import QuerySet

from giving.choices import Status
from giving.models import GivingRecord


def public_records() -> QuerySet[GivingRecord]:
    """Verified records, the only ones the public ever sees."""
    return GivingRecord.objects.filter(status=Status.VERIFIED).select_related(
        "municipality", "donor_organization", "recipient_organization"
    )


def public_records_for_api(*, fields: Iterable[str]) -> QuerySet[GivingRecord]:
    """`public_records()` with only the columns `fields` that the public API writes (its views
    derive them from the serializer: core.api.serializers.model_columns). The rest (who
    entered or reviewed a record, fingerprints, e-mail of the reporter, timestamps) is neither
    shown nor read, and a page of 100 records builds its ~190 model instances from these
    columns only."""
    return public_records().only(*fields)


# --- Records of people and the moderation queue (giving.views.records) ----------------------

_RECORD_RELATED = (
    "municipality",
    "donor_organization",
    "recipient_organization",
    "entered_for",
    "entered_by",
)


def records_for_user(*, user, org_ids=None) -> QuerySet[GivingRecord]:
    """Records the user entered, or entered for / given or received by an organisation
    they edit (`org_ids`, default: their editable organisations)."""
    from django.db.models import Q

    if org_ids is None:
        from giving.rules import editable_org_ids

        org_ids = editable_org_ids(user)
    condition = Q(entered_by=user)
    if org_ids:
        condition |= (
            Q(entered_for__in=org_ids)
            | Q(recipient_organization__in=org_ids)
            | Q(donor_organization__in=org_ids)
        )
    return (
        GivingRecord.objects.filter(condition).select_related(*_RECORD_RELATED).order_by("-created_at", "-pk")
    )


def moderation_queue() -> QuerySet[GivingRecord]:
    """Every record with what the staff queue shows, oldest reports first."""
    return GivingRecord.objects.select_related(*_RECORD_RELATED, "possible_duplicate_of").order_by(
        "created_at", "pk"
    )


def record_for_page(*, pk: int) -> GivingRecord | None:
    return (
        GivingRecord.objects.select_related(*_RECORD_RELATED, "reviewed_by", "possible_duplicate_of")
        .filter(pk=pk)
        .first()
    )


def transparency_prefill(organization, year: int) -> list[tuple]:
    """For the yearly transparency report (transparency.prefill): the verified gifts of
    money received by `organization` in `year`, summed into the report's income fields —
    domestic individuals, domestic businesses and the diaspora — as (field, amount, source)."""
    from django.db.models import Q, Sum
    from django.utils.translation import gettext_lazy

    from giving.choices import DonorType, SupportKind

    totals = GivingRecord.objects.filter(
        status=Status.VERIFIED,
        support_kind=SupportKind.MONEY,
        recipient_organization=organization,
        date__year=year,
    ).aggregate(
        income_domestic_individuals=Sum(
            "amount", filter=Q(is_diaspora=False, donor_type=DonorType.INDIVIDUAL)
        ),
        income_domestic_businesses=Sum("amount", filter=Q(is_diaspora=False, donor_type=DonorType.COMPANY)),
        income_diaspora=Sum("amount", filter=Q(is_diaspora=True)),
    )
    source = gettext_lazy("the giving tracker")
    return [(field, amount, source) for field, amount in totals.items() if amount]


def gifts_received_since(organization, since) -> dict:
    """For other apps (assistance's mentoring series): the verified records received by
    `organization` dated on or after `since`, as {"count": int, "total": Decimal} (the total of
    every kind of support, in EUR; 0 when none). One query."""
    from decimal import Decimal

    from django.db.models import Count, Sum

    totals = GivingRecord.objects.filter(
        status=Status.VERIFIED, recipient_organization=organization, date__gte=since
    ).aggregate(count=Count("pk"), total=Sum("amount"))
    return {"count": totals["count"] or 0, "total": totals["total"] or Decimal("0")}
