"""Reminders of the help desk, each sent once (core.reminders), in the recipient's language:
a request still unassigned 2 working days after submission (to every staff member), and an
answer past its due day (to the assigned expert; staff see it on the triage list). A new
assignment sets a new due day, and the overdue reminder may go again."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from assistance.choices import OPEN_STATUSES, RequestStatus
from assistance.models import HelpRequest
from assistance.selectors.targets import add_working_days
from core.reminders import already_sent, forget, remind_once

UNASSIGNED = "assistance.unassigned"
ANSWER_OVERDUE = "assistance.answer_overdue"
UNASSIGNED_WORKING_DAYS = 2


def reminders_send(*, today=None) -> int:
    """Send the reminders due today; returns how many went (a second run sends none)."""
    today = today or timezone.localdate()
    sent = 0
    done = already_sent(UNASSIGNED)
    staff = list(get_user_model().objects.filter(is_staff=True, is_active=True))
    for request in HelpRequest.objects.filter(
        status=RequestStatus.NEW, submitted_at__isnull=False
    ).iterator():
        if add_working_days(timezone.localdate(request.submitted_at), UNASSIGNED_WORKING_DAYS) > today:
            continue
        for user in staff:
            if (request.pk, user.pk) not in done:
                sent += remind_once(
                    kind=UNASSIGNED,
                    object_id=request.pk,
                    user=user,
                    template="assistance/email/reminder_unassigned",
                    context={"help_request": request},
                )
    done = already_sent(ANSWER_OVERDUE)
    overdue = HelpRequest.objects.filter(
        status__in=OPEN_STATUSES, expert__isnull=False, expert__active=True, due_on__lt=today
    ).select_related("expert__user")
    for request in overdue.iterator():
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
