"""Reads of the Strategy for Cooperation with Civil Society: measures, progress by objective and institution, comments waiting for moderation."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Membership, Organization
from transparency.choices import CommentStatus, MeasureStatus
from transparency.models import MeasureComment, StrategyMeasure, StrategyObjective

OPEN_STATUSES = (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS)


def commentable_organizations(user) -> QuerySet[Organization]:
    """Organisations a person may comment on behalf of: those they belong to."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            is_active=True, memberships__user=user, memberships__role__in=Membership.Role.values
        )
        .distinct()
        .order_by("name")
    )


def _status_counts(prefix: str = "") -> dict:
    field = f"{prefix}status"
    counts = {"total": Count(f"{prefix}pk", distinct=bool(prefix))}
    for status in MeasureStatus.values:
        counts[status] = Count(f"{prefix}pk", filter=Q(**{field: status}), distinct=bool(prefix))
    return counts


@dataclass
class Progress:
    """Counts per status of a group of measures, with percentages for the bars."""

    key: object
    label: str
    total: int
    counts: dict

    @property
    def parts(self) -> list[dict]:
        labels = dict(MeasureStatus.choices)
        return [
            {
                "status": status,
                "label": labels[status],
                "count": self.counts.get(status, 0),
                "percent": round(self.counts.get(status, 0) * 100 / self.total) if self.total else 0,
            }
            for status in MeasureStatus.values
        ]

    @property
    def implemented_percent(self) -> int:
        return round(self.counts.get(MeasureStatus.IMPLEMENTED, 0) * 100 / self.total) if self.total else 0


def _to_progress(row: dict, key, label) -> Progress:
    return Progress(
        key=key, label=label, total=row["total"], counts={s: row[s] for s in MeasureStatus.values}
    )


def measures_filtered(*, objective=None, institution=None, status: str = "") -> QuerySet[StrategyMeasure]:
    qs = StrategyMeasure.objects.all()
    if objective is not None:
        qs = qs.filter(objective=objective)
    if institution is not None:
        qs = qs.filter(responsible_institution=institution)
    if status:
        qs = qs.filter(status=status)
    return qs


def progress_overall(measures: QuerySet) -> Progress:
    row = measures.aggregate(**_status_counts())
    return _to_progress(row, None, _("All measures"))


def progress_by_objective(measures: QuerySet) -> list[Progress]:
    """Counts per status for each objective (one query; objectives in their order)."""
    rows = (
        measures.values("objective_id", "objective__code", "objective__ordering")
        .annotate(**_status_counts())
        .order_by("objective__ordering", "objective__code")
    )
    rows = list(rows)
    objectives = StrategyObjective.objects.in_bulk([r["objective_id"] for r in rows])
    return [_to_progress(r, objectives[r["objective_id"]], str(objectives[r["objective_id"]])) for r in rows]


def progress_by_institution(measures: QuerySet) -> list[Progress]:
    rows = list(
        measures.values("responsible_institution_id", "responsible_institution__name")
        .annotate(**_status_counts())
        .order_by("responsible_institution__name")
    )
    return [
        _to_progress(
            r,
            r["responsible_institution_id"],
            r["responsible_institution__name"] or _("No responsible institution"),
        )
        for r in rows
    ]


def public_measures() -> QuerySet[StrategyMeasure]:
    return StrategyMeasure.objects.select_related("objective", "responsible_institution").annotate(
        approved_comments=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED))
    )


def measure_detail(code: str) -> StrategyMeasure | None:
    return (
        StrategyMeasure.objects.select_related("objective", "responsible_institution")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=MeasureComment.objects.filter(status=CommentStatus.APPROVED)
                .select_related("author", "organization")
                .order_by("created_at", "pk"),
                to_attr="approved",
            )
        )
        .filter(code=code)
        .first()
    )


def responsible_institutions() -> QuerySet[Organization]:
    return Organization.objects.filter(
        pk__in=StrategyMeasure.objects.filter(responsible_institution__isnull=False).values(
            "responsible_institution_id"
        )
    ).order_by("name")


def pending_comments() -> QuerySet[MeasureComment]:
    return MeasureComment.objects.filter(status=CommentStatus.PENDING).select_related(
        "measure", "author", "organization"
    )


def measures_as_of_year(year: int) -> list:
    """The measures as they stood at the end of `year` (their history), or as they stand now
    for the current year. Each item has objective, code, title_*, responsible institution,
    deadline, status, indicator, progress_note and evidence_links."""
    today = timezone.localdate()
    if year >= today.year:
        return list(
            StrategyMeasure.objects.select_related("objective", "responsible_institution").order_by(
                "objective__ordering", "objective__code", "code"
            )
        )
    end = timezone.make_aware(datetime.combine(datetime(year, 12, 31).date(), time.max))
    historical = list(StrategyMeasure.history.as_of(end))
    objectives = StrategyObjective.objects.in_bulk({m.objective_id for m in historical})
    institutions = Organization.objects.in_bulk(
        {m.responsible_institution_id for m in historical if m.responsible_institution_id}
    )
    measures = []
    for item in historical:
        if item.objective_id not in objectives:
            continue
        measure = StrategyMeasure(
            **{f.attname: getattr(item, f.attname) for f in StrategyMeasure._meta.concrete_fields}
        )
        measure.objective = objectives[item.objective_id]
        measure.responsible_institution = institutions.get(item.responsible_institution_id)
        measures.append(measure)
    measures.sort(key=lambda m: (m.objective.ordering, m.objective.code, m.code))
    return measures
