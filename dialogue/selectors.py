"""Reads of dialogue reused by its views, API, tasks and other apps (transparency's measure
page calls `for_strategy_measure`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import BELGRADE, CalendarEvent, calendar
from core.site_url import site_url
from dialogue.choices import CLOSED_COMMITMENT, HOLDS_PLACE, CommentStatus, EventStatus, RegistrationStatus
from dialogue.models import Commitment, CommitmentComment, Event, EventSector, Registration

PUBLIC_EVENT = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


# --- events ---------------------------------------------------------------------------


def public_events(
    *, when: str = "upcoming", municipality=None, topic=None, kind: str = "", audience: str = ""
) -> QuerySet[Event]:
    """Published (and cancelled) events, upcoming (soonest first) or past (latest first)."""
    now = timezone.now()
    qs = Event.objects.filter(status__in=PUBLIC_EVENT).select_related("municipality", "topic", "organization")
    if when == "past":
        qs = qs.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(ends_at__gt=now).order_by("starts_at", "pk")
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if topic is not None:
        qs = qs.filter(topic=topic)
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(sectors__audience=audience)
    return qs


def event_detail(pk: int) -> Event | None:
    return (
        Event.objects.select_related("municipality", "topic", "organization")
        .prefetch_related("agenda")
        .filter(pk=pk)
        .first()
    )


def events_organised_by(user) -> QuerySet[Event]:
    """The events `user` organises (all of them for staff with their powers)."""
    from core.permissions import has_staff_powers
    from dialogue.rules import editable_organization_ids

    qs = Event.objects.select_related("municipality", "organization").order_by("-starts_at", "-pk")
    if has_staff_powers(user):
        return qs
    return qs.filter(organization_id__in=editable_organization_ids(user))


@dataclass
class SectorPlaces:
    sector: EventSector
    taken: int
    waiting: int
    attended: int

    @property
    def free(self) -> int:
        return max(self.sector.places - self.taken, 0)


def sector_places(event: Event) -> list[SectorPlaces]:
    """Each invited sector with its places taken, its waiting list and its attendance (one query)."""
    R = RegistrationStatus
    rows = EventSector.objects.filter(event=event).annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE)),
        waiting=Count("registrations", filter=Q(registrations__status=R.WAITING)),
        attended=Count("registrations", filter=Q(registrations__status=R.ATTENDED)),
    )
    return [SectorPlaces(sector=s, taken=s.taken, waiting=s.waiting, attended=s.attended) for s in rows]


def registrations_of_event(event: Event, *, search: str = "", status: str = "") -> QuerySet[Registration]:
    qs = (
        Registration.objects.filter(event=event)
        .select_related("sector", "organization", "user")
        .order_by("sector__audience", "name", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(code__iexact="".join(search.split()))
            | Q(organization__name__icontains=search)
            | Q(organization_name__icontains=search)
        )
    return qs


def registrations_of_user(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__municipality", "sector")
        .order_by("-event__starts_at", "-pk")
    )


def registration_of_user(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(user=user, event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("sector")
        .first()
    )


# --- calendar -------------------------------------------------------------------------


def _location(event: Event) -> str:
    parts = [event.place]
    if event.municipality_id:
        parts.append(event.municipality.name)
    if event.online_link:
        parts.append(event.online_link)
    return ", ".join(p for p in parts if p)


def calendar_text(events, *, name: str = "") -> str:
    """The iCalendar text of `events`, in the active language, times in Europe/Belgrade."""
    base = site_url()
    return calendar(
        [
            CalendarEvent(
                uid=f"dialogue-event-{event.pk}@cea-portal",
                start=event.starts_at,
                end=event.ends_at,
                summary=event.title,
                description=event.description,
                location=_location(event),
                url=base + event.get_absolute_url(),
                status="CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED",
                sequence=int(event.updated_at.timestamp()) % 2_000_000_000 if event.updated_at else 0,
                stamp=event.updated_at,
            )
            for event in events
        ],
        name=name or _("Dialogue events"),
        tz=BELGRADE,
    )


def calendar_feed_events(limit: int = 500) -> QuerySet[Event]:
    """The feed of all public events: the upcoming ones and those of the last year."""
    since = timezone.now() - timedelta(days=365)
    return (
        Event.objects.filter(status__in=PUBLIC_EVENT, ends_at__gte=since)
        .select_related("municipality")
        .order_by("starts_at", "pk")[:limit]
    )


# --- commitments ----------------------------------------------------------------------


def _overdue_q():
    return Q(status="late") | (Q(due_date__lt=timezone.localdate()) & ~Q(status__in=CLOSED_COMMITMENT))


def public_commitments(*, organization=None, status: str = "", event=None) -> QuerySet[Commitment]:
    """Commitments of public events, for the tracker. `status="late"` also finds the open
    ones past their date that the daily task has not moved yet (they show as late)."""
    qs = Commitment.objects.filter(event__status__in=PUBLIC_EVENT).select_related("organization", "event")
    if organization is not None:
        qs = qs.filter(organization=organization)
    if event is not None:
        qs = qs.filter(event=event)
    if status == "late":
        qs = qs.filter(_overdue_q())
    elif status:
        qs = qs.filter(status=status).exclude(_overdue_q())
    return qs.order_by("due_date", "pk")


def commitment_detail(pk: int) -> Commitment | None:
    return (
        Commitment.objects.filter(pk=pk, event__status__in=PUBLIC_EVENT)
        .select_related("organization", "event", "created_by")
        .first()
    )


def approved_comments(commitment: Commitment) -> QuerySet[CommitmentComment]:
    return commitment.comments.filter(status=CommentStatus.APPROVED).select_related("author")


def pending_comments() -> QuerySet[CommitmentComment]:
    return CommitmentComment.objects.filter(status=CommentStatus.PENDING).select_related(
        "author", "commitment", "commitment__organization"
    )


def commitments_of_organization(organization, limit: int = 10) -> list[Commitment]:
    """For the organisation's public profile (organizations.extensions)."""
    return list(public_commitments(organization=organization).order_by("-due_date", "-pk")[:limit])


def committed_organizations():
    from organizations.models import Organization

    return (
        Organization.objects.filter(dialogue_commitments__event__status__in=PUBLIC_EVENT)
        .distinct()
        .order_by("name")
    )


# --- for other apps -------------------------------------------------------------------


@dataclass
class MeasureDialogue:
    events: list
    commitments: list


def for_strategy_measure(measure_id: int, limit: int = 20) -> MeasureDialogue:
    """The public commitments linked to a Strategy measure and the events they came from
    (transparency's measure page shows them)."""
    commitments = list(public_commitments().filter(strategy_measure_id=measure_id)[:limit])
    events, seen = [], set()
    for commitment in commitments:
        if commitment.event_id not in seen:
            seen.add(commitment.event_id)
            events.append(commitment.event)
    events.sort(key=lambda e: e.starts_at, reverse=True)
    return MeasureDialogue(events=events, commitments=commitments)


# --- partnerships -----------------------------------------------------------------------


def public_partnerships(*, status: str = "", organization=None):
    from dialogue.models import Partnership

    qs = Partnership.objects.prefetch_related("members").order_by("-started_on", "-pk")
    if status:
        qs = qs.filter(status=status)
    if organization is not None:
        qs = qs.filter(members=organization)
    return qs


def partnership_detail(pk: int):
    from dialogue.models import Partnership

    return (
        Partnership.objects.prefetch_related(
            "members",
            Prefetch("events", queryset=Event.objects.filter(status__in=PUBLIC_EVENT).order_by("-starts_at")),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(event__status__in=PUBLIC_EVENT).select_related(
                    "organization", "event"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def partnerships_of_organization(organization, limit: int = 10) -> list:
    return list(public_partnerships(organization=organization)[:limit])


# --- the trust barometer ----------------------------------------------------------------


@dataclass
class TrustRow:
    audience: str
    label: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def _aggregate(event_ids) -> dict:
    """{(event_id, moment): {"n": count, field: average}} over TrustAnswer (one query)."""
    from django.db.models import Avg

    from dialogue.models import TRUST_FIELDS, TrustAnswer

    rows = (
        TrustAnswer.objects.filter(event_id__in=event_ids)
        .values("event_id", "moment")
        .annotate(n=Count("pk"), **{f: Avg(f) for f in TRUST_FIELDS.values()})
    )
    return {(r["event_id"], r["moment"]): r for r in rows}


def _barometer(aggregates: dict, event_id: int) -> dict | None:
    from dialogue.choices import TRUST_MIN_ANSWERS, Audience, SurveyMoment
    from dialogue.models import TRUST_FIELDS

    shown = {}
    counts = {}
    for moment in SurveyMoment.values:
        row = aggregates.get((event_id, moment))
        counts[moment] = row["n"] if row else 0
        # Privacy: a moment with fewer than TRUST_MIN_ANSWERS answers is not shown at all.
        shown[moment] = row if row and row["n"] >= TRUST_MIN_ANSWERS else None
    if not any(shown.values()):
        return None
    rows = []
    for audience in Audience:
        field = TRUST_FIELDS[audience]
        values = {m: (round(float(shown[m][field]), 1) if shown[m] else None) for m in SurveyMoment.values}
        rows.append(TrustRow(audience.value, str(audience.label), values["before"], values["after"]))
    return {
        "rows": rows,
        "before_count": counts["before"] if shown["before"] else None,
        "after_count": counts["after"] if shown["after"] else None,
    }


def trust_barometer(event) -> dict | None:
    """The event's trust per sector before vs after, averages only; a moment with fewer than
    TRUST_MIN_ANSWERS answers is left out, None when neither is shown."""
    return _barometer(_aggregate([event.pk]), event.pk)


def events_with_trust_answers():
    """Public events with enough answers for a barometer, latest first (for the public page)."""
    from dialogue.choices import TRUST_MIN_ANSWERS

    return (
        Event.objects.filter(status__in=PUBLIC_EVENT)
        .annotate(trust_n=Count("trust_answers"))
        .filter(trust_n__gte=TRUST_MIN_ANSWERS)
        .order_by("-starts_at", "-pk")
    )


def trust_barometers(events) -> list[tuple]:
    """[(event, barometer)] for a page of events, with one aggregate query."""
    events = list(events)
    aggregates = _aggregate([e.pk for e in events])
    return [(e, b) for e in events if (b := _barometer(aggregates, e.pk)) is not None]


def published_follow_up(event: Event):
    """The event's published minutes / closing report with its documents and photos, shown on
    its page once it has ended (None before, or when there is none)."""
    from dialogue.models import EventFollowUp

    if event.status != EventStatus.PUBLISHED or not event.is_past:
        return None
    return (
        EventFollowUp.objects.filter(event=event, published_at__isnull=False)
        .prefetch_related("documents", "photos")
        .first()
    )


def is_following(user, kind: str, object_id: int) -> bool:
    from dialogue.models import Follow

    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, kind=kind, object_id=object_id).exists()
