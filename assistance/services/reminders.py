"""Reminders of the help desk, each sent once (core.reminders), in the recipient's language:
a request still unassigned 2 working days after submission (to the help desk team: the members
of the "Help desk" group who are active staff with a second factor, or every active staff
member while the group has none), and an answer past its due day (to the assigned expert;
staff see it on the triage list). A new assignment sets a new due day, and the overdue reminder
may go again."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.selectors import with_second_factor
from assistance.choices import OPEN_STATUSES, RequestStatus
from assistance.models import HelpRequest
from assistance.selectors.targets import add_working_days
from core.reminders import BATCH, already_sent, forget, in_batches, remind_once

UNASSIGNED = "assistance.unassigned"
ANSWER_OVERDUE = "assistance.answer_overdue"
UNASSIGNED_WORKING_DAYS = 2
HELP_DESK_GROUP = "Help desk"  # created by migration 0005_help_desk_group

logger = logging.getLogger(__name__)


def help_desk_staff() -> list:
    """Who triages the help desk: the members of the "Help desk" group who are active staff with
    a second factor (staff powers need it); every active staff member while there is none."""
    active_staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk")
    team = list(with_second_factor(active_staff.filter(groups__name=HELP_DESK_GROUP)))
    if team:
        return team
    logger.warning(
        'assistance: the "%s" group has no active staff member with a second factor; '
        "reminders of unassigned requests go to every active staff member",
        HELP_DESK_GROUP,
    )
    return list(active_staff)


def reminders_send(*, today=None) -> int:
    """Send the reminders due today; returns how many went (a second run sends none)."""
    today = today or timezone.localdate()
    sent = 0
    staff = None  # read once, and only when a request is due
    # 2 working days are at least 2 calendar days: what was submitted since the day before
    # yesterday cannot be due, and is not read (the backlog read is what is due or nearly).
    not_before = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time.min)
    unassigned = HelpRequest.objects.filter(
        status=RequestStatus.NEW,
        submitted_at__isnull=False,
        submitted_at__lt=timezone.make_aware(not_before),
    ).order_by("pk")
    for batch in in_batches(unassigned.iterator(chunk_size=BATCH), BATCH):
        due = [
            request
            for request in batch
            if add_working_days(timezone.localdate(request.submitted_at), UNASSIGNED_WORKING_DAYS) <= today
        ]
        if not due:
            continue
        if staff is None:
            staff = help_desk_staff()
        done = already_sent(UNASSIGNED, object_ids=[request.pk for request in due])
        for request in due:
            for user in staff:
                if (request.pk, user.pk) not in done:
                    sent += remind_once(
                        kind=UNASSIGNED,
                        object_id=request.pk,
                        user=user,
                        template="assistance/email/reminder_unassigned",
                        context={"help_request": request},
                    )
    overdue = HelpRequest.objects.filter(
        status__in=OPEN_STATUSES, expert__isnull=False, expert__active=True, due_on__lt=today
    ).select_related("expert__user")
    for batch in in_batches(overdue.iterator(chunk_size=BATCH), BATCH):
        done = already_sent(ANSWER_OVERDUE, object_ids=[request.pk for request in batch])
        for request in batch:
            user = request.expert.user
            if (request.pk, user.pk) not in done and user.is_active:
                sent += remind_once(
                    kind=ANSWER_OVERDUE,
                    object_id=request.pk,
                    user=user,
                    template="assistance/email/reminder_answer_overdue",
                    context={"help_request": request},
                )
    return sent


def reminders_forget_overdue(request: HelpRequest) -> None:
    """A new due day (a new assignment): the overdue reminder may go again when it passes."""
    forget([ANSWER_OVERDUE], [request.pk])


# --- A mentoring session tomorrow: to the mentor and the organisation's editors --------------

SESSION_TOMORROW = "assistance.session_tomorrow"


def session_reminders_send(*, today=None) -> int:
    """For every planned (not held) session of an active series that is tomorrow: a reminder
    to the mentor and each editor (or owner) of the organisation, once each."""
    from datetime import timedelta

    from assistance.choices import MentoringStatus
    from assistance.models import MentoringSession
    from organizations.selectors import editors_by_organization

    today = today or timezone.localdate()
    sessions = list(
        MentoringSession.objects.filter(
            planned_on=today + timedelta(days=1),
            held_on__isnull=True,
            series__status=MentoringStatus.ACTIVE,
        ).select_related("series__mentor__user", "series__organization")
    )
    done = already_sent(SESSION_TOMORROW, object_ids=[session.pk for session in sessions])
    editors = editors_by_organization(s.series.organization_id for s in sessions)
    sent = 0
    for session in sessions:
        series = session.series
        people = []
        if series.mentor.active and series.mentor.user.is_active:
            people.append(series.mentor.user)
        people += [u for u in editors.get(series.organization_id, []) if u.pk != series.mentor.user_id]
        for user in people:
            if (session.pk, user.pk) not in done:
                sent += remind_once(
                    kind=SESSION_TOMORROW,
                    object_id=session.pk,
                    user=user,
                    template="assistance/email/reminder_session_tomorrow",
                    context={"session": session, "series": series},
                )
    return sent


def reminders_forget_session(session) -> None:
    """A session moved to another day: its reminder may go again before the new day."""
    forget([SESSION_TOMORROW], [session.pk])
