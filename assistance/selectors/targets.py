"""Target answer times and the overdue rule, in working days (Monday to Friday).

A request's answer is due `TargetTime.working_days` working days after the day it was
submitted; once assigned, the same number of working days after the day of the assignment
(the expert gets the whole target time). It is overdue when it still waits for the answer
(new, assigned, in progress) and today (Europe/Belgrade) is after the due day.
"""

from datetime import date, timedelta

from django.utils import timezone

from assistance.choices import OPEN_STATUSES
from assistance.models import TargetTime

DEFAULT_WORKING_DAYS = 10  # when staff deleted the row of a category and urgency


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Mon-Fri) after `start`: Friday + 1 is Monday; a Saturday
    start counts from the next Monday."""
    current = start
    remaining = max(0, days)
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_for(*, category: str, urgency: str) -> int:
    found = (
        TargetTime.objects.filter(category=category, urgency=urgency)
        .values_list("working_days", flat=True)
        .first()
    )
    return found or DEFAULT_WORKING_DAYS


def due_on(*, category: str, urgency: str, since) -> date:
    """The due day of an answer counted from `since` (a datetime or a date)."""
    start = timezone.localdate(since) if hasattr(since, "hour") else since
    return add_working_days(start, working_days_for(category=category, urgency=urgency))


def is_overdue(request, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return request.status in OPEN_STATUSES and request.due_on is not None and request.due_on < today
