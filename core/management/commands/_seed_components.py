"""Demo data of the component apps (giving, transparency), loaded by `seed_demo`.

Deterministic (a fixed random seed) and idempotent: each part is skipped when its demo
rows already exist."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

DEMO_GIVING_TAG = "[demo]"


def seed_giving(*, admin, organizations, municipalities) -> int:
    if not apps.is_installed("giving"):
        return 0
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
    from giving.services import prepare_record

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
            description=f"{DEMO_GIVING_TAG} gift {i + 1}",
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


def seed_transparency(*, admin, organizations, owners, municipalities) -> int:
    if not apps.is_installed("transparency"):
        return 0
    from transparency import badges
    from transparency.choices import FundingProcedure, MeasureStatus, ReportStatus
    from transparency.models import (
        BoardMember,
        PublicFundingRecord,
        StrategyMeasure,
        StrategyObjective,
        TransparencyReport,
    )

    created = 0
    csos = [o for o in organizations if o.kind == "cso"]
    this_year = timezone.localdate().year
    if not TransparencyReport.objects.exists():
        rng = random.Random(7)
        for n, org in enumerate(csos[:4]):
            for year in range(this_year - 3 + (n % 2), this_year):
                income = Decimal(rng.randint(8, 120) * 1000)
                report = TransparencyReport.objects.create(
                    organization=org,
                    year=year,
                    status=ReportStatus.PUBLISHED,
                    form_size="full" if income >= 30000 else "short",
                    income_foreign_donors=income * Decimal("0.5"),
                    income_municipal_public=income * Decimal("0.2"),
                    income_domestic_individuals=income * Decimal("0.2"),
                    income_diaspora=income * Decimal("0.1"),
                    expenditure_programs=income * Decimal("0.75"),
                    expenditure_administration=income * Decimal("0.2"),
                    expenditure_fundraising=income * Decimal("0.05"),
                    staff_full_time=rng.randint(1, 8),
                    volunteers=rng.randint(5, 40),
                    volunteer_hours=rng.randint(100, 2000),
                    main_activities="Community programmes, trainings and advocacy in the municipality.",
                    beneficiaries_reached=rng.randint(200, 5000),
                    submitted_by=owners.get(org.pk),
                    submitted_at=timezone.make_aware(timezone.datetime(year + 1, 4, 15)),
                    reviewed_by=admin,
                    reviewed_at=timezone.make_aware(timezone.datetime(year + 1, 5, 2)),
                    published_at=timezone.make_aware(timezone.datetime(year + 1, 5, 2)),
                )
                report.municipalities.set([org.municipality])
                for k, (name, role) in enumerate(
                    [
                        ("Arben Krasniqi", "Chair"),
                        ("Vjosa Morina", "Treasurer"),
                        ("Nenad Jovanović", "Member"),
                    ]
                ):
                    BoardMember.objects.create(report=report, name=name, role=role, ordering=k)
                created += 1
        for org in csos:
            badges.recompute(org)
    publics = [o for o in organizations if o.kind == "public"]
    if publics and csos and not PublicFundingRecord.objects.exists():
        rng = random.Random(11)
        for year in range(this_year - 3, this_year):
            for org in csos:
                PublicFundingRecord.objects.create(
                    institution=publics[0],
                    recipient=org,
                    recipient_name=org.name,
                    year=year,
                    amount=Decimal(rng.randint(2, 30) * 500),
                    programme="Municipal support to NGOs",
                    procedure=rng.choice(list(FundingProcedure.values)),
                    call_published=rng.random() < 0.7,
                    results_published=rng.random() < 0.5,
                    recipient_reported=rng.random() < 0.6,
                    entered_by=admin,
                )
                created += 1
    if not StrategyObjective.objects.exists():
        plan = [
            (
                "1",
                "Mekanizmat e bashkëpunimit",
                "Mehanizmi saradnje",
                "Cooperation mechanisms",
                [
                    (
                        "1.1",
                        "Funksionalizimi i Këshillit për Bashkëpunim",
                        "Funkcionisanje Saveta za saradnju",
                        "Make the Council for Cooperation functional",
                        MeasureStatus.IMPLEMENTED,
                    ),
                    (
                        "1.2",
                        "Zyrtarë kontaktues në çdo ministri",
                        "Kontakt službenici u svakom ministarstvu",
                        "Contact officers in every ministry",
                        MeasureStatus.IN_PROGRESS,
                    ),
                ],
            ),
            (
                "2",
                "Financimi publik i OShC-ve",
                "Javno finansiranje OCD",
                "Public funding of CSOs",
                [
                    (
                        "2.1",
                        "Rregullore e përbashkët për financimin publik",
                        "Zajednička uredba o javnom finansiranju",
                        "A common regulation on public funding",
                        MeasureStatus.LATE,
                    ),
                    (
                        "2.2",
                        "Publikimi i thirrjeve dhe rezultateve",
                        "Objavljivanje poziva i rezultata",
                        "Publication of calls and results",
                        MeasureStatus.NOT_STARTED,
                    ),
                ],
            ),
        ]
        for order, (code, sq, sr, en, measures) in enumerate(plan):
            objective = StrategyObjective.objects.create(
                code=code, title_sq=sq, title_sr=sr, title_en=en, ordering=order
            )
            for mcode, msq, msr, men, status in measures:
                StrategyMeasure.objects.create(
                    objective=objective,
                    code=mcode,
                    title_sq=msq,
                    title_sr=msr,
                    title_en=men,
                    responsible_institution=publics[0] if publics else None,
                    deadline=date(this_year, 12, 31)
                    if status != MeasureStatus.LATE
                    else date(this_year - 1, 6, 30),
                    indicator="Number of institutions applying it",
                    status=status,
                )
                created += 1
    return created
