"""Reads of the mentoring series: the series a person sees, a series' page with its plan, and
its progress against the plan."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assistance.models import MentoringSeries, MentoringSession
from core.permissions import has_staff_powers


def series_visible_to(user) -> QuerySet[MentoringSeries]:
    """Staff see every series; others the ones they mentor or whose organisation they belong to."""
    qs = (
        MentoringSeries.objects.select_related("mentor__user", "organization")
        .annotate(
            planned_count=Count("sessions"),
            held_count=Count("sessions", filter=Q(sessions__held_on__isnull=False)),
        )
        .order_by("-started_on", "-pk")
    )
    if has_staff_powers(user):
        return qs
    from organizations.models import Membership

    member_of = Membership.objects.filter(user=user).values("organization_id")
    return qs.filter(Q(mentor__user=user, mentor__active=True) | Q(organization_id__in=member_of))


def series_for_page(pk: int) -> MentoringSeries | None:
    return MentoringSeries.objects.select_related("mentor__user", "organization").filter(pk=pk).first()


def session_of(series: MentoringSeries, pk: int) -> MentoringSession | None:
    return series.sessions.filter(pk=pk).first()


@dataclass(frozen=True)
class Progress:
    planned: int  # sessions in the plan
    held: int  # logged as held
    missed: int  # planned before today, not logged
    next_session: MentoringSession | None  # the first not yet held, on or after today

    @property
    def percent(self) -> int:
        return round(100 * self.held / self.planned) if self.planned else 0


def progress(sessions: list[MentoringSession], *, today: date | None = None) -> Progress:
    """Progress against the plan, from the series' sessions (already read: no query)."""
    today = today or timezone.localdate()
    open_ = [s for s in sessions if s.held_on is None]
    upcoming = sorted((s for s in open_ if s.planned_on >= today), key=lambda s: (s.planned_on, s.pk))
    return Progress(
        planned=len(sessions),
        held=len(sessions) - len(open_),
        missed=sum(1 for s in open_ if s.planned_on < today),
        next_session=upcoming[0] if upcoming else None,
    )
