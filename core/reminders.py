"""Reminders that go once: every app's beat task asks `remind_once` for each (kind, object,
person) it finds due, and only the first ask sends.

The `core.SentReminder` row and the outbox email (`core.notifications`) are written in one
transaction under the row's unique constraint: a second run — even a concurrent one — finds
the row and sends nothing, and a run that fails half-way leaves no row for what it did not
send, so the next run sends it. The email is in the recipient's language.

    from core.reminders import already_sent, in_batches, remind_once

    for entries in in_batches(due_entries):              # one query a batch of objects
        sent = already_sent("volunteering.hours_unconfirmed", object_ids=[e.pk for e in entries])
        for entry in entries:
            for editor in editors_of(entry):
                if (entry.pk, editor.pk) not in sent:
                    remind_once(kind="volunteering.hours_unconfirmed", object_id=entry.pk, user=editor,
                                template="volunteering/email/hours_unconfirmed", context={"entry": entry})

A sweep names the objects it is about (`object_ids=`): the rows of the kind sent about other
objects — every reminder of the kind ever sent, a table that only grows — are not read.

Kinds are namespaced by the app ("<app>.<what>"). When the thing a reminder was about changes
so that it is due again (a new deadline), `forget()` its rows.
"""

import itertools
import logging
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from core.models import SentReminder
from core.notifications import email_user_template

logger = logging.getLogger(__name__)

BATCH = 500  # objects a sweep asks `already_sent` about at a time
T = TypeVar("T")


def remind_once(*, kind: str, object_id: int, user, template: str, context: dict) -> bool:
    """Record the reminder and queue its email (`<template>_subject.txt`, `<template>.txt`) in
    one transaction; False, and nothing sent, when it already went or the email could not be
    queued (logged; the next run tries again)."""
    try:
        with transaction.atomic():
            _row, created = SentReminder.objects.get_or_create(kind=kind, object_id=object_id, user=user)
            if not created:
                return False
            email_user_template(template=template, context=context, user=user)
    except IntegrityError:  # another run recorded it between our read and our insert
        return False
    except Exception:
        logger.exception("reminder %s #%s to user %s failed", kind, object_id, getattr(user, "pk", None))
        return False
    return True


def already_sent(kind: str, *, object_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """(object_id, user_id) of the reminders of `kind` sent so far, in one query.
    `object_ids`: only those objects' — what a sweep passes, the objects due now (a batch of
    them, `in_batches`), so that it does not read the rows of every object ever reminded of.
    Without it, every row of the kind."""
    rows = SentReminder.objects.filter(kind=kind)
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    return set(rows.values_list("object_id", "user_id"))


def in_batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    """`items` (a list, or a queryset's `.iterator()`) in lists of at most `size`: a sweep asks
    `already_sent(kind, object_ids=...)` about one batch at a time, so each read is bounded by
    the batch (and the objects' reminders), neither by history nor by a huge `IN` list."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def sent_to(kind: str, object_id: int) -> QuerySet:
    """The ids of the people a reminder of `kind` about `object_id` went to, as a subquery (a
    sweep over many people excludes them in the database, not in a list it reads)."""
    return SentReminder.objects.filter(kind=kind, object_id=object_id).values("user_id")


def forget(kinds: Iterable[str], object_ids: Iterable[int]) -> int:
    """Let these reminders go again (their object changed so that they are due anew)."""
    deleted, _ = SentReminder.objects.filter(kind__in=list(kinds), object_id__in=list(object_ids)).delete()
    return deleted
