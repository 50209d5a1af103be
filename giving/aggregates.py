"""Aggregates of verified giving records for any combination of GivingFilter's filters:
the numbers of the public dashboard, the aggregates API and the yearly report.

Design (measured with `manage.py bench giving --rows 1000000`, see giving/bench.py):
- `giving_summary_month` (GivingMonthlySummary) is a cube: one row per month and
  combination of every filter dimension with the sum and count of its verified records.
- `giving_summary_marginal` (GivingMonthlyMarginal) holds, per month, the totals by one
  dimension at a time; it answers requests that filter only by period (the common case:
  the unfiltered dashboard, one year) from a few thousand rows.
- Whole months come from these tables; the days of a month only partly inside
  `date_from`/`date_to` come from the raw table (indexed by status and date), so any date
  range is exact. Everything is summed in the database; on PostgreSQL each source is read
  once with GROUPING SETS, elsewhere (SQLite) with one GROUP BY per dimension.
- Both tables are derived data, rebuilt by `refresh()` (whole, or only the months that
  changed), called after commit by every write that changes verified records (see
  `refresh_on_commit`) and by Celery beat (`giving.tasks.refresh_aggregates`, which rebuilds
  when the records' signature changed). Each refresh bumps a data version that caches
  (the yearly PDFs) are keyed on.
"""

import calendar
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from core.fragments import touch
from core.page_cache import GIVING as PAGES
from giving.aggregates_models import GivingMonthlyMarginal, GivingMonthlySummary, GivingSummaryState
from giving.choices import Status

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
REFRESH_DEBOUNCE_SECONDS = 10
REFRESH_TASK = "giving.tasks.refresh_aggregates"

# Dimensions of the cube (filterable); `municipality` is stored as municipality_id.
CUBE_DIMENSIONS = (
    "donor_type",
    "is_diaspora",
    "cause",
    "recipient_type",
    "support_kind",
    "confidence",
    "geography",
    "municipality_id",
    "effect",
)
# The breakdowns of the dashboard (besides the total and the months).
BREAKDOWNS = ("donor_type", "cause", "municipality", "recipient_type", "support_kind")
# group_by of the aggregates API → SQL expression over the source rows.
GROUPABLE = (
    "year",
    "month",
    "donor_type",
    "cause",
    "recipient_type",
    "municipality",
    "support_kind",
    "confidence",
    "diaspora",
    "geography",
    "effect",
)

SUMMARY_TABLE = GivingMonthlySummary._meta.db_table
MARGINAL_TABLE = GivingMonthlyMarginal._meta.db_table


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _month_expr(column: str) -> str:
    if _is_postgres():
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _year_expr(column: str) -> str:
    if _is_postgres():
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%%Y', {column}) AS integer)"


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _next_month(d: date) -> date:
    if d.year == date.max.year and d.month == 12:
        return date.max
    return (_month_end(d) + timedelta(days=1)).replace(day=1)


def _previous_month(d: date) -> date:
    if d.year == date.min.year and d.month == 1:
        return date.min
    return _month_start(_month_start(d) - timedelta(days=1))


def money(value) -> Decimal:
    """A sum from the database as Decimal cents (SQLite returns floats)."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(round(value, 2))
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Criteria: the filters, parsed -----------------------------------------------------------


@dataclass
class Criteria:
    """The filters of GivingFilter as plain values. `start`/`end` are inclusive days (None:
    unbounded); `dims` maps a cube column to the accepted values (any of them)."""

    start: date | None = None
    end: date | None = None
    dims: dict = field(default_factory=dict)
    empty: bool = False  # contradictory filters (e.g. year outside the date range)

    @classmethod
    def from_filter(cls, filterset) -> "Criteria":
        """From a bound, valid GivingFilter."""
        return cls.from_cleaned(filterset.form.cleaned_data)

    @classmethod
    def from_cleaned(cls, data: dict) -> "Criteria":
        crit = cls(start=data.get("date_from"), end=data.get("date_to"))
        year = data.get("year")
        if year not in (None, ""):
            year = int(year)
            first, last = date(year, 1, 1), date(year, 12, 31)
            crit.start = max(crit.start, first) if crit.start else first
            crit.end = min(crit.end, last) if crit.end else last
        if crit.start and crit.end and crit.start > crit.end:
            crit.empty = True
        diaspora = data.get("diaspora")
        if diaspora in ("yes", "no"):
            crit.dims["is_diaspora"] = [diaspora == "yes"]
        for name in ("donor_type", "cause", "recipient_type", "support_kind", "confidence"):
            values = [v for v in (data.get(name) or []) if v != ""]
            if values:
                crit.dims[name] = sorted(set(values))
        for name in ("geography", "effect"):
            if data.get(name):
                crit.dims[name] = [data[name]]
        municipalities = data.get("municipality")
        if municipalities is not None and len(municipalities):
            crit.dims["municipality_id"] = sorted(m.pk for m in municipalities)
        return crit

    # The date range split into whole months (from the cube) and edge days (raw table).
    def split(self) -> tuple[tuple[date | None, date | None] | None, list[tuple[date, date]]]:
        """((first month, last month) of the whole months or None, [(day from, day to), …])."""
        start, end = self.start, self.end
        edges: list[tuple[date, date]] = []
        if start and end and _month_start(start) == _month_start(end):
            if start.day == 1 and end == _month_end(end):
                return (start, start), []
            return None, [(start, end)]
        full_from = full_to = None
        if start:
            if start.day == 1:
                full_from = start
            else:
                edges.append((start, _month_end(start)))
                full_from = _next_month(start)
        if end:
            if end == _month_end(end):
                full_to = _month_start(end)
            else:
                edges.append((_month_start(end), end))
                full_to = _previous_month(end)
        if full_from and full_to and full_from > full_to:
            return None, [(start, end)]  # no whole month between: one range of the raw table
        return (full_from, full_to), edges


def _dim_where(crit: Criteria, prefix: str = "") -> tuple[list[str], list]:
    where, params = [], []
    for name, values in crit.dims.items():
        if name == "is_diaspora":
            where.append(f"{prefix}is_diaspora = %s")
            params.append(values[0])
        else:
            where.append(f"{prefix}{name} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    return where, params


def _sources(crit: Criteria) -> list[tuple[str, list]]:
    """SQL sub-queries yielding uniform rows (month, dimensions…, total, cnt) of the records
    matching `crit`: the cube for whole months and the raw table for edge days."""
    months, edges = crit.split()
    dims_where, dims_params = _dim_where(crit)
    columns = ", ".join(CUBE_DIMENSIONS)
    sources = []
    if months is not None:
        where, params = list(dims_where), list(dims_params)
        if months[0]:
            where.insert(0, "month >= %s")
            params.insert(0, months[0])
        if months[1]:
            where.insert(1 if months[0] else 0, "month <= %s")
            params.insert(1 if months[0] else 0, months[1])
        sql = f"SELECT month, {columns}, total, count AS cnt FROM {SUMMARY_TABLE}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sources.append((sql, params))
    for day_from, day_to in edges:
        where = ["status = %s", "date >= %s", "date <= %s", *dims_where]
        params = [Status.VERIFIED.value, day_from, day_to, *dims_params]
        sources.append(
            (
                f"SELECT {_month_expr('date')} AS month, {columns}, amount AS total, 1 AS cnt "
                f"FROM giving_givingrecord WHERE {' AND '.join(where)}",
                params,
            )
        )
    return sources


# --- The dashboard numbers ------------------------------------------------------------------

_SET_COLUMNS = ("month", "donor_type", "cause", "municipality_id", "recipient_type", "support_kind")
_SET_NAMES = ("month", "donor_type", "cause", "municipality", "recipient_type", "support_kind")


def _marginals_from_source(sql: str, params: list, acc: dict) -> None:
    """Add the total and the sums by month and by each breakdown of one source into `acc`."""
    cols = ", ".join(_SET_COLUMNS)
    with connection.cursor() as cursor:
        if _is_postgres():
            sets = ", ".join(["()"] + [f"({c})" for c in _SET_COLUMNS])
            cursor.execute(
                f"SELECT GROUPING({cols}), {cols}, SUM(total), SUM(cnt) FROM ({sql}) AS src "
                f"GROUP BY GROUPING SETS ({sets})",
                params,
            )
            full = (1 << len(_SET_COLUMNS)) - 1
            for row in cursor.fetchall():
                grouping, values, total, count = row[0], row[1:-2], row[-2], row[-1]
                if grouping == full:
                    _add(acc, "all", "", total, count)
                    continue
                index = next(
                    i for i in range(len(_SET_COLUMNS)) if not grouping & (1 << (len(_SET_COLUMNS) - 1 - i))
                )
                _add(acc, _SET_NAMES[index], values[index], total, count)
        else:
            parts = ["SELECT 'all', '', SUM(total), SUM(cnt) FROM src"]
            for column, name in zip(_SET_COLUMNS, _SET_NAMES, strict=True):
                parts.append(f"SELECT '{name}', {column}, SUM(total), SUM(cnt) FROM src GROUP BY {column}")
            cursor.execute(f"WITH src AS ({sql}) " + " UNION ALL ".join(parts), params)
            for name, value, total, count in cursor.fetchall():
                _add(acc, name, value, total, count)


def _marginals_from_table(months: tuple[date | None, date | None], acc: dict) -> None:
    where, params = [], []
    if months[0]:
        where.append("month >= %s")
        params.append(months[0])
    if months[1]:
        where.append("month <= %s")
        params.append(months[1])
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    and_cond = (" AND " + " AND ".join(where)) if where else ""
    sql = (
        f"SELECT dimension, value, SUM(total), SUM(count) FROM {MARGINAL_TABLE}{cond} "
        f"GROUP BY dimension, value "
        f"UNION ALL SELECT 'month', {'CAST(month AS varchar)' if _is_postgres() else 'month'}, total, count "
        f"FROM {MARGINAL_TABLE} WHERE dimension = 'all'{and_cond}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        for name, value, total, count in cursor.fetchall():
            if name == "municipality":
                value = int(value) if value else None
            elif name == "month":
                value = date.fromisoformat(str(value)[:10])
            _add(acc, name, value, total, count)


def _add(acc: dict, name: str, value, total, count) -> None:
    if name == "month" and isinstance(value, str):
        value = date.fromisoformat(value[:10])
    bucket = acc.setdefault(name, {})
    old = bucket.get(value, (Decimal("0.00"), 0))
    bucket[value] = (old[0] + money(total), old[1] + int(count or 0))


def marginals(crit: Criteria) -> dict:
    """{"all": {"": (total, count)}, "month": {date: (total, count)}, "donor_type": {...},
    "cause": …, "municipality": {id or None: …}, "recipient_type": …, "support_kind": …}"""
    acc: dict = {"all": {"": (Decimal("0.00"), 0)}}
    if crit.empty:
        return acc
    months, _edges = crit.split()
    if not crit.dims and months is not None:
        _marginals_from_table(months, acc)
        edges = _sources(Criteria(start=crit.start, end=crit.end, dims={}))[1:]
        if edges:
            union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS s{i}" for i, (sql, _p) in enumerate(edges))
            _marginals_from_source(union, [p for _sql, ps in edges for p in ps], acc)
    else:
        # One statement over the union of the cube (whole months) and the raw edge days.
        sources = _sources(crit)
        if sources:
            union = " UNION ALL ".join(
                f"SELECT * FROM ({sql}) AS s{i}" for i, (sql, _p) in enumerate(sources)
            )
            _marginals_from_source(union, [p for _sql, ps in sources for p in ps], acc)
    return acc


def _pct(part, whole) -> float:
    return round(float(part) * 100 / float(whole), 1) if whole else 0.0


def _avg(total: Decimal, count: int) -> Decimal:
    return (total / count).quantize(CENT, rounding=ROUND_HALF_UP) if count else Decimal("0.00")


def dashboard_numbers(crit: Criteria, *, top_causes: int = 5) -> dict:
    """Every number of the dashboard as JSON-ready values (amounts as strings of cents)."""
    from core.models import Municipality
    from giving.choices import DIASPORA_DONOR_TYPES, Cause, DonorType, RecipientType, SupportKind

    acc = marginals(crit)
    total, count = acc["all"].get("", (Decimal("0.00"), 0))

    def row(code, label, t, c, **extra):
        return {
            "code": code,
            "label": str(label),
            "total": str(t),
            "count": c,
            "average": str(_avg(t, c)),
            "share": _pct(t, total),
            **extra,
        }

    def breakdown(name, choices):
        data = acc.get(name, {})
        rows = [row(code, label, *data[code]) for code, label in choices if code in data]
        return sorted(rows, key=lambda r: (-Decimal(r["total"]), r["code"]))

    by_month = sorted(acc.get("month", {}).items())
    years: dict[int, tuple[Decimal, int]] = {}
    for month, (t, c) in by_month:
        old = years.get(month.year, (Decimal("0.00"), 0))
        years[month.year] = (old[0] + t, old[1] + c)
    donor = acc.get("donor_type", {})
    diaspora = [donor.get(code, (Decimal("0.00"), 0)) for code in DIASPORA_DONOR_TYPES]
    d_total = sum((t for t, _c in diaspora), Decimal("0.00"))
    d_count = sum(c for _t, c in diaspora)
    names = {m.pk: m for m in Municipality.objects.all()}
    munis = []
    for pk, (t, c) in acc.get("municipality", {}).items():
        if pk is None or pk not in names:
            continue
        m = names[pk]
        munis.append(row(m.slug, m.name, t, c))
    munis.sort(key=lambda r: (-Decimal(r["total"]), r["label"]))
    for rank, item in enumerate(munis, start=1):
        item["rank"] = rank
    elsewhere = acc.get("municipality", {}).get(None)
    causes = breakdown("cause", Cause.choices)
    return {
        "totals": {"total": str(total), "count": count, "average": str(_avg(total, count))},
        "by_year": [
            {"year": y, "total": str(t), "count": c, "average": str(_avg(t, c))}
            for y, (t, c) in sorted(years.items())
        ],
        "by_month": [
            {"month": f"{m:%Y-%m}", "total": str(t), "count": c, "average": str(_avg(t, c))}
            for m, (t, c) in by_month
        ],
        "by_donor_type": breakdown("donor_type", DonorType.choices),
        "diaspora": {
            "diaspora": {"total": str(d_total), "count": d_count, "share": _pct(d_total, total)},
            "domestic": {
                "total": str(total - d_total),
                "count": count - d_count,
                "share": _pct(total - d_total, total) if total else 0.0,
            },
        },
        "top_causes": causes[:top_causes],
        "by_cause": causes,
        "by_municipality": munis,
        "not_in_one_municipality": {
            "total": str(elsewhere[0] if elsewhere else Decimal("0.00")),
            "count": elsewhere[1] if elsewhere else 0,
        },
        "by_recipient_type": breakdown("recipient_type", RecipientType.choices),
        "by_support_kind": breakdown("support_kind", SupportKind.choices),
    }


# --- Arbitrary groupings (the API) ----------------------------------------------------------


def _group_expr(name: str) -> str:
    return {
        "year": _year_expr("month"),
        "month": "month",
        "municipality": "municipality_id",
        "diaspora": "is_diaspora",
    }.get(name, name)


def grouped(crit: Criteria, group_by: Iterable[str]) -> list[dict]:
    """Rows of {dimension: value…, "total", "count", "average"} grouped by `group_by` (names
    from GROUPABLE), ordered by the dimensions. Municipalities come as slugs; months as
    "YYYY-MM"; diaspora as a boolean."""
    from core.models import Municipality

    group_by = list(dict.fromkeys(group_by))
    unknown = [g for g in group_by if g not in GROUPABLE]
    if unknown:
        raise ValueError(unknown)
    if crit.empty:
        return []
    sources = _sources(crit)
    union = " UNION ALL ".join(sql for sql, _p in sources)
    params = [p for _sql, ps in sources for p in ps]
    exprs = [_group_expr(g) for g in group_by]
    select = ", ".join(f"{e} AS g{i}" for i, e in enumerate(exprs))
    sql = f"SELECT {select + ', ' if select else ''}SUM(total), SUM(cnt) FROM ({union}) AS src"
    if exprs:
        positions = ", ".join(str(i + 1) for i in range(len(exprs)))
        sql += f" GROUP BY {positions} ORDER BY {positions}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    slugs = dict(Municipality.objects.values_list("pk", "slug")) if "municipality" in group_by else {}
    rows = []
    for record in raw:
        total, count = money(record[-2]), int(record[-1] or 0)
        if not count:
            continue
        item = {}
        for name, value in zip(group_by, record[:-2], strict=True):
            if name == "month":
                value = f"{date.fromisoformat(str(value)[:10]):%Y-%m}"
            elif name == "municipality":
                value = slugs.get(value)
            elif name == "diaspora":
                value = bool(value)
            elif name == "year":
                value = int(value)
            item[name] = value
        item.update(total=str(total), count=count, average=str(_avg(total, count)))
        rows.append(item)
    return rows


# --- Keeping the tables fresh ----------------------------------------------------------------


def data_version() -> int:
    """The current data version (0 before the first refresh)."""
    state = GivingSummaryState.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(state or 0)


def records_signature() -> str:
    """A cheap fingerprint of all verified records (count, sum, last change)."""
    from django.db.models import Count, Max, Sum

    from giving.models import GivingRecord

    agg = GivingRecord.objects.filter(status=Status.VERIFIED).aggregate(
        n=Count("pk"), s=Sum("amount"), u=Max("updated_at"), i=Max("pk")
    )
    return f"{agg['n']}|{money(agg['s'])}|{agg['u'].isoformat() if agg['u'] else ''}|{agg['i'] or 0}"


def _insert_cube(where: str, params: list) -> None:
    columns = ", ".join(CUBE_DIMENSIONS)
    month = _month_expr("date")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SUMMARY_TABLE} (month, {columns}, total, count) "
            f"SELECT {month}, {columns}, SUM(amount), COUNT(*) FROM giving_givingrecord "
            f"WHERE status = %s{where} GROUP BY {month}, {columns}",
            [Status.VERIFIED.value, *params],
        )


def _insert_marginals(where: str, params: list) -> None:
    muni = "COALESCE(CAST(municipality_id AS varchar), '')"
    parts = [f"SELECT month, 'all', '', SUM(total), SUM(count) FROM {SUMMARY_TABLE}{where} GROUP BY month"]
    args = list(params)
    for name, expr in (
        ("donor_type", "donor_type"),
        ("cause", "cause"),
        ("municipality", muni),
        ("recipient_type", "recipient_type"),
        ("support_kind", "support_kind"),
    ):
        parts.append(
            f"SELECT month, '{name}', {expr}, SUM(total), SUM(count) FROM {SUMMARY_TABLE}{where} "
            f"GROUP BY month, {expr}"
        )
        args += params
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARGINAL_TABLE} (month, dimension, value, total, count) "
            + " UNION ALL ".join(parts),
            args,
        )


def refresh(months: Iterable[date] | None = None) -> int:
    """Rebuild the aggregates from the records: all of them (`months` None) or only the given
    months (any day of the month will do). Bumps the data version; returns it."""
    month_list = sorted({_month_start(m) for m in months}) if months is not None else None
    with transaction.atomic():
        if _is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        if month_list is None:
            GivingMonthlyMarginal.objects.all().delete()
            GivingMonthlySummary.objects.all().delete()
            _insert_cube("", [])
            _insert_marginals("", [])
        else:
            for month in month_list:
                GivingMonthlyMarginal.objects.filter(month=month).delete()
                GivingMonthlySummary.objects.filter(month=month).delete()
                _insert_cube(" AND date >= %s AND date <= %s", [month, _month_end(month)])
                _insert_marginals(" WHERE month = %s", [month])
        signature = records_signature() if month_list is None else None
        state, _created = GivingSummaryState.objects.select_for_update().get_or_create(pk=1)
        GivingSummaryState.objects.filter(pk=1).update(
            version=F("version") + 1,
            refreshed_at=timezone.now(),
            **({"records_signature": signature} if signature is not None else {}),
        )
        touch(PAGES)  # new numbers: the visitors' copies of the dashboard (core.page_cache)
    return state.version + 1


def refresh_if_changed() -> int | None:
    """Rebuild everything when the records changed since the last full rebuild (beat)."""
    signature = records_signature()
    stored = GivingSummaryState.objects.filter(pk=1).values_list("records_signature", flat=True).first()
    if stored == signature:
        return None
    return refresh()


def refresh_on_commit(dates: Iterable[date | None] = ()) -> None:
    """Call inside the transaction of any write that adds, changes, verifies, rejects or
    deletes records: after commit, refresh the months of `dates` (give the old and the new
    date when a record's date changes; pass nothing to rebuild everything) in a Celery task.
    Debounced: a month already waiting for a refresh is not queued again."""
    months = sorted({_month_start(d).isoformat() for d in dates if d}) if dates else []
    touch(PAGES)  # the visitors' copies of the dashboard (core.page_cache), now and at commit
    transaction.on_commit(lambda: _enqueue(months), robust=True)


def _enqueue(months: list[str]) -> None:
    # The task by its name, as every write queues its task (core.notifications.enqueue_on_commit):
    # importing giving.tasks here closed the cycle aggregates -> tasks -> imports -> services
    # -> aggregates.
    from kombu.exceptions import OperationalError

    refresh_aggregates = import_string(REFRESH_TASK)

    if months:
        months = [m for m in months if cache.add(f"giving:refresh:{m}", 1, REFRESH_DEBOUNCE_SECONDS * 6)]
        if not months:
            return
    elif not cache.add("giving:refresh:all", 1, REFRESH_DEBOUNCE_SECONDS * 6):
        return
    try:
        refresh_aggregates.apply_async(kwargs={"months": months or None}, countdown=REFRESH_DEBOUNCE_SECONDS)
    except (OperationalError, RuntimeError, OSError) as exc:  # beat catches up
        logger.warning("Could not enqueue the giving aggregates refresh: %s", exc)
        cache.delete_many([f"giving:refresh:{m}" for m in months] or ["giving:refresh:all"])


def records(crit: Criteria):
    """The verified records matching `crit` (the same rows the aggregates count)."""
    from giving import selectors

    qs = selectors.public_records()
    if crit.empty:
        return qs.none()
    if crit.start:
        qs = qs.filter(date__gte=crit.start)
    if crit.end:
        qs = qs.filter(date__lte=crit.end)
    for name, values in crit.dims.items():
        qs = qs.filter(**{f"{name}__in": values})
    return qs
