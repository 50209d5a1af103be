"""Aggregates of verified giving records for any combination of GivingFilter's filters:
the numbers of the public dashboard, the aggregates API and the yearly report.

Design (measured with `manage.py bench giving --rows 1000000`, see giving/bench.py):
- `giving_summary_month` (GivingMonthlySummary) is a cube: one row per month and
  combination of every filter dimension (donor country included) with the sum and count of
  its verified records. Requests filtered by two dimensions or more read it.
- `giving_summary_marginal` (GivingMonthlyMarginal) holds rollups of the cube by month and at
  most two dimensions (ROLLUP_SETS): the unfiltered totals by each breakdown of the dashboard,
  and the totals by each breakdown of the records with one value of one filter dimension.
  Requests filtered by the period and at most one dimension (the unfiltered dashboard, a
  year, the diaspora, a cause, a donor country…) read a few hundred of these rows; the
  aggregates API reads them too when they hold its grouping.
- Whole months come from these tables; the days of a month only partly inside
  `date_from`/`date_to` come from the raw table (indexed by status and date), so any date
  range is exact. Everything is summed in the database; on PostgreSQL each source is read
  once with GROUPING SETS, elsewhere (SQLite) with one GROUP BY per dimension.
- Both tables are derived data, kept equal to the records by `refresh()`: it computes the
  difference between the cube and the records in scope (everything, the touched months, or
  only the cells of an import's records) in one statement and applies it: changed cells are
  updated, empty ones deleted, new ones inserted, and the rollups get the difference summed
  by their sets (an upsert). Unchanged rows are never rewritten (no dead-row bloat), and a
  second run finds nothing to do. It is called after commit by every write that changes
  verified records (see `refresh_on_commit`) and by Celery beat
  (`giving.tasks.refresh_aggregates_if_changed`, when the records' signature changed). Each
  refresh bumps a data version that caches (the yearly PDFs) are keyed on.
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
    "donor_country",
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
    "donor_country",
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
    diaspora: bool | None = None  # the diaspora filter alone set dims["donor_type"]

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
        for name in ("donor_type", "cause", "recipient_type", "support_kind", "confidence", "donor_country"):
            values = [str(v) for v in (data.get(name) or []) if v != ""]
            if values:
                crit.dims[name] = sorted(set(values))
        diaspora = data.get("diaspora")
        if diaspora in ("yes", "no"):
            # A diaspora donor is one of the diaspora donor types (services.records sets
            # is_diaspora from the type): the filter is a filter of donor types, so that the
            # rollups by donor type answer it.
            from giving.choices import DIASPORA_DONOR_TYPES, DonorType

            diasporic = {str(t) for t in DIASPORA_DONOR_TYPES}
            types = {t for t in DonorType.values if (t in diasporic) == (diaspora == "yes")}
            if "donor_type" in crit.dims:
                types &= set(crit.dims["donor_type"])
            else:
                crit.diaspora = diaspora == "yes"
            crit.dims["donor_type"] = sorted(types)
            if not types:
                crit.empty = True
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
        if name == "donor_type" and crit.diaspora is not None:
            # The same rows, read as the cube's flag (a better plan than two or six types).
            where.append(f"{prefix}is_diaspora = %s")
            params.append(crit.diaspora)
        elif name == "is_diaspora":
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


# --- Rollups: the cube by month and at most two dimensions ------------------------------------
#
# giving_summary_marginal holds, per month, the sums of the cube grouped by the sets below.
# A row (filter_dimension f, filter_value x, dimension b, value y) is the total of the records
# of the month with f = x and b = y; f "" is no filter (the marginals), b "all" no breakdown.
# A request filtered by the period and at most one dimension (the common cases: a year, the
# diaspora, a cause, a level of confidence) reads a few hundred of these rows instead of the
# cube. Names are the dashboard's (municipality, not municipality_id).

ROLLUP_BREAKDOWNS = ("donor_type", "cause", "municipality", "recipient_type", "support_kind")
# Filter-only dimensions (never a breakdown of the dashboard).
ROLLUP_FILTERS = ("confidence", "geography", "effect", "donor_country")
_COLUMN = {"municipality": "municipality_id"}


def _rollup_sets() -> list[tuple[str, str]]:
    """(filter dimension, dimension) of every stored rollup; a pair of breakdowns is stored
    once (in ROLLUP_BREAKDOWNS order) and read either way."""
    sets = [("", "all")] + [("", b) for b in ROLLUP_BREAKDOWNS]
    for i, a in enumerate(ROLLUP_BREAKDOWNS):
        for b in ROLLUP_BREAKDOWNS[i + 1 :]:
            sets.append((a, b))
    for f in ROLLUP_FILTERS:
        sets.append((f, "all"))
        sets.extend((f, b) for b in ROLLUP_BREAKDOWNS)
    return sets


ROLLUP_SETS = _rollup_sets()
_ROLLUP_DIMS = {"donor_type", "cause", "municipality_id", *ROLLUP_FILTERS}


def _text(column: str) -> str:
    """A cube column as the text stored in the rollups ("" for no municipality)."""
    if column == "municipality_id":
        return "COALESCE(CAST(municipality_id AS varchar), '')"
    return column


def _rollup_lookup(f: str, b: str) -> tuple[str, str, bool]:
    """The stored (filter dimension, dimension, swapped) holding the totals by `b` of the
    records filtered by `f` ("" none); swapped: the filter is in the `value` column."""
    if not f or f == b:
        return "", b, False
    if b == "all" and f in ROLLUP_BREAKDOWNS:
        return "", f, True
    if f in ROLLUP_BREAKDOWNS and b in ROLLUP_BREAKDOWNS:
        if ROLLUP_BREAKDOWNS.index(f) < ROLLUP_BREAKDOWNS.index(b):
            return f, b, False
        return b, f, True
    return f, b, False


def _rollup_filter(crit: Criteria) -> tuple[str, list[str]] | None:
    """(dimension, values as stored) when the rollups answer `crit` (at most one dimension
    filtered), else None."""
    if not crit.dims:
        return "", []
    if len(crit.dims) != 1:
        return None
    ((column, values),) = crit.dims.items()
    if column not in _ROLLUP_DIMS and column not in ROLLUP_BREAKDOWNS:
        return None
    name = "municipality" if column == "municipality_id" else column
    return name, ["" if v is None else str(v) for v in values]


def _rollup_query(f: str, values: list[str], b: str, months) -> tuple[str, list]:
    """Rows (month, value of `b`, total, count) of the records with `f` in `values`."""
    fdim, dim, swapped = _rollup_lookup(f, b)
    where = ["filter_dimension = %s", "dimension = %s"]
    params: list = [fdim, dim]
    if f:
        fcol = "value" if swapped or f == b else "filter_value"
        where.append(f"{fcol} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)
    if months[0]:
        where.append("month >= %s")
        params.append(months[0])
    if months[1]:
        where.append("month <= %s")
        params.append(months[1])
    value = "''" if b == "all" else ("filter_value" if swapped else "value")
    return (
        f"SELECT month, {value} AS value, total, count FROM {MARGINAL_TABLE} WHERE {' AND '.join(where)}",
        params,
    )


def _marginals_from_rollups(f: str, values: list[str], months, acc: dict) -> None:
    """The total, the months and the breakdowns of the whole months `months` from the rollups."""
    parts, params = [], []
    month_text = "CAST(month AS varchar)"  # as text: SQLite would parse every value as a date
    for b in ("all", *ROLLUP_BREAKDOWNS):
        sql, args = _rollup_query(f, values, b, months)
        if b == "all":
            parts.append(
                f"SELECT 'month', {month_text}, SUM(total), SUM(count) FROM ({sql}) AS r GROUP BY month"
            )
        else:
            parts.append(f"SELECT '{b}', value, SUM(total), SUM(count) FROM ({sql}) AS r GROUP BY value")
        params.extend(args)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for name, value, total, count in cursor.fetchall():
            if name == "municipality":
                value = int(value) if value else None
            elif name == "month":
                _add(acc, "all", "", total, count)
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
    rollup = _rollup_filter(crit)
    if rollup is not None and months is not None:
        # Whole months from the rollups, the edge days from the records.
        _marginals_from_rollups(rollup[0], rollup[1], months, acc)
        edges = _sources(crit)[1:]
    else:
        # One statement over the union of the cube (whole months) and the raw edge days.
        edges = _sources(crit)
    if edges:
        union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS s{i}" for i, (sql, _p) in enumerate(edges))
        _marginals_from_source(union, [p for _sql, ps in edges for p in ps], acc)
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


def _grouped_rollup_sources(crit: Criteria, group_by: list[str]) -> list[tuple[str, list]] | None:
    """The sources of `grouped` from the rollups (the dashboard's own source) when they hold
    the grouping: at most one filtered dimension, and group_by the period and at most one
    breakdown of the dashboard. None otherwise (the cube answers)."""
    rollup = _rollup_filter(crit)
    months, _edges = crit.split()
    others = [g for g in group_by if g not in ("year", "month")]
    if rollup is None or months is None or len(others) > 1:
        return None
    b = others[0] if others else "all"
    if b != "all" and b not in ROLLUP_BREAKDOWNS:
        return None
    sql, params = _rollup_query(rollup[0], rollup[1], b, months)
    column = _COLUMN.get(b, b)
    if b == "all":
        sources = [(f"SELECT month, total, count AS cnt FROM ({sql}) AS r", params)]
        keep = "month, total, cnt"
    else:
        value = "CAST(NULLIF(value, '') AS integer)" if column == "municipality_id" else "value"
        sources = [(f"SELECT month, {value} AS {column}, total, count AS cnt FROM ({sql}) AS r", params)]
        keep = f"month, {column}, total, cnt"
    for i, (edge, edge_params) in enumerate(_sources(crit)[1:]):
        sources.append((f"SELECT {keep} FROM ({edge}) AS e{i}", edge_params))
    return sources


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
    sources = _grouped_rollup_sources(crit, group_by) or _sources(crit)
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


# The refresh computes, in one pass over the records in scope (everything, the touched months,
# or the cells of given records), the difference between what the cube holds and what the
# records say, then applies that difference: to the cube (only the cells whose numbers
# changed are updated; cells that became empty are deleted) and, summed by the rollups'
# sets, to the rollups (an upsert adding the differences). An unchanged cell is never
# rewritten, so the tables stay compact (no dead rows from rewriting a month), and running
# a refresh twice changes nothing the second time (the difference is then zero).

_KEYS = "giving_refresh_keys"
_DIFF = "giving_refresh_diff"


def _match(a: str, b: str) -> str:
    """SQL: cube rows `a` and `b` have the same cell (month and every dimension)."""
    parts = [f"{a}.month = {b}.month"]
    for column in CUBE_DIMENSIONS:
        if column == "municipality_id":
            parts.append(f"COALESCE({a}.municipality_id, 0) = COALESCE({b}.municipality_id, 0)")
        else:
            parts.append(f"{a}.{column} = {b}.{column}")
    return " AND ".join(parts)


def _month_ranges(months: list[date]) -> list[tuple[date, date]]:
    """Contiguous months merged into (first day, last day) ranges."""
    ranges: list[list[date]] = []
    for month in months:
        if ranges and _next_month(ranges[-1][1]) == month:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return [(a, _month_end(b)) for a, b in ranges]


def _temp(cursor, name: str, select: str, params: list) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    if _is_postgres():
        cursor.execute(f"ANALYZE {name}")


def _compute_diff(cursor, months: list[date] | None, record_ids: list[int] | None) -> None:
    """Fill the temporary table _DIFF with (month, dimensions…, total, cnt): what to add to
    each cell of the cube in scope to make it equal the records."""
    columns = ", ".join(CUBE_DIMENSIONS)
    r_columns = ", ".join(f"r.{c}" for c in CUBE_DIMENSIONS)
    month = _month_expr("r.date")
    fresh_where, fresh_params, fresh_join = "", [], ""
    old_where, old_params = "", []
    if record_ids is not None:
        # The cells of these records (as they are now): recomputed whole, from every record.
        cursor.execute(f"DROP TABLE IF EXISTS {_KEYS}")
        first = True
        for start in range(0, len(record_ids), 5000):
            chunk = record_ids[start : start + 5000]
            select = (
                f"SELECT DISTINCT {month} AS month, {r_columns} FROM giving_givingrecord r "
                f"WHERE r.id IN ({', '.join(['%s'] * len(chunk))})"
            )
            if first:
                cursor.execute(f"CREATE TEMPORARY TABLE {_KEYS} AS {select}", chunk)
                first = False
            else:
                cursor.execute(f"INSERT INTO {_KEYS} {select}", chunk)
        if _is_postgres():
            cursor.execute(f"ANALYZE {_KEYS}")
        fresh_join = f" JOIN {_KEYS} k ON {_match('k', 'r').replace('r.month', month)}"
        old_where = f" WHERE EXISTS (SELECT 1 FROM {_KEYS} k WHERE {_match('k', 'c')})"
    elif months is not None:
        ranges = _month_ranges(months)
        fresh_where = " AND (" + " OR ".join("r.date BETWEEN %s AND %s" for _r in ranges) + ")"
        fresh_params = [d for pair in ranges for d in pair]
        old_where = f" WHERE c.month IN ({', '.join(['%s'] * len(months))})"
        old_params = list(months)
    fresh = (
        f"SELECT {month} AS month, {r_columns}, SUM(r.amount) AS total, COUNT(*) AS cnt "
        f"FROM giving_givingrecord r{fresh_join} WHERE r.status = %s{fresh_where} "
        f"GROUP BY {month}, {r_columns}"
    )
    old = f"SELECT c.month, {', '.join(f'c.{c}' for c in CUBE_DIMENSIONS)}, -c.total, -c.count FROM {SUMMARY_TABLE} c{old_where}"
    _temp(
        cursor,
        _DIFF,
        f"SELECT month, {columns}, SUM(total) AS total, SUM(cnt) AS cnt "
        f"FROM ({fresh} UNION ALL {old}) AS u GROUP BY month, {columns} "
        f"HAVING SUM(cnt) <> 0 OR ROUND(SUM(total), 2) <> 0",
        [Status.VERIFIED.value, *fresh_params, *old_params],
    )


def _apply_diff(cursor) -> int:
    """Apply _DIFF to the cube and the rollups; returns the number of cells changed."""
    cursor.execute(f"SELECT COUNT(*) FROM {_DIFF}")
    changed = cursor.fetchone()[0]
    if not changed:
        return 0
    columns = ", ".join(CUBE_DIMENSIONS)
    cursor.execute(
        f"UPDATE {SUMMARY_TABLE} AS c SET total = c.total + d.total, count = c.count + d.cnt "
        f"FROM {_DIFF} d WHERE {_match('c', 'd')}"
    )
    cursor.execute(
        f"INSERT INTO {SUMMARY_TABLE} (month, {columns}, total, count) "
        f"SELECT d.month, {', '.join(f'd.{c}' for c in CUBE_DIMENSIONS)}, d.total, d.cnt FROM {_DIFF} d "
        f"WHERE NOT EXISTS (SELECT 1 FROM {SUMMARY_TABLE} c WHERE {_match('c', 'd')})"
    )
    cursor.execute(f"DELETE FROM {SUMMARY_TABLE} WHERE count = 0")
    _apply_rollups(cursor, _DIFF)
    return changed


def _rollup_select(source: str) -> tuple[str, str]:
    """SQL of the rollup rows (month, filter_dimension, filter_value, dimension, value,
    total, count) of the cube-shaped rows of `source`; and its GROUP BY-less tail."""
    if _is_postgres():
        sets, cases_f, cases_fv, cases_d, cases_v = [], [], [], [], []
        for f, b in ROLLUP_SETS:
            cols = [c for c in (_COLUMN.get(f, f), _COLUMN.get(b, b)) if c and c != "all"]
            sets.append("(month" + "".join(f", {_text(c)}" for c in cols) + ")")
        # GROUPING() of every column used, to tell the sets apart.
        used = []
        for f, b in ROLLUP_SETS:
            for c in (_COLUMN.get(f, f), _COLUMN.get(b, b)):
                if c and c != "all" and c not in used:
                    used.append(c)
        grouping = f"GROUPING({', '.join(_text(c) for c in used)})"
        full = (1 << len(used)) - 1
        for f, b in ROLLUP_SETS:
            cols = {_COLUMN.get(f, f), _COLUMN.get(b, b)}
            mask = full
            for i, c in enumerate(used):
                if c in cols:
                    mask &= ~(1 << (len(used) - 1 - i))
            fcol, bcol = _COLUMN.get(f, f), _COLUMN.get(b, b)
            cases_f.append(f"WHEN {mask} THEN '{f}'")
            cases_fv.append(f"WHEN {mask} THEN {_text(fcol) if f else chr(39) * 2}")
            cases_d.append(f"WHEN {mask} THEN '{b}'")
            cases_v.append(f"WHEN {mask} THEN {_text(bcol) if b != 'all' else chr(39) * 2}")
        g = grouping
        sql = (
            f"SELECT month, CASE {g} {' '.join(cases_f)} END, CASE {g} {' '.join(cases_fv)} END, "
            f"CASE {g} {' '.join(cases_d)} END, CASE {g} {' '.join(cases_v)} END, "
            f"SUM(total), SUM(cnt) FROM {source} GROUP BY GROUPING SETS ({', '.join(sets)})"
        )
        return sql, ""
    parts = []
    for f, b in ROLLUP_SETS:
        fcol, bcol = _COLUMN.get(f, f), _COLUMN.get(b, b)
        fv = _text(fcol) if f else "''"
        bv = _text(bcol) if b != "all" else "''"
        group = ", ".join(["month"] + [e for e in (fv if f else "", bv if b != "all" else "") if e])
        parts.append(
            f"SELECT month, '{f}', {fv}, '{b}', {bv}, SUM(total), SUM(cnt) FROM {source} GROUP BY {group}"
        )
    return " UNION ALL ".join(parts), ""


def _apply_rollups(cursor, source: str) -> None:
    """Add the rollups of the cube-shaped difference rows of `source` to the rollups."""
    select, _tail = _rollup_select(source)
    cursor.execute(
        f"INSERT INTO {MARGINAL_TABLE} (month, filter_dimension, filter_value, dimension, value, total, count) "
        f"SELECT * FROM ({select}) AS x WHERE true "
        f"ON CONFLICT (filter_dimension, dimension, filter_value, value, month) DO UPDATE SET "
        f"total = {MARGINAL_TABLE}.total + excluded.total, count = {MARGINAL_TABLE}.count + excluded.count"
    )
    cursor.execute(f"DELETE FROM {MARGINAL_TABLE} WHERE count = 0")


def _drop_temps(cursor) -> None:
    for name in (_KEYS, _DIFF):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def refresh(
    months: Iterable[date] | None = None, *, record_ids: Iterable[int] | None = None, rebuild: bool = False
) -> int:
    """Make the aggregates equal the records: all of them (`months` and `record_ids` None),
    only the given months (any day of the month will do), or only the cells of the given
    records (an import: its records' cells, recomputed from every record). `rebuild`
    empties the tables first and builds them from scratch (a repair; never needed in
    normal operation). Bumps the data version; returns it."""
    month_list = sorted({_month_start(m) for m in months}) if months is not None else None
    ids = sorted({int(i) for i in record_ids}) if record_ids is not None else None
    full = month_list is None and ids is None
    with transaction.atomic():
        with connection.cursor() as cursor:
            if _is_postgres():
                cursor.execute("SET LOCAL work_mem = '256MB'")
                # Hashing, never sorting a million rows by eleven text columns (a merge join
                # or a sorted GROUP BY took 10x longer); no JIT for these one-off statements.
                cursor.execute("SET LOCAL enable_mergejoin = off")
                # The join of the records with an import's cells is underestimated (eleven
                # correlated columns): a nested loop would scan an index once per cell.
                cursor.execute("SET LOCAL enable_nestloop = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL jit = off")
            if rebuild:
                cursor.execute(f"DELETE FROM {MARGINAL_TABLE}")
                cursor.execute(f"DELETE FROM {SUMMARY_TABLE}")
            if not (ids == [] or month_list == []):
                _compute_diff(cursor, None if full else month_list, ids if not full else None)
                _apply_diff(cursor)
                _drop_temps(cursor)
        signature = records_signature() if full else None
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


def refresh_on_commit(dates: Iterable[date | None] = (), *, record_ids: Iterable[int] | None = None) -> None:
    """Call inside the transaction of any write that adds, changes, verifies, rejects or
    deletes records: after commit, refresh the months of `dates` (give the old and the new
    date when a record's date changes; pass nothing to rebuild everything) in a Celery task.
    Debounced: a month already waiting for a refresh is not queued again. An import of new
    records passes their `record_ids` instead: only their cells are recomputed."""
    if record_ids is not None:
        ids = sorted({int(i) for i in record_ids})
        if ids:
            transaction.on_commit(lambda: _enqueue_records(ids), robust=True)
        return
    months = sorted({_month_start(d).isoformat() for d in dates if d}) if dates else []
    touch(PAGES)  # the visitors' copies of the dashboard (core.page_cache), now and at commit
    transaction.on_commit(lambda: _enqueue(months), robust=True)


def _enqueue_records(ids: list[int]) -> None:
    from kombu.exceptions import OperationalError

    refresh_aggregates = import_string(REFRESH_TASK)
    try:
        refresh_aggregates.apply_async(kwargs={"record_ids": ids})
    except (OperationalError, RuntimeError, OSError) as exc:  # beat catches up
        logger.warning("Could not enqueue the giving aggregates refresh: %s", exc)


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
