import pytest
from django.core.management import call_command

from accounts.models import User
from giving.models import GivingRecord
from organizations.models import Membership, Organization
from transparency.models import OrganizationBadge, PublicFundingRecord, StrategyMeasure, TransparencyReport


def _counts():
    return [
        m.objects.count()
        for m in (
            User,
            Organization,
            Membership,
            GivingRecord,
            TransparencyReport,
            OrganizationBadge,
            PublicFundingRecord,
            StrategyMeasure,
        )
    ]


@pytest.mark.django_db
def test_seed_demo_loads_every_app_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = _counts()
    assert all(first), first  # every app got demo rows
    assert GivingRecord.objects.filter(status="verified").exists()
    assert OrganizationBadge.objects.exclude(level="none").exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _counts() == first
