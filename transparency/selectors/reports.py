"""Reads of transparency reports reused by views, the API, the badge and other apps.

`published_reports(organization)` is the one other apps (the badge, grants) build on:
what the public may see of an organisation's reports.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from core.models import Municipality
from transparency.choices import OPEN_REPORT_STATUSES, ReportStatus
from transparency.models import BoardMember, ReportDocument, TransparencyReport

PUBLIC_STATUSES = (ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED)


def _with_details(qs: QuerySet[TransparencyReport]) -> QuerySet[TransparencyReport]:
    return qs.select_related("organization").prefetch_related(
        Prefetch("documents", queryset=ReportDocument.objects.order_by("kind", "pk")),
        Prefetch("board_members", queryset=BoardMember.objects.order_by("ordering", "pk")),
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name_sq")),
    )


def published_reports(organization) -> QuerySet[TransparencyReport]:
    """The organisation's published reports (one per year: the current version), newest
    year first, with documents, board members and municipalities prefetched."""
    return _with_details(
        TransparencyReport.objects.filter(organization=organization, status=ReportStatus.PUBLISHED)
    ).order_by("-year")


def latest_published_report(organization, *, before_year: int | None = None) -> TransparencyReport | None:
    qs = published_reports(organization)
    if before_year is not None:
        qs = qs.filter(year__lt=before_year)
    return qs.first()


def public_report_list(
    *, query: str = "", year: int | None = None, municipality=None
) -> QuerySet[TransparencyReport]:
    """Published reports of active organisations for the public list (no prefetch of
    details: the list shows the organisation, the year and the totals)."""
    qs = TransparencyReport.objects.filter(
        status=ReportStatus.PUBLISHED, organization__is_active=True
    ).select_related("organization", "organization__municipality")
    if query:
        qs = qs.filter(Q(organization__name__icontains=query) | Q(main_activities__icontains=query))
    if year:
        qs = qs.filter(year=year)
    if municipality is not None:
        qs = qs.filter(Q(municipalities=municipality) | Q(organization__municipality=municipality))
    return qs.distinct().order_by("-year", "organization__name", "pk")


def public_report_detail(pk: int) -> TransparencyReport | None:
    """A published or superseded report (the public history keeps superseded versions)."""
    return (
        _with_details(
            TransparencyReport.objects.filter(pk=pk, status__in=PUBLIC_STATUSES, organization__is_active=True)
        )
        .select_related("organization__municipality", "corrects")
        .first()
    )


def report_versions(report: TransparencyReport) -> QuerySet[TransparencyReport]:
    """Every public version of the same organisation and year (the history), newest first."""
    return TransparencyReport.objects.filter(
        organization_id=report.organization_id, year=report.year, status__in=PUBLIC_STATUSES
    ).order_by("-version")


def reports_of_organization(organization) -> QuerySet[TransparencyReport]:
    """Every report of an organisation (members' "my reports" page), newest first."""
    return (
        TransparencyReport.objects.filter(organization=organization)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("-year", "-version")
    )


def open_report(organization, year: int) -> TransparencyReport | None:
    return TransparencyReport.objects.filter(
        organization=organization, year=year, status__in=OPEN_REPORT_STATUSES
    ).first()


def report_for_editing(pk: int) -> TransparencyReport | None:
    return _with_details(TransparencyReport.objects.filter(pk=pk)).first()


def review_queue() -> QuerySet[TransparencyReport]:
    return (
        TransparencyReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("organization", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def published_years() -> list[int]:
    return list(
        TransparencyReport.objects.filter(status=ReportStatus.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# --- Public funding reconciliation (added by the public-funding work) --------------------


def public_income_reported(organization_ids, year: int) -> dict:
    """{organisation id: national + municipal public income} from the published report of
    `year` of each organisation that has one; organisations without a published report
    for that year are absent. `organization_ids`: a list or a values queryset of ids."""
    from decimal import Decimal

    rows = TransparencyReport.objects.filter(
        organization_id__in=organization_ids, year=year, status=ReportStatus.PUBLISHED
    ).values_list("organization_id", "income_national_public", "income_municipal_public")
    return {
        org_id: (national or Decimal("0")) + (municipal or Decimal("0"))
        for org_id, national, municipal in rows
    }
