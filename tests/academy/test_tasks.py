"""The academy's beat task: lapsed offers, registered in the beat schedule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from academy.models import CohortApplication
from academy.services import selection
from academy.tasks import lapse_expired_offers
from core.models import EmailOutbox
from tests.academy.factories import make_cohort, submitted
from tests.factories import StaffFactory


def test_beat_runs_it_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["academy-lapse-offers"]
    assert entry["task"] == lapse_expired_offers.name == "academy.tasks.lapse_expired_offers"


@pytest.mark.django_db
def test_runs_once_per_offer_and_tells_both_people():
    staff = StaffFactory()
    cohort = make_cohort(places=1)
    first, second = submitted(cohort), submitted(cohort)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[first.pk], waiting=[second.pk])
    CohortApplication.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(hours=1))
    before = EmailOutbox.objects.count()
    assert lapse_expired_offers.delay().get() == 1
    assert lapse_expired_offers.delay().get() == 0
    assert EmailOutbox.objects.count() == before + 2  # "not confirmed in time" and "you were selected"
    second.refresh_from_db()
    assert second.status == "selected" and second.offer_expires_at > timezone.now() + timedelta(days=6)
