"""Transparency's demo data, loaded by `seed_demo` (see core.demo): published reports with
their badges, public funding of the demo CSOs and the Strategy's measures; deterministic
(fixed random seeds), each part skipped when its rows exist."""

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_admin
from core import demo
from organizations.demo import demo_organizations, demo_owners
from transparency.choices import FundingProcedure, MeasureStatus, ReportStatus
from transparency.models import (
    BoardMember,
    PublicFundingRecord,
    StrategyMeasure,
    StrategyObjective,
    TransparencyReport,
)
from transparency.services import badges


@demo.register(after=("organizations",), summary="{created} transparency rows created")
def seed() -> int:
    admin, organizations = demo_admin(), demo_organizations()
    owners = demo_owners(organizations)
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
                    main_activities="Programe për komunitetin, trajnime dhe avokim në komunë.",
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
                        ("Arben Krasniqi", "Kryetar"),
                        ("Vjosa Morina", "Arkëtare"),
                        ("Nenad Jovanović", "Anëtar"),
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
                    programme="Mbështetja komunale për OJQ-të",
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
                    indicator="Numri i institucioneve që e zbatojnë",
                    status=status,
                )
                created += 1
    return created
