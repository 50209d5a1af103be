"""The help desk's demo part: a mentoring series with held and planned sessions, once; the
demo admin in the help desk team."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.demo import ADMIN_EMAIL
from assistance.models import MentoringSeries, MentoringSession
from assistance.services.reminders import HELP_DESK_GROUP


@pytest.mark.django_db
def test_seed_demo_makes_one_mentoring_series_with_held_and_planned_sessions():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    series = MentoringSeries.objects.get()
    assert series.sessions.filter(held_on__isnull=False).count() == 2
    assert series.sessions.filter(held_on__isnull=True).count() == 3
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert MentoringSeries.objects.count() == 1 and MentoringSession.objects.count() == 5


@pytest.mark.django_db
def test_seed_demo_puts_the_demo_admin_in_the_help_desk_group():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    group = Group.objects.get(name=HELP_DESK_GROUP)
    assert list(group.user_set.values_list("email", flat=True)) == [ADMIN_EMAIL]
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert group.user_set.count() == 1
