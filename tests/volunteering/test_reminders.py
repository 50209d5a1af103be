"""Reminders of volunteering: a saved opportunity's deadline (to who saved it and did not
apply), hours unconfirmed after 7 days (to the editors), the opt-in monthly digest; each
once, in the recipient's language."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from core.models import EmailOutbox
from tests.factories import UserFactory, municipality
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, engagement, skill
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


def _digest_queries(monkeypatch=None) -> list[str]:
    """The SQL of one digest sweep, less the writes of each email sent (a savepoint, the
    reminder row and the outbox row: one email, one person)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from volunteering.services import reminders

    with CaptureQueriesContext(connection) as captured:
        reminders._digests(TODAY())
    writes = ("SAVEPOINT", "RELEASE SAVEPOINT", "core_sentreminder", "core_emailoutbox")
    return [q["sql"] for q in captured if not any(word in q["sql"] for word in writes)]


@pytest.mark.parametrize("fits", [True, False])
def test_the_digest_costs_the_same_queries_for_3_or_30_people(monkeypatch, fits):
    """The digest ran one ranking query a person every hourly run (30 people, 30 rankings):
    now a batch of people is ranked over opportunities read once, a few queries a batch."""
    from core.models import SentReminder
    from volunteering.services import reminders

    if not fits:
        monkeypatch.setattr(reminders, "DIGEST_MIN_FIT", 101)  # nothing fits: only the ranking
    OpportunityFactory.create_batch(3, must=[skill("design")])
    ProfileFactory.create_batch(3, monthly_digest=True, languages={"sr": 3}, skills=[skill("design")])
    few = _digest_queries()
    SentReminder.objects.all().delete()
    ProfileFactory.create_batch(27, monthly_digest=True, languages={"sq": 4})
    many = _digest_queries()
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 8
    assert SentReminder.objects.count() == (30 if fits else 0)


def test_the_digest_goes_to_each_person_once_across_batches(monkeypatch):
    from volunteering.services import reminders

    monkeypatch.setattr(reminders, "DIGEST_BATCH", 2)
    OpportunityFactory()
    people = ProfileFactory.create_batch(5, monthly_digest=True)
    _clear()
    december = datetime.date(2026, 12, 6)
    assert reminders_send(today=december) == 5
    assert sorted(EmailOutbox.objects.values_list("to", flat=True)) == sorted(p.user.email for p in people)
    assert reminders_send(today=december) == 0
    ProfileFactory(monthly_digest=True)  # joins mid-month: gets this month's, the others nothing
    assert reminders_send(today=december + datetime.timedelta(days=1)) == 1


def test_the_digest_is_in_the_recipients_language():
    OpportunityFactory(title="Clean the river")
    ProfileFactory(monthly_digest=True, user=UserFactory(preferred_language="sr-latn"))
    ProfileFactory(monthly_digest=True, user=UserFactory(preferred_language="en"))
    _clear()
    assert reminders_send() == 2
    serbian = EmailOutbox.objects.get(
        to__in=User.objects.filter(preferred_language="sr-latn").values("email")
    )
    english = EmailOutbox.objects.get(to__in=User.objects.filter(preferred_language="en").values("email"))
    assert "/sr-latn/" in serbian.body_text and "Clean the river" in serbian.body_text
    assert "/en/" in english.body_text
    assert "New opportunities this month that fit what you offer" in english.body_text


def test_the_digest_picks_and_orders_as_the_ranking_does(monkeypatch):
    """`best_for_many` scores in Python what `ranked_opportunities` scores in the database:
    the same scores and the same order, for people who differ in every part of the score."""
    from core.models import Municipality
    from volunteering.selectors import matching

    a, b, c = skill("design"), skill("writing"), skill("translation")
    peje, prishtine = municipality("peje"), municipality("prishtine")
    OpportunityFactory(
        must=[a, b], nice=[c], municipality=peje, weekends=True, weekdays=False, evenings=False
    )
    OpportunityFactory(nice=[c], remote=True, municipality=None, languages=["sr", "en"], hours_per_week=10)
    OpportunityFactory(kind="expert_request", expertise="law", must=[b], remote=True, languages=[])
    OpportunityFactory(languages=[], deadline=None)
    OpportunityFactory(must=[a], deadline=TODAY() + datetime.timedelta(days=2))
    OpportunityFactory(must=[a], deadline=TODAY() + datetime.timedelta(days=2))
    profiles = [
        ProfileFactory(skills=[a, b, c], municipality=peje, weekends=True, work_mode="on_site"),
        ProfileFactory(
            skills=[c], municipality=None, work_mode="remote", utc_offset=-300, languages={"en": 3}
        ),
        ProfileFactory(skills=[b], expertise="law", utc_offset=300, languages={"sr": 1}, hours_per_week=12),
        ProfileFactory(skills=[a], municipality=prishtine, weekdays=False, evenings=False),
        ProfileFactory(
            languages={}, work_mode="both", municipality=Municipality.objects.exclude(pk=peje.pk).last()
        ),
    ]
    facts = matching.scoring_facts(matching.open_opportunities())
    best = matching.best_for_many(
        matching.VolunteerProfile.objects.filter(pk__in=[p.pk for p in profiles]).prefetch_related(
            "skills", "languages"
        ),
        facts,
        limit=10,
        min_score=0,
    )
    for profile in profiles:
        ranked = [(row.pk, round(row.score, 6)) for row in matching.ranked_opportunities(profile)]
        ours = [(opportunity.pk, round(score, 6)) for opportunity, score in best[profile.pk]]
        assert ours == ranked, profile


def test_a_sweep_reads_only_the_reminders_of_what_is_due_now():
    """The sweeps read every reminder of their kind ever sent, a table that only grows: now
    only those about the opportunities and hours entries due now (and still each goes once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import SentReminder
    from tests.helpers import sent_reminder_reads
    from volunteering.services.reminders import DEADLINE_SOON, HOURS_UNCONFIRMED

    opportunity = OpportunityFactory(deadline=TODAY() + datetime.timedelta(days=2))
    saver = UserFactory()
    SavedOpportunity.objects.create(user=saver, opportunity=opportunity)
    eng, editor, volunteer = engagement()
    entry = engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours=2, description="x")
    HoursEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    long_ago = 10**9  # an object reminded of years ago
    SentReminder.objects.create(kind=DEADLINE_SOON, object_id=long_ago, user=saver)
    SentReminder.objects.create(kind=HOURS_UNCONFIRMED, object_id=long_ago, user=editor)
    _clear()
    with CaptureQueriesContext(connection) as captured:
        assert reminders_send() == 2
    assert sent_reminder_reads(captured, DEADLINE_SOON) == [{opportunity.pk}]
    assert sent_reminder_reads(captured, HOURS_UNCONFIRMED) == [{entry.pk}]
    assert reminders_send() == 0


def test_unconfirmed_hours_are_swept_a_batch_at_a_time(monkeypatch):
    """A backlog of unconfirmed hours is read a batch of entries at a time, each batch with its
    own read of the editors and of the reminders sent, and every entry is still reminded of
    once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import sent_reminder_reads
    from volunteering.services import reminders
    from volunteering.services.reminders import HOURS_UNCONFIRMED

    eng, _editor, volunteer = engagement()
    entries = [
        engagements.hours_log(actor=volunteer, engagement=eng, date=TODAY(), hours=1, description=str(i))
        for i in range(5)
    ]
    HoursEntry.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    monkeypatch.setattr(reminders, "BATCH", 2)
    _clear()
    with CaptureQueriesContext(connection) as captured:
        assert reminders_send() == 5
    reads = sent_reminder_reads(captured, HOURS_UNCONFIRMED)
    assert [len(ids) for ids in reads] == [2, 2, 1]
    assert set().union(*reads) == {entry.pk for entry in entries}
    assert reminders_send() == 0
