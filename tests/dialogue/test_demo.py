"""seed_demo gives dialogue past and upcoming events, registrations across sectors and
commitments in every status; a second run adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from dialogue.choices import CommitmentStatus, RegistrationStatus
from dialogue.models import Commitment, Event, Registration

pytestmark = pytest.mark.django_db


def test_seed_demo(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Event.objects.count(), Registration.objects.count(), Commitment.objects.count())
    assert counts == (3, 9, 5)
    assert set(Commitment.objects.values_list("status", flat=True)) == set(CommitmentStatus.values)
    assert Commitment.objects.exclude(strategy_measure_id=None).exists()
    assert set(Registration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert len(set(Registration.objects.values_list("sector__audience", flat=True))) >= 4
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Event.objects.count(), Registration.objects.count(), Commitment.objects.count()) == counts
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("dialogue:tracker")).status_code == 200
