"""`python manage.py bench giving --rows N`: seed N verified giving records in a separate
PostgreSQL database, build the aggregates, then time the dashboard data endpoint against
one hand-written SQL query computing the same numbers on the raw table, for a set of filter
combinations; then the refresh after an import of 5,000 verified records (spread over the
last eight years, as a partner's history) and a full rebuild. The last line is JSON with
the issue's figures: `max_filtered_dashboard_ms`, `import_refresh_s`, `full_rebuild_s`.

The command (core/management/commands/bench.py) creates the database, points the default
connection at it, migrates it and calls `run(rows=..., stdout=...)`; this module only seeds
and measures, so it never touches the development data."""

import json
import statistics
import time
from datetime import date

from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from core.models import Municipality
from giving import aggregates
from giving.choices import Status

REQUESTS_PER_CASE = 20

# Skewed, roughly realistic shares (weights need not sum to 1).
DONOR_TYPES = [
    ("individual", 30),
    ("company", 24),
    ("foundation_cso", 8),
    ("public_institution", 4),
    ("diaspora_individual", 16),
    ("diaspora_organization", 5),
    ("collective", 8),
    ("anonymous", 5),
]
CAUSES = [
    ("poverty", 25),
    ("health", 20),
    ("education", 15),
    ("emergency", 8),
    ("social_inclusion", 6),
    ("disability", 6),
    ("community", 6),
    ("culture", 4),
    ("sport", 4),
    ("environment", 2),
    ("other", 4),
]
RECIPIENTS = [
    ("individual_family", 30),
    ("cso", 25),
    ("school", 10),
    ("health", 10),
    ("social_service", 5),
    ("public_other", 4),
    ("community_group", 8),
    ("religious", 5),
    ("other", 3),
]
SUPPORT = [("money", 70), ("goods", 18), ("services", 8), ("volunteer_time", 4)]
CONFIDENCE = [("media_only", 45), ("self_reported", 40), ("confirmed_both", 15)]
EFFECT = [("relief", 55), ("strategic", 25), ("", 20)]
GEOGRAPHY = [("municipality", 85), ("kosovo_wide", 10), ("outside_kosovo", 5)]
BENEFICIARY = [
    ("general", 30),
    ("children", 20),
    ("youth", 12),
    ("elderly", 10),
    ("women", 8),
    ("disability", 10),
    ("minorities", 10),
]
CHANNELS = [
    ("crowdfunding", 25),
    ("hometown_association", 15),
    ("remittance", 35),
    ("direct_transfer", 15),
    ("in_person", 10),
]
COUNTRIES = [("DE", 40), ("CH", 25), ("US", 10), ("AT", 8), ("SE", 5), ("IT", 5), ("GB", 4), ("FR", 3)]
# Municipalities by rough population: Prishtina first, the smallest last.
MUNICIPALITY_WEIGHTS = {
    "prishtine": 200,
    "prizren": 120,
    "ferizaj": 80,
    "peje": 70,
    "gjakove": 70,
    "gjilan": 65,
    "podujeve": 55,
    "mitrovice-jugut": 55,
    "vushtrri": 45,
    "fushe-kosove": 40,
    "suhareke": 40,
    "rahovec": 35,
    "drenas": 35,
    "lipjan": 35,
    "malisheve": 35,
    "kamenice": 25,
    "viti": 25,
    "decan": 25,
    "istog": 25,
    "skenderaj": 30,
    "kline": 25,
    "dragash": 20,
    "obiliq": 15,
    "kacanik": 20,
    "shtime": 15,
    "mitrovice-veriut": 15,
    "gracanice": 10,
    "novoberde": 6,
    "junik": 5,
    "hani-i-elezit": 5,
    "zvecan": 8,
    "zubin-potok": 7,
    "leposaviq": 8,
    "shterpce": 7,
    "kllokot": 3,
    "ranillug": 4,
    "mamushe": 4,
    "partesh": 3,
}


def _pick(column: str, choices: list[tuple[str, float]]) -> str:
    """A CASE expression picking one value by weight from the random number in `column`."""
    total = sum(w for _v, w in choices)
    parts, acc = [], 0.0
    for value, weight in choices[:-1]:
        acc += weight / total
        parts.append(f"WHEN {column} < {acc:.6f} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{choices[-1][0]}' END)"


def _pick_int(column: str, choices: list[tuple[int, float]]) -> str:
    total = sum(w for _v, w in choices)
    parts, acc = [], 0.0
    for value, weight in choices[:-1]:
        acc += weight / total
        parts.append(f"WHEN {column} < {acc:.6f} THEN {int(value)}")
    return f"(CASE {' '.join(parts)} ELSE {int(choices[-1][0])} END)"


def seed_sql(rows: int, *, today: date, years: int = 10) -> str:
    """One INSERT … SELECT generate_series statement seeding `rows` verified records over
    `years` years before `today`: more gifts in recent years and in December, log-normal
    amounts, skewed donor types, causes and municipalities."""
    muni_ids = dict(Municipality.objects.values_list("slug", "pk"))
    munis = [(muni_ids[s], w) for s, w in MUNICIPALITY_WEIGHTS.items() if s in muni_ids]
    days = years * 365
    diaspora = "('diaspora_individual', 'diaspora_organization')"
    return f"""
    INSERT INTO giving_givingrecord (
        created_at, updated_at, date, amount, support_kind, donor_type, is_diaspora, donor_name,
        donor_name_public, donor_country, diaspora_channel, recipient_type, recipient_name, cause,
        beneficiary_group, geography, municipality_id, recurrence, effect, description, source,
        source_url, status, rejection_reason, confidence, fingerprint, reporter_email)
    SELECT now(), now(),
        LEAST(DATE '{today.isoformat()}',
              CASE WHEN r_dec < 0.06
                   THEN make_date(EXTRACT(YEAR FROM base_date)::int, 12, 1 + (r_day * 30)::int)
                   ELSE base_date END),
        LEAST(5000000, GREATEST(1, round(exp(4.2 + 1.5 * sqrt(-2 * ln(1 - r_a1))
                                               * cos(2 * pi() * r_a2))::numeric, 2))),
        support_kind, donor_type, donor_type IN {diaspora},
        CASE WHEN donor_type IN ('company', 'foundation_cso', 'public_institution',
                                 'diaspora_organization', 'collective')
             THEN 'Donor ' || (g % 5000) ELSE '' END,
        false,
        CASE WHEN donor_type IN {diaspora} THEN {_pick("r_cty", COUNTRIES)} ELSE '' END,
        CASE WHEN donor_type IN {diaspora} THEN {_pick("r_ch", CHANNELS)} ELSE '' END,
        recipient_type, '', cause, {_pick("r_ben", BENEFICIARY)}, geography,
        CASE WHEN geography = 'municipality' THEN {_pick_int("r_mun", munis)} END,
        CASE WHEN r_rec < 0.8 THEN 'one_off' ELSE 'ongoing' END,
        {_pick("r_eff", EFFECT)}, '', 'partner', '', '{Status.VERIFIED.value}', '',
        {_pick("r_con", CONFIDENCE)}, md5(g::text), ''
    FROM (
        SELECT s0.*,
               DATE '{today.isoformat()}' - (({days} - 1) * (1 - sqrt(r_date)))::int AS base_date,
               {_pick("r_dt", DONOR_TYPES)} AS donor_type,
               {_pick("r_ca", CAUSES)} AS cause,
               {_pick("r_re", RECIPIENTS)} AS recipient_type,
               {_pick("r_su", SUPPORT)} AS support_kind,
               {_pick("r_ge", GEOGRAPHY)} AS geography
        FROM (
            SELECT g, random() AS r_dec, random() AS r_day, random() AS r_a1, random() AS r_a2,
                   random() AS r_cty, random() AS r_ch, random() AS r_ben, random() AS r_mun,
                   random() AS r_rec, random() AS r_eff, random() AS r_con, random() AS r_date,
                   random() AS r_dt, random() AS r_ca, random() AS r_re, random() AS r_su,
                   random() AS r_ge
            FROM generate_series(1, {int(rows)}) AS g
        ) AS s0
    ) AS s
    """


def seed(rows: int, *, today: date | None = None) -> float:
    """Seed `rows` records; returns the seconds it took."""
    today = today or date.today()
    started = time.perf_counter()
    sql = seed_sql(rows, today=today)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE giving_givingrecord")
    return time.perf_counter() - started


# --- The cases ----------------------------------------------------------------------------


def cases(today: date) -> list[tuple[str, dict]]:
    """Twelve representative filter combinations (GET parameters of the dashboard)."""
    year = today.year - 1
    return [
        ("unfiltered", {}),
        ("one year", {"year": str(year)}),
        ("diaspora only", {"diaspora": "yes"}),
        ("cause + municipality", {"cause": "health", "municipality": "prizren"}),
        (
            "donor types + unaligned dates",
            {
                "donor_type": ["company", "foundation_cso"],
                "date_from": f"{year - 2}-03-17",
                "date_to": f"{year}-08-09",
            },
        ),
        ("confidence: confirmed by both", {"confidence": "confirmed_both"}),
        ("year + domestic + money", {"year": str(year), "diaspora": "no", "support_kind": "money"}),
        ("recipient + effect", {"recipient_type": ["school", "health"], "effect": "strategic"}),
        ("outside Kosovo, diaspora", {"geography": "outside_kosovo", "diaspora": "yes"}),
        (
            "3 municipalities + cause + short unaligned range",
            {
                "municipality": ["prishtine", "gjilan", "peje"],
                "cause": ["poverty", "emergency"],
                "date_from": f"{year}-05-10",
                "date_to": f"{year}-06-20",
            },
        ),
        ("donor country: Germany", {"donor_country": "DE"}),
        ("one year + cause", {"year": str(year), "cause": "health"}),
    ]


def _median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


IMPORT_ROWS = 5000


def run(*, rows: int, stdout, requests: int = REQUESTS_PER_CASE, today: date | None = None) -> dict:
    """Seed, build, measure; print a table and one line of JSON; return the figures."""
    today = today or date.today()
    stdout.write(f"Seeding {rows} verified records …")
    seconds = seed(rows, today=today)
    stdout.write(f"  seeded in {seconds:.1f} s")
    started = time.perf_counter()
    aggregates.refresh(rebuild=True)
    build_s = time.perf_counter() - started
    column_rows, snapshot_bytes = _table_rows()
    stdout.write(
        f"  aggregates built from scratch in {build_s:.1f} s "
        f"({column_rows} records in the columns, {snapshot_bytes / 1e6:.1f} MB stored)"
    )

    with override_settings(ALLOWED_HOSTS=["testserver", "localhost"]):
        figures = _measure(
            rows=rows,
            stdout=stdout,
            requests=requests,
            today=today,
            seconds=seconds,
            refresh_s=build_s,
            column_rows=column_rows,
        )
    figures.update(_refreshes(stdout, today=today))
    figures["snapshot_mb"] = round(_table_rows()[1] / 1e6, 1)
    stdout.write(json.dumps(figures))
    return figures


def _table_rows() -> tuple[int, int]:
    """(records in the newest columns snapshot, its size in bytes)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows, octet_length(data) FROM giving_columns ORDER BY version DESC LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def import_rows(n: int, *, today: date) -> list[int]:
    """Add `n` verified records like an import does (copies of random records moved to random
    days of the last eight years); returns their ids."""
    columns = (
        "created_at, updated_at, date, amount, support_kind, donor_type, is_diaspora, donor_name, "
        "donor_name_public, donor_country, diaspora_channel, recipient_type, recipient_name, cause, "
        "beneficiary_group, geography, municipality_id, recurrence, effect, description, source, "
        "source_url, status, rejection_reason, confidence, fingerprint, reporter_email"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO giving_givingrecord ({columns}) "
            f"SELECT now(), now(), DATE '{today.isoformat()}' - (random() * 2900)::int, amount, "
            "support_kind, donor_type, is_diaspora, donor_name, donor_name_public, donor_country, "
            "diaspora_channel, recipient_type, recipient_name, cause, beneficiary_group, geography, "
            "municipality_id, recurrence, effect, description, source, source_url, status, "
            "rejection_reason, confidence, md5(fingerprint || random()::text), reporter_email "
            "FROM giving_givingrecord WHERE status = 'verified' ORDER BY random() LIMIT %s RETURNING id",
            [n],
        )
        return [row[0] for row in cursor.fetchall()]


def _refreshes(stdout, *, today: date) -> dict:
    """The refresh after an import of IMPORT_ROWS records, and a full rebuild (steady state)."""
    ids = import_rows(IMPORT_ROWS, today=today)
    started = time.perf_counter()
    aggregates.refresh(record_ids=ids)
    import_s = time.perf_counter() - started
    stdout.write(f"Refresh after an import of {len(ids)} verified records: {import_s:.2f} s")
    started = time.perf_counter()
    aggregates.refresh()
    full_s = time.perf_counter() - started
    stdout.write(f"Full rebuild (every verified record read again): {full_s:.2f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname = 'giving_columns'"
        )
        dead = int(cursor.fetchone()[0])
    return {"import_refresh_s": round(import_s, 2), "full_rebuild_s": round(full_s, 2), "dead_rows": dead}


def _measure(*, rows, stdout, requests, today, seconds, refresh_s, column_rows) -> dict:
    client = Client()
    with translation.override("en"):
        url = reverse("giving:dashboard_data")
    results = []
    header = f"{'case':<50} {'endpoint ms':>12} {'SQL ms':>9} {'ratio':>7}"
    stdout.write(header)
    stdout.write("-" * len(header))
    for name, params in cases(today):
        # Check the numbers agree before timing them.
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code, response.content[:500])
        payload = response.json()
        reference = reference_numbers(params)
        assert payload["totals"]["count"] == reference["count"], (name, payload["totals"], reference)

        def request(params=params):
            resp = client.get(url, params)
            assert resp.status_code == 200

        endpoint_ms = _median_ms(request, requests)
        sql_ms = _median_ms(lambda params=params: reference_numbers(params), requests)
        ratio = endpoint_ms / sql_ms if sql_ms else 0.0
        results.append(
            {
                "case": name,
                "params": params,
                "endpoint_ms": round(endpoint_ms, 2),
                "sql_ms": round(sql_ms, 2),
                "ratio": round(ratio, 3),
                "count": reference["count"],
            }
        )
        stdout.write(f"{name:<50} {endpoint_ms:>12.1f} {sql_ms:>9.1f} {ratio:>7.2f}")

    figures = {
        "rows": rows,
        "max_filtered_dashboard_ms": round(max(r["endpoint_ms"] for r in results), 2),
        "max_ratio": round(max(r["ratio"] for r in results), 3),
        "unfiltered_ms": results[0]["endpoint_ms"],
        "seed_s": round(seconds, 1),
        "initial_build_s": round(refresh_s, 1),
        "column_rows": column_rows,
        "cases": [{k: v for k, v in r.items() if k != "params"} for r in results],
    }
    stdout.write(f"Slowest filtered dashboard: {figures['max_filtered_dashboard_ms']:.1f} ms")
    return figures


# --- The hand-written reference -------------------------------------------------------------


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def reference_sql(params: dict) -> tuple[str, list]:
    """One hand-written query on the raw table computing the dashboard's numbers: totals and
    the sums and counts by month, donor type, cause, municipality, recipient type and kind
    of support, all in one scan with GROUPING SETS."""
    where, args = ["r.status = 'verified'"], []
    if "year" in params:
        y = int(params["year"])
        where.append("r.date >= %s AND r.date < %s")
        args += [date(y, 1, 1), date(y + 1, 1, 1)]
    if "date_from" in params:
        where.append("r.date >= %s")
        args.append(date.fromisoformat(params["date_from"]))
    if "date_to" in params:
        where.append("r.date <= %s")
        args.append(date.fromisoformat(params["date_to"]))
    if params.get("diaspora") in ("yes", "no"):
        where.append("r.is_diaspora" if params["diaspora"] == "yes" else "NOT r.is_diaspora")
    for name in ("donor_type", "cause", "recipient_type", "support_kind", "confidence", "donor_country"):
        if name in params:
            where.append(f"r.{name} = ANY(%s)")
            args.append(_as_list(params[name]))
    for name in ("geography", "effect"):
        if name in params:
            where.append(f"r.{name} = %s")
            args.append(params[name])
    if "municipality" in params:
        where.append("r.municipality_id IN (SELECT id FROM core_municipality WHERE slug = ANY(%s))")
        args.append(_as_list(params["municipality"]))
    sql = f"""
        SELECT GROUPING(date_trunc('month', r.date), r.donor_type, r.cause, r.municipality_id,
                        r.recipient_type, r.support_kind) AS g,
               date_trunc('month', r.date)::date, r.donor_type, r.cause, r.municipality_id,
               r.recipient_type, r.support_kind, SUM(r.amount), COUNT(*)
        FROM giving_givingrecord r
        WHERE {" AND ".join(where)}
        GROUP BY GROUPING SETS ((), (date_trunc('month', r.date)), (r.donor_type), (r.cause),
                                (r.municipality_id), (r.recipient_type), (r.support_kind))
    """
    return sql, args


def reference_numbers(params: dict) -> dict:
    sql, args = reference_sql(params)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    total = next((r for r in rows if r[0] == 0b111111), None)
    return {"rows": rows, "count": int(total[8]) if total else 0, "total": total[7] if total else 0}
