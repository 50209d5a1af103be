"""The demo part seeds a working set (once), and the transparency pre-fill provider reads the
organisation's confirmed hours of the year."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from organizations import demo as organizations_demo
from tests.volunteering.factories import engagement
from transparency import prefill
from volunteering import demo
from volunteering.models import Engagement, HoursEntry, Opportunity, VolunteerProfile
from volunteering.selectors import transparency_prefill
from volunteering.services import engagements

pytestmark = pytest.mark.django_db


def test_demo_seeds_once():
    accounts_demo.seed()
    organizations_demo.seed()
    assert demo.seed() > 0
    assert VolunteerProfile.objects.filter(country="DE").exists()
    assert Opportunity.objects.filter(status="open", kind="expert_request").exists()
    assert Engagement.objects.exists() and HoursEntry.objects.filter(status="confirmed").exists()
    assert demo.seed() == 0


def test_transparency_prefill_counts_confirmed_hours_of_the_year():
    eng, editor, volunteer = engagement()
    today = timezone.localdate()
    confirmed = engagements.hours_log(
        actor=volunteer, engagement=eng, date=today, hours="3.5", description="x"
    )
    engagements.hours_confirm(actor=editor, entry=confirmed)
    engagements.hours_log(actor=volunteer, engagement=eng, date=today, hours="2", description="unconfirmed")
    org = eng.opportunity.organization
    assert transparency_prefill(org, today.year - 1) == []
    items = transparency_prefill(org, today.year)
    assert [(field, value) for field, value, _source in items] == [("volunteers", 1), ("volunteer_hours", 4)]
    collected = prefill.collect(org, today.year)
    assert collected["volunteer_hours"].value == 4 and collected["volunteers"].value == 1
