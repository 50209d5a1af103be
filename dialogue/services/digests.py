"""The digest of what changed in what people follow (`dialogue.services.follows`): daily, or
weekly on Mondays, one email per person in their language, only when something changed.

Once per person and period: each digest is a `core.reminders` reminder whose object id is the
period (the day's ordinal, or its week's Monday's), so a second run — even a concurrent one —
sends nothing. The changes listed are those since the person's last digest (`since`), up to
the start of this run.

Bounded work: one query for who already had this period's digest (this period's rows only,
not every earlier day's), one for the people due, one for their follows, a few per followable kind
for all their ids together (never per followed object), then the reminder's own writes per
person emailed (its row and its outbox email, in one transaction, so that each goes once).
"""

import datetime
import logging
from collections import defaultdict

from django.utils import timezone

from core.reminders import already_sent, remind_once
from dialogue.choices import DigestFrequency
from dialogue.models import DigestSubscription, Follow
from dialogue.services.follows import KINDS, Change

logger = logging.getLogger(__name__)

REMINDER_KIND = {
    DigestFrequency.DAILY: "dialogue.digest_daily",
    DigestFrequency.WEEKLY: "dialogue.digest_weekly",
}
# A first digest looks back at most this far.
LOOKBACK = {
    DigestFrequency.DAILY: datetime.timedelta(days=1),
    DigestFrequency.WEEKLY: datetime.timedelta(days=7),
}
MAX_LINES = 100


def period_key(frequency: str, day: datetime.date) -> int:
    """The reminder object id of the period `day` falls in: the day, or its week's Monday."""
    if frequency == DigestFrequency.WEEKLY:
        day = day - datetime.timedelta(days=day.weekday())
    return day.toordinal()


def changes_for(follows_by_user: dict[int, list[Follow]], since_by_user: dict[int, datetime.datetime], until):
    """{user id: [Change]} for each person, newest last, each change once (one reached
    through two follows, e.g. an event and its organiser, is listed once)."""
    if not follows_by_user:
        return {}
    earliest = min(since_by_user.values())
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for rows in follows_by_user.values():
        for row in rows:
            ids_by_kind[row.kind].add(row.object_id)
    changes_by_followed: dict[tuple[str, int], list[Change]] = defaultdict(list)
    for key, ids in ids_by_kind.items():
        follow_kind = KINDS.get(key)
        if follow_kind is None:  # a kind no longer registered
            continue
        for change in follow_kind.changes(ids, earliest, until):
            changes_by_followed[(change.kind, change.object_id)].append(change)
    result = {}
    for user_id, rows in follows_by_user.items():
        since = since_by_user[user_id]
        seen, mine = set(), []
        for row in rows:
            for change in changes_by_followed.get((row.kind, row.object_id), ()):
                if change.when > since and change.key not in seen:
                    seen.add(change.key)
                    mine.append(change)
        mine.sort(key=lambda change: change.when)
        result[user_id] = mine[-MAX_LINES:]
    return result


def digests_send(*, frequency: str, now=None) -> int:
    """Send the `frequency` digest to everyone due for it (weekly ones on Mondays only, unless
    `now` says otherwise through the caller). Returns how many emails were queued."""
    if frequency not in REMINDER_KIND:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    if frequency == DigestFrequency.WEEKLY and today.weekday() != 0:
        return 0
    kind, key = REMINDER_KIND[frequency], period_key(frequency, today)
    sent = {user_id for _object_id, user_id in already_sent(kind, object_ids=[key])}
    subscriptions = list(
        DigestSubscription.objects.filter(frequency=frequency, user__is_active=True)
        .exclude(user_id__in=sent)
        .select_related("user")
    )
    if not subscriptions:
        return 0
    floor = now - LOOKBACK[frequency]
    since_by_user = {s.user_id: max(s.since, floor) for s in subscriptions}
    follows_by_user: dict[int, list[Follow]] = defaultdict(list)
    for row in Follow.objects.filter(user_id__in=since_by_user).order_by("pk"):
        follows_by_user[row.user_id].append(row)
    changes = changes_for(follows_by_user, since_by_user, now)
    queued, done, emailed = 0, [], []
    for subscription in subscriptions:
        mine = changes.get(subscription.user_id) or []
        if not mine:
            done.append(subscription.pk)  # nothing changed: no email, and the window moves on
            continue
        if remind_once(
            kind=kind,
            object_id=key,
            user=subscription.user,
            template="dialogue/email/digest",
            context={"changes": mine, "frequency": frequency, "since": since_by_user[subscription.user_id]},
        ):
            queued += 1
            done.append(subscription.pk)
            emailed.append(subscription.pk)
    if done:
        DigestSubscription.objects.filter(pk__in=done).update(since=now)
    if emailed:
        DigestSubscription.objects.filter(pk__in=emailed).update(last_sent_at=now)
    return queued
