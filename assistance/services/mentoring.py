"""The moves of a mentoring series: staff open a series for a mentor and an organisation; the
mentor (or staff) plans and edits sessions; only the mentor logs a held session; the mentor or
staff complete it, staff cancel it. Each in one transaction with the series row locked first;
the status changes only through `workflow.MENTORING`."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.choices import MentoringStatus
from assistance.models import Expert, MentoringSeries, MentoringSession
from assistance.services.reminders import reminders_forget_session
from assistance.workflow import MENTORING
from core.permissions import require


def _lock(series: MentoringSeries) -> MentoringSeries:
    return (
        MentoringSeries.objects.select_for_update(of=("self",))
        .select_related("mentor__user", "organization")
        .get(pk=series.pk)
    )


def series_create(
    *, actor, mentor: Expert, organization, topic: str, goal: str = "", started_on: date
) -> MentoringSeries:
    require(actor, "assistance.create_series")
    if not mentor.active:
        raise ValidationError({"mentor": _("This expert does not take requests now.")})
    if mentor.user.memberships.filter(organization=organization).exists():
        raise ValidationError({"mentor": _("A mentor cannot mentor their own organisation.")})
    from django.contrib.contenttypes.models import ContentType

    from core.models import StatusChange

    with transaction.atomic():
        series = MentoringSeries.objects.create(
            mentor=mentor,
            organization=organization,
            topic=topic.strip(),
            goal=goal.strip(),
            started_on=started_on,
            status=MentoringStatus.ACTIVE,
            created_by=actor,
        )
        StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(MentoringSeries),
            object_id=series.pk,
            workflow=MENTORING.name,
            from_status="",
            to_status=MentoringStatus.ACTIVE,
            actor=actor,
        )
    return series


def _check_planned_on(series: MentoringSeries, planned_on: date) -> None:
    if planned_on < series.started_on:
        raise ValidationError(
            {
                "planned_on": _("A session cannot be planned before the series started (%(date)s).")
                % {"date": series.started_on.strftime("%d.%m.%Y")}
            }
        )


def session_plan(
    *, actor, series: MentoringSeries, planned_on: date, topic: str, goals: str = ""
) -> MentoringSession:
    """Add a session to the plan."""
    with transaction.atomic():
        series = _lock(series)
        require(actor, "assistance.plan_session", series)
        _check_planned_on(series, planned_on)
        return MentoringSession.objects.create(
            series=series, planned_on=planned_on, topic=topic.strip(), goals=goals.strip()
        )


def session_edit(
    *, actor, session: MentoringSession, planned_on: date, topic: str, goals: str = ""
) -> MentoringSession:
    """Change a planned session (not one already held); a new date lets its reminder go again."""
    with transaction.atomic():
        series = _lock(session.series)
        require(actor, "assistance.plan_session", series)
        session = MentoringSession.objects.select_for_update().get(pk=session.pk, series=series)
        if session.held_on is not None:
            raise ValidationError(_("This session was already held; its plan cannot change."))
        _check_planned_on(series, planned_on)
        if planned_on != session.planned_on:
            reminders_forget_session(session)
        session.planned_on = planned_on
        session.topic = topic.strip()
        session.goals = goals.strip()
        session.save(update_fields=["planned_on", "topic", "goals", "updated_at"])
    return session


def session_log(
    *, actor, session: MentoringSession, held_on: date, notes: str, next_steps: str = ""
) -> MentoringSession:
    """The mentor logs a session as held (or corrects the log): the day, notes, next steps."""
    with transaction.atomic():
        series = _lock(session.series)
        require(actor, "assistance.log_session", series)
        session = MentoringSession.objects.select_for_update().get(pk=session.pk, series=series)
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("A session cannot be logged before it is held.")})
        if held_on < series.started_on:
            raise ValidationError(
                {
                    "held_on": _("A session cannot be held before the series started (%(date)s).")
                    % {"date": series.started_on.strftime("%d.%m.%Y")}
                }
            )
        session.held_on = held_on
        session.notes = notes.strip()
        session.next_steps = next_steps.strip()
        session.logged_by = actor
        session.save(update_fields=["held_on", "notes", "next_steps", "logged_by", "updated_at"])
    return session


def series_move(*, actor, series: MentoringSeries, target: str, note: str = "") -> MentoringSeries:
    """Complete (mentor or staff) or cancel (staff) an active series."""
    with transaction.atomic():
        series = _lock(series)
        MENTORING.move(series, target, actor=actor, note=note)
    return series
