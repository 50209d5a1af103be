"""Grants' demo data, loaded by `seed_demo` (see core.demo)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_admin, demo_users
from core import demo
from core.demo import demo_municipalities
from core.models import Sector
from grants.choices import (
    ApplicantType,
    AssignmentStatus,
    BudgetCategory,
    Eligibility,
    GrantReportStatus,
    GrantStatus,
    QuestionKind,
    Recommendation,
    ReportKind,
    ReportPeriod,
    Stage,
    TrancheStatus,
)
from grants.choices import ApplicationStatus as S
from grants.models import (
    Application,
    AttachmentRequirement,
    BudgetLine,
    Call,
    Criterion,
    Grant,
    GrantReport,
    PlannedActivity,
    Question,
    ReviewAssignment,
    Revision,
    Score,
    Tranche,
)
from grants.services.applications import snapshot
from grants.services.common import next_reference
from organizations.demo import demo_organizations, demo_owners

DEMO_CALL_SLUGS = ("nisma-komunitare-2026", "rinia-ne-veprim-2026", "mjedisi-i-gjelber-2025")


@demo.register(after=("organizations",), summary="{created} grants rows created")
def seed() -> int:
    """Three calls (open one-stage, open two-stage, closed with awarded grants) with their
    form and rubric, applications in various states and three grants. Rows are written
    directly (no emails); revisions use the submission's snapshot. Skipped when the demo
    calls exist."""
    if Call.objects.filter(slug__in=DEMO_CALL_SLUGS).exists():
        return 0
    admin, users, municipalities = demo_admin(), demo_users(), demo_municipalities()
    organizations = demo_organizations()
    owners = demo_owners(organizations)
    created = 0
    now = timezone.now()
    csos = [o for o in organizations if o.kind == "cso" and o.verification_status == "verified"]
    foundation = next((o for o in organizations if o.kind == "foundation"), None)

    def make_call(slug, code, titles, descriptions, **fields) -> Call:
        call = Call.objects.create(
            slug=slug,
            code=code,
            title_sq=titles[0],
            title_sr=titles[1],
            title_en=titles[2],
            summary_sq=descriptions[0][:300],
            summary_sr=descriptions[1][:300],
            summary_en=descriptions[2][:300],
            description_sq=descriptions[0],
            description_sr=descriptions[1],
            description_en=descriptions[2],
            is_published=True,
            created_by=admin,
            **fields,
        )
        return call

    def add_form(call, stage):
        Question.objects.create(
            call=call,
            stage=stage,
            order=1,
            kind=QuestionKind.LONG_TEXT,
            label_sq="Cilin problem të komunitetit zgjidh projekti?",
            label_sr="Koji problem zajednice projekat rešava?",
            label_en="Which problem of the community does the project solve?",
            word_limit=200,
        )
        Question.objects.create(
            call=call,
            stage=stage,
            order=2,
            kind=QuestionKind.SINGLE_CHOICE,
            label_sq="Grupi kryesor i synuar",
            label_sr="Glavna ciljna grupa",
            label_en="Main target group",
            choices_sq="Të rinjtë\nGratë\nTë moshuarit\nPersonat me aftësi të kufizuara",
            choices_sr="Mladi\nŽene\nStariji\nOsobe sa invaliditetom",
            choices_en="Young people\nWomen\nOlder people\nPeople with disabilities",
        )
        Question.objects.create(
            call=call,
            stage=stage,
            order=3,
            kind=QuestionKind.NUMBER,
            label_sq="Sa persona do të përfitojnë drejtpërdrejt?",
            label_sr="Koliko osoba će direktno imati koristi?",
            label_en="How many people will benefit directly?",
            min_value=Decimal("1"),
        )
        for order, (sq, sr, en, weight) in enumerate(
            [
                ("Rëndësia për komunitetin", "Značaj za zajednicu", "Relevance to the community", "2"),
                ("Realizueshmëria", "Izvodljivost", "Feasibility", "1.5"),
                ("Buxheti dhe bashkëfinancimi", "Budžet i sufinansiranje", "Budget and co-financing", "1"),
            ],
            start=1,
        ):
            Criterion.objects.create(
                call=call,
                stage=stage,
                order=order,
                title_sq=sq,
                title_sr=sr,
                title_en=en,
                weight=Decimal(weight),
            )
        AttachmentRequirement.objects.create(
            call=call,
            stage=stage,
            label_sq="Certifikata e regjistrimit",
            label_sr="Potvrda o registraciji",
            label_en="Registration certificate",
            applicant_types=["organization"],
        )

    def answers_for(call, stage):
        values = {}
        for question in call.questions.filter(stage=stage):
            if question.kind == QuestionKind.LONG_TEXT:
                values[question.key] = "Të rinjtë nuk kanë hapësira për aktivitete pas shkollës."
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                values[question.key] = "1"
            elif question.kind == QuestionKind.NUMBER:
                values[question.key] = "120"
        return values

    def apply(
        call, *, who, kind, status, stage=Stage.FULL, organization=None, group_name="", title, muni, amount
    ):
        requested = Decimal(amount)
        starts = timezone.localtime(call.full_proposal_closes_at or call.closes_at).date() + timedelta(
            days=40
        )
        cofinancing = (requested * call.cofinancing_percent / (100 - call.cofinancing_percent)).quantize(
            Decimal("1")
        ) + Decimal("100")
        application = Application.objects.create(
            call=call,
            applicant=who,
            applicant_type=kind,
            organization=organization,
            group_name=group_name,
            stage=stage,
            title=title,
            summary=f"{title}: aktivitete për komunitetin gjatë gjashtë muajve.",
            municipality=municipalities[muni],
            starts_on=starts,
            ends_on=starts + timedelta(days=150),
            answers=answers_for(call, stage),
        )
        BudgetLine.objects.create(
            application=application,
            order=1,
            category=BudgetCategory.EVENTS,
            item="Punëtori dhe materiale",
            quantity=Decimal("1"),
            unit_cost=requested + cofinancing,
            requested=requested,
            cofinancing=cofinancing,
        )
        PlannedActivity.objects.create(
            application=application,
            order=1,
            title="Punëtoritë",
            starts_on=application.starts_on,
            ends_on=application.starts_on + timedelta(days=60),
        )
        application.requested_amount = requested
        application.cofinancing_amount = cofinancing
        application.total_cost = requested + cofinancing
        path = {
            S.DRAFT: [],
            S.SUBMITTED: [S.SUBMITTED],
            S.UNDER_REVIEW: [S.SUBMITTED, S.UNDER_REVIEW],
            S.INVITED: [S.SUBMITTED, S.UNDER_REVIEW, S.INVITED],
            S.INELIGIBLE: [S.SUBMITTED, S.INELIGIBLE],
            S.APPROVED: [S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED],
            S.REJECTED: [S.SUBMITTED, S.UNDER_REVIEW, S.REJECTED],
        }[status]
        when = call.opens_at + timedelta(days=5)
        if path:
            application.reference = next_reference(when)
            application.submitted_at = when
            application.status = status
            application.eligibility = (
                Eligibility.INELIGIBLE
                if status == S.INELIGIBLE
                else Eligibility.PENDING
                if status == S.SUBMITTED
                else Eligibility.ELIGIBLE
            )
            if status == S.INELIGIBLE:
                application.eligibility_reason = "Organizata nuk është e regjistruar në Kosovë."
            if status in (S.APPROVED, S.REJECTED):
                application.decided_at, application.decided_by = when + timedelta(days=30), admin
                application.decision_note = (
                    "Raportoni për aktivitetet çdo tre muaj."
                    if status == S.APPROVED
                    else "Buxheti nuk arsyetohet nga aktivitetet."
                )
        application.save()
        previous = S.DRAFT
        for step, target in enumerate(path):
            change = application.status_changes.create(
                workflow="grants.application",
                from_status=previous,
                to_status=target,
                actor=who if target == S.SUBMITTED else admin,
            )
            # created_at is set on insert (auto_now_add): back-date it like the rest of the demo.
            type(change).objects.filter(pk=change.pk).update(created_at=when + timedelta(days=10 * step))
            previous = target
        if path:
            submitted_stage = Stage.CONCEPT if status == S.INVITED else stage
            if status == S.INVITED:
                application.stage = Stage.CONCEPT
            Revision.objects.create(
                application=application,
                number=1,
                stage=submitted_stage,
                snapshot=snapshot(application),
                created_at=when,
                created_by=who,
            )
            if status == S.INVITED:  # on to the full proposal: a new, editable stage
                application.stage = Stage.FULL
                application.answers = answers_for(call, Stage.FULL)
                application.save(update_fields=["stage", "answers"])
        return application

    def review(application, score_each):
        criteria = list(application.call.criteria.filter(stage=application.stage))
        assignment = ReviewAssignment.objects.create(
            application=application,
            stage=application.stage,
            reviewer=admin,
            assigned_by=admin,
            status=AssignmentStatus.SUBMITTED,
            coi_declared_at=now - timedelta(days=20),
            recommendation=Recommendation.FUND if score_each >= 4 else Recommendation.DO_NOT_FUND,
            comment="Plan i qartë, buxhet real."
            if score_each >= 4
            else "Lidhje e dobët me nevojat e komunitetit.",
            submitted_at=now - timedelta(days=15),
            weighted_score=Decimal(score_each * 20),
        )
        for criterion in criteria:
            Score.objects.create(assignment=assignment, criterion=criterion, score=score_each)
        application.average_score = Decimal(score_each * 20)
        application.reviews_done = application.reviews_assigned = 1
        application.save(update_fields=["average_score", "reviews_done", "reviews_assigned"])

    # 1. Open, one stage: organisations, groups and individuals.
    community = make_call(
        DEMO_CALL_SLUGS[0],
        "CEA-NK-2026",
        ("Nisma komunitare 2026", "Inicijative zajednice 2026", "Community initiatives 2026"),
        (
            "Grante të vogla për nisma komunitare në të gjitha komunat e Kosovës.",
            "Mali grantovi za inicijative zajednice u svim opštinama Kosova.",
            "Small grants for community initiatives in every municipality of Kosovo.",
        ),
        allow_organizations=True,
        allow_groups=True,
        allow_individuals=True,
        total_budget=Decimal("60000.00"),
        min_amount=Decimal("1000.00"),
        max_amount=Decimal("8000.00"),
        cofinancing_percent=Decimal("10.00"),
        opens_at=now - timedelta(days=15),
        closes_at=now + timedelta(days=25),
        review_deadline=now + timedelta(days=55),
    )
    add_form(community, Stage.FULL)
    # 2. Open, two stages: a concept note, then invited full proposals.
    youth = make_call(
        DEMO_CALL_SLUGS[1],
        "CEA-RV-2026",
        ("Rinia në veprim 2026", "Mladi u akciji 2026", "Youth in action 2026"),
        (
            "Projekte të udhëhequra nga të rinjtë: së pari një notë koncepti, pastaj propozimi i plotë.",
            "Projekti koje vode mladi: prvo koncept, zatim pun predlog.",
            "Projects led by young people: a concept note first, then the full proposal.",
        ),
        allow_organizations=True,
        allow_groups=True,
        allow_individuals=False,
        total_budget=Decimal("100000.00"),
        min_amount=Decimal("5000.00"),
        max_amount=Decimal("15000.00"),
        cofinancing_percent=Decimal("15.00"),
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(days=10),
        two_stage=True,
        full_proposal_closes_at=now + timedelta(days=50),
        review_deadline=now + timedelta(days=70),
    )
    add_form(youth, Stage.CONCEPT)
    add_form(youth, Stage.FULL)
    youth.sectors.set(Sector.objects.filter(slug__in=["youth", "education"]))
    # 3. Closed, decided, with awarded grants; a partner co-manages it.
    green = make_call(
        DEMO_CALL_SLUGS[2],
        "CEA-MG-2025",
        ("Mjedisi i gjelbër 2025", "Zelena sredina 2025", "Green environment 2025"),
        (
            "Pastrimi i lumenjve, parqe dhe hapësira të gjelbra publike.",
            "Čišćenje reka, parkovi i javne zelene površine.",
            "River clean-ups, parks and green public spaces.",
        ),
        allow_organizations=True,
        allow_groups=True,
        allow_individuals=True,
        total_budget=Decimal("30000.00"),
        min_amount=Decimal("1000.00"),
        max_amount=Decimal("10000.00"),
        cofinancing_percent=Decimal("10.00"),
        opens_at=now - timedelta(days=240),
        closes_at=now - timedelta(days=200),
        review_deadline=now - timedelta(days=180),
    )
    add_form(green, Stage.FULL)
    green.municipalities.set([municipalities[s] for s in ("prishtine", "peje", "prizren", "gjilan")])
    if foundation is not None:
        green.co_managers.add(foundation)
    created += 3

    cso = csos + [None] * 4
    drita, milan, emma, blerim = (
        users.get(e) for e in ("drita@cea.test", "milan@cea.test", "emma@cea.test", "blerim@cea.test")
    )
    org_app = ApplicantType.ORGANIZATION

    def owner(org):
        return owners.get(org.pk) if org else None

    apps_made = []
    if cso[0]:
        apps_made.append(
            apply(
                community,
                who=owner(cso[0]),
                kind=org_app,
                organization=cso[0],
                status=S.DRAFT,
                title="Klubi rinor i lagjes",
                muni="peje",
                amount="4000",
            )
        )
    apps_made.append(
        apply(
            community,
            who=blerim,
            kind=ApplicantType.GROUP,
            group_name="Miqtë e parkut",
            status=S.SUBMITTED,
            title="Parku i lagjes",
            muni="gjilan",
            amount="2500",
        )
    )
    under_review = apply(
        community,
        who=emma,
        kind=ApplicantType.INDIVIDUAL,
        status=S.UNDER_REVIEW,
        title="Këndi i leximit",
        muni="prizren",
        amount="1500",
    )
    apps_made.append(under_review)
    if cso[2]:
        apps_made.append(
            apply(
                youth,
                who=owner(cso[2]),
                kind=org_app,
                organization=cso[2],
                status=S.SUBMITTED,
                stage=Stage.CONCEPT,
                title="Gratë e reja në biznes",
                muni="gracanice",
                amount="9000",
            )
        )
    if cso[5]:
        apps_made.append(
            apply(
                youth,
                who=owner(cso[5]),
                kind=org_app,
                organization=cso[5],
                status=S.INVITED,
                stage=Stage.CONCEPT,
                title="Dialogu rinor Ibër",
                muni="mitrovice-jugut",
                amount="12000",
            )
        )
    approved = []
    for org, title, muni, amount, score in (
        (cso[1], "Lumi i pastër", "prishtine", "8000", 5),
        (cso[3], "Parku gjithëpërfshirës", "prizren", "6000", 4),
    ):
        if org:
            application = apply(
                green,
                who=owner(org),
                kind=org_app,
                organization=org,
                status=S.APPROVED,
                title=title,
                muni=muni,
                amount=amount,
            )
            review(application, score)
            approved.append(application)
    individual = apply(
        green,
        who=drita,
        kind=ApplicantType.INDIVIDUAL,
        status=S.APPROVED,
        title="Kopshti i shkollës",
        muni="peje",
        amount="2000",
    )
    review(individual, 4)
    approved.append(individual)
    rejected = apply(
        green,
        who=milan,
        kind=ApplicantType.GROUP,
        group_name="Zeleni Gračanica",
        status=S.REJECTED,
        title="Zelene ulice",
        muni="gracanice",
        amount="5000",
    )
    review(rejected, 2)
    if cso[4]:
        apps_made.append(
            apply(
                green,
                who=owner(cso[4]),
                kind=org_app,
                organization=cso[4],
                status=S.INELIGIBLE,
                title="Pemë për shkollat",
                muni="prishtine",
                amount="3000",
            )
        )
    apps_made += [*approved, rejected]
    created += len(apps_made)

    for application, status in zip(
        approved, (GrantStatus.ACTIVE, GrantStatus.CLOSED, GrantStatus.AWARDED), strict=False
    ):
        amount = (
            application.requested_amount
            if status != GrantStatus.ACTIVE
            else application.requested_amount - 500
        )
        grant = Grant.objects.create(
            application=application,
            call=green,
            amount=amount,
            conditions=application.decision_note,
            awarded_at=application.decided_at,
            status=status,
            agreement_signed_on=(application.decided_at + timedelta(days=7)).date()
            if status != GrantStatus.AWARDED
            else None,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
            closed_at=now - timedelta(days=5) if status == GrantStatus.CLOSED else None,
        )
        created += 1
        if status == GrantStatus.AWARDED:
            continue
        half = (amount / 2).quantize(Decimal("0.01"))
        reports = []
        for period, due in (
            (ReportPeriod.INTERIM, grant.starts_on + timedelta(days=90)),
            (ReportPeriod.FINAL, grant.ends_on + timedelta(days=30)),
        ):
            done = status == GrantStatus.CLOSED or period == ReportPeriod.INTERIM
            reports.append(
                GrantReport.objects.create(
                    grant=grant,
                    period=period,
                    kind=ReportKind.NARRATIVE,
                    due_on=due,
                    status=GrantReportStatus.ACCEPTED if done else GrantReportStatus.DUE,
                    text="Aktivitetet u kryen siç ishin planifikuar." if done else "",
                    submitted_at=now - timedelta(days=30) if done else None,
                    reviewed_at=now - timedelta(days=25) if done else None,
                    reviewed_by=admin if done else None,
                )
            )
        Tranche.objects.create(
            grant=grant,
            number=1,
            amount=half,
            planned_on=grant.starts_on,
            status=TrancheStatus.PAID,
            released_at=now - timedelta(days=100),
            paid_on=grant.starts_on,
        )
        Tranche.objects.create(
            grant=grant,
            number=2,
            amount=amount - half,
            planned_on=reports[0].due_on + timedelta(days=14),
            after_report=reports[0],
            status=TrancheStatus.PAID if status == GrantStatus.CLOSED else TrancheStatus.RELEASED,
            released_at=now - timedelta(days=20),
            paid_on=reports[0].due_on + timedelta(days=20) if status == GrantStatus.CLOSED else None,
        )
        created += 4
    return created
