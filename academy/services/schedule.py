"""The participants' calendar: a private iCalendar feed of their cohort's sessions (core.calendar)
behind an unguessable token per participant, and a reminder 24 hours before each session
(core.reminders), both in the participant's language."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from academy.choices import ApplicationStatus
from academy.models import CohortApplication, Session
from core.calendar import BELGRADE, CalendarEvent, calendar
from core.site_url import site_url

FEED_SALT = "academy.calendar-feed"
REMINDER_KIND = "academy.session_24h"
REMINDER_AHEAD = timedelta(hours=24)


def feed_token(participant: CohortApplication) -> str:
    """The participant's feed token: an HMAC (the site's secret key) of the application and
    the person, 32 hex characters — unguessable, and the same every time it is shown."""
    message = f"{participant.pk}:{participant.applicant_id}"
    return salted_hmac(FEED_SALT, message, algorithm="sha256").hexdigest()[:32]


def feed_participant(pk, token: str) -> CohortApplication | None:
    """The confirmed participant whose feed this is, or None (a wrong token, someone else's id)."""
    participant = (
        CohortApplication.objects.select_related("cohort", "applicant")
        .filter(pk=pk, status=ApplicationStatus.CONFIRMED)
        .first()
    )
    if participant is None or not constant_time_compare(feed_token(participant), token or ""):
        return None
    return participant


def feed_url(participant: CohortApplication) -> str:
    return site_url() + reverse(
        "academy:calendar_feed", kwargs={"pk": participant.pk, "token": feed_token(participant)}
    )


def _location(session: Session) -> str:
    return ", ".join(part for part in (session.place, session.online_link) if part)


def feed_text(participant: CohortApplication) -> str:
    """The cohort's sessions as iCalendar text, in the participant's language."""
    cohort = participant.cohort
    sessions = Session.objects.filter(cohort=cohort).select_related("module").order_by("starts_at", "pk")
    sessions_page = site_url() + reverse("academy:sessions", args=[cohort.pk])
    with translation.override(participant.applicant.preferred_language or "sq"):
        return calendar(
            [
                CalendarEvent(
                    uid=f"academy-session-{session.pk}@cea-portal",
                    start=session.starts_at,
                    end=session.ends_at,
                    summary=f"{session.title} — {cohort.title}",
                    description=session.module.title,
                    location=_location(session),
                    url=session.online_link or sessions_page,
                )
                for session in sessions
            ],
            name=cohort.title,
            tz=BELGRADE,
        )


def send_session_reminders(now=None) -> int:
    """Email every confirmed participant of a session that starts within the next 24 hours
    (once per session and person); returns how many went."""
    from core.reminders import already_sent, remind_once

    now = now or timezone.now()
    sessions = list(
        Session.objects.filter(starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD).select_related(
            "cohort", "module"
        )
    )
    if not sessions:
        return 0
    sent = already_sent(REMINDER_KIND, object_ids=[session.pk for session in sessions])
    by_cohort: dict[int, list[CohortApplication]] = {}
    for participant in CohortApplication.objects.filter(
        cohort_id__in={s.cohort_id for s in sessions},
        status=ApplicationStatus.CONFIRMED,
        applicant__is_active=True,
    ).select_related("applicant"):
        by_cohort.setdefault(participant.cohort_id, []).append(participant)
    count = 0
    for session in sessions:
        for participant in by_cohort.get(session.cohort_id, []):
            user = participant.applicant
            if (session.pk, user.pk) in sent or not user.email:
                continue
            if remind_once(
                kind=REMINDER_KIND,
                object_id=session.pk,
                user=user,
                template="academy/email/session_reminder",
                context={"session": session, "cohort": session.cohort, "location": _location(session)},
            ):
                count += 1
    return count


def no_feed_message() -> str:
    return _("This calendar link is not valid.")
