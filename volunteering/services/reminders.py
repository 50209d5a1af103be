"""Reminders of volunteering, each sent once (core.reminders), in the recipient's language:

- the application deadline of a saved opportunity is 3 days away (or nearer: a missed run
  still sends), to each person who saved it and has not applied;
- hours logged 7 days ago and still unconfirmed, to the editors of the organisation;
- the monthly digest of new opportunities that fit a person who opted in (one per person
  per calendar month, only when something fits).
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.reminders import BATCH, already_sent, in_batches, remind_once, sent_to
from organizations.selectors import editors_by_organization
from volunteering.choices import HoursStatus
from volunteering.models import Application, HoursEntry, SavedOpportunity, VolunteerProfile
from volunteering.selectors import matching

DEADLINE_SOON = "volunteering.deadline_soon"
HOURS_UNCONFIRMED = "volunteering.hours_unconfirmed"
MONTHLY_DIGEST = "volunteering.monthly_digest"
DEADLINE_DAYS = 3
UNCONFIRMED_DAYS = 7
DIGEST_NEW_DAYS = 31
DIGEST_MIN_FIT = 50
DIGEST_SIZE = 5
DIGEST_BATCH = 200  # people ranked together: a batch costs the same few queries


def digest_key(day: datetime.date) -> int:
    """The object id of a month's digest (202612 for December 2026)."""
    return day.year * 100 + day.month


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many went (a second run sends none)."""
    today = today or timezone.localdate()
    return _deadlines(today) + _unconfirmed_hours(today) + _digests(today)


def _deadlines(today) -> int:
    sent = 0
    due = (
        SavedOpportunity.objects.filter(
            opportunity__in=matching.open_opportunities(),
            opportunity__deadline__gte=today,
            opportunity__deadline__lte=today + datetime.timedelta(days=DEADLINE_DAYS),
            user__is_active=True,
        )
        .exclude(
            Exists(
                Application.objects.filter(
                    opportunity_id=OuterRef("opportunity_id"), profile__user_id=OuterRef("user_id")
                )
            )
        )
        .select_related("user", "opportunity__organization")
    )
    for batch in in_batches(due.iterator(chunk_size=BATCH), BATCH):
        done = already_sent(DEADLINE_SOON, object_ids={item.opportunity_id for item in batch})
        for item in batch:
            if (item.opportunity_id, item.user_id) in done:
                continue
            sent += remind_once(
                kind=DEADLINE_SOON,
                object_id=item.opportunity_id,
                user=item.user,
                template="volunteering/email/deadline_soon",
                context={"opportunity": item.opportunity},
            )
    return sent


def _unconfirmed_hours(today) -> int:
    """Hours logged `UNCONFIRMED_DAYS` ago or earlier and still unconfirmed, to the editors of the
    organisation, a batch of entries at a time: each batch reads its editors and the reminders
    already sent about it, so a run holds one batch whatever the backlog."""
    sent = 0
    cutoff = timezone.now() - datetime.timedelta(days=UNCONFIRMED_DAYS)
    entries = (
        HoursEntry.objects.filter(status=HoursStatus.LOGGED, created_at__lte=cutoff)
        .select_related("engagement__opportunity__organization", "engagement__profile__user")
        .order_by("pk")
    )
    for batch in in_batches(entries.iterator(chunk_size=BATCH), BATCH):
        editors = editors_by_organization(e.engagement.opportunity.organization_id for e in batch)
        done = already_sent(HOURS_UNCONFIRMED, object_ids=[entry.pk for entry in batch])
        for entry in batch:
            for editor in editors.get(entry.engagement.opportunity.organization_id, []):
                if (entry.pk, editor.pk) in done:
                    continue
                sent += remind_once(
                    kind=HOURS_UNCONFIRMED,
                    object_id=entry.pk,
                    user=editor,
                    template="volunteering/email/hours_unconfirmed",
                    context={"entry": entry, "engagement": entry.engagement},
                )
    return sent


def _digests(today) -> int:
    """The month's digest to each opted-in person not sent one yet, in batches of
    `DIGEST_BATCH` people: the new opportunities are read once and each batch of people costs
    the same few queries (`matching.best_for_many`), not one ranking query a person."""
    sent = 0
    key = digest_key(today)
    since = timezone.now() - datetime.timedelta(days=DIGEST_NEW_DAYS)
    new = matching.scoring_facts(matching.open_opportunities().filter(published_at__gte=since))
    if not new:
        return 0
    profiles = (
        VolunteerProfile.objects.filter(monthly_digest=True, user__is_active=True)
        .exclude(user_id__in=sent_to(MONTHLY_DIGEST, key))
        .select_related("user")
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(profiles.filter(pk__gt=last_pk).prefetch_related("skills", "languages")[:DIGEST_BATCH])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        best = matching.best_for_many(batch, new, limit=DIGEST_SIZE, min_score=DIGEST_MIN_FIT)
        for profile in batch:
            rows = best[profile.pk]
            if not rows:
                continue  # nothing fits: no email, and a later run this month may still find some
            sent += remind_once(
                kind=MONTHLY_DIGEST,
                object_id=key,
                user=profile.user,
                template="volunteering/email/monthly_digest",
                context={"rows": [(opportunity, round(score)) for opportunity, score in rows]},
            )
