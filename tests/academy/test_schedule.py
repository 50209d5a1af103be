"""The participants' private calendar feed and the reminder 24 hours before each session."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from academy.models import Module, Session
from academy.services import schedule
from academy.tasks import send_session_reminders
from core.models import EmailOutbox
from tests.academy.factories import make_cohort, participant, submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _session(cohort, *, in_hours, title="Harta e komunitetit"):
    module = Module.objects.get_or_create(cohort=cohort, order=1, defaults={"title_sq": "Lidershipi"})[0]
    start = timezone.now() + timedelta(hours=in_hours)
    return Session.objects.create(
        module=module,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Prizren; Salla 2",
    )


def _feed(member, token=None):
    return reverse(
        "academy:calendar_feed", kwargs={"pk": member.pk, "token": token or schedule.feed_token(member)}
    )


def test_private_feed_lists_the_cohort_sessions_without_signing_in(client):
    cohort = make_cohort()
    member = participant(cohort, UserFactory(preferred_language="en"))
    _session(cohort, in_hours=30, title="Community mapping")
    _session(make_cohort(), in_hours=30, title="Another cohort's session")
    response = client.get(_feed(member))
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.count("BEGIN:VEVENT") == 1
    assert "Community mapping — Community Leadership Academy" in text
    assert "LOCATION:Prizren\\; Salla 2" in text and "TZID=Europe/Belgrade" in text
    assert "Another cohort" not in text


def test_feed_token_is_per_participant_and_a_wrong_one_is_404(client):
    cohort = make_cohort()
    member, other = participant(cohort), participant(cohort)
    assert schedule.feed_token(member) != schedule.feed_token(other)
    assert len(schedule.feed_token(member)) == 32
    assert client.get(_feed(member, schedule.feed_token(other))).status_code == 404
    assert client.get(_feed(member, "0" * 32)).status_code == 404
    assert client.get(reverse("academy:calendar_feed", kwargs={"pk": "x", "token": "y"})).status_code == 404
    applicant = submitted(make_cohort())  # not a participant: no feed
    assert client.get(_feed(applicant)).status_code == 404


def test_sessions_page_shows_the_participant_their_feed_link(client):
    cohort = make_cohort()
    member = participant(cohort)
    client.force_login(member.applicant)
    page = client.get(reverse("academy:sessions", args=[cohort.pk])).content.decode()
    assert schedule.feed_token(member) in page


def test_reminder_24_hours_before_once_in_the_participants_language():
    cohort = make_cohort()
    english = participant(cohort, UserFactory(preferred_language="en"))
    albanian = participant(cohort, UserFactory(preferred_language="sq"))
    soon = _session(cohort, in_hours=20, title="Community mapping")
    _session(cohort, in_hours=30)  # not yet due
    _session(cohort, in_hours=-1)  # already started
    EmailOutbox.objects.all().delete()  # the application emails
    assert send_session_reminders() == 2
    assert send_session_reminders() == 0  # each once
    subjects = dict(EmailOutbox.objects.values_list("to", "subject"))
    assert subjects[english.applicant.email] == "Tomorrow: Community mapping"
    assert albanian.applicant.email in subjects  # in Albanian once the translations are compiled
    body = EmailOutbox.objects.get(to=english.applicant.email).body_text
    assert "Community mapping" in body and "Prizren; Salla 2" in body
    assert soon.pk


def test_the_reminder_sweep_reads_only_the_reminders_of_the_sessions_due():
    """The sweep read every session reminder ever sent, a table that only grows: now only
    those of the sessions starting within 24 hours."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import SentReminder
    from tests.helpers import sent_reminder_reads

    cohort = make_cohort()
    member = participant(cohort)
    past = _session(cohort, in_hours=-24 * 400)
    soon = _session(cohort, in_hours=20)
    SentReminder.objects.create(kind=schedule.REMINDER_KIND, object_id=past.pk, user=member.applicant)
    with CaptureQueriesContext(connection) as captured:
        assert send_session_reminders() == 1
    assert sent_reminder_reads(captured, schedule.REMINDER_KIND) == [{soon.pk}]
    assert send_session_reminders() == 0
