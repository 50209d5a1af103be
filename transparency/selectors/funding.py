"""Reads of public funding to CSOs: the dashboard's figures and the reconciliation of what CSOs declared against what institutions published."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Organization
from transparency.choices import FundingProcedure, FundingSource
from transparency.models import PublicFundingRecord

CSO_KINDS = (Organization.Kind.REGISTERED_CSO, Organization.Kind.INFORMAL_GROUP)


@dataclass
class DashboardFilters:
    year_from: int | None = None
    year_to: int | None = None
    institution: Organization | None = None
    procedure: str = ""
    municipality: object = None
    source: str = FundingSource.DECLARED


def funding_records(filters: DashboardFilters | None = None) -> QuerySet[PublicFundingRecord]:
    """Records matching the dashboard's filters (source "" = both sources)."""
    qs = PublicFundingRecord.objects.all()
    f = filters or DashboardFilters()
    if f.year_from:
        qs = qs.filter(year__gte=f.year_from)
    if f.year_to:
        qs = qs.filter(year__lte=f.year_to)
    if f.institution is not None:
        qs = qs.filter(institution=f.institution)
    if f.procedure:
        qs = qs.filter(procedure=f.procedure)
    if f.municipality is not None:
        qs = qs.filter(recipient__municipality=f.municipality)
    if f.source:
        qs = qs.filter(source=f.source)
    return qs


OPEN_CALL = Q(procedure=FundingProcedure.OPEN_CALL)


def _share(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def dashboard_totals(qs) -> dict:
    totals = qs.aggregate(
        total=Coalesce(Sum("amount"), Decimal("0")),
        open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
        records=Count("pk"),
        recipients=Count("recipient", distinct=True),
        institutions=Count("institution", distinct=True),
    )
    totals["open_call_share"] = _share(totals["open_call"], totals["total"])
    return totals


def dashboard_trend(qs) -> list[dict]:
    rows = list(
        qs.values("year")
        .annotate(
            total=Sum("amount"),
            open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
            records=Count("pk"),
        )
        .order_by("year")
    )
    for row in rows:
        row["open_call_share"] = _share(row["open_call"], row["total"])
    return rows


def dashboard_by_institution_year(qs) -> QuerySet:
    """Totals per institution and year (a values queryset: paginate it)."""
    return (
        qs.values("institution_id", "institution__name", "institution__slug", "year")
        .annotate(
            total=Sum("amount"),
            open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")),
            records=Count("pk"),
            recipients=Count("recipient_name", distinct=True),
        )
        .order_by("-year", "-total", "institution__name")
    )


def dashboard_by_institution(qs, limit: int = 15) -> list[dict]:
    return list(
        qs.values("institution_id", "institution__name")
        .annotate(total=Sum("amount"), open_call=Coalesce(Sum("amount", filter=OPEN_CALL), Decimal("0")))
        .order_by("-total", "institution__name")[:limit]
    )


def _recipient_label():
    return Case(
        When(recipient__isnull=False, then=F("recipient__name")),
        default=F("recipient_name"),
        output_field=CharField(),
    )


def dashboard_top_recipients(qs, limit: int = 10) -> list[dict]:
    """Recipients by total received; unlinked recipients count by their declared name."""
    return list(
        qs.annotate(
            label=_recipient_label(),
            unlinked=Case(When(recipient__isnull=True, then=F("recipient_name")), default=Value("")),
        )
        .values("recipient_id", "unlinked", "label", "recipient__slug", "recipient__kind")
        .annotate(total=Sum("amount"), records=Count("pk"), institutions=Count("institution", distinct=True))
        .order_by("-total", "label")[:limit]
    )


def dashboard_by_municipality(qs) -> list[dict]:
    """Totals per municipality of the recipient (unlinked recipients: no municipality)."""
    rows = list(
        qs.values(
            "recipient__municipality_id",
            "recipient__municipality__slug",
            "recipient__municipality__name_sq",
            "recipient__municipality__name_sr",
            "recipient__municipality__name_en",
        )
        .annotate(total=Sum("amount"), records=Count("pk"), recipients=Count("recipient", distinct=True))
        .order_by("-total")
    )
    language = (translation.get_language() or "sq").lower()
    suffix = "sr" if language.startswith("sr") else "en" if language.startswith("en") else "sq"
    for row in rows:
        if row["recipient__municipality_id"] is None:
            row["name"] = _("Not known (recipient not in the registry)")
        else:
            row["name"] = (
                row[f"recipient__municipality__name_{suffix}"] or row["recipient__municipality__name_sq"]
            )
    return rows


def funding_years() -> list[int]:
    return list(PublicFundingRecord.objects.order_by("-year").values_list("year", flat=True).distinct())


def funding_institutions() -> QuerySet[Organization]:
    """Institutions that gave (for filter menus)."""
    return Organization.objects.filter(pk__in=PublicFundingRecord.objects.values("institution_id")).order_by(
        "name"
    )


TOLERANCE_EUR = Decimal(str(getattr(settings, "TRANSPARENCY_FUNDING_TOLERANCE_EUR", 100)))


TOLERANCE_PERCENT = Decimal(str(getattr(settings, "TRANSPARENCY_FUNDING_TOLERANCE_PERCENT", 5)))


class Flag:
    REPORTED_MISMATCH = "reported_mismatch"
    MONITORING_MISMATCH = "monitoring_mismatch"
    MISSING_REPORT = "missing_report"
    NOT_CSO = "not_cso"
    UNMATCHED = "unmatched"


FLAG_LABELS = {
    Flag.REPORTED_MISMATCH: gettext_lazy("Reported by the CSO differs from the public funding"),
    Flag.MONITORING_MISMATCH: gettext_lazy("Monitoring differs from what institutions declared"),
    Flag.MISSING_REPORT: gettext_lazy("No published transparency report for the year"),
    Flag.NOT_CSO: gettext_lazy("Recipient is not a CSO"),
    Flag.UNMATCHED: gettext_lazy("Recipient not found in the registry"),
}


def differs(a: Decimal | None, b: Decimal | None) -> bool:
    """Beyond the tolerance: more than TOLERANCE_EUR and more than TOLERANCE_PERCENT of the
    larger amount (small rounding and small grants do not raise flags)."""
    a, b = Decimal(a or 0), Decimal(b or 0)
    gap = abs(a - b)
    return gap > TOLERANCE_EUR and gap > max(a, b) * TOLERANCE_PERCENT / 100


@dataclass
class ReconciliationRow:
    year: int
    recipient_id: int | None
    name: str
    slug: str
    kind: str
    kind_label: str
    declared: Decimal
    monitoring: Decimal
    reported: Decimal | None
    institutions: int
    records: int
    flags: list[str]

    @property
    def public_total(self) -> Decimal:
        return self.declared or self.monitoring

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[f]) for f in self.flags]


def reconciliation(*, year: int, institution=None, flag: str = "") -> list[ReconciliationRow]:
    """Per recipient, for one year: what institutions declared, what monitoring found and
    what the CSO reported in its published transparency report, with flags.

    The sums run in the database (one row per recipient); the reported income comes from
    `transparency.selectors.reports.public_income_reported` in one query. Filtering by institution
    keeps the recipients it funded, with their totals from every institution (a CSO's
    report covers all its public income)."""
    from transparency.selectors.reports import public_income_reported

    qs = PublicFundingRecord.objects.filter(year=year)
    if institution is not None:
        funded = PublicFundingRecord.objects.filter(year=year, institution=institution)
        qs = qs.filter(
            Q(recipient_id__in=funded.filter(recipient__isnull=False).values("recipient_id"))
            | Q(
                recipient__isnull=True,
                recipient_name__in=funded.filter(recipient__isnull=True).values("recipient_name"),
            )
        )
    groups = list(
        qs.annotate(unlinked=Case(When(recipient__isnull=True, then=F("recipient_name")), default=Value("")))
        .values("recipient_id", "unlinked", "recipient__name", "recipient__slug", "recipient__kind")
        .annotate(
            declared=Coalesce(Sum("amount", filter=Q(source=FundingSource.DECLARED)), Decimal("0")),
            monitoring=Coalesce(Sum("amount", filter=Q(source=FundingSource.MONITORING)), Decimal("0")),
            institutions=Count("institution", distinct=True),
            records=Count("pk"),
        )
        .order_by("recipient__name", "unlinked")
    )
    org_ids = [g["recipient_id"] for g in groups if g["recipient_id"]]
    reported = public_income_reported(org_ids, year) if org_ids else {}
    kind_labels = dict(Organization.Kind.choices)
    rows = []
    for g in groups:
        flags = []
        rid = g["recipient_id"]
        kind = g["recipient__kind"] or ""
        amount_reported = reported.get(rid) if rid else None
        if rid is None:
            flags.append(Flag.UNMATCHED)
        elif kind not in CSO_KINDS:
            flags.append(Flag.NOT_CSO)
        elif amount_reported is None:
            flags.append(Flag.MISSING_REPORT)
        public_total = g["declared"] or g["monitoring"]
        if amount_reported is not None and differs(public_total, amount_reported):
            flags.append(Flag.REPORTED_MISMATCH)
        if g["declared"] and g["monitoring"] and differs(g["declared"], g["monitoring"]):
            flags.append(Flag.MONITORING_MISMATCH)
        if (flag == "any" and not flags) or (flag not in ("", "any") and flag not in flags):
            continue
        rows.append(
            ReconciliationRow(
                year=year,
                recipient_id=rid,
                name=g["recipient__name"] or g["unlinked"],
                slug=g["recipient__slug"] or "",
                kind=kind,
                kind_label=str(kind_labels.get(kind, "")) if kind else "",
                declared=g["declared"],
                monitoring=g["monitoring"],
                reported=amount_reported,
                institutions=g["institutions"],
                records=g["records"],
                flags=flags,
            )
        )
    return rows
