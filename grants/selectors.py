"""Reads reused across views, API, tasks and other apps."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from grants.models import Grant


def awarded_totals(organization, year: int) -> Decimal:
    """What the organisation was awarded by the portal's grants in `year` (EUR)."""
    total = Grant.objects.filter(application__organization=organization, awarded_at__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0.00")


def transparency_prefill(organization, year: int) -> list[tuple[str, Decimal, str]]:
    """Pre-fill of a transparency report (transparency.prefill): grants awarded through the
    portal in the year count as income from foreign and international donors (the program's
    grants are donor money re-granted by KCSF)."""
    total = awarded_totals(organization, year)
    if not total:
        return []
    return [("income_foreign_donors", total, _("grants awarded through the portal"))]
