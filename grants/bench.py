"""`python manage.py bench grants`: seed 20,000 applications over 50 calls in a throwaway
database, then time two pages against one hand-written SQL query each fetching the same data:

- the ranking table of one call (`grants:ranking`, staff), page 1 — against one SELECT
  with window functions (rank, running total, row count) and the call's committed total;
- the public list of awarded grants (`grants:awarded_list`), page 1 with the totals —
  against one SELECT joining grant, application, call, organisation and municipality with
  the count and sum as window aggregates.

Each figure is the median of `requests` runs (the page through the Django test Client, so
it counts middleware, sessions, permission checks, queries and template rendering).

The command (core/management/commands/bench.py) creates the database (PostgreSQL: a new
database; SQLite: a temporary file), points the default connection at it, migrates it and
calls `run(...)`; it drops the database afterwards. This module only seeds and measures.

Seeding uses bulk inserts, not the services: applications carry their denormalised review
figures (average score, reviews done / assigned) as the review service would leave them,
and the approved ones get their Grant rows.
"""

import json
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from core.models import Municipality
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, GrantStatus, Stage
from grants.models import Application, Call, Grant
from grants.selectors import PUBLIC_GRANT_STATUSES, RANKED_STATUSES
from organizations.models import Organization

# The command runs this benchmark on these databases (giving's needs PostgreSQL).
VENDORS = ("postgresql", "sqlite")
DEFAULT_ROWS = 20_000
DEFAULT_CALLS = 50
REQUESTS_PER_CASE = 20
BATCH = 1000
RANKING_PAGE = 50  # grants.views_staff.PAGE_SIZE
AWARDED_PAGE = 50  # grants.open_data.PAGE_SIZE

S = ApplicationStatus
STATUS_WEIGHTS = [
    (S.APPROVED, 12),
    (S.UNDER_REVIEW, 38),
    (S.SUBMITTED, 15),
    (S.REJECTED, 18),
    (S.INELIGIBLE, 5),
    (S.WITHDRAWN, 4),
    (S.CHANGES_REQUESTED, 3),
    (S.DRAFT, 5),
]
TYPE_WEIGHTS = [(ApplicantType.ORGANIZATION, 60), (ApplicantType.GROUP, 25), (ApplicantType.INDIVIDUAL, 15)]
GRANT_STATUS_WEIGHTS = [
    (GrantStatus.AWARDED, 20),
    (GrantStatus.ACTIVE, 45),
    (GrantStatus.CLOSED, 32),
    (GrantStatus.TERMINATED, 3),
]
WORDS = (
    "community youth river park school library women dialogue clean green digital skills "
    "health elderly inclusion culture festival sport training mentoring neighbourhood"
).split()


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


# --- seeding --------------------------------------------------------------------------------


def seed(*, rows: int, calls: int, seed_value: int = 2026) -> dict:
    """Bulk-insert `rows` applications over `calls` calls (with users, organisations and the
    grants of the approved ones). Returns counts and the seconds it took."""
    rng = random.Random(seed_value)
    started = time.perf_counter()
    now = timezone.now()
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    with transaction.atomic():
        n_users = max(10, rows // 20)
        User.objects.bulk_create(
            [
                User(email=f"bench-applicant-{i}@bench.test", full_name=f"Applicant {i}", password="!")
                for i in range(n_users)
            ],
            batch_size=BATCH,
        )
        users = list(User.objects.filter(email__startswith="bench-applicant-").values_list("pk", flat=True))
        n_orgs = max(5, rows // 40)
        Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Bench organisation {i}",
                    slug=f"bench-organisation-{i}",
                    kind=Organization.Kind.REGISTERED_CSO,
                    registration_number=f"9{i:07d}",
                    municipality_id=rng.choice(municipalities),
                    verification_status=Organization.Verification.VERIFIED,
                )
                for i in range(n_orgs)
            ],
            batch_size=BATCH,
        )
        organizations = list(
            Organization.objects.filter(slug__startswith="bench-organisation-").values_list("pk", flat=True)
        )
        call_objects = []
        for i in range(calls):
            opens = now - timedelta(days=60 + 20 * i)
            call_objects.append(
                Call(
                    slug=f"bench-call-{i}",
                    code=f"BENCH-{i}",
                    title_sq=f"Thirrja {i}",
                    title_sr=f"Poziv {i}",
                    title_en=f"Call {i}",
                    description_sq="Përshkrimi.",
                    allow_organizations=True,
                    allow_groups=True,
                    allow_individuals=True,
                    total_budget=Decimal("5000000.00"),
                    min_amount=Decimal("500.00"),
                    max_amount=Decimal("20000.00"),
                    cofinancing_percent=Decimal("10.00"),
                    opens_at=opens,
                    closes_at=opens + timedelta(days=30),
                    is_published=True,
                )
            )
        Call.objects.bulk_create(call_objects)
        call_ids = list(Call.objects.filter(slug__startswith="bench-call-").values_list("pk", flat=True))

        applications = []
        for i in range(rows):
            status = _weighted(rng, STATUS_WEIGHTS)
            kind = _weighted(rng, TYPE_WEIGHTS)
            requested = Decimal(rng.randrange(1000, 20000, 50))
            cofinancing = (requested * Decimal("0.15")).quantize(Decimal("0.01"))
            scored = status in (S.UNDER_REVIEW, S.APPROVED, S.REJECTED) and rng.random() < 0.9
            assigned = rng.randint(2, 3) if scored or status == S.UNDER_REVIEW else 0
            done = rng.randint(1, assigned) if scored else 0
            submitted = now - timedelta(days=rng.randint(1, 900)) if status != S.DRAFT else None
            starts = date.today() + timedelta(days=rng.randint(-600, 120))
            applications.append(
                Application(
                    call_id=call_ids[i % len(call_ids)],
                    applicant_id=rng.choice(users),
                    applicant_type=kind,
                    organization_id=rng.choice(organizations) if kind == ApplicantType.ORGANIZATION else None,
                    group_name=f"Group {i}" if kind == ApplicantType.GROUP else "",
                    stage=Stage.FULL,
                    status=status,
                    eligibility=Eligibility.PENDING
                    if status in (S.DRAFT, S.SUBMITTED)
                    else Eligibility.INELIGIBLE
                    if status == S.INELIGIBLE
                    else Eligibility.ELIGIBLE,
                    reference=None if status == S.DRAFT else f"BENCH-{i:06d}",
                    title=_text(rng, 4),
                    summary=_text(rng, 30),
                    municipality_id=rng.choice(municipalities),
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.randint(90, 365)),
                    requested_amount=requested,
                    cofinancing_amount=cofinancing,
                    total_cost=requested + cofinancing,
                    submitted_at=submitted,
                    decided_at=submitted + timedelta(days=40)
                    if status in (S.APPROVED, S.REJECTED) and submitted
                    else None,
                    average_score=Decimal(rng.randint(3500, 9800)) / 100 if scored else None,
                    reviews_done=done,
                    reviews_assigned=assigned,
                    created_at=submitted or now,
                    updated_at=now,
                )
            )
        Application.objects.bulk_create(applications, batch_size=BATCH)
        approved = Application.objects.filter(call_id__in=call_ids, status=S.APPROVED).values_list(
            "pk", "call_id", "requested_amount", "decided_at", "starts_on", "ends_on"
        )
        grants = [
            Grant(
                application_id=pk,
                call_id=call_id,
                amount=(requested * Decimal(rng.choice(["1", "0.9", "0.8"]))).quantize(Decimal("0.01")),
                awarded_at=decided or now,
                status=_weighted(rng, GRANT_STATUS_WEIGHTS),
                starts_on=starts,
                ends_on=ends,
            )
            for pk, call_id, requested, decided, starts, ends in approved
        ]
        Grant.objects.bulk_create(grants, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the planner (PostgreSQL and SQLite)
    return {
        "applications": rows,
        "calls": calls,
        "grants": len(grants),
        "users": n_users,
        "organizations": n_orgs,
        "seconds": time.perf_counter() - started,
    }


# --- the hand-written references ------------------------------------------------------------


def _tables() -> dict:
    from grants.models import Application as A

    return {
        "application": A._meta.db_table,
        "grant": Grant._meta.db_table,
        "call": Call._meta.db_table,
        "organization": Organization._meta.db_table,
        "user": User._meta.db_table,
        "municipality": Municipality._meta.db_table,
    }


def ranking_sql() -> str:
    """Page 1 of a call's ranking: the rows with their rank and running total (pending
    requests), the number of ranked rows and the call's committed total, in one SELECT."""
    t = _tables()
    statuses = ", ".join(f"'{s}'" for s in RANKED_STATUSES)
    return f"""
        SELECT a.id, a.reference, a.title, a.applicant_type, a.group_name, a.status, a.eligibility,
               a.requested_amount, a.average_score, a.reviews_done, a.reviews_assigned,
               o.name, u.full_name, u.email,
               ROW_NUMBER() OVER w AS rank,
               SUM(CASE WHEN a.status = 'approved' THEN 0 ELSE a.requested_amount END)
                   OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total,
               COUNT(*) OVER () AS n,
               (SELECT COALESCE(SUM(g.amount), 0) FROM {t["grant"]} g WHERE g.call_id = a.call_id)
                   AS committed
        FROM {t["application"]} a
        JOIN {t["user"]} u ON u.id = a.applicant_id
        LEFT JOIN {t["organization"]} o ON o.id = a.organization_id
        WHERE a.call_id = %s AND a.status IN ({statuses})
        WINDOW w AS (ORDER BY a.average_score DESC NULLS LAST, a.requested_amount ASC, a.id ASC)
        ORDER BY a.average_score DESC NULLS LAST, a.requested_amount ASC, a.id ASC
        LIMIT {RANKING_PAGE}
    """


def awarded_sql() -> str:
    """Page 1 of the public list of awarded grants, with the count and sum of all of them."""
    t = _tables()
    statuses = ", ".join(f"'{s}'" for s in PUBLIC_GRANT_STATUSES)
    return f"""
        SELECT g.id, g.amount, g.awarded_at, g.status, g.starts_on, g.ends_on,
               a.reference, a.title, a.summary, a.applicant_type, a.group_name,
               o.name, o.slug, o.is_active, m.name_sq, m.name_sr, m.name_en,
               c.slug, c.title_sq, c.title_sr, c.title_en,
               COUNT(*) OVER () AS n, SUM(g.amount) OVER () AS total
        FROM {t["grant"]} g
        JOIN {t["application"]} a ON a.id = g.application_id
        JOIN {t["call"]} c ON c.id = g.call_id
        LEFT JOIN {t["organization"]} o ON o.id = a.organization_id
        LEFT JOIN {t["municipality"]} m ON m.id = a.municipality_id
        WHERE g.status IN ({statuses})
        ORDER BY g.awarded_at DESC, g.id DESC
        LIMIT {AWARDED_PAGE}
    """


def _fetch(sql: str, args=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


# --- measuring ------------------------------------------------------------------------------


def _median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _busiest_call() -> Call:
    from django.db.models import Count, Q

    return (
        Call.objects.filter(slug__startswith="bench-call-")
        .annotate(n=Count("applications", filter=Q(applications__status__in=RANKED_STATUSES)))
        .order_by("-n", "pk")
        .first()
    )


def run(
    *,
    rows: int = DEFAULT_ROWS,
    stdout,
    requests: int = REQUESTS_PER_CASE,
    calls: int = DEFAULT_CALLS,
) -> dict:
    """Seed, check the pages agree with the SQL, measure; print a table and one line of JSON."""
    calls = max(1, min(calls, rows))
    stdout.write(f"Seeding {rows} applications over {calls} calls ({connection.vendor}) …")
    seeded = seed(rows=rows, calls=calls)
    stdout.write(
        f"  seeded in {seeded['seconds']:.1f} s: {seeded['grants']} grants, {seeded['users']} applicants, "
        f"{seeded['organizations']} organisations"
    )
    staff = User.objects.create(
        email="bench-staff@bench.test", full_name="Bench staff", is_staff=True, password="!"
    )
    # Staff pages ask for the second factor; the benchmark counts as having passed it.
    with (
        override_settings(ALLOWED_HOSTS=["testserver", "localhost"]),
        mock.patch("accounts.middleware.staff_mfa_satisfied", return_value=True),
    ):
        return _measure(stdout=stdout, requests=requests, seeded=seeded, staff=staff)


def _measure(*, stdout, requests: int, seeded: dict, staff) -> dict:
    call = _busiest_call()
    with translation.override("en"):
        ranking_url = reverse("grants:ranking", kwargs={"slug": call.slug})
        awarded_url = reverse("grants:awarded_list")
    staff_client, public_client = Client(), Client()
    staff_client.force_login(staff)

    # The pages and the SQL agree before anything is timed (the pages are built from these
    # selectors; the first and last rows of page 1 must appear in the page's HTML).
    from grants import selectors

    reference = _fetch(ranking_sql(), [call.pk])
    ranked = selectors.ranking(call)
    page_count = ranked.count()
    assert page_count == (reference[0][16] if reference else 0), (page_count, reference[:1])
    assert [a.pk for a in ranked[:RANKING_PAGE]] == [r[0] for r in reference]
    response = staff_client.get(ranking_url)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    html = response.content.decode()
    assert all(r[1] in html for r in (reference[:1] + reference[-1:])), "ranking rows missing"

    reference = _fetch(awarded_sql())
    grants = selectors.public_grants()
    totals = selectors.public_grant_totals(grants)
    if reference:
        assert totals["count"] == reference[0][21], (totals, reference[0][21])
        assert totals["total"] == Decimal(str(reference[0][22])).quantize(Decimal("0.01"))
    assert [g.pk for g in grants[:AWARDED_PAGE]] == [r[0] for r in reference]
    response = public_client.get(awarded_url)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    html = response.content.decode()
    assert all(r[6] in html for r in (reference[:1] + reference[-1:])), "awarded rows missing"

    def get_ranking():
        assert staff_client.get(ranking_url).status_code == 200

    def get_awarded():
        assert public_client.get(awarded_url).status_code == 200

    def orm_ranking():
        # What the view asks the ORM for: page 1 and the count of the paginator.
        ranked = selectors.ranking(call)
        ranked.count()
        list(ranked[:RANKING_PAGE])

    def orm_awarded():
        grants = selectors.public_grants()
        selectors.public_grant_totals(grants)
        list(grants[:AWARDED_PAGE])

    results = {
        "ranking": (
            _median_ms(get_ranking, requests),
            _median_ms(orm_ranking, requests),
            _median_ms(lambda: _fetch(ranking_sql(), [call.pk]), requests),
        ),
        "awarded": (
            _median_ms(get_awarded, requests),
            _median_ms(orm_awarded, requests),
            _median_ms(lambda: _fetch(awarded_sql()), requests),
        ),
    }
    header = f"{'page':<44} {'server ms':>10} {'ORM ms':>8} {'SQL ms':>8} {'ratio':>7} {'ORM/SQL':>8}"
    stdout.write(header)
    stdout.write("-" * len(header))
    labels = {
        "ranking": f"ranking table of {call.slug} (page 1 of {page_count})",
        "awarded": f"awarded grants (page 1 of {totals['count']})",
    }
    ratios, orm_ratios = {}, {}
    for key, (page_ms, orm_ms, sql_ms) in results.items():
        ratios[key] = page_ms / sql_ms if sql_ms else 0.0
        orm_ratios[key] = orm_ms / sql_ms if sql_ms else 0.0
        stdout.write(
            f"{labels[key]:<44} {page_ms:>10.2f} {orm_ms:>8.2f} {sql_ms:>8.2f} {ratios[key]:>7.2f}"
            f" {orm_ratios[key]:>8.2f}"
        )
    stdout.write(
        "ratio = the whole request (middleware, session, permission checks, queries, template) / the one"
        " raw SQL query; ORM/SQL = the page's own queries through the ORM (rows of page 1 with the"
        " paginator's count or the totals) / the same raw SQL query."
    )
    figures = {
        "max_ratio": round(max(ratios.values()), 3),
        "max_orm_ratio": round(max(orm_ratios.values()), 3),
        "ranking_ms": round(results["ranking"][0], 2),
        "ranking_orm_ms": round(results["ranking"][1], 2),
        "ranking_sql_ms": round(results["ranking"][2], 2),
        "awarded_ms": round(results["awarded"][0], 2),
        "awarded_orm_ms": round(results["awarded"][1], 2),
        "awarded_sql_ms": round(results["awarded"][2], 2),
        "applications": seeded["applications"],
        "calls": seeded["calls"],
        "grants": seeded["grants"],
        "requests": requests,
        "database": connection.vendor,
        "seed_s": round(seeded["seconds"], 1),
    }
    stdout.write(json.dumps(figures))
    return figures
