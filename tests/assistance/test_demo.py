"""The help desk's demo part: a mentoring series with held and planned sessions, once."""

import pytest
from django.core.management import call_command

from assistance.models import MentoringSeries, MentoringSession


@pytest.mark.django_db
def test_seed_demo_makes_one_mentoring_series_with_held_and_planned_sessions():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    series = MentoringSeries.objects.get()
    assert series.sessions.filter(held_on__isnull=False).count() == 2
    assert series.sessions.filter(held_on__isnull=True).count() == 3
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert MentoringSeries.objects.count() == 1 and MentoringSession.objects.count() == 5
