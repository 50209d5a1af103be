"""`python manage.py bench pages [--scale S]`: the public pages, a few signed-in pages and API
lists under load, against a bare Django view served by the same gunicorn (issue 18).

The command (core/management/commands/bench.py) creates a throwaway PostgreSQL database,
migrates it and calls `run(...)`. This module seeds it at `scale` of the issue's data set
(10,000 organisations, 20,000 applications, 1,000,000 skewed giving records; scale 1.0 is
all of it), starts gunicorn itself on a free local port (2 sync workers, DEBUG off,
config.settings_bench: the real settings with the bare view added, Redis as the cache under
a key prefix of its own), and runs bounded load (`seconds` per case) at concurrency 1 and 8.

Each case is interleaved with the bare view (a tiny template through the whole middleware):
bare, page, bare, page …, and the ratio is the page's requests per second over the bare
view's measured next to it, so both see the machine in the same state. It prints req/s, p50,
p95 and page/bare per case, and ends with one JSON line: `min_anonymous_ratio` and
`min_signed_in_ratio` (at concurrency 8), `max_filtered_dashboard_ms` (the slowest median of
the giving dashboard's JSON over a few filter combinations, one client) and
`import_refresh_s` (the aggregates refresh after a 5,000-row import: 5,000 records inserted
at random dates over the data's range, then `aggregates.refresh`, as the import's task does;
a refresh reads every verified record into giving.columns).

The load generator runs in this process (threads, one connection per request as gunicorn's
sync workers close them), on the same two CPUs as the server; the ratios are what counts.
This module lives in `config` (the top layer): it seeds every app.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

VENDORS = ("postgresql",)
DEFAULT_ROWS = 1  # unused: the data set is given by --scale
DEFAULT_SCALE = 0.02
FULL = {"organizations": 10_000, "applications": 20_000, "giving_records": 1_000_000}
CONCURRENCY = (1, 8)
SECONDS = 2.0
WORKERS = 2
BARE_PATH = "/bench-bare/"
IMPORT_ROWS = 5_000
BASE_DIR = Path(settings.BASE_DIR)


# --- seeding ------------------------------------------------------------------------------------


def seed(scale: float, stdout) -> dict:
    from giving import aggregates
    from giving import bench as giving_bench
    from grants import bench as grants_bench

    counts = {name: max(1, int(n * scale)) for name, n in FULL.items()}
    started = time.perf_counter()
    grants = grants_bench.seed(rows=counts["applications"], calls=max(5, int(50 * min(1, scale * 5))))
    _more_organizations(counts["organizations"] - grants["organizations"])
    giving_bench.seed(counts["giving_records"])
    aggregates.refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    stdout.write(f"Seeded {json.dumps(counts)}")
    return counts


def _more_organizations(n: int) -> None:
    import random

    from core.models import Municipality
    from organizations.models import Organization

    if n <= 0:
        return
    rng = random.Random(18)
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    # 60 % of organisations in five municipalities, as in Kosovo (Prishtina first).
    busy = municipalities[:5]
    kinds = [Organization.Kind.REGISTERED_CSO] * 8 + [
        Organization.Kind.INFORMAL_GROUP,
        Organization.Kind.FOUNDATION,
    ]
    with transaction.atomic():
        Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Shoqata {i} {rng.choice(['Drita', 'Zëri', 'Ardhmëria', 'Hapi', 'Ura'])}",
                    slug=f"bench-more-{i}",
                    kind=rng.choice(kinds),
                    registration_number=f"8{i:07d}",
                    municipality_id=rng.choice(busy) if rng.random() < 0.6 else rng.choice(municipalities),
                    verification_status=Organization.Verification.VERIFIED
                    if rng.random() < 0.7
                    else Organization.Verification.PENDING,
                    description="Bench organisation.",
                )
                for i in range(n)
            ],
            batch_size=1000,
        )


# --- the server -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def start_server(port: int, stdout, secret_key: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_bench",
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "off",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "BENCH_CACHE_PREFIX": f"cea-bench-{uuid.uuid4().hex[:8]}",  # nothing from an earlier run
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, BARE_PATH)[0] == 200:
                stdout.write(f"gunicorn: {WORKERS} workers on 127.0.0.1:{port}, DEBUG off")
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- load ------------------------------------------------------------------------------------------


def load(port: int, path: str, *, concurrency: int, seconds: float, headers: dict | None = None) -> dict:
    """Requests from `concurrency` threads for `seconds`: req/s, p50 and p95 (ms), errors."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        mine, bad = [], 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status, _body = _get(port, path, headers)
            except OSError:
                status = 0
            mine.append(time.perf_counter() - t0)
            if status != 200:
                bad += 1
        with lock:
            times.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    times.sort()
    n = len(times)
    return {
        "rps": n / elapsed if elapsed else 0.0,
        "p50": times[n // 2] * 1000 if n else 0.0,
        "p95": times[min(n - 1, int(n * 0.95))] * 1000 if n else 0.0,
        "errors": errors[0],
        "requests": n,
    }


def interleaved(port: int, path: str, *, concurrency: int, seconds: float, headers=None) -> dict:
    """bare, page, bare, page in halves of `seconds`: the page and the bare view side by side."""
    half = seconds / 2
    runs = {"page": [], "bare": []}
    for _ in range(2):
        runs["bare"].append(load(port, BARE_PATH, concurrency=concurrency, seconds=half))
        runs["page"].append(load(port, path, concurrency=concurrency, seconds=half, headers=headers))

    def merged(items):
        return {
            "rps": statistics.fmean(i["rps"] for i in items),
            "p50": statistics.fmean(i["p50"] for i in items),
            "p95": max(i["p95"] for i in items),
            "errors": sum(i["errors"] for i in items),
        }

    page, bare = merged(runs["page"]), merged(runs["bare"])
    return {**page, "bare_rps": bare["rps"], "ratio": page["rps"] / bare["rps"] if bare["rps"] else 0.0}


# --- what is measured -------------------------------------------------------------------------------


def _url(name, language="sq", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def cases() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from grants.models import Call, Grant
    from organizations.models import Organization

    call = Call.objects.filter(is_published=True).order_by("-closes_at").first()
    organization = Organization.objects.filter(verification_status="verified").order_by("pk").first()
    year = date.today().year - 1
    awarded_pages = max(1, Grant.objects.count() // 20)
    anonymous = [
        ("home", _url("home")),
        ("directory", _url("organizations:directory")),
        ("directory filtered", _url("organizations:directory") + "?kind=cso&page=2"),
        ("organisation", _url("organizations:detail", slug=organization.slug)),
        ("grants (calls)", _url("grants:call_list")),
        ("a call", _url("grants:call_detail", slug=call.slug)),
        ("awarded grants", _url("grants:awarded_list")),
        (
            f"awarded p.{min(60, awarded_pages)}",
            _url("grants:awarded_list") + f"?page={min(60, awarded_pages)}",
        ),
        ("giving", _url("giving:dashboard")),
        ("giving filtered", _url("giving:dashboard") + f"?cause=health&year={year}"),
        ("giving (en)", _url("giving:dashboard", "en")),
        ("transparency reports", _url("transparency:report_list")),
        ("badge methodology", _url("transparency:methodology")),
    ]
    signed_in = [
        ("giving (signed in)", _url("giving:dashboard")),
        ("directory (signed in)", _url("organizations:directory")),
        ("my portal", _url("accounts:dashboard")),
        ("API organisations", "/api/v1/organizations/"),
        ("API giving records", "/api/v1/giving/records/"),
    ]
    return anonymous, signed_in


def session_cookie(secret_key: str) -> str:
    """The session cookie of a signed-in member (a member of an organisation), signed with the
    server's key."""
    from accounts.models import User
    from organizations.models import Membership, Organization

    user, _created = User.objects.get_or_create(
        email="bench-member@bench.test", defaults={"full_name": "Bench"}
    )
    organization = Organization.objects.filter(verification_status="verified").order_by("pk").first()
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Membership.Role.OWNER}
    )
    client = Client()
    with override_settings(SECRET_KEY=secret_key):
        client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def filtered_dashboard_ms(port: int) -> float:
    """The slowest median (ms, 5 requests, one client) of the dashboard's JSON over a few filter
    combinations; each combination once to warm, so it is the numbers, not a first hit."""
    year = date.today().year - 1
    combos = [
        "",
        f"?year={year}",
        "?cause=health",
        "?donor_type=company&cause=education",
        f"?year={year}&municipality=prishtine&recipient_type=cso",
    ]
    path = _url("giving:dashboard_data", "en")
    worst = 0.0
    for query in combos:
        status, _body = _get(port, path + query)
        if status != 200:
            raise RuntimeError(f"{path}{query} answered {status}")
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            _get(port, path + query)
            samples.append((time.perf_counter() - t0) * 1000)
        worst = max(worst, statistics.median(samples))
    return worst


def import_refresh_seconds(rows: int = IMPORT_ROWS) -> float:
    """Insert `rows` verified records at random dates over the data's range (as an import
    commits them), then time the refresh that follows."""
    from giving import aggregates
    from giving import bench as giving_bench

    before = connection.cursor()
    before.execute("SELECT COALESCE(MAX(id), 0) FROM giving_givingrecord")
    last = before.fetchone()[0]
    giving_bench.seed(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT date FROM giving_givingrecord WHERE id > %s", [last])
        dates = [row[0] for row in cursor.fetchall()]
    t0 = time.perf_counter()
    aggregates.refresh(dates)
    return time.perf_counter() - t0


# --- run --------------------------------------------------------------------------------------------


def run(*, rows=None, stdout, requests=None, scale: float = DEFAULT_SCALE, seconds: float = SECONDS) -> dict:
    counts = seed(scale, stdout)
    anonymous, signed_in = cases()
    secret_key = "bench-" + uuid.uuid4().hex * 2
    cookie = session_cookie(secret_key)
    port = _free_port()
    server = start_server(port, stdout, secret_key)
    results = []
    try:
        for path in [p for _n, p in anonymous + signed_in] + [BARE_PATH]:  # warm both workers
            for _ in range(4):
                _get(port, path, {"Cookie": cookie} if path in [p for _n, p in signed_in] else None)
        stdout.write(
            f"{'page':<24} {'c':>2} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bare/s':>8} {'page/bare':>9}"
        )
        for kind, group, headers in (
            ("anonymous", anonymous, None),
            ("signed_in", signed_in, {"Cookie": cookie}),
        ):
            for name, path in group:
                for concurrency in CONCURRENCY:
                    r = interleaved(port, path, concurrency=concurrency, seconds=seconds, headers=headers)
                    results.append({"kind": kind, "name": name, "path": path, "c": concurrency, **r})
                    stdout.write(
                        f"{name:<24} {concurrency:>2} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p95']:>8.1f}"
                        f" {r['bare_rps']:>8.0f} {r['ratio']:>9.2f}"
                        + (f"  errors: {r['errors']}" if r["errors"] else "")
                    )
        dashboard_ms = filtered_dashboard_ms(port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    refresh_s = import_refresh_seconds()
    at8 = [r for r in results if r["c"] == 8]
    summary = {
        "benchmark": "pages",
        "scale": scale,
        "data": counts,
        "workers": WORKERS,
        "seconds_per_case": seconds,
        "min_anonymous_ratio": round(min(r["ratio"] for r in at8 if r["kind"] == "anonymous"), 3),
        "min_signed_in_ratio": round(min(r["ratio"] for r in at8 if r["kind"] == "signed_in"), 3),
        "max_filtered_dashboard_ms": round(dashboard_ms, 1),
        "import_refresh_s": round(refresh_s, 2),
        "errors": sum(r["errors"] for r in results),
    }
    stdout.write(json.dumps(summary))
    return summary
