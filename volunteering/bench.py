"""`python manage.py bench volunteering [--scale S]`: seed 100,000 volunteer profiles and
5,000 opportunities (times S) in a separate PostgreSQL database with bulk inserts, then time
the two rankings of `volunteering.selectors.matching` — an organisation's ranked people for
one opportunity, and a person's ranked open opportunities — each against one hand-written
SQL query computing the same ranking (first page of 20). Both sides are checked to return
the same ids in the same order. The people's page is the selector's `people_window` (the
pre-filter by a bound on the score) against hand-written SQL of the same shape, and both are
also checked against the full ranking of everyone (run once, not timed). The person's page is
the selector's `opportunities_window` (ids and parts ranked in one narrow query, then the
page's opportunities fetched by id), as the page of matches shows it. The last line is JSON: `max_ratio` (ORM median / SQL
median, the worse of the two) and the two ORM medians in ms.

The command (core/management/commands/bench.py) creates, migrates and drops the database."""

import json
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core.models import Municipality
from organizations.models import Organization
from volunteering.choices import OpportunityStatus
from volunteering.models import (
    Opportunity,
    OpportunityLanguage,
    OpportunitySkill,
    ProfileLanguage,
    Skill,
    VolunteerProfile,
)
from volunteering.selectors import matching

DEFAULT_ROWS = 100_000  # profiles at scale 1
OPPORTUNITIES = 5_000
ORGANIZATIONS = 500
PAGE = 20
BATCH = 5_000
LANGUAGES = ["sq", "sr", "en", "de", "fr", "it", "tr"]
COUNTRIES = ["", "", "", "", "", "", "DE", "CH", "US", "AT"]
OFFSETS = {"": 60, "DE": 60, "CH": 60, "AT": 60, "US": -300}
EXPERTISE = ["", "", "", "law", "finance", "it", "communications"]


def _batched(objects, model):
    model.objects.bulk_create(objects, batch_size=BATCH)


def seed(*, profiles: int, opportunities: int, rng: random.Random, stdout=None) -> None:
    """Users with profiles (skills, languages), verified organisations and their open
    opportunities (skills needed, languages), in bulk."""
    User = get_user_model()
    skills = list(Skill.objects.values_list("pk", flat=True))
    places = list(Municipality.objects.values_list("pk", flat=True))
    if not skills:  # a flushed taxonomy: put some back
        Skill.objects.bulk_create(
            [Skill(slug=f"s{i}", name_sq=f"s{i}", name_sr=f"s{i}", name_en=f"s{i}") for i in range(40)]
        )
        skills = list(Skill.objects.values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        first = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        users = [User(email=f"bench{first + i}@example.org", password="!") for i in range(profiles)]
        _batched(users, User)
        user_ids = list(
            User.objects.filter(email__startswith="bench").order_by("pk").values_list("pk", flat=True)
        )
        rows = []
        for user_id in user_ids[:profiles]:
            country = rng.choice(COUNTRIES)
            rows.append(
                VolunteerProfile(
                    user_id=user_id,
                    hours_per_week=rng.randint(1, 20),
                    weekdays=rng.random() < 0.5,
                    evenings=rng.random() < 0.5,
                    weekends=rng.random() < 0.5,
                    municipality_id=rng.choice(places) if rng.random() < 0.9 else None,
                    work_mode=rng.choice(["on_site", "remote", "both"]),
                    country=country,
                    utc_offset=OFFSETS[country],
                    expertise=rng.choice(EXPERTISE),
                    contact_consent=rng.random() < 0.8,
                    created_at=now,
                    updated_at=now - timezone.timedelta(seconds=rng.randint(0, 10**7)),
                )
            )
        _batched(rows, VolunteerProfile)
        profile_ids = list(VolunteerProfile.objects.order_by("pk").values_list("pk", flat=True))
        Through = VolunteerProfile.skills.through
        links, spoken = [], []
        for pk in profile_ids:
            for skill_id in rng.sample(skills, rng.randint(0, 5)):
                links.append(Through(volunteerprofile_id=pk, skill_id=skill_id))
            for code in rng.sample(LANGUAGES, rng.randint(1, 3)):
                spoken.append(ProfileLanguage(profile_id=pk, language=code, level=rng.randint(1, 4)))
        _batched(links, Through)
        _batched(spoken, ProfileLanguage)
        if stdout:
            stdout.write(f"Seeded {len(profile_ids)} profiles, {len(links)} skills, {len(spoken)} languages.")

        organizations = [
            Organization(
                name=f"Bench organisation {i}",
                slug=f"bench-org-{i}",
                kind=Organization.Kind.REGISTERED_CSO,
                registration_number=f"BENCH{i:06d}",
                municipality_id=rng.choice(places),
                verification_status=Organization.Verification.VERIFIED,
            )
            for i in range(max(opportunities // 10, 1))
        ]
        _batched(organizations, Organization)
        org_ids = list(
            Organization.objects.filter(slug__startswith="bench-org-").values_list("pk", flat=True)
        )
        today = timezone.localdate()
        opps = []
        for i in range(opportunities):
            expert = rng.random() < 0.15
            opps.append(
                Opportunity(
                    organization_id=rng.choice(org_ids),
                    kind="expert_request" if expert else "opportunity",
                    title=f"Bench opportunity {i}",
                    description="Bench",
                    municipality_id=rng.choice(places) if rng.random() < 0.85 else None,
                    remote=rng.random() < 0.3,
                    places=rng.randint(1, 10),
                    hours_per_week=rng.randint(1, 10),
                    weekdays=rng.random() < 0.5,
                    evenings=rng.random() < 0.4,
                    weekends=rng.random() < 0.3,
                    deadline=today + timezone.timedelta(days=rng.randint(-10, 90))
                    if rng.random() < 0.8
                    else None,
                    expertise=rng.choice(EXPERTISE[3:]) if expert else "",
                    brief="Bench" if expert else "",
                    status=OpportunityStatus.OPEN if rng.random() < 0.9 else OpportunityStatus.CLOSED,
                    published_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
        _batched(opps, Opportunity)
        opp_ids = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))
        needs, languages = [], []
        for pk in opp_ids:
            for n, skill_id in enumerate(rng.sample(skills, rng.randint(0, 4))):
                needs.append(OpportunitySkill(opportunity_id=pk, skill_id=skill_id, required=n < 2))
            for code in rng.sample(LANGUAGES[:4], rng.randint(0, 2)):
                languages.append(OpportunityLanguage(opportunity_id=pk, language=code))
        _batched(needs, OpportunitySkill)
        _batched(languages, OpportunityLanguage)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table after a bulk load: statistics and the visibility map
        # (without it no index-only scan is possible, for the ORM and the SQL alike).
        cursor.execute("VACUUM ANALYZE")
    if stdout:
        stdout.write(f"Seeded {len(opp_ids)} opportunities, {len(needs)} skill needs.")


# --- the hand-written SQL ----------------------------------------------------------------------

# Everyone ranked: the ground truth the pre-filtered page is checked against (not timed).
PROFILES_FULL_SQL = """
SELECT p.id FROM volunteering_volunteerprofile p
JOIN accounts_user u ON u.id = p.user_id AND u.is_active
LEFT JOIN (
    SELECT volunteerprofile_id AS pid,
           count(*) FILTER (WHERE skill_id = ANY(%(must)s::int[])) AS must_hit,
           count(*) FILTER (WHERE skill_id = ANY(%(nice)s::int[])) AS nice_hit
    FROM volunteering_volunteerprofile_skills
    WHERE skill_id = ANY(%(needed)s::int[]) GROUP BY volunteerprofile_id
) s ON s.pid = p.id
WHERE p.contact_consent
ORDER BY (
    CASE WHEN %(must_n)s = 0 AND %(nice_n)s = 0 THEN 40.0::float
         ELSE (COALESCE(s.must_hit, 0) * 2 + COALESCE(s.nice_hit, 0))::float * 40 / %(den)s::float END
    + (CASE WHEN (%(mun)s::int IS NOT NULL AND p.municipality_id = %(mun)s AND p.work_mode IN ('on_site', 'both'))
              OR (%(remote)s AND p.work_mode IN ('remote', 'both')) THEN 1 ELSE 0 END) * 25
    + (CASE WHEN p.hours_per_week >= %(hours)s THEN 1 ELSE 0 END) * 10
    + (CASE WHEN NOT %(any_time)s OR (%(wd)s AND p.weekdays) OR (%(ev)s AND p.evenings)
              OR (%(we)s AND p.weekends) THEN 1 ELSE 0 END) * 5
    + (CASE WHEN cardinality(%(langs)s::varchar[]) = 0 OR EXISTS (
              SELECT 1 FROM volunteering_profilelanguage l WHERE l.profile_id = p.id
              AND l.language = ANY(%(langs)s::varchar[]) AND l.level >= 2) THEN 1 ELSE 0 END) * 10
    + (CASE WHEN NOT %(expert)s OR p.expertise = %(expertise)s THEN 1 ELSE 0 END) * 5
    + CASE WHEN NOT %(remote)s THEN 5.0::float
           WHEN abs(p.utc_offset - 60) <= 180 THEN 5.0::float
           WHEN abs(p.utc_offset - 60) <= 360 THEN 2.5::float ELSE 0.0::float END
)::float DESC, p.updated_at DESC, p.id
LIMIT %(limit)s OFFSET %(offset)s
"""

# The page as a person would write it: the same tiers as the selector (pre-filter the people
# with enough of the skills or in the municipality, rank only them, and trust the page when its
# last score passes what anyone left out can reach; else the next tier, else everyone).
PROFILES_SQL = """
WITH hits AS (
    SELECT volunteerprofile_id AS pid,
           count(*) FILTER (WHERE skill_id = ANY(%(must)s::int[])) AS must_hit,
           count(*) FILTER (WHERE skill_id = ANY(%(nice)s::int[])) AS nice_hit
    FROM volunteering_volunteerprofile_skills
    WHERE skill_id = ANY(%(needed)s::int[]) GROUP BY volunteerprofile_id
), candidates AS (
    SELECT pid FROM hits WHERE must_hit * 2 + nice_hit >= %(floor)s
    UNION SELECT id FROM volunteering_volunteerprofile
    WHERE contact_consent AND municipality_id = %(mun)s AND work_mode IN ('on_site', 'both')
    UNION SELECT id FROM volunteering_volunteerprofile
    WHERE %(remote_all)s AND contact_consent AND work_mode IN ('remote', 'both')
)
SELECT p.id, (
    CASE WHEN %(must_n)s = 0 AND %(nice_n)s = 0 THEN 40.0::float
         ELSE (COALESCE(s.must_hit, 0) * 2 + COALESCE(s.nice_hit, 0))::float * 40 / %(den)s::float END
    + (CASE WHEN (%(mun)s::int IS NOT NULL AND p.municipality_id = %(mun)s AND p.work_mode IN ('on_site', 'both'))
              OR (%(remote)s AND p.work_mode IN ('remote', 'both')) THEN 1 ELSE 0 END) * 25
    + (CASE WHEN p.hours_per_week >= %(hours)s THEN 1 ELSE 0 END) * 10
    + (CASE WHEN NOT %(any_time)s OR (%(wd)s AND p.weekdays) OR (%(ev)s AND p.evenings)
              OR (%(we)s AND p.weekends) THEN 1 ELSE 0 END) * 5
    + (CASE WHEN cardinality(%(langs)s::varchar[]) = 0 OR EXISTS (
              SELECT 1 FROM volunteering_profilelanguage l WHERE l.profile_id = p.id
              AND l.language = ANY(%(langs)s::varchar[]) AND l.level >= 2) THEN 1 ELSE 0 END) * 10
    + (CASE WHEN NOT %(expert)s OR p.expertise = %(expertise)s THEN 1 ELSE 0 END) * 5
    + CASE WHEN NOT %(remote)s THEN 5.0::float
           WHEN abs(p.utc_offset - 60) <= 180 THEN 5.0::float
           WHEN abs(p.utc_offset - 60) <= 360 THEN 2.5::float ELSE 0.0::float END
)::float AS score
FROM candidates c
JOIN volunteering_volunteerprofile p ON p.id = c.pid AND p.contact_consent
JOIN accounts_user u ON u.id = p.user_id AND u.is_active
LEFT JOIN hits s ON s.pid = p.id
ORDER BY score DESC, p.updated_at DESC, p.id
LIMIT %(limit)s OFFSET %(offset)s
"""


def _people_sql(params: dict) -> list[int]:
    """The page of PROFILES_SQL's tiers, or of PROFILES_FULL_SQL when no tier vouches for it."""
    den = params["den_raw"]
    if not den:
        tiers = [(1, 40 + 35)]  # no skill asked: the place decides; every skills part is 40
    else:
        tiers = [
            (floor, 40 * (floor - 1) / den + (25 if params["remote"] else 0) + 35)
            for floor in sorted({den, 1}, reverse=True)
        ]
    for floor, bound in tiers:
        with connection.cursor() as cursor:
            cursor.execute(
                PROFILES_SQL, {**params, "floor": floor, "remote_all": not den and params["remote"]}
            )
            rows = cursor.fetchall()
        if len(rows) == params["limit"] and rows[-1][1] > bound + 1e-6:
            return [row[0] for row in rows]
    return _sql(PROFILES_FULL_SQL, params)


OPPORTUNITIES_SQL = """
SELECT o.id FROM volunteering_opportunity o
JOIN organizations_organization g ON g.id = o.organization_id AND g.is_active
LEFT JOIN (
    SELECT opportunity_id AS oid,
           count(*) FILTER (WHERE required) AS must_total,
           count(*) FILTER (WHERE NOT required) AS nice_total,
           count(*) FILTER (WHERE required AND skill_id = ANY(%(skills)s::int[])) AS must_hit,
           count(*) FILTER (WHERE NOT required AND skill_id = ANY(%(skills)s::int[])) AS nice_hit
    FROM volunteering_opportunityskill GROUP BY opportunity_id
) s ON s.oid = o.id
WHERE o.status = 'open' AND (o.deadline IS NULL OR o.deadline >= %(today)s)
  AND o.places_filled < o.places
ORDER BY (
    CASE WHEN COALESCE(s.must_total, 0) = 0 AND COALESCE(s.nice_total, 0) = 0 THEN 40.0::float
         ELSE (s.must_hit * 2 + s.nice_hit)::float * 40 / (s.must_total * 2 + s.nice_total)::float END
    + (CASE WHEN (%(on_site)s AND o.municipality_id = %(mun)s) OR (%(remote_ok)s AND o.remote)
            THEN 1 ELSE 0 END) * 25
    + (CASE WHEN o.hours_per_week <= %(hours)s THEN 1 ELSE 0 END) * 10
    + (CASE WHEN NOT (o.weekdays OR o.evenings OR o.weekends) OR (%(wd)s AND o.weekdays)
              OR (%(ev)s AND o.evenings) OR (%(we)s AND o.weekends) THEN 1 ELSE 0 END) * 5
    + (CASE WHEN NOT EXISTS (SELECT 1 FROM volunteering_opportunitylanguage l WHERE l.opportunity_id = o.id)
              OR EXISTS (SELECT 1 FROM volunteering_opportunitylanguage l WHERE l.opportunity_id = o.id
                         AND l.language = ANY(%(spoken)s::varchar[])) THEN 1 ELSE 0 END) * 10
    + (CASE WHEN o.kind <> 'expert_request' OR o.expertise = %(expertise)s THEN 1 ELSE 0 END) * 5
    + CASE WHEN o.remote THEN %(zone)s::float ELSE 5.0::float END
)::float DESC, o.deadline ASC, o.id DESC
LIMIT %(limit)s
"""


def _profiles_params(opportunity: Opportunity) -> dict:
    needs = list(opportunity.skill_needs.values_list("skill_id", "required"))
    must = [pk for pk, required in needs if required]
    nice = [pk for pk, required in needs if not required]
    return {
        "must": must,
        "nice": nice,
        "needed": must + nice,
        "must_n": len(must),
        "nice_n": len(nice),
        "den": 2 * len(must) + len(nice) or 1,
        "den_raw": 2 * len(must) + len(nice),
        "mun": opportunity.municipality_id,
        "remote": opportunity.remote,
        "hours": opportunity.hours_per_week,
        "any_time": opportunity.weekdays or opportunity.evenings or opportunity.weekends,
        "wd": opportunity.weekdays,
        "ev": opportunity.evenings,
        "we": opportunity.weekends,
        "langs": list(opportunity.languages.values_list("language", flat=True)),
        "expert": opportunity.is_expert_request,
        "expertise": opportunity.expertise,
        "limit": PAGE,
        "offset": 0,
    }


def _opportunities_params(profile: VolunteerProfile) -> dict:
    diff = abs(profile.utc_offset - matching.KOSOVO_UTC_OFFSET)
    return {
        "skills": list(profile.skills.values_list("pk", flat=True)),
        "today": timezone.localdate(),
        "on_site": profile.work_mode in ("on_site", "both") and profile.municipality_id is not None,
        "mun": profile.municipality_id,
        "remote_ok": profile.work_mode in ("remote", "both"),
        "hours": profile.hours_per_week,
        "wd": profile.weekdays,
        "ev": profile.evenings,
        "we": profile.weekends,
        "spoken": list(profile.languages.filter(level__gte=2).values_list("language", flat=True)),
        "expertise": profile.expertise or "-",
        "zone": 5.0 if diff <= 180 else (2.5 if diff <= 360 else 0.0),
        "limit": PAGE,
    }


def _sql(query: str, params: dict) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [row[0] for row in cursor.fetchall()]


def _median_ms(fn, times: int) -> tuple[float, object]:
    result = fn()  # warm up
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def run(*, rows: int = DEFAULT_ROWS, stdout=None, requests: int = 20, scale: float | None = None) -> dict:
    rng = random.Random(14)
    if scale is not None:
        profiles, opportunities = max(int(DEFAULT_ROWS * scale), 10), max(int(OPPORTUNITIES * scale), 5)
    else:
        profiles, opportunities = rows, max(rows * OPPORTUNITIES // DEFAULT_ROWS, 5)
    requests = max(requests, 20)
    started = time.perf_counter()
    seed(profiles=profiles, opportunities=opportunities, rng=rng, stdout=stdout)
    seed_s = time.perf_counter() - started

    # An opportunity with skills and languages, and a person with skills and languages.
    opportunity = (
        matching.open_opportunities()
        .filter(skill_needs__isnull=False, languages__isnull=False)
        .order_by("pk")
        .first()
    ) or matching.open_opportunities().order_by("pk").first()
    profile = VolunteerProfile.objects.filter(skills__isnull=False).order_by("pk").first()

    def orm_people():
        return [row.pk for row in matching.people_window(opportunity, 0, PAGE)]

    def sql_people():
        return _people_sql(_profiles_params(opportunity))

    def orm_opportunities():
        return [row.pk for row in matching.opportunities_window(profile, 0, PAGE)]

    def sql_opportunities():
        return _sql(OPPORTUNITIES_SQL, _opportunities_params(profile))

    people_ms, people = _median_ms(orm_people, requests)
    people_sql_ms, people_sql = _median_ms(sql_people, requests)
    opps_ms, opps = _median_ms(orm_opportunities, requests)
    opps_sql_ms, opps_sql = _median_ms(sql_opportunities, requests)
    everyone = _sql(PROFILES_FULL_SQL, _profiles_params(opportunity))  # the ground truth, once
    result = {
        "profiles": profiles,
        "opportunities": opportunities,
        "seed_s": round(seed_s, 1),
        "requests": requests,
        "people_for_opportunity_ms": round(people_ms, 2),
        "people_for_opportunity_sql_ms": round(people_sql_ms, 2),
        "opportunities_for_person_ms": round(opps_ms, 2),
        "opportunities_for_person_sql_ms": round(opps_sql_ms, 2),
        "same_people_ranking": people == people_sql == everyone,
        "same_opportunity_ranking": opps == opps_sql,
        "max_ratio": round(max(people_ms / people_sql_ms, opps_ms / opps_sql_ms), 2),
    }
    if stdout:
        stdout.write(json.dumps(result))
    return result
