"""Reads of dialogue reused by its views, API, tasks and other apps (transparency's measure
page calls `for_strategy_measure`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import BELGRADE, CalendarEvent, calendar
from core.site_url import site_url
from dialogue.choices import (
    CLOSED_COMMITMENT,
    HOLDS_PLACE,
    PUBLIC_CONSULTATION,
    CommentStatus,
    ConsultationStatus,
    EventStatus,
    RegistrationStatus,
)
from dialogue.models import (
    CommentSupport,
    Commitment,
    CommitmentComment,
    Consultation,
    ConsultationComment,
    ConsultationSection,
    Event,
    EventSector,
    Registration,
)

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


# --- public consultations ---------------------------------------------------------------


def _consultation_counts(qs):
    return qs.annotate(
        section_count=Count("sections", distinct=True),
        comment_count=Count("sections__comments", distinct=True),
        answered_count=Count("sections__comments", filter=~Q(sections__comments__verdict=""), distinct=True),
    )


def public_consultations(*, state: str = ""):
    """Open and closed consultations, with their counts of sections, comments and answers.
    `state`: "open" (taking comments now), "closed" (closed or past its close date), or all."""
    now = timezone.now()
    qs = Consultation.objects.filter(status__in=PUBLIC_CONSULTATION).select_related("organization")
    ended = Q(status=ConsultationStatus.CLOSED) | Q(closes_at__lte=now)
    if state == "open":
        qs = qs.exclude(ended)
    elif state == "closed":
        qs = qs.filter(ended)
    return _consultation_counts(qs).order_by("-opens_at", "-pk")


def public_consultations_for_api():
    """Open and closed consultations with their counts and their sections (each with its own
    counts): three queries for a page, whatever its size."""
    sections = ConsultationSection.objects.annotate(
        comment_count=Count("comments", distinct=True),
        answered_count=Count("comments", filter=~Q(comments__verdict=""), distinct=True),
    ).order_by("position", "pk")
    return public_consultations().prefetch_related(Prefetch("sections", queryset=sections))


def consultations_for_staff():
    """Every consultation (drafts too), newest first, with their counts."""
    return _consultation_counts(Consultation.objects.select_related("organization")).order_by(
        "-created_at", "-pk"
    )


def consultation_detail(pk: int):
    return Consultation.objects.select_related("organization").filter(pk=pk).first()


def consultation_sections(consultation, user=None) -> list:
    """The sections in order, each with its comments (authors, answers and support counts;
    `supported` for what `user` supports). Three queries, whatever the number of comments."""
    comments = ConsultationComment.objects.select_related("author").annotate(
        support_count=Count("supports", distinct=True)
    )
    if user is not None and user.is_authenticated:
        comments = comments.annotate(
            supported=Exists(CommentSupport.objects.filter(comment=OuterRef("pk"), user=user))
        )
    else:
        comments = comments.annotate(supported=Value(False))
    return list(
        ConsultationSection.objects.filter(consultation=consultation)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("comments", queryset=comments.order_by("created_at", "pk")))
    )


def consultation_comment(pk: int):
    return (
        ConsultationComment.objects.select_related("section__consultation__organization", "author")
        .filter(pk=pk)
        .first()
    )


def unanswered_comments(consultation=None):
    """Comments of published consultations still waiting for the organiser's answer, oldest first."""
    qs = (
        ConsultationComment.objects.filter(verdict="", section__consultation__status__in=PUBLIC_CONSULTATION)
        .select_related("section__consultation", "author")
        .order_by("created_at", "pk")
    )
    if consultation is not None:
        qs = qs.filter(section__consultation=consultation)
    return qs


def consultation_report_comments(consultation):
    """Every comment of `consultation` with its section, author, supports and answer, in the
    document's order (the report)."""
    return (
        ConsultationComment.objects.filter(section__consultation=consultation)
        .select_related("section", "author", "answered_by")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("section__position", "section_id", "created_at", "pk")
    )


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
