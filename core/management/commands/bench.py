"""`python manage.py bench <app> --rows N`: the performance benchmark of one app.

Each app that has one provides `<app>.bench.run(rows=..., stdout=...)`. This command runs
it in a separate, freshly migrated PostgreSQL database (`--database-name`, default
cea_bench) so the benchmark never touches real data, and drops that database at the end
unless `--keep` is given.

A benchmark module may declare `VENDORS` (default: PostgreSQL only) and `DEFAULT_ROWS`.
On SQLite (for modules that allow it) the throwaway database is a temporary file; the
connection open before (e.g. an in-memory test database) is set aside, not closed."""

import importlib
import os
import shutil
import tempfile

import psycopg2
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

# The benchmark modules: an app's `bench`, or the pages of the whole portal (config, the top layer).
BENCHMARKS = {
    "giving": "giving.bench",
    "grants": "grants.bench",
    "volunteering": "volunteering.bench",
    "pages": "config.bench_pages",
}


def _admin_connection():
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    return conn


class Command(BaseCommand):
    help = "Benchmark an app's pages against hand-written SQL in a separate PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("app", choices=list(BENCHMARKS))
        parser.add_argument("--rows", type=int, default=None, help="rows to seed (default: the app's)")
        parser.add_argument("--requests", type=int, default=20, help="requests per case")
        parser.add_argument("--calls", type=int, default=None, help="grants: calls to spread the rows over")
        parser.add_argument(
            "--scale",
            type=float,
            default=None,
            help="pages: share of the full data set (0 to 1); volunteering: share of the full size (0 to 10)",
        )
        parser.add_argument("--seconds", type=float, default=None, help="pages: seconds of load per case")
        parser.add_argument("--database-name", default="cea_bench")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
        parser.add_argument(
            "--template-database",
            default=None,
            help="copy this migrated database (made and migrated first when missing or behind, then "
            "kept) instead of migrating a new one: migrating takes 40 s (the tests run four benchmarks)",
        )

    def handle(
        self,
        *args,
        app,
        rows,
        requests,
        database_name,
        keep,
        calls=None,
        scale=None,
        seconds=None,
        template_database=None,
        **options,
    ):
        module = importlib.import_module(BENCHMARKS[app])
        vendors = getattr(module, "VENDORS", ("postgresql",))
        if connection.vendor not in vendors:
            raise CommandError(
                f"The {app} benchmark runs only on: {', '.join(vendors)}. Set DATABASE_URL, e.g."
                f" DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres, or run `make bench BENCH={app}`."
            )
        rows = rows if rows is not None else getattr(module, "DEFAULT_ROWS", 1_000_000)
        if rows < 1:
            raise CommandError("--rows must be positive.")
        if requests < 1:
            raise CommandError("--requests must be positive.")
        for name in (database_name, template_database or "x"):
            if not name.replace("_", "").isalnum():
                raise CommandError("--database-name may hold letters, digits and underscores only.")
        run_options = {"rows": rows, "stdout": self.stdout, "requests": requests}
        if calls is not None:
            if app != "grants" or calls < 1:
                raise CommandError("--calls is a positive number, for the grants benchmark only.")
            run_options["calls"] = calls
        if scale is not None:
            limit = {"pages": 1, "volunteering": 10}.get(app)
            if limit is None or not 0 < scale <= limit:
                raise CommandError(
                    "--scale is for the pages (0 to 1) and volunteering (0 to 10) benchmarks only."
                )
            run_options["scale"] = scale
        if seconds is not None:
            if app != "pages" or seconds <= 0:
                raise CommandError("--seconds (positive) is for the pages benchmark only.")
            run_options["seconds"] = seconds
        if connection.vendor == "sqlite":
            self._run_on_sqlite(module, run_options, database_name=database_name, keep=keep)
            return
        original = connections["default"].settings_dict["NAME"]
        if original in (database_name, template_database):
            raise CommandError("The benchmark database must not be the configured one.")
        if template_database == database_name:
            raise CommandError("--template-database must differ from --database-name.")

        admin = _admin_connection()
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database_name}"')
            if template_database:
                self._migrated_template(admin, template_database, original)
                with admin.cursor() as cursor:
                    cursor.execute(f'CREATE DATABASE "{database_name}" TEMPLATE "{template_database}"')
            else:
                with admin.cursor() as cursor:
                    cursor.execute(f'CREATE DATABASE "{database_name}"')
            self._use(database_name)
            try:
                if not template_database:
                    self.stdout.write(f"Migrating {database_name} …")
                    call_command("migrate", verbosity=0, interactive=False)
                module.run(**run_options)
            finally:
                self._use(original)
            if not keep:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
            else:
                self.stdout.write(f"Kept the database {database_name}.")
        finally:
            admin.close()

    def _run_on_sqlite(self, module, run_options: dict, *, database_name: str, keep: bool) -> None:
        """The benchmark in a temporary SQLite file, migrated from scratch."""
        conn = connections["default"]
        original = conn.settings_dict["NAME"]
        folder = tempfile.mkdtemp(prefix="cea_bench_")
        path = os.path.join(folder, f"{database_name}.sqlite3")
        if conn.in_atomic_block:
            raise CommandError("The benchmark cannot run inside a transaction.")
        saved = conn.connection  # an in-memory database would vanish if closed: set it aside
        conn.connection = None
        conn.settings_dict["NAME"] = path
        try:
            self.stdout.write(f"Migrating {path} …")
            call_command("migrate", verbosity=0, interactive=False)
            module.run(**run_options)
        finally:
            conn.close()
            conn.settings_dict["NAME"] = original
            conn.connection = saved
            if keep:
                self.stdout.write(f"Kept the database {path}.")
            else:
                shutil.rmtree(folder, ignore_errors=True)

    def _migrated_template(self, admin, name: str, original: str) -> None:
        """Database `name`, made if missing and migrated to the newest migrations (nothing to do
        when it is up to date); no connection is left open on it, so it can be copied."""
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        self._use(name)
        try:
            self.stdout.write(f"Migrating the template {name} …")
            call_command("migrate", verbosity=0, interactive=False)
        finally:
            self._use(original)

    @staticmethod
    def _use(name: str) -> None:
        """Point the default connection at database `name`."""
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = name
