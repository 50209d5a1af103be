"""Follows: a signed-in person follows an event, a partnership or an organisation, and gets a
digest of what changed in them (`dialogue.services.digests`).

What may be followed is a small registry of kinds. Each kind names the rows that may be
followed (a queryset: only what is public) and a function giving what changed since a time
for a set of ids, in a few queries whatever the number of ids. Adding a kind is a few lines:

    def _consultation_changes(ids, since, until) -> list[Change]:
        rows = Consultation.objects.filter(pk__in=ids, updated_at__gt=since, updated_at__lte=until)
        return [Change(kind="consultation", object_id=c.pk, when=c.updated_at, key=("consultation", c.pk),
                       path=c.get_absolute_url, describe=lambda c=c: gettext("Consultation “%s” changed") % c)
                for c in rows]

    register(FollowKind(key="consultation", label=gettext_lazy("Consultations"),
                        queryset=lambda: Consultation.objects.filter(status__in=PUBLIC),
                        changes=_consultation_changes))

and `{% follow_button "consultation" consultation %}` (dialogue_tags) on its page; the module
that registers must be imported at start-up (dialogue's `ready()` imports this one).

A follow keeps the followed row's id without a foreign key: when the row is deleted (or is no
longer public) the follow is skipped by the digest and shown as gone on "What I follow".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from dialogue.choices import (
    PUBLIC_CONSULTATION,
    CommitmentStatus,
    ConsultationStatus,
    EventStatus,
    FollowUpKind,
    PartnershipStatus,
)
from dialogue.formats import event_in_full
from dialogue.models import (
    Commitment,
    Consultation,
    ConsultationComment,
    DigestSubscription,
    Event,
    EventFollowUp,
    Follow,
    Partnership,
)
from dialogue.selectors import PUBLIC_EVENT


@dataclass(frozen=True)
class Change:
    """One thing that changed, for the digest. `describe()` gives its line in the active
        language and `path()` its page's address in it (both called while the recipient's email
    is rendered); `key` identifies the change
        itself, so that one reached through two follows (an event and its organiser) is listed
        once."""

    kind: str
    object_id: int
    when: datetime
    key: tuple
    path: Callable[[], str] = field(compare=False)  # its page, in the active language
    describe: Callable[[], str] = field(compare=False)

    @property
    def text(self) -> str:
        return self.describe()

    @property
    def url(self) -> str:
        return self.path()


@dataclass(frozen=True)
class FollowKind:
    key: str
    label: Any  # lazy: the heading on "What I follow"
    queryset: Callable[[], QuerySet]  # the rows that may be followed (public ones)
    changes: Callable[[set[int], datetime, datetime], list[Change]]  # (ids, since, until)

    def load(self, ids: Iterable[int]) -> dict[int, Any]:
        """The followed rows that still exist and may be followed, by id (one query)."""
        return {obj.pk: obj for obj in self.queryset().filter(pk__in=list(ids))}

    def get(self, object_id) -> Any | None:
        try:
            object_id = int(object_id)
        except (TypeError, ValueError):
            return None
        return self.queryset().filter(pk=object_id).first()


KINDS: dict[str, FollowKind] = {}


def register(kind: FollowKind) -> None:
    KINDS[kind.key] = kind


def kind_of(key: str) -> FollowKind | None:
    return KINDS.get(key)


# --- following ------------------------------------------------------------------------------


def follow(*, user, kind: str, object_id: int) -> Follow:
    """Follow a public object; following twice is harmless. The first follow also starts the
    person's digest (weekly, changeable on "What I follow")."""
    require(user, "dialogue.follow")
    follow_kind = kind_of(kind)
    obj = follow_kind.get(object_id) if follow_kind else None
    if obj is None:
        raise ValidationError(_("This cannot be followed."), code="not_followable")
    try:
        with transaction.atomic():
            row, _created = Follow.objects.get_or_create(user=user, kind=kind, object_id=obj.pk)
            DigestSubscription.objects.get_or_create(user=user)
    except IntegrityError:  # a double click that passed get_or_create at the same moment
        row = Follow.objects.get(user=user, kind=kind, object_id=obj.pk)
    return row


def unfollow(*, user, kind: str, object_id) -> bool:
    """Stop following (also something deleted since); unfollowing twice is harmless."""
    require(user, "dialogue.follow")
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        return False
    deleted, _rows = Follow.objects.filter(user=user, kind=kind, object_id=object_id).delete()
    return bool(deleted)


def digest_set(*, user, frequency: str) -> DigestSubscription:
    from dialogue.choices import DigestFrequency

    require(user, "dialogue.follow")
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose how often you get the digest.")})
    subscription, _created = DigestSubscription.objects.get_or_create(user=user)
    if subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
    return subscription


def follows_of(user) -> list[dict]:
    """What `user` follows, by kind: [{"kind", "label", "items": [(follow, obj or None)]}] in
    one query per kind followed (obj None: deleted or no longer public)."""
    rows = list(Follow.objects.filter(user=user).order_by("kind", "-created_at", "pk"))
    groups = []
    for key, follow_kind in KINDS.items():
        mine = [row for row in rows if row.kind == key]
        if not mine:
            continue
        objects = follow_kind.load(row.object_id for row in mine)
        groups.append(
            {
                "kind": key,
                "label": follow_kind.label,
                "items": [(row, objects.get(row.object_id)) for row in mine],
            }
        )
    return groups


# --- the kinds of dialogue ------------------------------------------------------------------


def _in_full(event) -> str:
    return event_in_full(event)


def _event_line(event: Event, new: bool) -> str:
    if event.status == EventStatus.CANCELLED:
        return gettext("Event cancelled: “%(title)s” (%(when)s)") % {
            "title": event.title,
            "when": _in_full(event),
        }
    text = (
        gettext("New event: “%(title)s”, %(when)s")
        if new
        else gettext("Event updated: “%(title)s”, %(when)s")
    )
    return text % {"title": event.title, "when": _in_full(event)}


def _event_changes(events: dict, kind: str, follow_of: Callable[[Event], int], since, until) -> list[Change]:
    rows = (
        Event.objects.filter(**events, status__in=PUBLIC_EVENT, updated_at__gt=since, updated_at__lte=until)
        .select_related("municipality")
        .order_by("pk")
    )
    return [
        Change(
            kind=kind,
            object_id=follow_of(event),
            when=event.updated_at,
            key=("event", event.pk, event.updated_at),
            path=event.get_absolute_url,
            describe=lambda event=event, new=event.created_at > since: _event_line(event, new),
        )
        for event in rows
    ]


def _follow_up_line(follow_up: EventFollowUp) -> str:
    if follow_up.kind == FollowUpKind.REPORT:
        return gettext("Closing report published: “%(title)s”") % {"title": follow_up.event.title}
    return gettext("Minutes published: “%(title)s”") % {"title": follow_up.event.title}


def _follow_up_changes(events: dict, kind: str, follow_of, since, until) -> list[Change]:
    rows = (
        EventFollowUp.objects.filter(
            published_at__gt=since,
            published_at__lte=until,
            event__status=EventStatus.PUBLISHED,
            **{f"event__{lookup}": value for lookup, value in events.items()},
        )
        .select_related("event")
        .order_by("pk")
    )
    return [
        Change(
            kind=kind,
            object_id=follow_of(follow_up.event),
            when=follow_up.published_at,
            key=("follow_up", follow_up.pk),
            path=follow_up.event.get_absolute_url,
            describe=lambda follow_up=follow_up: _follow_up_line(follow_up),
        )
        for follow_up in rows
    ]


def _status_changes(workflow: str, object_ids, since, until) -> list:
    from core.models import StatusChange

    return list(
        StatusChange.objects.filter(
            workflow=workflow, object_id__in=object_ids, created_at__gt=since, created_at__lte=until
        ).order_by("created_at", "pk")
    )


def _commitment_line(commitment: Commitment, to_status: str) -> str:
    return gettext("Commitment of %(organization)s: “%(what)s” is now “%(status)s”") % {
        "organization": commitment.organization.name,
        "what": commitment.what[:120],
        "status": CommitmentStatus(to_status).label if to_status in CommitmentStatus.values else to_status,
    }


def _commitment_changes(commitments: dict, kind: str, follow_of, since, until) -> list[Change]:
    ids = Commitment.objects.filter(**commitments, event__status__in=PUBLIC_EVENT).values("pk")
    moves = _status_changes("dialogue.commitment", ids, since, until)
    if not moves:
        return []
    commitments = Commitment.objects.select_related("organization").in_bulk({m.object_id for m in moves})
    changes = []
    for move in moves:
        commitment = commitments.get(move.object_id)
        if commitment is None:  # deleted since
            continue
        changes.append(
            Change(
                kind=kind,
                object_id=follow_of(commitment),
                when=move.created_at,
                key=("commitment", move.pk),
                path=commitment.get_absolute_url,
                describe=lambda c=commitment, to=move.to_status: _commitment_line(c, to),
            )
        )
    return changes


def event_changes(ids: set[int], since, until) -> list[Change]:
    """A followed event: it changed (or was cancelled), its follow-up was published, one of
    its commitments moved."""
    return [
        *_event_changes({"pk__in": ids}, "event", lambda e: e.pk, since, until),
        *_follow_up_changes({"pk__in": ids}, "event", lambda e: e.pk, since, until),
        *_commitment_changes({"event_id__in": ids}, "event", lambda c: c.event_id, since, until),
    ]


def organization_changes(ids: set[int], since, until) -> list[Change]:
    """A followed organisation or institution: its events (new or changed), their
    follow-ups, and the status of its commitments."""
    mine = {"organization_id__in": ids}
    return [
        *_event_changes(mine, "organization", lambda e: e.organization_id, since, until),
        *_follow_up_changes(mine, "organization", lambda e: e.organization_id, since, until),
        *_commitment_changes(mine, "organization", lambda c: c.organization_id, since, until),
    ]


def _partnership_line(partnership: Partnership, to_status: str) -> str:
    return gettext("Partnership “%(name)s” is now “%(status)s”") % {
        "name": partnership.name,
        "status": PartnershipStatus(to_status).label if to_status in PartnershipStatus.values else to_status,
    }


def partnership_changes(ids: set[int], since, until) -> list[Change]:
    moves = _status_changes("dialogue.partnership", ids, since, until)
    if not moves:
        return []
    partnerships = Partnership.objects.in_bulk({m.object_id for m in moves})
    return [
        Change(
            kind="partnership",
            object_id=move.object_id,
            when=move.created_at,
            key=("partnership", move.pk),
            path=partnerships[move.object_id].get_absolute_url,
            describe=lambda p=partnerships[move.object_id], to=move.to_status: _partnership_line(p, to),
        )
        for move in moves
        if move.object_id in partnerships
    ]


def _consultation_status_line(consultation: Consultation, to_status: str) -> str:
    if to_status == ConsultationStatus.OPEN:
        return gettext("Consultation “%(title)s” is open for comments until %(closes)s") % {
            "title": consultation.title,
            "closes": date_format(timezone.localtime(consultation.closes_at), "DATETIME_FORMAT"),
        }
    return gettext("Consultation “%(title)s” is closed") % {"title": consultation.title}


def _consultation_answers_line(consultation: Consultation, count: int) -> str:
    return ngettext(
        "Consultation “%(title)s”: the organiser answered %(count)d comment",
        "Consultation “%(title)s”: the organiser answered %(count)d comments",
        count,
    ) % {"title": consultation.title, "count": count}


def consultation_changes(ids: set[int], since, until) -> list[Change]:
    """A consultation opening or closing, and the organiser's answers given in the period (one
    line per consultation with their count): three queries whatever the number of ids."""
    moves = _status_changes("dialogue.consultation", ids, since, until)
    answered = {
        row["section__consultation_id"]: (row["n"], row["last"])
        for row in ConsultationComment.objects.filter(
            section__consultation_id__in=ids, answered_at__gt=since, answered_at__lte=until
        )
        .values("section__consultation_id")
        .annotate(n=Count("pk"), last=Max("answered_at"))
        .order_by()
    }
    wanted = {m.object_id for m in moves} | set(answered)
    if not wanted:
        return []
    consultations = Consultation.objects.filter(status__in=PUBLIC_CONSULTATION).in_bulk(wanted)
    changes = [
        Change(
            kind="consultation",
            object_id=move.object_id,
            when=move.created_at,
            key=("consultation", move.pk),
            path=consultations[move.object_id].get_absolute_url,
            describe=lambda c=consultations[move.object_id], to=move.to_status: _consultation_status_line(
                c, to
            ),
        )
        for move in moves
        if move.object_id in consultations
    ]
    changes += [
        Change(
            kind="consultation",
            object_id=pk,
            when=last,
            key=("consultation-answers", pk, last),
            path=consultations[pk].get_absolute_url,
            describe=lambda c=consultations[pk], n=n: _consultation_answers_line(c, n),
        )
        for pk, (n, last) in answered.items()
        if pk in consultations
    ]
    return changes


def _organizations():
    from organizations.models import Organization

    return Organization.objects.filter(is_active=True)


register(
    FollowKind(
        key="event",
        label=_("Events"),
        queryset=lambda: Event.objects.filter(status__in=PUBLIC_EVENT).select_related("municipality"),
        changes=event_changes,
    )
)
register(
    FollowKind(
        key="partnership",
        label=_("Partnerships"),
        queryset=Partnership.objects.all,
        changes=partnership_changes,
    )
)
register(
    FollowKind(
        key="organization",
        label=_("Organisations and institutions"),
        queryset=_organizations,
        changes=organization_changes,
    )
)
register(
    FollowKind(
        key="consultation",
        label=_("Public consultations"),
        queryset=lambda: Consultation.objects.filter(status__in=PUBLIC_CONSULTATION),
        changes=consultation_changes,
    )
)
