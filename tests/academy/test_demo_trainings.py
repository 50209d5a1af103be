"""seed_demo's capacity trainings: a training held (attendance, feedback) and one open, the
questionnaire, baselines and follow-ups enough for the public aggregate, a shared map."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from academy import selectors
from academy.models import CommunityMap, Training, TrainingAttendee, TrainingFeedback

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_seed_demo_adds_the_trainings_and_shows_them(client):
    call_command("seed_demo", verbosity=0)
    assert Training.objects.count() == 2
    held, open_training = Training.objects.order_by("starts_at")
    assert held.has_ended() and open_training.registration_is_open()
    assert TrainingAttendee.objects.filter(training=held, present=True).exists()
    assert TrainingFeedback.objects.filter(training=held).count() >= 2
    aggregate = selectors.assessment_aggregate()
    assert not aggregate["hidden"] and aggregate["rows"]
    community_map = CommunityMap.objects.get()
    assert community_map.shared and community_map.stakeholders.count() >= 4
    assert client.get(reverse("academy:assessment_public")).status_code == 200
    page = client.get(reverse("academy:shared_map", args=[community_map.organization.slug]))
    assert page.status_code == 200 and "Radio Dukagjini" in page.content.decode()
    call_command("seed_demo", verbosity=0)  # a second run adds nothing
    assert Training.objects.count() == 2
