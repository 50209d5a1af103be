"""The help desk in figures, for staff (and, as aggregates only, for partners through the
API): the workload of each expert, the overdue requests, and monthly counts per category,
partner organisation and municipality. Every figure is computed in the database."""

from datetime import date

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assistance.choices import ANSWERED_STATUSES, OPEN_STATUSES, Category
from assistance.models import Expert, HelpRequest

MONTHS = 12


def _since(months: int = MONTHS) -> date:
    today = timezone.localdate()
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def expert_workload():
    """Every expert with their open, overdue and answered requests and the average rating."""
    today = timezone.localdate()
    return (
        Expert.objects.select_related("user", "organization")
        .annotate(
            open_count=Count("requests", filter=Q(requests__status__in=OPEN_STATUSES)),
            overdue_count=Count(
                "requests", filter=Q(requests__status__in=OPEN_STATUSES, requests__due_on__lt=today)
            ),
            answered_count=Count("requests", filter=Q(requests__status__in=ANSWERED_STATUSES)),
            average_rating=Avg("requests__rating__score"),
        )
        .order_by("-open_count", "user__full_name", "pk")
    )


def totals() -> dict:
    today = timezone.localdate()
    return HelpRequest.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        unassigned=Count("pk", filter=Q(status="new")),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        answered=Count("pk", filter=Q(status__in=ANSWERED_STATUSES)),
        rated=Count("rating"),
        solved=Count("rating", filter=Q(rating__solved=True)),
        average_rating=Avg("rating__score"),
    )


def monthly(by: str, *, months: int = MONTHS) -> list[dict]:
    """Requests submitted per month and `by` ("category", "partner" or "municipality"),
    for the last `months` months: [{"month": date, "key": ..., "label": str, "count": n}]."""
    field = {
        "category": "category",
        "partner": "expert__organization__name",
        "municipality": "municipality__slug",
    }[by]
    rows = (
        HelpRequest.objects.filter(submitted_at__date__gte=_since(months))
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", field)
        .annotate(count=Count("pk"))
        .order_by("month", field)
    )
    labels = {}
    if by == "municipality":
        from core.models import Municipality

        labels = {m.slug: m.name for m in Municipality.objects.all()}
    elif by == "category":
        labels = {value: str(label) for value, label in Category.choices}
    result = []
    for row in rows:
        key = row[field]
        month = row["month"]
        result.append(
            {
                "month": month.date() if hasattr(month, "date") else month,
                "key": key or "",
                "label": labels.get(key, key) if key else "—",
                "count": row["count"],
            }
        )
    return result


def monthly_table(by: str, *, months: int = MONTHS) -> dict:
    """`monthly` as a table: {"months": [...], "rows": [(label, [count per month], total)]}."""
    data = monthly(by, months=months)
    month_list = sorted({row["month"] for row in data})
    table: dict[str, dict] = {}
    for row in data:
        table.setdefault(row["label"], {})[row["month"]] = row["count"]
    rows = [
        (label, [counts.get(m, 0) for m in month_list], sum(counts.values()))
        for label, counts in sorted(table.items(), key=lambda item: -sum(item[1].values()))
    ]
    return {"months": month_list, "rows": rows}
