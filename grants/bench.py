"""`python manage.py bench grants`: seed 20,000 applications over 50 calls in a throwaway
database, then time two pages against one hand-written SQL query each fetching the same data:

- the ranking table of one call (`grants:ranking`, staff), page 1 — against one SELECT
  with window functions (rank, running total, row count) and the call's committed total;
- the public list of awarded grants (`grants:awarded_list`), page 1 with the totals —
  against one SELECT joining grant, application, call, organisation and municipality with
  the count and sum as window aggregates.

With `REDIS_URL` set, as in production (and as `make bench` sets it), the fragments and the
sessions are read from Redis; the JSON line names the cache and the session engine used.

The pages go through the Django test Client, so each figure counts middleware, sessions,
the staff member's real second-factor check (the bench signs in with a password and a TOTP
code), permission checks, queries and templates. Both pages keep their table or list as a
cached fragment (core.fragments) that any change to its data replaces, so the bench gives
two page figures: "page", a view of data that has not changed since the last view, and
"1st view", the view right after a change, built from the database. The measurements go in
rounds (each case: first view, page, ORM, SQL in turn) and each figure is the median of
`requests` rounds, so both sides of a ratio see the machine in the same state.

The command (core/management/commands/bench.py) creates a new PostgreSQL database, points
the default connection at it, migrates it and calls `run(...)`; it drops the database
afterwards. This module only seeds and measures.

Seeding uses bulk inserts, not the services: applications carry their denormalised review
figures (average score, reviews done / assigned) as the review service would leave them,
and the approved ones get their Grant rows.
"""

import json
import random
import statistics
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from core.fragments import touch
from core.models import Municipality
from grants import open_data
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, GrantStatus, Stage
from grants.models import Application, Call, Grant
from grants.selectors import PUBLIC_GRANT_STATUSES, RANKED_STATUSES
from grants.signals import public_topics, ranking_topics
from grants.views import staff as views_staff
from organizations.models import Organization

# PostgreSQL only, like giving's: it is the production database, and the ratio is about how
# close a page comes to its one query there (SQLite answers in-process, so against it the
# figure would measure Python, not the system).
VENDORS = ("postgresql",)
DEFAULT_ROWS = 20_000
DEFAULT_CALLS = 50
REQUESTS_PER_CASE = 20
BATCH = 1000
RANKING_PAGE = views_staff.PAGE_SIZE  # the pages' own sizes, so the SQL fetches what they show
AWARDED_PAGE = open_data.PAGE_SIZE

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
    return {
        "application": Application._meta.db_table,
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


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _busiest_call() -> Call:
    from django.db.models import Count, Q

    return (
        Call.objects.filter(slug__startswith="bench-call-")
        .annotate(n=Count("applications", filter=Q(applications__status__in=RANKED_STATUSES)))
        .order_by("-n", "pk")
        .first()
    )


BENCH_PASSWORD = "bench-staff-password-2026"


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
    # DEBUG off as in production: with DEBUG on, Django keeps a log of every query. (WhiteNoise
    # then notes that no collected static files exist; the pages are measured, not the files.)
    with (
        override_settings(ALLOWED_HOSTS=["testserver", "localhost"], DEBUG=False),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
        return _measure(stdout=stdout, requests=requests, seeded=seeded, staff_client=_staff_client())


def _staff_client() -> Client:
    """A staff member signed in as on the real site (password, then the authenticator app's
    code), so the staff page's second-factor check runs as it does for KCSF staff."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    staff = User.objects.create(email="bench-staff@bench.test", full_name="Bench staff", is_staff=True)
    staff.set_password(BENCH_PASSWORD)
    staff.save(update_fields=["password"])
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client = Client()
    with translation.override("en"):
        response = client.post(reverse("account_login"), {"login": staff.email, "password": BENCH_PASSWORD})
        assert response.status_code == 302, response.status_code
        code = format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302, response.status_code
    return client


def _measure(*, stdout, requests: int, seeded: dict, staff_client: Client) -> dict:
    call = _busiest_call()
    with translation.override("en"):
        ranking_url = reverse("grants:ranking", kwargs={"slug": call.slug})
        awarded_url = reverse("grants:awarded_list")
    public_client = Client()

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
    _page, totals = selectors.public_grant_page(grants, 1, AWARDED_PAGE)
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
        # What the view asks the ORM for: page 1 with the number of rows and the committed total
        # (and the budget flags it sets on the rows).
        selectors.ranking_page(call, number=1, per_page=RANKING_PAGE)

    def orm_awarded():
        selectors.public_grant_page(selectors.public_grants(), 1, AWARDED_PAGE)

    cases = {
        "ranking": (
            get_ranking,
            orm_ranking,
            lambda: _fetch(ranking_sql(), [call.pk]),
            ranking_topics(call.pk),
        ),
        "awarded": (get_awarded, orm_awarded, lambda: _fetch(awarded_sql()), public_topics()),
    }
    # Round after round, each case in turn, so that both sides of a ratio see the machine in
    # the same state. "first view" is the page right after a change to its data (its cached
    # fragment out of date: built from the database again); "page" is the next view.
    times = {key: {"first": [], "page": [], "orm": [], "sql": []} for key in cases}
    for _ in range(requests):
        for key, (page, orm, sql, topics) in cases.items():
            touch(*topics)
            times[key]["first"].append(_ms(page))
            times[key]["page"].append(_ms(page))
            times[key]["orm"].append(_ms(orm))
            times[key]["sql"].append(_ms(sql))
    results = {key: {k: statistics.median(v) for k, v in figures.items()} for key, figures in times.items()}

    header = (
        f"{'page':<44} {'page ms':>8} {'1st view':>9} {'ORM ms':>8} {'SQL ms':>8}"
        f" {'ratio':>6} {'1st/SQL':>8} {'ORM/SQL':>8}"
    )
    stdout.write(header)
    stdout.write("-" * len(header))
    labels = {
        "ranking": f"ranking table of {call.slug} (page 1 of {page_count})",
        "awarded": f"awarded grants (page 1 of {totals['count']})",
    }
    ratios, first_ratios, orm_ratios = {}, {}, {}
    for key, r in results.items():
        ratios[key] = r["page"] / r["sql"] if r["sql"] else 0.0
        first_ratios[key] = r["first"] / r["sql"] if r["sql"] else 0.0
        orm_ratios[key] = r["orm"] / r["sql"] if r["sql"] else 0.0
        stdout.write(
            f"{labels[key]:<44} {r['page']:>8.2f} {r['first']:>9.2f} {r['orm']:>8.2f} {r['sql']:>8.2f}"
            f" {ratios[key]:>6.2f} {first_ratios[key]:>8.2f} {orm_ratios[key]:>8.2f}"
        )
    stdout.write(
        f"Medians of {requests} rounds. page = the whole request (middleware, session, second-factor and"
        " permission checks, queries, template; the table or list comes from its cached fragment);"
        " 1st view = the same request right after a change to the data, when the fragment is built"
        " again from the database; ORM = the page's one query through the ORM (page 1 with the"
        " number of rows and the totals); SQL = the same data by one hand-written query."
        " ratio = page / SQL."
    )
    figures = {
        "max_ratio": round(max(ratios.values()), 3),
        "max_first_view_ratio": round(max(first_ratios.values()), 3),
        "max_orm_ratio": round(max(orm_ratios.values()), 3),
        "ranking_ms": round(results["ranking"]["page"], 2),
        "ranking_first_view_ms": round(results["ranking"]["first"], 2),
        "ranking_orm_ms": round(results["ranking"]["orm"], 2),
        "ranking_sql_ms": round(results["ranking"]["sql"], 2),
        "awarded_ms": round(results["awarded"]["page"], 2),
        "awarded_first_view_ms": round(results["awarded"]["first"], 2),
        "awarded_orm_ms": round(results["awarded"]["orm"], 2),
        "awarded_sql_ms": round(results["awarded"]["sql"], 2),
        "applications": seeded["applications"],
        "calls": seeded["calls"],
        "grants": seeded["grants"],
        "requests": requests,
        "database": connection.vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "sessions": settings.SESSION_ENGINE,
        "seed_s": round(seeded["seconds"], 1),
    }
    stdout.write(json.dumps(figures))
    return figures
