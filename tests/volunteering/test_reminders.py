"""Reminders of volunteering: a saved opportunity's deadline (to who saved it and did not
apply), hours unconfirmed after 7 days (to the editors), the opt-in monthly digest; each
once, in the recipient's language."""

import datetime

import pytest
from django.utils import timezone

from core.models import EmailOutbox
from tests.factories import UserFactory
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, engagement
from volunteering.choices import HoursStatus
from volunteering.models import HoursEntry, Opportunity, SavedOpportunity
from volunteering.services import applications, engagements
from volunteering.services.reminders import reminders_send
from volunteering.tasks import send_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate


def _clear():
    EmailOutbox.objects.all().delete()


def test_deadline_of_a_saved_opportunity_goes_once_to_who_saved_it():
    opportunity = OpportunityFactory(deadline=TODAY() + datetime.timedelta(days=5))
    saver = UserFactory(preferred_language="en")
    applied = ProfileFactory()
    SavedOpportunity.objects.create(user=saver, opportunity=opportunity)
    SavedOpportunity.objects.create(user=applied.user, opportunity=opportunity)
    applications.application_submit(actor=applied.user, opportunity=opportunity, message="Hi")
    _clear()
    assert reminders_send(today=TODAY()) == 0  # 5 days away
    assert reminders_send(today=TODAY() + datetime.timedelta(days=2)) == 1  # 3 days away
    mail = EmailOutbox.objects.get()
    assert mail.to == saver.email
    assert opportunity.title in mail.subject
    assert reminders_send(today=TODAY() + datetime.timedelta(days=3)) == 0  # once only


def test_deadline_reminder_is_in_the_recipients_language():
    opportunity = OpportunityFactory(deadline=TODAY() + datetime.timedelta(days=1))
    SavedOpportunity.objects.create(user=UserFactory(preferred_language="sr-latn"), opportunity=opportunity)
    _clear()
    assert send_reminders() == 1
    mail = EmailOutbox.objects.get()
    assert "/sr-latn/" in mail.body_text  # the links (and the text, once compiled) in Serbian


def test_no_deadline_reminder_for_a_closed_opportunity():
    opportunity = OpportunityFactory(deadline=TODAY() + datetime.timedelta(days=1))
    SavedOpportunity.objects.create(user=UserFactory(), opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status="closed")
    _clear()
    assert reminders_send() == 0


def test_unconfirmed_hours_go_to_the_editors_after_7_days_once():
    eng, editor, volunteer = engagement()
    entry = engagements.hours_log(
        actor=volunteer, engagement=eng, date=TODAY(), hours=2, description="Sorting"
    )
    confirmed = engagements.hours_log(
        actor=volunteer, engagement=eng, date=TODAY() - datetime.timedelta(days=1), hours=1, description="x"
    )
    engagements.hours_confirm(actor=editor, entry=confirmed)
    _clear()
    assert reminders_send() == 0  # too fresh
    HoursEntry.objects.filter(pk__in=[entry.pk, confirmed.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert reminders_send() == 1
    assert EmailOutbox.objects.get().to == editor.email
    assert reminders_send() == 0
    assert HoursEntry.objects.get(pk=confirmed.pk).status == HoursStatus.CONFIRMED


def test_monthly_digest_only_for_who_opted_in_once_a_month():
    OpportunityFactory()
    opted = ProfileFactory(monthly_digest=True)
    ProfileFactory(monthly_digest=False)
    _clear()
    december = datetime.date(2026, 12, 6)
    assert reminders_send(today=december) == 1
    mail = EmailOutbox.objects.get()
    assert mail.to == opted.user.email
    assert reminders_send(today=december + datetime.timedelta(days=10)) == 0  # once per month
    assert reminders_send(today=datetime.date(2027, 1, 2)) == 1  # the next month again


def test_no_digest_when_nothing_new_fits():
    ProfileFactory(monthly_digest=True)
    Opportunity.objects.all().delete()
    _clear()
    assert reminders_send() == 0
    assert not EmailOutbox.objects.exists()


def test_a_new_deadline_lets_the_reminder_go_again():
    from tests.volunteering.factories import editor_of
    from volunteering.services import opportunities

    opportunity = OpportunityFactory(deadline=TODAY() + datetime.timedelta(days=2))
    SavedOpportunity.objects.create(user=UserFactory(), opportunity=opportunity)
    _clear()
    assert reminders_send() == 1
    opportunities.opportunity_update(
        actor=editor_of(opportunity.organization),
        opportunity=opportunity,
        fields={"deadline": TODAY() + datetime.timedelta(days=3)},
    )
    assert reminders_send() == 1
    assert reminders_send() == 0


def test_the_digest_costs_one_ranked_query_a_person(monkeypatch):
    """Each opted-in person's skills and languages were read one query each, every hourly
    run: now prefetched, so a person adds only their ranked query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from volunteering.services import reminders

    monkeypatch.setattr(reminders, "DIGEST_MIN_FIT", 101)  # nothing fits: no email, only the ranking
    OpportunityFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reminders._digests(TODAY())
        return len(captured)

    ProfileFactory.create_batch(2, monthly_digest=True, languages={"sr": 3})
    few = queries()
    ProfileFactory.create_batch(4, monthly_digest=True, languages={"sq": 4})
    assert queries() - few <= 4
