"""Reading spreadsheets people upload, the one way: every import (giving records, public
funding, …) reads its CSV or XLSX file through `read_table` and reports problems in the
same words.

- CSV: UTF-8 (with or without a byte-order mark), else Windows-1250 or Windows-1252
  (whichever reads as more Albanian/Serbian letters); the delimiter ("," ";" or tab) is
  the one the header line uses most. UTF-16 and binary files are refused with a message
  saying how to save the file.
- XLSX: the first sheet, read with openpyxl in read-only mode. Before openpyxl opens it the
  archive is checked (number of entries, total and per-entry uncompressed size, compression
  ratio), so an archive bomb is refused in milliseconds.
- Limits: file size, columns, and rows; reading STOPS at the row limit (a file of three
  million rows is not read to the end to say so), and a long run of empty rows ends the
  data (spreadsheets that were once "formatted" to the millionth row).
- The header: column names compared without case and spaces ("Amount ", "amount"), with
  optional aliases; missing required, unknown and repeated columns are named.
- Cells: text stripped, or for XLSX the typed value (int, float, datetime, bool), which
  `core.money.parse_amount` and the imports' date parsers take as they are.

A problem with the file as a whole raises `TabularFileError` (a ValidationError with a
translated message); problems with cells are collected in an `ErrorReport` by the import.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.validators import archive_is_bounded

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 60
MAX_BLANK_RUN = 1000  # consecutive empty rows that end the data

# What an XLSX archive may hold before openpyxl is allowed to open it.
XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all entries together
XLSX_MAX_ENTRY = 100 * 1024 * 1024  # one entry (a sheet, the shared strings)
XLSX_MAX_RATIO = 100  # uncompressed / compressed, for entries above XLSX_RATIO_FROM
XLSX_RATIO_FROM = 1024 * 1024
# The quick check of an upload (`read_header`, run in the web request) opens a workbook only
# when its shared strings (which openpyxl parses whole before the first row) are at most
# this large; a larger workbook gets the archive check only, and its header is checked where
# the whole file is read (`read_table`, in a background task).
XLSX_QUICK_SHARED_STRINGS = 4 * 1024 * 1024

CSV_EXTENSIONS = (".csv",)
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Letters of Albanian and Serbian Latin that the two Windows code pages disagree on.
_CP1250_LETTERS = set("čćđšžČĆĐŠŽëçËÇ")


class TabularFileError(ValidationError):
    """The file as a whole cannot be read (size, type, encoding, columns, rows)."""


# --- The report of errors in cells ---------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One problem: the row as the spreadsheet numbers it (the header is row 1), the column
    name ("" for the row as a whole) and the message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ErrorReport:
    """The errors an import found, row by row and column by column. `limit` caps the
    number of rows whose errors are kept (all rows with errors are counted)."""

    limit: int | None = None
    errors: list[CellError] = field(default_factory=list)
    _rows: set[int] = field(default_factory=set)
    _kept: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, message) -> None:
        self._rows.add(row)
        if self.limit is None or row in self._kept or len(self._kept) < self.limit:
            self._kept.add(row)
            self.errors.append(CellError(row=row, column=column or "", message=str(message)))

    @property
    def row_count(self) -> int:
        """How many rows have at least one error."""
        return len(self._rows)

    def by_row(self) -> dict[int, list[CellError]]:
        found: dict[int, list[CellError]] = {}
        for error in self.errors:
            found.setdefault(error.row, []).append(error)
        return found

    def as_dicts(self) -> list[dict]:
        return [error.as_dict() for error in self.errors]

    def __bool__(self) -> bool:
        return bool(self._rows)

    def __len__(self) -> int:
        return len(self.errors)

    def __iter__(self) -> Iterator[CellError]:
        return iter(self.errors)


# --- The file -----------------------------------------------------------------------------


def _size_error(max_bytes: int) -> TabularFileError:
    return TabularFileError(
        _("The file is larger than %(size)s MB. Split it into smaller files.")
        % {"size": max_bytes // (1024 * 1024)},
        code="size",
    )


def _unreadable_xlsx() -> TabularFileError:
    return TabularFileError(
        _("The Excel file cannot be read. Save it again as an Excel workbook (.xlsx)."), code="malformed"
    )


def read_upload(uploaded_file, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[str, bytes]:
    """The name and the bytes of an uploaded file; refuses a file above `max_bytes` without
    reading more than `max_bytes + 1` bytes of it."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _size_error(max_bytes)
    name = getattr(uploaded_file, "name", "") or ""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _size_error(max_bytes)
    return name, data


def file_kind(name: str, data: bytes) -> str:
    """ "csv" or "xlsx", from the name and the first bytes; other files are refused."""
    lower = (name or "").lower().strip()
    is_zip = data.startswith(b"PK\x03\x04")
    if lower.endswith(XLSX_EXTENSIONS):
        if not is_zip:
            raise _unreadable_xlsx()
        return "xlsx"
    if lower.endswith(CSV_EXTENSIONS):
        if is_zip:
            raise TabularFileError(
                _("This file is not a CSV file. Upload a CSV file or an Excel workbook (.xlsx)."), code="type"
            )
        return "csv"
    raise TabularFileError(
        _("Upload a CSV file or an Excel workbook (.xlsx); other file types cannot be imported."),
        code="type",
    )


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1250 or Windows-1252
    (whichever reads as more Albanian/Serbian letters). UTF-16 and binary files are
    refused with a message saying how to save the file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TabularFileError(
            _(
                "The file is in UTF-16 (“Unicode text”). Save it as “CSV UTF-8 (comma delimited)” "
                "or as an Excel workbook (.xlsx) and upload it again."
            ),
            code="encoding",
        )
    if b"\x00" in data[:4096]:
        raise TabularFileError(
            _("This does not look like a CSV file. Upload a CSV (UTF-8) or an Excel workbook (.xlsx)."),
            code="encoding",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("cp1250", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((sum(ch in _CP1250_LETTERS for ch in text), encoding == "cp1250", text))
    if not candidates:
        raise TabularFileError(
            _(
                "The file is not in UTF-8 and not in a Windows encoding we can read. "
                "Save it as “CSV UTF-8 (comma delimited)” and upload it again."
            ),
            code="encoding",
        )
    return max(candidates)[2]


def detect_delimiter(text: str) -> str:
    """The delimiter the header line (the first line) uses most: "," ";" or tab; "," on a tie."""
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _csv_rows(data: bytes, max_columns: int) -> Iterator[list]:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    try:
        for row in reader:
            yield [cell.strip() for cell in row[: max_columns + 1]]
    except csv.Error as exc:
        raise TabularFileError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc},
            code="malformed",
        ) from None


def check_xlsx_archive(data: bytes) -> list[zipfile.ZipInfo]:
    """Refuse an XLSX whose archive would take too long or too much memory to open: too
    many entries, too much uncompressed data, or an entry compressed far more than a real
    workbook ever is (an archive bomb). Reads only the archive's directory, and returns
    its entries."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _unreadable_xlsx() from None
    too_big = TabularFileError(
        _(
            "The Excel file holds far more data than a spreadsheet of this size can "
            "(it may be damaged or made to harm). Save the data again as a new workbook (.xlsx)."
        ),
        code="archive",
    )
    if not archive_is_bounded(
        entries,
        max_entries=XLSX_MAX_ENTRIES,
        max_uncompressed=XLSX_MAX_UNCOMPRESSED,
        max_entry=XLSX_MAX_ENTRY,
        max_ratio=XLSX_MAX_RATIO,
        ratio_from=XLSX_RATIO_FROM,
    ):
        raise too_big
    return entries


def _shared_strings_size(entries: Sequence[zipfile.ZipInfo]) -> int:
    return sum(e.file_size for e in entries if e.filename.lower().endswith("sharedstrings.xml"))


def _bounded_dimension_scan() -> None:
    """openpyxl 3.1's read-only sheet looks for the sheet's <dimension> when it is opened,
    listening for elements' ends only: a sheet without one (files written by streaming
    writers) is parsed to its end before the first row is read, 9 s for a 7 MB file of
    three million empty rows. Look at the elements' starts and stop where the cells begin,
    as the format puts <dimension> before <sheetData>. Installed once, the first time a
    workbook is read."""
    from openpyxl.worksheet import _read_only
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl's

    if getattr(_read_only.ReadOnlyWorksheet, "_cea_bounded", False):
        return

    def _get_size(self):
        with self._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                if element.tag == DATA_TAG:
                    return
                if event == "end" and element.tag == DIMENSION_TAG:
                    bounds = SheetDimension.from_tree(element).boundaries
                    if bounds is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return

    _read_only.ReadOnlyWorksheet._get_size = _get_size
    _read_only.ReadOnlyWorksheet._cea_bounded = True


def _xlsx_cell(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[list]:
    check_xlsx_archive(data)
    from openpyxl import load_workbook

    _bounded_dimension_scan()

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        EOFError,
        IndexError,
        AttributeError,
    ):
        raise _unreadable_xlsx() from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        try:
            for row in sheet.iter_rows(values_only=True, max_col=max_columns + 1):
                yield [_xlsx_cell(value) for value in row]
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError):
            raise _unreadable_xlsx() from None
    finally:
        workbook.close()


def iter_rows(name: str, data: bytes, *, max_columns: int = MAX_COLUMNS) -> Iterator[list]:
    """Every row of the file (the first sheet of a workbook) as a list of cells, lazily."""
    kind = file_kind(name, data)
    return _xlsx_rows(data, max_columns) if kind == "xlsx" else _csv_rows(data, max_columns)


def is_blank(row: Iterable) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def cell_text(value) -> str:
    """A cell as text: "" for nothing, 1500 for the number 1500.0, 2024-03-31 for a date,
    "1"/"0" for a checkbox."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# --- The header ---------------------------------------------------------------------------


def column_key(value) -> str:
    """A column name as it is compared: no case, no surrounding or repeated spaces, spaces
    and hyphens inside as "_" ("Recipient name" → "recipient_name")."""
    text = " ".join(cell_text(value).lstrip("\ufeff").split()).casefold()
    return text.replace(" ", "_").replace("-", "_")


def check_header(
    header: Sequence,
    *,
    columns: Sequence[str],
    required: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    max_columns: int = MAX_COLUMNS,
) -> list[str]:
    """The column names of a header row, as the names in `columns` (after `aliases`, whose
    keys are compared like column names). Refuses (TabularFileError, every problem named)
    missing `required` columns (default: all), unknown ones and repeated ones."""
    required = list(columns if required is None else required)
    alias_keys = {column_key(k): v for k, v in (aliases or {}).items()}
    known = {column_key(c): c for c in columns}
    names = [column_key(cell) for cell in header]
    while names and names[-1] == "":
        names.pop()
    if len(names) > max_columns:
        raise TabularFileError(_("The file has too many columns."), code="columns")
    found = [known.get(n) or alias_keys.get(n) or n for n in names]
    problems = []
    unknown = [n or _("(empty)") for n, c in zip(names, found, strict=True) if c not in columns]
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s. Remove them or use the template's column names.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [c for c in required if c not in found]
    if missing:
        problems.append(_("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)})
    repeated = sorted({c for c in found if c and found.count(c) > 1})
    if repeated:
        problems.append(_("Columns given more than once: %(columns)s.") % {"columns": ", ".join(repeated)})
    if problems:
        raise TabularFileError(problems, code="columns")
    return found


# --- The table ----------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    cells: dict  # column name → cell ("" or None when the row is short)
    extra: list  # non-empty cells beyond the header's columns


@dataclass
class Table:
    columns: list[str]
    rows: list[Row]


def _too_many_rows(max_rows: int) -> TabularFileError:
    return TabularFileError(
        _("The file has more than %(max)s rows. Split it into files of at most %(max)s rows.")
        % {"max": max_rows},
        code="rows",
    )


def _header_row(rows: Iterator[list]) -> list:
    header = next(rows, None)
    if header is None:
        raise TabularFileError(_("The file is empty."), code="empty")
    if is_blank(header):
        raise TabularFileError(
            _("The first row must hold the column names, as in the template."), code="columns"
        )
    return header


def read_header(
    name: str,
    data: bytes,
    *,
    columns: Sequence[str],
    required: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_columns: int = MAX_COLUMNS,
) -> list[str] | None:
    """The quick check of an upload (size, type, encoding, the header's columns), reading
    the first row only, in milliseconds: fit for a web request. Raises TabularFileError.

    A workbook whose shared strings exceed XLSX_QUICK_SHARED_STRINGS gets the archive check
    only (openpyxl would parse them all before the first row): None is returned, and its
    header is checked by `read_table`, which the caller runs in a background task."""
    _check_size(data, max_bytes)
    if file_kind(name, data) == "xlsx":
        entries = check_xlsx_archive(data)
        if _shared_strings_size(entries) > XLSX_QUICK_SHARED_STRINGS:
            return None
    rows = iter_rows(name, data, max_columns=max_columns)
    return check_header(
        _header_row(rows), columns=columns, required=required, aliases=aliases, max_columns=max_columns
    )


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data or not data.strip():
        raise TabularFileError(_("The file is empty."), code="empty")
    if len(data) > max_bytes:
        raise _size_error(max_bytes)


def read_table(
    name: str,
    data: bytes,
    *,
    columns: Sequence[str],
    max_rows: int,
    required: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_columns: int = MAX_COLUMNS,
    skip_comments: bool = True,
) -> Table:
    """The header (checked as `check_header` does) and the data rows of a CSV/XLSX file.

    Empty rows are skipped, and so are rows whose first cell starts with "#" (a template's
    notes) when `skip_comments`. Reading stops with TabularFileError at the first row over
    `max_rows`, and ends after MAX_BLANK_RUN empty rows in a row. Raises TabularFileError
    for the file as a whole (empty, too large, unreadable, columns, no data, too many rows)."""
    _check_size(data, max_bytes)
    rows = iter_rows(name, data, max_columns=max_columns)
    names = check_header(
        _header_row(rows), columns=columns, required=required, aliases=aliases, max_columns=max_columns
    )
    body: list[Row] = []
    blank_run = 0
    # Comment rows are not counted as data: bound them as well, so nothing is read forever.
    walk_limit = 2 * max_rows + 10_000
    for number, cells in enumerate(rows, start=2):
        if number > walk_limit:
            raise _too_many_rows(max_rows)
        if is_blank(cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if skip_comments and cell_text(cells[0]).startswith("#"):
            continue
        if len(body) >= max_rows:
            raise _too_many_rows(max_rows)
        body.append(
            Row(
                number=number,
                cells={column: (cells[i] if i < len(cells) else None) for i, column in enumerate(names)},
                extra=[cell for cell in cells[len(names) :] if not is_blank([cell])],
            )
        )
    if not body:
        raise TabularFileError(_("The file has column names but no rows of data."), code="empty")
    return Table(columns=names, rows=body)
