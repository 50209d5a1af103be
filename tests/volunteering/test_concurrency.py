"""Two editors accept the last place of an opportunity at the same moment: one wins, the other
is refused, and the places are never over-filled (PostgreSQL row locks; each thread has its
own connection). The place check is slowed so that, without the lock, both would pass it."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.volunteering.factories import OpportunityFactory, ProfileFactory, editor_of
from volunteering.choices import ApplicationStatus
from volunteering.models import Application, Engagement, Opportunity
from volunteering.services import applications as services

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


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


def test_two_editors_accept_the_last_place_at_once(monkeypatch):
    opportunity = OpportunityFactory(places=1)
    first_editor, second_editor = editor_of(opportunity.organization), editor_of(opportunity.organization)
    a1 = services.application_submit(actor=ProfileFactory().user, opportunity=opportunity)
    a2 = services.application_submit(actor=ProfileFactory().user, opportunity=opportunity)

    original = services.lock_opportunity

    def slow_lock(opp):
        locked = original(opp)
        time.sleep(0.3)  # both would read "one place left" without the row lock
        return locked

    monkeypatch.setattr(services, "lock_opportunity", slow_lock)
    _results, errors = race(
        lambda: services.application_decide(actor=first_editor, application=a1, accept=True),
        lambda: services.application_decide(actor=second_editor, application=a2, accept=True),
    )
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert refused[0].code == "full"  # in the threads' language (sq): the code, not the words
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    assert opportunity.places_filled == 1
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 1
    assert Engagement.objects.count() == 1


def test_a_double_submit_of_the_same_application_applies_once():
    opportunity = OpportunityFactory()
    profile = ProfileFactory()
    _results, errors = race(
        lambda: services.application_submit(actor=profile.user, opportunity=opportunity, message="a"),
        lambda: services.application_submit(actor=profile.user, opportunity=opportunity, message="b"),
    )
    assert sum(e is None for e in errors) == 1
    assert isinstance(next(e for e in errors if e is not None), ValidationError)
    assert Application.objects.filter(opportunity=opportunity).count() == 1
