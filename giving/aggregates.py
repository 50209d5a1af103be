"""Aggregates of verified giving records for any combination of GivingFilter's filters:
the numbers of the public dashboard, the aggregates API and the yearly report.

Design (measured with `manage.py bench giving --rows 1000000`, see giving/bench.py): every
number comes from the verified records held as columns in memory (giving.columns): a date
range is a slice of the records sorted by day, each filter a boolean lookup of a small code,
and the totals by month and by every breakdown are numpy bincounts of the selection. That
answers any filter combination and any date range exactly, from one copy of the data, in tens
of milliseconds at a million records.

The columns are derived data: `refresh()` reads every verified record (a binary COPY, about a
second a million) and stores the columns with a new data version in one transaction; each
process loads the newest version once. Every write that changes verified records calls
`refresh_on_commit`, which queues one debounced refresh after commit; Celery beat rebuilds
when the records' signature changed and a refresh was lost (`refresh_aggregates_if_changed`).
Caches (the dashboard's fragments, the visitors' pages, the yearly PDFs) are keyed on the data
version or filed under the topics the refresh touches.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from core.fragments import touch
from core.page_cache import GIVING as PAGES
from giving import columns as store
from giving.aggregates_models import GivingColumns, GivingSummaryState
from giving.choices import Status

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
REFRESH_DEBOUNCE_SECONDS = 10
REFRESH_TASK = "giving.tasks.refresh_aggregates"
KEEP_VERSIONS = 2  # the newest snapshots kept (a process may be loading the one before)

# The breakdowns of the dashboard (besides the total and the months).
BREAKDOWNS = ("donor_type", "cause", "municipality", "recipient_type", "support_kind")
# group_by of the aggregates API.
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
    unbounded); `dims` maps a record's column to the accepted values (any of them)."""

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
            # is_diaspora from the type): the filter is a filter of donor types, read as the
            # diaspora flag when it is the only one (giving.columns.Columns.select).
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


def _selection(crit: Criteria) -> store.Selection:
    """The records matching `crit` in the current columns."""
    return store.current().select(start=crit.start, end=crit.end, dims=crit.dims, diaspora=crit.diaspora)


def count(crit: Criteria) -> int:
    """How many verified records match `crit` (what a download of them would hold)."""
    return 0 if crit.empty else len(_selection(crit))


# --- The dashboard numbers ------------------------------------------------------------------


def marginals(crit: Criteria) -> dict:
    """{"all": {"": (total, count)}, "month": {date: (total, count)}, "donor_type": {...},
    "cause": …, "municipality": {id or None: …}, "recipient_type": …, "support_kind": …}"""
    acc: dict = {"all": {"": (Decimal("0.00"), 0)}}
    if crit.empty:
        return acc
    selection = _selection(crit)
    if not len(selection):
        return acc
    acc["all"][""] = selection.total()
    for name in ("month", *BREAKDOWNS):
        acc[name] = selection.by(name)
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


def _sort_key(value):
    """Rows ordered by their dimensions, an empty value (None) last, as SQL's ORDER BY did."""
    return (value is None, value if value is not None else 0)


def grouped(crit: Criteria, group_by: Iterable[str]) -> list[dict]:
    """Rows of {dimension: value…, "total", "count", "average"} grouped by `group_by` (names
    from GROUPABLE), ordered by the dimensions. Municipalities come as slugs; months as
    "YYYY-MM"; diaspora as a boolean."""
    import numpy as np

    from core.models import Municipality

    group_by = list(dict.fromkeys(group_by))
    unknown = [g for g in group_by if g not in GROUPABLE]
    if unknown:
        raise ValueError(unknown)
    if crit.empty:
        return []
    selection = _selection(crit)
    if not len(selection):
        return []
    parts = [selection.group_keys(name) for name in group_by]
    # One integer per combination (mixed radix over each key's range), then one bincount.
    combined = np.zeros(len(selection), np.int64)
    bases, radices = [], []
    for keys, _decode in parts:
        base = int(keys.min())
        radix = int(keys.max()) - base + 1
        combined = combined * radix + (keys.astype(np.int64) - base)
        bases.append(base)
        radices.append(radix)
    values, sums, counts = selection.sums_by(combined)
    slugs = dict(Municipality.objects.values_list("pk", "slug")) if "municipality" in group_by else {}
    rows = []
    for value, cents, count in zip(values.tolist(), sums.tolist(), counts.tolist(), strict=True):
        item, sort = {}, []
        for i in range(len(parts) - 1, -1, -1):
            value, key = divmod(value, radices[i])
            raw = parts[i][1](key + bases[i])
            sort.append(_sort_key(raw))
            item[group_by[i]] = slugs.get(raw) if group_by[i] == "municipality" else raw
        total = store.to_money(cents)
        item = {name: item[name] for name in group_by}
        item.update(total=str(total), count=int(count), average=str(_avg(total, int(count))))
        rows.append((sort[::-1], item))
    rows.sort(key=lambda pair: pair[0])
    return [item for _sort, item in rows]


# --- Keeping the columns fresh ---------------------------------------------------------------


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


def refresh(
    months: Iterable[date] | None = None, *, record_ids: Iterable[int] | None = None, rebuild: bool = False
) -> int:
    """Make the aggregates equal the records: read every verified record into columns, store
    them as the next data version, keep the last KEEP_VERSIONS, and bump the version. The
    arguments are those of the earlier, partial refreshes (months, an import's records, a
    rebuild from empty) and are accepted for the tasks already queued: reading everything
    takes about a second a million records, so every refresh is whole. Returns the version."""
    del months, record_ids, rebuild  # every refresh is whole (see the docstring)
    with transaction.atomic():
        # One refresh at a time: the state row is the lock; the records are read after it.
        state, _created = GivingSummaryState.objects.select_for_update().get_or_create(pk=1)
        columns = store.build()
        version = state.version + 1
        token = uuid.uuid4().hex
        GivingColumns.objects.create(
            version=version, token=token, rows=len(columns), data=store.dump(columns)
        )
        GivingColumns.objects.filter(version__lte=version - KEEP_VERSIONS).delete()
        GivingSummaryState.objects.filter(pk=1).update(
            version=F("version") + 1, refreshed_at=timezone.now(), records_signature=records_signature()
        )
        touch(PAGES)  # new numbers: the visitors' copies of the dashboard (core.page_cache)
        # This process has them already (should the transaction roll back, nobody reads the token).
        store.remember(token, columns)
    return version


def refresh_if_changed() -> int | None:
    """Rebuild everything when the records changed since the last full rebuild (beat)."""
    signature = records_signature()
    stored = GivingSummaryState.objects.filter(pk=1).values_list("records_signature", flat=True).first()
    if stored == signature:
        return None
    return refresh()


def refresh_on_commit(dates: Iterable[date | None] = (), *, record_ids: Iterable[int] | None = None) -> None:
    """Call inside the transaction of any write that adds, changes, verifies, rejects or
    deletes verified records: after commit, one refresh is queued (debounced: a refresh
    already waiting is not queued again, and it reads whatever is committed when it runs).
    `dates` and `record_ids` (the months or the records touched) are accepted for the
    callers' sake; every refresh is whole."""
    del dates, record_ids
    touch(PAGES)  # the visitors' copies of the dashboard (core.page_cache), now and at commit
    transaction.on_commit(lambda: _enqueue(), robust=True)


def _enqueue() -> None:
    # The task by its name, as every write queues its task (core.notifications.enqueue_on_commit):
    # importing giving.tasks here closed the cycle aggregates -> tasks -> imports -> services
    # -> aggregates.
    from kombu.exceptions import OperationalError

    refresh_aggregates = import_string(REFRESH_TASK)
    if not cache.add(DEBOUNCE_KEY, 1, REFRESH_DEBOUNCE_SECONDS * 6):
        return
    try:
        refresh_aggregates.apply_async(countdown=REFRESH_DEBOUNCE_SECONDS)
    except (OperationalError, RuntimeError, OSError) as exc:  # beat catches up
        logger.warning("Could not enqueue the giving aggregates refresh: %s", exc)
        cache.delete(DEBOUNCE_KEY)


DEBOUNCE_KEY = "giving:refresh:all"


class NewestFirst:
    """The records matching `crit` newest first (ORDER BY -date, -pk), as a sequence a
    Paginator slices: the page's primary keys come from the columns (any page of any
    selection in a few milliseconds, where OFFSET and a rare filter made PostgreSQL walk
    the date index), then one query fetches them. The list follows the numbers' data
    version; a record changed since is left out until the next refresh, never shown stale."""

    def __init__(self, crit: Criteria, count: int):
        self.crit, self.count = crit, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, part: slice):
        """The page's records, read when first used (a list's proxy, as a QuerySet's slice is
        lazy): the dashboard's table of a page is usually kept in the cache, and then they are
        never read."""
        if not isinstance(part, slice):
            raise TypeError("NewestFirst is sliced by pages")
        return SimpleLazyObject(lambda: self._page(part.start or 0, part.stop))

    def _page(self, start: int, stop: int | None) -> list:
        if self.crit.empty:
            return []
        ids = _selection(self.crit).newest_ids(start, stop if stop is not None else self.count)
        if not ids:
            return []
        found = {r.pk: r for r in records(self.crit).filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]


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
