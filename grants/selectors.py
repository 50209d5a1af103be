"""Reads reused across views, API, tasks and other apps."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from grants.models import Application, Grant


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


# --- KCSF's lists (helper C) ----------------------------------------------------------------


def staff_call_list():
    """Every call (published or not) with its applications counted per status, the total
    requested by sent applications and what it has awarded — one query."""
    from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Value
    from django.db.models.functions import Coalesce

    from grants.choices import ApplicationStatus
    from grants.models import Call

    sent = ~Q(applications__status=ApplicationStatus.DRAFT)
    counts = {
        f"n_{status.value}": Count("applications", filter=Q(applications__status=status))
        for status in ApplicationStatus
    }
    awarded = (
        Grant.objects.filter(call=OuterRef("pk"))
        .order_by()
        .values("call")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Call.objects.annotate(
        **counts,
        n_sent=Count("applications", filter=sent),
        total_requested=Coalesce(
            Sum("applications__requested_amount", filter=sent), Value(Decimal("0.00")), output_field=money
        ),
        awarded=Coalesce(Subquery(awarded, output_field=money), Value(Decimal("0.00")), output_field=money),
    ).order_by("-opens_at", "pk")


def staff_application_list(call, filters: dict | None = None):
    """The call's sent applications (drafts left out) for the staff list, filtered by
    status, eligibility, applicant type, municipality and a search of reference, title
    and applicant (person, group or organisation)."""
    from django.db.models import Q

    from grants.choices import ApplicationStatus
    from grants.models import Application

    filters = filters or {}
    qs = (
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant", "organization", "municipality")
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("eligibility"):
        qs = qs.filter(eligibility=filters["eligibility"])
    if filters.get("applicant_type"):
        qs = qs.filter(applicant_type=filters["applicant_type"])
    if filters.get("municipality"):
        qs = qs.filter(municipality=filters["municipality"])
    if query := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(reference__icontains=query)
            | Q(title__icontains=query)
            | Q(group_name__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(applicant__email__icontains=query)
            | Q(applicant__full_name__icontains=query)
        )
    return qs.order_by("-submitted_at", "-pk")


RANKED_STATUSES = ("submitted", "under_review", "approved")
# What a row of the ranking table shows (and `Application.applicant_name` reads).
RANKING_FIELDS = (
    "call_id",
    "reference",
    "title",
    "stage",
    "status",
    "applicant_type",
    "group_name",
    "requested_amount",
    "average_score",
    "reviews_done",
    "reviews_assigned",
    "applicant__full_name",
    "applicant__email",
    "organization__name",
)


def committed_total(call) -> Decimal:
    """What the call has already awarded."""
    return call.grants.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def ranking_page(call, *, stage=None, number=1, per_page: int = 50):
    """Page `number` of the call's ranking (one query) and the call's committed total. Each
    row also gets `total_with_committed` (its running total on top of what is awarded),
    `within_budget`, and `is_cutoff`: the first row the budget no longer covers, above which
    the cut-off line is drawn."""
    from core.pagination import page_with_total

    page = page_with_total(ranking(call, stage=stage), number, per_page)
    rows = page.object_list
    committed = rows[0].committed if rows else committed_total(call)
    for row in rows:
        total = committed + (row.running_total or Decimal("0"))
        before = total - (row.pending_amount or Decimal("0"))
        row.within_budget = total <= call.total_budget
        row.is_cutoff = row.status != "approved" and before <= call.total_budget < total
        row.total_with_committed = total
    return page, committed


def ranking(call, stage=None):
    """The ranking table of a call: its applications in assessment (submitted, under review)
    and the approved ones, by average weighted score (best first, unscored last), then the
    smaller request first. One query: `rank` and `running_total` are window functions over
    the whole set (so pages after the first carry on the same total). The running total
    adds up the requests still to decide (approved ones are counted in the call's committed
    total instead), which every row also carries as `committed` (computed once by the
    database), so a page of the table is one query (`ranking_page`)."""
    from django.db.models import Case, DecimalField, F, Subquery, Value, When, Window
    from django.db.models.expressions import RowRange
    from django.db.models.functions import Coalesce, RowNumber

    from grants.models import Application

    money = DecimalField(max_digits=14, decimal_places=2)
    order = [F("average_score").desc(nulls_last=True), F("requested_amount").asc(), F("pk").asc()]
    pending_amount = Case(
        When(status="approved", then=Value(Decimal("0.00"))),
        default=F("requested_amount"),
        output_field=money,
    )
    qs = Application.objects.filter(call=call, status__in=RANKED_STATUSES)
    if stage:
        qs = qs.filter(stage=stage)
    return (
        qs.select_related("applicant", "organization")
        .only(*RANKING_FIELDS)
        .annotate(
            rank=Window(RowNumber(), order_by=order),
            running_total=Window(
                Sum(pending_amount), order_by=order, frame=RowRange(start=None, end=0), output_field=money
            ),
            pending_amount=pending_amount,
            committed=Coalesce(
                Subquery(
                    Grant.objects.filter(call_id=call.pk)
                    .order_by()
                    .values("call_id")
                    .annotate(total=Sum("amount"))
                    .values("total")
                ),
                Value(Decimal("0.00")),
                output_field=money,
            ),
        )
        .order_by(*order)
    )


def sees_reviews(user) -> bool:
    """Whether the navbar offers "My reviews": staff, the reviewer pool, anyone assigned one."""
    from grants.models import ReviewAssignment

    return (
        user.is_staff
        or ReviewAssignment.objects.filter(reviewer=user).exists()
        or user.has_perm("grants.act_as_reviewer")
    )


def review_assignments_of(user):
    """The signed-in reviewer's assignments (every stage): to declare first, then to score,
    then done, then declined; newest first within each."""
    from django.db.models import Case, IntegerField, Value, When

    from grants.choices import AssignmentStatus as A
    from grants.models import ReviewAssignment

    first = Case(
        When(status=A.ASSIGNED, then=Value(0)),
        When(status=A.ACCEPTED, then=Value(1)),
        When(status=A.SUBMITTED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application", "application__call")
        .annotate(status_order=first)
        .order_by("status_order", "-created_at", "-pk")
    )


def applications_for_applicant(user):
    """Every application `user` may act on or read as the applicant's side: the ones they
    started and those of organisations they are a member of; newest first, with what a
    list row shows (call, organisation, applicant, grant) in the same query."""
    from organizations.models import Membership

    if not user.is_authenticated:
        return Application.objects.none()
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return (
        Application.objects.filter(Q(applicant=user) | Q(organization__in=organizations))
        .select_related("call", "organization", "applicant", "grant")
        .order_by("-created_at", "-pk")
    )


# --- open data and the API (helper E) -------------------------------------------------------

# Grants shown to the public. Terminated grants stay listed (with their status): the money
# was publicly committed, and open data keeps the record of what happened to it.
PUBLIC_GRANT_STATUSES = ("awarded", "active", "closed", "terminated")


def public_grants():
    """Awarded grants for the public list, its downloads and the API: everything a row shows
    (call, application, organisation, municipality) in the same query, newest first."""
    return (
        Grant.objects.filter(status__in=PUBLIC_GRANT_STATUSES)
        .select_related("call", "application", "application__organization", "application__municipality")
        .defer(
            "conditions",
            "application__answers",
            "application__eligibility_reason",
            "application__decision_note",
            "call__description_sq",
            "call__description_sr",
            "call__description_en",
            "application__organization__description",
        )
        .order_by("-awarded_at", "-pk")
    )


def filter_public_grants(qs, *, call=None, year=None, municipality=None, applicant_type=None, q=""):
    """The public list's filters. `call` and `municipality` are model instances (or None).
    The search never looks into what is withheld: the person behind an individual's grant
    and the summary of their project."""
    if call is not None:
        qs = qs.filter(call=call)
    if year:
        qs = qs.filter(awarded_at__year=year)
    if municipality is not None:
        qs = qs.filter(application__municipality=municipality)
    if applicant_type:
        qs = qs.filter(application__applicant_type=applicant_type)
    if query := (q or "").strip():
        qs = qs.filter(
            Q(application__reference__icontains=query)
            | Q(application__title__icontains=query)
            | (Q(application__summary__icontains=query) & ~Q(application__applicant_type="individual"))
            | Q(application__group_name__icontains=query)
            | Q(application__organization__name__icontains=query)
            | Q(call__title_sq__icontains=query)
            | Q(call__title_sr__icontains=query)
            | Q(call__title_en__icontains=query)
        )
    return qs


# What a row of the public list shows (grants.views.open_data, _awarded_list.html).
PUBLIC_LIST_FIELDS = (
    "amount",
    "awarded_at",
    "status",
    "starts_on",
    "ends_on",
    "call__slug",
    "call__title_sq",
    "call__title_sr",
    "call__title_en",
    "application__reference",
    "application__title",
    "application__summary",
    "application__applicant_type",
    "application__group_name",
    "application__starts_on",
    "application__ends_on",
    "application__organization__name",
    "application__organization__slug",
    "application__organization__is_active",
    "application__municipality__name_sq",
    "application__municipality__name_sr",
    "application__municipality__name_en",
)


def public_grant_page(qs, number, per_page: int):
    """Page `number` of `qs` (public grants) for the public list, reading only the columns it
    shows, and the totals of the whole `qs` ({"count", "total"}), in one query: every row
    carries the sum (`SUM(amount) OVER ()`) and the number of rows (`COUNT(*) OVER ()`)."""
    from django.db.models import Window

    from core.pagination import page_with_total

    page = page_with_total(
        qs.only(*PUBLIC_LIST_FIELDS).annotate(public_total=Window(Sum("amount"))), number, per_page
    )
    rows = page.object_list
    total = rows[0].public_total if rows else Decimal("0.00")
    return page, {"count": page.paginator.count, "total": total}


def public_grant_years() -> list[int]:
    """Years of the awarded public grants, newest first (the year filter's choices)."""
    from django.db.models import Max, Min
    from django.utils import timezone

    span = Grant.objects.filter(status__in=PUBLIC_GRANT_STATUSES).aggregate(
        first=Min("awarded_at"), last=Max("awarded_at")
    )
    if span["first"] is None:
        return []
    # The span from the first award to the last (one cheap query; a year without awards
    # in between simply lists nothing).
    first, last = timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year
    return list(range(last, first - 1, -1))


def public_grant_by_identifier(identifier: str):
    """The public grant with this 360Giving identifier (`<GRANTS_360_PREFIX>-<reference>`), or None."""
    from django.conf import settings

    prefix = f"{settings.GRANTS_360_PREFIX}-"
    if not identifier.startswith(prefix):
        return None
    return public_grants().filter(application__reference=identifier[len(prefix) :]).first()


def public_calls():
    """Published calls with their targeting, form and rubric, for the public API."""
    from django.db.models import Prefetch

    from grants.models import Call, Criterion, Question

    return (
        Call.objects.published()
        .prefetch_related(
            "municipalities",
            "sectors",
            Prefetch("questions", queryset=Question.objects.order_by("stage", "order", "pk")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("stage", "order", "pk")),
        )
        .order_by("-opens_at", "pk")
    )


def partner_applications(organization=None):
    """Sent applications (never drafts) for the partner API: of the calls `organization`
    co-manages, or of every call when `organization` is None (KCSF staff). With the call,
    organisation, municipality, grant and the latest revision (`latest_revisions`)."""
    from django.db.models import OuterRef, Prefetch, Subquery

    from grants.choices import ApplicationStatus
    from grants.models import Call, Revision

    qs = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if organization is not None:
        qs = qs.filter(call__in=Call.objects.filter(co_managers=organization).values("pk"))
    latest = Revision.objects.filter(
        number=Subquery(
            Revision.objects.filter(application=OuterRef("application"))
            .order_by("-number")
            .values("number")[:1]
        )
    )
    return (
        qs.select_related("call", "organization", "municipality", "grant")
        .prefetch_related(Prefetch("revisions", queryset=latest, to_attr="latest_revisions"))
        .order_by("-submitted_at", "-pk")
    )
