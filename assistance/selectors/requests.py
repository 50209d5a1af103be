"""Reads of help requests: the requester's list, the expert's inbox, the staff triage list,
and the visible request with what its page shows."""

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.fields import BooleanField
from django.utils import timezone

from assistance.choices import OPEN_STATUSES, RequestStatus
from assistance.models import Expert, HelpRequest
from organizations.models import Membership


def is_active_expert(user) -> bool:
    """Whether `user` answers requests now (the navbar's "expert inbox")."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Expert.objects.filter(user=user, active=True).exists()


def expert_of(user) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user=user, active=True).select_related("organization").first()


def with_overdue(qs: QuerySet) -> QuerySet:
    """`overdue` on every row, computed in the database (see selectors.targets)."""
    today = timezone.localdate()
    return qs.annotate(
        overdue=Case(
            When(Q(status__in=OPEN_STATUSES) & Q(due_on__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _listed(qs: QuerySet) -> QuerySet:
    return with_overdue(qs.select_related("organization", "expert__user", "requester", "municipality"))


def requests_of_requester_side(*, user) -> QuerySet[HelpRequest]:
    """The requests a person sees as the requester side: theirs, and their organisations'."""
    member_of = Membership.objects.filter(user=user, organization=OuterRef("organization"))
    return _listed(HelpRequest.objects.filter(Q(requester=user) | Q(Exists(member_of)))).order_by(
        "-submitted_at", "-pk"
    )


def requests_of_expert(*, expert: Expert) -> QuerySet[HelpRequest]:
    """The expert's inbox: open requests first, the soonest due first."""
    return _listed(HelpRequest.objects.filter(expert=expert)).order_by(
        Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1)), "due_on", "-pk"
    )


TRIAGE_VIEWS = ("unassigned", "overdue", "open", "all")


def triage_requests(*, view: str = "unassigned", category: str = "") -> QuerySet[HelpRequest]:
    """The staff triage list: unassigned (new), overdue, every open one, or all; by category."""
    qs = _listed(HelpRequest.objects.all())
    if view == "unassigned":
        qs = qs.filter(status=RequestStatus.NEW)
    elif view == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    elif view == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by(F("due_on").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")


def experts_for(*, category: str) -> list[Expert]:
    """The active experts who cover `category` (assignable)."""
    experts = Expert.objects.filter(active=True).select_related("user", "organization")
    return [e for e in experts if e.covers(category)]


def request_for_page(pk: int) -> HelpRequest | None:
    return (
        HelpRequest.objects.select_related(
            "organization", "expert__user", "expert__organization", "requester", "municipality"
        )
        .filter(pk=pk)
        .first()
    )
