"""Places are never over-filled under concurrent registrations (PostgreSQL row locks): many
people register for the last places of a sector at the same moment; a cancellation racing
new registrations moves exactly one person up."""

import threading
import time

import pytest
from django.db import connection

from dialogue.choices import RegistrationStatus
from dialogue.models import Registration
from dialogue.services import registrations as services
from tests import factories
from tests.dialogue.factories import EventFactory, sector

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

R = RegistrationStatus


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.fixture
def slow_count(monkeypatch):
    """Slow the places check down, so that without the lock every racer would see a free place."""
    original = services.places_taken

    def slow(sector):
        value = original(sector)
        time.sleep(0.2)
        return value

    monkeypatch.setattr(services, "places_taken", slow)


def _register(event, sec, user):
    return lambda: services.registration_create(event=event, sector=sec, actor=user, user=user)


def test_concurrent_registrations_never_overfill_a_sector(slow_count):
    event = EventFactory()
    sec = sector(event, places=2)
    users = [factories.UserFactory() for _ in range(6)]
    results, errors = race(*(_register(event, sec, u) for u in users))
    assert errors == [None] * 6
    statuses = sorted(r.status for r in results)
    assert statuses.count(R.REGISTERED) == 2 and statuses.count(R.WAITING) == 4
    positions = sorted(
        Registration.objects.filter(status=R.WAITING).values_list("waiting_position", flat=True)
    )
    assert positions == [1, 2, 3, 4]


def test_the_same_person_registering_twice_at_once_gets_one_registration():
    event = EventFactory()
    sec = sector(event, places=5)
    user = factories.UserFactory()
    _results, errors = race(_register(event, sec, user), _register(event, sec, user))
    assert Registration.objects.filter(user=user).count() == 1
    assert sum(e is None for e in errors) == 1
    refusal = next(e for e in errors if e)
    assert refusal.code == "already_registered"  # in the threads' language (sq): the code, not the words


def test_a_cancellation_racing_new_registrations_moves_exactly_one_up(slow_count):
    event = EventFactory()
    sec = sector(event, places=1)
    holder = factories.UserFactory()
    held = services.registration_create(event=event, sector=sec, actor=holder, user=holder)
    waiting_user = factories.UserFactory()
    services.registration_create(event=event, sector=sec, actor=waiting_user, user=waiting_user)
    newcomers = [factories.UserFactory() for _ in range(3)]
    calls = [lambda: services.registration_cancel(registration=held, actor=holder)]
    calls += [_register(event, sec, u) for u in newcomers]
    _results, errors = race(*calls)
    assert errors == [None] * 4
    assert Registration.objects.filter(sector=sec, status=R.REGISTERED).count() == 1


def test_trust_survey_answered_twice_at_once_is_saved_once(monkeypatch):
    """Two submits of the same survey at the same moment: one answer, one clear refusal
    (the unique constraint, turned into the "already answered" message)."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from dialogue.models import TrustAnswer
    from dialogue.services import trust as trust_services

    start = timezone.now() - timedelta(hours=1)
    event = EventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration_opens_at=start - timedelta(days=2),
        registration_closes_at=start - timedelta(minutes=30),
    )
    cso = sector(event, places=5)
    user = factories.UserFactory()
    Registration.objects.create(
        event=event, sector=cso, user=user, name="P", email=user.email, status=R.ATTENDED
    )
    original = trust_services.already_answered

    def slow(registration, moment):  # both racers pass the check before either saves
        value = original(registration, moment)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(trust_services, "already_answered", slow)
    scores = dict.fromkeys(("cso", "citizens", "private", "public", "media"), 4)
    call = lambda: trust_services.trust_answer(event=event, actor=user, moment="before", scores=scores)  # noqa: E731
    results, errors = race(call, call)
    assert TrustAnswer.objects.count() == 1
    assert sum(r is not None for r in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert refused[0].code == "already_answered"
