"""Registrations (places, waiting list, cancel, check-in), events and commitments through
the services, with the refusals people meet."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import EmailOutbox, Sector, StatusChange
from dialogue.choices import Audience, CommitmentStatus, EventStatus, RegistrationStatus
from dialogue.models import Registration
from dialogue.services import commitments as commitment_services
from dialogue.services import events as event_services
from dialogue.services import registrations as services
from tests import factories
from tests.dialogue.factories import (
    CommitmentFactory,
    EventFactory,
    editor_of,
    sector,
    strategy_measure,
    verified_org,
)

pytestmark = pytest.mark.django_db
R = RegistrationStatus
C = CommitmentStatus


def register(event, sec, user=None, **kwargs):
    # English-speaking registrants: their emails are in their language (the subjects below).
    user = user or factories.UserFactory(preferred_language="en")
    return services.registration_create(event=event, sector=sec, actor=user, user=user, **kwargs)


# --- places and the waiting list ------------------------------------------------------


def test_full_sector_puts_people_on_its_waiting_list_in_order(english):
    event = EventFactory()
    cso, media = sector(event, Audience.CSO, 1), sector(event, Audience.MEDIA, 1)
    first = register(event, cso)
    second, third = register(event, cso), register(event, cso)
    other_sector = register(event, media)
    assert first.status == R.REGISTERED and other_sector.status == R.REGISTERED
    assert (second.status, second.waiting_position) == (R.WAITING, 1)
    assert (third.status, third.waiting_position) == (R.WAITING, 2)
    assert services.waiting_rank(third) == 2
    subjects = list(EmailOutbox.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects[0].startswith("You are registered") and subjects[1].startswith("On the waiting list")


def test_confirmation_email_carries_the_calendar_file_in_the_registrants_language():
    event = EventFactory()
    user = factories.UserFactory(preferred_language="en")
    register(event, sector(event), user=user)
    message = EmailOutbox.objects.get()
    assert message.attachment_builder == services.ICS_BUILDER
    assert message.attachment_args[-1] == "en"
    assert "Roundtable" in message.subject
    from core.tasks import send_outbox_email

    send_outbox_email(message.pk)
    sent = mail.outbox[-1]
    name, ics, content_type = sent.attachments[0]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert name == f"event-{event.pk}.ics" and content_type.startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Roundtable" in ics and "TZID=Europe/Belgrade" in ics


def test_cancelling_moves_the_first_on_the_waiting_list_up_with_an_email(english):
    event = EventFactory()
    cso = sector(event, Audience.CSO, 1)
    holder = register(event, cso)
    waiting, later = register(event, cso), register(event, cso)
    EmailOutbox.objects.all().delete()
    services.registration_cancel(registration=holder, actor=holder.user)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == R.REGISTERED and waiting.waiting_position is None
    assert later.status == R.WAITING and services.waiting_rank(later) == 1
    message = EmailOutbox.objects.get()
    assert message.to == waiting.email and message.subject.startswith("A place is free")
    assert StatusChange.objects.filter(object_id=waiting.pk, to_status=R.REGISTERED).exists()
    # cancelling twice is harmless, and someone on the waiting list leaving frees nothing
    services.registration_cancel(registration=holder, actor=holder.user)
    services.registration_cancel(registration=later, actor=later.user)
    assert Registration.objects.filter(status=R.REGISTERED).count() == 1


def test_registering_twice_is_refused_but_again_after_cancelling_is_allowed(english):
    event = EventFactory()
    cso = sector(event)
    user = factories.UserFactory()
    first = register(event, cso, user=user)
    with pytest.raises(ValidationError, match="already registered"):
        register(event, sector(event, Audience.MEDIA), user=user)
    services.registration_cancel(registration=first, actor=user)
    assert register(event, cso, user=user).status == R.REGISTERED


def test_a_typed_registration_by_email_once_per_event(english):
    event = EventFactory()
    staff = factories.StaffFactory()
    cso = sector(event)
    services.registration_create(event=event, sector=cso, actor=staff, name="Ana", email="Ana@Example.org")
    with pytest.raises(ValidationError, match="already registered"):
        services.registration_create(
            event=event, sector=cso, actor=staff, name="Ana B", email="ana@example.org"
        )
    with pytest.raises(ValidationError, match="name and email"):
        services.registration_create(event=event, sector=cso, actor=staff, name="", email="x@example.org")


@pytest.mark.parametrize(
    "change,message",
    [
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not opened yet"),
        (
            {
                "registration_closes_at": timezone.now() - timedelta(minutes=1),
                "registration_opens_at": timezone.now() - timedelta(days=2),
            },
            "has closed",
        ),
        ({"status": EventStatus.DRAFT}, "does not take registrations"),
        ({"status": EventStatus.CANCELLED}, "does not take registrations"),
    ],
)
def test_registration_only_inside_the_window_of_a_published_event(english, change, message):
    event = EventFactory(**change)
    with pytest.raises(ValidationError, match=message):
        register(event, sector(event))
    assert not Registration.objects.exists()


def test_a_sector_of_another_event_is_refused(english):
    event, other = EventFactory(), EventFactory()
    with pytest.raises(ValidationError, match="not invited"):
        register(event, sector(other))


# --- check-in -------------------------------------------------------------------------


def test_check_in_by_code_once_and_clear_refusals(english):
    event, other_event = EventFactory(), EventFactory()
    staff = factories.StaffFactory()
    cso = sector(event, places=1)
    registration = register(event, cso)
    waiting = register(event, cso)
    elsewhere = register(other_event, sector(other_event))
    checked, new = services.registration_check_in(event=event, code=registration.code.lower(), actor=staff)
    assert new and checked.status == R.ATTENDED and checked.checked_in_by == staff
    assert services.registration_check_in(event=event, code=registration.code, actor=staff)[1] is False
    with pytest.raises(ValidationError, match="No registration has this code"):
        services.registration_check_in(event=event, code="NOPE", actor=staff)
    with pytest.raises(ValidationError, match="another event"):
        services.registration_check_in(event=event, code=elsewhere.code, actor=staff)
    with pytest.raises(ValidationError, match="waiting list"):
        services.registration_check_in(event=event, code=waiting.code, actor=staff)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(event=event, code=registration.code, actor=factories.UserFactory())
    with pytest.raises(ValidationError, match="already been checked in"):
        services.registration_cancel(registration=checked, actor=staff)


# --- events ---------------------------------------------------------------------------


def _event_data(**overrides):
    start = timezone.now() + timedelta(days=10)
    data = {
        "kind": "town_hall",
        "title_sq": "Takim",
        "description_sq": "P",
        "topic": Sector.objects.first(),
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "Sallë",
        "online_link": "",
        "municipality": factories.municipality(),
        "registration_opens_at": timezone.now(),
        "registration_closes_at": start,
    }
    return {**data, **overrides}


def test_an_editor_of_a_verified_organisation_creates_events_for_it_only(english):
    org, unverified = verified_org(), factories.OrganizationFactory()
    editor = editor_of(org)
    unverified.memberships.create(user=editor, role="editor")
    event = event_services.event_create(
        actor=editor, organization=org, data=_event_data(), sectors=[("cso", 5), ("citizens", 10)], agenda=[]
    )
    assert event.status == EventStatus.DRAFT and event.sectors.count() == 2
    with pytest.raises(PermissionDenied):
        event_services.event_create(
            actor=editor, organization=unverified, data=_event_data(), sectors=[("cso", 5)], agenda=[]
        )
    with pytest.raises(ValidationError, match="organisation"):
        event_services.event_create(
            actor=editor, organization=None, data=_event_data(), sectors=[("cso", 5)], agenda=[]
        )
    with pytest.raises(PermissionDenied):
        event_services.event_create(
            actor=factories.UserFactory(),
            organization=org,
            data=_event_data(),
            sectors=[("cso", 5)],
            agenda=[],
        )


def test_event_invariants_are_translated_messages(english):
    staff = factories.StaffFactory()
    data = _event_data()
    with pytest.raises(ValidationError) as err:
        event_services.event_create(
            actor=staff,
            organization=None,
            data={**data, "ends_at": data["starts_at"], "place": ""},
            sectors=[("cso", 1)],
            agenda=[],
        )
    assert set(err.value.message_dict) == {"ends_at", "place"}
    with pytest.raises(ValidationError, match="at least one sector"):
        event_services.event_create(actor=staff, organization=None, data=data, sectors=[], agenda=[])


def test_more_places_move_the_waiting_list_up_and_fewer_than_taken_is_refused(english):
    event = EventFactory()
    staff = factories.StaffFactory()
    cso = sector(event, places=1)
    register(event, cso)
    waiting = register(event, cso)
    data = {f: getattr(event, f) for f in event_services.EVENT_FIELDS}
    event_services.event_update(event=event, actor=staff, data=data, sectors=[("cso", 2)], agenda=[])
    waiting.refresh_from_db()
    assert waiting.status == R.REGISTERED
    with pytest.raises(ValidationError, match="at least that many places"):
        event_services.event_update(event=event, actor=staff, data=data, sectors=[("cso", 1)], agenda=[])
    with pytest.raises(ValidationError, match="cannot be removed"):
        event_services.event_update(event=event, actor=staff, data=data, sectors=[("media", 1)], agenda=[])


def test_cancelling_an_event_writes_to_everyone_registered(english):
    event = EventFactory()
    cso = sector(event, places=1)
    register(event, cso)
    register(event, cso)
    EmailOutbox.objects.all().delete()
    event_services.event_move(event=event, actor=factories.StaffFactory(), target=EventStatus.CANCELLED)
    assert EmailOutbox.objects.filter(subject__startswith="Cancelled").count() == 2


# --- commitments ----------------------------------------------------------------------


def test_commitment_recorded_by_organiser_updated_by_the_committed_organisations_editors_only(english):
    event = EventFactory()
    institution = verified_org(kind="public", registration_number="")
    staff = factories.StaffFactory()
    commitment = commitment_services.commitment_create(
        event=event,
        organization=institution,
        what="Open the budget",
        due_date=timezone.localdate() + timedelta(days=5),
        actor=staff,
    )
    editor = editor_of(institution)
    other_editor = editor_of(verified_org())
    with pytest.raises(PermissionDenied):
        commitment_services.commitment_update(commitment=commitment, actor=other_editor, status=C.DONE)
    with pytest.raises(PermissionDenied):
        commitment_services.commitment_update(commitment=commitment, actor=staff, status=C.DONE)
    commitment_services.commitment_update(
        commitment=commitment, actor=editor, status=C.IN_PROGRESS, evidence_links=["https://example.org/a"]
    )
    commitment_services.commitment_update(
        commitment=commitment, actor=editor, status=C.DONE, note="published"
    )
    commitment.refresh_from_db()
    assert commitment.status == C.DONE and commitment.evidence_links == ["https://example.org/a"]
    history = list(
        StatusChange.objects.filter(workflow="dialogue.commitment").values_list("to_status", flat=True)
    )
    assert history == [C.IN_PROGRESS, C.DONE]
    with pytest.raises(ValidationError, match="cannot become"):
        commitment_services.commitment_update(commitment=commitment, actor=editor, status=C.DROPPED)
    with pytest.raises(ValidationError, match="web address"):
        commitment_services.commitment_update(
            commitment=commitment, actor=editor, evidence_links=["javascript:x"]
        )


def test_an_editor_records_commitments_of_their_own_organisation_only(english):
    event = EventFactory()
    org, other = verified_org(), verified_org()
    editor = editor_of(org)
    due = timezone.localdate() + timedelta(days=5)
    commitment_services.commitment_create(event=event, organization=org, what="x", due_date=due, actor=editor)
    with pytest.raises(PermissionDenied):
        commitment_services.commitment_create(
            event=event, organization=other, what="x", due_date=due, actor=editor
        )
    with pytest.raises(ValidationError, match="registry"):
        commitment_services.commitment_create(
            event=event, organization=None, what="x", due_date=due, actor=factories.StaffFactory()
        )


def test_overdue_commitments_show_late_and_the_daily_task_moves_them(english):
    from dialogue import selectors

    today = timezone.localdate()
    overdue = CommitmentFactory(due_date=today - timedelta(days=1))
    in_progress = CommitmentFactory(due_date=today - timedelta(days=3), status=C.IN_PROGRESS)
    done = CommitmentFactory(due_date=today - timedelta(days=1), status=C.DONE)
    dropped = CommitmentFactory(due_date=today - timedelta(days=1), status=C.DROPPED)
    future = CommitmentFactory(due_date=today + timedelta(days=1))
    assert overdue.is_overdue and in_progress.is_overdue
    assert not (done.is_overdue or dropped.is_overdue or future.is_overdue)
    late_ids = set(selectors.public_commitments(status="late").values_list("pk", flat=True))
    assert late_ids == {overdue.pk, in_progress.pk}
    assert set(selectors.public_commitments(status="planned").values_list("pk", flat=True)) == {future.pk}
    assert commitment_services.commitments_mark_late(today=today) == 2
    assert commitment_services.commitments_mark_late(today=today) == 0
    overdue.refresh_from_db()
    assert overdue.status == C.LATE
    assert StatusChange.objects.filter(object_id=overdue.pk, to_status=C.LATE, actor=None).count() == 1


def test_a_commitment_links_to_an_existing_strategy_measure_only(english):
    measure = strategy_measure()
    event = EventFactory()
    staff = factories.StaffFactory()
    org = verified_org()
    due = timezone.localdate()
    commitment = commitment_services.commitment_create(
        event=event, organization=org, what="x", due_date=due, actor=staff, strategy_measure_id=measure.pk
    )
    assert commitment.strategy_measure_id == measure.pk
    with pytest.raises(ValidationError, match="no such Strategy measure"):
        commitment_services.commitment_create(
            event=event,
            organization=org,
            what="x",
            due_date=due,
            actor=staff,
            strategy_measure_id=measure.pk + 999,
        )
    from dialogue.selectors import for_strategy_measure

    found = for_strategy_measure(measure.pk)
    assert found.commitments == [commitment] and found.events == [event]


def test_comments_are_published_after_moderation(english):
    from dialogue import selectors

    commitment = CommitmentFactory()
    comment = commitment_services.comment_create(
        commitment=commitment, actor=factories.UserFactory(), body=" Good "
    )
    assert not selectors.approved_comments(commitment).exists()
    with pytest.raises(PermissionDenied):
        commitment_services.comment_moderate(
            comment=comment, actor=factories.UserFactory(), status="approved"
        )
    commitment_services.comment_moderate(comment=comment, actor=factories.StaffFactory(), status="approved")
    assert list(selectors.approved_comments(commitment)) == [comment]


def test_the_daily_task_marks_late_once():
    from dialogue.tasks import commitments_mark_late

    CommitmentFactory(due_date=timezone.localdate() - timedelta(days=1))
    assert commitments_mark_late() == 1
    assert commitments_mark_late() == 0


def test_reminders_go_14_days_before_and_after_the_date_once_each_in_the_editors_language():
    today = timezone.localdate()
    org = verified_org()
    editor = editor_of(org)
    editor.preferred_language = "en"
    editor.save(update_fields=["preferred_language"])
    CommitmentFactory(organization=org, due_date=today + timedelta(days=14))
    late = CommitmentFactory(organization=org, due_date=today - timedelta(days=1))
    CommitmentFactory(organization=org, due_date=today + timedelta(days=40))
    CommitmentFactory(organization=org, due_date=today - timedelta(days=1), status=C.DONE)
    assert commitment_services.commitment_reminders_send(today=today) == 2
    assert commitment_services.commitment_reminders_send(today=today) == 0
    subjects = sorted(EmailOutbox.objects.filter(to=editor.email).values_list("subject", flat=True))
    assert subjects[0].startswith("A commitment is due on") and subjects[1].startswith(
        "A commitment was due on"
    )
    # a new date makes its reminders due again
    commitment_services.commitment_update(commitment=late, actor=editor, due_date=today + timedelta(days=3))
    assert commitment_services.commitment_reminders_send(today=today) == 1


def test_the_reminders_read_only_what_was_sent_about_the_commitments_due():
    """The sweep read every commitment reminder ever sent, a table that only grows: now only
    those about the commitments it reminds of."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import SentReminder
    from dialogue.services.commitments import REMINDER_DUE_SOON, REMINDER_OVERDUE
    from tests.helpers import sent_reminder_reads

    today = timezone.localdate()
    org = verified_org()
    editor = editor_of(org)
    soon = CommitmentFactory(organization=org, due_date=today + timedelta(days=14))
    late = CommitmentFactory(organization=org, due_date=today - timedelta(days=1))
    long_ago = 10**9  # a commitment reminded of years ago
    for kind in (REMINDER_DUE_SOON, REMINDER_OVERDUE):
        SentReminder.objects.create(kind=kind, object_id=long_ago, user=editor)
    with CaptureQueriesContext(connection) as captured:
        assert commitment_services.commitment_reminders_send(today=today) == 2
    assert sent_reminder_reads(captured, REMINDER_DUE_SOON) == [{soon.pk}]
    assert sent_reminder_reads(captured, REMINDER_OVERDUE) == [{late.pk}]
    assert commitment_services.commitment_reminders_send(today=today) == 0
