"""Giving's demo data, loaded by `seed_demo` (see core.demo): 240 records of three years,
deterministic (a fixed random seed), most verified; skipped when the demo records exist."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_admin
from core import demo
from core.demo import demo_municipalities
from giving import aggregates
from giving.choices import (
    DIASPORA_DONOR_TYPES,
    BeneficiaryGroup,
    Cause,
    DiasporaChannel,
    DonorType,
    Effect,
    Geography,
    RecipientType,
    Recurrence,
    Source,
    Status,
    SupportKind,
)
from giving.models import GivingRecord
from giving.services.records import prepare_record
from organizations.demo import demo_organizations

DEMO_GIVING_TAG = "[demo]"


@demo.register(after=("organizations",), summary="{created} giving records created")
def seed() -> int:
    admin, organizations, municipalities = demo_admin(), demo_organizations(), demo_municipalities()
    if GivingRecord.objects.filter(description__startswith=DEMO_GIVING_TAG).exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    csos = [o for o in organizations if o.kind == "cso"]
    munis = list(municipalities.values())
    records = []
    for i in range(240):
        donor_type = rng.choices(list(DonorType.values), weights=[30, 20, 8, 4, 18, 6, 10, 4], k=1)[0]
        geography = rng.choices(list(Geography.values), weights=[85, 12, 3], k=1)[0]
        kind = rng.choices(list(SupportKind.values), weights=[70, 15, 10, 5], k=1)[0]
        recipient_org = rng.choice(csos) if rng.random() < 0.35 else None
        record = GivingRecord(
            date=today - timedelta(days=rng.randint(1, 3 * 365)),
            amount=Decimal(rng.choice([50, 100, 250, 500, 1000, 2500, 5000, 12000]))
            * Decimal(rng.randint(1, 4)),
            support_kind=kind,
            donor_type=donor_type,
            donor_country=rng.choice(["DE", "CH", "AT", "US", "SE"])
            if donor_type in DIASPORA_DONOR_TYPES
            else "",
            diaspora_channel=rng.choice(list(DiasporaChannel.values))
            if donor_type in DIASPORA_DONOR_TYPES
            else "",
            recipient_type=RecipientType.CSO if recipient_org else rng.choice(list(RecipientType.values)),
            recipient_organization=recipient_org,
            cause=rng.choice(list(Cause.values)),
            beneficiary_group=rng.choice(list(BeneficiaryGroup.values)),
            geography=geography,
            municipality=rng.choice(munis) if geography == Geography.MUNICIPALITY else None,
            recurrence=rng.choice(list(Recurrence.values)),
            effect=rng.choice(list(Effect.values)),
            description=f"{DEMO_GIVING_TAG} dhuratë {i + 1}",
            source=rng.choice([Source.MEDIA, Source.STAFF, Source.CSO_SELF, Source.PARTNER]),
            source_url="https://example.org/news" if rng.random() < 0.3 else "",
            status=Status.VERIFIED if i % 8 else Status.REPORTED,
            entered_by=admin,
        )
        if record.source == Source.MEDIA and not record.source_url:
            record.source_url = "https://example.org/news"
        prepare_record(record)
        if record.status == Status.VERIFIED:
            record.reviewed_by, record.reviewed_at = admin, timezone.now()
        records.append(record)
    GivingRecord.objects.bulk_create(records)
    aggregates.refresh()
    return len(records)
