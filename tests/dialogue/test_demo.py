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
    assert counts == (3, 11, 5)
    assert set(Commitment.objects.values_list("status", flat=True)) == set(CommitmentStatus.values)
    assert Commitment.objects.exclude(strategy_measure_id=None).exists()
    assert set(Registration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert len(set(Registration.objects.values_list("sector__audience", flat=True))) >= 4
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Event.objects.count(), Registration.objects.count(), Commitment.objects.count()) == counts
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("dialogue:tracker")).status_code == 200


def test_seed_demo_partnership_and_trust(client):
    from dialogue.models import Partnership, TrustAnswer

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    partnership = Partnership.objects.get()
    assert len({m.kind for m in partnership.members.all()}) >= 2
    assert TrustAnswer.objects.filter(moment="before").count() >= 5
    assert TrustAnswer.objects.filter(moment="after").count() >= 5
    assert client.get(partnership.get_absolute_url()).status_code == 200
    assert client.get(reverse("dialogue:partnership_list")).status_code == 200
    response = client.get(reverse("dialogue:trust_barometer"))
    assert response.status_code == 200 and len(response.context["barometers"]) == 1
    event = partnership.events.get()
    assert client.get(event.get_absolute_url()).context["trust"] is not None
    from dialogue.models import EventFollowUp, Follow

    follow_up = EventFollowUp.objects.get()
    assert client.get(event.get_absolute_url()).context["follow_up"] == follow_up
    assert Follow.objects.filter(kind="event", object_id=event.pk).count() == 1
