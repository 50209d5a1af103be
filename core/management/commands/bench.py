"""`python manage.py bench <app> --rows N`: the performance benchmark of one app.

Each app that has one provides `<app>.bench.run(rows=..., stdout=...)`. This command runs
it in a separate, freshly migrated PostgreSQL database (`--database-name`, default
cea_bench) so the benchmark never touches real data, and drops that database at the end
unless `--keep` is given."""

import importlib

import psycopg2
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

BENCHMARKS = ("giving",)  # apps with a `bench` module; add e.g. "grants" here


def _admin_connection():
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    return conn


class Command(BaseCommand):
    help = "Benchmark an app's pages against hand-written SQL in a separate PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("app", choices=BENCHMARKS)
        parser.add_argument("--rows", type=int, default=1_000_000)
        parser.add_argument("--requests", type=int, default=20, help="requests per case")
        parser.add_argument("--database-name", default="cea_bench")
        parser.add_argument("--keep", action="store_true", help="keep the benchmark database")

    def handle(self, *args, app, rows, requests, database_name, keep, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs only on PostgreSQL: set DATABASE_URL.")
        if rows < 1:
            raise CommandError("--rows must be positive.")
        if not database_name.replace("_", "").isalnum():
            raise CommandError("--database-name may hold letters, digits and underscores only.")
        module = importlib.import_module(f"{app}.bench")
        original = connections["default"].settings_dict["NAME"]
        if database_name == original:
            raise CommandError("The benchmark database must not be the configured one.")

        admin = _admin_connection()
        try:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database_name}"')
                cursor.execute(f'CREATE DATABASE "{database_name}"')
            self._use(database_name)
            try:
                self.stdout.write(f"Migrating {database_name} …")
                call_command("migrate", verbosity=0, interactive=False)
                module.run(rows=rows, stdout=self.stdout, requests=requests)
            finally:
                self._use(original)
            if not keep:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
            else:
                self.stdout.write(f"Kept the database {database_name}.")
        finally:
            admin.close()

    @staticmethod
    def _use(name: str) -> None:
        """Point the default connection at database `name`."""
        connections["default"].close()
        connections["default"].settings_dict["NAME"] = name
