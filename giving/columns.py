"""The verified giving records as columns in memory: the source of every number of the public
dashboard, the aggregates API and the yearly report (see giving.aggregates).

Why columns: the dashboard answers any combination of ten filters and any date range. A cube in
PostgreSQL (one row per month and combination of the dimensions) hardly compresses realistic
data (0.8 rows per record at a million skewed records), so filtered numbers read nearly a row
per record, 150-425 ms, and building it took minutes. Here each record is a few integers
(day, cents, one small code per dimension), about 30 bytes, and numpy sums any selection of a
million of them by every breakdown in tens of milliseconds. See `manage.py bench giving`.

- `build()` reads the verified records in one statement (on PostgreSQL a binary COPY of
  fixed-width integers, parsed without a Python object per value) and sorts them by day, so a
  date range is a slice.
- `dump()`/`load()` turn the columns into bytes and back; giving.aggregates.refresh() stores
  them (GivingColumns, one row per data version) in the same transaction that bumps the data
  version, so every process and host reads the same numbers.
- `current()` returns the columns of the newest stored version, loaded once per process and
  version (a query per call: the newest version's token).

Values outside a field's choices (e.g. a cause since renamed) get code 0: they count in every
total and in no breakdown, as before, and no filter can select them.
"""

import io
import json
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db import connection

from giving.choices import Status

EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()

# Dimensions stored as codes into the field's choices (code 0: outside the choices, 1: "").
CODED = (
    "donor_type",
    "cause",
    "recipient_type",
    "support_kind",
    "confidence",
    "geography",
    "effect",
    "donor_country",
)
FORMAT = 2  # bumped when the stored layout changes: older snapshots are rebuilt, not misread


def vocabulary() -> dict[str, list]:
    """Per coded dimension, the values by code: [None, "", every choice but ""]."""
    from giving.models import GivingRecord

    vocab = {}
    for name in CODED:
        values = [str(v) for v, _label in GivingRecord._meta.get_field(name).choices if v != ""]
        vocab[name] = [None, "", *values]
    return vocab


def to_day(d: date) -> int:
    return d.toordinal() - _EPOCH_ORDINAL


def from_day(day: int) -> date:
    return EPOCH + timedelta(days=int(day))


def from_month(month: int) -> date:
    """A month index (months since January 1970) as the month's first day."""
    return date(1970 + int(month) // 12, int(month) % 12 + 1, 1)


def to_money(cents: float) -> Decimal:
    """Summed cents (exact in float64 below 2**53, i.e. 90 trillion euros) as Decimal euros."""
    return Decimal(round(float(cents))).scaleb(-2)


@dataclass
class Columns:
    """Verified records sorted by day and id: `day` (days since 1970), `ids` (primary keys),
    `month` (months since January 1970), `cents` (float64: bincount's weights), `diaspora` (0/1), `municipality` (id, 0 for
    none) and one code array per CODED dimension (`codes`), with `vocab` to read the codes."""

    day: np.ndarray
    ids: np.ndarray
    cents: np.ndarray
    diaspora: np.ndarray
    municipality: np.ndarray
    codes: dict[str, np.ndarray]
    vocab: dict[str, list]
    month: np.ndarray = field(init=False)
    index: dict[str, dict] = field(init=False)

    def __post_init__(self) -> None:
        days = self.day.astype("datetime64[D]")
        self.month = days.astype("datetime64[M]").astype(np.int32)
        self.index = {
            name: {v: i for i, v in enumerate(values) if v is not None} for name, values in self.vocab.items()
        }

    def __len__(self) -> int:
        return len(self.day)

    @classmethod
    def empty(cls) -> "Columns":
        return cls(
            day=np.zeros(0, np.int32),
            ids=np.zeros(0, np.int64),
            cents=np.zeros(0, np.float64),
            diaspora=np.zeros(0, np.int8),
            municipality=np.zeros(0, np.int32),
            codes={name: np.zeros(0, np.int16) for name in CODED},
            vocab=vocabulary(),
        )

    # --- Selecting ------------------------------------------------------------------------

    def select(self, *, start: date | None, end: date | None, dims: dict, diaspora: bool | None):
        """The records of a date range (inclusive days, None unbounded) and dimensions (a
        column name of giving.aggregates.Criteria → accepted values): a Selection."""
        lo, hi = 0, len(self.day)
        if start is not None:
            lo = int(np.searchsorted(self.day, to_day(start), "left"))
        if end is not None:
            hi = max(lo, int(np.searchsorted(self.day, to_day(end), "right")))
        mask = None
        for name, values in dims.items():
            if name == "donor_type" and diaspora is not None:
                part = self.diaspora[lo:hi] == (1 if diaspora else 0)
            elif name == "is_diaspora":
                part = self.diaspora[lo:hi] == (1 if values[0] else 0)
            elif name == "municipality_id":
                part = _lookup(self.municipality[lo:hi], [int(v) for v in values if v is not None])
            else:
                known = self.index[name]
                part = _lookup(self.codes[name][lo:hi], [known[str(v)] for v in values if str(v) in known])
            mask = part if mask is None else np.logical_and(mask, part, out=mask)
        rows = None if mask is None else np.flatnonzero(mask)
        return Selection(self, lo, hi, rows)


def _lookup(column: np.ndarray, accepted: list[int]) -> np.ndarray:
    """A boolean array: the rows of `column` whose value is one of `accepted`."""
    accepted = [a for a in accepted if a >= 0]
    if not accepted:
        return np.zeros(len(column), bool)
    if len(accepted) == 1:
        return column == accepted[0]
    table = np.zeros(max(int(column.max(initial=0)), *accepted) + 1, bool)
    table[accepted] = True
    return table[column]


@dataclass
class Selection:
    columns: Columns
    lo: int
    hi: int
    rows: np.ndarray | None  # positions within [lo, hi), or None for all of them

    def column(self, array: np.ndarray) -> np.ndarray:
        part = array[self.lo : self.hi]
        return part if self.rows is None else part.take(self.rows)

    def __len__(self) -> int:
        return (self.hi - self.lo) if self.rows is None else len(self.rows)

    def newest_ids(self, start: int, stop: int) -> list[int]:
        """The primary keys of the records `start`…`stop` (exclusive) of the selection ordered
        newest first (by day, then id, descending): the records' ORDER BY -date, -pk."""
        size = len(self)
        start, stop = max(0, min(start, size)), max(0, min(stop, size))
        if start >= stop:
            return []
        first, last = size - stop, size - start  # positions, oldest first
        if self.rows is None:
            positions = np.arange(self.lo + first, self.lo + last)
        else:
            positions = self.rows[first:last] + self.lo
        return self.columns.ids.take(positions)[::-1].tolist()

    def weights(self) -> np.ndarray:
        if not hasattr(self, "_weights"):
            self._weights = self.column(self.columns.cents)
        return self._weights

    def total(self) -> tuple[Decimal, int]:
        return to_money(self.weights().sum()), len(self)

    def sums_by(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(values, summed cents, counts) of the selection grouped by the non-negative integer
        `keys` (an array of the selection's length), only groups with records."""
        if not len(keys):
            return keys[:0], np.zeros(0), np.zeros(0, np.int64)
        if int(keys.max()) >= max(1 << 20, 4 * len(keys)):
            # Sparse keys (the API grouped by many dimensions at once make a mixed-radix key of
            # up to ~10**14): bincount would allocate one slot per possible key. Number the
            # keys that occur instead (a sort, about 0.1 s a million records).
            values, inverse = np.unique(keys, return_inverse=True)
            counts = np.bincount(inverse, minlength=len(values))
            sums = np.bincount(inverse, weights=self.weights(), minlength=len(values))
            return values, sums, counts
        counts = np.bincount(keys)
        sums = np.bincount(keys, weights=self.weights(), minlength=len(counts))
        values = np.flatnonzero(counts)
        return values, sums[values], counts[values]

    def by(self, name: str) -> dict:
        """{value: (Decimal total, count)} by `month` (first days), `municipality` (id or
        None), `diaspora` (bool) or a coded dimension (its value; None outside the choices)."""
        if name == "month":
            months = self.column(self.columns.month)
            base = int(months.min()) if len(months) else 0
            values, sums, counts = self.sums_by(months - base)
            return {
                from_month(v + base): (to_money(s), int(c))
                for v, s, c in zip(values, sums, counts, strict=True)
            }
        if name == "municipality":
            values, sums, counts = self.sums_by(self.column(self.columns.municipality))
            return {
                (int(v) or None): (to_money(s), int(c)) for v, s, c in zip(values, sums, counts, strict=True)
            }
        if name == "diaspora":
            values, sums, counts = self.sums_by(self.column(self.columns.diaspora))
            return {bool(v): (to_money(s), int(c)) for v, s, c in zip(values, sums, counts, strict=True)}
        vocab = self.columns.vocab[name]
        values, sums, counts = self.sums_by(self.column(self.columns.codes[name]))
        return {vocab[v]: (to_money(s), int(c)) for v, s, c in zip(values, sums, counts, strict=True)}

    def group_keys(self, name: str) -> tuple[np.ndarray, Callable]:
        """(non-negative integer keys of the selection for grouping by `name`, key → value)."""
        cols = self.columns
        if name in ("year", "month"):
            months = self.column(cols.month)
            if name == "year":
                keys = months // 12
                return keys, lambda k: 1970 + int(k)
            return months, lambda k: f"{from_month(k):%Y-%m}"
        if name == "municipality":
            return self.column(cols.municipality), lambda k: int(k) or None
        if name == "diaspora":
            return self.column(cols.diaspora), lambda k: bool(k)
        vocab = cols.vocab[name]
        return self.column(cols.codes[name]), lambda k: vocab[int(k)]


# --- Building, storing, loading ---------------------------------------------------------------

# The fields of the binary COPY: every code in one int8 (`_packing`), the diaspora flag in
# the municipality's lowest bit. Four fields instead of twelve: PostgreSQL writes a length
# before each field of each row, and the COPY took a third longer with one field per code.
_TYPES = (("id", "i8"), ("day", "i4"), ("cents", "i8"), ("place", "i4"), ("codes", "i8"))


def _packing(vocab: dict) -> list[tuple[str, int, int]]:
    """(dimension, shift, bits) of each code within the packed int8."""
    layout, shift = [], 0
    for name in CODED:
        bits = max(1, (len(vocab[name]) - 1).bit_length())
        layout.append((name, shift, bits))
        shift += bits
    if shift > 63:
        raise ValueError("the codes do not fit in 63 bits")
    return layout


def build() -> Columns:
    """The verified records, read now."""
    vocab = vocabulary()
    if connection.vendor == "postgresql":
        raw = _read_postgres(vocab)
    else:
        raw = _read_rows(vocab)
    order = np.lexsort((raw["id"], raw["day"]))  # by day, then id
    municipality_type = _smallest(int(raw["municipality"].max(initial=0)))
    return Columns(
        day=raw["day"].astype(np.int32).take(order),
        ids=raw["id"].astype(np.int64).take(order),
        cents=raw["cents"].astype(np.float64).take(order),
        diaspora=raw["diaspora"].astype(np.int8).take(order),
        municipality=raw["municipality"].astype(municipality_type).take(order),
        codes={name: raw[name].astype(_smallest(len(vocab[name]))).take(order) for name in CODED},
        vocab=vocab,
    )


def _smallest(largest: int):
    """The narrowest unsigned type holding 0…largest (less memory, faster gathers)."""
    return np.uint8 if largest < 2**8 else np.uint16 if largest < 2**16 else np.int64


def _copy_sql(vocab: dict) -> str:
    codes = []
    for name, shift, _bits in _packing(vocab):
        # array_position is 1-based over vocab[1:], which is the code itself (0 if absent).
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in vocab[name][1:])
        codes.append(f"(COALESCE(array_position(ARRAY[{values}]::text[], {name}::text), 0)::int8 << {shift})")
    return (
        f"SELECT id::int8, (date - DATE '{EPOCH.isoformat()}')::int4, ROUND(amount * 100)::int8, "
        f"(COALESCE(municipality_id, 0) << 1 | is_diaspora::int4)::int4, ({' | '.join(codes)})::int8 "
        f"FROM giving_givingrecord WHERE status = '{Status.VERIFIED.value}'"
    )


def _read_postgres(vocab: dict) -> dict[str, np.ndarray]:
    """COPY … (FORMAT binary): every tuple is the same size (fixed-width integers, no NULL), so
    the body is one structured array read in place, then unpacked."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY ({_copy_sql(vocab)}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    if bytes(data[:11]) != b"PGCOPY\n\xff\r\n\x00":
        raise ValueError("not a PostgreSQL binary COPY")
    extension = int.from_bytes(data[15:19], "big")
    body = data[19 + extension : len(data) - 2]  # the trailer is a field count of -1
    dtype = np.dtype(
        [("fields", ">i2")]
        + [part for name, kind in _TYPES for part in ((f"{name}_len", ">i4"), (name, ">" + kind))]
    )
    table = np.frombuffer(body, dtype=dtype)
    if len(table) and (
        (table["fields"] != len(_TYPES)).any()
        or any((table[f"{n}_len"] != np.dtype(k).itemsize).any() for n, k in _TYPES)
    ):
        raise ValueError("unexpected COPY layout")
    place = table["place"].astype(np.int64)
    packed = table["codes"].astype(np.int64)
    out = {
        "id": table["id"],
        "day": table["day"],
        "cents": table["cents"],
        "diaspora": place & 1,
        "municipality": place >> 1,
    }
    for name, shift, bits in _packing(vocab):
        out[name] = (packed >> shift) & ((1 << bits) - 1)
    return out


def _read_rows(vocab: dict) -> dict[str, np.ndarray]:
    """Elsewhere (SQLite, the development server's small data): rows coded in Python."""
    index = {name: {v: i for i, v in enumerate(values) if v is not None} for name, values in vocab.items()}
    names = ("id", "day", "cents", "diaspora", "municipality", *CODED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, date, CAST(ROUND(amount * 100) AS INTEGER), is_diaspora, COALESCE(municipality_id, 0), "
            f"{', '.join(CODED)} FROM giving_givingrecord WHERE status = %s",
            [Status.VERIFIED.value],
        )
        rows = cursor.fetchall()
    out = {name: np.zeros(len(rows), np.int64) for name in names}
    for i, row in enumerate(rows):
        out["id"][i] = row[0]
        day = row[1] if isinstance(row[1], date) else date.fromisoformat(str(row[1])[:10])
        out["day"][i] = to_day(day)
        out["cents"][i] = int(row[2])
        out["diaspora"][i] = 1 if row[3] else 0
        out["municipality"][i] = int(row[4] or 0)
        for name, value in zip(CODED, row[5:], strict=True):
            out[name][i] = index[name].get(value, 0)
    return out


def dump(columns: Columns) -> bytes:
    buffer = io.BytesIO()
    meta = json.dumps({"format": FORMAT, "vocab": columns.vocab}).encode()
    np.savez(
        buffer,
        meta=np.frombuffer(meta, np.uint8),
        day=columns.day,
        ids=columns.ids,
        cents=columns.cents,
        diaspora=columns.diaspora,
        municipality=columns.municipality,
        **{f"code_{name}": columns.codes[name] for name in CODED},
    )
    # zlib's fastest level: a million records in 7 MB instead of 22 in a third of a second,
    # which PostgreSQL stores in a quarter of a second where 22 MB took two (escaping and
    # compressing them itself); reading them back takes a tenth of a second.
    return zlib.compress(buffer.getvalue(), 1)


def load(data: bytes) -> Columns | None:
    """The columns of `dump`, or None when the bytes are of another format."""
    try:
        data = zlib.decompress(data)
    except zlib.error:
        return None
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        meta = json.loads(archive["meta"].tobytes())
        if meta.get("format") != FORMAT or set(meta["vocab"]) != set(CODED):
            return None
        return Columns(
            day=archive["day"],
            ids=archive["ids"],
            cents=archive["cents"],
            diaspora=archive["diaspora"],
            municipality=archive["municipality"],
            codes={name: archive[f"code_{name}"] for name in CODED},
            vocab=meta["vocab"],
        )


# --- The columns of the current data version, once per process ---------------------------------

_lock = threading.Lock()
_loaded: tuple[str, Columns] | None = None


def remember(token: str, columns: Columns) -> None:
    """Keep `columns` as this process's copy of the snapshot `token` (the refresh that built
    them has them already)."""
    global _loaded
    with _lock:
        _loaded = (token, columns)


def current() -> Columns:
    """The columns of the newest stored snapshot (empty before the first refresh)."""
    global _loaded
    from giving.aggregates_models import GivingColumns

    newest = GivingColumns.objects.order_by("-version").values_list("token", flat=True).first()
    if newest is None:
        return Columns.empty()
    loaded = _loaded
    if loaded is not None and loaded[0] == newest:
        return loaded[1]
    with _lock:
        if _loaded is not None and _loaded[0] == newest:
            return _loaded[1]
        data = GivingColumns.objects.filter(token=newest).values_list("data", flat=True).first()
        columns = load(bytes(data)) if data is not None else None
        if columns is None:  # gone meanwhile (a newer refresh), or of an older format
            columns = build()
        _loaded = (newest, columns)
        return columns
