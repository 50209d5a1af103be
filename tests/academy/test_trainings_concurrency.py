"""Two organisations registering for the last place at the same moment: the training's row is
locked, so one gets it and the other is told the training is full (PostgreSQL only: SQLite
has no row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from academy.models import TrainingAttendee
from academy.services import trainings as service
from tests.academy.training_factories import make_training, organization_with


@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_one_organisation_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    training = make_training(places=1)
    contenders = [organization_with() for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def register(organization, editor):
        try:
            barrier.wait(timeout=10)
            service.registration_save(
                actor=editor, training=training, organization_id=organization.pk, attendees=[("Arta", "")]
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=pair) for pair in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["full", "ok"]
    assert TrainingAttendee.objects.filter(training=training).count() == 1
