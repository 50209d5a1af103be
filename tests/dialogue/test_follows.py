"""Follows and digests: the registry of followable kinds, follow / unfollow (htmx and plain
form), "What I follow" with the digest choice, and the daily / weekly digest — what changed,
in the recipient's language with the event written in full, once per period, nothing when
nothing changed, a bounded number of queries, and no crash on a deleted object."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.models import EmailOutbox, SentReminder
from dialogue.choices import CommitmentStatus, DigestFrequency, PartnershipStatus
from dialogue.models import DigestSubscription, Event, Follow, Partnership
from dialogue.services import commitments as commitment_services
from dialogue.services import digests, followups
from dialogue.services import follows as services
from dialogue.workflow import PARTNERSHIP
from tests import factories
from tests.dialogue.factories import (
    CommitmentFactory,
    EventFactory,
    editor_of,
    ended_event,
    use_tmp_storage,
    verified_org,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")
MONDAY_8 = datetime(2026, 12, 14, 8, 0, tzinfo=BELGRADE)  # a Monday


@pytest.fixture(autouse=True)
def _storage(tmp_path, monkeypatch):
    return use_tmp_storage(tmp_path, monkeypatch)


def _mails() -> list[EmailOutbox]:
    """The emails queued (the outbox; sent after commit, which a test's transaction never does)."""
    return list(EmailOutbox.objects.order_by("pk"))


def _person(language="en"):
    return factories.UserFactory(preferred_language=language)


def _since(user, when):
    DigestSubscription.objects.filter(user=user).update(since=when)


def _event_on_15_december(**kwargs):
    starts = datetime(2026, 12, 15, 10, 0, tzinfo=BELGRADE)  # a Tuesday
    return EventFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        registration_opens_at=starts - timedelta(days=30),
        place="Municipal Hall",
        **kwargs,
    )


# --- the registry and following ------------------------------------------------------------------


def test_the_registry_names_the_kinds_and_a_new_kind_is_a_few_lines():
    assert {"event", "partnership", "organization"} <= set(services.KINDS)
    calls = []

    def changes(ids, since, until):
        calls.append(set(ids))
        return [
            services.Change(
                kind="thing",
                object_id=i,
                when=until - timedelta(minutes=1),
                key=("thing", i),
                path=lambda: "/x/",
                describe=lambda i=i: f"Thing {i} changed",
            )
            for i in ids
        ]

    services.register(
        services.FollowKind(key="thing", label="Things", queryset=Event.objects.all, changes=changes)
    )
    try:
        event = EventFactory()
        person = _person()
        services.follow(user=person, kind="thing", object_id=event.pk)
        _since(person, MONDAY_8 - timedelta(days=1))
        assert digests.digests_send(frequency="weekly", now=MONDAY_8) == 1
        assert f"Thing {event.pk} changed" in _mails()[0].body_text and calls == [{event.pk}]
    finally:
        services.KINDS.pop("thing")


def test_follow_twice_is_harmless_and_starts_a_weekly_digest():
    person, event = _person(), EventFactory()
    services.follow(user=person, kind="event", object_id=event.pk)
    services.follow(user=person, kind="event", object_id=event.pk)
    assert Follow.objects.filter(user=person).count() == 1
    assert DigestSubscription.objects.get(user=person).frequency == DigestFrequency.WEEKLY
    assert services.unfollow(user=person, kind="event", object_id=event.pk)
    assert not services.unfollow(user=person, kind="event", object_id=event.pk)


def test_only_public_things_may_be_followed(english):
    from django.core.exceptions import ValidationError

    person = _person()
    draft = EventFactory(status="draft")
    for kind, object_id in (("event", draft.pk), ("event", 999999), ("nope", 1), ("event", "abc")):
        with pytest.raises(ValidationError):
            services.follow(user=person, kind=kind, object_id=object_id)
    assert not Follow.objects.exists()


def test_follow_button_htmx_and_plain_form(client, english):
    person, event = _person(), EventFactory()
    url = reverse("dialogue:follow_toggle", kwargs={"kind": "event", "object_id": event.pk})
    client = login(client, person)
    page = event.get_absolute_url()
    html = client.get(page).content.decode()
    assert url in html and "Follow" in html
    response = client.post(url, {"action": "follow", "next": page}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Unfollow" in response.content.decode()
    assert Follow.objects.filter(user=person, kind="event", object_id=event.pk).exists()
    assert "Unfollow" in client.get(page).content.decode()
    response = client.post(url, {"action": "unfollow", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == page  # never off-site
    assert not Follow.objects.exists()
    assert client.post(url, {"action": "explode"}).status_code == 400
    missing = reverse("dialogue:follow_toggle", kwargs={"kind": "event", "object_id": 999999})
    assert client.post(missing, {"action": "follow"}).status_code == 404
    bogus = reverse("dialogue:follow_toggle", kwargs={"kind": "bogus", "object_id": 1})
    assert client.post(bogus, {"action": "follow"}).status_code == 404


def test_follow_buttons_on_partnership_and_organisation_pages(client, english):
    org = verified_org()
    partnership = Partnership.objects.create(
        name="Green Prizren", goal="Trees", started_on=timezone.localdate()
    )
    partnership.members.add(org)
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Sign in to follow" in html
    client = login(client, _person())
    for kind, obj in (("partnership", partnership), ("organization", org)):
        html = client.get(obj.get_absolute_url()).content.decode()
        assert reverse("dialogue:follow_toggle", kwargs={"kind": kind, "object_id": obj.pk}) in html, kind


def test_what_i_follow_lists_and_sets_the_digest_and_survives_deleted_objects(client, english):
    person = _person()
    event, partnership = (
        EventFactory(),
        Partnership.objects.create(name="Green Prizren", goal="Trees", started_on=timezone.localdate()),
    )
    org = verified_org(name="Kosovo Youth Network")
    for kind, obj in (("event", event), ("partnership", partnership), ("organization", org)):
        services.follow(user=person, kind=kind, object_id=obj.pk)
    partnership.delete()
    client = login(client, person)
    html = client.get(reverse("dialogue:following")).content.decode()
    assert event.title_en in html and "Kosovo Youth Network" in html and "No longer available" in html
    response = client.post(reverse("dialogue:following"), {"frequency": "daily"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=person).frequency == "daily"
    assert client.post(reverse("dialogue:following"), {"frequency": "hourly"}).status_code == 400
    assert DigestSubscription.objects.get(user=person).frequency == "daily"


# --- the digest ----------------------------------------------------------------------------------


@pytest.fixture
def followed():
    """A person following an event, a partnership and an organisation, a week ago."""
    org = verified_org(name="Municipality of Prishtina", kind="public", registration_number="")
    editor = editor_of(org)
    event = _event_on_15_december(organization=org)
    partnership = Partnership.objects.create(
        name="Clean Rivers", goal="Rivers", started_on=timezone.localdate()
    )
    partnership.members.add(org)
    commitment = CommitmentFactory(event=event, organization=org, what="Publish the budget draft")
    return {
        "org": org,
        "editor": editor,
        "event": event,
        "partnership": partnership,
        "commitment": commitment,
    }


def _subscribe(person, things, frequency="daily", since=None):
    for kind in ("event", "partnership", "organization"):
        if kind in things:
            services.follow(user=person, kind=kind, object_id=things[kind].pk)
    services.digest_set(user=person, frequency=frequency)
    _since(person, since or timezone.now() - timedelta(hours=1))


def _changes(world):
    """An event change, a commitment status move, a partnership status move."""
    Event.objects.filter(pk=world["event"].pk).update(updated_at=timezone.now())
    commitment_services.commitment_update(
        commitment=world["commitment"], actor=world["editor"], status=CommitmentStatus.IN_PROGRESS
    )
    from django.db import transaction

    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=world["partnership"].pk)
        PARTNERSHIP.move(partnership, PartnershipStatus.ACTIVE, actor=world["editor"], check_perm=False)


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "en",
            [
                "New event: “",
                "Tuesday, 15 December 2026, 10:00–12:00, Pristina, Municipal Hall",
                "Commitment of Municipality of Prishtina: “Publish the budget draft” is now “In progress”",
                "Partnership “Clean Rivers” is now “Active”",
            ],
        ),
        ("sq", ["martë, 15 dhjetor 2026, 10:00–12:00, Prishtinë, Municipal Hall", "Clean Rivers"]),
        ("sr-latn", ["utorak, 15. decembra 2026., 10:00–12:00, Priština, Municipal Hall", "Clean Rivers"]),
    ],
)
def test_the_digest_lists_what_changed_in_the_recipients_language(followed, language, expected):
    person = _person(language)
    _subscribe(
        person,
        {"event": followed["event"], "partnership": followed["partnership"], "organization": followed["org"]},
    )
    _changes(followed)
    assert digests.digests_send(frequency="daily") == 1
    [message] = _mails()
    for text in expected:
        assert text in message.body_text, (text, message.body_text)
    # Reached through both the event and its organiser: listed once.
    assert message.body_text.count("15 December") == 1 or language != "en"
    assert reverse("dialogue:following").split("/", 2)[2] in message.body_text
    assert f"/{language}/dialogue/events/{followed['event'].pk}/" in message.body_text  # their language


def test_after_event_follow_ups_are_in_the_digest(followed, english):
    event = ended_event(organization=followed["org"])
    person = _person("en")
    _subscribe(person, {"event": event})
    followups.follow_up_save(event=event, actor=followed["editor"], kind="report", body_en="All done.")
    followups.follow_up_publish(event=event, actor=followed["editor"])
    assert digests.digests_send(frequency="daily") == 1
    assert f"Closing report published: “{event.title_en}”" in _mails()[-1].body_text


def test_no_email_when_nothing_changed_and_once_per_period(followed):
    person = _person()
    _subscribe(person, {"event": followed["event"]}, since=timezone.now())
    assert digests.digests_send(frequency="daily") == 0 and not _mails()
    Event.objects.filter(pk=followed["event"].pk).update(updated_at=timezone.now() + timedelta(seconds=1))
    now = timezone.now() + timedelta(seconds=2)
    assert digests.digests_send(frequency="daily", now=now) == 1
    Event.objects.filter(pk=followed["event"].pk).update(updated_at=now + timedelta(seconds=1))
    assert digests.digests_send(frequency="daily", now=now + timedelta(seconds=2)) == 0  # same day: once
    assert len(_mails()) == 1 and SentReminder.objects.filter(kind="dialogue.digest_daily").count() == 1
    subscription = DigestSubscription.objects.get(user=person)
    assert subscription.last_sent_at == now
    # The next day the change made after the last digest is sent.
    assert digests.digests_send(frequency="daily", now=now + timedelta(days=1)) == 1


def test_weekly_digest_goes_on_mondays_only(followed):
    person = _person()
    _subscribe(person, {"event": followed["event"]}, frequency="weekly", since=MONDAY_8 - timedelta(days=3))
    Event.objects.filter(pk=followed["event"].pk).update(updated_at=MONDAY_8 - timedelta(days=1))
    assert digests.digests_send(frequency="weekly", now=MONDAY_8 + timedelta(days=1)) == 0  # Tuesday
    assert digests.digests_send(frequency="daily", now=MONDAY_8) == 0  # not a daily subscriber
    assert digests.digests_send(frequency="weekly", now=MONDAY_8) == 1
    assert digests.digests_send(frequency="weekly", now=MONDAY_8 + timedelta(hours=1)) == 0


def test_the_task_and_beat_schedule(followed, settings):
    from dialogue.tasks import digests_send

    person = _person()
    _subscribe(person, {"event": followed["event"]})
    Event.objects.filter(pk=followed["event"].pk).update(updated_at=timezone.now())
    assert digests_send.delay("daily").get() == 1
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["dialogue-daily-digest"]["args"] == ("daily",)
    assert schedule["dialogue-weekly-digest"]["schedule"].day_of_week == {1}


def test_deleted_objects_do_not_crash_the_digest(followed):
    person = _person()
    _subscribe(person, {"event": followed["event"], "partnership": followed["partnership"]})
    _changes(followed)
    Partnership.objects.filter(pk=followed["partnership"].pk).delete()
    Follow.objects.create(user=person, kind="event", object_id=987654)  # an event deleted since
    Follow.objects.create(user=person, kind="retired-kind", object_id=1)  # a kind no longer registered
    assert digests.digests_send(frequency="daily") == 1
    assert "Clean Rivers" not in _mails()[0].body_text


def test_private_things_never_reach_the_digest(followed):
    person = _person()
    _subscribe(person, {"organization": followed["org"]}, since=timezone.now())
    draft = EventFactory(organization=followed["org"], status="draft", title_en="Secret draft")
    later = timezone.now() + timedelta(seconds=1)
    Event.objects.filter(pk=draft.pk).update(updated_at=later)
    assert digests.digests_send(frequency="daily", now=later + timedelta(seconds=1)) == 0


def test_digest_queries_do_not_grow_with_what_is_followed(followed, django_assert_max_num_queries):
    def world_of(n):
        person = _person()
        things = []
        for _ in range(n):
            event = EventFactory(organization=followed["org"])
            commitment = CommitmentFactory(event=event, organization=followed["org"])
            partnership = Partnership.objects.create(name="P", goal="G", started_on=timezone.localdate())
            things.append((event, commitment, partnership))
            services.follow(user=person, kind="event", object_id=event.pk)
            services.follow(user=person, kind="partnership", object_id=partnership.pk)
        services.digest_set(user=person, frequency="daily")
        _since(person, timezone.now() - timedelta(hours=1))
        for event, commitment, partnership in things:
            Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
            commitment_services.commitment_update(
                commitment=commitment, actor=followed["editor"], status=CommitmentStatus.IN_PROGRESS
            )
            from django.db import transaction

            with transaction.atomic():
                locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
                PARTNERSHIP.move(locked, PartnershipStatus.ACTIVE, actor=followed["editor"], check_perm=False)
        return person

    world_of(2)
    day = timezone.now()
    with django_assert_max_num_queries(40) as two:
        assert digests.digests_send(frequency="daily", now=day) == 1
    world_of(6)
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert digests.digests_send(frequency="daily", now=day + timedelta(seconds=1)) == 1
    assert len(_mails()) == 2


def test_digest_reads_only_this_periods_reminders(followed, django_assert_max_num_queries):
    """Who already had today's digest is read for today only: the rows of earlier days (one a
    person a day, for ever) are not loaded on every run."""
    person = _person()
    _subscribe(person, followed)
    kind = digests.REMINDER_KIND["daily"]
    today = timezone.localdate()
    SentReminder.objects.bulk_create(
        SentReminder(kind=kind, object_id=(today - timedelta(days=d)).toordinal(), user=person)
        for d in range(1, 31)
    )
    _changes(followed)
    with django_assert_max_num_queries(40) as run:
        assert digests.digests_send(frequency="daily", now=timezone.now()) == 1
    reads = [
        q["sql"]
        for q in run.captured_queries
        if q["sql"].startswith('SELECT "core_sentreminder"."object_id"')
    ]
    assert len(reads) == 1 and str(today.toordinal()) in reads[0], reads


def test_digest_reads_do_not_grow_with_the_people(followed, django_assert_max_num_queries):
    """The reads are one batch for everyone due; each person emailed costs only the writes of
    their reminder and outbox email (one transaction each, so that each goes once)."""

    def people(n):
        for _ in range(n):
            person = _person()
            event = EventFactory(organization=followed["org"])
            services.follow(user=person, kind="event", object_id=event.pk)
            services.follow(user=person, kind="organization", object_id=followed["org"].pk)
            services.digest_set(user=person, frequency="daily")
            _since(person, timezone.now() - timedelta(hours=1))
            Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())

    def reads(run):
        # remind_once's own get_or_create reads the row it is about to insert
        return [
            q["sql"]
            for q in run.captured_queries
            if q["sql"].startswith("SELECT") and '"core_sentreminder"."id"' not in q["sql"]
        ]

    people(2)
    day = timezone.now()
    with django_assert_max_num_queries(60) as two:
        assert digests.digests_send(frequency="daily", now=day) == 2
    people(6)
    with django_assert_max_num_queries(80) as eight:
        assert digests.digests_send(frequency="daily", now=day + timedelta(days=1)) == 8
    assert len(reads(eight)) == len(reads(two))
    per_person = (len(eight.captured_queries) - len(two.captured_queries)) / 6
    assert per_person <= 7  # savepoints, the reminder's get_or_create, the outbox row


def test_existing_event_emails_write_the_event_in_full(english):
    from dialogue.services import registrations

    event = _event_on_15_december()
    cso = event.sectors.create(audience="cso", places=1)
    first, second = _person("en"), _person("sq")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: datetime(2026, 12, 1, 9, 0, tzinfo=BELGRADE))
        registrations.registration_create(event=event, sector=cso, actor=first, user=first)
        waiting = registrations.registration_create(event=event, sector=cso, actor=second, user=second)
        registrations.registration_cancel(registration=first.dialogue_registrations.get(), actor=first)
    bodies = {m.to: m.body_text for m in _mails()}
    assert "Tuesday, 15 December 2026, 10:00–12:00, Pristina, Municipal Hall" in bodies[first.email]
    promoted = [m.body_text for m in _mails() if m.to == second.email][-1]
    waiting.refresh_from_db()
    assert waiting.status == "registered" and "martë, 15 dhjetor 2026, 10:00–12:00, Prishtinë" in promoted


def test_following_leaves_the_public_page_cache_alone():
    """Who follows what is on no public page: a follow does not empty dialogue's cached pages;
    a change of an event does."""
    from core import fragments
    from core.page_cache import DIALOGUE

    event = EventFactory()
    before = fragments.tokens([DIALOGUE])
    services.follow(user=_person(), kind="event", object_id=event.pk)
    services.digest_set(user=_person(), frequency="daily")
    assert fragments.tokens([DIALOGUE]) == before
    event.save()
    assert fragments.tokens([DIALOGUE]) != before


# --- consultations (a kind registered after the first three) ----------------------------------


def test_a_consultation_is_followed_and_its_closing_and_answers_reach_the_digest(english):
    from dialogue.services import consultations as consultation_services
    from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section

    staff = factories.UserFactory(is_staff=True)
    consultation = ConsultationFactory(title_en="Municipal plan 2027")
    section = consultation_section(consultation)
    comments = [consultation_comment(section) for _ in range(2)]
    person = _person("en")
    services.follow(user=person, kind="consultation", object_id=consultation.pk)
    services.digest_set(user=person, frequency="daily")
    _since(person, timezone.now() - timedelta(hours=1))
    for comment in comments:
        consultation_services.comment_answer(comment=comment, actor=staff, verdict="accepted", reason="")
    consultation_services.consultation_move(consultation=consultation, actor=staff, target="closed")

    assert digests.digests_send(frequency="daily") == 1
    body = _mails()[-1].body_text
    assert "Consultation “Municipal plan 2027”: the organiser answered 2 comments" in body
    assert "Consultation “Municipal plan 2027” is closed" in body
    assert f"/en/dialogue/consultations/{consultation.pk}/" in body


def test_a_draft_consultation_cannot_be_followed(english):
    from tests.dialogue.factories import ConsultationFactory

    draft = ConsultationFactory(status="draft")
    with pytest.raises((ValidationError, Http404)):
        services.follow(user=_person(), kind="consultation", object_id=draft.pk)
    assert not Follow.objects.exists()


def test_the_consultation_page_has_the_follow_button(client, english):
    from tests.dialogue.factories import ConsultationFactory, consultation_section

    consultation = ConsultationFactory()
    consultation_section(consultation)
    assert "Sign in to follow" in client.get(consultation.get_absolute_url()).content.decode()
    client = login(client, _person())
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert (
        reverse("dialogue:follow_toggle", kwargs={"kind": "consultation", "object_id": consultation.pk})
        in html
    )
